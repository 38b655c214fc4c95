/// Character classes for delimiter-run flanking: cmark's own (CommonMark 0.30) and the
/// CJK-friendly amendment (github.com/tats-u/markdown-cjk-friendly, ranges for Unicode 16).
enum FlankingClass {
    /// cmark's `cmark_utf8proc_is_space`.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 9, 10, 12, 13, 32, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// cmark's `cmark_utf8proc_is_punctuation`: ASCII punctuation or a Unicode P* character.
    static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        if c.value < 128 {
            switch c.value {
            case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return true
            default: return false
            }
        }
        switch c.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// A CJK character: East Asian Width W, F or H and not a default emoji presentation
    /// character, or Hangul (the proposal's generated ranges, Unicode 16).
    static func isCJK(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 0x1100 { return false }
        if v >= 0x20000 { return v <= 0x3FFFD }
        // Ranges sorted by start; a binary search would do, but the hot path (Han, kana,
        // Hangul, fullwidth forms) is reached in a few comparisons.
        for range in cjkRanges {
            if v < range.lowerBound { return false }
            if v <= range.upperBound { return true }
        }
        return false
    }

    static func isNonCJKPunctuation(_ c: Unicode.Scalar) -> Bool {
        isPunctuation(c) && !isCJK(c)
    }

    /// Variation Selectors Supplement (ideographic variation selectors).
    static func isIdeographicVariationSelector(_ c: Unicode.Scalar) -> Bool {
        (0xE0100...0xE01EF).contains(c.value)
    }

    /// U+FE00–U+FE0E: variation selectors other than the emoji presentation selector.
    static func isNonEmojiVariationSelector(_ c: Unicode.Scalar) -> Bool {
        (0xFE00...0xFE0E).contains(c.value)
    }

    /// Quotation marks that are CJK punctuation when followed by U+FE01 (fullwidth form).
    static func isAmbiguousQuote(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x2018, 0x2019, 0x201C, 0x201D: return true
        default: return false
        }
    }

    private static let cjkRanges: [ClosedRange<UInt32>] = [
        0x1100...0x11FF, 0x20A9...0x20A9, 0x2329...0x232A, 0x2630...0x2637, 0x268A...0x268F,
        0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x2FF0...0x303E, 0x3041...0x3096,
        0x3099...0x30FF, 0x3105...0x312F, 0x3131...0x318E, 0x3190...0x31E5, 0x31EF...0x321E,
        0x3220...0x3247, 0x3250...0xA48C, 0xA490...0xA4C6, 0xA960...0xA97C, 0xAC00...0xD7A3,
        0xD7B0...0xD7C6, 0xD7CB...0xD7FB, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE52,
        0xFE54...0xFE66, 0xFE68...0xFE6B, 0xFF01...0xFFBE, 0xFFC2...0xFFC7, 0xFFCA...0xFFCF,
        0xFFD2...0xFFD7, 0xFFDA...0xFFDC, 0xFFE0...0xFFE6, 0xFFE8...0xFFEE, 0x16FE0...0x16FE4,
        0x16FF0...0x16FF6, 0x17000...0x18CD5, 0x18CFF...0x18D1E, 0x18D80...0x18DF2,
        0x1AFF0...0x1AFF3, 0x1AFF5...0x1AFFB, 0x1AFFD...0x1AFFE, 0x1B000...0x1B122,
        0x1B132...0x1B132, 0x1B150...0x1B152, 0x1B155...0x1B155, 0x1B164...0x1B167,
        0x1B170...0x1B2FB, 0x1D300...0x1D356, 0x1D360...0x1D376, 0x1F200...0x1F200,
        0x1F202...0x1F202, 0x1F210...0x1F219, 0x1F21B...0x1F22E, 0x1F230...0x1F231,
        0x1F237...0x1F237, 0x1F23B...0x1F23B, 0x1F240...0x1F248, 0x1F260...0x1F265,
    ]
}

/// What is on one side of a delimiter run: a character (with the one beyond it, for
/// variation-selector sequences), or something that stands for whitespace or punctuation.
struct Neighbour {
    /// The adjacent character.
    var scalar: Unicode.Scalar
    /// The character beyond it (before it for the left side, after it for the right side).
    var beyond: Unicode.Scalar?

    static let whitespace = Neighbour(scalar: "\n", beyond: nil)
    /// A code span, link, emphasis or other inline element: its source starts or ends with
    /// ASCII punctuation (`` ` ``, `[`, `]`, `)`, `*`, `_`, `<`, `>`, `!`).
    static let punctuation = Neighbour(scalar: "!", beyond: nil)
}

/// Whether a delimiter run can open and close emphasis.
struct DelimiterFlags: Equatable {
    var canOpen: Bool
    var canClose: Bool

    /// CommonMark 0.30 as cmark computes it.
    static func commonMark(char: UInt8, before: Neighbour, after: Neighbour) -> DelimiterFlags {
        let b = before.scalar, a = after.scalar
        let spB = FlankingClass.isSpace(b), spA = FlankingClass.isSpace(a)
        let pB = FlankingClass.isPunctuation(b), pA = FlankingClass.isPunctuation(a)
        let left = !spA && (!pA || spB || pB)
        let right = !spB && (!pB || spA || pA)
        return resolve(char: char, left: left, right: right, punctBefore: pB, punctAfter: pA)
    }

    /// The CJK-friendly amendment to the flanking rules (commonmark-spec issue 650).
    static func cjkFriendly(char: UInt8, before: Neighbour, after: Neighbour) -> DelimiterFlags {
        let b = before.scalar, a = after.scalar
        // A variation selector after a character forms a sequence with it.
        var base = b
        if FlankingClass.isNonEmojiVariationSelector(b), let beyond = before.beyond { base = beyond }
        let ambiguousBefore = b.value == 0xFE01 && FlankingClass.isAmbiguousQuote(base)
        let ambiguousAfter = FlankingClass.isAmbiguousQuote(a) && after.beyond?.value == 0xFE01

        let spB = FlankingClass.isSpace(b), spA = FlankingClass.isSpace(a)
        let nonCJKPunctBefore = FlankingClass.isNonCJKPunctuation(base) && !ambiguousBefore
        let nonCJKPunctAfter = FlankingClass.isNonCJKPunctuation(a) && !ambiguousAfter
        let cjkBefore = FlankingClass.isCJK(base)
        let ivsBefore = FlankingClass.isIdeographicVariationSelector(b)
        let cjkAfter = FlankingClass.isCJK(a)

        let left = !spA && (!nonCJKPunctAfter || spB || nonCJKPunctBefore || cjkBefore || ivsBefore)
        let right = !spB && (!nonCJKPunctBefore || spA || nonCJKPunctAfter || cjkAfter)
        return resolve(char: char, left: left, right: right,
                       punctBefore: FlankingClass.isPunctuation(base),
                       punctAfter: FlankingClass.isPunctuation(a))
    }

    private static func resolve(char: UInt8, left: Bool, right: Bool, punctBefore: Bool, punctAfter: Bool) -> DelimiterFlags {
        if char == UInt8(ascii: "_") {
            return DelimiterFlags(canOpen: left && (!right || punctBefore),
                                  canClose: right && (!left || punctAfter))
        }
        return DelimiterFlags(canOpen: left, canClose: right)
    }
}
