import Testing
import MonarchMarkdown

@Suite("Heading ids")
struct HeadingIDTests {
    struct SlugCase: Sendable, CustomTestStringConvertible {
        var text: String
        var id: String
        var testDescription: String { "\(text) -> \(id)" }
    }

    @Test(arguments: [
        SlugCase(text: "If the police stop you", id: "if-the-police-stop-you"),
        SlugCase(text: "ข้อ 1", id: "ข้อ-1"),
        SlugCase(text: "ถ้าตำรวจเรียกตรวจ", id: "ถ้าตำรวจเรียกตรวจ"),
        SlugCase(text: "경찰이 멈춰 세우면", id: "경찰이-멈춰-세우면"),
        SlugCase(text: "如果警察拦住你？", id: "如果警察拦住你"),
        SlugCase(text: "如果警察攔住你：權利", id: "如果警察攔住你權利"),
        SlugCase(text: "Know Your Rights (2024)", id: "know-your-rights-2024"),
        SlugCase(text: "  snake_case and kebab-case  ", id: "snake_case-and-kebab-case"),
        SlugCase(text: "A & B", id: "a--b"),
        SlugCase(text: "Ünïcödé Ⅻ ½", id: "ünïcödé-ⅻ-½"),
        SlugCase(text: "?!", id: "section"),
        SlugCase(text: "", id: "section"),
        SlugCase(text: "-x-", id: "x"),
        SlugCase(text: "tab\tand\u{3000}ideographic space", id: "tab-and-ideographic-space"),
    ])
    func slug(_ c: SlugCase) {
        #expect(HeadingID.slug(c.text) == c.id)
    }

    @Test func thaiMarksSurviveInRenderedHTML() {
        let html = MarkdownDocument.parse("## ข้อ 1\n").html()
        #expect(html == "<h2 id=\"ข้อ-1\">ข้อ 1</h2>\n")
        #expect(!html.contains("ขอ-1"))
    }

    @Test func idsUseThePlainTextOfTheHeading() {
        let doc = MarkdownDocument.parse("# *Your* `rights` [here](x.md)\n")
        #expect(doc.headings.map(\.id) == ["your-rights-here"])
        #expect(doc.html() == "<h1 id=\"your-rights-here\"><em>Your</em> <code>rights</code> <a href=\"x.md\">here</a></h1>\n")
    }

    @Test func repeatedHeadingsGetNumberedSuffixes() {
        let doc = MarkdownDocument.parse("# FAQ\n## Call\n## Call\n## Call\nText\n\n---\n")
        #expect(doc.headings.map(\.id) == ["faq", "call", "call-1", "call-2"])
    }

    @Test func suffixesSkipIdsAlreadyTaken() {
        let doc = MarkdownDocument.parse("## a-1\n## a\n## a\n## a\n")
        #expect(doc.headings.map(\.id) == ["a-1", "a", "a-2", "a-3"])
        let doc2 = MarkdownDocument.parse("## a\n## a\n## a-1\n")
        #expect(doc2.headings.map(\.id) == ["a", "a-1", "a-1-1"])
    }

    @Test func idsCanBeSwitchedOff() {
        let options = MarkdownOptions(headingIDs: false)
        let doc = MarkdownDocument.parse("# Title\n", options: options)
        #expect(doc.html() == "<h1>Title</h1>\n")
        #expect(doc.headings.map(\.id) == ["title"], "ids stay available for fragment checks")
    }

    @Test func headingsList() {
        let doc = MarkdownDocument.parse("Intro\n\n> ## 인용 제목\n\nSetext\n======\n")
        #expect(doc.headings == [
            Heading(level: 2, text: "인용 제목", id: "인용-제목", position: SourcePosition(line: 3, column: 3)),
            Heading(level: 1, text: "Setext", id: "setext", position: SourcePosition(line: 5, column: 1)),
        ])
    }
}
