/// A parsed Markdown document: cmark's tree copied into Swift values (the C tree is freed
/// before `parse` returns), rendered to HTML in Swift exactly as cmark 0.30 renders it,
/// with heading ids, a URL hook and optional CJK-friendly emphasis.
///
/// ```swift
/// let doc = MarkdownDocument.parse(markdown)
/// let html = doc.html { url in url.hasSuffix(".md") ? pageURL(for: url) : url }
/// for link in doc.links { check(link.destination, at: link.position) }
/// ```
public struct MarkdownDocument: Sendable {
    public var blocks: [Block]
    public var options: MarkdownOptions
    /// What the extensions could not read as their author likely meant, in source order
    /// (see `MarkdownWarning`).
    public var warnings: [MarkdownWarning] = []
    /// The size of the parsed text, to size the HTML buffer.
    private var sourceByteCount = 0

    public init(blocks: [Block], options: MarkdownOptions = .init()) {
        self.blocks = blocks
        self.options = options
    }

    /// Parses CommonMark with cmark (plus CJK-friendly emphasis when the options ask for it),
    /// then reads GitHub's extensions from cmark's tree (see `GFMExtensions`).
    /// Positions are relative to `text`; a leading byte-order mark is ignored.
    public static func parse(_ text: String, options: MarkdownOptions = .init()) -> MarkdownDocument {
        let source = SourceText(text)
        let (blocks, warnings) = GFMExtensions.parse(source, options: options)
        var document = MarkdownDocument(blocks: blocks, options: options)
        document.warnings = warnings
        document.sourceByteCount = source.bytes.count
        return document
    }

    /// The HTML, as cmark renders it, with heading ids when `options.headingIDs`.
    /// Every link and image destination goes through `resolveURL` first; the result is then
    /// dropped if it has an unsafe scheme (unless `options.unsafeHTML`) and escaped.
    public func html(resolveURL: (String) -> String = { $0 }) -> String {
        html(resolveURL: resolveURL, codeBlock: nil)
    }

    /// The HTML as above, with `codeBlock` asked first about every code block: the HTML it
    /// returns stands in for the block (the site renders `contact` blocks this way); nil
    /// renders the block as cmark does. The returned HTML is not escaped: it must be safe.
    /// With `responsiveImage`, an image whose destination it knows is rendered as a
    /// `<picture>` of its sized copies (`ResponsiveImage`).
    public func html(resolveURL: (String) -> String = { $0 }, codeBlock: ((Block) -> String?)?,
                     labels: MarkdownLabels = .english, responsiveImage: ((String) -> ResponsiveImage?)? = nil) -> String {
        withoutActuallyEscaping(resolveURL) { resolve in
            var renderer = HTMLRenderer(options: options, resolveURL: resolve, customBlock: codeBlock, labels: labels,
                                        responsiveImage: responsiveImage)
            return renderer.render(blocks, capacity: sourceByteCount + sourceByteCount / 4 + 256)
        }
    }
}

/// One heading of a document.
public struct Heading: Sendable, Hashable {
    public var level: Int
    /// The heading's plain text (see `MarkdownDocument.plainText`).
    public var text: String
    /// The heading's unique id within the document (rendered when `headingIDs` is on).
    public var id: String
    public var position: SourcePosition

    public init(level: Int, text: String, id: String, position: SourcePosition) {
        self.level = level
        self.text = text
        self.id = id
        self.position = position
    }
}

/// A link or image destination as written (after cmark's unescaping), with where it is.
public struct LinkReference: Sendable, Hashable {
    public var destination: String
    /// nil when the link has no title.
    public var title: String?
    public var isImage: Bool
    /// The plain text of the link, or the alt text of an image.
    public var text: String
    /// Where the link (`[`, `<` for an autolink) or image (`!`) starts.
    public var position: SourcePosition

    /// An image with a non-blank alt text.
    public var hasAltText: Bool {
        isImage && text.unicodeScalars.contains { !$0.properties.isWhitespace }
    }

    public init(destination: String, title: String? = nil, isImage: Bool, text: String, position: SourcePosition) {
        self.destination = destination
        self.title = title
        self.isImage = isImage
        self.text = text
        self.position = position
    }
}

extension MarkdownDocument {
    /// Every heading in document order.
    public var headings: [Heading] {
        var result: [Heading] = []
        Self.visitBlocks(blocks) { block in
            if case .heading(let level, let content, let id) = block.kind {
                result.append(Heading(level: level, text: PlainText.of(content), id: id, position: block.position))
            }
        }
        return result
    }

    /// The plain text of the first level-1 heading, for the title fallback.
    public var firstHeading1Text: String? {
        headings.first { $0.level == 1 }?.text
    }

    /// Every link and image in document order (an image inside a link's text comes after
    /// the link).
    public var links: [LinkReference] {
        var result: [LinkReference] = []
        Self.visitBlocks(blocks) { block in
            switch block.kind {
            case .paragraph(let inlines), .heading(_, let inlines, _), .details(let inlines, _, _):
                Self.collectLinks(inlines, into: &result)
            case .definitionList(let items):
                for item in items { for term in item.terms { Self.collectLinks(term, into: &result) } }
            default:
                break
            }
        }
        return result
    }

    /// All the document's text, one block per line, for search and descriptions: text and
    /// code as written, breaks as spaces, code blocks included, raw HTML left out.
    public var plainText: String {
        var out = ""
        PlainText.append(blocks, to: &out)
        return out
    }

    private static func collectLinks(_ inlines: [Inline], into result: inout [LinkReference]) {
        for inline in inlines {
            switch inline.kind {
            case .link(let destination, let title, let children):
                result.append(LinkReference(destination: destination, title: title, isImage: false,
                                            text: PlainText.of(children), position: inline.position))
                collectLinks(children, into: &result)
            case .image(let source, let title, let children):
                result.append(LinkReference(destination: source, title: title, isImage: true,
                                            text: PlainText.of(children), position: inline.position))
                collectLinks(children, into: &result)
            case .emphasis(let children), .strong(let children), .tagged(_, let children):
                collectLinks(children, into: &result)
            case .text, .softBreak, .lineBreak, .code, .html, .footnoteReference:
                break
            }
        }
    }

    /// Calls `body` for every block, depth first, in document order: a container (block
    /// quote, list, table, callout, details, definition list, footnotes) first, then the
    /// blocks inside it. The one walk over the blocks for whatever needs only
    /// to see each block (links, headings, plain text, contact blocks, raw HTML); the HTML
    /// renderer and the pamphlet's flow keep their own, as they open and close each container.
    public static func visitBlocks(_ blocks: [Block], _ body: (Block) -> Void) {
        for block in blocks {
            body(block)
            switch block.kind {
            case .blockQuote(let children):
                visitBlocks(children, body)
            case .list(let list):
                for item in list.items { visitBlocks(item.blocks, body) }
            case .table(let table):
                for row in table.head + table.body { for cell in row.cells { visitBlocks(cell.blocks, body) } }
            case .callout(_, let children), .details(_, let children, _):
                visitBlocks(children, body)
            case .definitionList(let items):
                for item in items { for definition in item.definitions { visitBlocks(definition, body) } }
            case .footnotes(let notes):
                for note in notes { visitBlocks(note.blocks, body) }
            case .paragraph, .heading, .codeBlock, .htmlBlock, .thematicBreak:
                break
            }
        }
    }
}
