/// CommonMark's `process_emphasis` (as in cmark's inlines.c: the delimiter stack, the
/// openers-bottom table and the rule of 3) over a flat run of pieces: text, delimiter runs
/// and finished inline elements. Used by `CJKEmphasis` on the runs cmark left unmatched.
struct EmphasisMatcher {
    enum Piece {
        case text(String)
        /// A delimiter run of `*` or `_` and the flags it gets.
        case run(char: UInt8, count: Int, flags: DelimiterFlags)
        case inline(Inline)
    }

    private enum NodeKind {
        case text(String)
        case run(char: UInt8, count: Int)
        case inline(Inline)
        case group(strong: Bool, first: Int, last: Int)
    }

    private struct Node {
        var kind: NodeKind
        var position: SourcePosition
        var prev = -1
        var next = -1
    }

    private struct Delimiter {
        var node: Int
        var char: UInt8
        var length: Int
        var canOpen: Bool
        var canClose: Bool
        var prev = -1
        var next = -1
    }

    private var nodes: [Node] = []
    private var delimiters: [Delimiter] = []
    private var head = -1
    private var lastDelimiter = -1

    init(_ pieces: [(Piece, SourcePosition)]) {
        nodes.reserveCapacity(pieces.count + 8)
        for (piece, position) in pieces {
            let index = nodes.count
            switch piece {
            case .text(let s): nodes.append(Node(kind: .text(s), position: position))
            case .inline(let inline): nodes.append(Node(kind: .inline(inline), position: position))
            case .run(let char, let count, let flags):
                nodes.append(Node(kind: .run(char: char, count: count), position: position))
                if flags.canOpen || flags.canClose {
                    var d = Delimiter(node: index, char: char, length: count,
                                      canOpen: flags.canOpen, canClose: flags.canClose)
                    d.prev = lastDelimiter
                    let di = delimiters.count
                    delimiters.append(d)
                    if lastDelimiter >= 0 { delimiters[lastDelimiter].next = di }
                    lastDelimiter = di
                }
            }
            if index > 0 {
                nodes[index].prev = index - 1
                nodes[index - 1].next = index
            }
        }
        head = nodes.isEmpty ? -1 : 0
    }

    /// Emphasis nested deeper than this is left out (its content kept), as `TreeCopier`
    /// does with cmark's tree, so that recursive walkers stay within a thread's stack.
    static let maxNesting = 100

    /// Matches openers with closers and returns the resulting inline elements, adjacent
    /// text merged as cmark merges it.
    mutating func run() -> [Inline] {
        processEmphasis()
        var result: [Inline] = []
        appendInlines(from: head, depth: 0, to: &result)
        return result
    }

    private mutating func processEmphasis() {
        var openersBottom = [Int](repeating: -1, count: 14)
        // The first delimiter: walk back from the last.
        var closer = lastDelimiter
        while closer >= 0, delimiters[closer].prev >= 0 { closer = delimiters[closer].prev }

        while closer >= 0 {
            let c = delimiters[closer]
            guard c.canClose else {
                closer = c.next
                continue
            }
            let bottomIndex = (c.char == UInt8(ascii: "_") ? 2 : 8) + (c.canOpen ? 3 : 0) + c.length % 3
            var opener = c.prev
            var found = false
            while opener >= 0, opener >= openersBottom[bottomIndex] {
                let o = delimiters[opener]
                if o.canOpen, o.char == c.char {
                    if !(c.canOpen || o.canClose) || c.length % 3 == 0 || (o.length + c.length) % 3 != 0 {
                        found = true
                        break
                    }
                }
                opener = o.prev
            }
            let oldCloser = closer
            if found {
                closer = insertEmphasis(opener: opener, closer: closer)
            } else {
                closer = c.next
                openersBottom[bottomIndex] = oldCloser
                if !c.canOpen { removeDelimiter(oldCloser) }
            }
        }
    }

    /// Returns the next closer to look at.
    private mutating func insertEmphasis(opener: Int, closer: Int) -> Int {
        let openerNode = delimiters[opener].node
        let closerNode = delimiters[closer].node
        guard case .run(let oc, var openerCount) = nodes[openerNode].kind,
              case .run(let cc, var closerCount) = nodes[closerNode].kind else { return delimiters[closer].next }
        let use = closerCount >= 2 && openerCount >= 2 ? 2 : 1
        openerCount -= use
        closerCount -= use
        nodes[openerNode].kind = .run(char: oc, count: openerCount)
        nodes[closerNode].kind = .run(char: cc, count: closerCount)

        // Delimiters between opener and closer can no longer match anything.
        var d = delimiters[closer].prev
        while d >= 0, d != opener {
            let p = delimiters[d].prev
            removeDelimiter(d)
            d = p
        }

        // Move the nodes between the two runs into a new emphasis node.
        let first = nodes[openerNode].next
        let last = nodes[closerNode].prev
        let isEmpty = first == closerNode
        let group = nodes.count
        nodes.append(Node(kind: .group(strong: use == 2, first: isEmpty ? -1 : first, last: isEmpty ? -1 : last),
                          position: nodes[openerNode].position, prev: openerNode, next: closerNode))
        if !isEmpty {
            nodes[first].prev = -1
            nodes[last].next = -1
        }
        nodes[openerNode].next = group
        nodes[closerNode].prev = group

        if openerCount == 0 {
            unlink(openerNode)
            removeDelimiter(opener)
        }
        if closerCount == 0 {
            let next = delimiters[closer].next
            unlink(closerNode)
            removeDelimiter(closer)
            return next
        }
        return closer
    }

    private mutating func unlink(_ n: Int) {
        let p = nodes[n].prev, x = nodes[n].next
        if p >= 0 { nodes[p].next = x } else if head == n { head = x }
        if x >= 0 { nodes[x].prev = p }
        nodes[n].prev = -1
        nodes[n].next = -1
    }

    private mutating func removeDelimiter(_ d: Int) {
        let p = delimiters[d].prev, x = delimiters[d].next
        if p >= 0 { delimiters[p].next = x }
        if x >= 0 { delimiters[x].prev = p } else if lastDelimiter == d { lastDelimiter = p }
        delimiters[d].prev = -1
        delimiters[d].next = -1
    }

    private func appendInlines(from start: Int, depth: Int, to result: inout [Inline]) {
        var pendingText = ""
        var pendingPosition: SourcePosition?
        func flush() {
            if let position = pendingPosition, !pendingText.isEmpty {
                result.append(Inline(.text(pendingText), at: position))
            }
            pendingText = ""
            pendingPosition = nil
        }
        // Groups flattened at the nesting limit are walked in place: where to go on after
        // each one's content.
        var continuations: [Int] = []
        var n = start
        while true {
            if n < 0 {
                guard let next = continuations.popLast() else { break }
                n = next
                continue
            }
            let node = nodes[n]
            n = node.next
            switch node.kind {
            case .text(let s):
                if pendingPosition == nil { pendingPosition = node.position }
                pendingText += s
            case .run(let char, let count):
                if count > 0 {
                    if pendingPosition == nil { pendingPosition = node.position }
                    pendingText += String(repeating: Character(Unicode.Scalar(char)), count: count)
                }
            case .inline(let inline):
                flush()
                result.append(inline)
            case .group(let strong, let first, _):
                if depth >= Self.maxNesting {
                    continuations.append(n)
                    n = first
                } else {
                    flush()
                    var children: [Inline] = []
                    if first >= 0 { appendInlines(from: first, depth: depth + 1, to: &children) }
                    result.append(Inline(strong ? .strong(children) : .emphasis(children), at: node.position))
                }
            }
        }
        flush()
    }
}
