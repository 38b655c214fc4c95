import Foundation
import TestSupport
import MonarchCore
import Testing
@testable import MonarchSite

/// `monarch build`'s cache (issue #7): a build with no changed input keeps the output as it
/// is and says the same things; any changed byte of input, any touched output file or any
/// other option means a full build.
@Suite("Build cache")
struct BuildCacheTests {
    final class Fixture {
        let site: URL
        let output: URL

        init() throws {
            let root = TestBuild.temporaryFolder("root")
            site = root.appendingPathComponent("site")
            output = root.appendingPathComponent("public")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Repo.site("i18n"), to: site)
            // A warning, so that a cached build must repeat it: a page over the weight budget.
            var generator = SystemRandomNumberGenerator()
            let noise = (0..<24_000).map { _ in String(UInt8.random(in: 10...35, using: &generator), radix: 36) }.joined()
            try write("content/en/warned.md", "---\ntitle: Warned\n---\n\(noise)\n")
        }

        func write(_ path: String, _ text: String) throws {
            let url = site.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        struct Run {
            var summary: BuildSummary?
            var diagnostics: [String]
            var cached: Bool
        }

        func build(pamphlets: Bool = false) -> Run {
            let diagnostics = DiagnosticsEngine()
            let builder = SiteBuilder(siteFolder: site, outputFolder: output, builtInTheme: Repo.root, diagnostics: diagnostics,
                                      purpose: .build(cache: true, pamphlets: pamphlets))
            let summary = builder.run()
            return Run(summary: summary, diagnostics: diagnostics.diagnostics.map(\.description),
                       cached: summary?.kind == .unchanged)
        }

        /// Every output file's inode and bytes: an untouched output keeps both.
        func state() -> [String: String] {
            var files: [String: String] = [:]
            for path in FileList.files(in: output) {
                let url = output.appendingPathComponent(path)
                let inode = (try? FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber]) as? UInt64
                files[path] = "\(inode ?? 0) \((try? Data(contentsOf: url))?.count ?? -1)"
            }
            return files
        }
    }

    @Test func anUnchangedSiteIsNotBuiltAgain() throws {
        let fixture = try Fixture()
        let first = fixture.build()
        #expect(first.summary != nil && !first.cached)
        #expect(first.diagnostics.contains { $0.contains("warning") }, "\(first.diagnostics)")
        let cacheFile = fixture.output.deletingLastPathComponent().appendingPathComponent(".public.monarch-cache")
        #expect(FileManager.default.fileExists(atPath: cacheFile.path), "the record sits beside the output")
        #expect(!FileList.files(in: fixture.output).contains { $0.contains("monarch-cache") }, "never inside it")
        let before = fixture.state()

        let second = fixture.build()
        #expect(second.cached)
        #expect(second.diagnostics == first.diagnostics, "a cached build warns as the full one did")
        #expect(second.summary?.pages == first.summary?.pages)
        #expect(second.summary?.files == first.summary?.files)
        #expect(fixture.state() == before, "the output is kept as it is: same files, same inodes")
    }

    @Test func anyChangeMeansAFullBuild() throws {
        let fixture = try Fixture()
        #expect(fixture.build().summary != nil)
        #expect(fixture.build().cached)

        // One byte of one page.
        let page = fixture.site.appendingPathComponent("content/en/index.md")
        try Data((try String(contentsOf: page, encoding: .utf8) + "\nMore.\n").utf8).write(to: page)
        var run = fixture.build()
        #expect(!run.cached)
        #expect(try String(contentsOf: fixture.output.appendingPathComponent("en/index.html"), encoding: .utf8).contains("More."))
        #expect(fixture.build().cached)

        // An output file edited or removed by hand is put back.
        let html = fixture.output.appendingPathComponent("en/index.html")
        let built = try Data(contentsOf: html)
        try Data("tampered".utf8).write(to: html)
        run = fixture.build()
        #expect(!run.cached)
        #expect(try Data(contentsOf: html) == built)
        try FileManager.default.removeItem(at: html)
        #expect(!fixture.build().cached)
        #expect(FileManager.default.fileExists(atPath: html.path))

        // A new file in a folder the build reads, and other options.
        try fixture.write("static/robots.txt", "User-agent: *\n")
        #expect(!fixture.build().cached)
        #expect(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("robots.txt").path))
        #expect(!fixture.build(pamphlets: true).cached)
        #expect(fixture.build(pamphlets: true).cached)

        // A new error is found even though nothing else changed: a link out of the site.
        try FileManager.default.createSymbolicLink(atPath: fixture.site.appendingPathComponent("static/passwd").path,
                                                   withDestinationPath: "/etc/passwd")
        run = fixture.build(pamphlets: true)
        #expect(run.summary == nil)
        #expect(run.diagnostics.contains { $0.hasPrefix("static/passwd: error: symbolic link to /etc/passwd") }, "\(run.diagnostics)")
    }

    /// The output's stamps are taken of the files and folders the last build wrote, without
    /// reading any folder: a file added anywhere shows in its folder's times, a file put back
    /// with its old size and modification time in its change time and inode.
    @Test func anOutputTouchedAnywhereMeansAFullBuild() throws {
        let fixture = try Fixture()
        #expect(fixture.build().summary != nil)
        #expect(fixture.build().cached)
        let manager = FileManager.default
        for stray in ["stray.html", "en/stray.html", "en/new/stray.html"] {
            let url = fixture.output.appendingPathComponent(stray)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("stray".utf8).write(to: url)
            #expect(!fixture.build().cached, "\(stray)")
            #expect(!manager.fileExists(atPath: url.path), "\(stray) is removed by the full build")
            #expect(fixture.build().cached)
        }
        // The same size and modification time, other bytes.
        let html = fixture.output.appendingPathComponent("en/index.html")
        let built = try Data(contentsOf: html)
        let modified = try #require(try manager.attributesOfItem(atPath: html.path)[.modificationDate] as? Date)
        try Data(repeating: UInt8(ascii: "x"), count: built.count).write(to: html)
        try manager.setAttributes([.modificationDate: modified], ofItemAtPath: html.path)
        #expect(!fixture.build().cached)
        #expect(try Data(contentsOf: html) == built)
        // A folder removed.
        try manager.removeItem(at: fixture.output.appendingPathComponent("assets"))
        #expect(!fixture.build().cached)
        #expect(manager.fileExists(atPath: fixture.output.appendingPathComponent("assets/monarch.css").path))
    }
}
