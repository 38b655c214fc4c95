import Testing
import MonarchMarkdown

@Suite("Robustness")
struct RobustnessTests {
    /// Thousands of nested quotes, lists, emphasis or brackets: no stack overflow (nesting
    /// beyond 100 levels is flattened, as markdown-it's `maxNesting` does), and the text
    /// survives.
    @Test(arguments: [
        String(repeating: ">", count: 20000) + " deep",
        String(repeating: "- ", count: 20000) + "deep",
        String(repeating: "*", count: 20000) + "deep" + String(repeating: "*", count: 20000),
        String(repeating: "[", count: 20000) + "deep" + String(repeating: "](u)", count: 20000),
        String(repeating: "**重要。", count: 5000) + "deep" + String(repeating: "**之后", count: 5000),
        // Nesting that only the CJK-friendly rules create.
        String(repeating: " **重", count: 5000) + "deep" + String(repeating: "。**之", count: 5000),
    ])
    func deepNesting(_ markdown: String) {
        let doc = MarkdownDocument.parse(markdown)
        #expect(doc.html().contains("deep"))
        #expect(doc.plainText.contains("deep"))
    }

    /// A megabyte of hostile GFM must take seconds, not minutes: one note cited 200,000
    /// times, and 300,000 `~~` that never close, each took minutes before.
    @Test(arguments: ["footnotes", "strikethrough"])
    func hugeFootnoteAndStrikethroughPagesTakeSeconds(_ kind: String) {
        let markdown = kind == "footnotes"
            ? String(repeating: "[^1]", count: 200_000) + "\n\n[^1]: note\n"
            : String(repeating: "~~a ", count: 300_000) + "\n"
        let start = ContinuousClock.now
        let doc = MarkdownDocument.parse(markdown)
        _ = doc.html()
        let took = ContinuousClock.now - start
        #expect(took < .seconds(30), "\(took)")
    }

    @Test func nestingUpToTheLimitIsKept() {
        let html = MarkdownDocument.parse(String(repeating: ">", count: 50) + " x").html()
        #expect(html.components(separatedBy: "<blockquote>").count == 51)
    }

    @Test func emptyAndOddInput() {
        #expect(MarkdownDocument.parse("").html() == "")
        #expect(MarkdownDocument.parse("\u{FEFF}").html() == "")
        #expect(MarkdownDocument.parse("a\u{0}b").html() == "<p>a\u{FFFD}b</p>\n")
        #expect(MarkdownDocument.parse("\r\n\r\nx\r\n").html() == "<p>x</p>\n")
    }

    @Test func documentsCanBeSharedAcrossTasks() async {
        let doc = MarkdownDocument.parse("# 제목\n\n**중요。**합니다")
        let results = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { doc.html() } }
            var all: [String] = []
            for await html in group { all.append(html) }
            return all
        }
        #expect(Set(results).count == 1)
        #expect(results.first == "<h1 id=\"제목\">제목</h1>\n<p><strong>중요。</strong>합니다</p>\n")
    }
}
