/// Explicit heading ids, `## Data we keep {#data-tools}`, so that every translation of a
/// page can share its anchors; and the attribute lists of kramdown (Jekyll) and Pandoc,
/// which Monarch does not support, named in a warning instead of shown as text:
/// `{: .class}` lines, classes and attributes in a heading's braces.
struct HeadingAttributes {
    private(set) var warnings: [MarkdownWarning] = []

    /// An attribute list's parts: `#id`, and whatever else was written.
    private struct Attributes {
        var id: String?
        var others: [String]
        var kramdown: Bool
        var written: String
    }

    mutating func apply(_ blocks: [Block]) -> [Block] {
        var recompute = false  // a heading's text or id changed
        // First pass: take `{...}` off headings and attribute lines out of paragraphs.
        let stripped = BlockRewriting.rewrite(blocks) { block in
            switch block.kind {
            case .heading(let level, var content, let id):
                guard let last = content.last, case .text(let text) = last.kind,
                      let (attributes, rest) = Self.trailingAttributes(text) else { return nil }
                var newID = id
                let at = Strikethrough.shifted(last.position, rest.unicodeScalars.count)
                if let written = attributes.id {
                    if Self.isValid(written) {
                        newID = "#" + written  // marked explicit; made unique below
                        recompute = true
                    } else {
                        warnings.append(MarkdownWarning("heading id '\(written)' has characters an id cannot have; Monarch makes the id from the heading's text; use letters, digits, '-' and '_'", at: at))
                    }
                }
                if !attributes.others.isEmpty {
                    warnings.append(MarkdownWarning("heading attributes \(attributes.others.joined(separator: " ")) in '\(attributes.written)' are not supported; Monarch leaves them out; only an id can be given, as '{#id}'", at: at))
                } else if attributes.kramdown, let written = attributes.id {
                    warnings.append(MarkdownWarning("'\(attributes.written)' is kramdown's form; Monarch reads it as the heading id; write '{#\(written)}'", at: at))
                }
                recompute = true
                var trimmed = rest
                while trimmed.last == " " || trimmed.last == "\t" { trimmed.removeLast() }
                if trimmed.isEmpty { content.removeLast() } else { content[content.count - 1].kind = .text(trimmed) }
                while let l = content.last, l.kind == .softBreak || l.kind == .lineBreak { content.removeLast() }
                var block = block
                block.kind = .heading(level: level, content: content, id: newID)
                return [block]
            case .paragraph(var inlines):
                // An attribute list is the paragraph's last line.
                let lineStart = (inlines.lastIndex { $0.kind == .softBreak || $0.kind == .lineBreak }).map { $0 + 1 } ?? 0
                guard lineStart == inlines.count - 1, case .text(let text) = inlines[lineStart].kind,
                      let attributes = Self.attributeLine(text) else { return nil }
                let at = inlines[lineStart].position
                if lineStart == 0, attributes.others.isEmpty, let id = attributes.id, Self.isValid(id) {
                    // Maybe the id of the heading above: decided below, where siblings are seen.
                    return [Block(.htmlBlock(Self.idMarker + id + "\u{0}" + attributes.written), at: at)]
                }
                warnings.append(MarkdownWarning("attribute list '\(attributes.written)' is kramdown syntax, which Monarch does not support; Monarch leaves it out; for a heading id write '## Heading {#id}' and drop the rest", at: at))
                inlines.removeSubrange(max(0, lineStart - 1)...)
                if inlines.isEmpty { return [] }
                var block = block
                block.kind = .paragraph(inlines)
                return [block]
            default:
                return nil
            }
        }
        // A kramdown id line right after a heading gives the heading its id.
        var result: [Block] = []
        for block in stripped {
            if case .htmlBlock(let marker) = block.kind, marker.hasPrefix(Self.idMarker) {
                let (id, written) = Self.unmarked(marker)
                if case .heading(let level, let content, _)? = result.last?.kind {
                    result[result.count - 1].kind = .heading(level: level, content: content, id: "#" + id)
                    recompute = true
                    warnings.append(MarkdownWarning("attribute list '\(written)' on its own line is kramdown syntax; Monarch uses #\(id) as the id of the heading above; write '## Heading {#\(id)}' instead", at: block.position))
                    continue
                }
            }
            result.append(block)
        }
        // Anywhere else such a line is left out.
        result = BlockRewriting.rewrite(result) { block in
            guard case .htmlBlock(let marker) = block.kind, marker.hasPrefix(Self.idMarker) else { return nil }
            warnings.append(MarkdownWarning("attribute list '\(Self.unmarked(marker).written)' is kramdown syntax, which Monarch does not support here; Monarch leaves it out; ids can be given to headings only, as '## Heading {#id}'", at: block.position))
            return []
        }
        warnings.sort { $0.position < $1.position }
        return recompute ? assignIDs(result) : result
    }

    /// A stand-in block for an id line (`{: #id}`), until it is known whether a heading
    /// comes right before it: the id and the line as written.
    private static let idMarker = "\u{0}heading-id:"

    private static func unmarked(_ marker: String) -> (id: String, written: String) {
        let parts = marker.dropFirst(idMarker.count).split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
    }

    /// Gives explicit ids first claim, then makes every other id unique around them.
    private mutating func assignIDs(_ blocks: [Block]) -> [Block] {
        var allocator = HeadingIDAllocator()
        var taken: Set<String> = []
        var explicit: [SourcePosition: String] = [:]
        MarkdownDocument.visitBlocks(blocks) { block in
            if case .heading(_, _, let id) = block.kind, id.hasPrefix("#") {
                let written = String(id.dropFirst())
                if taken.insert(written).inserted {
                    _ = allocator.reserve(written)
                    explicit[block.position] = written
                } else {
                    warnings.append(MarkdownWarning("heading id '\(written)' is already used on this page; Monarch adds a number to this one; give each heading its own id", at: block.position))
                }
            }
        }
        return BlockRewriting.rewrite(blocks) { block in
            guard case .heading(let level, let content, let id) = block.kind else { return nil }
            var block = block
            if let written = explicit[block.position], id == "#" + written {
                block.kind = .heading(level: level, content: content, id: written)
                return [block]
            }
            let newID = id.hasPrefix("#") ? allocator.unique(for: String(id.dropFirst())) : allocator.unique(for: PlainText.of(content))
            block.kind = .heading(level: level, content: content, id: newID)
            return [block]
        }
    }

    /// `Heading {#id}`: the attributes and the text before them.
    private static func trailingAttributes(_ text: String) -> (Attributes, String)? {
        guard text.hasSuffix("}"), let open = text.lastIndex(of: "{") else { return nil }
        let before = text[..<open]
        guard before.isEmpty || before.last == " " || before.last == "\t" else { return nil }
        guard let attributes = parse(String(text[open...])) else { return nil }
        return (attributes, String(before))
    }

    /// A line that is only an attribute list: `{: .class}`, `{#id .class}`.
    private static func attributeLine(_ text: String) -> Attributes? {
        let isBlank = { (c: Character) in c == " " || c == "\t" }
        let trimmed = text.drop(while: isBlank).reversed().drop(while: isBlank).reversed()
        let line = String(trimmed)
        guard line.hasPrefix("{"), line.hasSuffix("}") else { return nil }
        return parse(line)
    }

    /// `{#id .class key=value}` or kramdown's `{: ...}`; nil if it is not one (`{x}` in text).
    private static func parse(_ braces: String) -> Attributes? {
        var inner = braces.dropFirst().dropLast()
        let kramdown = inner.hasPrefix(":")
        if kramdown { inner = inner.dropFirst() }
        let parts = inner.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !parts.isEmpty else { return nil }
        var id: String?
        var others: [String] = []
        for part in parts {
            if part.hasPrefix("#"), id == nil { id = String(part.dropFirst()) } else { others.append(part) }
        }
        // Without an id, only kramdown's marker or a `.class` says this is an attribute list.
        guard id != nil || kramdown || others.allSatisfy({ $0.hasPrefix(".") || $0.contains("=") }) else { return nil }
        return Attributes(id: id, others: others, kramdown: kramdown, written: braces)
    }

    private static func isValid(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy { s in
            if s == "-" || s == "_" || s == "." { return true }
            switch s.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .decimalNumber, .letterNumber, .otherNumber: return true
            default: return false
            }
        }
    }
}
