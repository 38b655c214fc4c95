import Testing
import MonarchCore
import MonarchMarkdown
@testable import MonarchContent

@Suite("Pages")
struct PageLoaderTests {
    func load(_ text: String, _ path: String = "rights/stop.md") -> (Page?, [String]) {
        let diagnostics = DiagnosticsEngine()
        let page = PageLoader.parse(text, languageKey: "th", relativePath: path, options: MarkdownOptions(),
                                    diagnostics: diagnostics)
        return (page, diagnostics.diagnostics.map(\.description))
    }

    @Test func frontMatterAndBody() throws {
        let (page, problems) = load("---\ntitle: ถ้าตำรวจเรียกตรวจ\ndescription: สิทธิของคุณ\nweight: 3\n---\n\nข้อความ\n")
        let p = try #require(page)
        #expect(problems.isEmpty)
        #expect(p.title == "ถ้าตำรวจเรียกตรวจ")
        #expect(p.description == "สิทธิของคุณ")
        #expect(p.weight == 3)
        #expect(p.bodyLineOffset == 5)
        #expect(p.kind == .page)
        #expect(p.path == "rights/stop")
        #expect(p.sectionPath == "rights")
        #expect(p.sourcePath == "content/th/rights/stop.md")
    }

    @Test(arguments: [("index.md", Page.Kind.home, ""), ("rights/index.md", .section, "rights"),
                      ("rights/stop.md", .page, "rights/stop"), ("a/b/index.md", .section, "a/b")])
    func kindAndPathFollowTheFileName(file: String, kind: Page.Kind, path: String) throws {
        let page = try #require(load("# T\n", file).0)
        #expect(page.kind == kind)
        #expect(page.path == path)
    }

    @Test func titleFallsBackToLeadingHeadingWhichIsShownOnce() throws {
        let page = try #require(load("# 경찰 검문\n\n본문\n").0)
        #expect(page.title == "경찰 검문")
        #expect(!page.document.html().contains("<h1"), "the template shows the title")
    }

    @Test func markdownPositionsCountFrontMatterLines() throws {
        let page = try #require(load("---\ntitle: T\n---\nline four [x](nowhere.md)\n").0)
        let link = try #require(page.document.links.first)
        #expect(page.location(link.position).description == "content/th/rights/stop.md:4:11")
    }

    @Test func problemsAreReportedAtTheirLine() {
        #expect(load("---\ntitle: T\nweight: heavy\n---\n").1 == ["content/th/rights/stop.md:3:9: error: 'weight' must be a whole number"])
        #expect(load("---\ntitle: T\n").1 == ["content/th/rights/stop.md:1:1: error: front matter starts with '---' but has no closing '---' line; add one after the last key"])
        #expect(load("Just text.\n").1 == ["content/th/rights/stop.md:1:1: error: page has no title; add 'title:' to its front matter or start it with a '# Heading'"])
    }

    @Test func markdownWarningsAreReportedAtTheirLineInTheFile() {
        let (_, problems) = load("---\ntitle: T\n---\n## Sync\n\nText\n{: .lead }\n\n| a | b |\n| --- |\n")
        #expect(problems.count == 2)
        #expect(problems.first?.hasPrefix("content/th/rights/stop.md:7:1: warning: attribute list '{: .lead }'") == true, "\(problems)")
        #expect(problems.last?.hasPrefix("content/th/rights/stop.md:10:1: warning: this looks like a table") == true, "\(problems)")
    }

    @Test func draftsAreAcceptedWithoutATitle() {
        let (page, problems) = load("---\ndraft: true\n---\nnot ready\n")
        #expect(page == nil)
        #expect(problems.isEmpty)
    }

    @Test func everyFrontMatterKeyIsKnown() throws {
        let text = "---\ntitle: T\ndescription: D\nweight: 1\ndraft: false\npamphlet: true\nsource_hash: 0123456789ab\n---\n"
        let (page, problems) = load(text)
        #expect(problems.isEmpty)
        #expect(try #require(page).frontMatter.sourceHash == "0123456789ab")
        #expect(try #require(page).frontMatter.pamphlet)
    }

    /// YAML 1.1's spellings of true and false, as Yams's `bool` rule reads them; a quoted one
    /// is text. Read without Yams's regular expressions (`YAMLMapping.booleans`).
    @Test(arguments: [("true", true), ("True", true), ("TRUE", true), ("yes", true), ("Yes", true), ("on", true),
                      ("ON", true), ("false", false), ("False", false), ("no", false), ("NO", false), ("off", false),
                      ("Off", false)])
    func booleanSpellings(word: String, value: Bool) throws {
        let (page, problems) = load("---\ntitle: T\npamphlet: \(word)\n---\n")
        #expect(problems.isEmpty)
        #expect(try #require(page).frontMatter.pamphlet == value)
    }

    @Test(arguments: ["\"true\"", "'yes'", "tRUE", "y", "1", "maybe"])
    func otherWordsAreNotBooleans(word: String) {
        #expect(load("---\ntitle: T\npamphlet: \(word)\n---\n").1
                == ["content/th/rights/stop.md:3:11: error: 'pamphlet' must be true or false"])
    }

    /// Weights as Yams reads integers: decimal, and its other forms (octal `012`, hex, `_`).
    @Test(arguments: [("12", 12), ("-3", -3), ("0", 0), ("012", 10), ("0x1F", 31), ("1_000", 1000), ("+4", 4)])
    func weights(text: String, value: Int) throws {
        let (page, problems) = load("---\ntitle: T\nweight: \(text)\n---\n")
        #expect(problems.isEmpty)
        #expect(try #require(page).weight == value)
    }
}
