/// The text of a tree without markup: text and code as written, breaks as one space,
/// raw HTML and footnote numbers left out, the text inside emphasis, links and images (alt text) kept.
enum PlainText {
    static func of(_ inlines: [Inline]) -> String {
        var out = ""
        append(inlines, to: &out)
        return out
    }

    static func append(_ inlines: [Inline], to out: inout String) {
        for inline in inlines {
            switch inline.kind {
            case .text(let s), .code(let s): out += s
            case .softBreak, .lineBreak: out += " "
            case .html: break
            case .emphasis(let children), .strong(let children), .tagged(_, let children),
                 .link(_, _, let children), .image(_, _, let children):
                append(children, to: &out)
            case .footnoteReference: break   // a note's number is no word a reader searches for
            }
        }
    }

    /// Every block's text, one block per line; code blocks included, raw HTML left out.
    static func append(_ blocks: [Block], to out: inout String) {
        var text = ""
        MarkdownDocument.visitBlocks(blocks) { block in
            switch block.kind {
            case .paragraph(let inlines), .heading(_, let inlines, _):
                appendLine(inlines, to: &text)
            case .codeBlock(_, let code):
                var code = Substring(code)
                while code.last == "\n" { code.removeLast() }
                if !code.isEmpty { text += code; text += "\n" }
            case .details(let summary, _, _):
                appendLine(summary, to: &text)
            case .definitionList(let items):
                for item in items { for term in item.terms { appendLine(term, to: &text) } }
            case .blockQuote, .list, .htmlBlock, .thematicBreak, .table, .callout, .footnotes:
                break   // their text is in the blocks visitBlocks goes on to
            }
        }
        out += text
    }

    private static func appendLine(_ inlines: [Inline], to out: inout String) {
        let before = out.utf8.count
        append(inlines, to: &out)
        if out.utf8.count > before { out += "\n" }
    }
}
