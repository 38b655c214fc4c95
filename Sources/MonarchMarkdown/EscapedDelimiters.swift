internal import CCmark

/// Tells which `*` and `_` characters in cmark's text nodes were written as a backslash
/// escape (`\*`) or an entity (`&ast;`, `&#42;`, ...) and so are never delimiters.
///
/// cmark merges adjacent text, so an escaped `*` and a leftover delimiter run look the same
/// in its tree. To tell them apart, the source is parsed a second time with every such
/// escape or entity turned into the same-length form of `!` (`\*` → `\!`, `&#42;` →
/// `&#33;`): a neutral punctuation character, so the tree keeps its shape and every text
/// node its length. Where the two parses disagree on a `*` or `_`, it was escaped.
/// The second parse happens only for documents that need it, at most once.
struct EscapedDelimiters {
    private enum State {
        case unbuilt
        /// The source has no escaped `*` or `_`.
        case noEscapes
        /// The text nodes of the second parse, in document order, empty ones left out.
        case texts([[Unicode.Scalar]])
    }

    private let source: SourceText
    private var state = State.unbuilt

    init(source: SourceText) {
        self.source = source
    }

    /// For the text node at `ordinal` (document order, empty text left out) with these
    /// characters: `true` for each `*` or `_` that is not a delimiter; nil if none is.
    mutating func escapedMask(ordinal: Int, scalars: [Unicode.Scalar]) -> [Bool]? {
        if case .unbuilt = state { state = build() }
        guard case .texts(let texts) = state else { return nil }
        let isDelimiterChar: (Unicode.Scalar) -> Bool = { $0 == "*" || $0 == "_" }
        guard ordinal < texts.count, texts[ordinal].count == scalars.count else {
            // The two parses differ (a link label changed its match): trust no `*` here.
            return scalars.map(isDelimiterChar)
        }
        let other = texts[ordinal]
        var mask = [Bool](repeating: false, count: scalars.count)
        var any = false
        for i in scalars.indices where isDelimiterChar(scalars[i]) && other[i] != scalars[i] {
            mask[i] = true
            any = true
        }
        return any ? mask : nil
    }

    private func build() -> State {
        guard let neutral = Self.neutralized(source.bytes) else { return .noEscapes }
        guard let root = CMarkParser.parseTree(neutral) else { return .noEscapes }
        defer { cmark_node_free(root) }
        var texts: [[Unicode.Scalar]] = []
        let iter = cmark_iter_new(root)
        defer { cmark_iter_free(iter) }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter),
                  cmark_node_get_type(node) == CMARK_NODE_TEXT,
                  let literal = cmark_node_get_literal(node), literal.pointee != 0 else { continue }
            texts.append(Array(String(cString: literal).unicodeScalars))
        }
        return .texts(texts)
    }

    /// The source with every escaped or entity-encoded `*` and `_` replaced by the
    /// same-length form of `!`; nil when there is none.
    static func neutralized(_ bytes: [UInt8]) -> [UInt8]? {
        var out = bytes
        var changed = false
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == UInt8(ascii: "\\"), i + 1 < n, isASCIIPunctuation(bytes[i + 1]) {
                if bytes[i + 1] == UInt8(ascii: "*") || bytes[i + 1] == UInt8(ascii: "_") {
                    out[i + 1] = UInt8(ascii: "!")
                    changed = true
                }
                i += 2
                continue
            }
            if b == UInt8(ascii: "&"), let length = delimiterEntityLength(bytes, at: i) {
                // `&#` + digits + `;` spelling 33 (`!`), as long as the original.
                let digits = length - 3
                out[i + 1] = UInt8(ascii: "#")
                for k in 0..<digits { out[i + 2 + k] = UInt8(ascii: "0") }
                out[i + 2 + digits - 2] = UInt8(ascii: "3")
                out[i + 2 + digits - 1] = UInt8(ascii: "3")
                out[i + length - 1] = UInt8(ascii: ";")
                changed = true
                i += length
                continue
            }
            i += 1
        }
        return changed ? out : nil
    }

    /// The length of an entity at `i` that decodes to `*` or `_`, if there is one.
    private static func delimiterEntityLength(_ bytes: [UInt8], at i: Int) -> Int? {
        let n = bytes.count
        var j = i + 1
        guard j < n else { return nil }
        if bytes[j] == UInt8(ascii: "#") {
            j += 1
            var hex = false
            if j < n, bytes[j] == UInt8(ascii: "x") || bytes[j] == UInt8(ascii: "X") {
                hex = true
                j += 1
            }
            var value = 0
            let digitsStart = j
            while j < n, j - digitsStart < 8, let d = digitValue(bytes[j], hex: hex) {
                value = value * (hex ? 16 : 10) + d
                j += 1
            }
            guard j > digitsStart, j < n, bytes[j] == UInt8(ascii: ";"), value == 42 || value == 95 else { return nil }
            let length = j + 1 - i
            // Written in the decimal form `&#0…33;`: needs at least two digit places.
            return length >= 5 ? length : nil
        }
        while j < n, j - i <= 32, isASCIIAlphanumeric(bytes[j]) { j += 1 }
        guard j < n, bytes[j] == UInt8(ascii: ";") else { return nil }
        switch bytes[(i + 1)..<j] {
        case ArraySlice("ast".utf8), ArraySlice("midast".utf8), ArraySlice("lowbar".utf8), ArraySlice("UnderBar".utf8):
            return j + 1 - i
        default:
            return nil
        }
    }

    private static func digitValue(_ b: UInt8, hex: Bool) -> Int? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: return Int(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: return Int(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func isASCIIAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    static func isASCIIPunctuation(_ b: UInt8) -> Bool {
        (0x21...0x2F).contains(b) || (0x3A...0x40).contains(b) || (0x5B...0x60).contains(b) || (0x7B...0x7E).contains(b)
    }
}
