internal import CCmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses Markdown with libcmark and copies its tree into `Block` and `Inline` values.
/// Every C object is freed before `parse` returns.
enum CMarkParser {
    static let parseOptions: Int32 = CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS | CMARK_OPT_VALIDATE_UTF8

    static func parse(_ source: SourceText, options: MarkdownOptions) -> [Block] {
        parseWithLines(source, options: options).blocks
    }

    /// The blocks, and the source lines of every paragraph and heading in document order
    /// (the table extension reads a paragraph's rows from them).
    static func parseWithLines(_ source: SourceText, options: MarkdownOptions) -> (blocks: [Block], paragraphs: [ParagraphLines]) {
        guard let root = parseTree(source.bytes) else { return ([], []) }
        defer { cmark_node_free(root) }
        var copier = TreeCopier(source: source, options: options)
        let blocks = copier.copy(root)
        return (blocks, copier.paragraphLines)
    }

    /// The caller frees the result with `cmark_node_free`.
    static func parseTree(_ bytes: [UInt8]) -> OpaquePointer? {
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else {
                    return cmark_parse_document("", 0, parseOptions)
                }
                return cmark_parse_document(base, chars.count, parseOptions)
            }
        }
    }

    /// Whether cmark's HTML for a link or image node has a `title` attribute:
    /// `<a href="URL" title="…">` or `<img src="URL" alt="ALT" title="…" />` (the URL
    /// and alt text are escaped, so the attribute values hold no `"`).
    static func rendersTitleAttribute(_ node: OpaquePointer, isImage: Bool) -> Bool {
        guard let html = cmark_render_html(node, CMARK_OPT_UNSAFE) else { return false }
        defer { free(html) }
        var p = UnsafeRawPointer(html).assumingMemoryBound(to: UInt8.self)
        // Skip the quoted values before the title: the URL, and for an image the alt text.
        for _ in 0..<(isImage ? 2 : 1) {
            while p.pointee != 0, p.pointee != UInt8(ascii: "\"") { p += 1 }
            guard p.pointee != 0 else { return false }
            p += 1
            while p.pointee != 0, p.pointee != UInt8(ascii: "\"") { p += 1 }
            guard p.pointee != 0 else { return false }
            p += 1
        }
        for expected in " title=\"".utf8 {
            guard p.pointee == expected else { return false }
            p += 1
        }
        return true
    }

    #if DEBUG
    /// cmark's own HTML for `text`, the reference the tests compare the Swift renderer with.
    static func referenceHTML(_ text: String, unsafeHTML: Bool) -> String {
        let source = SourceText(text)
        guard let root = parseTree(source.bytes) else { return "" }
        defer { cmark_node_free(root) }
        guard let html = cmark_render_html(root, unsafeHTML ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }
    #endif
}

/// The lines cmark took for one paragraph or heading (link reference definitions at its
/// top included, a setext heading's underline too), the byte column its text starts at,
/// and how many block quotes it is in.
struct ParagraphLines {
    var first: Int
    var last: Int
    var column: Int
    var quoteDepth: Int
    var isSetextHeading: Bool
}

/// Walks cmark's tree with its iterator and builds the Swift tree bottom-up on a stack of
/// open containers.
///
/// Containers nested deeper than `maxDepth` (block quotes, lists, emphasis, links) are
/// left out and their content given to the nearest container kept, as markdown-it's
/// `maxNesting` does: the renderers and visitors recurse, and a document of thousands of
/// `>` or `*` must not exhaust a thread's stack.
private struct TreeCopier {
    static let maxDepth = 100

    private enum FrameKind {
        case document
        case blockQuote
        case list(ordered: Bool, start: Int, tight: Bool)
        case item
        case paragraph
        case heading(level: Int)
        case emphasis
        case strong
        case link(destination: String, title: String?)
        case image(source: String, title: String?)
        /// A custom node (cmark's parser makes none): its children go to the parent.
        case transparent
    }

    /// Positions inside the copier are in bytes, as cmark and `SourceText` count; the
    /// values it makes get character columns (`CharacterColumns`).
    private struct Frame {
        var kind: FrameKind
        var position: SourcePosition
        /// cmark's own line and column, for links and images.
        var reported = (line: 0, column: 0)
        /// The first inline child's position, if it is text or emphasis (for links).
        var firstTextChild: SourcePosition?
        var blocks: [Block] = []
        var items: [ListItem] = []
        var inlines: [Inline] = []
    }

    private let source: SourceText
    private var stack: [Frame] = []
    private var result: [Block] = []
    private var positions = InlinePositions.identity
    private var columns: CharacterColumns
    private var lastInlinePosition = SourcePosition(line: 1, column: 1)
    private var cjk: CJKEmphasis?
    private var headingIDs = HeadingIDAllocator()
    private(set) var paragraphLines: [ParagraphLines] = []

    init(source: SourceText, options: MarkdownOptions) {
        self.source = source
        self.columns = CharacterColumns(source)
        // Without a non-ASCII byte there is no CJK character, and the rules are CommonMark's.
        if options.cjkFriendlyEmphasis, source.bytes.contains(where: { $0 >= 0x80 }) {
            cjk = CJKEmphasis(source: source)
        }
    }

    mutating func copy(_ root: OpaquePointer) -> [Block] {
        guard let iter = cmark_iter_new(root) else { return [] }
        defer { cmark_iter_free(iter) }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iter) else { continue }
            if event == CMARK_EVENT_ENTER {
                enter(node)
            } else if event == CMARK_EVENT_EXIT {
                exit()
            }
        }
        return result
    }

    private mutating func enter(_ node: OpaquePointer) {
        let type = cmark_node_get_type(node)
        switch type {
        case CMARK_NODE_DOCUMENT:
            push(.document, node)
        case CMARK_NODE_BLOCK_QUOTE:
            push(.blockQuote, node)
        case CMARK_NODE_LIST:
            let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
            push(.list(ordered: ordered, start: ordered ? Int(cmark_node_get_list_start(node)) : 1,
                       tight: cmark_node_get_list_tight(node) != 0), node)
        case CMARK_NODE_ITEM:
            push(.item, node)
        case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING:
            var depth = 0
            var ancestor = cmark_node_parent(node)
            while let a = ancestor {
                if cmark_node_get_type(a) == CMARK_NODE_BLOCK_QUOTE { depth += 1 }
                ancestor = cmark_node_parent(a)
            }
            let first = Int(cmark_node_get_start_line(node)), last = Int(cmark_node_get_end_line(node))
            paragraphLines.append(ParagraphLines(first: first, last: last, column: Int(cmark_node_get_start_column(node)),
                                                 quoteDepth: depth, isSetextHeading: type == CMARK_NODE_HEADING && last > first))
            positions = InlinePositions(block: node, source: source)
            lastInlinePosition = blockPosition(node)
            push(type == CMARK_NODE_HEADING ? .heading(level: Int(cmark_node_get_heading_level(node))) : .paragraph, node)
        case CMARK_NODE_CODE_BLOCK:
            appendBlock(.codeBlock(info: string(cmark_node_get_fence_info(node)), code: string(cmark_node_get_literal(node))),
                        at: blockPosition(node))
        case CMARK_NODE_HTML_BLOCK:
            appendBlock(.htmlBlock(string(cmark_node_get_literal(node))), at: blockPosition(node))
        case CMARK_NODE_THEMATIC_BREAK:
            appendBlock(.thematicBreak, at: blockPosition(node))
        case CMARK_NODE_TEXT:
            let text = string(cmark_node_get_literal(node))
            if !text.isEmpty {
                var position = inlinePosition(node)
                if text.utf8.first == UInt8(ascii: "`"), source.byte(line: position.line, column: position.column) != UInt8(ascii: "`") {
                    position = beforeBackticks(position)
                }
                appendInline(.text(text), at: position)
            }
        case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
            appendInline(type == CMARK_NODE_SOFTBREAK ? .softBreak : .lineBreak, at: lastInlinePosition)
            // A break right after a break (a line holding only `\`) is on the line the
            // first one started, which no element has placed yet.
            positions.lineBreak(node, onLine: max(lastInlinePosition.line, positions.currentLine), source: source)
        case CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE:
            let literal = string(cmark_node_get_literal(node))
            if type == CMARK_NODE_CODE {
                appendInline(.code(literal), at: beforeBackticks(inlinePosition(node)))
            } else {
                appendInline(.html(literal), at: inlinePosition(node))
            }
            let lines = Int(cmark_node_get_end_line(node) - cmark_node_get_start_line(node))
            if lines > 0 { positions.spanEnded(onLine: lastInlinePosition.line + lines, source: source) }
        case CMARK_NODE_EMPH:
            push(.emphasis, node, inline: true)
        case CMARK_NODE_STRONG:
            push(.strong, node, inline: true)
        case CMARK_NODE_LINK:
            push(.link(destination: string(cmark_node_get_url(node)), title: title(node, isImage: false)),
                 node, inline: true)
        case CMARK_NODE_IMAGE:
            push(.image(source: string(cmark_node_get_url(node)), title: title(node, isImage: true)),
                 node, inline: true)
        default:
            push(.transparent, node)
        }
    }

    private mutating func exit() {
        let frame = stack.removeLast()
        let at = frame.position
        switch frame.kind {
        case .document:
            result = frame.blocks
        case .blockQuote:
            appendBlock(.blockQuote(frame.blocks), at: at)
        case .list(let ordered, let start, let tight):
            appendBlock(.list(ListBlock(ordered: ordered, start: start, tight: tight, items: frame.items)), at: at)
        case .item:
            stack[stack.count - 1].items.append(ListItem(blocks: frame.blocks, position: columns.position(at)))
        case .paragraph:
            appendBlock(.paragraph(finishInlines(frame.inlines)), at: at)
        case .heading(let level):
            let content = finishInlines(frame.inlines)
            let id = headingIDs.unique(for: PlainText.of(content))
            appendBlock(.heading(level: level, content: content, id: id), at: at)
        case .emphasis:
            appendInline(.emphasis(frame.inlines), at: at)
        case .strong:
            appendInline(.strong(frame.inlines), at: at)
        case .link(let destination, let title):
            appendInline(.link(destination: destination, title: title, children: frame.inlines),
                         at: linkPosition(frame, isImage: false))
        case .image(let src, let title):
            appendInline(.image(source: src, title: title, children: frame.inlines),
                         at: linkPosition(frame, isImage: true))
        case .transparent:
            if case .list = stack[stack.count - 1].kind {
                stack[stack.count - 1].items.append(ListItem(blocks: frame.blocks, position: columns.position(at)))
            } else {
                stack[stack.count - 1].blocks += frame.blocks
            }
            stack[stack.count - 1].inlines += frame.inlines
        }
    }

    private mutating func finishInlines(_ inlines: [Inline]) -> [Inline] {
        guard cjk != nil else { return inlines }
        return cjk!.process(inlines)
    }

    private mutating func push(_ kind: FrameKind, _ node: OpaquePointer, inline: Bool = false) {
        let position = inline ? inlinePosition(node) : blockPosition(node)
        var kind = kind
        switch kind {
        case .document, .paragraph, .heading: break
        default: if stack.count >= Self.maxDepth { kind = .transparent }
        }
        var frame = Frame(kind: kind, position: position)
        frame.reported = (Int(cmark_node_get_start_line(node)), Int(cmark_node_get_start_column(node)))
        stack.append(frame)
    }

    private mutating func appendBlock(_ kind: Block.Kind, at bytePosition: SourcePosition) {
        let block = Block(kind, at: columns.position(bytePosition))
        stack[stack.count - 1].blocks.append(block)
    }

    private mutating func appendInline(_ kind: Inline.Kind, at bytePosition: SourcePosition) {
        let inline = Inline(kind, at: columns.position(bytePosition))
        switch kind {
        case .emphasis, .strong: cjk?.noteDelimiter(source.byte(line: bytePosition.line, column: bytePosition.column), at: inline.position)
        default: break
        }
        let top = stack.count - 1
        if stack[top].inlines.isEmpty {
            switch kind {
            case .text, .emphasis, .strong: stack[top].firstTextChild = bytePosition
            default: break
            }
        }
        stack[top].inlines.append(inline)
    }

    /// Where a link (`[`, or `<` for an autolink) or image (`![`) really starts. cmark 0.30
    /// gives a link or image the line on which it closes, and an autolink its offset in
    /// the paragraph rather than on its line. A text or emphasis first child starts right
    /// after the opening bracket; without one, the opening bracket is looked for at
    /// cmark's column on the lines up to the closing one.
    private func linkPosition(_ frame: Frame, isImage: Bool) -> SourcePosition {
        let opener = isImage ? UInt8(ascii: "!") : UInt8(ascii: "[")
        let openerWidth = isImage ? 2 : 1
        if let p = frame.firstTextChild {
            let candidate = SourcePosition(line: p.line, column: p.column - openerWidth)
            if let byte = source.byte(line: candidate.line, column: candidate.column),
               byte == opener || (!isImage && byte == UInt8(ascii: "<")) {
                return candidate
            }
        }
        let (line, column) = frame.reported
        guard line > 0 else { return frame.position }
        var candidateLine = positions.line(line)
        while candidateLine >= 1, candidateLine >= frame.position.line - 1000 {
            let delta = candidateLine == positions.currentLine ? positions.lineDelta : positions.staticDelta(candidateLine, source)
            let candidateColumn = column + delta
            if source.byte(line: candidateLine, column: candidateColumn) == opener {
                return SourcePosition(line: candidateLine, column: candidateColumn)
            }
            candidateLine -= 1
        }
        return frame.position
    }

    /// cmark places code spans, and text starting with unmatched backticks, after the
    /// backticks.
    private func beforeBackticks(_ p: SourcePosition) -> SourcePosition {
        var column = p.column
        while column > 1, source.byte(line: p.line, column: column - 1) == UInt8(ascii: "`") { column -= 1 }
        return SourcePosition(line: p.line, column: column)
    }

    private func blockPosition(_ node: OpaquePointer) -> SourcePosition {
        SourcePosition(line: max(1, Int(cmark_node_get_start_line(node))),
                       column: max(1, Int(cmark_node_get_start_column(node))))
    }

    /// cmark's inline positions, corrected (see `InlinePositions`); breaks, which cmark
    /// leaves at 0:0, get the position of the element before them.
    private mutating func inlinePosition(_ node: OpaquePointer) -> SourcePosition {
        let line = Int(cmark_node_get_start_line(node))
        guard line > 0 else { return lastInlinePosition }
        let position = positions.corrected(line: line, column: Int(cmark_node_get_start_column(node)), source: source)
        lastInlinePosition = position
        return position
    }

    /// A link's title, nil when it has none. cmark's API gives "" for both no title and an
    /// empty one (`[a](b "")`), which its HTML renderer tells apart (`title=""`); for an
    /// empty title, ask the renderer.
    private func title(_ node: OpaquePointer, isImage: Bool) -> String? {
        let title = string(cmark_node_get_title(node))
        if !title.isEmpty { return title }
        return CMarkParser.rendersTitleAttribute(node, isImage: isImage) ? "" : nil
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }
}
