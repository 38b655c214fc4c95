/// GFM pipe tables, found in cmark's paragraphs: a header row, a delimiter row with as
/// many cells (`---`, `:--`, `:-:`, `--:`), then body rows up to the paragraph's end (cmark
/// already ended it at a blank line or another block). Lines before the header row stay
/// a paragraph. Each cell's inline content is parsed by cmark (with CJK-friendly emphasis),
/// all the document's cells in one extra parse, the document's link reference
/// definitions included.
struct Tables {
    private let source: SourceText
    private let options: MarkdownOptions
    private(set) var warnings: [MarkdownWarning] = []

    /// A cell as written: its text (with `\|` unescaped, as GFM does before inline parsing)
    /// and where that text starts.
    private struct RawCell {
        var text: [UInt8]
        var position: SourcePosition
    }

    private struct RawRow {
        var cells: [RawCell]
        var position: SourcePosition
    }

    init(source: SourceText, options: MarkdownOptions) {
        self.source = source
        self.options = options
    }

    mutating func apply(_ blocks: [Block], paragraphs: [ParagraphLines]) -> [Block] {
        guard source.bytes.contains(UInt8(ascii: "|")) else { return blocks }
        var index = 0
        var found: [(alignments: [Table.Alignment], rows: [RawRow])] = []
        var warnings: [MarkdownWarning] = []
        let withTables = BlockRewriting.rewrite(blocks) { block in
            let inlines: [Inline]
            switch block.kind {
            case .paragraph(let content): inlines = content
            case .heading(_, let content, _): inlines = content
            default: return nil
            }
            defer { index += 1 }
            guard index < paragraphs.count, let first = inlines.first else { return nil }
            var lines = paragraphs[index]
            var underline: Block?
            if case .heading = block.kind {
                // A setext heading's text may be a table whose next line is `---` (a
                // thematic break once a table ends the paragraph) or `===` (a row).
                guard lines.isSetextHeading else { return nil }
                if source.lineBytes(lines.last).contains(UInt8(ascii: "-")) {
                    lines.last -= 1
                    underline = Block(.thematicBreak, at: SourcePosition(line: lines.last + 1, column: 1))
                }
            }
            guard let table = findTable(lines: lines, firstInline: first.position, warnings: &warnings) else { return nil }
            var result: [Block] = []
            var before = inlines.prefix { $0.position.line < table.rows[0].position.line }
            while let last = before.last, last.kind == .softBreak || last.kind == .lineBreak { before.removeLast() }
            if !before.isEmpty { result.append(Block(.paragraph(Array(before)), at: block.position)) }
            // A table without rows stands in for it until its cells are parsed, below.
            result.append(Block(.table(Table(alignments: table.alignments, head: [], body: [])), at: table.rows[0].position))
            found.append((table.alignments, table.rows))
            // Lazy lines after the table (`>` left out in a block quote) stay text.
            var after = inlines.drop { $0.position.line <= table.lastLine }
            while let f = after.first, f.kind == .softBreak || f.kind == .lineBreak { after.removeFirst() }
            if let f = after.first { result.append(Block(.paragraph(Array(after)), at: f.position)) }
            if let underline { result.append(underline) }
            return result
        }
        self.warnings += warnings
        guard !found.isEmpty else { return blocks }
        let cells = parseCells(found.flatMap { $0.rows.flatMap(\.cells) })
        var nextCell = 0
        var nextTable = 0
        return BlockRewriting.rewrite(withTables) { block in
            // The stand-ins come in the order their tables were found.
            guard case .table(let standIn) = block.kind, standIn.head.isEmpty, nextTable < found.count else { return nil }
            let table = found[nextTable]
            nextTable += 1
            var rows: [TableRow] = []
            for (r, raw) in table.rows.enumerated() {
                var row: [TableCell] = []
                for (c, cell) in raw.cells.enumerated() {
                    let inlines = cells[nextCell + c]
                    row.append(TableCell(blocks: inlines.isEmpty ? [] : [Block(.paragraph(inlines), at: cell.position)],
                                         isHeader: r == 0, position: cell.position))
                }
                nextCell += raw.cells.count
                rows.append(TableRow(cells: row, position: raw.position))
            }
            return [Block(.table(Table(alignments: table.alignments, head: [rows[0]], body: Array(rows.dropFirst()))),
                          at: block.position)]
        }
    }

    /// The table in a paragraph's lines, from its header row to the last line, with every
    /// row as wide as the header.
    private func findTable(lines: ParagraphLines, firstInline: SourcePosition,
                           warnings: inout [MarkdownWarning]) -> (alignments: [Table.Alignment], rows: [RawRow], lastLine: Int)? {
        let firstLine = firstInline.line
        guard lines.last > firstLine else { return nil }
        var warnedDelimiter = false
        func row(_ line: Int) -> (cells: [RawCell], pipes: Bool, position: SourcePosition) {
            let start: Int
            if line == firstLine {
                start = byteOffset(line: line, characterColumn: firstInline.column)
            } else {
                start = (source.firstContentColumn(line: line, quoteDepth: lines.quoteDepth) ?? 1) - 1
            }
            let (cells, pipes) = split(line: line, from: start)
            return (cells, pipes, SourcePosition(line: line, column: source.characterColumn(line: line, byteOffset: start)))
        }
        for line in firstLine..<lines.last {
            // Cheap tests first: a delimiter row has a `-`, and one of the two rows a `|`.
            let delimiterBytes = source.lineBytes(line + 1)
            guard delimiterBytes.contains(UInt8(ascii: "-")),
                  delimiterBytes.contains(UInt8(ascii: "|")) || source.lineBytes(line).contains(UInt8(ascii: "|")),
                  !isLazy(line, lines), !isLazy(line + 1, lines) else { continue }
            let header = row(line)
            let delimiter = row(line + 1)
            guard let alignments = Self.alignments(delimiter.cells), header.pipes || delimiter.pipes else { continue }
            guard alignments.count == header.cells.count else {
                if delimiter.pipes {
                    warnedDelimiter = true
                    warnings.append(MarkdownWarning(
                        "this looks like a table, but its delimiter row has \(alignments.count) cell\(alignments.count == 1 ? "" : "s") and its header row \(header.cells.count); Monarch shows these lines as a paragraph; write one '---' cell per header cell",
                        at: delimiter.position))
                }
                continue
            }
            var rows = [RawRow(cells: header.cells, position: header.position)]
            var lastLine = line + 1
            if line + 2 <= lines.last {
                for bodyLine in (line + 2)...lines.last {
                    if isLazy(bodyLine, lines) { break }
                    lastLine = bodyLine
                    let bodyRow = row(bodyLine)
                    var cells = bodyRow.cells
                    let position = bodyRow.position
                    if cells.count > alignments.count {
                        // GFM leaves the extra cells out; their text must not go in silence.
                        // Most often a `|` in a code span split the cell.
                        if let first = cells[alignments.count...].first(where: { !$0.text.isEmpty }) {
                            let extra = cells.count - alignments.count
                            let text = String(decoding: first.text, as: UTF8.self).prefix(40)
                            warnings.append(MarkdownWarning(
                                "this table row has \(cells.count) cells and its header row \(alignments.count); Monarch leaves out the last \(extra) ('\(text)'); write '\\|' for a '|' inside a cell (in code too), or add a header cell",
                                at: first.position))
                        }
                        cells.removeLast(cells.count - alignments.count)
                    }
                    while cells.count < alignments.count {
                        cells.append(RawCell(text: [], position: cells.last?.position ?? position))
                    }
                    rows.append(RawRow(cells: cells, position: position))
                }
            }
            return (alignments, rows, lastLine)
        }
        if !warnedDelimiter, let first = rowsWithoutDelimiter(lines: lines, firstLine: firstLine, row: row) {
            warnings.append(MarkdownWarning(
                "these lines look like a table, but no delimiter row ('| --- | --- |') follows the header row; Monarch shows them as a paragraph; add one under the first row",
                at: first))
        }
        return nil
    }

    /// Where two lines in a row begin and end with `|` (a table written without its
    /// delimiter row), if they do.
    private func rowsWithoutDelimiter(lines: ParagraphLines, firstLine: Int,
                                      row: (Int) -> (cells: [RawCell], pipes: Bool, position: SourcePosition)) -> SourcePosition? {
        var previous: SourcePosition?
        for line in firstLine...lines.last {
            let bytes = source.lineBytes(line)
            var trimmed = bytes[...]
            while let b = trimmed.last, b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { trimmed = trimmed.dropLast() }
            let start = row(line).position
            let content = bytes.dropFirst(byteOffset(line: line, characterColumn: start.column))
            if content.first == UInt8(ascii: "|"), trimmed.last == UInt8(ascii: "|"), content.count > 1, !isLazy(line, lines) {
                if let previous { return previous }
                previous = start
            } else {
                previous = nil
            }
        }
        return nil
    }

    /// A lazy continuation line of a paragraph in a block quote or list item: it lacks
    /// the container's `>` or indentation. GFM continues no table with one.
    private func isLazy(_ line: Int, _ lines: ParagraphLines) -> Bool {
        guard line > lines.first else { return false }
        let bytes = source.lineBytes(line)
        var i = bytes.startIndex
        var markers = 0
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") {
                i += 1
            } else if bytes[i] == UInt8(ascii: ">"), markers < lines.quoteDepth {
                markers += 1
                i += 1
            } else {
                break
            }
        }
        if markers < lines.quoteDepth { return true }
        return lines.quoteDepth == 0 && i - bytes.startIndex + 1 < lines.column
    }

    /// Splits a row at its unescaped pipes; a leading and a trailing pipe are optional.
    private func split(line: Int, from start: Int) -> (cells: [RawCell], pipes: Bool) {
        let bytes = Array(source.lineBytes(line))
        var end = bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        var i = start
        while i < end, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        var pipes = false
        if i < end, bytes[i] == UInt8(ascii: "|") {
            pipes = true
            i += 1
        }
        var cells: [RawCell] = []
        var cellStart = i
        func finish(_ cellEnd: Int) {
            var a = cellStart, b = cellEnd
            while a < b, bytes[a] == UInt8(ascii: " ") || bytes[a] == UInt8(ascii: "\t") { a += 1 }
            while b > a, bytes[b - 1] == UInt8(ascii: " ") || bytes[b - 1] == UInt8(ascii: "\t") { b -= 1 }
            var text: [UInt8] = []
            var k = a
            while k < b {
                if bytes[k] == UInt8(ascii: "\\"), k + 1 < b, bytes[k + 1] == UInt8(ascii: "|") { k += 1 }
                text.append(bytes[k])
                k += 1
            }
            cells.append(RawCell(text: text, position: SourcePosition(line: line, column: source.characterColumn(line: line, byteOffset: a))))
        }
        var endedWithPipe = false
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\\") {
                i += 2
                endedWithPipe = false
                continue
            }
            if b == UInt8(ascii: "|") {
                pipes = true
                finish(i)
                cellStart = i + 1
                endedWithPipe = true
            } else {
                endedWithPipe = false
            }
            i += 1
        }
        if !endedWithPipe || cells.isEmpty && cellStart < end { finish(min(i, end)) }
        return (cells, pipes)
    }

    private func byteOffset(line: Int, characterColumn: Int) -> Int {
        let bytes = source.lineBytes(line)
        var column = 1
        var i = bytes.startIndex
        while i < bytes.endIndex, column < characterColumn {
            i += 1
            while i < bytes.endIndex, bytes[i] & 0xC0 == 0x80 { i += 1 }
            column += 1
        }
        return i - bytes.startIndex
    }

    /// The alignments of a delimiter row, or nil if it is not one.
    private static func alignments(_ cells: [RawCell]) -> [Table.Alignment]? {
        guard !cells.isEmpty else { return nil }
        var result: [Table.Alignment] = []
        for cell in cells {
            var t = cell.text[...]
            let left = t.first == UInt8(ascii: ":")
            if left { t = t.dropFirst() }
            let right = t.last == UInt8(ascii: ":")
            if right { t = t.dropLast() }
            guard !t.isEmpty, t.allSatisfy({ $0 == UInt8(ascii: "-") }) else { return nil }
            result.append(left && right ? .center : left ? .left : right ? .right : .none)
        }
        return result
    }

    /// Every cell's inlines, parsed by cmark as the paragraphs of one document. Each cell
    /// becomes `X cell`: a line that cannot start a block (so `1. text` or `# text` in a
    /// cell stay text, as in GFM), where the cell's first character follows a space as it
    /// follows the start of a line; the `X ` is taken off again.
    private func parseCells(_ cells: [RawCell]) -> [[Inline]] {
        var text: [UInt8] = []
        for cell in cells {
            text += Array("X ".utf8)
            text += cell.text
            text += [UInt8(ascii: "\n"), UInt8(ascii: "\n")]
        }
        // Reference-style links in cells use the document's definitions.
        if cells.contains(where: { LinkDefinitions.mayReference($0.text) }) {
            text += Array(LinkDefinitions.text(of: source).utf8)
        }
        let sub = SourceText(String(decoding: text, as: UTF8.self))
        let blocks = CMarkParser.parse(sub, options: options)
        var byLine: [Int: [Inline]] = [:]
        for block in blocks {
            if case .paragraph(let inlines) = block.kind, block.position.line <= 2 * cells.count { byLine[block.position.line] = inlines }
        }
        return cells.enumerated().map { k, cell in
            var inlines = byLine[2 * k + 1] ?? []
            if let first = inlines.first, case .text(let s) = first.kind {
                let rest = String(String.UnicodeScalarView(s.unicodeScalars.dropFirst(min(2, s.unicodeScalars.count))))
                if rest.isEmpty { inlines.removeFirst() } else { inlines[0].kind = .text(rest) }
            }
            let line = cell.position.line, column = cell.position.column
            return BlockRewriting.moved(inlines) { p in
                SourcePosition(line: line, column: max(column, column + p.column - 3))
            }
        }
    }
}
