import Foundation
import TestSupport
import Testing
@testable import MonarchSite

/// Markdown as it lands in pages: relative `.md` links, heading ids, safe defaults, CJK emphasis.
@Suite("Markdown in pages")
struct MarkdownOutputTests {
    var result: BuildResult { MultilingualOutputTests.build }

    @Test func linksToMarkdownFilesBecomeRelativePageLinks() throws {
        let home = try result.text("en/index.html")
        #expect(home.contains("href=\"rights/\""))
        #expect(home.contains("href=\"help/hotlines/#peer-line\""))
        let police = try result.text("en/rights/police/index.html")
        #expect(police.contains("href=\"../../help/hotlines/#peer-line\""))
        #expect(police.contains("href=\"#what-to-say\""))
        #expect(police.contains("src=\"../map-1.png\""))
        #expect(police.contains("alt=\"A map of the area\""))
    }

    @Test func linkToMissingTranslationGoesToItsFallback() throws {
        let html = try result.text("th/rights/police/index.html")
        #expect(html.contains("href=\"../../help/hotlines/\""))
        #expect(result.exists("th/help/hotlines/index.html"))
    }

    @Test func headingIDsKeepEveryLetterAndMarkAndAreUnique() throws {
        let thai = try result.text("th/rights/police/index.html")
        #expect(thai.contains("id=\"ข้อ-1-สิทธิ์ของคุณ\""), "Thai vowels and tone marks are kept")
        #expect(thai.contains("href=\"#%E0%B8%82"), "the link to the Thai heading is percent-encoded by cmark's href escaping")
        let english = try result.text("en/rights/police/index.html")
        #expect(english.contains("id=\"what-to-say\""))
        #expect(english.contains("id=\"what-to-say-1\""))
        let chinese = try result.text("zh-hans/help/hotlines/index.html")
        #expect(chinese.contains("id=\"同伴热线\""))
    }

    @Test func titleFallsBackToTheFirstLevelOneHeading() throws {
        #expect(try result.text("zh-hans/index.html").contains("<title>首页"))
        #expect(try result.text("en/rights/police/index.html").contains("<title>If the police stop you"))
    }

    @Test func rawHTMLAndUnsafeLinksAreLeftOut() throws {
        let html = try result.text("en/rights/police/index.html")
        #expect(!html.contains("<script>alert"))
        // A comment is left out without a word; RawHTMLTests has the elements and warnings.
        #expect(!html.contains("in a comment"))
        #expect(!html.contains("raw HTML omitted"))
    }

    @Test func cjkEmphasisNextToPunctuation() throws {
        #expect(try result.text("zh-hans/index.html").contains("<strong>重要。</strong>之后"))
    }
}

@Suite("Files beside pages")
struct AssetFallbackTests {
    @Test func aTranslationMayUseTheSourceLanguagesImage() throws {
        let site = TestBuild.temporaryFolder("site")
        try FileManager.default.copyItem(at: Repo.site("i18n"), to: site)
        try "---\ntitle: ถ้าตำรวจเรียกตรวจ\n---\n![แผนที่](map.png)\n".write(
            to: site.appendingPathComponent("content/th/rights/police.md"), atomically: true, encoding: .utf8)
        let result = TestBuild.build(site)
        try #require(result.succeeded, "\(result.diagnostics.map(\.description))")
        #expect(try result.text("th/rights/police/index.html").contains("src=\"../../../en/rights/map-1.png\""))
    }
}
