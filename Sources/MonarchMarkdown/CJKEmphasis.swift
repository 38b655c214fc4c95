/// CJK-friendly emphasis (commonmark-spec issue 650; github.com/tats-u/markdown-cjk-friendly).
///
/// cmark applies CommonMark's flanking rules, so `**重要。**之后` stays literal: the closing
/// `**` follows punctuation and precedes a letter. cmark leaves such runs as text. For each
/// inline scope (a paragraph or heading, and separately the inside of every emphasis,
/// link and image, as CommonMark scopes them), this pass finds the `*` and `_` runs left in
/// the text, computes their flags with the amended rules (a CJK character or CJK
/// punctuation next to the run relaxes them) and, only if some run's flags change, runs
/// CommonMark's emphasis matching again over those runs. A scope where nothing changes is
/// returned exactly as cmark built it, so text without CJK stays pure CommonMark.
///
/// Neighbours that are not text count as punctuation (code spans, links, emphasis) or
/// whitespace (line breaks, and the edges of a paragraph or heading); the edges of a
/// link's or emphasis's content count as punctuation (`[`, `]`, `*`, `_`). Backslash-escaped
/// and entity-encoded `*` and `_` are found with `EscapedDelimiters` and stay literal.
struct CJKEmphasis {
    private var escapes: EscapedDelimiters
    /// Document-order number of the next text node, shared with `EscapedDelimiters`.
    private var nextOrdinal = 0

    init(source: SourceText) {
        escapes = EscapedDelimiters(source: source)
    }

    mutating func process(_ inlines: [Inline]) -> [Inline] {
        processScope(inlines, topLevel: true)
    }

    private mutating func processScope(_ inlines: [Inline], topLevel: Bool) -> [Inline] {
        var children: [Inline] = []
        children.reserveCapacity(inlines.count)
        var ordinals: [Int] = []
        ordinals.reserveCapacity(inlines.count)
        var hasDelimiterChar = false
        for inline in inlines {
            var ordinal = -1
            var child = inline
            switch inline.kind {
            case .text(let s):
                ordinal = nextOrdinal
                nextOrdinal += 1
                // On the stored bytes: the generic UTF8View loop was 2.5% of a build.
                let isDelimiter = { (byte: UInt8) in byte == UInt8(ascii: "*") || byte == UInt8(ascii: "_") }
                if !hasDelimiterChar,
                   s.utf8.withContiguousStorageIfAvailable({ $0.contains(where: isDelimiter) }) ?? s.utf8.contains(where: isDelimiter) {
                    hasDelimiterChar = true
                }
            case .emphasis(let c):
                child.kind = .emphasis(processScope(c, topLevel: false))
            case .strong(let c):
                child.kind = .strong(processScope(c, topLevel: false))
            case .link(let destination, let title, let c):
                if Self.isAutolink(destination: destination, children: c) {
                    nextOrdinal += 1  // its one text node, left as it is
                } else {
                    child.kind = .link(destination: destination, title: title, children: processScope(c, topLevel: false))
                }
            case .image(let source, let title, let c):
                child.kind = .image(source: source, title: title, children: processScope(c, topLevel: false))
            case .tagged(let tag, let c):
                child.kind = .tagged(tag, processScope(c, topLevel: false))
            case .softBreak, .lineBreak, .code, .html, .footnoteReference:
                break
            }
            children.append(child)
            ordinals.append(ordinal)
        }
        guard hasDelimiterChar else { return children }
        // First assume every `*` and `_` is a delimiter; look escapes up only if that
        // would change something.
        guard pieces(children, ordinals, topLevel: topLevel, checkEscapes: false) != nil,
              let exact = pieces(children, ordinals, topLevel: topLevel, checkEscapes: true) else {
            return children
        }
        var matcher = EmphasisMatcher(exact)
        return matcher.run()
    }

    /// `<https://…>` and `<a@b.c>`: their text is the address, never emphasis.
    private static func isAutolink(destination: String, children: [Inline]) -> Bool {
        guard children.count == 1, case .text(let text) = children[0].kind else { return false }
        return text == destination || "mailto:" + text == destination
    }

    private enum Atom {
        case text([Unicode.Scalar], SourcePosition)
        case run(UInt8, Int, SourcePosition)
        case other(Inline, Neighbour)
    }

    /// The scope as pieces for `EmphasisMatcher` with CJK-friendly flags, or nil when no
    /// run's flags differ from CommonMark's.
    private mutating func pieces(_ children: [Inline], _ ordinals: [Int], topLevel: Bool,
                                 checkEscapes: Bool) -> [(EmphasisMatcher.Piece, SourcePosition)]? {
        var atoms: [Atom] = []
        atoms.reserveCapacity(children.count * 2)
        for (index, child) in children.enumerated() {
            switch child.kind {
            case .text(let s):
                let scalars = Array(s.unicodeScalars)
                let mask = checkEscapes ? escapes.escapedMask(ordinal: ordinals[index], scalars: scalars) : nil
                split(scalars, escaped: mask, at: child.position, into: &atoms)
            case .softBreak, .lineBreak:
                atoms.append(.other(child, .whitespace))
            default:
                atoms.append(.other(child, .punctuation))
            }
        }

        let edge = topLevel ? Neighbour.whitespace : Neighbour.punctuation
        var result: [(EmphasisMatcher.Piece, SourcePosition)] = []
        result.reserveCapacity(atoms.count)
        var changed = false
        for (i, atom) in atoms.enumerated() {
            switch atom {
            case .text(let scalars, let position):
                result.append((.text(String(String.UnicodeScalarView(scalars))), position))
            case .other(let inline, _):
                result.append((.inline(inline), inline.position))
            case .run(let char, let count, let position):
                let before = i > 0 ? Self.trailingNeighbour(of: atoms[i - 1]) : edge
                let after = i + 1 < atoms.count ? Self.leadingNeighbour(of: atoms[i + 1]) : edge
                let flags = DelimiterFlags.cjkFriendly(char: char, before: before, after: after)
                if flags != DelimiterFlags.commonMark(char: char, before: before, after: after) { changed = true }
                result.append((.run(char: char, count: count, flags: flags), position))
            }
        }
        return changed ? result : nil
    }

    /// Splits text into plain parts and maximal runs of unescaped `*` or `_`.
    private func split(_ scalars: [Unicode.Scalar], escaped: [Bool]?, at position: SourcePosition, into atoms: inout [Atom]) {
        var plainStart = 0
        var i = 0
        func isDelimiter(_ k: Int) -> Bool {
            (scalars[k] == "*" || scalars[k] == "_") && !(escaped?[k] ?? false)
        }
        while i < scalars.count {
            guard isDelimiter(i) else {
                i += 1
                continue
            }
            if i > plainStart {
                atoms.append(.text(Array(scalars[plainStart..<i]), Self.shifted(position, by: plainStart)))
            }
            let char = scalars[i]
            var j = i
            while j < scalars.count, scalars[j] == char, isDelimiter(j) { j += 1 }
            atoms.append(.run(UInt8(char.value), j - i, Self.shifted(position, by: i)))
            i = j
            plainStart = j
        }
        if plainStart < scalars.count {
            atoms.append(.text(Array(scalars[plainStart...]), Self.shifted(position, by: plainStart)))
        }
    }

    /// A position `characters` further along the line (exact where the text was written
    /// without escapes or entities).
    private static func shifted(_ p: SourcePosition, by characters: Int) -> SourcePosition {
        SourcePosition(line: p.line, column: p.column + characters)
    }

    private static func trailingNeighbour(of atom: Atom) -> Neighbour {
        switch atom {
        case .text(let s, _): return Neighbour(scalar: s[s.count - 1], beyond: s.count > 1 ? s[s.count - 2] : nil)
        case .run(let char, _, _): return Neighbour(scalar: Unicode.Scalar(char), beyond: nil)
        case .other(_, let n): return n
        }
    }

    private static func leadingNeighbour(of atom: Atom) -> Neighbour {
        switch atom {
        case .text(let s, _): return Neighbour(scalar: s[0], beyond: s.count > 1 ? s[1] : nil)
        case .run(let char, _, _): return Neighbour(scalar: Unicode.Scalar(char), beyond: nil)
        case .other(_, let n): return n
        }
    }
}
