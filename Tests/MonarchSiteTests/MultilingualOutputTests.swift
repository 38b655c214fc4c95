import Foundation
import TestSupport
import Testing
@testable import MonarchSite

/// PRODUCT.md's multilingual output, checked on the files a real build of the `i18n` fixture
/// writes: English and Thai real translations, Simplified Chinese with fallback pages.
@Suite("Multilingual output")
struct MultilingualOutputTests {
    static let build = TestBuild.build(Repo.site("i18n"))

    init() throws {
        try #require(Self.build.succeeded, "fixture failed: \(Self.build.diagnostics.map(\.description))")
    }

    var result: BuildResult { Self.build }

    @Test func writesEveryPageInEveryLanguage() {
        for key in ["en", "zh-hans", "th"] {
            for path in ["", "rights/", "rights/police/", "help/", "help/hotlines/"] where !(path == "help/") {
                #expect(result.exists("\(key)/\(path)index.html"), "missing \(key)/\(path)index.html")
            }
        }
        #expect(result.exists("index.html"))
        #expect(result.exists("404.html"))
        #expect(result.exists("sitemap.xml"))
        #expect(result.exists("assets/monarch.css"))
        #expect(result.exists("en/rights/map.png"), "a file beside a page is copied beside its output")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
    }

    @Test func htmlLangIsThePageLanguage() throws {
        #expect(try result.text("en/rights/police/index.html").contains("<html lang=\"en\""))
        #expect(try result.text("th/rights/police/index.html").contains("<html lang=\"th\""))
        #expect(try result.text("zh-hans/rights/police/index.html").contains("<html lang=\"zh-Hans\""))
    }

    @Test func hreflangListsRealTranslationsAndXDefault() throws {
        let html = try result.text("en/rights/police/index.html")
        let base = "https://example.org/fixture/"
        #expect(html.contains("hreflang=\"en\" href=\"\(base)en/rights/police/\""))
        #expect(html.contains("hreflang=\"th\" href=\"\(base)th/rights/police/\""))
        #expect(html.contains("hreflang=\"x-default\" href=\"\(base)\""))
        #expect(!html.contains("hreflang=\"zh-Hans\" href"), "the Chinese page is a fallback, not a translation")
    }

    @Test func switcherLinksTheSamePageInEachLanguageWithItsOwnLang() throws {
        let html = try result.text("en/rights/police/index.html")
        #expect(html.contains("href=\"../../../zh-hans/rights/police/\" lang=\"zh-Hans\""))
        #expect(html.contains("href=\"../../../th/rights/police/\" lang=\"th\""))
        #expect(html.contains(">简体中文</a>"))
        #expect(html.contains(">ไทย</a>"))
        #expect(html.contains("aria-current=\"page\""))
    }

    @Test func fallbackPageHasNoticeAndContentInSourceLanguage() throws {
        let html = try result.text("zh-hans/rights/police/index.html")
        #expect(html.contains("<html lang=\"zh-Hans\""), "the interface is in the page's language")
        #expect(html.contains("<div lang=\"en\""), "the content keeps its own language")
        #expect(html.contains("You can stay silent."))
        let notice = try #require(try translation("zh-hans", "not_translated"))
        #expect(html.contains(notice))
        // Not an alternate anywhere: not in its own head, not in the sitemap.
        #expect(!html.contains("hreflang=\"zh-Hans\" href"))
        #expect(!(try result.text("sitemap.xml")).contains("zh-hans/rights/police/"))
    }

    /// A fallback page points search engines at the original (issue #18, point 8); a
    /// translation names itself.
    @Test func fallbackPageIsCanonicallyTheOriginal() throws {
        let fallback = try result.text("zh-hans/rights/police/index.html")
        #expect(fallback.contains(#"<link rel="canonical" href="https://example.org/fixture/en/rights/police/">"#))
        let translated = try result.text("th/rights/police/index.html")
        #expect(translated.contains(#"<link rel="canonical" href="https://example.org/fixture/th/rights/police/">"#))
    }

    @Test func fallbackLinksToHeadingsGoToTheContentLanguage() throws {
        let html = try result.text("zh-hans/rights/police/index.html")
        #expect(html.contains("href=\"../../../en/help/hotlines/#peer-line\""))
    }

    @Test func rootIsTheLanguageChooser() throws {
        let html = try result.text("index.html")
        #expect(html.contains("href=\"en/\""))
        #expect(html.contains("href=\"zh-hans/\""))
        #expect(html.contains("href=\"th/\""))
        #expect(html.contains("lang=\"th\""))
        #expect(html.contains("ไทย"))
        #expect(html.contains("简体中文"))
    }

    @Test func sitemapHasAlternatesForRealTranslations() throws {
        let xml = try result.text("sitemap.xml")
        #expect(xml.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""))
        let entry = try #require(xml.components(separatedBy: "<url>").first {
            $0.contains("<loc>https://example.org/fixture/th/rights/police/</loc>")
        })
        #expect(entry.contains("hreflang=\"en\" href=\"https://example.org/fixture/en/rights/police/\""))
        #expect(entry.contains("hreflang=\"th\" href=\"https://example.org/fixture/th/rights/police/\""))
        #expect(entry.contains("hreflang=\"x-default\" href=\"https://example.org/fixture/\""))
        #expect(!entry.contains("zh-hans"))
    }

    @Test func notFoundPageSpeaksEveryLanguage() throws {
        let html = try result.text("404.html")
        for key in ["en", "zh-hans", "th"] {
            let title = try #require(try translation(key, "not_found_title"))
            #expect(html.contains(title))
        }
        #expect(html.contains("href=\"/fixture/th/\""), "404 links are absolute under base_url")
    }

    /// A string of the built-in translations (the repository's own translations/).
    func translation(_ key: String, _ name: String) throws -> String? {
        let text = try String(contentsOf: Repo.root.appendingPathComponent("translations/\(key).yaml"), encoding: .utf8)
        for line in text.split(separator: "\n") where line.hasPrefix("\(name):") {
            var value = line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            if value.hasPrefix("'"), value.hasSuffix("'") { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}

/// `fallback: omit`: a missing translation is not written; the switcher and links go elsewhere.
@Suite("Fallback omit")
struct FallbackOmitTests {
    @Test func missingTranslationsAreNotWritten() throws {
        let site = TestBuild.temporaryFolder("site")
        try FileManager.default.copyItem(at: Repo.site("i18n"), to: site)
        let config = site.appendingPathComponent("site.yaml")
        let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "fallback: source", with: "fallback: omit")
        try text.write(to: config, atomically: true, encoding: .utf8)
        let result = TestBuild.build(site)
        try #require(result.succeeded, "\(result.diagnostics.map(\.description))")
        #expect(!result.exists("zh-hans/rights/police/index.html"))
        #expect(!result.exists("th/help/hotlines/index.html"))
        // The switcher offers the language's home instead of a page that is not there.
        #expect(try result.text("en/rights/police/index.html").contains("href=\"../../../zh-hans/\" lang=\"zh-Hans\""))
        // A link to a page missing in Thai goes to the source language's page.
        #expect(try result.text("th/rights/police/index.html").contains("href=\"../../../en/help/hotlines/\""))
    }
}
