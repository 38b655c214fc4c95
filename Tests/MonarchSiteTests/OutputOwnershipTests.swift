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

    // MARK: - Smaller ones (point 10)

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
