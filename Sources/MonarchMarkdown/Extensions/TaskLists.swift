/// GFM task list items: a list item whose paragraph starts with `[ ]`, `[x]` or `[X]`
/// and whitespace gets `ListItem.task`, and the marker is taken out of its text.
enum TaskLists {
    static func apply(_ blocks: [Block]) -> [Block] {
        BlockRewriting.rewrite(blocks) { apply(to: $0) }
    }

    static func apply(to block: Block) -> [Block]? {
        do {
            guard case .list(var list) = block.kind else { return nil }
            var changed = false
            for i in list.items.indices {
                guard list.items[i].task == nil, case .paragraph(let inlines)? = list.items[i].blocks.first?.kind,
                      let first = inlines.first, case .text(let text) = first.kind else { continue }
                let scalars = Array(text.unicodeScalars)
                guard scalars.count >= 3, scalars[0] == "[", scalars[2] == "]" else { continue }
                let state: TaskState
                switch scalars[1] {
                case " ": state = .open
                case "x", "X": state = .done
                default: continue
                }
                var rest = inlines
                if scalars.count > 3 {
                    guard Strikethrough.isWhitespace(scalars[3]) else { continue }
                    var k = 3
                    while k < scalars.count, Strikethrough.isWhitespace(scalars[k]) { k += 1 }
                    if k == scalars.count {
                        rest.removeFirst()
                    } else {
                        rest[0].kind = .text(String(String.UnicodeScalarView(scalars[k...])))
                        rest[0].position = Strikethrough.shifted(first.position, k)
                    }
                } else {
                    // `[ ]` alone on its line: a task only if the text goes on after a break.
                    guard inlines.count > 1, inlines[1].kind == .softBreak || inlines[1].kind == .lineBreak else { continue }
                    rest.removeFirst(2)
                }
                if rest.isEmpty {
                    list.items[i].blocks.removeFirst()
                } else {
                    list.items[i].blocks[0].kind = .paragraph(rest)
                }
                list.items[i].task = state
                changed = true
            }
            guard changed else { return nil }
            var block = block
            block.kind = .list(list)
            return [block]
        }
    }
}
