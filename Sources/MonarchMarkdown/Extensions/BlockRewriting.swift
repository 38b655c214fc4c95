/// The walks the extensions share: rebuilding a tree with some blocks or inline lists
/// replaced, and moving every position of a tree parsed from a piece of the source
/// (a table cell, a footnote body) to where that piece is.
enum BlockRewriting {
    /// Rebuilds `blocks`, children first, replacing each block by what `replace` returns.
    static func rewrite(_ blocks: [Block], _ replace: (Block) -> [Block]) -> [Block] {
        var result: [Block] = []
        result.reserveCapacity(blocks.count)
        for var block in blocks {
            switch block.kind {
            case .blockQuote(let children):
                block.kind = .blockQuote(rewrite(children, replace))
            case .list(var list):
                for i in list.items.indices { list.items[i].blocks = rewrite(list.items[i].blocks, replace) }
                block.kind = .list(list)
            case .table(var table):
                table.head = table.head.map { rewriteRow($0, replace) }
                table.body = table.body.map { rewriteRow($0, replace) }
                block.kind = .table(table)
            case .callout(let kind, let children):
                block.kind = .callout(kind, rewrite(children, replace))
            case .details(let summary, let children):
                block.kind = .details(summary: summary, blocks: rewrite(children, replace))
            case .definitionList(var items):
                for i in items.indices { items[i].definitions = items[i].definitions.map { rewrite($0, replace) } }
                block.kind = .definitionList(items)
            case .footnotes(var notes):
                for i in notes.indices { notes[i].blocks = rewrite(notes[i].blocks, replace) }
                block.kind = .footnotes(notes)
            case .paragraph, .heading, .codeBlock, .htmlBlock, .thematicBreak:
                break
            }
            result += replace(block)
        }
        return result
    }

    private static func rewriteRow(_ row: TableRow, _ replace: (Block) -> [Block]) -> TableRow {
        var row = row
        for i in row.cells.indices { row.cells[i].blocks = rewrite(row.cells[i].blocks, replace) }
        return row
    }

    /// Rebuilds `blocks` with every paragraph's, heading's and summary's inlines replaced.
    static func rewriteInlines(_ blocks: [Block], _ replace: ([Inline]) -> [Inline]) -> [Block] {
        rewrite(blocks) { block in
            var block = block
            switch block.kind {
            case .paragraph(let inlines): block.kind = .paragraph(replace(inlines))
            case .heading(let level, let content, let id): block.kind = .heading(level: level, content: replace(content), id: id)
            case .details(let summary, let children): block.kind = .details(summary: replace(summary), blocks: children)
            default: break
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
        case .details(let summary, let children): block.kind = .details(summary: moved(summary, move), blocks: moved(children, move))
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
