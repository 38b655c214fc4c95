/// GitHub's callouts: a block quote whose first line is exactly `[!NOTE]`, `[!TIP]`,
/// `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]` (in any case) becomes a callout of that
/// kind, without the marker line.
enum Callouts {
    static func apply(_ blocks: [Block]) -> [Block] {
        BlockRewriting.rewrite(blocks) { apply(to: $0) }
    }

    static func apply(to block: Block) -> [Block]? {
        do {
            guard case .blockQuote(var children) = block.kind,
                  case .paragraph(let inlines)? = children.first?.kind,
                  let first = inlines.first, case .text(let text) = first.kind,
                  text.hasPrefix("[!"), text.hasSuffix("]"),
                  let kind = CalloutKind(rawValue: String(text.dropFirst(2).dropLast()).lowercased()),
                  inlines.count == 1 || inlines[1].kind == .softBreak || inlines[1].kind == .lineBreak else { return nil }
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
}
