import Testing
import MonarchMarkdown

/// Every example of the CommonMark 0.30 spec, rendered with raw HTML kept and no heading
/// ids (so the output is plain cmark), must match the spec's HTML exactly.
@Suite("CommonMark spec")
struct CommonMarkSpecTests {
    /// Examples whose expected HTML we deliberately do not produce, with the reason.
    /// Empty: all 652 pass, CJK-friendly emphasis included.
    static let deliberateDifferences: [Int: String] = [:]

    static let specOptions = MarkdownOptions(unsafeHTML: true, headingIDs: false)

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
}
