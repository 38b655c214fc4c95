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
    /// The delimiter (`*` or `_`) of each emphasis cmark made, by the emphasis's position.
    private var delimiters: [SourcePosition: UInt8] = [:]

    init(source: SourceText) {
        escapes = EscapedDelimiters(source: source)
    }

    /// Notes the character an emphasis or strong emphasis at `position` was written with.
    mutating func noteDelimiter(_ char: UInt8?, at position: SourcePosition) {
        if let char, char == UInt8(ascii: "*") || char == UInt8(ascii: "_") { delimiters[position] = char }
    }

    mutating func process(_ inlines: [Inline]) -> [Inline] {
        processScope(inlines, topLevel: true)
    }

    /// A scope's content in source order, cmark's emphasis opened up again into the
    /// delimiter runs it was made of: `**重要。**之后**粗体**` was matched by cmark as
    /// `<strong>重要。<strong>之后</strong>粗体</strong>`, which only matching all four runs
    /// again with the amended flags undoes.
    private enum Item {
        case text(Inline, ordinal: Int)
        case run(UInt8, Int, SourcePosition)
        case other(Inline)
    }

    private mutating func processScope(_ inlines: [Inline], topLevel: Bool) -> [Inline] {
        var items: [Item] = []
        items.reserveCapacity(inlines.count)
        var hasDelimiter = false
        let tree = walk(inlines, into: &items, hasDelimiter: &hasDelimiter)
        guard hasDelimiter else { return tree }
        // First assume every `*` and `_` is a delimiter; look escapes up only if that
        // would change something.
        guard pieces(items, topLevel: topLevel, checkEscapes: false) != nil,
              let exact = pieces(items, topLevel: topLevel, checkEscapes: true) else {
            return tree
        }
        var matcher = EmphasisMatcher(exact)
        return matcher.run()
    }

    /// `inlines` with the scopes of their own (links, images, tagged text) processed, and
    /// their items in source order (text nodes numbered, emphasis opened into runs).
    private mutating func walk(_ inlines: [Inline], into items: inout [Item], hasDelimiter: inout Bool) -> [Inline] {
        var children: [Inline] = []
        children.reserveCapacity(inlines.count)
        for inline in inlines {
            var child = inline
            switch inline.kind {
            case .text(let s):
                items.append(.text(inline, ordinal: nextOrdinal))
                nextOrdinal += 1
                // On the stored bytes: the generic UTF8View loop was 2.5% of a build.
                let isDelimiter = { (byte: UInt8) in byte == UInt8(ascii: "*") || byte == UInt8(ascii: "_") }
                if !hasDelimiter,
                   s.utf8.withContiguousStorageIfAvailable({ $0.contains(where: isDelimiter) }) ?? s.utf8.contains(where: isDelimiter) {
                    hasDelimiter = true
                }
            case .emphasis(let c), .strong(let c):
                let count: Int
                if case .emphasis = inline.kind { count = 1 } else { count = 2 }
                if let char = delimiters[inline.position] {
                    hasDelimiter = true
                    items.append(.run(char, count, inline.position))
                    let inner = walk(c, into: &items, hasDelimiter: &hasDelimiter)
                    items.append(.run(char, count, inner.last?.position ?? inline.position))
                    child.kind = count == 1 ? .emphasis(inner) : .strong(inner)
                } else {
                    let inner = processScope(c, topLevel: false)
                    child.kind = count == 1 ? .emphasis(inner) : .strong(inner)
                    items.append(.other(child))
                }
            case .link(let destination, let title, let c):
                if Self.isAutolink(destination: destination, children: c) {
                    nextOrdinal += 1  // its one text node, left as it is
                } else {
                    child.kind = .link(destination: destination, title: title, children: processScope(c, topLevel: false))
                }
                items.append(.other(child))
            case .image(let source, let title, let c):
                child.kind = .image(source: source, title: title, children: processScope(c, topLevel: false))
                items.append(.other(child))
            case .tagged(let tag, let c):
                child.kind = .tagged(tag, processScope(c, topLevel: false))
                items.append(.other(child))
            case .softBreak, .lineBreak, .code, .html, .footnoteReference:
                items.append(.other(child))
            }
            children.append(child)
        }
        return children
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
    private mutating func pieces(_ items: [Item], topLevel: Bool, checkEscapes: Bool) -> [(EmphasisMatcher.Piece, SourcePosition)]? {
        var atoms: [Atom] = []
        atoms.reserveCapacity(items.count * 2)
        for item in items {
            switch item {
            case .text(let child, let ordinal):
                guard case .text(let s) = child.kind else { continue }
                let scalars = Array(s.unicodeScalars)
                let mask = checkEscapes ? escapes.escapedMask(ordinal: ordinal, scalars: scalars) : nil
                split(scalars, escaped: mask, at: child.position, into: &atoms)
            case .run(let char, let count, let position):
                // Runs of one emphasis's end and the next's start were one run in the source.
                if case .run(let previous, let before, let at) = atoms.last, previous == char {
                    atoms[atoms.count - 1] = .run(char, before + count, at)
                } else {
                    atoms.append(.run(char, count, position))
                }
            case .other(let child):
                switch child.kind {
                case .softBreak, .lineBreak: atoms.append(.other(child, .whitespace))
                default: atoms.append(.other(child, .punctuation))
                }
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
