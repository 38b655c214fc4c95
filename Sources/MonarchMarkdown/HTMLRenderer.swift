/// Renders the Swift tree to HTML exactly as cmark 0.30's html.c does, with heading ids
/// and a hook for link destinations; the GFM extensions as cmark-gfm renders them, except
/// where a reader is better served (see `renderTable`, `renderCallout`, `renderFootnotes`).
struct HTMLRenderer {
    private let unsafeHTML: Bool
    private let headingIDs: Bool
    private let labels: MarkdownLabels
    private let resolveURL: (String) -> String
    /// HTML for a fenced code block the caller renders itself (a `contact` block), or nil.
    private let customBlock: ((Block) -> String?)?
    /// The sized copies of an image destination, when the site made them.
    private let responsiveImage: ((String) -> ResponsiveImage?)?
    /// Images rendered so far: the first is loaded at once, the others when scrolled near.
    private var imageCount = 0
    private var out: [UInt8] = []

    init(options: MarkdownOptions, resolveURL: @escaping (String) -> String,
         customBlock: ((Block) -> String?)? = nil, labels: MarkdownLabels = .english,
         responsiveImage: ((String) -> ResponsiveImage?)? = nil) {
        self.labels = labels
        self.responsiveImage = responsiveImage
        self.unsafeHTML = options.unsafeHTML
        self.headingIDs = options.headingIDs
        self.resolveURL = resolveURL
        self.customBlock = customBlock
    }

    mutating func render(_ blocks: [Block], capacity: Int) -> String {
        out.reserveCapacity(capacity)
        renderBlocks(blocks, tight: false)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Blocks

    private mutating func renderBlocks(_ blocks: [Block], tight: Bool) {
        for block in blocks { renderBlock(block, tight: tight) }
    }

    private mutating func renderBlock(_ block: Block, tight: Bool) {
        switch block.kind {
        case .paragraph(let inlines):
            if tight {
                renderInlines(inlines)
            } else {
                cr()
                put("<p>")
                renderInlines(inlines)
                put("</p>\n")
            }
        case .heading(let level, let content, let id):
            cr()
            put("<h")
            out.append(UInt8(ascii: "0") + UInt8(clamping: level))
            if headingIDs {
                put(" id=\"")
                HTMLEscaping.appendHTML(id, to: &out)
                put("\"")
            }
            put(">")
            renderInlines(content)
            put("</h")
            out.append(UInt8(ascii: "0") + UInt8(clamping: level))
            put(">\n")
        case .blockQuote(let children):
            cr()
            put("<blockquote>\n")
            renderBlocks(children, tight: false)
            cr()
            put("</blockquote>\n")
        case .list(let list):
            cr()
            if !list.ordered {
                put("<ul>\n")
            } else if list.start == 1 {
                put("<ol>\n")
            } else {
                put("<ol start=\"")
                out.append(contentsOf: String(list.start).utf8)
                put("\">\n")
            }
            for item in list.items {
                cr()
                switch item.task {
                case nil: put("<li>")
                case .open?:
                    put("<li class=\"task\"><input type=\"checkbox\" disabled=\"\" aria-label=\"")
                    HTMLEscaping.appendHTML(labels.taskOpen, to: &out)
                    put("\" /> ")
                case .done?:
                    put("<li class=\"task\"><input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"")
                    HTMLEscaping.appendHTML(labels.taskDone, to: &out)
                    put("\" /> ")
                }
                renderBlocks(item.blocks, tight: list.tight)
                put("</li>\n")
            }
            put(list.ordered ? "</ol>\n" : "</ul>\n")
        case .codeBlock(let info, let code):
            cr()
            if let html = customBlock?(block) {
                out.append(contentsOf: html.utf8)
                cr()
                return
            }
            let language = info.utf8.prefix { !Self.isSpace($0) }
            if language.isEmpty {
                put("<pre><code>")
            } else {
                put("<pre><code class=\"language-")
                HTMLEscaping.appendHTML(String(decoding: language, as: UTF8.self), to: &out)
                put("\">")
            }
            HTMLEscaping.appendHTML(code, to: &out)
            put("</code></pre>\n")
        case .htmlBlock(let html):
            cr()
            if unsafeHTML {
                out.append(contentsOf: html.utf8)
            } else {
                put("<!-- raw HTML omitted -->")
            }
            cr()
        case .thematicBreak:
            cr()
            put("<hr />\n")
        case .table(let table):
            renderTable(table)
        case .callout(let kind, let children):
            cr()
            put("<div class=\"callout callout-")
            out.append(contentsOf: kind.rawValue.utf8)
            put("\" role=\"note\">\n<p class=\"callout-title\">")
            HTMLEscaping.appendHTML(labels.callout(kind), to: &out)
            put("</p>\n")
            renderBlocks(children, tight: false)
            cr()
            put("</div>\n")
        case .details(let summary, let children, let open):
            cr()
            if open { put("<details open=\"\">\n<summary>") } else { put("<details>\n<summary>") }
            renderInlines(summary)
            put("</summary>\n")
            renderBlocks(children, tight: false)
            cr()
            put("</details>\n")
        case .definitionList(let items):
            cr()
            put("<dl>\n")
            for item in items {
                for term in item.terms {
                    put("<dt>")
                    renderInlines(term)
                    put("</dt>\n")
                }
                for definition in item.definitions {
                    put("<dd>")
                    renderCell(definition)
                    put("</dd>\n")
                }
            }
            put("</dl>\n")
        case .footnotes(let notes):
            renderFootnotes(notes)
        }
    }

    /// cmark-gfm's table, inside a box that scrolls sideways on a narrow screen (so that the
    /// page itself never does), with `scope` on header cells and alignment as a class (the
    /// `align` attribute is obsolete in HTML5, and a `style` attribute would need
    /// `'unsafe-inline'` in the content security policy).
    private mutating func renderTable(_ table: Table) {
        cr()
        put("<div class=\"table-scroll\" tabindex=\"0\">\n<table>\n")
        func rows(_ rows: [TableRow], head: Bool) {
            guard !rows.isEmpty else { return }
            if head { put("<thead>\n") } else { put("<tbody>\n") }
            for row in rows {
                put("<tr>\n")
                var column = 0
                for cell in row.cells {
                    if cell.isHeader { put("<th") } else { put("<td") }
                    if cell.isHeader { put(head ? " scope=\"col\"" : " scope=\"row\"") }
                    if column < table.alignments.count {
                        switch table.alignments[column] {
                        case .none: break
                        case .left: put(" class=\"align-left\"")
                        case .center: put(" class=\"align-center\"")
                        case .right: put(" class=\"align-right\"")
                        }
                    }
                    if cell.columnSpan > 1 {
                        put(" colspan=\"")
                        out.append(contentsOf: String(cell.columnSpan).utf8)
                        put("\"")
                    }
                    if cell.rowSpan > 1 {
                        put(" rowspan=\"")
                        out.append(contentsOf: String(cell.rowSpan).utf8)
                        put("\"")
                    }
                    put(">")
                    renderCell(cell.blocks)
                    if cell.isHeader { put("</th>\n") } else { put("</td>\n") }
                    column += max(1, cell.columnSpan)
                }
                put("</tr>\n")
            }
            if head { put("</thead>\n") } else { put("</tbody>\n") }
        }
        rows(table.head, head: true)
        rows(table.body, head: false)
        put("</table>\n</div>\n")
    }

    /// A cell (or `dd`) whose only block is a paragraph is written without `<p>`, as
    /// cmark-gfm writes a GFM cell; anything else as blocks.
    private mutating func renderCell(_ blocks: [Block]) {
        if blocks.count == 1, case .paragraph(let inlines) = blocks[0].kind {
            renderInlines(inlines)
        } else {
            renderBlocks(blocks, tight: false)
            cr()
        }
    }

    /// cmark-gfm's footnote section, with the list named for screen readers in the page's
    /// language and every reference given its own link back.
    private mutating func renderFootnotes(_ notes: [Footnote]) {
        guard !notes.isEmpty else { return }
        cr()
        put("<section class=\"footnotes\" data-footnotes=\"\" aria-label=\"")
        HTMLEscaping.appendHTML(labels.footnotes, to: &out)
        put("\">\n<ol>\n")
        for (number, note) in notes.enumerated() {
            put("<li id=\"")
            HTMLEscaping.appendHTML(note.id, to: &out)
            put("\">\n")
            var backLinks: [UInt8] = []
            swap(&out, &backLinks)
            for (index, reference) in note.referenceIDs.enumerated() {
                put(" <a href=\"#")
                HTMLEscaping.appendHTML(reference, to: &out)
                put("\" class=\"footnote-backref\" aria-label=\"")
                // The note's number, as GitHub names them: "Back to reference 2", and for the
                // second place note 2 is referred to, "Back to reference 2-2".
                HTMLEscaping.appendHTML(labels.backToReference(index == 0 ? "\(number + 1)" : "\(number + 1)-\(index + 1)"), to: &out)
                put("\">↩")
                if index > 0 {
                    put("<sup>")
                    out.append(contentsOf: String(index + 1).utf8)
                    put("</sup>")
                }
                put("</a>")
            }
            swap(&out, &backLinks)
            // The links back go at the end of the last paragraph, as cmark-gfm puts them.
            if case .paragraph(let inlines)? = note.blocks.last?.kind {
                renderBlocks(Array(note.blocks.dropLast()), tight: false)
                cr()
                put("<p>")
                renderInlines(inlines)
                out.append(contentsOf: backLinks)
                put("</p>\n")
            } else {
                renderBlocks(note.blocks, tight: false)
                cr()
                out.append(contentsOf: backLinks)
                cr()
            }
            put("</li>\n")
        }
        put("</ol>\n</section>\n")
    }

    // MARK: Inlines

    private mutating func renderInlines(_ inlines: [Inline]) {
        for inline in inlines { renderInline(inline) }
    }

    private mutating func renderInline(_ inline: Inline) {
        switch inline.kind {
        case .text(let s):
            HTMLEscaping.appendHTML(s, to: &out)
        case .softBreak:
            out.append(UInt8(ascii: "\n"))
        case .lineBreak:
            put("<br />\n")
        case .code(let s):
            put("<code>")
            HTMLEscaping.appendHTML(s, to: &out)
            put("</code>")
        case .html(let s):
            if unsafeHTML {
                out.append(contentsOf: s.utf8)
            } else {
                put("<!-- raw HTML omitted -->")
            }
        case .emphasis(let children):
            put("<em>")
            renderInlines(children)
            put("</em>")
        case .strong(let children):
            put("<strong>")
            renderInlines(children)
            put("</strong>")
        case .link(let destination, let title, let children):
            put("<a href=\"")
            putURL(destination)
            if let title {
                put("\" title=\"")
                HTMLEscaping.appendHTML(title, to: &out)
            }
            put("\">")
            renderInlines(children)
            put("</a>")
        case .image(let source, let title, let children):
            if let image = responsiveImage?(source) {
                renderPicture(image, title: title, alt: children)
                return
            }
            put("<img src=\"")
            putURL(source)
            put("\" alt=\"")
            renderAltText(children)
            if let title {
                put("\" title=\"")
                HTMLEscaping.appendHTML(title, to: &out)
            }
            put("\" />")
        case .tagged(let tag, let children):
            put("<")
            putTagName(tag)
            if case .abbreviation(let title?) = tag {
                put(" title=\"")
                HTMLEscaping.appendHTML(title, to: &out)
                put("\"")
            }
            put(">")
            renderInlines(children)
            put("</")
            putTagName(tag)
            put(">")
        case .footnoteReference(let reference):
            put("<sup class=\"footnote-ref\"><a href=\"#")
            HTMLEscaping.appendHTML(reference.target, to: &out)
            put("\" id=\"")
            HTMLEscaping.appendHTML(reference.id, to: &out)
            put("\" data-footnote-ref=\"\">")
            out.append(contentsOf: String(reference.number).utf8)
            put("</a></sup>")
        }
    }

    private mutating func putTagName(_ tag: InlineTag) {
        switch tag {
        case .deleted: put("del")
        case .inserted: put("ins")
        case .superscript: put("sup")
        case .subscript: put("sub")
        case .keyboard: put("kbd")
        case .marked: put("mark")
        case .abbreviation: put("abbr")
        }
    }

    /// `<picture>`: a `<source>` per modern format, then the `<img>` with the fallback copies,
    /// its size, and (after the first image of the page) lazy loading.
    private mutating func renderPicture(_ image: ResponsiveImage, title: String?, alt: [Inline]) {
        imageCount += 1
        put("<picture>")
        for source in image.sources {
            put("<source type=\"")
            HTMLEscaping.appendHTML(source.type, to: &out)
            put("\" srcset=\"")
            HTMLEscaping.appendHTML(source.srcset, to: &out)
            put("\" sizes=\"")
            HTMLEscaping.appendHTML(image.sizes, to: &out)
            put("\" />")
        }
        put("<img src=\"")
        HTMLEscaping.appendHTML(image.src, to: &out)
        put("\" srcset=\"")
        HTMLEscaping.appendHTML(image.srcset, to: &out)
        put("\" sizes=\"")
        HTMLEscaping.appendHTML(image.sizes, to: &out)
        put("\" width=\"")
        out.append(contentsOf: String(image.width).utf8)
        put("\" height=\"")
        out.append(contentsOf: String(image.height).utf8)
        put("\" alt=\"")
        renderAltText(alt)
        if let title {
            put("\" title=\"")
            HTMLEscaping.appendHTML(title, to: &out)
        }
        put(imageCount == 1 ? "\" decoding=\"async\" />" : "\" loading=\"lazy\" decoding=\"async\" />")
        put("</picture>")
    }

    /// cmark's "plain" mode inside an image: literals escaped, breaks as spaces, no tags.
    private mutating func renderAltText(_ inlines: [Inline]) {
        for inline in inlines {
            switch inline.kind {
            case .text(let s), .code(let s), .html(let s):
                HTMLEscaping.appendHTML(s, to: &out)
            case .softBreak, .lineBreak:
                out.append(UInt8(ascii: " "))
            case .emphasis(let children), .strong(let children), .tagged(_, let children),
                 .link(_, _, let children), .image(_, _, let children):
                renderAltText(children)
            case .footnoteReference(let reference):
                out.append(contentsOf: String(reference.number).utf8)
            }
        }
    }

    private mutating func putURL(_ url: String) {
        let resolved = resolveURL(url)
        if !MarkdownOptions(unsafeHTML: unsafeHTML).allowsLink(to: resolved) { return }
        HTMLEscaping.appendHref(resolved, to: &out)
    }

    // MARK: Output

    private mutating func cr() {
        if let last = out.last, last != UInt8(ascii: "\n") { out.append(UInt8(ascii: "\n")) }
    }

    private mutating func put(_ s: StaticString) {
        HTMLEscaping.appendStatic(s, to: &out)
    }

    /// cmark_isspace: space, \t, \n, \v, \f, \r.
    private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D)
    }
}
