import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// The per-language search index (issue #5) on the example site, built for real. The script's
/// matching rules are proved in a real browser by Tests/Browser; here: what the build writes.
@Suite("Search index")
struct SearchIndexTests {
    var result: BuildResult { ExampleSiteTests.build }

    struct Index: Decodable {
        var v: Int
        var lang: String
        var pages: [[String]]
    }

    func index(_ key: String) throws -> Index {
        try JSONDecoder().decode(Index.self, from: Data(contentsOf: result.output.appendingPathComponent("search/\(key).json")))
    }

    @Test(arguments: ExampleSiteTests.languages)
    func everyTranslatedPageIsIndexedAndNothingElse(key: String) throws {
        try #require(result.succeeded)
        let index = try index(key)
        #expect(index.v == 1)
        let tags = ["en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "ko": "ko", "th": "th"]
        #expect(index.lang == tags[key])
        let translated = FileList.files(in: Repo.root.appendingPathComponent("content/\(key)"))
            .filter { $0.hasSuffix(".md") && $0 != "search.md" }
            .map { $0 == "index.md" ? "" : ($0.hasSuffix("/index.md") ? String($0.dropLast("index.md".count)) : String($0.dropLast(3)) + "/") }
        let urls = index.pages.map { $0[0] }
        #expect(Set(urls) == Set(translated.map { "../\(key)/\($0)" }), "\(key): indexed pages differ from translated pages")
        #expect(urls.count == Set(urls).count)
        for page in index.pages {
            #expect(page.count == 4)
            #expect(!page[1].isEmpty, "\(page[0]) has no title")
            #expect(!page[3].isEmpty, "\(page[0]) has no text")
            #expect(result.exists(String(page[0].dropFirst(3)) + "index.html"), "\(page[0]) does not exist")
            #expect(page[3] == page[3].precomposedStringWithCanonicalMapping, "\(page[0]) is not NFC")
            #expect(!page[3].contains("  ") && !page[3].contains("\n\n"))
        }
    }

    @Test func fallbackPagesAndTheSearchPageAreLeftOut() throws {
        let korean = try index("ko").pages.map { $0[0] }
        #expect(!korean.contains("../ko/work/taxes/"), "a fallback page is not in the Korean index")
        #expect(!korean.contains("../ko/search/"))
        #expect(result.exists("ko/work/taxes/index.html"))
    }

    @Test func thaiMarksAndKoreanParticlesAreKeptAsWritten() throws {
        let thai = try index("th").pages.map { $0[3] }.joined(separator: "\n")
        #expect(thai.contains("สิทธิ"))
        #expect(!thai.contains("สทธ"), "no mark is dropped, so a query without marks finds nothing")
        let korean = try index("ko").pages.map { $0[3] }.joined(separator: "\n")
        #expect(korean.contains("생명이"), "the word with its particle, as written")
        let chinese = try index("zh-hans").pages.map { $0[3] }.joined(separator: "\n")
        #expect(chinese.contains("律师"))
    }

    @Test func firstSearchCostsAtMost35KilobytesInEveryLanguage() throws {
        let script = try Data(contentsOf: result.output.appendingPathComponent("assets/search.js"))
        let scriptSize = try #require(GzipSize.size(of: script))
        for key in ExampleSiteTests.languages {
            let data = try Data(contentsOf: result.output.appendingPathComponent("search/\(key).json"))
            let size = try #require(GzipSize.size(of: data))
            #expect(size + scriptSize <= 35 * 1024, "\(key): index \(size) + script \(scriptSize) bytes gzipped")
        }
    }

    @Test func normalizesToNFCAndCollapsesWhiteSpace() {
        #expect(SearchIndex.normalized("cafe\u{301}  au\tlait\n\n  next ") == "café au lait\nnext")
        #expect(SearchIndex.normalized("\u{1109}\u{1162}\u{11BC}\u{1106}\u{1167}\u{11BC}") == "생명", "Hangul jamo become syllables")
        #expect(SearchIndex.normalized("สิทธิ") == "สิทธิ", "Thai marks stay")
    }

    @Test func jsonStringsAreEscaped() throws {
        let text = "a \"quote\" \\ back\nline\u{1} \u{2028} 中文 ไทย"
        let quoted = JSONString.quoted(text)
        #expect(quoted.contains("中文 ไทย"), "UTF-8, not \\u escapes")
        let decoded = try JSONDecoder().decode([String].self, from: Data("[\(quoted)]".utf8))
        #expect(decoded == [text])
    }

    @Test func theSearchPageListsEveryPageWithoutJavaScript() throws {
        for key in ExampleSiteTests.languages {
            let html = try result.text("\(key)/search/index.html")
            #expect(html.contains("<div class=\"search\" id=\"search\" data-index=\"../../search/\(key).json\""))
            #expect(html.contains(" hidden>"), "\(key): the box waits for the script")
            #expect(html.contains("id=\"search-nojs\""))
            #expect(html.contains("<script src=\"../../assets/search.js\" defer></script>"))
            let listed = html.components(separatedBy: "class=\"all\"").last ?? ""
            for other in ["police/police-stop/", "health/testing/", "work/taxes/", "safety/"] {
                #expect(listed.contains("href=\"../\(other)\""), "\(key): the list of all pages lacks \(other)")
            }
            #expect(!listed.contains("href=\"./\""), "the search page does not list itself")
            #expect(!(try result.text("\(key)/police/police-stop/index.html")).contains("search.js"),
                    "only the search page loads the search script")
        }
    }

    @Test func reportNamesEveryLanguage() throws {
        let diagnostics = DiagnosticsEngine()
        let builder = SiteBuilder(siteFolder: Repo.root, outputFolder: TestBuild.temporaryFolder(), builtInTheme: Repo.root,
                                  diagnostics: diagnostics)
        let rendered = try #require(builder.render())
        let line = try #require(SearchIndex.report(rendered))
        for key in ExampleSiteTests.languages { #expect(line.contains(" \(key) "), "\(line)") }
        #expect(line.contains("search.js"))
    }

    @Test func searchFalseWritesNoIndexAndNoSearchLink() throws {
        let site = try SafetyTests.copyOfExampleSite(siteYAMLAddition: "search: false\n")
        let result = TestBuild.build(site)
        try #require(result.succeeded, "\(result.diagnostics.map(\.description))")
        #expect(!result.exists("search/en.json"))
        let page = try result.text("en/police/police-stop/index.html")
        #expect(!page.contains("class=\"find\""))
        let search = try result.text("en/search/index.html")
        #expect(!search.contains("id=\"search\""), "search.md is then an ordinary page")
    }
}
