import MonarchCore
import MonarchMarkdown

extension RawHTMLAllowlist {
    /// One walk over a parsed fragment, making Markdown model nodes of what the allowlist
    /// keeps and noting what it leaves out (the rules are in `RawHTMLAllowlist`).
    struct Walk {
        let source: Source
        let fragment: HTMLTree.Fragment
        /// Markdown blocks that go at the end of an element the HTML block left open.
        let extra: (node: Int, blocks: [Block])?
        let options: MarkdownOptions
        var drops: [Drop] = []

        init(source: Source, fragment: HTMLTree.Fragment, extra: (node: Int, blocks: [Block])?, options: MarkdownOptions) {
            self.source = source
            self.fragment = fragment
            self.extra = extra
            self.options = options
        }

        /// Left out with all they hold: they run, load or submit something, or hold no text
        /// for readers.
        static let droppedWhole: Set<String> = [
            "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param", "template",
            "noscript", "noembed", "noframes", "form", "input", "button", "select", "option", "optgroup", "textarea",
            "datalist", "output", "canvas", "audio", "video", "source", "track", "map", "area", "svg", "math", "link",
            "meta", "base", "title", "head", "portal", "slot", "colgroup", "col",
        ]
        /// Block elements (kept or not) that end the paragraph around them.
        static let blockElements: Set<String> = [
            "p", "ul", "ol", "menu", "dl", "table", "details", "blockquote", "pre", "listing", "xmp", "hr",
            "div", "section", "article", "aside", "header", "footer", "main", "nav", "figure", "figcaption",
            "center", "address", "hgroup", "h1", "h2", "h3", "h4", "h5", "h6", "fieldset", "legend", "dialog",
            "search", "summary", "li", "dt", "dd", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "plaintext",
        ]
        /// Elements kept (their attributes checked); the others' attributes go with them.
        static let keptBlocks: Set<String> = ["p", "ul", "ol", "dl", "table", "details", "blockquote", "pre", "hr"]
        static let keptInlines: Set<String> = ["strong", "b", "em", "i", "code", "br", "abbr", "a"]
        /// The attributes kept, by element.
        static let keptAttributes: [String: Set<String>] = [
            "details": ["open"], "td": ["colspan", "rowspan"], "th": ["colspan", "rowspan", "scope"],
            "abbr": ["title"], "a": ["href", "title"], "ol": ["start"],
        ]
        static let inlineTags: [String: InlineTag] = [
            "sup": .superscript, "sub": .subscript, "kbd": .keyboard, "mark": .marked, "ins": .inserted, "del": .deleted,
        ]

        // MARK: Blocks

        /// The nodes as blocks: runs of inline content become paragraphs.
        mutating func blocks(_ nodes: [Int], extraFor parent: Int? = nil) -> [Block] {
            var out: [Block] = []
            var run: [Int] = []
            func flush(_ walk: inout Walk) {
                guard !run.isEmpty else { return }
                let items = walk.inlines(run)
                if !items.isEmpty { out.append(Block(.paragraph(items), at: items[0].position)) }
                run = []
            }
            for node in nodes {
                if case .element(let element, _) = fragment.nodes[node].kind, element.namespace == .html,
                   Self.blockElements.contains(element.name) {
                    flush(&self)
                    out += block(node, element)
                } else {
                    run.append(node)
                }
            }
            flush(&self)
            if let extra, extra.node == parent { out += extra.blocks }
            return out
        }

        private mutating func block(_ node: Int, _ element: HTMLTree.Element) -> [Block] {
            let position = source.position(element.offset)
            let children = fragment.nodes[node].children
            if Self.keptBlocks.contains(element.name) { checkAttributes(element) }
            switch element.name {
            case "p":
                return blocks(children, extraFor: node)
            case "ul", "ol", "menu":
                if element.name == "menu" { drop("`<menu>` element left out, its items kept as a list", element) }
                return [list(node, element, ordered: element.name == "ol")]
            case "dl":
                return [definitionList(node)]
            case "table":
                return table(node, element)
            case "details":
                var summary: [Inline]?
                var rest: [Int] = []
                for child in children {
                    if summary == nil, case .element(let inner, _) = fragment.nodes[child].kind, inner.name == "summary" {
                        checkAttributes(inner)
                        summary = inlines(fragment.nodes[child].children)
                    } else {
                        rest.append(child)
                    }
                }
                return [Block(.details(summary: summary ?? [], blocks: blocks(rest, extraFor: node),
                                       open: element.attribute("open") != nil), at: position)]
            case "blockquote":
                return [Block(.blockQuote(blocks(children, extraFor: node)), at: position)]
            case "pre", "listing", "xmp", "plaintext":
                if element.name != "pre" { drop("`<\(element.name)>` element left out, its text kept as code", element) }
                var code = textContent(children)
                if !code.hasSuffix("\n") { code += "\n" }
                return [Block(.codeBlock(info: "", code: code), at: position)]
            case "hr":
                return [Block(.thematicBreak, at: position)]
            default:
                // `div`, `section`, `h2`, a stray `li` or `td`...: left out, what it holds kept.
                drop("`<\(element.name)>` element left out, its text kept", element)
                return blocks(children, extraFor: node)
            }
        }

        private mutating func list(_ node: Int, _ element: HTMLTree.Element, ordered: Bool) -> Block {
            var items: [ListItem] = []
            for child in fragment.nodes[node].children {
                switch fragment.nodes[child].kind {
                case .text(let text, _) where text.allSatisfy(\.isWhitespace):
                    continue
                case .element(let inner, _) where inner.name == "li" && inner.namespace == .html:
                    checkAttributes(inner)
                    items.append(ListItem(blocks: blocks(fragment.nodes[child].children, extraFor: child),
                                          position: source.position(inner.offset)))
                default:
                    let position = items.last?.position ?? source.position(element.offset)
                    items.append(ListItem(blocks: blocks([child]), position: position))
                }
            }
            if let extra, extra.node == node { items.append(ListItem(blocks: extra.blocks, position: source.position(element.offset))) }
            let start = ordered ? element.attribute("start").flatMap { Int($0.value.trimmingCharacters(in: .whitespaces)) } ?? 1 : 1
            let tight = items.allSatisfy { item in
                item.blocks.count <= 1 && item.blocks.allSatisfy { if case .paragraph = $0.kind { true } else { false } }
            }
            return Block(.list(ListBlock(ordered: ordered, start: min(max(start, 0), 999_999_999), tight: tight, items: items)),
                         at: source.position(element.offset))
        }

        private mutating func definitionList(_ node: Int) -> Block {
            var items: [DefinitionItem] = []
            var terms: [[Inline]] = []
            var definitions: [[Block]] = []
            func flush() {
                if !terms.isEmpty || !definitions.isEmpty { items.append(DefinitionItem(terms: terms, definitions: definitions)) }
                terms = []
                definitions = []
            }
            func visit(_ children: [Int], _ walk: inout Walk) {
                for child in children {
                    switch walk.fragment.nodes[child].kind {
                    case .text(let text, _) where text.allSatisfy(\.isWhitespace):
                        continue
                    case .element(let inner, _) where inner.name == "dt":
                        walk.checkAttributes(inner)
                        if !definitions.isEmpty { flush() }
                        terms.append(walk.inlines(walk.fragment.nodes[child].children))
                    case .element(let inner, _) where inner.name == "dd":
                        walk.checkAttributes(inner)
                        definitions.append(walk.blocks(walk.fragment.nodes[child].children, extraFor: child))
                    case .element(let inner, _) where inner.name == "div":
                        // HTML lets a `div` group a term with its definitions.
                        walk.checkAttributes(inner)
                        visit(walk.fragment.nodes[child].children, &walk)
                    default:
                        definitions.append(walk.blocks([child]))
                    }
                }
            }
            visit(fragment.nodes[node].children, &self)
            if let extra, extra.node == node { definitions.append(extra.blocks) }
            flush()
            let position: SourcePosition
            if case .element(let element, _) = fragment.nodes[node].kind { position = source.position(element.offset) } else {
                position = source.position(0)
            }
            return Block(.definitionList(items), at: position)
        }

        private mutating func table(_ node: Int, _ element: HTMLTree.Element) -> [Block] {
            var caption: [Block] = []
            var head: [TableRow] = []
            var body: [TableRow] = []
            var foot: [TableRow] = []
            func rows(_ section: Int, _ walk: inout Walk) -> [TableRow] {
                var result: [TableRow] = []
                for child in walk.fragment.nodes[section].children {
                    guard case .element(let row, _) = walk.fragment.nodes[child].kind, row.name == "tr" else { continue }
                    walk.checkAttributes(row)
                    var cells: [TableCell] = []
                    for cellNode in walk.fragment.nodes[child].children {
                        guard case .element(let cell, _) = walk.fragment.nodes[cellNode].kind, cell.name == "td" || cell.name == "th"
                        else { continue }
                        walk.checkAttributes(cell)
                        cells.append(TableCell(blocks: walk.blocks(walk.fragment.nodes[cellNode].children, extraFor: cellNode),
                                               isHeader: cell.name == "th",
                                               columnSpan: walk.span(cell, "colspan"), rowSpan: walk.span(cell, "rowspan"),
                                               position: walk.source.position(cell.offset)))
                    }
                    result.append(TableRow(cells: cells, position: walk.source.position(row.offset)))
                }
                return result
            }
            for child in fragment.nodes[node].children {
                guard case .element(let inner, _) = fragment.nodes[child].kind else { continue }
                switch inner.name {
                case "caption":
                    checkAttributes(inner)
                    caption = blocks(fragment.nodes[child].children)
                case "thead":
                    checkAttributes(inner)
                    head += rows(child, &self)
                case "tbody":
                    checkAttributes(inner)
                    body += rows(child, &self)
                case "tfoot":
                    checkAttributes(inner)
                    foot += rows(child, &self)
                case "colgroup", "col":
                    drop("`<\(inner.name)>` element left out", inner)
                default:
                    continue
                }
            }
            // A table pasted without `<thead>` (the HTML parser puts every row in a body)
            // whose first rows hold only `th` cells has them as its column headers: they get
            // `scope="col"`, and in print they repeat on every page the table continues on.
            if head.isEmpty {
                while let first = body.first, !first.cells.isEmpty, first.cells.allSatisfy(\.isHeader) {
                    head.append(body.removeFirst())
                }
            }
            var table = Table(alignments: [], head: head, body: body + foot)
            table.alignments = Array(repeating: .none, count: table.columnCount)
            return caption + [Block(.table(table), at: source.position(element.offset))]
        }

        /// `colspan` or `rowspan`: 1 when absent, bounded to 1...`spanLimit`.
        private mutating func span(_ element: HTMLTree.Element, _ name: String) -> Int {
            guard let attribute = element.attribute(name) else { return 1 }
            let value = Int(attribute.value.trimmingCharacters(in: .whitespaces)) ?? 1
            let bounded = min(max(value, 1), RawHTMLAllowlist.spanLimit)
            if bounded != value {
                drops.append(Drop(what: "`\(name)=\"\(attribute.value.prefix(20))\"` read as \(bounded) (spans are 1 to \(RawHTMLAllowlist.spanLimit))",
                                  position: source.position(attribute.valueOffset)))
            }
            return bounded
        }

        // MARK: Inlines

        /// The nodes as inline content. Block elements inside are left out, their text kept,
        /// except `p` (a paragraph inside a `<summary>` or `<dt>` is just its text).
        mutating func inlines(_ nodes: [Int]) -> [Inline] {
            var out: [Inline] = []
            for node in nodes { inline(node, into: &out) }
            return source.collapsesSpace ? Self.trimmed(out) : out
        }

        private mutating func inline(_ node: Int, into out: inout [Inline]) {
            switch fragment.nodes[node].kind {
            case .text(let text, let offset):
                appendText(text, offset: offset, into: &out)
            case .element(let element, _):
                let position = source.position(element.offset)
                let children = fragment.nodes[node].children
                if element.namespace != .html || Self.droppedWhole.contains(element.name) {
                    drop("`<\(element.name)>` element left out with all it holds", element)
                    return
                }
                if Self.keptInlines.contains(element.name) || Self.inlineTags[element.name] != nil { checkAttributes(element) }
                func inner(_ walk: inout Walk) -> [Inline] { walk.inlines(children) }
                switch element.name {
                case "strong", "b": out.append(Inline(.strong(inner(&self)), at: position))
                case "em", "i": out.append(Inline(.emphasis(inner(&self)), at: position))
                case "code": out.append(Inline(.code(textContent(children).replacingOccurrences(of: "\n", with: " ")), at: position))
                case "br": out.append(Inline(.lineBreak, at: position))
                case "abbr":
                    out.append(Inline(.tagged(.abbreviation(title: element.attribute("title")?.value), inner(&self)), at: position))
                case "a":
                    // `#` goes nowhere (a script's handle, most often): the text alone says as much.
                    guard let href = element.attribute("href")?.value, href.trimmingCharacters(in: .whitespaces) != "#" else {
                        drop("`<a>` element without an address left out, its text kept", element)
                        out += inner(&self)
                        return
                    }
                    // As the browser reads it: C0 controls and spaces around it, tabs and
                    // newlines in it, are not part of the address (`\u{0E} javascript:`).
                    let destination = String(String.UnicodeScalarView(BrowserURL.cleaned(href)))
                    var refused = !options.allowsLink(to: destination)
                    if case .script = BrowserURL.read(destination), !options.unsafeHTML { refused = true }
                    guard !refused else {
                        drop("link to '\(destination.prefix(60))' left out, its text kept", element)
                        out += inner(&self)
                        return
                    }
                    out.append(Inline(.link(destination: destination, title: element.attribute("title")?.value,
                                            children: inner(&self)), at: position))
                case "img":
                    // Not kept as an image: a Markdown image is checked and copied, and pasted
                    // HTML often points at files that are not there, which would stop the build.
                    let src = element.attribute("src")?.value.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                    if src.isEmpty || ContentChecks.isRemote(src) {
                        drop(src.isEmpty ? "`<img>` element without `src` left out" : "`<img>` element loading '\(src.prefix(60))' left out", element)
                        return
                    }
                    drop("`<img>` element left out, its alt text kept (a Markdown image is checked and copied: ![alt](\(src.prefix(60))))", element)
                    if let alt = element.attribute("alt")?.value, !alt.isEmpty { out.append(Inline(.text(alt), at: position)) }
                default:
                    if let tag = Self.inlineTags[element.name] {
                        out.append(Inline(.tagged(tag, inner(&self)), at: position))
                    } else {
                        if fragment.implied.contains(node) || element.name == "p" {
                            // Made by the parser, or a paragraph in a summary or term: nothing lost.
                        } else if Self.blockElements.contains(element.name) {
                            drop("`<\(element.name)>` element inside a line of text left out, its text kept "
                                 + "(start it on a line of its own)", element)
                        } else {
                            drop("`<\(element.name)>` element left out, its text kept", element)
                        }
                        let kept = inner(&self)
                        // Block elements inside a line of text: keep their words apart.
                        if Self.blockElements.contains(element.name), !out.isEmpty { out.append(Inline(.text(" "), at: position)) }
                        out += kept
                    }
                }
            }
        }

        /// Text of the fragment: HTML text (white space collapsed) or, in an inline run, the
        /// Markdown inlines its markers stand for.
        private func appendText(_ text: String, offset: Int, into out: inout [Inline]) {
            var pending = ""
            func flush() {
                guard !pending.isEmpty else { return }
                var text = pending
                if source.collapsesSpace {
                    text = Self.collapsed(text)
                    if case .text(let previous)? = out.last?.kind, previous.hasSuffix(" ") || out.last.map(Self.isBreak) == true,
                       text.hasPrefix(" ") {
                        text.removeFirst()
                    } else if out.last.map(Self.isBreak) == true, text.hasPrefix(" ") {
                        text.removeFirst()
                    }
                }
                if !text.isEmpty { out.append(Inline(.text(text), at: source.position(offset))) }
                pending = ""
            }
            for scalar in text.unicodeScalars {
                let index = Int(scalar.value) - Int(RawHTMLAllowlist.markerBase)
                if index >= 0, index < source.markers.count {
                    flush()
                    out.append(source.markers[index])
                } else {
                    pending.unicodeScalars.append(scalar)
                }
            }
            flush()
        }

        private static func isBreak(_ inline: Inline) -> Bool {
            if case .lineBreak = inline.kind { return true }
            return false
        }

        /// Runs of HTML white space as one space.
        static func collapsed(_ text: String) -> String {
            var out = ""
            var space = false
            for scalar in text.unicodeScalars {
                if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" || scalar == "\u{0C}" {
                    if !space { out.unicodeScalars.append(" ") }
                    space = true
                } else {
                    out.unicodeScalars.append(scalar)
                    space = false
                }
            }
            return out
        }

        /// Without white space at the start and end (HTML text starts and ends with the
        /// lines of its tags).
        static func trimmed(_ items: [Inline]) -> [Inline] {
            var items = items
            while case .text(let text)? = items.first?.kind {
                let kept = String(text.drop { $0 == " " })
                if kept.isEmpty { items.removeFirst() } else { items[0].kind = .text(kept); break }
            }
            while case .text(let text)? = items.last?.kind {
                var kept = Substring(text)
                while kept.last == " " { kept = kept.dropLast() }
                if kept.isEmpty { items.removeLast() } else { items[items.count - 1].kind = .text(String(kept)); break }
            }
            return items
        }

        /// The text of the nodes as written, for `pre` and `code`; Markdown in an inline run
        /// as its plain text.
        private func textContent(_ nodes: [Int]) -> String {
            var out = ""
            var stack = Array(nodes.reversed())
            while let node = stack.popLast() {
                switch fragment.nodes[node].kind {
                case .text(let text, _):
                    for scalar in text.unicodeScalars {
                        let index = Int(scalar.value) - Int(RawHTMLAllowlist.markerBase)
                        if index >= 0, index < source.markers.count {
                            out += Self.plainText([source.markers[index]])
                        } else {
                            out.unicodeScalars.append(scalar)
                        }
                    }
                case .element(let element, _):
                    if element.name == "br" { out += "\n" }
                    if Self.droppedWhole.contains(element.name) || element.namespace != .html { continue }
                    stack += fragment.nodes[node].children.reversed()
                }
            }
            return out
        }

        private static func plainText(_ items: [Inline]) -> String {
            var out = ""
            for item in items {
                switch item.kind {
                case .text(let text), .code(let text): out += text
                case .softBreak: out += "\n"
                case .lineBreak: out += "\n"
                case .html: break
                case .emphasis(let children), .strong(let children), .tagged(_, let children),
                     .link(_, _, let children), .image(_, _, let children):
                    out += plainText(children)
                case .footnoteReference(let reference): out += "[\(reference.number)]"
                }
            }
            return out
        }

        // MARK: Drops

        private mutating func drop(_ what: String, _ element: HTMLTree.Element) {
            drops.append(Drop(what: what, position: source.position(element.offset)))
        }

        /// Notes every attribute the element may not keep.
        mutating func checkAttributes(_ element: HTMLTree.Element) {
            let kept = Self.keptAttributes[element.name] ?? []
            for attribute in element.attributes where !kept.contains(attribute.name) {
                drops.append(Drop(what: "`\(attribute.name)` attribute of `<\(element.name)>` left out",
                                  position: source.position(attribute.nameOffset)))
            }
        }
    }
}
