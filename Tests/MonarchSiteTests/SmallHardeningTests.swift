import Foundation
import TestSupport
import Testing
@testable import MonarchCore
@testable import MonarchSite

/// Issue #14, point 10: the smaller holes, each with the case that showed it.
@Suite("Smaller hardening")
struct SmallHardeningTests {
    private let fm = FileManager.default

    private func site(pamphlet: Bool = false, extra: [String: String] = [:]) throws -> URL {
        let front = pamphlet ? "---\ntitle: Home\npamphlet: true\n---\n" : "---\ntitle: Home\n---\n"
        return try TestBuild.englishSite(home: front + "Know your rights.\n", files: extra)
    }

    /// Two checkouts of one commit differ in their files' modification times; their PDFs
    /// must not. The date is SOURCE_DATE_EPOCH, else a fixed one.
    @Test func pdfsDoNotDependOnWhenFilesWereTouched() throws {
        let a = try site(pamphlet: true), b = try site(pamphlet: true)
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

    /// The zip and the PDFs in it take their date from the same helper: the same date, even
    /// with SOURCE_DATE_EPOCH written with spaces and a newline around it.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
    func theZipAndItsPDFsCarryOneDate() throws {
        let site = try site(pamphlet: true)
        let output = site.appendingPathComponent("public")
        let run = try Command.run(Repo.monarchBinary.path, ["build", "--portable", "--quiet", "--site", site.path, "--output", output.path],
                                  environment: ["MONARCH_HOME": Repo.root.path, "SOURCE_DATE_EPOCH": " 1700000000\n"])
        #expect(run.status == 0, "\(run.err)")
        let zip = PortableCopy.locations(output: output).zip
        let listing = try Tool.run("unzip", ["-Z", "-T", zip.path])
        let pdfLine = try #require(listing.split(separator: "\n").first { $0.hasSuffix(".pdf") })
        #expect(pdfLine.contains("20231114."), "zip entry: \(pdfLine)")
        let pdf = try #require(TestBuild.snapshot(output).keys.first { $0.hasSuffix(".pdf") })
        let info = try Tool.run("pdfinfo", ["-isodates", output.appendingPathComponent(pdf).path])
        #expect(info.contains("2023-11-14T22:13:20"), "\(info)")
    }

    /// A file name that is not UTF-8 was reported as "No such file or directory".
    @Test func aFileNameThatIsNotUTF8IsNamedAsSuch() throws {
        let site = try site()
        let path: [UInt8] = Array(site.appendingPathComponent("content/en").path.utf8) + Array("/caf".utf8) + [0xE9] + Array(".md".utf8) + [0]
        let fd = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o644) } }
        try #require(fd >= 0)
        close(fd)
        let result = TestBuild.build(site)
        #expect(!result.succeeded)
        #expect(result.diagnostics.contains { $0.message.contains("not UTF-8") }, "\(result.diagnostics.map(\.description))")
        #expect(!result.diagnostics.contains { $0.message.contains("No such file") })
    }

    /// Escape sequences, bells and line breaks in a file name reach the terminal as visible
    /// escapes, and each diagnostic stays one line.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
    func diagnosticsNeverCarryTerminalControls() throws {
        let site = try site(extra: ["content/en/bad\u{1B}[31mred\u{07}\nnext.md": "---\ntitel: x\n---\n# A\n"])
        let run = try TestBuild.run(["build", "--site", site.path])
        #expect(run.status == 1)
        #expect(!run.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        let line = try #require(run.stderr.split(separator: "\n").first { $0.contains("titel") })
        #expect(line.hasPrefix("content/en/bad\\x1B[31mred\\x07\\x0Anext.md:2:1: error:"), "\(line)")
    }

    /// `monarch new x/` and `monarch new .notes` wrote hidden files that every build ignores.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)),
          arguments: ["x/", ".notes", "police/.draft", "a//b", "x/.md"])
    func newRefusesNamesEveryBuildWouldSkip(_ path: String) throws {
        let site = try site()
        let before = try fm.subpathsOfDirectory(atPath: site.path).sorted()
        let run = try TestBuild.run(["new", path, "--lang", "en", "--site", site.path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(try fm.subpathsOfDirectory(atPath: site.path).sorted() == before)
    }

    /// Started through PATH, monarch finds its built-in theme from its real path, not from
    /// argv[0] read relative to the current folder.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
    func startedThroughPathItFindsItsTheme() throws {
        let site = try site()
        let elsewhere = TestBuild.temporaryFolder("cwd")
        try fm.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let run = try Command.run("/bin/sh", ["-c", "cd \"$1\" && exec monarch build --quiet --site \"$2\"", "sh", elsewhere.path, site.path],
                                  environment: ["MONARCH_HOME": nil, "PATH": Repo.monarchBinary.deletingLastPathComponent().path + ":/usr/bin:/bin"])
        #expect(run.status == 0, "\(run.err)")
        #expect(fm.fileExists(atPath: site.appendingPathComponent("public/en/index.html").path))
    }
}
