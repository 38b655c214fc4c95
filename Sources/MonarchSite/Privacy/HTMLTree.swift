import CGumbo

/// A document as an HTML5 parser (gumbo) builds it, the way a browser would: entities decoded,
/// SVG and MathML as foreign content, every element in document order with the byte offsets of
/// its attributes and text in the input. Gumbo's pointers stay in this file.
struct HTMLTree {
    enum Namespace { case html, svg, mathml }

    struct Attribute {
        /// Lowercased; gumbo gives `xlink:href` as `href` in the XLink namespace.
        var name: String
        var value: String
        /// Byte offset of the value's first character (after its quote).
        var valueOffset: Int
        /// True when the value is its source text unchanged (no entity, no quote): offsets inside
        /// it are offsets in the input.
        var isVerbatim: Bool
        var isXLink: Bool
        /// Byte offset of the attribute's name.
        var nameOffset = 0
    }

    struct Text {
        var text: String
        var offset: Int
        var isVerbatim: Bool
    }

    struct Element {
        /// Lowercased local name (`feimage`, `foreignobject`), as written for unknown tags.
        var name: String
        var namespace: Namespace
        var offset: Int
        var attributes: [Attribute]
        /// The element's own text children (what `<style>` and `<script>` hold).
        var texts: [Text]

        func attribute(_ name: String) -> Attribute? { attributes.first { $0.name == name } }
    }

    var elements: [Element] = []
    /// Comments and what the HTML parser reads as bogus comments (`<?xml-stylesheet ...?>`),
    /// as written, with their offsets.
    var comments: [(text: String, offset: Int)] = []

    /// Deeper nesting than this is not parsed: gumbo's time grows with the square of the depth
    /// and it frees its tree recursively (300,000 nested `<div>` took minutes, then overflowed
    /// the stack), while browsers flatten anything past a few hundred levels (Chromium: 512).
    static let depthLimit = 1024
    /// Where the nesting first went past `depthLimit`; then `elements` is empty.
    var tooDeep: Int?

    init(parsing bytes: [UInt8]) {
        if let offset = Self.nestingPastLimit(bytes) {
            tooDeep = offset
            return
        }
        Self.parse(bytes, fragment: false) { output, input in walk(output.pointee.document, input) }
    }

    /// Parses `bytes` with gumbo, as a document or as the content of a `<body>`, and hands
    /// `body` its output; gumbo's tree is freed when `body` returns.
    private static func parse(_ bytes: [UInt8], fragment: Bool,
                              _ body: (UnsafeMutablePointer<GumboOutput>, Input) -> Void) {
        guard !bytes.isEmpty else { return }
        var options = kGumboDefaultOptions
        options.max_errors = 0
        if fragment {
            options.fragment_context = GUMBO_TAG_BODY
            options.fragment_namespace = GUMBO_NAMESPACE_HTML
        }
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                let base = chars.baseAddress!
                guard let output = gumbo_parse_with_options(&options, base, chars.count) else { return }
                defer { gumbo_destroy_output(&options, output) }
                body(output, Input(base: base))
            }
        }
    }

    /// The parsed bytes, to read gumbo's pieces of them: where one starts, and its text.
    private struct Input {
        let base: UnsafePointer<CChar>

        func offset(_ piece: GumboStringPiece) -> Int? {
            guard let data = piece.data else { return nil }
            return data - base
        }

        func string(_ piece: GumboStringPiece) -> String {
            guard let data = piece.data else { return "" }
            return data.withMemoryRebound(to: UInt8.self, capacity: piece.length) {
                String(decoding: UnsafeBufferPointer(start: $0, count: piece.length), as: UTF8.self)
            }
        }
    }

    private mutating func walk(_ root: UnsafeMutablePointer<GumboNode>, _ input: Input) {
        let offset = input.offset, string = input.string
        func children(_ vector: GumboVector) -> [UnsafeMutablePointer<GumboNode>] {
            (0..<Int(vector.length)).compactMap { vector.data[$0]?.assumingMemoryBound(to: GumboNode.self) }
        }
        // An explicit stack: nesting depth is the input's to choose.
        var stack = children(root.pointee.v.document.children).reversed().map { $0 }
        while let node = stack.popLast() {
            switch node.pointee.type {
            case GUMBO_NODE_ELEMENT, GUMBO_NODE_TEMPLATE:
                let element = node.pointee.v.element
                var item = Self.element(element, input)
                let kids = children(element.children)
                for child in kids where child.pointee.type == GUMBO_NODE_TEXT || child.pointee.type == GUMBO_NODE_CDATA
                    || child.pointee.type == GUMBO_NODE_WHITESPACE {
                    let text = child.pointee.v.text
                    let decoded = String(cString: text.text)
                    let original = string(text.original_text)
                    item.texts.append(Text(text: decoded, offset: offset(text.original_text) ?? Int(text.start_pos.offset),
                                           isVerbatim: decoded == original))
                }
                elements.append(item)
                stack.append(contentsOf: kids.reversed())
            case GUMBO_NODE_COMMENT:
                let text = node.pointee.v.text
                comments.append((string(text.original_text), offset(text.original_text) ?? Int(text.start_pos.offset)))
            default:
                break
            }
        }
    }

    /// An element without its children, attributes read as the browser reads them.
    private static func element(_ element: GumboElement, _ input: Input) -> Element {
        let offset = input.offset, string = input.string
        var item = Element(name: Self.name(of: element, string: string), namespace: .html,
                           offset: offset(element.original_tag) ?? Int(element.start_pos.offset),
                           attributes: [], texts: [])
        switch element.tag_namespace {
        case GUMBO_NAMESPACE_SVG: item.namespace = .svg
        case GUMBO_NAMESPACE_MATHML: item.namespace = .mathml
        default: break
        }
        for index in 0..<Int(element.attributes.length) {
            guard let attribute = element.attributes.data[index]?.assumingMemoryBound(to: GumboAttribute.self).pointee
            else { continue }
            let value = String(cString: attribute.value)
            var raw = string(attribute.original_value)
            var valueOffset = offset(attribute.original_value) ?? Int(attribute.value_start.offset)
            if let quote = raw.utf8.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                valueOffset += 1
                raw = String(raw.dropFirst().dropLast())
            }
            item.attributes.append(Attribute(name: String(cString: attribute.name).lowercased(), value: value,
                                             valueOffset: valueOffset, isVerbatim: raw == value,
                                             isXLink: attribute.attr_namespace == GUMBO_ATTR_NAMESPACE_XLINK,
                                             nameOffset: offset(attribute.original_name) ?? Int(attribute.name_start.offset)))
        }
        return item
    }

    /// A piece of HTML parsed as the content of a `<body>` (an HTML fragment, as the browser
    /// parses what a page's HTML puts in its article), as a tree of nodes in one array: the raw
    /// HTML allowlist walks it. Comments are left out.
    struct Fragment {
        enum Kind {
            /// `texts` is empty; the element's text is in its children. `closed` is false when
            /// the input ends before the element's end tag.
            case element(Element, closed: Bool)
            case text(String, offset: Int)
        }

        struct Node {
            var kind: Kind
            /// Indexes into `nodes`.
            var children: [Int]
        }

        var nodes: [Node] = []
        /// The top-level nodes, in order.
        var roots: [Int] = []
        /// The deepest nesting of elements.
        var depth = 0
        /// Where the nesting first went past `HTMLTree.depthLimit`; then there are no nodes.
        var tooDeep: Int?
        /// Elements the parser made without a tag in the input (`<tbody>` around rows).
        var implied: Set<Int> = []
        /// Whether the input held comments (dropped without a word: they say nothing to readers).
        var hasComments = false

        init(parsing bytes: [UInt8]) {
            if let offset = HTMLTree.nestingPastLimit(bytes) {
                tooDeep = offset
                return
            }
            HTMLTree.parse(bytes, fragment: true) { output, input in build(output.pointee.root, input) }
        }

        private mutating func build(_ root: UnsafeMutablePointer<GumboNode>, _ input: HTMLTree.Input) {
            let offset = input.offset
            func children(_ node: UnsafeMutablePointer<GumboNode>) -> [UnsafeMutablePointer<GumboNode>] {
                let vector: GumboVector
                switch node.pointee.type {
                case GUMBO_NODE_DOCUMENT: vector = node.pointee.v.document.children
                case GUMBO_NODE_ELEMENT, GUMBO_NODE_TEMPLATE: vector = node.pointee.v.element.children
                default: return []
                }
                return (0..<Int(vector.length)).compactMap { vector.data[$0]?.assumingMemoryBound(to: GumboNode.self) }
            }
            // An explicit stack of (node, parent index, depth): nesting depth is the input's.
            var stack: [(UnsafeMutablePointer<GumboNode>, Int?, Int)] = children(root).reversed().map { ($0, nil, 1) }
            while let (node, parent, level) = stack.popLast() {
                let kind: Kind
                switch node.pointee.type {
                case GUMBO_NODE_ELEMENT, GUMBO_NODE_TEMPLATE:
                    let element = node.pointee.v.element
                    kind = .element(HTMLTree.element(element, input),
                                    closed: element.original_end_tag.length > 0)
                    depth = max(depth, level)
                case GUMBO_NODE_TEXT, GUMBO_NODE_CDATA, GUMBO_NODE_WHITESPACE:
                    let text = node.pointee.v.text
                    kind = .text(String(cString: text.text), offset: offset(text.original_text) ?? Int(text.start_pos.offset))
                case GUMBO_NODE_COMMENT:
                    hasComments = true
                    continue
                default:
                    continue
                }
                let index = nodes.count
                if node.pointee.type == GUMBO_NODE_ELEMENT, node.pointee.v.element.original_tag.length == 0 { implied.insert(index) }
                nodes.append(Node(kind: kind, children: []))
                if let parent { nodes[parent].children.append(index) } else { roots.append(index) }
                stack.append(contentsOf: children(node).reversed().map { ($0, index, level + 1) })
            }
        }
    }

    /// HTML elements that hold no others, or that the next one of their kind (or the parser)
    /// closes: they never make the tree deeper by themselves.
    private static let flatElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "image", "keygen", "basefont", "bgsound", "frame", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td",
        "th", "tbody", "thead", "tfoot", "rb", "rt", "rp", "rtc", "colgroup", "caption", "html", "head", "body",
    ]
    /// Formatting elements: the parser may reopen them after they close (adoption agency,
    /// reconstruction), so an end tag only counts when it closes the innermost element.
    private static let formattingElements: Set<String> = [
        "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
    ]
    /// Start tags that leave SVG or MathML for HTML.
    private static let breakouts: Set<String> = [
        "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "h1", "h2",
        "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre",
        "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var",
    ]
    private static let integrationPoints: Set<String> = [
        "foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml",
    ]

    /// A bound on the depth of the tree read from the tags alone, never below the parser's:
    /// open elements are counted and an end tag closes only where the parser surely would. The
    /// offset of the tag that takes it past `depthLimit`, if one does.
    static func nestingPastLimit(_ bytes: [UInt8]) -> Int? {
        struct Open { var name: String; var foreign: Bool; var childrenForeign: Bool }
        var stack: [Open] = []
        var index = 0
        let count = bytes.count
        func lower(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D }
        func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        while index < count {
            guard bytes[index] == UInt8(ascii: "<"), index + 1 < count else { index += 1; continue }
            let start = index
            let closing = bytes[index + 1] == UInt8(ascii: "/")
            let nameStart = index + (closing ? 2 : 1)
            guard nameStart < count, isLetter(bytes[nameStart]) else { index += 1; continue }
            var nameEnd = nameStart
            while nameEnd < count, !isBlank(bytes[nameEnd]), bytes[nameEnd] != UInt8(ascii: "/"), bytes[nameEnd] != UInt8(ascii: ">") {
                nameEnd += 1
            }
            let name = String(decoding: bytes[nameStart..<nameEnd].map(lower), as: UTF8.self)
            // The tag's end, as the tokenizer finds it: a quoted value after `=` may hold `>`.
            var tagEnd = nameEnd
            var selfClosing = false
            while tagEnd < count, bytes[tagEnd] != UInt8(ascii: ">") {
                if bytes[tagEnd] == UInt8(ascii: "=") {
                    tagEnd += 1
                    while tagEnd < count, isBlank(bytes[tagEnd]) { tagEnd += 1 }
                    if tagEnd < count, bytes[tagEnd] == UInt8(ascii: "\"") || bytes[tagEnd] == UInt8(ascii: "'") {
                        let quote = bytes[tagEnd]
                        tagEnd += 1
                        while tagEnd < count, bytes[tagEnd] != quote { tagEnd += 1 }
                        tagEnd += 1
                    }
                    selfClosing = false
                    continue
                }
                selfClosing = bytes[tagEnd] == UInt8(ascii: "/")
                tagEnd += 1
            }
            index = tagEnd + 1
            if closing {
                guard let match = stack.lastIndex(where: { $0.name == name }) else { continue }
                // The innermost element, or one whose inner elements are all SVG or MathML
                // (an end tag there closes what it meets): anything else the parser may keep
                // open (a `<span>` end tag does not close a `<div>` in it), so it stays counted.
                let closes = match == stack.count - 1 || (!formattingElements.contains(name) && stack[(match + 1)...].allSatisfy {
                    $0.foreign && !integrationPoints.contains($0.name)
                })
                if closes { stack.removeSubrange(match...) }
                continue
            }
            var foreign = stack.last?.childrenForeign ?? false
            if foreign, breakouts.contains(name) {
                while let last = stack.last, last.childrenForeign { stack.removeLast() }
                foreign = false
            }
            if foreign ? selfClosing : flatElements.contains(name) { continue }
            let childrenForeign = name == "svg" || name == "math" || (foreign && !integrationPoints.contains(name))
            stack.append(Open(name: name, foreign: foreign, childrenForeign: childrenForeign))
            if stack.count > depthLimit { return start }
        }
        return nil
    }

    /// The tag's name: gumbo's for the tags it knows, else the name as written after `<`.
    private static func name(of element: GumboElement, string: (GumboStringPiece) -> String) -> String {
        if element.tag != GUMBO_TAG_UNKNOWN, let known = gumbo_normalized_tagname(element.tag) {
            return String(cString: known).lowercased()
        }
        let written = string(element.original_tag).utf8.dropFirst()
            .prefix { !" \t\n\r\u{0C}/>".utf8.contains($0) }
        return String(decoding: written, as: UTF8.self).lowercased()
    }
}

/// Byte offsets of a text as `line:column`, both from 1, columns in Unicode scalars as
/// `SourcePosition` counts them. It counts on from its last answer when asked in order along
/// a line: the raw-HTML walk asks in document order, and one line of HTML may be a megabyte.
final class LineIndex {
    private let bytes: [UInt8]
    private let lineStarts: [Int]
    private var last = (line: -1, offset: 0, column: 1)

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(index + 1) }
        lineStarts = starts
    }

    func position(_ offset: Int) -> (line: Int, column: Int) {
        let offset = min(max(offset, 0), bytes.count)
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var (from, column) = (lineStarts[low], 1)
        if last.line == low, last.offset <= offset { (from, column) = (last.offset, last.column) }
        for index in from..<offset where bytes[index] & 0xC0 != 0x80 { column += 1 }
        last = (low, offset, column)
        return (low + 1, column)
    }
}
