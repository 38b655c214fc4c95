/// GFM footnotes: definitions `[^label]: text` at the start of a line (later paragraphs
/// and blocks indented by four spaces; like cmark-gfm's, a definition may interrupt a
/// paragraph), references `[^label]` in text.
///
/// cmark would read a definition as a link reference definition (`[^1]: word`) or a
/// paragraph, so definitions are found in the source lines first and taken out of the
/// text given to cmark: each becomes a one-line HTML comment (so that it still ends a list
/// or paragraph as a definition does) and blank lines, and every other line keeps its
/// number. Each definition's body is then parsed by cmark on its own, its positions moved
/// back to where it was written.
struct FootnoteDefinitions {
    struct Definition {
        var label: String
        /// The body's text, dedented, one line per source line.
        var body: String
        /// The source line of each body line, and the characters taken off its start.
        var lines: [(line: Int, shift: Int)]
        var position: SourcePosition
    }

    /// The text for cmark.
    var text: [UInt8]
    var definitions: [Definition] = []
    /// The lines of the comments that stand in for definitions.
    var placeholderLines: Set<Int> = []

    static let placeholder = Array("<!---->".utf8)

    init(_ source: SourceText) {
        text = source.bytes
        guard Self.containsDefinitionOpener(source.bytes) else { return }
        var out: [UInt8] = []
        out.reserveCapacity(source.bytes.count)
        var fence: (char: UInt8, length: Int)?
        var line = 1
        let count = source.lineStarts.count
        func ending(_ l: Int) -> ArraySlice<UInt8> {
            let start = source.lineStarts[l - 1]
            let end = l < count ? source.lineStarts[l] : source.bytes.count
            let content = source.lineBytes(l)
            return source.bytes[(start + content.count)..<end]
        }
        while line <= count {
            let bytes = Array(source.lineBytes(line))
            let indent = bytes.prefix { $0 == UInt8(ascii: " ") }.count
            if let f = fence {
                if indent < 4, Self.fenceRun(bytes, indent) .map({ $0.char == f.char && $0.length >= f.length && $0.rest }) == true { fence = nil }
                out += source.bytes[source.lineStarts[line - 1]..<(line < count ? source.lineStarts[line] : source.bytes.count)]
                line += 1
                continue
            }
            if indent < 4, let f = Self.fenceRun(bytes, indent), f.length >= 3 {
                fence = (f.char, f.length)
            }
            if fence == nil, indent < 4, let (label, contentStart) = Self.definitionStart(bytes, indent) {
                var body: [String] = []
                var map: [(line: Int, shift: Int)] = []
                var first = contentStart
                while first < bytes.count, bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\t") { first += 1 }
                body.append(String(decoding: bytes[first...], as: UTF8.self))
                map.append((line, source.characterColumn(line: line, byteOffset: first) - 1))
                var last = line
                var next = line + 1
                var lastNonBlank = true
                while next <= count {
                    let b = Array(source.lineBytes(next))
                    let blank = b.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                    let ind = b.prefix { $0 == UInt8(ascii: " ") }.count
                    if blank {
                        body.append("")
                        map.append((next, 0))
                        lastNonBlank = false
                    } else if ind >= 4 || b.first == UInt8(ascii: "\t") {
                        let drop = b.first == UInt8(ascii: "\t") ? 1 : 4
                        body.append(String(decoding: b[drop...], as: UTF8.self))
                        map.append((next, drop))
                        last = next
                        lastNonBlank = true
                    } else if lastNonBlank, Self.definitionStart(b, ind) == nil, !Self.startsBlock(b, ind) {
                        // A lazy continuation line of the paragraph above.
                        body.append(String(decoding: b, as: UTF8.self))
                        map.append((next, 0))
                        last = next
                    } else {
                        break
                    }
                    next += 1
                }
                body.removeLast(body.count - (last - line + 1))
                map.removeLast(map.count - (last - line + 1))
                definitions.append(Definition(label: label, body: body.joined(separator: "\n") + "\n", lines: map,
                                              position: SourcePosition(line: line, column: indent + 1)))
                placeholderLines.insert(line)
                out += Self.placeholder
                out += ending(line)
                if last > line { for l in (line + 1)...last { out += ending(l) } }
                line = last + 1
                continue
            }
            out += source.bytes[source.lineStarts[line - 1]..<(line < count ? source.lineStarts[line] : source.bytes.count)]
            line += 1
        }
        if !definitions.isEmpty { text = out }
    }

    private static func containsDefinitionOpener(_ bytes: [UInt8]) -> Bool {
        var i = 1
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "^"), bytes[i - 1] == UInt8(ascii: "[") { return true }
            i += 1
        }
        return false
    }

    /// `[^label]:` at `indent`: the label and where the text after the colon starts.
    static func definitionStart(_ b: [UInt8], _ indent: Int) -> (String, Int)? {
        guard b.count > indent + 4, b[indent] == UInt8(ascii: "["), b[indent + 1] == UInt8(ascii: "^") else { return nil }
        var i = indent + 2
        while i < b.count, b[i] != UInt8(ascii: "]") {
            if b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "\t") || b[i] == UInt8(ascii: "[") { return nil }
            i += 1
        }
        guard i > indent + 2, i + 1 < b.count, b[i + 1] == UInt8(ascii: ":") else { return nil }
        return (String(decoding: b[(indent + 2)..<i], as: UTF8.self), i + 2)
    }

    private static func fenceRun(_ b: [UInt8], _ indent: Int) -> (char: UInt8, length: Int, rest: Bool)? {
        guard indent < b.count, b[indent] == UInt8(ascii: "`") || b[indent] == UInt8(ascii: "~") else { return nil }
        let c = b[indent]
        var n = 0
        while indent + n < b.count, b[indent + n] == c { n += 1 }
        guard n >= 3 else { return nil }
        let rest = b[(indent + n)...].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        return (c, n, rest)
    }

    /// Whether a line would start a block rather than continue a paragraph lazily.
    private static func startsBlock(_ b: [UInt8], _ indent: Int) -> Bool {
        guard indent < b.count else { return true }
        return "#>-*+=`~|<0123456789".utf8.contains(b[indent])
    }
}

/// Numbers the footnotes in order of first reference, turns `[^label]` into references,
/// and builds the list at the end of the page.
struct FootnoteNumbering {
    private var bodies: [String: (FootnoteDefinitions.Definition, [Block])] = [:]
    private var order: [String] = []
    private var referenceIDs: [String: [String]] = [:]
    private var usedIDs: Set<String>
    private var noteIDs: [String: String] = [:]
    private var numbers: [String: Int] = [:]
    private(set) var warnings: [MarkdownWarning] = []

    /// The text as written (definitions included), for positions.
    private let source: SourceText

    init(definitions: [(FootnoteDefinitions.Definition, [Block])], headingIDs: Set<String>, source: SourceText) {
        usedIDs = headingIDs
        self.source = source
        for (definition, blocks) in definitions {
            let key = Self.normalized(definition.label)
            if bodies[key] != nil {
                warnings.append(MarkdownWarning("footnote [^\(definition.label)] is defined twice; Monarch keeps the first definition; give each footnote its own label",
                                                at: definition.position))
                continue
            }
            bodies[key] = (definition, blocks)
        }
    }

    static func normalized(_ label: String) -> String {
        label.lowercased()
    }

    /// The document with references numbered and the footnotes appended as its last block.
    mutating func apply(_ blocks: [Block]) -> [Block] {
        var result = BlockRewriting.rewriteInlines(blocks) { self.referencesIfAny($0) }
        var notes: [Footnote] = []
        var k = 0
        while k < order.count {
            let key = order[k]
            let (definition, body) = bodies[key]!
            let numberedBody = BlockRewriting.rewriteInlines(body) { self.referencesIfAny($0) }
            notes.append(Footnote(number: k + 1, label: definition.label, id: noteIDs[key]!, referenceIDs: [],
                                  blocks: numberedBody, position: definition.position))
            k += 1
        }
        for i in notes.indices { notes[i].referenceIDs = referenceIDs[Self.normalized(notes[i].label)] ?? [] }
        for (key, (definition, _)) in bodies where noteIDs[key] == nil {
            warnings.append(MarkdownWarning("footnote [^\(definition.label)] is never referred to; Monarch leaves it out; refer to it with [^\(definition.label)] in the text or delete it",
                                            at: definition.position))
        }
        warnings.sort { $0.position < $1.position }
        if !notes.isEmpty { result.append(Block(.footnotes(notes), at: notes[0].position)) }
        return result
    }

    private mutating func unique(_ id: String) -> String {
        var candidate = id
        var n = 2
        while !usedIDs.insert(candidate).inserted {
            candidate = "\(id)-x\(n)"
            n += 1
        }
        return candidate
    }

    private mutating func referencesIfAny(_ inlines: [Inline]) -> [Inline]? {
        BlockRewriting.anyText(inlines, { $0.contains("[^") }) ? references(inlines) : nil
    }

    private mutating func references(_ inlines: [Inline]) -> [Inline] {
        var result: [Inline] = []
        for var inline in inlines {
            switch inline.kind {
            case .text(let s) where s.contains("[^"):
                split(s, at: inline.position, into: &result)
                continue
            case .emphasis(let c): inline.kind = .emphasis(references(c))
            case .strong(let c): inline.kind = .strong(references(c))
            case .tagged(let tag, let c): inline.kind = .tagged(tag, references(c))
            default: break
            }
            result.append(inline)
        }
        return result
    }

    private mutating func split(_ text: String, at position: SourcePosition, into out: inout [Inline]) {
        let s = Array(text.unicodeScalars)
        let walk = SourceWalk(s, at: position, source: source)
        func place(_ offset: Int) -> SourcePosition { walk?.position(offset) ?? Strikethrough.shifted(position, offset) }
        var emitted = 0
        var i = 0
        func emit(_ end: Int) {
            guard end > emitted else { return }
            let piece = String(String.UnicodeScalarView(s[emitted..<end]))
            if let last = out.last, case .text(let before) = last.kind, emitted > 0 {
                out[out.count - 1].kind = .text(before + piece)
            } else {
                out.append(Inline(.text(piece), at: place(emitted)))
            }
            emitted = end
        }
        while i + 1 < s.count {
            guard s[i] == "[", s[i + 1] == "^" else { i += 1; continue }
            var j = i + 2
            while j < s.count, s[j] != "]", s[j] != "[", !Strikethrough.isWhitespace(s[j]) { j += 1 }
            guard j < s.count, s[j] == "]", j > i + 2 else { i += 1; continue }
            let label = String(String.UnicodeScalarView(s[(i + 2)..<j]))
            let key = Self.normalized(label)
            let at = place(i)
            guard bodies[key] != nil else {
                warnings.append(MarkdownWarning("footnote [^\(label)] has no definition; Monarch shows it as text; add a line '[^\(label)]: text'",
                                                at: at))
                i = j + 1
                continue
            }
            if noteIDs[key] == nil {
                order.append(key)
                numbers[key] = order.count
                noteIDs[key] = unique("fn-\(order.count)")
            }
            let number = numbers[key]!
            // Appended in place: a copy per reference made a page citing one note 200,000 times take minutes.
            let earlier = referenceIDs[key]?.count ?? 0
            let id = unique(earlier == 0 ? "fnref-\(number)" : "fnref-\(number)-\(earlier + 1)")
            referenceIDs[key, default: []].append(id)
            emit(i)
            out.append(Inline(.footnoteReference(FootnoteReference(number: number, id: id, target: noteIDs[key]!)), at: at))
            emitted = j + 1
            i = j + 1
        }
        emit(s.count)
    }
}
