import Foundation
import TestSupport
import MonarchContent
import MonarchCore
import Testing
@testable import MonarchSite

/// `monarch build` after only the text of some pages changed (issue #7: one page edited, at
/// most 100 ms at 5 x 1000 pages) renders just the outputs that show those pages. It must
/// never change what is built: after every kind of edit, the output folder holds exactly the
/// files, byte for byte, and the build says exactly the diagnostics, of a build from scratch
/// into another folder; and the quick way is really taken when it can be.
@Suite("Quick rebuild", .serialized)
struct QuickRebuildTests {
    /// A copy of the repository's example site, built with the cache into `output`.
    final class Site: @unchecked Sendable {
        /// The copy and its editing, as the render memo's tests make them.
        let copy: RenderMemoTests.Site
        var folder: URL { copy.folder }
        let output: URL

        init() throws {
            copy = try RenderMemoTests.Site()
            output = copy.folder.deletingLastPathComponent().appendingPathComponent("public")
        }

        func edit(_ path: String, _ change: (String) -> String) throws { try copy.edit(path, change) }

        struct Run: Sendable {
            var succeeded: Bool
            var diagnostics: [String]
            var lines: [String]
            var kind: BuildSummary.Kind?
            var quick: Bool { if case .quick = kind { true } else { false } }
            var unchanged: Bool { kind == .unchanged }
        }

        /// Builds on a thread of its own, off Swift's cooperative pool: a build blocks its thread
        /// for seconds, and two of them on the pool's two threads starved the preview server's
        /// tests running beside them.
        func build(into folder: URL? = nil, cache: Bool = true, pamphlets: Bool = false) async -> Run {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(returning: self.buildHere(into: folder, cache: cache, pamphlets: pamphlets))
                }
            }
        }

        private func buildHere(into folder: URL?, cache: Bool, pamphlets: Bool) -> Run {
            let diagnostics = DiagnosticsEngine()
            var builder = SiteBuilder(siteFolder: self.folder, outputFolder: folder ?? output, builtInTheme: Repo.root,
                                      diagnostics: diagnostics, purpose: .build(cache: cache, pamphlets: pamphlets))
            let lines = Lines()
            builder.progress = { lines.append($0) }
            let summary = builder.run()
            return Run(succeeded: summary != nil, diagnostics: diagnostics.diagnostics.map(\.description), lines: lines.all,
                       kind: summary?.kind)
        }

        /// Builds with the cache, then from scratch into another folder, and checks that both
        /// give the same files and diagnostics. Returns the cached run.
        @discardableResult
        func buildAndCompare(pamphlets: Bool = false, _ comment: Comment) async -> Run {
            let run = await build(pamphlets: pamphlets)
            let fresh = TestBuild.temporaryFolder("fresh")
            let reference = await build(into: fresh, cache: false, pamphlets: pamphlets)
            #expect(run.succeeded == reference.succeeded, comment)
            #expect(run.diagnostics == reference.diagnostics, comment)
            let mine = TestBuild.snapshot(output), theirs = TestBuild.snapshot(fresh)
            #expect(Set(mine.keys).symmetricDifference(theirs.keys).sorted() == [], comment)
            let differing = mine.keys.filter { theirs[$0] != nil && mine[$0] != theirs[$0] }.sorted()
            #expect(differing.isEmpty, "\(comment): \(differing.prefix(5))")
            try? FileManager.default.removeItem(at: fresh.deletingLastPathComponent())
            return run
        }

        /// Files copied or written in the last 2 s are read again by every build (they could
        /// change again within the same tick of the clock); waiting lets the stamps be used.
        func letStampsSettle() async throws {
            try await Task.sleep(nanoseconds: 2_100_000_000)
        }
    }

    @Test func aChangedBodyRendersOnlyWhatShowsIt() async throws {
        let site = try Site()
        #expect(await site.build().succeeded)
        try await site.letStampsSettle()
        #expect(await site.build().unchanged)

        // A page in a translation, a page of the source language with translations that record
        // its hash (their "out of date" notice changes), a section's index, the home page, the
        // search page, a page in each other script.
        let pages = ["content/zh-hans/police/index.md", "content/en/police/your-phone.md", "content/en/police/police-stop.md", "content/en/index.md",
                     "content/en/search.md", "content/th/work/index.md", "content/ko/health/index.md",
                     "content/zh-hant/index.md", "content/en/safety.md"]
        for page in pages {
            guard FileManager.default.fileExists(atPath: site.folder.appendingPathComponent(page).path) else {
                Issue.record("the example site has no \(page)")
                continue
            }
            try site.edit(page) { $0 + "\nA sentence added by the quick rebuild test.\n" }
            let run = await site.buildAndCompare("after editing the text of \(page)")
            #expect(run.quick, "\(page): \(run.lines.filter { $0.hasPrefix("a full build") })")
        }
        let run = await site.buildAndCompare("after nothing changed")
        #expect(run.unchanged)
    }

    /// Issue #20: after a one-page edit the quick rebuild rewrites that page's file of the
    /// search index and the shards whose postings changed, not the language's whole index
    /// (it writes only files whose bytes differ).
    @Test func aOnePageEditRewritesOnlyTheShardsItChanges() async throws {
        let site = try Site()
        #expect(await site.build().succeeded)
        try await site.letStampsSettle()
        let before = TestBuild.snapshot(site.output).filter { $0.key.hasPrefix("search/") }
        try site.edit("content/th/work/index.md") { $0 + "\nคำใหม่ที่เพิ่มเข้ามาในหน้านี้\n" }
        let run = await site.build()
        #expect(run.quick, "\(run.lines.filter { $0.hasPrefix("a full build") })")
        let after = TestBuild.snapshot(site.output).filter { $0.key.hasPrefix("search/") }
        #expect(Set(after.keys) == Set(before.keys))
        let changed = after.keys.filter { before[$0] != after[$0] }.sorted()
        #expect(changed.allSatisfy { $0.hasPrefix("search/th/") }, "\(changed)")
        #expect(changed.filter { $0.hasPrefix("search/th/p/") }.count == 1, "\(changed)")
        // The manifest and every other page's file are left as they are; on a site this small
        // a sentence's keys reach most of its 8 shards, on a large one a few of hundreds.
        #expect(!changed.contains("search/th/index.json"))
        #expect(changed.contains { $0.hasPrefix("search/th/s/") }, "\(changed)")
    }

    @Test func anythingElseMeansAFullBuildWithTheSameOutput() async throws {
        let site = try Site()
        #expect(await site.build().succeeded)
        try await site.letStampsSettle()

        // A title, a heading (links to it are checked), the front matter, a new page, a removed
        // page, a template, an interface string: each a full build, each output exact.
        try site.edit("content/en/police/police-stop.md") { $0.replacingOccurrences(of: "title: ", with: "title: Changed ") }
        var run = await site.buildAndCompare("after a title changed")
        #expect(!run.quick && !run.unchanged)
        try site.edit("content/ko/health/index.md") { $0 + "\n## 새 제목\n\n본문.\n" }
        run = await site.buildAndCompare("after a heading was added")
        #expect(!run.quick)
        try site.edit("content/en/work/index.md") { $0.replacingOccurrences(of: #"weight: \d+"#, with: "weight: 99", options: .regularExpression) }
        run = await site.buildAndCompare("after the front matter changed")
        #expect(!run.quick)
        try Data("---\ntitle: New page\n---\n\nNew text.\n".utf8).write(to: site.folder.appendingPathComponent("content/en/police/new-page.md"))
        run = await site.buildAndCompare("after a page was added")
        #expect(!run.quick)
        try FileManager.default.removeItem(at: site.folder.appendingPathComponent("content/en/police/new-page.md"))
        run = await site.buildAndCompare("after a page was removed")
        #expect(!run.quick)
        try site.edit("templates/page.mustache") { $0 + "\n" }
        run = await site.buildAndCompare("after a template changed")
        #expect(!run.quick)
        // Then the text of a page again: the quick way once more.
        try await site.letStampsSettle()
        try site.edit("content/en/police/police-stop.md") { $0 + "\nOne more line.\n" }
        run = await site.buildAndCompare("after the text changed again")
        #expect(run.quick)
    }

    @Test func problemsInAChangedPageAreReportedAsByAFullBuild() async throws {
        let site = try Site()
        #expect(await site.build().succeeded)
        try await site.letStampsSettle()
        let before = TestBuild.snapshot(site.output)

        // A broken link is an error: the whole site is checked, the output stays as it was.
        try site.edit("content/en/police/police-stop.md") { $0 + "\nSee [nowhere](no-such-page.md).\n" }
        var run = await site.build()
        #expect(!run.succeeded)
        #expect(run.diagnostics.contains { $0.contains("content/en/police/police-stop.md:") && $0.contains("error:") }, "\(run.diagnostics)")
        #expect(TestBuild.snapshot(site.output) == before, "the previous output is untouched")

        // A warning (a page over the weight budget) comes and goes with the text that causes it.
        try site.edit("content/en/police/police-stop.md") { $0.replacingOccurrences(of: "\nSee [nowhere](no-such-page.md).\n", with: "") }
        #expect(await site.build().succeeded)
        try await site.letStampsSettle()
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<30_000).map { _ in String(UInt8.random(in: 10...35, using: &generator), radix: 36) }.joined()
        try site.edit("content/en/police/police-stop.md") { $0 + "\n\(noise)\n" }
        run = await site.buildAndCompare("after the page grew over the budget")
        #expect(run.quick)
        #expect(run.diagnostics.contains { $0.contains("content/en/police/police-stop.md") && $0.contains("over the") }, "\(run.diagnostics)")
        try await site.letStampsSettle()
        try site.edit("content/en/police/police-stop.md") { $0.replacingOccurrences(of: "\n\(noise)\n", with: "") }
        run = await site.buildAndCompare("after the page shrank again")
        #expect(run.quick)
        #expect(!run.diagnostics.contains { $0.contains("content/en/police/police-stop.md") && $0.contains("over the") })
    }

    @Test func aPageEditedTwiceInOneSecondIsReadBothTimes() async throws {
        let site = try Site()
        #expect(await site.build().succeeded)
        try await site.letStampsSettle()
        let page = "content/en/police/police-stop.md"
        // Two edits of the same size, each followed at once by a build: the second may share
        // the first's modification time, so a page changed in the last 2 s is never trusted by
        // its stamp.
        try site.edit(page) { $0 + "\nMarker AAAA.\n" }
        var run = await site.build()
        #expect(run.quick)
        try site.edit(page) { $0.replacingOccurrences(of: "Marker AAAA.", with: "Marker BBBB.") }
        run = await site.build()
        #expect(run.quick)
        let html = try String(contentsOf: site.output.appendingPathComponent("en/police/police-stop/index.html"), encoding: .utf8)
        #expect(html.contains("Marker BBBB.") && !html.contains("Marker AAAA."))
    }

    @Test func printedPagesAreReprintedAndATouchedOutputIsBuiltInFull() async throws {
        let site = try Site()
        #expect(await site.build(pamphlets: true).succeeded)
        try await site.letStampsSettle()
        // A page printed as a pamphlet, in a booklet, in bilingual PDFs and in a kit: the PDFs
        // that show it are printed again (with the other pages of the kit and the other halves
        // of the bilingual PDFs loaded for them), byte for byte as a full build prints them.
        let pdfsBefore = TestBuild.snapshot(site.output).filter { $0.key.hasSuffix(".pdf") }
        try site.edit("content/en/police/police-stop.md") { $0 + "\nA sentence for the pamphlet.\n" }
        var run = await site.buildAndCompare(pamphlets: true, "after a printed page changed")
        #expect(run.quick, "\(run.lines.filter { $0.hasPrefix("a full build") })")
        let pdfsAfter = TestBuild.snapshot(site.output).filter { $0.key.hasSuffix(".pdf") }
        let reprinted = pdfsAfter.keys.filter { pdfsBefore[$0] != pdfsAfter[$0] }.sorted()
        #expect(reprinted.contains("en/police/police-stop/police-stop.en.pdf") && reprinted.contains { $0.contains("outreach-bag") }, "\(reprinted)")
        #expect(reprinted.contains("th/police/police-stop/police-stop.th-en.pdf"), "the Thai-English PDF: \(reprinted)")
        #expect(!reprinted.contains { $0.contains("wallet-cards") || $0.contains("if-detained") }, "\(reprinted)")

        // A page with contact blocks: wallet cards gather every page's, so a full build.
        try await site.letStampsSettle()
        try site.edit("content/en/help/hotlines.md") { $0 + "\nA sentence beside the hotlines.\n" }
        run = await site.buildAndCompare(pamphlets: true, "after a page with contact blocks changed")
        #expect(!run.quick)

        // A page that is not printed: the quick way, pamphlets kept as they are.
        try await site.letStampsSettle()
        try site.edit("content/en/health/safer-work.md") { $0 + "\nA sentence only for the web.\n" }
        run = await site.buildAndCompare(pamphlets: true, "after a page that is not printed changed")
        #expect(run.quick, "\(run.lines.filter { $0.hasPrefix("a full build") })")

        // A page that shows an image (issue #19): a full build, its image copies from the cache.
        try await site.letStampsSettle()
        try site.edit("content/en/police/bylaw-inspections.md") { $0 + "\nA sentence only for the web.\n" }
        run = await site.buildAndCompare(pamphlets: true, "after a page with an image changed")
        #expect(run.lines.contains("a full build: content/en/police/bylaw-inspections.md shows an image"), "\(run.lines)")
        #expect(run.lines.contains { $0.hasPrefix("images: ") && $0.hasSuffix(", 0 made") }, "\(run.lines)")

        // An output file changed by hand is put back, even when a page changed too.
        let html = site.output.appendingPathComponent("en/index.html")
        try Data("tampered".utf8).write(to: html)
        try site.edit("content/en/police/your-phone.md") { $0 + "\nAnother sentence.\n" }
        run = await site.buildAndCompare(pamphlets: true, "after an output file was changed by hand")
        #expect(!run.quick)
        #expect(try String(contentsOf: html, encoding: .utf8) != "tampered")
    }
}

/// The page table of the build cache's record, as text: every summary comes back as it was
/// written, whatever its title or headings hold.
@Suite("Build cache text")
struct BuildCacheTextTests {
    @Test func summariesSurviveTheRoundTrip() async throws {
        let awkward = ["a\tb", "line\nbreak", "back\\slash", "\\0", "\\t", "unit\u{1F}sep", "\t\u{301}mark after a tab",
                       "\r\n", "", "สิทธิ", "생명과", "警察"]
        var sources: [BuildCache.Source] = []
        for (i, text) in awkward.enumerated() {
            let summary = PageSummary(languageKey: "th", path: "p/\(i)", kind: "page", sourcePath: "content/th/p/\(i)\(text).md",
                                      title: text, matterTitle: i % 2 == 0 ? text : nil, description: i % 3 == 0 ? nil : text,
                                      weight: i % 2 == 0 ? nil : -i, draft: false, pamphlet: i % 2 == 1, sourceHash: i % 4 == 0 ? text : nil,
                                      bodyLineOffset: i, headingIDs: i % 5 == 0 ? [] : [text, "x" + text, text + "y"],
                                      bodyHash: "0123456789ab", sourceDigest: String(repeating: "f", count: 64), hasContacts: i % 3 == 0)
            sources.append(BuildCache.Source(path: summary.sourcePath, stamp: i % 3 == 0 ? "" : "12 3.4 5.6 7 8", summary: summary))
            sources.append(BuildCache.Source(path: "content/th/draft\(i)\(text).md", stamp: "1 2 3", summary: nil))
        }
        let decoded = try #require(BuildCacheText.decode(BuildCacheText.encode(sources)))
        #expect(decoded.count == sources.count)
        for (a, b) in zip(decoded, sources) {
            #expect(a.path == b.path)
            #expect(a.stamp == b.stamp)
            #expect(a.summary == b.summary)
        }
        // Lines kept from the record are written back as they were.
        #expect(BuildCacheText.encode(decoded) == BuildCacheText.encode(sources))

        let search = ["en/a/index.html": ["digest", "[\"a\\tb\",\"line\\nbreak\"]"], "th/b\tc/index.html": ["d2", "x\ny\\z"]]
        #expect(BuildCacheText.decodeSearch(BuildCacheText.encode(search: search)) == search)
        #expect(BuildCacheText.decode("only\tthree\tfields\n") == nil, "a damaged record is not read")
    }

    @Test func aDamagedRecordMeansAFullBuild() async throws {
        let site = try QuickRebuildTests.Site()
        #expect(await site.build().succeeded)
        let record = site.output.deletingLastPathComponent().appendingPathComponent(".public.monarch-cache")
        var bytes = try Data(contentsOf: record)
        bytes.removeLast(100)
        try bytes.write(to: record)
        try site.edit("content/en/police/your-phone.md") { $0 + "\nA sentence.\n" }
        let run = await site.buildAndCompare("after the record was cut short")
        #expect(!run.quick && !run.unchanged)
    }
}
