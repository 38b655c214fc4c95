import Foundation
import TestSupport
import Testing
@testable import MonarchCore
@testable import MonarchSite

/// Issue #14, point 10: the smaller holes, each with the case that showed it.
@Suite("Smaller hardening")
struct SmallHardeningTests {
    private let fm = FileManager.default

    /// Two checkouts of one commit differ in their files' modification times; their PDFs
    /// must not. The date is SOURCE_DATE_EPOCH, else a fixed one.
    @Test func pdfsDoNotDependOnWhenFilesWereTouched() throws {
        let a = try TestBuild.homeSite(pamphlet: true), b = try TestBuild.homeSite(pamphlet: true)
        try fm.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)], ofItemAtPath: a.appendingPathComponent("site.yaml").path)
        try fm.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: b.appendingPathComponent("site.yaml").path)
        let first = TestBuild.build(a, into: a.appendingPathComponent("public"))
        let second = TestBuild.build(b, into: b.appendingPathComponent("public"))
        try #require(first.succeeded && second.succeeded)
        let pdfs = TestBuild.snapshot(first.output).keys.filter { $0.hasSuffix(".pdf") }
        try #require(!pdfs.isEmpty)
        for pdf in pdfs {
            let one = try Data(contentsOf: first.output.appendingPathComponent(pdf))
            let two = try Data(contentsOf: second.output.appendingPathComponent(pdf))
            #expect(one == two, "\(pdf) differs between two checkouts")
        }
        let info = try Tool.run("pdfinfo", [first.output.appendingPathComponent(pdfs[0]).path])
        #expect(info.contains("2000"), "\(info)")
        #expect(BuildDate.creation(["SOURCE_DATE_EPOCH": " 1700000000\n"]) == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(BuildDate.creation([:]) == BuildDate.fixed)
    }

    /// A file name that is not UTF-8 was reported as "No such file or directory".
    @Test func aFileNameThatIsNotUTF8IsNamedAsSuch() throws {
        let site = try TestBuild.homeSite()
        let path: [UInt8] = Array(site.appendingPathComponent("content/en").path.utf8) + Array("/caf".utf8) + [0xE9] + Array(".md".utf8) + [0]
        let fd = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) } }
        try #require(fd >= 0)
        close(fd)
        let result = TestBuild.build(site)
        #expect(!result.succeeded)
        #expect(result.diagnostics.contains { $0.message.contains("not UTF-8") }, "\(result.diagnostics.map(\.description))")
        #expect(!result.diagnostics.contains { $0.message.contains("No such file") })
    }
}
