/// GFM strikethrough: `~~text~~` or `~text~` becomes `del`. A run of one or two tildes
/// opens when left-flanking and closes when right-flanking (CommonMark's delimiter rules);
/// an opener and a closer match only when equally long; three or more tildes are text.
/// cmark leaves every tilde in its text nodes, so the runs are found there, across
/// emphasis, code and links between them in the same inline list.
enum Strikethrough {
    private enum Atom {
        case text(String, SourcePosition)
        case run(Int, SourcePosition, canOpen: Bool, canClose: Bool)
        case other(Inline)
    }

    static func apply(_ inlines: [Inline], source: SourceText) -> [Inline] {
        var changedChildren: [Inline] = []
        var hasTilde = false
        for var inline in inlines {
            switch inline.kind {
            case .text(let s): if s.utf8.contains(UInt8(ascii: "~")) { hasTilde = true }
            case .emphasis(let c): inline.kind = .emphasis(apply(c, source: source))
            case .strong(let c): inline.kind = .strong(apply(c, source: source))
            case .link(let d, let t, let c): inline.kind = .link(destination: d, title: t, children: apply(c, source: source))
            case .image(let s, let t, let c): inline.kind = .image(source: s, title: t, children: apply(c, source: source))
            case .tagged(let tag, let c): inline.kind = .tagged(tag, apply(c, source: source))
            default: break
            }
            changedChildren.append(inline)
        }
        guard hasTilde else { return changedChildren }
        return match(atoms(changedChildren, source: source))
    }

    private static func atoms(_ inlines: [Inline], source: SourceText) -> [Atom] {
        // Characters around each run: breaks and the line's edges count as whitespace,
        // other elements as punctuation (their markup is).
        var pieces: [(Atom, first: Unicode.Scalar?, last: Unicode.Scalar?)] = []
        for inline in inlines {
            switch inline.kind {
            case .text(let s):
                let scalars = Array(s.unicodeScalars)
                let walk = SourceWalk(scalars, at: inline.position, source: source)
                let escaped = walk?.escaped
                func shifted(_ p: SourcePosition, _ by: Int) -> SourcePosition { walk?.position(by) ?? Strikethrough.shifted(p, by) }
                var i = 0, plain = 0
                func flush(_ end: Int) {
                    if end > plain {
                        pieces.append((.text(String(String.UnicodeScalarView(scalars[plain..<end])), shifted(inline.position, plain)),
                                       scalars[plain], scalars[end - 1]))
                    }
                }
                while i < scalars.count {
                    guard scalars[i] == "~", escaped?[i] != true else { i += 1; continue }
                    flush(i)
                    var j = i
                    while j < scalars.count, scalars[j] == "~", escaped?[j] != true { j += 1 }
                    pieces.append((.run(j - i, shifted(inline.position, i), canOpen: false, canClose: false), "~", "~"))
                    i = j
                    plain = j
                }
                flush(scalars.count)
            case .softBreak, .lineBreak:
                pieces.append((.other(inline), " ", " "))
            default:
                pieces.append((.other(inline), "!", "!"))
            }
        }
        var result: [Atom] = []
        for (k, piece) in pieces.enumerated() {
            guard case .run(let count, let position, _, _) = piece.0 else {
                result.append(piece.0)
                continue
            }
            let before = k > 0 ? pieces[k - 1].last ?? " " : " "
            let after = k + 1 < pieces.count ? pieces[k + 1].first ?? " " : " "
            let left = !isWhitespace(after) && (!isPunctuation(after) || isWhitespace(before) || isPunctuation(before))
            let right = !isWhitespace(before) && (!isPunctuation(before) || isWhitespace(after) || isPunctuation(after))
            let delimiter = count <= 2
            result.append(.run(count, position, canOpen: delimiter && left, canClose: delimiter && right))
        }
        return result
    }

    /// Which characters of a text were written as a backslash escape or an entity (`\~`,
    /// `&#126;`), and so are no delimiters. Nil when the line has neither.
    static func escapes(_ scalars: [Unicode.Scalar], at p: SourcePosition, source: SourceText) -> [Bool]? {
        SourceWalk(scalars, at: p, source: source)?.escaped
    }

    private static func match(_ atoms: [Atom]) -> [Inline] {
        var pairs: [Int: Int] = [:]  // opener index -> closer index
        var openers: [Int] = []
        for (i, atom) in atoms.enumerated() {
            guard case .run(let count, _, let canOpen, let canClose) = atom else { continue }
            if canClose, let o = openers.last {
                openers.removeLast()
                if case .run(let openCount, _, _, _) = atoms[o], openCount == count { pairs[o] = i }
                continue
            }
            if canOpen { openers.append(i) }
        }
        var result: [Inline] = []
        func build(_ range: Range<Int>, into out: inout [Inline]) {
            var i = range.lowerBound
            while i < range.upperBound {
                switch atoms[i] {
                case .text(let s, let p): appendText(s, p, &out)
                case .other(let inline): out.append(inline)
                case .run(let count, let p, _, _):
                    if let closer = pairs[i], closer < range.upperBound {
                        var inner: [Inline] = []
                        build((i + 1)..<closer, into: &inner)
                        out.append(Inline(.tagged(.deleted, mergingText(inner)), at: p))
                        i = closer
                    } else {
                        appendText(String(repeating: "~", count: count), p, &out)
                    }
                }
                i += 1
            }
        }
        build(0..<atoms.count, into: &result)
        return mergingText(result)
    }

    private static func appendText(_ s: String, _ p: SourcePosition, _ out: inout [Inline]) {
        out.append(Inline(.text(s), at: p))
    }

    /// Neighbouring texts as one, joined once at the end: joining each piece onto the last
    /// as it came copied the whole text every time, and a page of 300,000 unmatched `~~`
    /// took minutes.
    private static func mergingText(_ inlines: [Inline]) -> [Inline] {
        var out: [Inline] = []
        out.reserveCapacity(inlines.count)
        var pending = ""
        var pendingAt: SourcePosition?
        func flush() {
            if let at = pendingAt { out.append(Inline(.text(pending), at: at)) }
            pending = ""
            pendingAt = nil
        }
        for inline in inlines {
            if case .text(let s) = inline.kind {
                if pendingAt == nil { pendingAt = inline.position }
                pending += s
            } else {
                flush()
                out.append(inline)
            }
        }
        flush()
        return out
    }

    static func shifted(_ p: SourcePosition, _ by: Int) -> SourcePosition {
        SourcePosition(line: p.line, column: p.column + by)
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\r" || s == "\u{0C}" || s.properties.generalCategory == .spaceSeparator
    }

    /// cmark's punctuation: ASCII punctuation and Unicode's P categories.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return (0x21...0x2F).contains(s.value) || (0x3A...0x40).contains(s.value) || (0x5B...0x60).contains(s.value) || (0x7B...0x7E).contains(s.value) }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }
}
