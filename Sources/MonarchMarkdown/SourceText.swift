/// The Markdown text as cmark sees it (UTF-8 bytes, a leading byte-order mark removed),
/// with the byte offset of every line start, for mapping cmark's positions back to lines.
struct SourceText {
    let bytes: [UInt8]
    /// `lineStarts[i]` is the byte offset where line `i + 1` begins.
    let lineStarts: [Int]
    /// No byte above 0x7F: byte columns are character columns.
    let isASCII: Bool

    init(_ text: String) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var starts = [0]
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                starts.append(i + 1)
            } else if b == UInt8(ascii: "\r") {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                starts.append(i + 1)
            }
            i += 1
        }
        self.bytes = bytes
        self.lineStarts = starts
        self.isASCII = !bytes.contains { $0 >= 0x80 }
    }

    /// The byte at a 1-based line and column, if there is one on that line.
    func byte(line: Int, column: Int) -> UInt8? {
        guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
        let offset = lineStarts[line - 1] + column - 1
        let end = line < lineStarts.count ? lineStarts[line] : bytes.count
        return offset < end ? bytes[offset] : nil
    }

    /// The column where a paragraph's text starts on a continuation line: after the
    /// container prefix, which cmark strips: indentation and up to `quoteDepth` `>` markers
    /// (the paragraph's block-quote depth; lazy lines have fewer).
    func firstContentColumn(line: Int, quoteDepth: Int) -> Int? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        let start = lineStarts[line - 1]
        let end = line < lineStarts.count ? lineStarts[line] : bytes.count
        var i = start
        var markers = 0
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") {
                i += 1
            } else if b == UInt8(ascii: ">"), markers < quoteDepth {
                markers += 1
                i += 1
            } else {
                break
            }
        }
        return i - start + 1
    }

    /// Whether the text at a position starts like a link reference definition: `[`, a
    /// label without unescaped brackets, `]:`.
    func startsWithLinkLabelAndColon(line: Int, column: Int) -> Bool {
        guard line >= 1, line <= lineStarts.count else { return false }
        var i = lineStarts[line - 1] + column - 1
        guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { return false }
        i += 1
        let limit = min(bytes.count, i + 1001)
        while i < limit {
            switch bytes[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "["): return false
            case UInt8(ascii: "]"): return i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: ":")
            default: i += 1
            }
        }
        return false
    }

    /// The last byte of a line before its line ending.
    func lastByte(line: Int) -> UInt8? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return end > start ? bytes[end - 1] : nil
    }

    /// How many backticks start at a position.
    func backtickRun(line: Int, column: Int) -> Int {
        var n = 0
        while byte(line: line, column: column + n) == UInt8(ascii: "`") { n += 1 }
        return n
    }
}

/// Turns cmark's byte columns into character (Unicode scalar) columns, as editors count
/// them for Chinese, Korean and Thai. Remembers where it stopped on the current line and
/// walks from there, so a line's positions, which come nearly in order, cost about one
/// pass over it.
struct CharacterColumns {
    private let source: SourceText
    private var line = 0
    private var byteOffset = 0
    private var characters = 0

    init(_ source: SourceText) {
        self.source = source
    }

    mutating func position(_ p: SourcePosition) -> SourcePosition {
        guard !source.isASCII, p.line >= 1, p.line <= source.lineStarts.count, p.column > 1 else { return p }
        let start = source.lineStarts[p.line - 1]
        let target = min(start + p.column - 1, source.bytes.count)
        if p.line != line {
            line = p.line
            byteOffset = start
            characters = 0
        }
        while byteOffset < target {
            if source.bytes[byteOffset] & 0xC0 != 0x80 { characters += 1 }
            byteOffset += 1
        }
        // Containers are placed when they close, after their content: step back.
        while byteOffset > target {
            byteOffset -= 1
            if source.bytes[byteOffset] & 0xC0 != 0x80 { characters -= 1 }
        }
        return SourcePosition(line: p.line, column: characters + 1 + (start + p.column - 1 - target))
    }
}
