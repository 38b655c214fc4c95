/// Renders the Swift tree to HTML exactly as cmark 0.30's html.c does, with heading ids
/// and a hook for link destinations.
struct HTMLRenderer {
    private let unsafeHTML: Bool
    private let headingIDs: Bool
    private let resolveURL: (String) -> String
    /// HTML for a fenced code block the caller renders itself (a `contact` block), or nil.
    private let customBlock: ((Block) -> String?)?
    private var out: [UInt8] = []

    init(options: MarkdownOptions, resolveURL: @escaping (String) -> String,
         customBlock: ((Block) -> String?)? = nil) {
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
                put("<li>")
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
        }
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
            put("<img src=\"")
            putURL(source)
            put("\" alt=\"")
            renderAltText(children)
            if let title {
                put("\" title=\"")
                HTMLEscaping.appendHTML(title, to: &out)
            }
            put("\" />")
        }
    }

    /// cmark's "plain" mode inside an image: literals escaped, breaks as spaces, no tags.
    private mutating func renderAltText(_ inlines: [Inline]) {
        for inline in inlines {
            switch inline.kind {
            case .text(let s), .code(let s), .html(let s):
                HTMLEscaping.appendHTML(s, to: &out)
            case .softBreak, .lineBreak:
                out.append(UInt8(ascii: " "))
            case .emphasis(let children), .strong(let children),
                 .link(_, _, let children), .image(_, _, let children):
                renderAltText(children)
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
