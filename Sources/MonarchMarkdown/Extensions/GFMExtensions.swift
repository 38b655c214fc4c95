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
        var linkDefinitions: String?
        for definition in footnotes.definitions {
            var bodyText = definition.body
            // Reference-style links in a footnote use the document's definitions.
            if LinkDefinitions.mayReference(definition.body.utf8) {
                if linkDefinitions == nil { linkDefinitions = LinkDefinitions.text(of: text) }
                bodyText += "\n" + linkDefinitions!
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
        var numbering = FootnoteNumbering(definitions: bodies, headingIDs: headingIDs, source: source)
        blocks = numbering.apply(blocks)
        warnings += numbering.warnings
        warnings.sort { $0.position < $1.position }
        return (blocks, warnings)
    }

    private static func contains(_ bytes: [UInt8], _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        let first = needle.utf8Start[0]
        var i = 0
        while i + n <= bytes.count {
            if bytes[i] == first {
                var k = 1
                while k < n, bytes[i + k] == needle.utf8Start[k] { k += 1 }
                if k == n { return true }
            }
            i += 1
        }
        return false
    }

    private static func endsALineWithBrace(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "}") {
                var j = i + 1
                while j < bytes.count, bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t") { j += 1 }
                if j == bytes.count || bytes[j] == UInt8(ascii: "\n") || bytes[j] == UInt8(ascii: "\r") { return true }
            }
            i += 1
        }
        return false
    }

    /// Whether a text has what some pass looks for (a URL may be split across texts at
    /// `_` or `*`, but its `://`, `www.` or `@` is in one of them).
    private static func mayMatter(_ text: String, strike: Bool, links: Bool, brackets: Bool, braces: Bool) -> Bool {
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "~"): if strike { return true }
            case UInt8(ascii: "["), UInt8(ascii: "]"): if brackets { return true }
            case UInt8(ascii: "{"), UInt8(ascii: "}"): if braces { return true }
            default: break
            }
        }
        return links && ExtendedAutolinks.mayLink(text.utf8)
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
        if bytes.contains(0xEF) { warnings += FullWidthTables.warnings(paragraphs, source: source) }
        let strike = has("~")
        let links = has("@") || contains(bytes, "://") || contains(bytes, "ww.") || contains(bytes, "WW.")
        let brackets = has("[")
        // Attribute lists end a line: `## Heading {#id}`, `{: .class}`.
        let braces = endsALineWithBrace(bytes)
        guard strike || links || brackets || braces else { return blocks }
        blocks = BlockRewriting.rewriteInlines(blocks) { inlines in
            guard BlockRewriting.anyText(inlines, { mayMatter($0, strike: strike, links: links, brackets: brackets, braces: braces) }) else {
                return nil
            }
            var inlines = BlockRewriting.mergingTexts(inlines)
            if strike { inlines = Strikethrough.apply(inlines, source: source) }
            if links { inlines = ExtendedAutolinks.apply(inlines, source: source) }
            return inlines
        }
        if braces {
            var attributes = HeadingAttributes()
            blocks = attributes.apply(blocks)
            warnings += attributes.warnings
        }
        if brackets {
            blocks = BlockRewriting.rewrite(blocks) { block in
                switch block.kind {
                case .list: TaskLists.apply(to: block)
                case .blockQuote: Callouts.apply(to: block, warnings: &warnings)
                default: nil
                }
            }
        }
        return blocks
    }
}
