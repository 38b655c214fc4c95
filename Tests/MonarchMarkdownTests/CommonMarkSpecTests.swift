import Testing
import MonarchMarkdown

/// Every example of the CommonMark 0.30 spec, rendered with raw HTML kept, no heading
/// ids and no extensions (so the output is plain cmark), must match the spec's HTML
/// exactly; with the extensions on, only the examples GFM itself renders differently do
/// not.
@Suite("CommonMark spec")
struct CommonMarkSpecTests {
    /// Examples whose expected HTML we deliberately do not produce, with the reason.
    /// Empty: all 652 pass, CJK-friendly emphasis included.
    static let deliberateDifferences: [Int: String] = [:]

    static let specOptions = MarkdownOptions(unsafeHTML: true, headingIDs: false, extensions: false)

    /// With the extensions on, GFM's extended autolinks link the bare addresses of these
    /// examples (as cmark-gfm does with its autolink extension).
    static let differWithExtensions: Set<Int> = [601, 605, 607, 610, 611]

    @Test("spec example", arguments: SpecCorpus.examples)
    func example(_ example: SpecExample) {
        let html = MarkdownDocument.parse(example.markdown, options: Self.specOptions).html()
        if let reason = Self.deliberateDifferences[example.number] {
            withKnownIssue(Comment(rawValue: reason)) { #expect(html == example.html) }
        } else {
            #expect(html == example.html, "markdown: \(example.markdown.debugDescription)")
        }
    }

    @Test("all 652 examples are loaded and pass")
    func summary() {
        let examples = SpecCorpus.examples
        #expect(examples.count == 652, "spec.json not found beside the repository (../shared/corpus/commonmark/spec.json)")
        let passed = examples.filter {
            MarkdownDocument.parse($0.markdown, options: Self.specOptions).html() == $0.html
        }.count
        print("CommonMark spec: \(passed)/\(examples.count) examples pass")
        #expect(passed == examples.count - Self.deliberateDifferences.count)
    }

    @Test("with the extensions on, every example but GFM's extended autolinks passes")
    func withExtensions() {
        let options = MarkdownOptions(unsafeHTML: true, headingIDs: false, extensions: true)
        let differing = SpecCorpus.examples.filter {
            MarkdownDocument.parse($0.markdown, options: options).html() != $0.html
        }.map(\.number)
        #expect(Set(differing) == Self.differWithExtensions)
    }
}
