import Foundation
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
        #expect(leftovers == ["out"], "no staging folder is left behind: \(leftovers)")
    }

    @Test func successfulBuildReplacesTheOutputWhole() throws {
        let output = TestBuild.temporaryFolder()
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
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
