import Foundation
import MonarchCore
import MonarchMarkdown

/// A colour as three components from 0 to 1.
struct RGB: Hashable, Sendable {
    var r: Double, g: Double, b: Double
    init(_ r: Double, _ g: Double, _ b: Double) { self.r = r; self.g = g; self.b = b }
    init(gray: Double) { self.init(gray, gray, gray) }

    static let text = RGB(gray: 0.1)
    static let muted = RGB(gray: 0.36)
    static let link = RGB(0.04, 0.28, 0.58)
    static let codeBackground = RGB(gray: 0.94)
    static let contactBackground = RGB(0.93, 0.96, 1.0)
    static let rule = RGB(gray: 0.72)
    /// The ruling of tables: darker than `rule`, so thin lines survive a photocopier.
    static let tableRule = RGB(gray: 0.55)
    static let tableHeaderBackground = RGB(gray: 0.92)
    /// `<mark>`: a light yellow that prints as a light grey in black and white.
    static let marked = RGB(1.0, 0.94, 0.6)
}

/// The style of a run of inline text, relative to its block's font.
struct InlineStyle: Hashable, Sendable {
    var bold = false
    var italic = false
    var mono = false
    /// Multiplies the block's font size.
    var scale = 1.0
    var color: RGB?
    var underline = false
    var strikethrough = false
    /// Raises the baseline by this multiple of the block's font size (negative: lowers it).
    var rise = 0.0
    var background: RGB?
}

/// Where a link goes.
enum LinkTarget: Hashable, Sendable {
    /// An absolute address (already percent-encoded for the PDF).
    case uri(String)
    /// A heading of the same document, by its id.
    case destination(String)
}

/// The text of one paragraph or heading, with styled runs and links as UTF-8 byte ranges
/// (Pango's indices), built from the Markdown inlines.
struct RichText: Sendable {
    private(set) var string = ""
    private(set) var runs: [(range: Range<Int>, style: InlineStyle)] = []
    private(set) var links: [(range: Range<Int>, target: LinkTarget)] = []
    /// Named destinations in the text (a footnote reference, for the note's link back), by
    /// the byte where they start.
    private(set) var targets: [(byte: Int, id: String)] = []
    /// Images found inline, printed as blocks after the text.
    private(set) var images: [(source: String, title: String?, alt: String, position: SourcePosition)] = []

    private var byteCount = 0
    private var pendingSoftBreak = false
    /// Just after a printed link address `(www.example.org)`: text that follows it at once
    /// (Thai, Chinese: no space before the next word) gets a space, so that the address does
    /// not stick to the next word and the line may break there.
    private var afterPrintedAddress = false

    var isBlank: Bool { string.unicodeScalars.allSatisfy { $0.properties.isWhitespace } }

    mutating func append(_ text: String, style: InlineStyle, dropsSpaceBetweenIdeographs: Bool = false) {
        if afterPrintedAddress, let first = text.unicodeScalars.first {
            afterPrintedAddress = false
            if !pendingSoftBreak, first.properties.isAlphabetic || first.properties.numericType != nil {
                appendRaw(" ", style: style)
            }
        }
        if pendingSoftBreak {
            pendingSoftBreak = false
            let before = string.unicodeScalars.last
            let after = text.unicodeScalars.first
            let joined = dropsSpaceBetweenIdeographs
                && (before?.isIdeographicForSpacing ?? false) && (after?.isIdeographicForSpacing ?? false)
            if !joined, before != nil { appendRaw(" ", style: style) }
        }
        appendRaw(text, style: style)
    }

    private mutating func appendRaw(_ text: String, style: InlineStyle) {
        guard !text.isEmpty else { return }
        let start = byteCount
        string += text
        byteCount += text.utf8.count
        if let last = runs.last, last.style == style, last.range.upperBound == start {
            runs[runs.count - 1].range = last.range.lowerBound..<byteCount
        } else {
            runs.append((start..<byteCount, style))
        }
    }

    /// Appends another text with its runs, links, destinations and images (a table cell's
    /// blocks, one after the other).
    mutating func append(_ other: RichText) {
        let offset = byteCount
        for run in other.runs { appendRaw(String(decoding: Array(other.string.utf8)[run.range], as: UTF8.self), style: run.style) }
        links += other.links.map { ((offset + $0.range.lowerBound)..<(offset + $0.range.upperBound), $0.target) }
        targets += other.targets.map { (offset + $0.byte, $0.id) }
        images += other.images
    }

    /// Appends `text` as a link to an absolute address (a contact's `tel:` number).
    mutating func appendLink(_ text: String, address: String, style: InlineStyle) {
        let start = byteCount
        append(text, style: style)
        if byteCount > start { links.append((start..<byteCount, .uri(PercentEncoding.pdfAddress(address)))) }
    }

    /// Builds the text of `inlines`.
    static func build(_ inlines: [Inline], base: InlineStyle, context: InlineContext) -> RichText {
        var text = RichText()
        text.add(inlines, style: base, context: context)
        return text
    }

    private mutating func add(_ inlines: [Inline], style: InlineStyle, context: InlineContext) {
        for inline in inlines {
            switch inline.kind {
            case .text(let s):
                append(s, style: style, dropsSpaceBetweenIdeographs: context.dropsSpaceBetweenIdeographs)
            case .softBreak:
                pendingSoftBreak = true
            case .lineBreak:
                pendingSoftBreak = false
                append("\u{2028}", style: style)
            case .code(let s):
                var code = style
                code.mono = true
                code.scale *= 0.92
                code.background = RGB.codeBackground
                append(s, style: code, dropsSpaceBetweenIdeographs: context.dropsSpaceBetweenIdeographs)
            case .html:
                break
            case .emphasis(let children):
                var s = style
                s.italic = true
                add(children, style: s, context: context)
            case .strong(let children):
                var s = style
                s.bold = true
                add(children, style: s, context: context)
            case .link(let destination, _, let children):
                addLink(destination: destination, children: children, style: style, context: context)
            case .image(let source, let title, let children):
                images.append((source, title, InlinePlainText.of(children), inline.position))
            case .tagged(let tag, let children):
                add(children, style: Self.style(style, tag), context: context)
            case .footnoteReference(let reference):
                addReference(reference, style: style, context: context)
            }
        }
    }

    /// How a tag changes the look of its text. An abbreviation prints as plain text (its
    /// title is for screen readers on the web).
    private static func style(_ base: InlineStyle, _ tag: InlineTag) -> InlineStyle {
        var s = base
        switch tag {
        case .deleted: s.strikethrough = true
        case .inserted: s.underline = true
        case .superscript:
            s.rise += 0.33 * s.scale
            s.scale *= 0.72
        case .subscript:
            s.rise -= 0.15 * s.scale
            s.scale *= 0.72
        case .keyboard:
            s.mono = true
            s.scale *= 0.92
        case .marked: s.background = RGB.marked
        case .abbreviation: break
        }
        return s
    }

    /// A footnote reference: its number raised and smaller, linked to the note, and a
    /// destination for the note's link back.
    private mutating func addReference(_ reference: FootnoteReference, style: InlineStyle, context: InlineContext) {
        var s = Self.style(style, .superscript)
        let linked = context.footnoteIDs.contains(reference.target)
        if linked { s.color = RGB.link }
        let start = byteCount
        append(String(reference.number), style: s)
        guard byteCount > start else { return }
        targets.append((start, context.destinationPrefix + reference.id))
        if linked { links.append((start..<byteCount, .destination(context.destinationPrefix + reference.target))) }
    }

    private mutating func addLink(destination: String, children: [Inline], style: InlineStyle, context: InlineContext) {
        guard !destination.isEmpty else {
            add(children, style: style, context: context)
            return
        }
        if destination.hasPrefix("#"), context.headingIDs.contains(String(destination.dropFirst())) {
            let start = byteCount
            var s = style
            s.color = RGB.link
            add(children, style: s, context: context)
            if byteCount > start {
                links.append((start..<byteCount, .destination(context.destinationPrefix + String(destination.dropFirst()))))
            }
            return
        }
        let address = context.resolveLink(destination)
        guard let display = LinkAddress.display(address) else {
            add(children, style: style, context: context)
            return
        }
        let start = byteCount
        var linkStyle = style
        linkStyle.color = RGB.link
        linkStyle.underline = true
        add(children, style: linkStyle, context: context)
        let shown = InlinePlainText.of(children).trimmingCharacters(in: .whitespaces)
        if !LinkAddress.same(shown, display) {
            var small = style
            small.color = RGB.muted
            small.scale *= 0.84
            small.bold = false
            small.italic = false
            append(" (\(display))", style: small)
            afterPrintedAddress = true
        }
        if byteCount > start { links.append((start..<byteCount, .uri(PercentEncoding.pdfAddress(address)))) }
    }
}

/// What inline building needs to know about the page.
struct InlineContext {
    var resolveLink: (String) -> String
    /// The ids a `#id` link may jump to: headings (and footnotes).
    var headingIDs: Set<String>
    var dropsSpaceBetweenIdeographs: Bool
    /// The ids of the page's footnotes (`fn-1`): a reference to one of them links to it.
    var footnoteIDs: Set<String> = []
    /// Put before every destination name, so that two pages on one sheet (a bilingual
    /// pamphlet) have no name in common: empty for a PDF of one page.
    var destinationPrefix = ""
}

/// Link addresses as printed on paper and as written into the PDF.
enum LinkAddress {
    /// The readable form of an absolute address: `https://` and `http://` dropped,
    /// `mailto:` and `tel:` shown without their scheme. nil for an address without a scheme.
    static func display(_ address: String) -> String? {
        guard let colon = address.firstIndex(of: ":"), colon > address.startIndex else { return nil }
        let scheme = address[..<colon]
        guard scheme.first!.isLetter, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) else { return nil }
        let rest = address[address.index(after: colon)...]
        switch scheme.lowercased() {
        case "http", "https":
            var shown = rest.hasPrefix("//") ? String(rest.dropFirst(2)) : String(rest)
            if shown.hasSuffix("/") && shown.filter({ $0 == "/" }).count == 1 { shown.removeLast() }
            return shown.removingPercentEncodingIfReadable
        case "mailto", "tel", "sms":
            return String(rest).removingPercentEncodingIfReadable
        default:
            return address
        }
    }

    /// Whether the link text already says the address (an autolink, or the address as text).
    static func same(_ text: String, _ display: String) -> Bool {
        func norm(_ s: String) -> String {
            var t = s.lowercased()
            for prefix in ["https://", "http://", "mailto:", "tel:"] where t.hasPrefix(prefix) { t.removeFirst(prefix.count) }
            while t.hasSuffix("/") { t.removeLast() }
            return t
        }
        return norm(text) == norm(display)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    /// Percent escapes decoded when the result is valid UTF-8 (so `%E0%B8%81` prints as Thai).
    var removingPercentEncodingIfReadable: String {
        guard contains("%") else { return self }
        return removingPercentEncoding ?? self
    }
}

/// The text of inlines without markup (alt text of images, link text, code as written).
enum InlinePlainText {
    static func of(_ inlines: [Inline]) -> String {
        var out = ""
        append(inlines, to: &out)
        return out
    }

    private static func append(_ inlines: [Inline], to out: inout String) {
        for inline in inlines {
            switch inline.kind {
            case .text(let s), .code(let s): out += s
            case .softBreak, .lineBreak: out += " "
            case .html: break
            case .emphasis(let c), .strong(let c), .tagged(_, let c), .link(_, _, let c), .image(_, _, let c):
                append(c, to: &out)
            case .footnoteReference(let reference): out += "[\(reference.number)]"
            }
        }
    }
}
