import Foundation
import TestSupport
import MonarchCore
import MonarchMarkdown
import Testing
@testable import MonarchSite

/// Issue #17, point 2: raw HTML in Markdown is kept when harmless (as Markdown model nodes,
/// so that web and paper show it), everything else is left out with a warning at its place.
@Suite("Raw HTML allowlist")
struct RawHTMLTests {
    static let site = Repo.site("rawhtml")
    static let built = TestBuild.build(site)
    static let source = (try? String(contentsOf: site.appendingPathComponent("content/en/index.md"), encoding: .utf8)) ?? ""

    static var page: String { (try? built.text("en/index.html")) ?? "" }

    /// The page's article, as the renderer wrote it.
    static var article: String {
        let html = page
        guard let start = html.range(of: "<main"), let end = html.range(of: "</main>", range: start.upperBound..<html.endIndex)
        else { return html }
        return String(html[start.lowerBound..<end.upperBound])
    }

    /// The `line:column` of the first occurrence of `text` in the fixture page (columns in characters).
    static func place(of text: String, after: String = "") -> (line: Int, column: Int) {
        let from = after.isEmpty ? source.startIndex : source.range(of: after)!.lowerBound
        let found = source.range(of: text, range: from..<source.endIndex)!
        let before = source[..<found.lowerBound]
        let line = before.filter { $0 == "\n" }.count + 1
        let lineStart = before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
        return (line, source.unicodeScalars[lineStart..<found.lowerBound].count + 1)
    }

    /// The converted HTML of a Markdown text, and the warnings as `line:column: message`.
    static func convert(_ markdown: String, unsafe: Bool = false) -> (html: String, warnings: [String]) {
        let document = MarkdownDocument.parse(markdown, options: MarkdownOptions(unsafeHTML: unsafe))
        let diagnostics = DiagnosticsEngine()
        let converted = RawHTMLAllowlist.transform(document, location: { SourceLocation(path: "p.md", line: $0.line, column: $0.column) },
                                                   diagnostics: diagnostics)
        return (converted.html(), diagnostics.diagnostics.map { "\($0.location.line ?? 0):\($0.location.column ?? 0): \($0.message)" })
    }

    @Test func theFixtureBuilds() {
        let errors = Self.built.diagnostics.filter { $0.severity == .error }
        #expect(Self.built.succeeded, "\(errors.map(\.description))")
        #expect(!Self.article.contains("raw HTML omitted"))
    }

    @Test(arguments: [
        "<kbd>Ctrl</kbd>", "<kbd><strong>C</strong></kbd>", "note<sup>1</sup>", "H<sub>2</sub>O",
        "<abbr title=\"General Data Protection Regulation\">GDPR</abbr>", "<mark>marked</mark>", "<ins>inserted</ins>",
        "<del>deleted</del>", "<strong>bold</strong>", "<em>italic</em>", "<strong>strong</strong>", "<em>em</em>",
        "<code>a &lt; b</code>", "line<br />", ">the other page</a>",
        "<summary>Why we keep <em>records</em></summary>", "<strong>crash reports</strong>", "<li>second reason</li>",
        "<p>Office hours</p>", "<th scope=\"col\">Day</th>", "colspan=\"2\"", "rowspan=\"100\"",
        "<li>9 to 12</li>", "<dt>Police may</dt>", "<dd>Ask your name.</dd>", "<p>without a warrant.</p>",
        "<blockquote>\n<p>Quoted words.</p>", "<pre><code>line one\n  line two\n</code></pre>", "<ol start=\"3\">",
        "A paragraph with spanned text kept.", "Text of a div.", "Hover text.", "with a script",
    ])
    func eachAllowedElementReachesThePage(_ expected: String) {
        #expect(Self.article.contains(expected), "missing: \(expected)")
    }

    @Test func theLinkInHTMLIsResolvedLikeAMarkdownLink() {
        #expect(Self.article.contains("<a href=\"other/\">the other page</a>") || Self.article.contains("<a href=\"./other/\">the other page</a>")
                || Self.article.contains("other/index.html\">the other page</a>"), "\(Self.article)")
        #expect(!Self.article.contains("other.md"))
    }

    @Test func detailsHoldTheMarkdownBetweenTheirTags() throws {
        let article = Self.article
        let open = try #require(article.range(of: "<details open=\"\">"), "written open, it stays open")
        let close = try #require(article.range(of: "</details>"))
        let inside = article[open.upperBound..<close.lowerBound]
        #expect(inside.contains("crash reports"))
        #expect(inside.contains("<ul>"))
    }

    @Test(arguments: [
        "script-payload", "display: none", "<iframe", "iframe text", "onclick", "onmouseover", "javascript:",
        "tracker.example", "style=", "class=\"box\"", "a comment",
    ])
    func nothingHarmfulReachesThePage(_ forbidden: String) {
        #expect(!Self.article.contains(forbidden), "found: \(forbidden)")
    }

    @Test func everyDropWarnsAtItsPlace() {
        let warnings = Self.built.diagnostics.filter { $0.severity == .warning && $0.location.path == "content/en/index.md" }
        func expectWarning(_ what: String, at text: String, after: String = "") {
            let (line, column) = Self.place(of: text, after: after)
            let found = warnings.filter { $0.message.contains(what) }
            #expect(found.contains { $0.location.line == line && $0.location.column == column },
                    "\(what) not at \(line):\(column): \(found.map(\.description))")
        }
        expectWarning("`<script>` element left out with all it holds", at: "<script>")
        expectWarning("`<style>` element left out with all it holds", at: "<style>")
        expectWarning("`<iframe>` element left out with all it holds", at: "<iframe")
        expectWarning("`<div>` element left out, its text kept", at: "<div class")
        expectWarning("`<span>` element left out, its text kept", at: "<span")
        expectWarning("`onmouseover` attribute of `<p>`", at: "onmouseover")
        expectWarning("link to 'javascript:alert(3)'", at: "<a href=\"javascript")
        expectWarning("`<img>` element loading 'https://tracker.example/x.gif'", at: "<img")
        expectWarning("`rowspan=\"500\"` read as 100", at: "500")
        for warning in warnings where warning.message.contains("raw HTML") {
            #expect(warning.message.contains("; "), "not 'what; what to do': \(warning.message)")
        }
        #expect(!warnings.contains { $0.message.contains("comment") })
        #expect(!warnings.contains { $0.message.contains("`open`") })
        #expect(!warnings.contains { $0.message.contains("`colspan`") || $0.message.contains("`title`") })
    }

    @Test func theSearchIndexHoldsTheKeptText() throws {
        let index = try SearchIndexTests.index("en", in: Self.built.output).pages.map { $0.joined(separator: "\n") }.joined(separator: "\n")
        #expect(index.contains("crash reports"))
        #expect(index.contains("Closed on holidays"))
        #expect(!index.contains("script-payload"))
    }

    // MARK: Small cases

    @Test func inlineHTMLPairsUpWithinAParagraph() {
        let (html, warnings) = Self.convert("E = mc<sup>2</sup>, <kbd>Ctrl</kbd> and <abbr title=\"World Health Organization\">WHO</abbr>.\n")
        #expect(html == "<p>E = mc<sup>2</sup>, <kbd>Ctrl</kbd> and <abbr title=\"World Health Organization\">WHO</abbr>.</p>\n")
        #expect(warnings.isEmpty)
    }

    @Test func anUnclosedInlineElementEndsWithItsParagraph() {
        let (html, _) = Self.convert("a <sup>b *c*\n\nnext\n")
        #expect(html == "<p>a <sup>b <em>c</em></sup></p>\n<p>next</p>\n")
    }

    @Test func detailsWithMarkdownInsideAndNested() {
        let markdown = """
        <details><summary>Outer</summary>

        Outer **text**.

        <details>
        <summary>Inner</summary>

        1. inner item

        </details>

        </details>

        After.
        """
        let (html, warnings) = Self.convert(markdown)
        #expect(html == """
        <details>
        <summary>Outer</summary>
        <p>Outer <strong>text</strong>.</p>
        <details>
        <summary>Inner</summary>
        <ol>
        <li>inner item</li>
        </ol>
        </details>
        </details>
        <p>After.</p>

        """, "\(html)")
        #expect(warnings.isEmpty)
    }

    @Test func detailsWrittenOpenStayOpen() {
        let (html, warnings) = Self.convert("<details open>\n<summary>Read this first</summary>\n\nBody.\n\n</details>\n")
        #expect(html.hasPrefix("<details open=\"\">\n<summary>Read this first</summary>"), "\(html)")
        #expect(warnings.isEmpty)
    }

    @Test func htmlAfterTheClosingTagIsKept() {
        let (html, _) = Self.convert("<details>\n<summary>S</summary>\n\nBody.\n\n</details>\n<p>Then <b>this</b>.</p>\n")
        #expect(html.contains("<summary>S</summary>\n<p>Body.</p>\n</details>"))
        #expect(html.contains("<p>Then <strong>this</strong>.</p>"))
    }

    @Test func oneBlockMayCloseADetailsAndOpenTheNext() {
        let (html, _) = Self.convert("""
        <details><summary>One</summary>

        First.

        </details>
        <details><summary>Two</summary>

        Second.

        </details>
        """)
        #expect(html == "<details>\n<summary>One</summary>\n<p>First.</p>\n</details>\n"
                + "<details>\n<summary>Two</summary>\n<p>Second.</p>\n</details>\n", "\(html)")
    }

    @Test func deepNestingIsBoundedAndWarned() {
        // Pairs of blocks nested deeper than the pairing limit, and one block deeper than
        // the conversion's: both finish, neither overflows the stack.
        let pairs = String(repeating: "<details>\n\n", count: 3000) + "deep\n\n" + String(repeating: "</details>\n\n", count: 3000)
        let started = Date()
        let (html, _) = Self.convert(pairs)
        #expect(html.contains("deep"))
        let (deep, warnings) = Self.convert(String(repeating: "<div>", count: 5000) + "text" + "\n")
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(!deep.contains("<div"))
        #expect(warnings.contains { $0.contains("nested deeper than") }, "\(warnings)")
    }

    @Test func aTableWithColspanAndAListInACell() {
        let (html, warnings) = Self.convert("""
        <table>
        <tr><th>A</th><th>B</th></tr>
        <tr><td colspan="2">both</td></tr>
        <tr><td>x</td><td><ul><li>one</li><li>two</li></ul></td></tr>
        </table>
        """)
        #expect(html.contains("<td colspan=\"2\">both</td>"))
        // The first row, all `th`, heads the columns (the HTML parser put it in a body).
        #expect(html.contains("<thead>\n<tr>\n<th scope=\"col\">A</th>\n<th scope=\"col\">B</th>"), "\(html)")
        #expect(!html.contains("scope=\"row\""), "\(html)")
        #expect(html.contains("<td><ul>\n<li>one</li>\n<li>two</li>\n</ul>\n</td>") || html.contains("<ul>\n<li>one</li>"), "\(html)")
        #expect(warnings.isEmpty, "\(warnings)")
    }

    /// A `th` that starts a row of `td` cells heads that row.
    @Test func aHeaderCellBesideDataCellsHeadsItsRow() {
        let (html, _) = Self.convert("<table>\n<tr><th>Office</th><th>Hours</th></tr>\n<tr><th>Bangkok</th><td>9-17</td></tr>\n</table>\n")
        #expect(html.contains("<th scope=\"col\">Office</th>") && html.contains("<th scope=\"row\">Bangkok</th>"), "\(html)")
    }

    @Test func markdownResumesAfterABlankLineInAnHTMLBlock() {
        let (html, _) = Self.convert("<div>\n\n*emphasis* here\n\n</div>\n")
        #expect(html.contains("<em>emphasis</em> here"))
        #expect(!html.contains("<div"))
    }

    @Test(arguments: [
        ("<p onclick=\"x()\">t</p>", "`onclick` attribute of `<p>`", "1:4"),
        ("text <a href=\"javascript:alert(1)\">x</a>", "link to 'javascript:alert(1)'", "1:6"),
        ("a\n<svg><script>alert(1)</script></svg>", "`<svg>` element left out with all it holds", "2:1"),
        ("<object data=\"x.swf\"></object>", "`<object>` element left out with all it holds", "1:1"),
        ("<form action=\"/x\"><input name=\"a\"></form>", "`<form>` element left out with all it holds", "1:1"),
        ("<table>\n<tr>\n<td style=\"color:red\">x</td>\n</tr>\n</table>", "`style` attribute of `<td>`", "3:5"),
        ("x <font color=\"red\">y</font>", "`<font>` element left out, its text kept", "1:3"),
    ])
    func eachDropWarnsWithLineAndColumn(_ markdown: String, _ what: String, _ place: String) {
        let (html, warnings) = Self.convert(markdown)
        #expect(warnings.contains { $0.hasPrefix(place + ": ") && $0.contains(what) }, "\(warnings)")
        for forbidden in ["onclick", "javascript:", "<script", "<svg", "<object", "<form", "<input", "style=", "<font"] {
            #expect(!html.contains(forbidden), "\(forbidden) in \(html)")
        }
    }

    @Test func manyDropsOfOneKindAreOneWarning() {
        let (_, warnings) = Self.convert("<p style=\"a\">1</p>\n<p style=\"b\">2</p>\n<p style=\"c\">3</p>\n")
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.contains("2 more like it") == true)
    }

    @Test func unsafeHTMLKeepsTheWebPageAsWrittenAndPaperGetsTheConversion() {
        let markdown = "<details><summary>S</summary>\n<span class=\"x\">kept on paper</span>\n</details>\n"
        let (html, warnings) = Self.convert(markdown, unsafe: true)
        #expect(html.contains("<span class=\"x\">kept on paper</span>"))
        #expect(warnings.isEmpty)
        let paper = RawHTMLAllowlist.forPaper(MarkdownDocument.parse(markdown, options: MarkdownOptions(unsafeHTML: true)))
        #expect(paper.plainText.contains("kept on paper"))
        #expect(!paper.html().contains("<span"))
    }

    @Test func withUnsafeHTMLThePamphletPrintsWhatTheWebPageShows() throws {
        let page = """
        ---
        title: Card
        pamphlet: true
        ---
        <details><summary>Summary words</summary>

        Markdown words.

        </details>

        <div class="note">Division words <span style="x">and span words</span></div>

        Inline <sup>superscript words</sup> here.
        """
        let site = try TestBuild.englishSite(yaml: "unsafe_html: true\n", files: ["content/en/card.md": page])
        let result = TestBuild.build(site)
        try #require(result.succeeded, "\(result.diagnostics.map(\.description))")
        #expect(!result.diagnostics.contains { $0.message.hasPrefix("raw HTML") }, "unsafe_html warns of nothing")
        let web = try result.text("en/card/index.html")
        #expect(web.contains("<div class=\"note\">Division words <span style=\"x\">"), "the web page has the HTML as written")
        let pdf = try #require(FileList.files(in: result.output).first { $0.hasSuffix(".pdf") })
        let text = try Tool.run("pdftotext", [result.output.appendingPathComponent(pdf).path, "-"])
        for words in ["Summary words", "Markdown words", "Division words", "and span words", "superscript words"] {
            #expect(text.contains(words), "'\(words)' is not on paper: \(text)")
        }
    }

    /// Every example of the CommonMark spec (raw HTML of every kind, misnested, unclosed) goes
    /// through the allowlist without a crash, and leaves no handler, script or style.
    @Test func everyCommonMarkExampleConvertsToHarmlessHTML() throws {
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        var spec: URL?
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("shared/corpus/commonmark/spec.json")
            if FileManager.default.fileExists(atPath: candidate.path) { spec = candidate; break }
            folder.deleteLastPathComponent()
        }
        guard let spec else { return }   // the shared corpus is beside the repository, when it is
        let examples = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: spec)) as? [[String: Any]])
        #expect(examples.count > 600)
        for example in examples {
            let markdown = try #require(example["markdown"] as? String)
            let (html, _) = Self.convert(markdown)
            for forbidden in [/(?i)<script/, /(?i)<style/, /(?i)<iframe/, /(?i)\son[a-z]+=/, /(?i)href="javascript:/] {
                #expect(html.ranges(of: forbidden).isEmpty, "example \(example["example"] ?? ""): \(html)")
            }
            #expect(!html.contains("raw HTML omitted"))
        }
    }

    @Test func commentsAreDroppedSilently() {
        let (html, warnings) = Self.convert("<!-- hidden -->\n\nText <!-- inline --> here.\n")
        #expect(!html.contains("hidden") && !html.contains("inline"))
        #expect(warnings.isEmpty)
    }
}
