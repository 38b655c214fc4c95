import Foundation
import Testing
@testable import MonarchMarkdown

/// The extension examples of the GFM spec (tables, strikethrough, autolinks, task lists)
/// and cmark-gfm's own extension tests (tables, strikethrough, autolinks, footnotes, task
/// lists), read from `../shared/corpus/gfm/`, compared after normalising the HTML as
/// cmark's `normalize.py` does, and after undoing Monarch's deliberate differences in
/// markup (listed in docs/markdown.md).
@Suite("GFM extensions")
struct GFMSpecTests {
    static let options = MarkdownOptions(unsafeHTML: true, headingIDs: false)

    static let specExamples: [SpecExample] = SpecCorpus.examples(inSpecFormat: "corpus/gfm/spec.txt").filter {
        ["table", "strikethrough", "autolink", "disabled"].contains($0.kind)
    }

    /// cmark-gfm's tests for the extensions of issue #17 (its tag filter is the raw HTML
    /// allowlist's business).
    static let extensionExamples: [SpecExample] = SpecCorpus.examples(inSpecFormat: "corpus/gfm/extensions.txt").filter {
        ["Tables", "Strikethroughs", "Autolinks", "Footnotes", "Interop", "Task lists"].contains(where: $0.section.hasPrefix)
            || ["Table cell count mismatches", "Embedded pipes", "Oddly-formatted markers", "Escaping", "Embedded HTML",
                "Reference-style links", "Sequential cells", "Interaction with emphasis"].contains($0.section)
            || $0.section.hasPrefix("a table can be recognised")
    }

    /// Examples we deliberately render differently, by markdown prefix, with the reason.
    static let deliberateDifferences: [String: String] = [:]

    @Test("GFM spec extension example", arguments: specExamples)
    func specExample(_ example: SpecExample) {
        check(example)
    }

    @Test("cmark-gfm extension test", arguments: extensionExamples)
    func extensionExample(_ example: SpecExample) {
        check(example)
    }

    @Test("the corpus is found and every example is run")
    func counts() {
        #expect(Self.specExamples.count == 8 + 2 + 11 + 2)
        #expect(Self.extensionExamples.count >= 25)
    }

    private func check(_ example: SpecExample) {
        let html = MarkdownDocument.parse(example.markdown, options: Self.options).html()
        if example.html.hasPrefix("<IGNORE>") { return }
        #expect(Self.normalized(html, monarch: true) == Self.normalized(example.html, monarch: false),
                "markdown: \(example.markdown.debugDescription)\nours: \(html)")
    }

    static func replacing(_ s: String, _ pattern: String, _ template: String) -> String {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
    }

    /// Every tag's attributes in order, without the `/` of a void element, as
    /// normalize.py writes them.
    static func sortingAttributes(_ html: String) -> String {
        let tag = try! NSRegularExpression(pattern: #"<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*/?>"#)
        let attribute = try! NSRegularExpression(pattern: #"[^\s=>/]+(?:="[^"]*")?"#)
        var out = ""
        var last = html.startIndex
        for match in tag.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let whole = Range(match.range, in: html)!
            out += html[last..<whole.lowerBound]
            let name = html[Range(match.range(at: 1), in: html)!]
            let attributes = String(html[Range(match.range(at: 2), in: html)!])
            let parts = attribute.matches(in: attributes, range: NSRange(attributes.startIndex..., in: attributes))
                .map { String(attributes[Range($0.range, in: attributes)!]) }.sorted()
            out += "<" + name + parts.map { " " + $0 }.joined() + ">"
            last = whole.upperBound
        }
        out += html[last...]
        return out
    }

    /// Whitespace collapsed and dropped next to tags; for Monarch's HTML, its deliberate
    /// markup differences undone: the scrolling box around tables, `scope` on header
    /// cells, alignment as a class, the `task` class, the footnote ids' hyphen and the
    /// screen-reader labels of footnotes.
    static func normalized(_ html: String, monarch: Bool) -> String {
        var s = html
        if monarch {
            s = replacing(s, #"<div class="table-scroll" tabindex="0">\s*<table>"#, "<table>")
            s = replacing(s, #"</table>\s*</div>"#, "</table>")
            s = replacing(s, #" scope="(col|row)""#, "")
            s = replacing(s, #" class="align-(left|center|right)""#, #" align="$1""#)
            s = replacing(s, #"<li class="task">"#, "<li>")
            // A task box is named for screen readers ("Done", "Not done"), which axe requires.
            s = replacing(s, #"(<input type="checkbox"[^>]*) aria-label="[^"]*""#, "$1")
            s = replacing(s, #" data-footnotes="" aria-label="[^"]*""#, "")
            s = replacing(s, #" data-footnote-ref="""#, "")
            s = replacing(s, #"(class="footnote-backref") aria-label="[^"]*""#, "$1")
            s = replacing(s, #""(#?)fn-(\d+)"#, #""$1fn$2"#)
            s = replacing(s, #""(#?)fnref-(\d+)"#, #""$1fnref$2"#)
        }
        s = sortingAttributes(s)
        s = replacing(s, #"\s+"#, " ")
        s = replacing(s, #"\s*(<[^>]*>)\s*"#, "$1")
        return s.trimmingCharacters(in: .whitespaces)
    }
}
