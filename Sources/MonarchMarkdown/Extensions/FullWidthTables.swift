/// A table typed with the full-width bar `｜` (U+FF5C), as a Chinese, Japanese or Korean
/// input method gives it: Markdown reads only `|`, so the table would be a paragraph of
/// bars. It is left as written, with a warning at its first line saying which key to use.
enum FullWidthTables {
    /// Warnings for paragraphs whose first line holds two `｜` or more and whose second line
    /// is a delimiter row (bars, dashes and colons, of either width).
    static func warnings(_ paragraphs: [ParagraphLines], source: SourceText) -> [MarkdownWarning] {
        let bar: [UInt8] = [0xEF, 0xBD, 0x9C]
        guard contains(source.bytes[...], bar) else { return [] }
        var found: [MarkdownWarning] = []
        for paragraph in paragraphs where paragraph.last > paragraph.first {
            let header = line(paragraph.first, source), delimiter = line(paragraph.first + 1, source)
            guard header.filter({ $0 == "｜" }).count >= 2 || (header.contains("｜") && header.contains("|")),
                  delimiter.contains(where: { $0 == "-" || $0 == "－" }),
                  delimiter.allSatisfy({ "｜|-－:： \t".contains($0) }) else { continue }
            let column = (header.firstIndex(of: "｜").map { header.distance(from: header.startIndex, to: $0) } ?? 0) + 1
            found.append(MarkdownWarning("this looks like a table typed with the full-width bar '｜'; Markdown tables need the "
                                         + "ASCII '|' (and '-' in the second line), so it is shown as a paragraph", at:
                                            SourcePosition(line: paragraph.first, column: column)))
        }
        return found
    }

    private static func line(_ number: Int, _ source: SourceText) -> String {
        guard number >= 1, number <= source.lineStarts.count else { return "" }
        let start = source.lineStarts[number - 1]
        var end = number < source.lineStarts.count ? source.lineStarts[number] : source.bytes.count
        while end > start, source.bytes[end - 1] == 0x0A || source.bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: source.bytes[start..<end], as: UTF8.self)
    }

    private static func contains(_ bytes: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        var i = bytes.startIndex
        while i + needle.count <= bytes.endIndex {
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
