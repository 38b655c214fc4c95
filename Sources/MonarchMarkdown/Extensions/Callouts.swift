/// GitHub's callouts: a block quote whose first line is exactly `[!NOTE]`, `[!TIP]`,
/// `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]` (in any case) becomes a callout of that
/// kind, without the marker line. A marker GitHub would not read as one (`[!DANGER]`, or
/// `[!TIP] text` on one line) stays a quote with a warning, so that the editor learns why
/// the box is missing.
enum Callouts {
    static func apply(to block: Block, warnings: inout [MarkdownWarning]) -> [Block]? {
        guard case .blockQuote(var children) = block.kind,
              case .paragraph(let inlines)? = children.first?.kind,
              let first = inlines.first, case .text(let text) = first.kind,
              text.hasPrefix("[!"), let close = text.firstIndex(of: "]") else { return nil }
        let name = String(text[text.index(text.startIndex, offsetBy: 2)..<close])
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        let known = CalloutKind.allCases.map { $0.rawValue.uppercased() }.joined(separator: ", ")
        guard let kind = CalloutKind(rawValue: name.lowercased()) else {
            warnings.append(MarkdownWarning("'[!\(name)]' is not a callout (\(known)); the quote is shown as a quote, "
                                            + "with '[!\(name)]' as its text", at: first.position))
            return nil
        }
        guard text.index(after: close) == text.endIndex,
              inlines.count == 1 || inlines[1].kind == .softBreak || inlines[1].kind == .lineBreak else {
            warnings.append(MarkdownWarning("'[!\(name)]' starts a callout only on a line of its own; "
                                            + "put the text on the next line, after '> '", at: first.position))
            return nil
        }
        let rest = Array(inlines.dropFirst(2))
        if rest.isEmpty {
            children.removeFirst()
        } else {
            children[0].kind = .paragraph(rest)
            children[0].position = rest[0].position
        }
        var block = block
        block.kind = .callout(kind, children)
        return [block]
    }
}
