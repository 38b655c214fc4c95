import Foundation
import TestSupport
import Testing
import MonarchContent
import MonarchCore
@testable import MonarchSite

/// `source_hash` staleness: status states, `--mark`'s edit, and the reader's notice.
@Suite("Translation status")
struct TranslationStatusTests {
    /// A private copy of the i18n fixture to edit.
    func copyOfFixture() throws -> URL {
        let site = TestBuild.temporaryFolder("site")
        try FileManager.default.copyItem(at: Repo.site("i18n"), to: site)
        return site
    }

    func status(_ site: URL) throws -> TranslationStatus {
        let diagnostics = DiagnosticsEngine()
        return try #require(SiteBuilder(siteFolder: site, builtInTheme: Repo.root, diagnostics: diagnostics).translationStatus())
    }

    func state(_ status: TranslationStatus, _ key: String, _ path: String) -> TranslationStatus.State? {
        status.entries.first { $0.languageKey == key && $0.path == path }?.state
    }

    @Test func everyStateFromRealFiles() throws {
        let site = try copyOfFixture()
        var report = try status(site)
        #expect(state(report, "en", "rights/police") == .source)
        #expect(state(report, "th", "rights/police") == .untracked)
        #expect(state(report, "zh-hans", "rights/police") == .missing)
        #expect(report.summary(languageKey: "zh-hans")[.missing] == 1)

        // Mark the Thai page as translated from the English page as it is now.
        let thai = site.appendingPathComponent("content/th/rights/police.md")
        let english = site.appendingPathComponent("content/en/rights/police.md")
        let hash = SourceHash.of(body: FrontMatter.split(try String(contentsOf: english, encoding: .utf8)).body)
        let before = try String(contentsOf: thai, encoding: .utf8)
        let marked = FrontMatterEditor.setting("source_hash", to: hash, in: before)
        try marked.write(to: thai, atomically: true, encoding: .utf8)
        report = try status(site)
        #expect(state(report, "th", "rights/police") == .current)

        // The English page changes: the Thai translation is now stale, and readers are told.
        try (try String(contentsOf: english, encoding: .utf8) + "\nA new paragraph.\n").write(to: english, atomically: true, encoding: .utf8)
        report = try status(site)
        #expect(state(report, "th", "rights/police") == .stale)
        let result = TestBuild.build(site)
        try #require(result.succeeded)
        let page = try result.text("th/rights/police/index.html")
        #expect(page.contains("href=\"../../../en/rights/police/\" hreflang=\"en\""))
        #expect(page.contains("อ่านต้นฉบับล่าสุด"), "the Thai notice's link text")
        #expect(!(try result.text("th/rights/index.html")).contains("อ่านต้นฉบับล่าสุด"), "a page with no source_hash gets no notice")

        // The notice can be turned off.
        let config = site.appendingPathComponent("site.yaml")
        try (try String(contentsOf: config, encoding: .utf8) + "stale_notice: false\n").write(to: config, atomically: true, encoding: .utf8)
        let quiet = TestBuild.build(site)
        #expect(!(try quiet.text("th/rights/police/index.html")).contains("อ่านต้นฉบับล่าสุด"))
    }

    @Test func hashIsOfTheBodyWithLFLineEndings() {
        #expect(SourceHash.of(body: "Hello\n") == "66a045b452102c59d840ec097d59d9467e13a3f34f6494e539ffd32c1bb35f18".prefix(12))
        #expect(SourceHash.of(body: "a\nb\n").count == 12)
    }

    @Test(arguments: [
        ("---\ntitle: T\n---\nBody\n", "---\ntitle: T\nsource_hash: abc\n---\nBody\n"),
        ("---\ntitle: T\nsource_hash: old\nweight: 2\n---\nBody\n", "---\ntitle: T\nsource_hash: abc\nweight: 2\n---\nBody\n"),
        ("Body only\n", "---\nsource_hash: abc\n---\nBody only\n"),
        ("---\r\ntitle: T\r\n---\r\nBody\r\n", "---\r\ntitle: T\r\nsource_hash: abc\r\n---\r\nBody\r\n"),
    ])
    func markChangesNothingElse(before: String, after: String) {
        #expect(FrontMatterEditor.setting("source_hash", to: "abc", in: before) == after)
    }

    /// A renamed section folder (issue #18, point 1): `git mv` makes no folder, so the command
    /// the orphan warning gives makes it first, and works as printed.
    @Test func theMoveAnOrphanWarningGivesMakesTheNewFolder() throws {
        let site = try copyOfFixture()
        let fm = FileManager.default
        let thai = site.appendingPathComponent("content/th/rights/police.md")
        let english = site.appendingPathComponent("content/en/rights/police.md")
        let hash = SourceHash.of(body: FrontMatter.split(try String(contentsOf: english, encoding: .utf8)).body)
        try FrontMatterEditor.setting("source_hash", to: hash, in: try String(contentsOf: thai, encoding: .utf8))
            .write(to: thai, atomically: true, encoding: .utf8)
        try fm.createDirectory(at: site.appendingPathComponent("content/en/know"), withIntermediateDirectories: true)
        try fm.moveItem(at: english, to: site.appendingPathComponent("content/en/know/police.md"))
        try fm.copyItem(at: site.appendingPathComponent("content/en/rights/map.png"), to: site.appendingPathComponent("content/en/know/map.png"))
        let result = TestBuild.build(site, write: false)
        let orphan = result.diagnostics.map(\.description).filter { $0.hasPrefix("content/th/rights/police.md: warning:") }
        #expect(orphan.count == 1 && orphan[0].hasSuffix("move it there with "
            + "'mkdir -p content/th/know && git mv content/th/rights/police.md content/th/know/police.md'"), "\(result.diagnostics)")
    }
}
