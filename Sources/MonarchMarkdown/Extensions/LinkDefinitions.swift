/// The lines of a document that may be link reference definitions (`[label]: /url`,
/// with a title or destination on the next line), each followed by a blank line: what
/// a table cell or footnote body, parsed by cmark on its own, needs to resolve
/// `[text][label]` as the document does, without parsing the whole document again.
enum LinkDefinitions {
    static func text(of source: SourceText) -> String {
        var out: [UInt8] = []
        let count = source.lineStarts.count
        var line = 1
        func stripped(_ l: Int) -> ArraySlice<UInt8> {
            var bytes = source.lineBytes(l)
            while let b = bytes.first, b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: ">") { bytes = bytes.dropFirst() }
            return bytes
        }
        while line <= count {
            let bytes = stripped(line)
            line += 1
            guard bytes.first == UInt8(ascii: "["), bytes.count > 3, let close = bytes.firstIndex(of: UInt8(ascii: "]")),
                  close + 1 < bytes.endIndex, bytes[close + 1] == UInt8(ascii: ":"),
                  bytes[bytes.startIndex + 1] != UInt8(ascii: "^") else { continue }
            out += bytes
            out.append(UInt8(ascii: "\n"))
            // A destination or a title may follow on the next lines.
            var continuation = 0
            var needsDestination = close + 2 == bytes.endIndex
            while continuation < 2, line <= count {
                let next = stripped(line)
                guard let first = next.first else { break }
                let title = first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") || first == UInt8(ascii: "(")
                guard needsDestination || title else { break }
                out += next
                out.append(UInt8(ascii: "\n"))
                needsDestination = false
                line += 1
                continuation += 1
            }
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether text may hold a reference-style link: a `[` that opens no footnote reference.
    static func mayReference(_ bytes: some Collection<UInt8>) -> Bool {
        var previousBracket = false
        for b in bytes {
            if previousBracket, b != UInt8(ascii: "^") { return true }
            previousBracket = b == UInt8(ascii: "[")
        }
        return previousBracket
    }
}
