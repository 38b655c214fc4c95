import Foundation
import TestSupport
import Testing
@testable import MonarchCore
@testable import MonarchSite

/// A build replaces its output folder whole, so it must only ever replace a folder it wrote
/// (issue #14, point 1), one build at a time (point 8), and a quick rebuild is as atomic as a
/// full one (point 3).
@Suite("Output ownership")
struct OutputOwnershipTests {
    private let fm = FileManager.default

    private func errors(_ result: BuildResult) -> [String] {
        result.diagnostics.filter { $0.severity == .error }.map(\.description)
    }

    @Test func aFolderOfTheUsersOwnIsRefusedAndKept() throws {
        let documents = TestBuild.temporaryFolder("Documents")
        try fm.createDirectory(at: documents.appendingPathComponent("taxes"), withIntermediateDirectories: true)
        try Data("my letter".utf8).write(to: documents.appendingPathComponent("letter.txt"))
        try Data("2025".utf8).write(to: documents.appendingPathComponent("taxes/2025.pdf"))
        let before = try fm.subpathsOfDirectory(atPath: documents.path).sorted()
        for _ in 0..<2 {
            let result = TestBuild.build(Repo.site("i18n"), into: documents)
            #expect(!result.succeeded)
            #expect(errors(result).contains { $0.contains("did not write") && $0.contains("--output") }, "\(errors(result))")
        }
        #expect(try fm.subpathsOfDirectory(atPath: documents.path).sorted() == before)
        #expect(try String(contentsOf: documents.appendingPathComponent("letter.txt"), encoding: .utf8) == "my letter")
        let siblings = try fm.contentsOfDirectory(atPath: documents.deletingLastPathComponent().path)
        #expect(!siblings.contains { $0.contains("staging") }, "nothing swapped beside it: \(siblings)")

        // The command line says so and exits 1.
        let run = try TestBuild.run(["build", "--site", Repo.site("i18n").path, "--output", documents.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("did not write"))
        #expect(try fm.subpathsOfDirectory(atPath: documents.path).sorted() == before)
    }

    @Test func anEmptyFolderAndMonarchsOwnOutputAreReplaced() throws {
        let output = TestBuild.temporaryFolder()
        try fm.createDirectory(at: output, withIntermediateDirectories: true)
        try #require(TestBuild.build(Repo.site("i18n"), into: output).succeeded)
        #expect(fm.fileExists(atPath: output.appendingPathComponent(OutputGuard.recordName).path))
        try Data("x".utf8).write(to: output.appendingPathComponent("left-by-hand.html"))
        try #require(TestBuild.build(Repo.site("i18n"), into: output).succeeded)
        #expect(!fm.fileExists(atPath: output.appendingPathComponent("left-by-hand.html").path))
    }

    /// An output written before the record existed is still recognised: by the build cache's
    /// record beside it, whose stamps name that very folder. Without it, the folder is refused.
    @Test func anOutputOfAnOlderMonarchIsRecognisedByItsBuildCache() throws {
        let site = TestBuild.temporaryFolder("site")
        try TestBuild.copyExampleSite(to: site)
        let output = site.appendingPathComponent("public")
        func build() -> Bool {
            let builder = SiteBuilder(siteFolder: site, outputFolder: output, builtInTheme: Repo.root, diagnostics: DiagnosticsEngine(),
                                      purpose: .build(cache: true, pamphlets: false))
            return builder.run() != nil
        }
        try #require(build())
        let page = site.appendingPathComponent("content/en/index.md")
        try (String(contentsOf: page, encoding: .utf8) + "\nOne more line.\n").write(to: page, atomically: false, encoding: .utf8)
        try #require(build())   // the staging folder now holds the output before last
        try #require(fm.fileExists(atPath: OutputFolder(output).staging.path))
        func forget() throws {
            for folder in [output, OutputFolder(output).staging] {
                try fm.removeItem(at: folder.appendingPathComponent(OutputGuard.recordName))
            }
        }
        try forget()
        #expect(build(), "an output its build cache describes is monarch's")
        #expect(OutputGuard.isOwned(output.path) && OutputGuard.isOwned(OutputFolder(output).staging.path))
        try forget()
        BuildCache(outputFolder: output).remove()
        #expect(!build(), "without a record of any kind, the folder is refused")
    }

    /// `--output` at the site itself, a folder holding it, or a folder the build reads from.
    @Test(arguments: [".", "..", "content", "content/en/out", "templates/out", "translations", "static/out"])
    func foldersThatHoldTheSiteOrItsInputsAreRefused(_ relative: String) throws {
        let root = TestBuild.temporaryFolder("work")
        let site = root.appendingPathComponent("site")
        try fm.createDirectory(at: site, withIntermediateDirectories: true)
        for item in try fm.contentsOfDirectory(atPath: Repo.site("i18n").path) {
            try fm.copyItem(at: Repo.site("i18n").appendingPathComponent(item), to: site.appendingPathComponent(item))
        }
        for folder in ["templates", "translations", "static", ".git"] {
            try fm.createDirectory(at: site.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try Data("[core]\n".utf8).write(to: site.appendingPathComponent(".git/config"))
        let before = TestBuild.snapshot(site)
        let output = site.appendingPathComponent(relative).standardizedFileURL
        let result = TestBuild.build(site, into: output)
        #expect(!result.succeeded)
        #expect(errors(result).contains { $0.contains("the output folder") }, "\(errors(result))")
        #expect(TestBuild.snapshot(site) == before)
        #expect(fm.fileExists(atPath: site.appendingPathComponent(".git/config").path))
        #expect(!fm.fileExists(atPath: output.appendingPathComponent(OutputGuard.recordName).path))
    }

    /// `public -> /var/www/site`: written through, the link kept; a dangling link refused.
    @Test func anOutputLinkIsFollowedNeverReplaced() throws {
        let root = TestBuild.temporaryFolder("links")
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        let target = root.appendingPathComponent("www")
        try fm.createDirectory(at: target, withIntermediateDirectories: true)
        let link = root.appendingPathComponent("public")
        try fm.createSymbolicLink(atPath: link.path, withDestinationPath: target.path)
        for _ in 0..<2 {
            try #require(TestBuild.build(Repo.site("i18n"), into: link).succeeded)
            #expect(try fm.destinationOfSymbolicLink(atPath: link.path) == target.path, "the link is still a link")
            #expect(fm.fileExists(atPath: target.appendingPathComponent("en/index.html").path))
        }
        let dangling = root.appendingPathComponent("dangling")
        try fm.createSymbolicLink(atPath: dangling.path, withDestinationPath: root.appendingPathComponent("nowhere").path)
        let result = TestBuild.build(Repo.site("i18n"), into: dangling)
        #expect(!result.succeeded)
        #expect(errors(result).contains { $0.contains("does not exist") })
        #expect(try fm.destinationOfSymbolicLink(atPath: dangling.path) == root.appendingPathComponent("nowhere").path)
    }

    /// A folder at the staging path that Monarch did not write is refused, not emptied.
    @Test func aStagingFolderOfSomeoneElsesIsKept() throws {
        let output = TestBuild.temporaryFolder()
        let staging = OutputFolder(output).staging
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: staging.appendingPathComponent("notes.txt"))
        let result = TestBuild.build(Repo.site("i18n"), into: output)
        #expect(!result.succeeded)
        #expect(try String(contentsOf: staging.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
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

    @Test func zipEntryNamesThatLeaveTheirFolderAreRefused() {
        for name in ["top/../../x.html", "top/a\\..\\b.png", "/etc/x", "top/./a", "top/a\u{1B}b", "C:/x", "top//a"] {
            #expect(!PortableCopy.isSafeEntryName(name), "\(name)")
        }
        #expect(PortableCopy.isSafeEntryName("public-portable/th/สิทธิ/index.html"))
    }

    // MARK: - One build at a time (point 8)

    @Test func aSecondBuildWaitsForTheLockThenGivesUpClearly() throws {
        let output = TestBuild.temporaryFolder()
        let held = try OutputLock.acquire(for: output, wait: 1)
        let diagnostics = DiagnosticsEngine()
        var builder = SiteBuilder(siteFolder: Repo.site("i18n"), outputFolder: output, builtInTheme: Repo.root, diagnostics: diagnostics)
        builder.lockWait = 0.3
        #expect(builder.run() == nil)
        #expect(diagnostics.diagnostics.contains { $0.message.contains("another monarch build") })
        #expect(!fm.fileExists(atPath: output.path))
        withExtendedLifetime(held) {}
        _ = consume held
        #expect(TestBuild.build(Repo.site("i18n"), into: output).succeeded, "the lock is free once its holder ends")
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

    // MARK: - Quick rebuilds are atomic (point 3)

    /// A quick rebuild that cannot write one of its files (here a name too long for the file
    /// system; a full disk acts the same) leaves the output exactly as it was: the files before
    /// it in the list are not replaced one by one in the live folder.
    @Test func aQuickRebuildThatFailsHalfWayChangesNothing() throws {
        let site = TestBuild.temporaryFolder("site")
        try TestBuild.copyExampleSite(to: site)
        let output = site.appendingPathComponent("public")
        let diagnostics = DiagnosticsEngine()
        let builder = SiteBuilder(siteFolder: site, outputFolder: output, builtInTheme: Repo.root, diagnostics: diagnostics,
                                  purpose: .build(cache: true))
        try #require(builder.run() != nil)
        let before = TestBuild.snapshot(output)
        let cache = BuildCache(outputFolder: output)
        let record = try #require(cache.load())
        let files: [(path: String, data: Data)] = [
            ("en/index.html", Data("<p>new</p>".utf8)),
            ("zz/" + String(repeating: "x", count: 300) + ".html", Data("<p>new</p>".utf8)),
        ]
        #expect(!builder.writeQuickRebuild(files, record: record, cache: cache))
        #expect(TestBuild.snapshot(output) == before, "a failed quick rebuild changed the live output")
    }

    /// Quick rebuilds of a printed page killed at random moments: the output is always the
    /// last complete build or the new one, whole (page, search index and PDF together).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
    func killedQuickRebuildsLeaveOneWholeOutput() throws {
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

    // MARK: - Smaller ones (point 10)

    /// Under `umask 077` a web server must still read what a build publishes.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Repo.monarchBinary.path)))
    func filesArePublishedReadableWhateverTheUmask() throws {
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

    /// A one-character folder at the top of the output (`static/x/`) crashed the build.
    @Test func aOneCharacterTopFolderBuilds() throws {
        let site = TestBuild.temporaryFolder("site")
        try fm.createDirectory(at: site.appendingPathComponent("content/en"), withIntermediateDirectories: true)
        try fm.createDirectory(at: site.appendingPathComponent("static/x"), withIntermediateDirectories: true)
        try Data("title: T\nlanguages:\n  - {key: en, name: English}\n".utf8).write(to: site.appendingPathComponent("site.yaml"))
        try Data("# Home\n\nText.\n".utf8).write(to: site.appendingPathComponent("content/en/index.md"))
        try Data("x".utf8).write(to: site.appendingPathComponent("static/x/a.txt"))
        let result = TestBuild.build(site, into: site.appendingPathComponent("public"))
        #expect(result.succeeded, "\(result.diagnostics)")
        #expect(result.exists("x/a.txt"))
        #expect(OutputFolder.parent(of: "x/a.txt") == "x")
        #expect(OutputFolder.parent(of: "x") == "")
    }
}
