import Testing
@testable import MonarchMarkdown

/// The Swift renderer against libcmark's own `cmark_render_html` on the same input, in
/// safe and unsafe mode: the spec, cmark's regression and smart-punctuation examples, and
/// generated text full of Markdown punctuation.
@Suite("Same HTML as libcmark")
struct ReferenceRendererTests {
    static let corpora: [SpecExample] =
        SpecCorpus.examples
        + SpecCorpus.examples(inSpecFormat: "corpus/commonmark/regression.txt")
        + SpecCorpus.examples(inSpecFormat: "corpus/commonmark/smart_punct.txt")

    static func check(_ markdown: String, cjk: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        for unsafe in [false, true] {
            let options = MarkdownOptions(unsafeHTML: unsafe, headingIDs: false, cjkFriendlyEmphasis: cjk, extensions: false)
            let ours = MarkdownDocument.parse(markdown, options: options).html()
            let theirs = CMarkParser.referenceHTML(markdown, unsafeHTML: unsafe)
            #expect(ours == theirs, "unsafe: \(unsafe), markdown: \(markdown.debugDescription)", sourceLocation: sourceLocation)
        }
    }

    @Test("corpus files are found")
    func corporaLoaded() {
        #expect(Self.corpora.count >= 652 + 16 + 16)
    }

    @Test("every corpus example, CJK-friendly emphasis off")
    func corpusWithoutCJK() {
        for example in Self.corpora { Self.check(example.markdown, cjk: false) }
    }

    @Test("every corpus example without CJK characters, CJK-friendly emphasis on")
    func corpusWithCJKOn() {
        for example in Self.corpora where !example.markdown.unicodeScalars.contains(where: FlankingClass.isCJK) {
            Self.check(example.markdown, cjk: true)
        }
    }

    /// Random text over Markdown's busiest characters and some non-ASCII letters and
    /// punctuation (Thai, accents, curly quotes, CJK): without CJK characters the CJK pass
    /// must change nothing; with them, the rest of the renderer must still match.
    @Test("generated text", arguments: 0..<8)
    func generated(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let alphabet: [String] = ["*", "**", "_", "__", "`", "[", "]", "(", ")", "!", "\\", "<", ">", "&", ";",
                                  "#", "-", "+", "1.", "\n", "\n\n", " ", "  ", "    ", "\t", "a", "foo", "é",
                                  "ก่", "“", "”", "—", "&amp;", "&ast;", "\\*", "http://x.y", "<b>", "\"", "'",
                                  "~~~", "```", "|", ":", "=", "===", "[x]: /u", "javascript:x", "data:x",
                                  "重要", "。", "인용", "（"]
        for _ in 0..<400 {
            var markdown = ""
            for _ in 0..<Int(rng.next() % 40) {
                markdown += alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            // With CJK characters the CJK pass may differ from cmark on purpose.
            let hasCJK = markdown.unicodeScalars.contains(where: FlankingClass.isCJK)
            Self.check(markdown, cjk: !hasCJK)
        }
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
