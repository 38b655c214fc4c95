import MonarchContent
import MonarchCore
import MonarchMarkdown

/// Raw HTML in Markdown, kept when harmless and never lost in silence (issue #17): every raw
/// HTML block, and every paragraph's run of inline HTML, is parsed by an HTML5 parser (gumbo,
/// as a `<body>` fragment, the way the browser would read it) and becomes Markdown model
/// nodes, which the web renderer and the pamphlet both know. Only these are kept:
///
/// - blocks: `p`, `ul`/`ol`/`li` (`start` on `ol`), `dl`/`dt`/`dd`, `blockquote`, `pre`,
///   `details`/`summary` (`open` keeps the web page's details open; paper prints every
///   details block open), the table
///   family (`table`, `thead`, `tbody`, `tfoot`, `tr`, `th`, `td` with `colspan`/`rowspan`
///   from 1 to 100; `caption` becomes a paragraph before the table), `hr`;
/// - inline: `strong`/`b`, `em`/`i`, `code`, `br`, `sup`, `sub`, `kbd`, `mark`, `ins`, `del`,
///   `abbr` (with `title`), `a` only with an `href` that a Markdown link may have
///   (`MarkdownOptions.allowsLink`; `.md` targets are resolved and checked like Markdown
///   links, since they become Markdown links).
///
/// Everything else is left out with a warning at its `path:line:col`:
///
/// - elements that run, load or submit something, or hold no reading text, go with all they
///   hold: `script`, `style`, `iframe`, `frame(set)`, `object`, `embed`, `applet`, `template`,
///   `noscript`, `form` and its controls, `canvas`, `audio`, `video`, `map`, `svg`, `math`,
///   `link`, `meta`, `base`, `title`, an `img` from another host;
/// - an `img` from the site itself is left out with its `alt` text kept (the warning says how
///   to write it as a Markdown image, which the build checks and copies);
/// - any other element (`div`, `span`, `font`, `center`, `section`, `h1`...`h6`, `u`, `s`,
///   unknown tags, an `a` whose address is refused) is left out but its text and kept
///   children stay, as a paragraph where it was a block;
/// - every other attribute (`style`, `class`, `id`, `on...`) is left out of a kept element.
///
/// Comments go without a word. The warnings of one HTML block (or paragraph) are grouped by
/// what was left out, at the first place each was found.
///
/// With `unsafe_html: true` the web page keeps the HTML as written (the loader does not call
/// this) and only the pamphlet's copy of the page is converted (`forPaper`), without warnings.
struct RawHTMLAllowlist {
    /// Something left out, and where.
    struct Drop {
        var what: String
        var position: SourcePosition
    }

    /// Deeper HTML than this is left out whole: the conversion recurses once per element.
    static let depthLimit = 200
    /// Table spans are bounded so that a typo cannot make a table of a million columns.
    static let spanLimit = 100

    let options: MarkdownOptions
    /// What was left out, in groups (one per HTML block or paragraph), in order.
    private(set) var groups: [[Drop]] = []
    private var current: [Drop] = []
    /// How many pairs of HTML blocks the conversion is inside.
    private var pairing = 0

    init(options: MarkdownOptions) {
        self.options = options
    }

    // MARK: Entry points

    /// What the page loader applies to every page of a build.
    static let pageTransform = DocumentTransform(name: "raw-html-allowlist-1") { document, location, diagnostics in
        transform(document, location: location, diagnostics: diagnostics)
    }

    /// The page's document with its raw HTML converted, warnings emitted at `location`. With
    /// `unsafe_html` the document is returned as it is: the web page shows its HTML as written.
    static func transform(_ document: MarkdownDocument, location: (SourcePosition) -> SourceLocation,
                          diagnostics: DiagnosticsEngine) -> MarkdownDocument {
        guard !document.options.unsafeHTML, hasRawHTML(document.blocks) else { return document }
        var converter = RawHTMLAllowlist(options: document.options)
        var converted = document
        converted.blocks = converter.blocks(document.blocks)
        for warning in converter.warnings() {
            diagnostics.warning(location(warning.position), warning.message)
        }
        return converted
    }

    /// The document as the pamphlet prints it: raw HTML (kept as written on the web page with
    /// `unsafe_html`) converted by the same allowlist, so that paper shows the same text.
    static func forPaper(_ document: MarkdownDocument) -> MarkdownDocument {
        guard hasRawHTML(document.blocks) else { return document }
        var converter = RawHTMLAllowlist(options: document.options)
        var converted = document
        converted.blocks = converter.blocks(document.blocks)
        return converted
    }

    /// One warning per group and kind of thing left out, at the first place it was found.
    func warnings() -> [(position: SourcePosition, message: String)] {
        var result: [(SourcePosition, String)] = []
        for group in groups {
            var order: [String] = []
            var first: [String: SourcePosition] = [:]
            var counts: [String: Int] = [:]
            for drop in group {
                if first[drop.what] == nil {
                    order.append(drop.what)
                    first[drop.what] = drop.position
                }
                counts[drop.what, default: 0] += 1
            }
            for what in order {
                let more = counts[what]! > 1 ? " (\(counts[what]! - 1) more like it after this)" : ""
                result.append((first[what]!, "raw HTML: \(what)\(more); Monarch keeps only harmless HTML (docs/raw-html.md): "
                               + "write this in Markdown, or remove it"))
            }
        }
        return result
    }

    /// Whether any block holds raw HTML: most pages have none, and this runs for every page.
    static func hasRawHTML(_ blocks: [Block]) -> Bool {
        func inline(_ items: [Inline]) -> Bool {
            items.contains { item in
                switch item.kind {
                case .html: return true
                case .emphasis(let children), .strong(let children), .tagged(_, let children),
                     .link(_, _, let children), .image(_, _, let children):
                    return inline(children)
                default: return false
                }
            }
        }
        var found = false
        MarkdownDocument.visitBlocks(blocks) { block in
            guard !found else { return }
            switch block.kind {
            case .htmlBlock: found = true
            case .paragraph(let items), .heading(_, let items, _), .details(let items, _, _): found = inline(items)
            case .definitionList(let items): found = items.contains { $0.terms.contains(where: inline) }
            default: break
            }
        }
        return found
    }

    // MARK: Markdown blocks

    /// The blocks with every HTML block converted, and an HTML block that leaves a
    /// `<details>` (or `<blockquote>`, `<div>`...) open paired with the sibling HTML block
    /// that closes it: the Markdown between them goes inside (GitHub's way of writing details).
    mutating func blocks(_ list: [Block]) -> [Block] {
        let plan = pairing > Self.pairingLimit ? Self.unpaired(list) : Self.paired(list)
        var out: [Block] = []
        var index = 0
        while index < list.count {
            let block = list[index]
            switch block.kind {
            case .htmlBlock:
                guard let html = plan.html[index] else { break }   // a closing tag and nothing more
                if let open = html.open, let close = plan.closes[index] {
                    pairing += 1
                    let inner = blocks(Array(list[(index + 1)..<close]))
                    pairing -= 1
                    out += convert(html.source, extra: (open.node, inner))
                    // The closing block may hold more HTML after its end tag.
                    index = close
                    continue
                }
                out += convert(html.source, extra: nil)
            case .paragraph(let items):
                let converted = inlines(items)
                if !converted.isEmpty || items.isEmpty { out.append(Block(.paragraph(converted), at: block.position)) }
            case .heading(let level, let items, let id):
                out.append(Block(.heading(level: level, content: inlines(items), id: id), at: block.position))
            case .blockQuote(let children):
                out.append(Block(.blockQuote(blocks(children)), at: block.position))
            case .list(var list):
                for item in list.items.indices { list.items[item].blocks = blocks(list.items[item].blocks) }
                out.append(Block(.list(list), at: block.position))
            case .table(var table):
                for row in table.head.indices {
                    for cell in table.head[row].cells.indices {
                        table.head[row].cells[cell].blocks = blocks(table.head[row].cells[cell].blocks)
                    }
                }
                for row in table.body.indices {
                    for cell in table.body[row].cells.indices {
                        table.body[row].cells[cell].blocks = blocks(table.body[row].cells[cell].blocks)
                    }
                }
                out.append(Block(.table(table), at: block.position))
            case .callout(let kind, let children):
                out.append(Block(.callout(kind, blocks(children)), at: block.position))
            case .details(let summary, let children, let open):
                out.append(Block(.details(summary: inlines(summary), blocks: blocks(children), open: open), at: block.position))
            case .definitionList(var items):
                for item in items.indices {
                    items[item].terms = items[item].terms.map { inlines($0) }
                    items[item].definitions = items[item].definitions.map { blocks($0) }
                }
                out.append(Block(.definitionList(items), at: block.position))
            case .footnotes(var notes):
                for note in notes.indices { notes[note].blocks = blocks(notes[note].blocks) }
                out.append(Block(.footnotes(notes), at: block.position))
            case .codeBlock, .thematicBreak:
                out.append(block)
            }
            index += 1
        }
        return out
    }

    /// Elements that, left open at the end of an HTML block, take the Markdown blocks up to
    /// the HTML block that closes them.
    private static let pairable: Set<String> = [
        "details", "blockquote", "div", "section", "article", "aside", "center", "dd", "li", "td", "th",
    ]

    /// The innermost element of the block's last element chain that the block leaves open.
    private static func openContainer(_ fragment: HTMLTree.Fragment) -> (node: Int, name: String)? {
        func lastElement(_ children: [Int]) -> Int? {
            children.last { index in
                switch fragment.nodes[index].kind {
                case .element: return true
                case .text(let text, _): return !text.allSatisfy(\.isWhitespace)
                }
            }
        }
        var found: (Int, String)?
        var candidate = lastElement(fragment.roots)
        while let node = candidate, case .element(let element, let closed) = fragment.nodes[node].kind, !closed {
            if pairable.contains(element.name) { found = (node, element.name) }
            candidate = lastElement(fragment.nodes[node].children)
        }
        return found
    }

    /// An HTML block ready to convert: the part of it after an end tag that closed a pair,
    /// or all of it.
    struct PlannedHTML {
        var source: Source
        /// The element it leaves open for the Markdown blocks after it.
        var open: (node: Int, name: String)?
    }

    /// Which HTML blocks of a list close which: a block starting with `</name>` closes the
    /// nearest earlier block that left a `name` open (the ones opened after that stay
    /// unpaired); one pass, each block parsed once.
    struct Plan {
        var html: [Int: PlannedHTML] = [:]
        /// By the index of the opening block, the index of the closing one.
        var closes: [Int: Int] = [:]
    }

    /// Nested pairs deeper than this are not paired: each level converts the blocks inside again.
    static let pairingLimit = 16

    private static func paired(_ list: [Block]) -> Plan {
        var plan = Plan()
        var open: [(index: Int, name: String)] = []
        for (index, block) in list.enumerated() {
            guard case .htmlBlock(let html) = block.kind else { continue }
            var piece = block
            if let (name, rest) = leadingEndTag(html, at: block.position),
               let match = open.lastIndex(where: { $0.name == name }) {
                plan.closes[open[match].index] = index
                open.removeSubrange(match...)
                guard let rest else { continue }
                piece = rest
            }
            guard case .htmlBlock(let text) = piece.kind else { continue }
            let planned = planned(text, at: piece.position)
            plan.html[index] = planned
            if let container = planned.open { open.append((index, container.name)) }
        }
        // A block left open with no closer converts alone.
        return plan
    }

    private static func unpaired(_ list: [Block]) -> Plan {
        var plan = Plan()
        for (index, block) in list.enumerated() {
            guard case .htmlBlock(let html) = block.kind else { continue }
            plan.html[index] = planned(html, at: block.position)
        }
        return plan
    }

    private static func planned(_ html: String, at position: SourcePosition) -> PlannedHTML {
        let bytes = Array(html.utf8)
        let fragment = HTMLTree.Fragment(parsing: bytes)
        return PlannedHTML(source: Source(fragment: fragment, pieces: [Piece(bytes: bytes, position: position)],
                                          markers: [], collapsesSpace: true),
                           open: openContainer(fragment))
    }

    /// The name of the end tag a block starts with, and what the block holds after it (nil
    /// when only white space).
    private static func leadingEndTag(_ html: String, at position: SourcePosition) -> (String, Block?)? {
        let trimmed = html.drop { $0.isWhitespace }
        guard trimmed.hasPrefix("</") else { return nil }
        let name = trimmed.dropFirst(2).prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }.lowercased()
        guard !name.isEmpty, let end = trimmed.firstIndex(of: ">") else { return nil }
        let rest = trimmed[trimmed.index(after: end)...]
        guard !rest.allSatisfy(\.isWhitespace) else { return (name, nil) }
        let skipped = Array(html[..<rest.startIndex].utf8)
        let (line, column) = LineIndex(skipped).position(skipped.count)
        let start = SourcePosition(line: position.line + line - 1, column: line == 1 ? position.column + column - 1 : column)
        return (name, Block(.htmlBlock(String(rest)), at: start))
    }

    // MARK: Markdown inlines

    /// The inlines with their raw HTML converted: the run of inline HTML pieces of one list is
    /// parsed as one fragment, the Markdown between them standing in it as private-use
    /// characters (one per inline), so that `<sup>`, text, `</sup>` pair up as the browser
    /// would pair them, and Markdown inside HTML (`<kbd>**Ctrl**</kbd>`) stays Markdown.
    mutating func inlines(_ input: [Inline]) -> [Inline] {
        var hasHTML = false
        let items: [Inline] = input.map { item in
            switch item.kind {
            case .html:
                hasHTML = true
                return item
            case .emphasis(let children): return Inline(.emphasis(inlines(children)), at: item.position)
            case .strong(let children): return Inline(.strong(inlines(children)), at: item.position)
            case .tagged(let tag, let children): return Inline(.tagged(tag, inlines(children)), at: item.position)
            case .link(let destination, let title, let children):
                return Inline(.link(destination: destination, title: title, children: inlines(children)), at: item.position)
            case .image(let source, let title, let children):
                return Inline(.image(source: source, title: title, children: inlines(children)), at: item.position)
            default: return item
            }
        }
        guard hasHTML else { return items }
        guard items.count < Self.markerCount else {
            begin()
            for item in items { if case .html = item.kind { record("inline HTML in a paragraph of over \(Self.markerCount) pieces left out", item.position) } }
            end()
            return items.filter { if case .html = $0.kind { false } else { true } }
        }
        var bytes: [UInt8] = []
        var pieces: [Piece] = []
        for (index, item) in items.enumerated() {
            let piece: [UInt8]
            if case .html(let html) = item.kind {
                piece = Array(html.utf8)
            } else {
                piece = Array(String(Character(Unicode.Scalar(Self.markerBase + UInt32(index))!)).utf8)
            }
            pieces.append(Piece(bytes: piece, position: item.position, start: bytes.count))
            bytes += piece
        }
        let source = Source(fragment: HTMLTree.Fragment(parsing: bytes), pieces: pieces, markers: items, collapsesSpace: false)
        begin()
        defer { end() }
        guard let fragment = checkedDepth(source) else { return [] }
        var walk = Walk(source: source, fragment: fragment, extra: nil, options: options)
        let result = walk.inlines(fragment.roots)
        current += walk.drops
        return result
    }

    /// Markers are scalars of Supplementary Private Use Area-A: never in the HTML pieces' text.
    static let markerBase: UInt32 = 0xF0000
    private static let markerCount = 0xFFFE

    // MARK: Fragments

    struct Piece {
        var bytes: [UInt8]
        var position: SourcePosition
        var start = 0
    }

    /// A fragment with what its byte offsets are in the page.
    struct Source {
        var fragment: HTMLTree.Fragment
        var pieces: [Piece]
        /// The Markdown inlines the markers stand for (inline runs only).
        var markers: [Inline]
        /// Text of an HTML block is HTML text: runs of white space are one space.
        var collapsesSpace: Bool
        private let locators: [LineIndex]

        init(fragment: HTMLTree.Fragment, pieces: [Piece], markers: [Inline], collapsesSpace: Bool) {
            self.fragment = fragment
            self.pieces = pieces
            self.markers = markers
            self.collapsesSpace = collapsesSpace
            locators = pieces.map { LineIndex($0.bytes) }
        }

        func position(_ offset: Int) -> SourcePosition {
            // The last piece starting at or before the offset.
            var low = 0, high = pieces.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if pieces[middle].start <= offset { low = middle } else { high = middle - 1 }
            }
            let piece = pieces[low]
            let (line, column) = locators[low].position(offset - piece.start)
            return SourcePosition(line: piece.position.line + line - 1,
                                  column: line == 1 ? piece.position.column + column - 1 : column)
        }
    }

    private mutating func begin() { current = [] }

    private mutating func end() {
        if !current.isEmpty { groups.append(current) }
        current = []
    }

    private mutating func record(_ what: String, _ position: SourcePosition) {
        current.append(Drop(what: what, position: position))
    }

    /// The fragment, or nil (with a warning) when it nests too deep to convert.
    private mutating func checkedDepth(_ source: Source) -> HTMLTree.Fragment? {
        let fragment = source.fragment
        if let offset = fragment.tooDeep {
            record("HTML nested deeper than \(HTMLTree.depthLimit) elements left out", source.position(offset))
            return nil
        }
        if fragment.depth > Self.depthLimit {
            record("HTML nested deeper than \(Self.depthLimit) elements left out", source.position(0))
            return nil
        }
        return fragment
    }

    private mutating func convert(_ source: Source, extra: (node: Int, blocks: [Block])?) -> [Block] {
        begin()
        defer { end() }
        guard let fragment = checkedDepth(source) else { return [] }
        var walk = Walk(source: source, fragment: fragment, extra: extra, options: options)
        let result = walk.blocks(fragment.roots)
        current += walk.drops
        return result
    }
}
