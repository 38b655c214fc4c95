import Foundation
import TestSupport
import Testing
@testable import MonarchCore
@testable import MonarchSite

/// A failed build leaves the previous output exactly as it was; a successful one replaces it
/// whole; the same input always gives the same bytes.
@Suite("Output you can trust")
struct OutputSafetyTests {
    @Test func twoBuildsAreByteIdentical() throws {
        let first = TestBuild.build(Repo.site("i18n"))
        let second = TestBuild.build(Repo.site("i18n"))
        try #require(first.succeeded && second.succeeded)
        let a = TestBuild.snapshot(first.output)
        let b = TestBuild.snapshot(second.output)
        #expect(a.count > 10)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (path, data) in a { #expect(b[path] == data, "\(path) differs between two builds") }
    }

    @Test func failedBuildLeavesPreviousOutputUntouched() throws {
        let output = TestBuild.temporaryFolder()
        let good = TestBuild.build(Repo.site("i18n"), into: output)
        try #require(good.succeeded)
        let before = TestBuild.snapshot(output)
        for name in ["multiple-errors", "template-syntax-error", "missing-page-link"] {
            let bad = TestBuild.build(Repo.invalid(name), into: output)
            #expect(!bad.succeeded)
            #expect(TestBuild.snapshot(output) == before, "\(name) changed the previous output")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
        // Beside the output: its lock and the image cache (the fixture has an image), no staging folder.
        #expect(leftovers.sorted() == [".out.monarch-images", ".out.monarch-lock", "out"], "no staging folder is left behind: \(leftovers)")
    }

    @Test func successfulBuildReplacesTheOutputWhole() throws {
        let output = TestBuild.temporaryFolder()
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try OutputGuard.recordText.write(to: output.appendingPathComponent(OutputGuard.recordName))
        try Data("old".utf8).write(to: output.appendingPathComponent("stale.html"))
        let result = TestBuild.build(Repo.site("i18n"), into: output)
        try #require(result.succeeded)
        #expect(!result.exists("stale.html"))
        #expect(result.exists("en/index.html"))
    }

    @Test func interruptedSwapIsRepairedByTheNextBuild() throws {
        // A build killed between the two renames of a non-atomic swap leaves the previous
        // output in the "previous" folder and none at the output path.
        let output = TestBuild.temporaryFolder()
        try #require(TestBuild.build(Repo.site("i18n"), into: output).succeeded)
        let folder = OutputFolder(output)
        try FileManager.default.moveItem(at: output, to: folder.retired)
        try folder.begin()
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("en/index.html").path))
        folder.abandon()
    }

    /// The previous output stays beside the new one as the staging folder, and the next build
    /// makes it exactly the new output whatever is in it: files kept when their bytes are the
    /// same, everything else replaced or removed, and never a write through a link.
    @Test func theOutputBeforeLastIsReusedAndMadeExact() throws {
        let output = TestBuild.temporaryFolder()
        let fm = FileManager.default
        try #require(TestBuild.build(Repo.site("i18n"), into: output).succeeded)
        let expected = TestBuild.snapshot(output)
        try #require(TestBuild.build(Repo.site("i18n"), into: output).succeeded)
        let folder = OutputFolder(output)
        #expect(TestBuild.snapshot(folder.staging) == expected, "the output before last is kept as the staging folder")

        // Disorder the staging folder as a killed build or a curious person might.
        let staging = folder.staging
        let outside = TestBuild.temporaryFolder("outside")
        try fm.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        try Data("same size, other bytes!".utf8.prefix(expected["en/index.html"]!.count)).write(to: staging.appendingPathComponent("en/index.html"))
        try Data("x".utf8).write(to: staging.appendingPathComponent("extra.html"))
        try Data("x".utf8).write(to: staging.appendingPathComponent(".hidden"))
        try fm.removeItem(at: staging.appendingPathComponent("th"))
        try Data("a file where a folder belongs".utf8).write(to: staging.appendingPathComponent("th"))
        try fm.removeItem(at: staging.appendingPathComponent("404.html"))
        try fm.createDirectory(at: staging.appendingPathComponent("404.html/deep"), withIntermediateDirectories: true)
        try fm.removeItem(at: staging.appendingPathComponent("en/rights"))
        try fm.createSymbolicLink(at: staging.appendingPathComponent("en/rights"), withDestinationURL: outside)
        try fm.createDirectory(at: staging.appendingPathComponent("old/folder"), withIntermediateDirectories: true)
        let kept = staging.appendingPathComponent("zh-hans/index.html")
        try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: kept.path)

        try #require(TestBuild.build(Repo.site("i18n"), into: output).succeeded)
        #expect(TestBuild.snapshot(output) == expected, "the new output is exact")
        let everything = try fm.subpathsOfDirectory(atPath: output.path).filter {
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: output.appendingPathComponent($0).path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        #expect(Set(everything) == Set(expected.keys).union([OutputGuard.recordName]), "no extra or hidden file: \(Set(everything).subtracting(expected.keys))")
        let mode = try fm.attributesOfItem(atPath: output.appendingPathComponent("zh-hans/index.html").path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
        #expect(try fm.contentsOfDirectory(atPath: outside.path) == ["secret.txt"], "nothing written through the link")
        #expect(try String(contentsOf: outside.appendingPathComponent("secret.txt"), encoding: .utf8) == "keep me")

        // A link at the staging path itself is removed, never followed.
        try fm.removeItem(at: staging)
        try fm.createSymbolicLink(at: staging, withDestinationURL: outside)
        try #require(TestBuild.build(Repo.site("i18n"), into: output).succeeded)
        #expect(try fm.contentsOfDirectory(atPath: outside.path) == ["secret.txt"])
        #expect(TestBuild.snapshot(output) == expected)
    }

    @Test func checkWritesNothing() {
        let output = TestBuild.temporaryFolder()
        let result = TestBuild.build(Repo.site("i18n"), into: output, write: false)
        #expect(result.succeeded)
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func renderingUsesEveryCore() throws {
        // The build maps pages through ParallelMap; on a machine with two or more cores its
        // items run on more than one thread at once. Each item waits (up to 20 s, for a
        // loaded machine) until it has seen another thread working at the same time, so a
        // serial map fails and a parallel one passes however busy the machine is.
        guard ProcessInfo.processInfo.activeProcessorCount > 1 else { return }
        let seen = ThreadNames()
        let overlapped = ParallelMap.map(Array(0..<8)) { _ -> Bool in
            seen.add("\(pthread_self())")
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if seen.count > 1 { return true }
                Thread.sleep(forTimeInterval: 0.001)
            }
            return false
        }
        #expect(overlapped.contains(true), "every item ran alone on one thread")
    }
}

private final class ThreadNames: @unchecked Sendable {
    private let lock = NSLock()
    private var names = Set<String>()

    func add(_ name: String) {
        lock.lock()
        names.insert(name)
        lock.unlock()
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return names.count
    }
}
