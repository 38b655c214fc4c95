/// The walks the extensions share: rebuilding a tree with some blocks or inline lists
/// replaced, and moving every position of a tree parsed from a piece of the source
/// (a table cell, a footnote body) to where that piece is.
enum BlockRewriting {
    /// Rebuilds `blocks`, children first, replacing each block by what `replace` returns
    /// (nil: the block stays as it is). Unchanged lists are not copied.
    static func rewrite(_ blocks: [Block], _ replace: (Block) -> [Block]?) -> [Block] {
        rewriteIfChanged(blocks, replace) ?? blocks
    }

    /// The rewritten blocks, or nil if nothing changed.
    private static func rewriteIfChanged(_ blocks: [Block], _ replace: (Block) -> [Block]?) -> [Block]? {
        var result: [Block]?
        for (index, original) in blocks.enumerated() {
            var block = original
            var childrenChanged = false
            switch block.kind {
            case .blockQuote(let children):
                if let new = rewriteIfChanged(children, replace) { block.kind = .blockQuote(new); childrenChanged = true }
            case .list(var list):
                for i in list.items.indices {
                    if let new = rewriteIfChanged(list.items[i].blocks, replace) { list.items[i].blocks = new; childrenChanged = true }
                }
                if childrenChanged { block.kind = .list(list) }
            case .table(var table):
                for r in table.head.indices { childrenChanged = rewriteRow(&table.head[r], replace) || childrenChanged }
                for r in table.body.indices { childrenChanged = rewriteRow(&table.body[r], replace) || childrenChanged }
                if childrenChanged { block.kind = .table(table) }
            case .callout(let kind, let children):
                if let new = rewriteIfChanged(children, replace) { block.kind = .callout(kind, new); childrenChanged = true }
            case .details(let summary, let children, let open):
                if let new = rewriteIfChanged(children, replace) { block.kind = .details(summary: summary, blocks: new, open: open); childrenChanged = true }
            case .definitionList(var items):
                for i in items.indices {
                    for d in items[i].definitions.indices {
                        if let new = rewriteIfChanged(items[i].definitions[d], replace) { items[i].definitions[d] = new; childrenChanged = true }
                    }
                }
                if childrenChanged { block.kind = .definitionList(items) }
            case .footnotes(var notes):
                for i in notes.indices {
                    if let new = rewriteIfChanged(notes[i].blocks, replace) { notes[i].blocks = new; childrenChanged = true }
                }
                if childrenChanged { block.kind = .footnotes(notes) }
            case .paragraph, .heading, .codeBlock, .htmlBlock, .thematicBreak:
                break
            }
            let replaced = replace(block)
            if replaced == nil && !childrenChanged {
                result?.append(original)
                continue
            }
            if result == nil { result = Array(blocks[..<index]) }
            result!.append(contentsOf: replaced ?? [block])
        }
        return result
    }

    private static func rewriteRow(_ row: inout TableRow, _ replace: (Block) -> [Block]?) -> Bool {
        var changed = false
        for i in row.cells.indices {
            if let new = rewriteIfChanged(row.cells[i].blocks, replace) { row.cells[i].blocks = new; changed = true }
        }
        return changed
    }

    /// Rebuilds `blocks` with every paragraph's, heading's and summary's inlines replaced
    /// by what `replace` returns (nil: they stay as they are).
    static func rewriteInlines(_ blocks: [Block], _ replace: ([Inline]) -> [Inline]?) -> [Block] {
        rewrite(blocks) { block in
            var block = block
            switch block.kind {
            case .paragraph(let inlines):
                guard let new = replace(inlines) else { return nil }
                block.kind = .paragraph(new)
            case .heading(let level, let content, let id):
                guard let new = replace(content) else { return nil }
                block.kind = .heading(level: level, content: new, id: id)
            case .details(let summary, let children, let open):
                guard let new = replace(summary) else { return nil }
                block.kind = .details(summary: new, blocks: children, open: open)
            default:
                return nil
            }
            return [block]
        }
    }

    /// Joins neighbouring text nodes (cmark splits text at characters that might have been
    /// markup, like `[` or `_`), so that a URL, `[^1]` or `[ ]` is one string; the joined
    /// text keeps the first one's position.
    static func mergingTexts(_ inlines: [Inline]) -> [Inline] {
        var result: [Inline] = []
        result.reserveCapacity(inlines.count)
        for var inline in inlines {
            switch inline.kind {
            case .text(let s):
                if let last = result.last, case .text(let before) = last.kind {
                    result[result.count - 1].kind = .text(before + s)
                    continue
                }
            case .emphasis(let c): inline.kind = .emphasis(mergingTexts(c))
            case .strong(let c): inline.kind = .strong(mergingTexts(c))
            case .link(let d, let t, let c): inline.kind = .link(destination: d, title: t, children: mergingTexts(c))
            case .image(let s, let t, let c): inline.kind = .image(source: s, title: t, children: mergingTexts(c))
            case .tagged(let tag, let c): inline.kind = .tagged(tag, mergingTexts(c))
            default: break
            }
            result.append(inline)
        }
        return result
    }

    /// Whether some text in the inlines (at any depth) satisfies `test`.
    static func anyText(_ inlines: [Inline], _ test: (String) -> Bool) -> Bool {
        for inline in inlines {
            switch inline.kind {
            case .text(let s): if test(s) { return true }
            case .emphasis(let c), .strong(let c), .link(_, _, let c), .image(_, _, let c), .tagged(_, let c):
                if anyText(c, test) { return true }
            default: break
            }
        }
        return false
    }

    /// Every position in `blocks` moved by `move`.
    static func moved(_ blocks: [Block], _ move: (SourcePosition) -> SourcePosition) -> [Block] {
        blocks.map { moved($0, move) }
    }

    static func moved(_ block: Block, _ move: (SourcePosition) -> SourcePosition) -> Block {
        var block = block
        block.position = move(block.position)
        switch block.kind {
        case .paragraph(let inlines): block.kind = .paragraph(moved(inlines, move))
        case .heading(let level, let content, let id): block.kind = .heading(level: level, content: moved(content, move), id: id)
        case .blockQuote(let children): block.kind = .blockQuote(moved(children, move))
        case .list(var list):
            for i in list.items.indices {
                list.items[i].blocks = moved(list.items[i].blocks, move)
                list.items[i].position = move(list.items[i].position)
            }
            block.kind = .list(list)
        case .table(var table):
            func row(_ r: TableRow) -> TableRow {
                var r = r
                r.position = move(r.position)
                for i in r.cells.indices {
                    r.cells[i].position = move(r.cells[i].position)
                    r.cells[i].blocks = moved(r.cells[i].blocks, move)
                }
                return r
            }
            table.head = table.head.map(row)
            table.body = table.body.map(row)
            block.kind = .table(table)
        case .callout(let kind, let children): block.kind = .callout(kind, moved(children, move))
        case .details(let summary, let children, let open):
            block.kind = .details(summary: moved(summary, move), blocks: moved(children, move), open: open)
        case .definitionList(var items):
            for i in items.indices {
                items[i].terms = items[i].terms.map { moved($0, move) }
                items[i].definitions = items[i].definitions.map { moved($0, move) }
            }
            block.kind = .definitionList(items)
        case .footnotes(var notes):
            for i in notes.indices {
                notes[i].blocks = moved(notes[i].blocks, move)
                notes[i].position = move(notes[i].position)
            }
            block.kind = .footnotes(notes)
        case .codeBlock, .htmlBlock, .thematicBreak: break
        }
        return block
    }

    static func moved(_ inlines: [Inline], _ move: (SourcePosition) -> SourcePosition) -> [Inline] {
        inlines.map { inline in
            var inline = inline
            inline.position = move(inline.position)
            switch inline.kind {
            case .emphasis(let c): inline.kind = .emphasis(moved(c, move))
            case .strong(let c): inline.kind = .strong(moved(c, move))
            case .link(let d, let t, let c): inline.kind = .link(destination: d, title: t, children: moved(c, move))
            case .image(let s, let t, let c): inline.kind = .image(source: s, title: t, children: moved(c, move))
            case .tagged(let tag, let c): inline.kind = .tagged(tag, moved(c, move))
            default: break
            }
            return inline
        }
    }
}

extension SourceText {
    /// The bytes of a 1-based line without its line ending.
    func lineBytes(_ line: Int) -> ArraySlice<UInt8> {
        guard line >= 1, line <= lineStarts.count else { return [] }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return bytes[start..<end]
    }

    /// The character column of a byte offset within a line (`offset` counted from the
    /// line's start, 0-based).
    func characterColumn(line: Int, byteOffset: Int) -> Int {
        let bytes = lineBytes(line)
        var column = 1
        var i = bytes.startIndex
        let end = min(bytes.endIndex, bytes.startIndex + byteOffset)
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return column + max(0, byteOffset - (end - bytes.startIndex))
    }
}

/// A text node walked beside its source line from its position: where each of its
/// characters was written, since a backslash escape or an entity (`\~`, `&#126;`) takes
/// more of the line than of the text. Nil when the line has neither, so that plain
/// counting is exact.
struct SourceWalk {
    /// The column each character starts at, as far as the walk could follow the line.
    private var columns: [Int] = []
    private let start: SourcePosition
    private(set) var escaped: [Bool]

    init?(_ scalars: [Unicode.Scalar], at p: SourcePosition, source: SourceText) {
        let bytes = source.lineBytes(p.line)
        guard bytes.contains(UInt8(ascii: "\\")) || bytes.contains(UInt8(ascii: "&")) else { return nil }
        start = p
        let line = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
        escaped = [Bool](repeating: false, count: scalars.count)
        columns.reserveCapacity(scalars.count)
        var j = p.column - 1
        for k in scalars.indices {
            guard j >= 0, j < line.count else { break }
            if line[j] == "\\", j + 1 < line.count, line[j + 1] == scalars[k] {
                escaped[k] = true
                columns.append(j + 1)
                j += 2
            } else if line[j] == "&", let end = Self.entityEnd(line, j) {
                escaped[k] = true
                columns.append(j + 1)
                j = end
            } else if line[j] == scalars[k] {
                columns.append(j + 1)
                j += 1
            } else {
                break
            }
        }
    }

    /// Where the character at `offset` was written.
    func position(_ offset: Int) -> SourcePosition {
        if offset < columns.count { return SourcePosition(line: start.line, column: columns[offset]) }
        let last = columns.last ?? start.column - 1
        return SourcePosition(line: start.line, column: last + 1 + (offset - columns.count))
    }

    private static func entityEnd(_ line: [Unicode.Scalar], _ start: Int) -> Int? {
        var i = start + 1
        while i < line.count, i - start <= 32, line[i] == "#" || line[i].properties.isAlphabetic || ("0"..."9").contains(line[i]) { i += 1 }
        return i < line.count && line[i] == ";" && i > start + 1 ? i + 1 : nil
    }
}
