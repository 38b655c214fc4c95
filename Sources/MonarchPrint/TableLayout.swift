import MonarchMarkdown

/// Where each cell of a table sits: rows and columns it covers, as HTML places cells
/// (a cell goes to the first column of its row that no cell from a row above spans into).
struct TableGrid {
    struct Slot {
        var row: Int
        var column: Int
        var rows: Int
        var columns: Int
        var cell: TableCell
    }

    var slots: [Slot] = []
    var rowCount: Int
    var columnCount: Int
    /// The slot covering each row and column, nil where a short row has no cell.
    var owner: [[Int?]]

    init(_ rows: [TableRow]) {
        rowCount = rows.count
        var taken: [[Bool]] = Array(repeating: [], count: rows.count)
        var columns = 0
        for (r, row) in rows.enumerated() {
            var c = 0
            for cell in row.cells {
                while c < taken[r].count && taken[r][c] { c += 1 }
                // A row span never reaches past the table's last row.
                let rowSpan = min(max(1, cell.rowSpan), rows.count - r)
                let columnSpan = max(1, cell.columnSpan)
                for rr in r..<(r + rowSpan) {
                    while taken[rr].count < c + columnSpan { taken[rr].append(false) }
                    for cc in c..<(c + columnSpan) { taken[rr][cc] = true }
                }
                slots.append(Slot(row: r, column: c, rows: rowSpan, columns: columnSpan, cell: cell))
                c += columnSpan
                columns = max(columns, c)
            }
        }
        columnCount = columns
        owner = Array(repeating: Array(repeating: nil, count: columns), count: rows.count)
        for (i, slot) in slots.enumerated() {
            for r in slot.row..<(slot.row + slot.rows) {
                for c in slot.column..<(slot.column + slot.columns) { owner[r][c] = i }
            }
        }
    }
}

/// Column widths from the widths of the cells' content, as browsers' automatic table
/// layout finds them.
enum ColumnWidths {
    struct Cell {
        var column: Int
        var columns: Int
        /// The widest word (min-content) and the whole text on one line (max-content),
        /// padding included.
        var minimum: Double
        var maximum: Double
    }

    /// Each column's minimum and maximum: from its own cells, then widened where a cell
    /// spanning several columns needs more than they give it together.
    static func bounds(_ cells: [Cell], columns: Int) -> (minimum: [Double], maximum: [Double]) {
        var low = Array(repeating: 0.0, count: columns)
        var high = Array(repeating: 0.0, count: columns)
        for cell in cells where cell.columns == 1 {
            low[cell.column] = max(low[cell.column], cell.minimum)
            high[cell.column] = max(high[cell.column], cell.maximum)
        }
        for cell in cells.filter({ $0.columns > 1 }).sorted(by: { $0.columns < $1.columns }) {
            let range = cell.column..<min(columns, cell.column + cell.columns)
            for (value, keyPath) in [(cell.minimum, 0), (cell.maximum, 1)] {
                let have = range.reduce(0.0) { $0 + (keyPath == 0 ? low[$1] : high[$1]) }
                guard value > have else { continue }
                let extra = (value - have) / Double(range.count)
                for c in range {
                    if keyPath == 0 { low[c] += extra } else { high[c] += extra }
                }
            }
        }
        for c in 0..<columns { high[c] = max(high[c], low[c]) }
        return (low, high)
    }

    /// The widths: every column at its maximum if they all fit; else at least its minimum,
    /// the room left shared in proportion to what each would still take; nil when the
    /// minimums alone are wider than `available`.
    static func solve(minimum: [Double], maximum: [Double], available: Double) -> [Double]? {
        let low = minimum.reduce(0, +), high = maximum.reduce(0, +)
        if high <= available { return maximum }
        guard low <= available + 0.01 else { return nil }
        let share = high - low > 0 ? (available - low) / (high - low) : 0
        return zip(minimum, maximum).map { $0 + ($1 - $0) * share }
    }

    /// Widths for columns whose minimums do not fit. A column whose longest word is wider
    /// than an equal share of the room claims only that share, since its words break
    /// between letters anyway; the room left is shared as `solve` shares it, by what each
    /// column would still take. Shared by the minimums alone, a long address beside a
    /// sentence left the sentence a word a line. Each column gets at least `floor` when
    /// that much room is there.
    static func squeeze(minimum: [Double], maximum: [Double], available: Double, floor: Double) -> [Double] {
        let n = Double(max(1, minimum.count))
        let share = available / n
        let floor = min(floor, share)
        let low = minimum.map { max(floor, min($0, share)) }
        let high = zip(low, maximum).map { max($0, $1) }
        return solve(minimum: low, maximum: high, available: available) ?? low.map { _ in share }
    }
}

/// Tables.
///
/// A table is ruled, its header rows bold on a grey ground and printed again at the top
/// of every page it continues on. Column widths come from the cells' content (see
/// `ColumnWidths`); text in cells is laid out like any other, so Chinese, Korean
/// (keep-all) and Thai break inside cells as they do in paragraphs. A table wider than the
/// column wraps its cells' text. When even the columns' narrowest widths (their longest
/// words) do not fit, the table is set in smaller type, down to 70% of the body size; if
/// that is not enough, each column gets room in proportion to its longest word and words
/// break between letters. If a column would then hold less than two letters (a table of
/// many columns on a half page), the table is stacked instead: each row printed as a block
/// of its own, every cell on a line after its column's header. Nothing is cut off.
///
/// A cell spanning columns gets their widths together; one spanning rows keeps those rows
/// on one page. A row breaks over two pages only when it is taller than a page.
extension FlowBuilder {
    private static let tableScales = [0.92, 0.82, 0.7]

    mutating func table(_ table: Table, at position: SourcePosition, _ ctx: BlockContext) {
        let rows = table.head + table.body
        let grid = TableGrid(rows)
        guard grid.columnCount > 0, !grid.slots.isEmpty else { return }
        if pendingMarker != nil { flushMarker() }   // a marker beside row 1 would repeat with the header
        let texts = grid.slots.map { cellText($0.cell.blocks) }
        let headerRows = table.head.count

        var scale = Self.tableScales[0]
        var widths: [Double] = []
        for candidate in Self.tableScales {
            scale = candidate
            let pad = 0.4 * s * scale
            var cells: [ColumnWidths.Cell] = []
            for (slot, text) in zip(grid.slots, texts) {
                let font = cellFont(slot, headerRows: headerRows, scale: scale)
                let maximum = text.isBlank ? 0 : engine.maximumWidth(text, font: font, style: style)
                let minimum = text.isBlank ? 0 : engine.minimumWidth(text, font: font, style: style)
                cells.append(ColumnWidths.Cell(column: slot.column, columns: slot.columns,
                                               minimum: minimum + 2 * pad + 1, maximum: maximum + 2 * pad + 1))
            }
            let (low, high) = ColumnWidths.bounds(cells, columns: grid.columnCount)
            if let solved = ColumnWidths.solve(minimum: low, maximum: high, available: ctx.width - 0.5) {
                widths = solved
                break
            }
            if candidate == Self.tableScales.last {
                widths = ColumnWidths.squeeze(minimum: low, maximum: high, available: ctx.width - 0.5, floor: 3 * s * scale)
                if (widths.min() ?? 0) - 0.8 * s * scale < 2 * s * scale {
                    stackedTable(grid, texts: texts, headerRows: headerRows, ctx)
                    return
                }
            }
        }
        var lefts = [0.0]
        for w in widths { lefts.append(lefts.last! + w) }
        let tableWidth = lefts.last!
        let padX = 0.4 * s * scale, padY = 0.3 * s * scale

        // Each cell's layout, and each row's height.
        let tableNode = counter.node("Table")
        let rowNodes = rows.indices.map { _ in counter.node("TR") }
        let cellNodes = grid.slots.map { counter.node($0.cell.isHeader || $0.row < headerRows ? "TH" : "TD") }
        // Closer than in paragraphs: a cell is narrow, and pdftotext reads lines further
        // apart than about 1.45 times their size as blocks of their own, which it then
        // orders row by row across the cells beside them.
        let cellLineHeight = min(1.4, style.lineHeight - 0.15)
        var layouts: [TextLayout?] = []
        for (slot, text) in zip(grid.slots, texts) {
            guard !text.isBlank else { layouts.append(nil); continue }
            let width = lefts[slot.column + slot.columns] - lefts[slot.column] - 2 * padX
            let alignment: TextAlignment
            switch slot.column < table.alignments.count ? table.alignments[slot.column] : .none {
            case .center: alignment = .center
            case .right: alignment = .right
            default: alignment = .left
            }
            let layout = engine.layout(text, font: cellFont(slot, headerRows: headerRows, scale: scale), style: style,
                                       width: width, lineHeight: cellLineHeight, alignment: alignment)
            checkFit(layout, text: text.string, width: width, at: slot.cell.position)
            layouts.append(layout)
        }
        func contentHeight(_ i: Int) -> Double {
            guard let last = layouts[i]?.lines.last else { return 0 }
            return last.top + last.height
        }
        var heights = Array(repeating: 0.0, count: rows.count)
        for (i, slot) in grid.slots.enumerated() where slot.rows == 1 {
            heights[slot.row] = max(heights[slot.row], contentHeight(i) + 2 * padY)
        }
        for r in rows.indices where heights[r] == 0 { heights[r] = s * scale * style.lineHeight + 2 * padY }
        for (i, slot) in grid.slots.enumerated() where slot.rows > 1 {
            let spanned = slot.row..<(slot.row + slot.rows)
            let have = spanned.reduce(0.0) { $0 + heights[$1] }
            let need = contentHeight(i) + 2 * padY
            if need > have { heights[spanned.upperBound - 1] += need - have }
        }
        // The last row a row must stay on one page with (a cell spanning rows).
        var groupEnd = Array(rows.indices)
        for slot in grid.slots where slot.rows > 1 {
            for r in slot.row..<(slot.row + slot.rows) { groupEnd[r] = max(groupEnd[r], slot.row + slot.rows - 1) }
        }

        let linkIDs = texts.map { $0.links.map { _ in counter.number() } }
        let headerHeight = heights.prefix(headerRows).reduce(0, +)
        let repeatsHeader = headerRows > 0 && headerHeight < frame.bodyHeight / 3
        let maxSlice = max(4 * s, frame.bodyHeight - (repeatsHeader ? headerHeight : 0) - 0.5 * s)
        var headerBoxes: Range<Int>?
        var rowTop = Array(repeating: 0.0, count: rows.count + 1)
        for r in rows.indices { rowTop[r + 1] = rowTop[r] + heights[r] }
        let headerRule = 0.9, rule = 0.5

        for r in rows.indices {
            let isHeaderRow = r < headerRows
            // A row taller than a page is cut into bands, at every height where no line of
            // its cells is cut, so that a page can end after any of them, as after a line
            // of a paragraph.
            var cuts = [0.0]
            if heights[r] > maxSlice {
                var lines: [(top: Double, bottom: Double)] = []
                for (i, slot) in grid.slots.enumerated() where slot.row == r {
                    for line in layouts[i]?.lines ?? [] { lines.append((padY + line.top, padY + line.top + line.height)) }
                }
                for cut in Set(lines.map(\.bottom)).sorted() where cut > cuts.last! + 0.5 && cut < heights[r] - 0.5 {
                    if !lines.contains(where: { $0.top < cut - 0.01 && $0.bottom > cut + 0.01 }) { cuts.append(cut) }
                }
            }
            cuts.append(heights[r])
            for k in 0..<(cuts.count - 1) {
                let sliceTop = cuts[k], sliceBottom = cuts[k + 1]
                var items: [DrawItem] = []
                var links: [LinkArea] = []
                var destinations: [Destination] = []
                var rules: [DrawItem] = []
                var ruleAtPageTop: [DrawItem] = []
                var ruleAtPageBottom: [DrawItem] = []
                for (i, slot) in grid.slots.enumerated() where slot.row == r {
                    let x = ctx.indent + lefts[slot.column]
                    let width = lefts[slot.column + slot.columns] - lefts[slot.column]
                    let spanHeight = rowTop[slot.row + slot.rows] - rowTop[slot.row]
                    if slot.cell.isHeader || isHeaderRow {
                        let bottom = cuts.count > 2 ? sliceBottom : spanHeight
                        items.append(.rule(x: x, y: 0, width: width, height: bottom - sliceTop, color: RGB.tableHeaderBackground))
                    }
                    guard let layout = layouts[i] else { continue }
                    // A cell spanning rows runs on under this row's box (its rows stay on
                    // one page unless this one is cut).
                    let bottom = cuts.count > 2 ? sliceBottom : spanHeight
                    for line in layout.lines {
                        let top = padY + line.top
                        guard top >= sliceTop - 0.01, top < bottom - 0.01 else { continue }
                        let y = top - sliceTop
                        items.append(.text(layout: layout.id, line: line.index, x: x + padX + line.x, baseline: y + line.baseline,
                                           structure: ctx.structure + [tableNode, rowNodes[r], cellNodes[i]]))
                        let found = linesLinks(layout, line: line, text: texts[i], linkIDs: linkIDs[i], x: x + padX, y: y)
                        links += found.links
                        destinations += found.destinations
                    }
                }
                // Rules: above and below the slice where a cell starts or ends, and
                // between cells beside each other.
                let height = sliceBottom - sliceTop
                for c in 0..<grid.columnCount {
                    let x = ctx.indent + lefts[c], width = widths[c]
                    let here = grid.owner[r][c]
                    // Each row draws the rule under it; the rule above only the first row, or
                    // a row (or part of one) that starts a page.
                    let top = DrawItem.rule(x: x, y: 0, width: width + rule, height: rule, color: RGB.tableRule)
                    if r == 0 && k == 0 { rules.append(top) } else { ruleAtPageTop.append(top) }
                    let last = k == cuts.count - 2
                    let under = DrawItem.rule(x: x, y: height - (r == headerRows - 1 && last ? headerRule : rule), width: width + rule,
                                              height: r == headerRows - 1 && last ? headerRule : rule, color: RGB.tableRule)
                    if !last {
                        ruleAtPageBottom.append(under)   // a band of a cut row that ends a page
                    } else if r == rows.count - 1 || here == nil || grid.owner[r + 1][c] != here {
                        rules.append(under)
                    }
                    if c == 0 || here == nil || grid.owner[r][c - 1] != here {
                        rules.append(.rule(x: x, y: 0, width: rule, height: height, color: RGB.tableRule))
                    }
                }
                rules.append(.rule(x: ctx.indent + tableWidth, y: 0, width: rule, height: height, color: RGB.tableRule))
                let breakRule: BreakRule
                if r == 0 && k == 0 {
                    breakRule = takeLeadingRule()
                } else if k > 0 {
                    // Two bands at least on each page, as two lines of a paragraph.
                    breakRule = k >= 2 && cuts.count - 1 - k >= 2 ? .allowed : .forbidden
                } else if r <= headerRows || groupEnd[r - 1] >= r {
                    // Header rows stay together and with the first row under them; rows a
                    // cell spans stay together.
                    breakRule = .forbidden
                } else {
                    breakRule = .allowed
                }
                push(Box(height: height, spaceBefore: r == 0 && k == 0 ? takeSpace() : 0, breakBefore: breakRule,
                         items: items + rules, decorations: ctx.decorations, links: links, destinations: destinations,
                         header: !isHeaderRow && repeatsHeader ? headerBoxes : nil, itemsAtPageTop: ruleAtPageTop,
                         itemsAtPageBottom: ruleAtPageBottom))
                if isHeaderRow && r == headerRows - 1 {
                    // Header rows are never sliced when they repeat (they are short): one box each.
                    headerBoxes = (boxes.count - headerRows)..<boxes.count
                }
            }
        }
    }

    /// A table too wide for its columns to hold a few letters each: every row a block of
    /// its own between rules, each cell on a line of its own after its column's header.
    private mutating func stackedTable(_ grid: TableGrid, texts: [RichText], headerRows: Int, _ ctx: BlockContext) {
        var font = bodyFont
        font.size *= Self.tableScales[0]
        var bold = InlineStyle()
        bold.bold = true
        var labels: [Int: String] = [:]
        for (i, slot) in grid.slots.enumerated() where slot.row < headerRows && !texts[i].isBlank {
            for c in slot.column..<(slot.column + slot.columns) where labels[c] == nil {
                labels[c] = texts[i].string.replacingOccurrences(of: "\u{2028}", with: " ")
            }
        }
        let colon = style.dropsSpaceBetweenIdeographs ? "：" : ": "
        let tableNode = counter.node("Table")
        let first = headerRows < grid.rowCount ? headerRows : 0
        let rule = Box(height: 0.6, items: [.rule(x: ctx.indent, y: 0, width: ctx.width, height: 0.6, color: RGB.tableRule)],
                       decorations: ctx.decorations)
        for r in first..<grid.rowCount {
            var text = RichText()
            for (i, slot) in grid.slots.enumerated() where slot.row == r && !texts[i].isBlank {
                if !text.string.isEmpty { text.append("\u{2028}", style: InlineStyle()) }
                if r >= headerRows, let label = labels[slot.column] { text.append(label + colon, style: bold) }
                text.append(texts[i])
            }
            var box = rule
            box.spaceBefore = takeSpace()
            box.breakBefore = takeLeadingRule()
            push(box)
            guard !text.isBlank else { continue }
            let layout = engine.layout(text, font: font, style: style, width: ctx.width)
            space(0.3 * s)
            keepWithPrevious = true
            pushLines(layout, text: text, x: ctx.indent, ctx: ctx, structure: ctx.structure + [tableNode, counter.node("TR"), counter.node("TD")])
            space(0.3 * s)
        }
        var box = rule
        box.spaceBefore = takeSpace()
        box.breakBefore = .forbidden
        push(box)
    }

    /// A cell's font: bold in a header row or a `th`.
    private func cellFont(_ slot: TableGrid.Slot, headerRows: Int, scale: Double) -> FontSpec {
        FontSpec(families: style.bodyFamilyList, size: s * scale, bold: slot.cell.isHeader || slot.row < headerRows)
    }

    /// A cell's blocks as one text: paragraphs and list items on lines of their own, items
    /// after their bullet or number, an image as its alt text.
    func cellText(_ blocks: [Block], depth: Int = 0) -> RichText {
        var out = RichText()
        func newLine() { if !out.string.isEmpty { out.append("\u{2028}", style: InlineStyle()) } }
        func inlines(_ content: [Inline], _ base: InlineStyle = InlineStyle()) {
            let text = RichText.build(content, base: base, context: inlineContext)
            guard !text.isBlank || !text.images.isEmpty else { return }
            newLine()
            out.append(text)
            for image in text.images where !image.alt.isEmpty {
                var alt = InlineStyle()
                alt.italic = true
                out.append(" " + image.alt, style: alt)
            }
        }
        var bold = InlineStyle()
        bold.bold = true
        for block in blocks {
            switch block.kind {
            case .paragraph(let content): inlines(content)
            case .heading(_, let content, _): inlines(content, bold)
            case .codeBlock(_, let code):
                var mono = InlineStyle()
                mono.mono = true
                var code = Substring(code)
                while code.last == "\n" { code.removeLast() }
                newLine()
                out.append(code.replacingOccurrences(of: "\n", with: "\u{2028}"), style: mono)
            case .blockQuote(let children), .callout(_, let children):
                if case .callout(let kind, _) = block.kind {
                    newLine()
                    out.append(page.labels.callout(kind), style: bold)
                }
                let inner = cellText(children, depth: depth + 1)
                if !inner.string.isEmpty { newLine(); out.append(inner) }
            case .list(let list):
                for (i, item) in list.items.enumerated() {
                    var marker = list.ordered ? "\(list.start + i). " : (depth % 2 == 0 ? "• " : "– ")
                    if let task = item.task { marker = (task == .done ? TaskMarker.done : TaskMarker.open) + " " }
                    newLine()
                    out.append(marker, style: InlineStyle())
                    out.append(cellText(item.blocks, depth: depth + 1))
                }
            case .details(let summary, let children, _):
                inlines(summary, bold)
                let inner = cellText(children, depth: depth + 1)
                if !inner.string.isEmpty { newLine(); out.append(inner) }
            case .definitionList(let items):
                for item in items {
                    for term in item.terms { inlines(term, bold) }
                    for definition in item.definitions {
                        let inner = cellText(definition, depth: depth + 1)
                        if !inner.string.isEmpty { newLine(); out.append(inner) }
                    }
                }
            case .table(let table):
                for row in table.head + table.body {
                    let inner = row.cells.map { cellText($0.blocks, depth: depth + 1) }.filter { !$0.isBlank }
                    guard !inner.isEmpty else { continue }
                    newLine()
                    for (n, cell) in inner.enumerated() {
                        if n > 0 { out.append(" · ", style: InlineStyle()) }
                        out.append(cell)
                    }
                }
            case .footnotes(let notes):
                for note in notes { let inner = cellText(note.blocks, depth: depth + 1); newLine(); out.append(inner) }
            case .htmlBlock, .thematicBreak:
                break
            }
        }
        return out
    }
}
