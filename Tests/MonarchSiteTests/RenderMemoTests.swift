import Foundation
import TestSupport
import MonarchCore
import Testing
@testable import MonarchSite

/// The preview's memo (issue #4) must never change what is built: after every kind of edit,
/// a render that reuses the previous build's work gives exactly the files and diagnostics of
/// a render from scratch, and it redoes only the pages the edit affects.
@Suite("Render memo")
struct RenderMemoTests {
    /// A copy of the repository's example site, without pamphlets (the preview prints none).
    final class Site {
        let folder: URL

        init() throws {
            folder = TestBuild.temporaryFolder("site")
            try TestBuild.copyExampleSite(to: folder)
        }

        func edit(_ path: String, _ change: (String) -> String) throws {
            let url = folder.appendingPathComponent(path)
            let text = try String(contentsOf: url, encoding: .utf8)
            let changed = change(text)
            #expect(changed != text, "the edit of \(path) changes it")
            try Data(changed.utf8).write(to: url)
        }

        func write(_ path: String, _ text: String) throws {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func remove(_ path: String) throws {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(path))
        }

        struct Output: Equatable {
            var files: [String: Data]
            var copies: [String: String]
            var diagnostics: [String]
        }

        func render(memo: RenderMemo?) -> Output {
            let diagnostics = DiagnosticsEngine()
            // Without a memo: a build without pamphlets (the preview prints none).
            let builder = SiteBuilder(siteFolder: folder, builtInTheme: Repo.root, diagnostics: diagnostics,
                                      purpose: memo.map { .preview($0) } ?? .build(pamphlets: false))
            let rendered = builder.render()
            var files: [String: Data] = [:]
            var copies: [String: String] = [:]
            for file in rendered?.files ?? [] { files[file.path] = file.data }
            for copy in rendered?.copies ?? [] { copies[copy.path] = copy.source.path }
            return Output(files: files, copies: copies, diagnostics: diagnostics.diagnostics.map(\.description))
        }
    }

    /// Renders with the memo and from scratch; they must agree. Returns the memo's counts.
    @discardableResult
    func agree(_ site: Site, _ memo: RenderMemo, _ label: String) -> String {
        let remembered = site.render(memo: memo)
        let counts = memo.takeCounts()
        let fresh = site.render(memo: nil)
        #expect(remembered.diagnostics == fresh.diagnostics, "\(label): diagnostics")
        #expect(remembered.copies == fresh.copies, "\(label): copied files")
        #expect(Set(remembered.files.keys) == Set(fresh.files.keys), "\(label): file list")
        for (path, data) in fresh.files.sorted(by: { $0.key < $1.key }) where remembered.files[path] != data {
            let old = String(decoding: remembered.files[path] ?? Data(), as: UTF8.self).split(separator: "\n")
            let new = String(decoding: data, as: UTF8.self).split(separator: "\n")
            let first = zip(old, new).first { $0 != $1 }.map { "memo: \($0.0)\nfresh: \($0.1)" } ?? ""
            Issue.record("\(label): \(path) differs from a build without the memo\n\(first)")
        }
        return counts
    }

    /// `output 3/92` -> (hits 3, misses 92) for one step.
    func count(_ counts: String, _ step: String) -> (hits: Int, misses: Int) {
        let parts = counts.split(separator: " ").map(String.init)
        guard let i = parts.firstIndex(of: step), i + 1 < parts.count else { return (-1, -1) }
        let numbers = parts[i + 1].split(separator: "/").compactMap { Int($0) }
        return (numbers[0], numbers[1])
    }

    @Test func everyKindOfEditGivesTheSameOutputAsAFullBuild() throws {
        let site = try Site()
        let memo = RenderMemo()
        let first = agree(site, memo, "first build")
        #expect(count(first, "output").hits == 0)
        let pages = count(first, "output").misses
        #expect(pages > 80, "\(first)")

        // Nothing changed: nothing is parsed or rendered again.
        var counts = agree(site, memo, "no change")
        #expect(count(counts, "pages") == (count(first, "pages").misses, 0), "\(counts)")
        #expect(count(counts, "output") == (pages, 0), "\(counts)")
        #expect(count(counts, "theme").misses == 0 && count(counts, "strings").misses == 0, "\(counts)")

        // A body edit of a translation: that page alone.
        try site.edit("content/th/police/police-stop.md") { $0 + "\nเพิ่มเติม\n" }
        counts = agree(site, memo, "Thai body")
        #expect(count(counts, "pages").misses == 1, "\(counts)")
        #expect(count(counts, "output").misses == 1, "\(counts)")

        // A body edit of the source language: the page, its fallbacks (ko and th lack
        // work/taxes), whose content it is, and its two Chinese translations, which now show
        // the notice that they are out of date.
        try site.edit("content/en/work/taxes.md") { $0 + "\nOne more line.\n" }
        counts = agree(site, memo, "English body with fallbacks")
        #expect(count(counts, "output").misses == 5, "\(counts)")

        // A title: the page, the list of its section, and nothing unrelated.
        try site.edit("content/en/police/police-stop.md") {
            $0.replacingOccurrences(of: "title: If the police stop you", with: "title: When the police stop you")
        }
        counts = agree(site, memo, "title")
        #expect(count(counts, "output").misses >= 2 && count(counts, "output").misses < 20, "\(counts)")

        // A new page, then its removal.
        try site.write("content/ko/work/taxes.md", "---\ntitle: 세금\n---\n세금 신고에 대한 안내입니다.\n")
        agree(site, memo, "new translation")
        try site.remove("content/ko/work/taxes.md")
        agree(site, memo, "removed translation")

        // Templates and interface strings: everything that uses them.
        try site.edit("templates/partials/footer.mustache") { $0 + "\n<!-- edited -->\n" }
        counts = agree(site, memo, "template")
        #expect(count(counts, "theme").misses == 1, "\(counts)")
        try site.edit("translations/th.yaml") {
            $0.replacingOccurrences(of: "home: \"หน้าแรก\"", with: "home: \"หน้าหลัก\"")
        }
        counts = agree(site, memo, "interface string")
        #expect(count(counts, "strings").misses == 1, "\(counts)")
        #expect(count(counts, "output").misses > 5, "every Thai page shows the string")

        // site.yaml, a broken page (errors reported as a full build reports them), its repair.
        try site.edit("site.yaml") { $0 + "\nstale_notice: false\n" }
        agree(site, memo, "site.yaml")
        try site.edit("content/en/help/hotlines.md") { $0.replacingOccurrences(of: "title:", with: "titel:") }
        let broken = site.render(memo: memo)
        #expect(broken.files.isEmpty)
        #expect(broken.diagnostics.contains { $0.contains("content/en/help/hotlines.md") && $0.contains("titel") })
        agree(site, memo, "broken page")
        try site.edit("content/en/help/hotlines.md") { $0.replacingOccurrences(of: "titel:", with: "title:") }
        agree(site, memo, "repaired page")
    }

    /// A save reads the saved page only: the others are found by their stamp (size, times,
    /// inode), as the build cache finds them, and their text is not read again.
    @Test func aOnePageEditReadsThatPageAlone() throws {
        let site = try Site()
        let memo = RenderMemo()
        // The copy's files were just written: their stamps are not trusted until the clock's
        // second is 2 past theirs (the racy-clean rule), so every page is read.
        let first = agree(site, memo, "first build")
        let pages = count(first, "pages").misses
        #expect(count(first, "stamps") == (0, pages), "\(first)")
        Thread.sleep(forTimeInterval: 3.1)
        // Now old enough: read once more to record the stamps that can be trusted.
        agree(site, memo, "stamps trusted")

        try site.edit("content/th/police/police-stop.md") { $0 + "\nเพิ่มเติม\n" }
        let counts = agree(site, memo, "Thai body")
        #expect(count(counts, "stamps") == (pages - 1, 1), "only the saved page is read: \(counts)")
        #expect(count(counts, "pages") == (pages - 1, 1), "\(counts)")
        #expect(count(counts, "output").misses == 1, "\(counts)")

        // A page saved with the same text but a new stamp is read, found unchanged, not parsed.
        try site.edit("content/en/work/taxes.md") { $0 + " " }
        try site.edit("content/en/work/taxes.md") { String($0.dropLast()) }
        let resaved = agree(site, memo, "saved unchanged")
        #expect(count(resaved, "stamps").misses == 2, "the saved page and the Thai one, still too recent: \(resaved)")
        #expect(count(resaved, "pages").misses == 0, "\(resaved)")
        #expect(count(resaved, "output").misses == 0, "\(resaved)")
    }

    @Test func templateValuesKeyTellsEveryDifferenceApart() {
        let base: [String: Any] = ["title": "a", "flag": true, "list": [["x": "1"], ["x": "2"]], "t": ["k": "v"]]
        let key = TemplateValues.key(base)
        #expect(key != nil)
        #expect(TemplateValues.key(base) == key, "stable")
        var other = base
        other["title"] = "b"
        #expect(TemplateValues.key(other) != key)
        other = base
        other["flag"] = false
        #expect(TemplateValues.key(other) != key)
        other = base
        other["list"] = [["x": "1"]]
        #expect(TemplateValues.key(other) != key)
        other = base
        other["t"] = ["k": "w"]
        #expect(TemplateValues.key(other) != key)
        // Lengths are written out: "ab"+"c" is not "a"+"bc".
        #expect(TemplateValues.key(["a": "ab", "b": "c"]) != TemplateValues.key(["a": "a", "b": "bc"]))
        // An unknown kind of value is never keyed (the page is always rendered).
        #expect(TemplateValues.key(["when": Date()]) == nil)
    }

    /// Issue #16, point 5: the preview finds what a save changed as `monarch build` does with its
    /// cache, and lays just those files over the last build's; after every edit, what it shows
    /// is what a build from scratch makes.
    @Test func thePreviewRebuildsOnlyWhatASaveChanged() throws {
        let site = try Site()
        let memo = RenderMemo()
        var shown: [String: Data] = [:]
        func preview() -> BuildSummary.Kind? {
            let builder = SiteBuilder(siteFolder: site.folder, builtInTheme: Repo.root, diagnostics: DiagnosticsEngine(),
                                      purpose: .preview(memo))
            guard let (made, summary) = builder.renderForPreview() else { return nil }
            switch made {
            case .whole(let rendered):
                shown = [:]
                for file in rendered.files { shown[file.path] = file.data }
            case .changed(let files):
                for file in files { shown[file.path] = file.data }
            case .unchanged:
                break
            }
            return summary.kind
        }
        #expect(preview() == .full)
        #expect(preview() == .unchanged)
        let edits: [(String, (String) -> String, BuildSummary.Kind)] = [
            // An English page no other language has: the fallback pages show its text too.
            ("content/en/work/taxes.md", { $0 + "\nOne more line.\n" }, .quick(pages: 5)),
            ("content/th/police/police-stop.md", { $0 + "\nเพิ่มเติม\n" }, .quick(pages: 1)),
            ("content/zh-hans/police/police-stop.md", { $0 + "\n再多一句。\n" }, .quick(pages: 1)),
            // A source page whose translations note the version they were made from: their
            // "out of date" notices are redone with it.
            ("content/en/police/police-stop.md", { $0 + "\nA new sentence.\n" }, .quick(pages: 5)),
            ("content/en/work/taxes.md", { $0.replacingOccurrences(of: "title: ", with: "title: New ") }, .full),
            ("templates/partials/footer.mustache", { $0 + "\n<!-- edited -->\n" }, .full),
        ]
        var kinds: [BuildSummary.Kind?] = []
        for (path, change, _) in edits {
            try site.edit(path, change)
            kinds.append(preview())
            let scratch = site.render(memo: nil)
            #expect(shown == scratch.files, "after editing \(path): \(Set(shown.keys).symmetricDifference(scratch.files.keys).sorted().prefix(3)), \(shown.keys.filter { shown[$0] != scratch.files[$0] }.sorted().prefix(3))")
        }
        #expect(kinds == edits.map(\.2))
    }
}
