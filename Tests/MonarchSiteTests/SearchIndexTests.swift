import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// The per-language search index (issues #5 and #20) on the example site, built for real. The
/// script's matching rules are proved in a real browser by Tests/Browser (with the results of
/// the single index it replaced); here: what the build writes.
@Suite("Search index")
struct SearchIndexTests {
    var result: BuildResult { ExampleSiteTests.build }

    struct Manifest: Decodable {
        var v: Int
        var lang: String
        var pages: Int
        var shards: Int
    }

    struct Index {
        var v: Int
        var lang: String
        var shards: Int
        /// Each page's file: address, title, description, text.
        var pages: [[String]]
    }

    static func index(_ key: String, in output: URL) throws -> Index {
        let folder = output.appendingPathComponent("search/\(key)")
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: folder.appendingPathComponent("index.json")))
        let pages = try (0..<manifest.pages).map { n in
            try JSONDecoder().decode([String].self, from: Data(contentsOf: folder.appendingPathComponent("p/\(n).json")))
        }
        return Index(v: manifest.v, lang: manifest.lang, shards: manifest.shards, pages: pages)
    }

    func index(_ key: String) throws -> Index { try Self.index(key, in: result.output) }

    /// A shard as the script reads it.
    func shard(_ key: String, _ n: Int) throws -> [String: Any] {
        let data = try Data(contentsOf: result.output.appendingPathComponent("search/\(key)/s/\(n).json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(arguments: ExampleSiteTests.languages)
    func everyTranslatedPageIsIndexedAndNothingElse(key: String) throws {
        try #require(result.succeeded)
        let index = try index(key)
        #expect(index.v == 2)
        let tags = ["en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "ko": "ko", "th": "th"]
        #expect(index.lang == tags[key])
        let translated = FileList.files(in: Repo.root.appendingPathComponent("content/\(key)"))
            .filter { $0.hasSuffix(".md") && $0 != "search.md" }
            .map { $0 == "index.md" ? "" : ($0.hasSuffix("/index.md") ? String($0.dropLast("index.md".count)) : String($0.dropLast(3)) + "/") }
        let urls = index.pages.map { $0[0] }
        #expect(Set(urls) == Set(translated.map { "../../\(key)/\($0)" }), "\(key): indexed pages differ from translated pages")
        #expect(urls.count == Set(urls).count)
        for page in index.pages {
            #expect(page.count == 4)
            #expect(!page[1].isEmpty, "\(page[0]) has no title")
            #expect(!page[3].isEmpty, "\(page[0]) has no text")
            #expect(result.exists(String(page[0].dropFirst(6)) + "index.html"), "\(page[0]) does not exist")
            #expect(page[3] == page[3].precomposedStringWithCanonicalMapping, "\(page[0]) is not NFC")
            #expect(!page[3].contains("  ") && !page[3].contains("\n\n"))
        }
    }

    @Test func fallbackPagesAndTheSearchPageAreLeftOut() throws {
        let korean = try index("ko").pages.map { $0[0] }
        #expect(!korean.contains("../../ko/work/taxes/"), "a fallback page is not in the Korean index")
        #expect(!korean.contains("../../ko/search/"))
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

    /// Every key of every page is in the shard its hash names, with that page: a word at the
    /// start of a word (`p`, `w`), a Thai cluster with its marks and a Korean or Chinese pair.
    @Test(arguments: ExampleSiteTests.languages)
    func everyKeyIsInTheShardItsHashNames(key: String) throws {
        let index = try index(key)
        var shards: [Int: [String: Any]] = [:]
        for (n, page) in index.pages.enumerated() {
            var keys: [String] = []
            for field in page.dropFirst() { SearchTerms.keys(of: field) { found, _ in keys.append(found.string) } }
            for found in Set(keys) {
                let isWord = found.hasPrefix("w")
                let lookup = isWord ? String(found.prefix { $0 != " " }) : found
                let shardNumber = SearchTerms.shard(of: lookup, count: index.shards)
                if shards[shardNumber] == nil { shards[shardNumber] = try shard(key, shardNumber) }
                var posting: [Int]
                if isWord {
                    let word = String(found.drop { $0 != " " }.dropFirst())
                    let entries = try #require(shards[shardNumber]?[lookup] as? [[Any]])
                    posting = try #require(entries.first { $0[0] as? String == word }?[1] as? [Int])
                } else {
                    posting = try #require(shards[shardNumber]?[found] as? [Int], "\(key): \(found) is not in shard \(shardNumber)")
                }
                var page = 0
                var pages: [Int] = []
                for i in stride(from: 0, to: posting.count, by: 2) {
                    page += posting[i]
                    pages.append(page)
                }
                #expect(pages.contains(n), "\(key): \(found) lacks page \(n)")
            }
        }
        let keys = { (text: String) -> Set<String> in
            var all: Set<String> = []
            SearchTerms.keys(of: text) { found, _ in all.insert(found.string) }
            return all
        }
        #expect(keys("สิทธิ").contains("bสิ ท") && keys("สิทธิ").contains("bท ธิ") && !keys("สิทธิ").contains("bท ธ"))
        #expect(keys("สิทธิ").contains("tสิ ท ธิ") && keys("移民局").contains("t移 民 局"))
        #expect(keys("생명이").contains("b생 명") && keys("律师").contains("u律"))
        #expect(keys("Police stop").contains("pst") && !keys("Police stop").contains("pol"), "two-letter prefixes of word starts only")
        #expect(keys("Police stop").contains("wpol police") && !keys("Police stop").contains("wlic lice"))
    }

    @Test func firstSearchCostsAtMost35KilobytesInEveryLanguage() throws {
        // The script, the manifest, the largest shard twice (a query of two words) and the
        // five largest page files: more than any first search fetches.
        let script = try Data(contentsOf: result.output.appendingPathComponent("assets/search.js"))
        let scriptSize = try #require(GzipSize.size(of: script))
        for key in ExampleSiteTests.languages {
            let folder = result.output.appendingPathComponent("search/\(key)")
            func sizes(_ sub: String) throws -> [Int] {
                try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(sub).path).map {
                    try #require(GzipSize.size(of: Data(contentsOf: folder.appendingPathComponent("\(sub)/\($0)"))))
                }.sorted(by: >)
            }
            let manifest = try #require(GzipSize.size(of: Data(contentsOf: folder.appendingPathComponent("index.json"))))
            let shards = try sizes("s"), pages = try sizes("p")
            let cost = scriptSize + manifest + 2 * shards[0] + pages.prefix(5).reduce(0, +)
            #expect(cost <= 35 * 1024, "\(key): \(cost) bytes gzipped")
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
            #expect(html.contains("<div class=\"search\" id=\"search\" data-index=\"../../search/\(key)/index.json\""))
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
        #expect(!result.exists("search/en/index.json"))
        let page = try result.text("en/police/police-stop/index.html")
        #expect(!page.contains("class=\"find\""))
        let search = try result.text("en/search/index.html")
        #expect(!search.contains("id=\"search\""), "search.md is then an ordinary page")
    }
}

/// Issue #20: search is on by default, so a site without search.md gets a search page made for
/// it in every language, from the interface strings.
@Suite("Made search page")
struct MadeSearchPageTests {
    static let build: BuildResult = {
        let site = try! SafetyTests.copyOfExampleSite(siteYAMLAddition: "")
        for key in ExampleSiteTests.languages {
            try? FileManager.default.removeItem(at: site.appendingPathComponent("content/\(key)/search.md"))
        }
        return TestBuild.build(site)
    }()

    @Test(arguments: ExampleSiteTests.languages)
    func everyLanguageGetsASearchPageAndAnIndex(key: String) throws {
        let result = Self.build
        try #require(result.succeeded, "\(result.diagnostics.map(\.description))")
        let html = try result.text("\(key)/search/index.html")
        let strings = try String(contentsOf: Repo.root.appendingPathComponent("translations/\(key).yaml"), encoding: .utf8)
        let title = try #require(strings.split(separator: "\n").first { $0.hasPrefix("search_link:") })
            .split(separator: "\"")[1]
        #expect(html.contains("<h1") && html.contains(">\(title)</h1>"), "\(key): the page is titled with search_link")
        #expect(html.contains("data-index=\"../../search/\(key)/index.json\""))
        #expect(html.contains("href=\"../police/police-stop/\""), "\(key): the list of every page")
        #expect(result.exists("search/\(key)/index.json"))
        let page = try result.text("\(key)/police/police-stop/index.html")
        #expect(page.contains("class=\"find\" href=\"../../search/\""), "\(key): every page links the search page")
        #expect(!result.diagnostics.contains { $0.description.contains("search") }, "no warning about the made page")
    }

    @Test func aSearchPageOfTheSiteIsKept() throws {
        let html = try ExampleSiteTests.build.text("th/search/index.html")
        let source = try String(contentsOf: Repo.root.appendingPathComponent("content/th/search.md"), encoding: .utf8)
        let title = try #require(source.split(separator: "\n").first { $0.hasPrefix("title:") }).dropFirst(6)
            .trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        #expect(html.contains(title))
    }
}
