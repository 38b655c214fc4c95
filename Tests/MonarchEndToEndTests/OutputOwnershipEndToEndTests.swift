import Foundation
import TestSupport
import Testing
@testable import MonarchSite

/// `OutputOwnershipTests` through the monarch binary: the command line refuses a folder it did
/// not write, the portable copy follows the same rule, builds at once or killed leave one
/// whole output, and what is published is readable under any umask.
@Suite("Output ownership, end to end", .enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
struct OutputOwnershipEndToEndTests {
    private let fm = FileManager.default

    @Test func theCommandLineRefusesAFolderOfTheUsersOwn() throws {
        let documents = TestBuild.temporaryFolder("Documents")
        try fm.createDirectory(at: documents.appendingPathComponent("taxes"), withIntermediateDirectories: true)
        try Data("my letter".utf8).write(to: documents.appendingPathComponent("letter.txt"))
        let before = try fm.subpathsOfDirectory(atPath: documents.path).sorted()
        let run = try TestBuild.run(["build", "--site", Repo.site("i18n").path, "--output", documents.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("did not write"))
        #expect(try fm.subpathsOfDirectory(atPath: documents.path).sorted() == before)
    }

    /// The portable copy and its zip follow the same rule.
    @Test func thePortableCopyOnlyReplacesWhatItWrote() throws {
        let output = TestBuild.temporaryFolder("public")
        let (folder, zip) = PortableCopy.locations(output: output)
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        var run = try TestBuild.run(["build", "--portable", "--site", Repo.site("i18n").path, "--output", output.path])
        #expect(run.status == 1)
        #expect(try String(contentsOf: folder.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
        try fm.removeItem(at: folder)

        try Data("my own archive".utf8).write(to: zip)
        run = try TestBuild.run(["build", "--portable", "--site", Repo.site("i18n").path, "--output", output.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("did not write"), "\(run.stderr)")
        #expect(try String(contentsOf: zip, encoding: .utf8) == "my own archive")
        try fm.removeItem(at: zip)

        run = try TestBuild.run(["build", "--portable", "--site", Repo.site("i18n").path, "--output", output.path])
        #expect(run.status == 0, "\(run.stderr)")
        run = try TestBuild.run(["build", "--portable", "--site", Repo.site("i18n").path, "--output", output.path])
        #expect(run.status == 0, "its own zip is replaced: \(run.stderr)")
        #expect(PortableCopy.zipRefusal(zip) == nil)
    }

    /// Two builds of two different sites started together into one folder (a watcher that
    /// starts one per save): both finish, and the output is one site whole, never a mix.
    @Test func twoBuildsAtOnceLeaveOneWholeSite() async throws {
        let first = Repo.site("i18n"), second = Repo.site("editorial")
        let separate = (TestBuild.temporaryFolder(), TestBuild.temporaryFolder())
        try #require(TestBuild.build(first, into: separate.0).succeeded)
        try #require(TestBuild.build(second, into: separate.1).succeeded)
        let expected = [TestBuild.snapshot(separate.0), TestBuild.snapshot(separate.1)]
        #expect(expected[0] != expected[1])
        let output = TestBuild.temporaryFolder()
        for _ in 0..<3 {
            async let a = Self.runBinary(["build", "--no-cache", "--quiet", "--site", first.path, "--output", output.path])
            async let b = Self.runBinary(["build", "--no-cache", "--quiet", "--site", second.path, "--output", output.path])
            let statuses = try await [a, b]
            #expect(statuses == [0, 0])
            let result = TestBuild.snapshot(output)
            #expect(result == expected[0] || result == expected[1], "the output mixes two sites")
        }
    }

    private static func runBinary(_ arguments: [String]) async throws -> Int32 {
        try await Task.detached { try TestBuild.run(arguments).status }.value
    }

    /// Quick rebuilds of a printed page killed at random moments: the output is always the
    /// last complete build or the new one, whole (page, search index and PDF together).
    @Test func killedQuickRebuildsLeaveOneWholeOutput() throws {
        let site = TestBuild.temporaryFolder("site")
        try TestBuild.copyExampleSite(to: site)
        let output = site.appendingPathComponent("public")
        let arguments = ["build", "--site", site.path, "--output", output.path, "--quiet"]
        #expect(try TestBuild.run(arguments).status == 0)
        var complete = TestBuild.snapshot(output)
        let page = site.appendingPathComponent("content/en/police/police-stop.md")
        let source = try String(contentsOf: page, encoding: .utf8)
        try #require(source.contains("pamphlet: true"))
        for round in 0..<8 {
            try (source + "\nAn added paragraph, round \(round).\n").write(to: page, atomically: false, encoding: .utf8)
            let process = TestBuild.process(arguments)
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0.02...0.4))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let killed = TestBuild.snapshot(output)
            #expect(try TestBuild.run(arguments).status == 0)
            let next = TestBuild.snapshot(output)
            #expect(killed == complete || killed == next, "round \(round): the killed build left a mix of two outputs")
            complete = next
        }
    }

    /// Under `umask 077` a web server must still read what a build publishes.
    @Test func filesArePublishedReadableWhateverTheUmask() throws {
        let output = TestBuild.temporaryFolder()
        let run = try Command.run("/bin/sh", ["-c", "umask 077; exec \"$0\" build --quiet --site \"$1\" --output \"$2\"",
                                              Repo.monarchBinary.path, Repo.site("i18n").path, output.path],
                                  environment: ["MONARCH_HOME": Repo.root.path])
        #expect(run.status == 0, "\(run.err)")
        var checked = 0
        for path in try fm.subpathsOfDirectory(atPath: output.path) {
            var info = stat()
            try #require(lstat(output.appendingPathComponent(path).path, &info) == 0)
            let mode = info.st_mode & 0o777
            let isFolder = info.st_mode & S_IFMT == S_IFDIR
            #expect(mode == (isFolder ? 0o755 : 0o644), "\(path) has mode \(String(mode, radix: 8))")
            checked += 1
        }
        #expect(checked > 10)
    }
}
