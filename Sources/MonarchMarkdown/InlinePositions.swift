internal import CCmark

/// Corrects cmark 0.30's inline source positions inside one paragraph or heading.
///
/// cmark's inline positions go wrong in a few ways, fixed here from the source text:
/// - columns on continuation lines: cmark counts from the paragraph's first column, or
///   from where the block parser left the line (lazy lines keep their indentation). The
///   node after each line break starts the line's text, at the first character after the
///   container prefix (`>` markers and indentation), so it fixes the line's shift;
/// - after link reference definitions at the top of a paragraph, lines are counted from
///   the first definition's line: they are shifted by the lines the definitions took;
/// - a backslash hard break (`\` at the end of a line) is not counted as a new line, and
///   the columns after it run on from the line before.
/// Links and images are placed by `TreeCopier.linkPosition`. Newlines inside a link
/// destination or title are not counted by cmark; positions after such a link in the
/// same paragraph stay a line early.
struct InlinePositions {
    private var blockLine = 0
    private var blockColumn = 1
    /// How many block quotes the paragraph is in: at most that many `>` start a line.
    private var quoteDepth = 0
    /// Lines taken by link reference definitions.
    private var definitionLines = 0
    /// Newlines cmark did not count (backslash hard breaks) so far in this block.
    private var uncountedLines = 0
    /// Real column minus cmark's column on the current line.
    private(set) var lineDelta = 0
    /// The real line `lineDelta` belongs to.
    private(set) var currentLine = 0

    static let identity = InlinePositions()

    private init() {}

    init(block: OpaquePointer, source: SourceText) {
        blockLine = Int(cmark_node_get_start_line(block))
        blockColumn = Int(cmark_node_get_start_column(block))
        currentLine = blockLine
        var ancestor = cmark_node_parent(block)
        while let node = ancestor {
            if cmark_node_get_type(node) == CMARK_NODE_BLOCK_QUOTE { quoteDepth += 1 }
            ancestor = cmark_node_parent(node)
        }
        // Link reference definitions (`[label]:`) can only come first in a paragraph.
        guard source.startsWithLinkLabelAndColon(line: blockLine, column: blockColumn) else { return }
        let endLine = Int(cmark_node_get_end_line(block))
        let isSetextHeading = cmark_node_get_type(block) == CMARK_NODE_HEADING && endLine > blockLine
        let lastContentLine = isSetextHeading ? endLine - 1 : endLine
        let reportedLastLine = Self.lastReportedLine(in: block)
        guard reportedLastLine > 0, lastContentLine > reportedLastLine else { return }
        definitionLines = lastContentLine - reportedLastLine
        startLine(blockLine + definitionLines, firstNode: cmark_node_first_child(block), source: source)
    }

    /// The real line of a line number cmark reported.
    func line(_ reportedLine: Int) -> Int {
        reportedLine + definitionLines + uncountedLines
    }

    /// The real position of a text, code, raw HTML or emphasis node.
    func corrected(line reportedLine: Int, column: Int, source: SourceText) -> SourcePosition {
        let actualLine = line(reportedLine)
        let delta = actualLine == currentLine ? lineDelta : staticDelta(actualLine, source)
        return SourcePosition(line: actualLine, column: max(1, column + delta))
    }

    /// The shift of a line whose text cmark took to start at the paragraph's column.
    func staticDelta(_ line: Int, _ source: SourceText) -> Int {
        guard line != blockLine, let first = source.firstContentColumn(line: line, quoteDepth: quoteDepth) else { return 0 }
        return first - blockColumn
    }

    /// A soft or hard line break on real line `line`.
    mutating func lineBreak(_ node: OpaquePointer, onLine line: Int, source: SourceText) {
        let isBackslashBreak = cmark_node_get_type(node) == CMARK_NODE_LINEBREAK
            && source.lastByte(line: line) == UInt8(ascii: "\\")
        guard isBackslashBreak else {
            startLine(line + 1, firstNode: cmark_node_next(node), source: source)
            return
        }
        // cmark keeps counting columns from the start of this line's text.
        guard line < source.lineStarts.count else { return }
        uncountedLines += 1
        let lineLength = source.lineStarts[line] - source.lineStarts[line - 1]
        let nextStart = source.firstContentColumn(line: line + 1, quoteDepth: quoteDepth) ?? 1
        lineDelta = lineDelta - lineLength - 1 + nextStart
        currentLine = line + 1
    }

    /// A code span or raw HTML that ends on real line `line`, after a newline inside it:
    /// cmark counts the rest of the line from the start of the line's text.
    mutating func spanEnded(onLine line: Int, source: SourceText) {
        currentLine = line
        lineDelta = staticDelta(line, source)
    }

    /// Fixes the shift of a new line from the node that starts its text.
    private mutating func startLine(_ line: Int, firstNode: OpaquePointer?, source: SourceText) {
        currentLine = line
        lineDelta = staticDelta(line, source)
        guard let firstNode, let first = source.firstContentColumn(line: line, quoteDepth: quoteDepth),
              let raw = Self.reportedStart(firstNode, backticksAtStart: source.backtickRun(line: line, column: first)) else { return }
        lineDelta = first - raw
    }

    /// cmark's column for the first character of a node that starts a line's text.
    /// cmark places a code span, and text starting with unmatched backticks, after the
    /// backticks (`backticksAtStart` of them in the source).
    private static func reportedStart(_ node: OpaquePointer, backticksAtStart: Int) -> Int? {
        let column = Int(cmark_node_get_start_column(node))
        guard column > 0 else { return nil }
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT, CMARK_NODE_CODE:
            return column - backticksAtStart
        case CMARK_NODE_HTML_INLINE, CMARK_NODE_EMPH, CMARK_NODE_STRONG:
            return column
        case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
            // A link's column is its `[`; an autolink's is not on the line's scale, but its
            // text starts one column after the `<`.
            guard let child = cmark_node_first_child(child: node) else { return column }
            let childColumn = Int(cmark_node_get_start_column(child))
            let width = cmark_node_get_type(node) == CMARK_NODE_IMAGE ? 2 : 1
            if childColumn == column + width || cmark_node_get_type(child) != CMARK_NODE_TEXT { return column }
            return childColumn > 1 ? childColumn - 1 : nil
        default:
            return nil
        }
    }

    private static func lastReportedLine(in block: OpaquePointer) -> Int {
        guard let iter = cmark_iter_new(block) else { return 0 }
        defer { cmark_iter_free(iter) }
        var last = 0
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter), node != block else { continue }
            last = max(last, Int(cmark_node_get_end_line(node)))
        }
        return last
    }
}

private func cmark_node_first_child(child node: OpaquePointer) -> OpaquePointer? {
    cmark_node_first_child(node)
}
