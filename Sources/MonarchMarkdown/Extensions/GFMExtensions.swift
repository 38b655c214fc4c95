/// The Markdown extensions people write, read from cmark's tree after it is copied (and
/// after CJK-friendly emphasis): tables, strikethrough, extended autolinks, task lists,
/// callouts, heading ids and footnotes, each in its own file. Wherever text is parsed
/// again (a table cell, a footnote's body), cmark parses it.
///
/// Each pass runs only when the source has the character its syntax needs.
enum GFMExtensions {
    static func parse(_ source: SourceText, options: MarkdownOptions) -> (blocks: [Block], warnings: [MarkdownWarning]) {
        guard options.extensions else { return (CMarkParser.parse(source, options: options), []) }
        let footnotes = FootnoteDefinitions(source)
        let text = footnotes.definitions.isEmpty ? source : SourceText(String(decoding: footnotes.text, as: UTF8.self))
        var (blocks, paragraphs) = CMarkParser.parseWithLines(text, options: options)
        var warnings: [MarkdownWarning] = []
        if !footnotes.placeholderLines.isEmpty {
            blocks.removeAll { block in
                guard case .htmlBlock(let html) = block.kind else { return false }
                return footnotes.placeholderLines.contains(block.position.line) && html.utf8.starts(with: FootnoteDefinitions.placeholder)
            }
        }
        blocks = transform(blocks, paragraphs: paragraphs, source: text, options: options, warnings: &warnings)

        guard source.bytes.contains(UInt8(ascii: "^")) else { return (blocks, warnings) }
        var bodies: [(FootnoteDefinitions.Definition, [Block])] = []
        for definition in footnotes.definitions {
            var bodyText = definition.body
            // Reference-style links in a footnote use the document's definitions.
            if definition.body.contains("["), text.bytes.contains(UInt8(ascii: ":")) {
                bodyText += "\n" + String(decoding: text.bytes, as: UTF8.self)
            }
            let bodySource = SourceText(bodyText)
            let (parsed, bodyParagraphs) = CMarkParser.parseWithLines(bodySource, options: options)
            var bodyWarnings: [MarkdownWarning] = []
            var body = transform(parsed, paragraphs: bodyParagraphs, source: bodySource, options: options, warnings: &bodyWarnings)
            let lineCount = definition.lines.count
            body.removeAll { $0.position.line > lineCount }
            let map = definition.lines
            let move = { (p: SourcePosition) -> SourcePosition in
                guard p.line >= 1, p.line <= map.count else { return p }
                return SourcePosition(line: map[p.line - 1].line, column: p.column + map[p.line - 1].shift)
            }
            warnings += bodyWarnings.filter { $0.position.line <= lineCount }.map { MarkdownWarning($0.message, at: move($0.position)) }
            bodies.append((definition, BlockRewriting.moved(body, move)))
        }
        var headingIDs: Set<String> = []
        MarkdownDocument.visitBlocks(blocks) { if case .heading(_, _, let id) = $0.kind { headingIDs.insert(id) } }
        var numbering = FootnoteNumbering(definitions: bodies, headingIDs: headingIDs)
        blocks = numbering.apply(blocks)
        warnings += numbering.warnings
        warnings.sort { $0.position < $1.position }
        return (blocks, warnings)
    }

    /// Every extension but footnotes, on blocks cmark parsed from `source`.
    static func transform(_ blocks: [Block], paragraphs: [ParagraphLines], source: SourceText,
                          options: MarkdownOptions, warnings: inout [MarkdownWarning]) -> [Block] {
        let bytes = source.bytes
        func has(_ c: Character) -> Bool { bytes.contains(c.asciiValue!) }
        var blocks = blocks
        if has("|") {
            var tables = Tables(source: source, options: options)
            blocks = tables.apply(blocks, paragraphs: paragraphs)
            warnings += tables.warnings
        }
        let strike = has("~")
        let links = has("@") || has(":") || has("w") || has("W")
        let brackets = has("[")
        let braces = has("{")
        guard strike || links || brackets || braces else { return blocks }
        blocks = BlockRewriting.rewriteInlines(blocks) { inlines in
            var inlines = BlockRewriting.mergingTexts(inlines)
            if strike { inlines = Strikethrough.apply(inlines, source: source) }
            if links { inlines = ExtendedAutolinks.apply(inlines) }
            return inlines
        }
        if braces {
            var attributes = HeadingAttributes()
            blocks = attributes.apply(blocks)
            warnings += attributes.warnings
        }
        if brackets {
            blocks = TaskLists.apply(blocks)
            blocks = Callouts.apply(blocks)
        }
        return blocks
    }
}
