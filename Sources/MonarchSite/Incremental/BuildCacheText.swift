import MonarchContent

/// The build cache's page table and search entries as plain text, a line per page and a tab
/// between fields: the record of 5,000 pages then reads in a few milliseconds, where
/// `JSONDecoder` took a quarter of a one-page rebuild. In a field, `\` `tab` `newline` and
/// the unit separator are escaped (`\\` `\t` `\n` `\u`); a missing value is `\0`; a list is
/// joined by the unit separator (U+001F).
enum BuildCacheText {
    static func encode(_ sources: [BuildCache.Source]) -> String {
        var out = ""
        out.reserveCapacity(sources.count * 300)
        for source in sources {
            if let line = source.line {
                out += line
                out += "\n"
                continue
            }
            var fields = [escape(source.path), escape(source.stamp)]
            if let s = source.summary {
                fields += [escape(s.languageKey), escape(s.path), escape(s.kind), escape(s.sourcePath), escape(s.title),
                           optional(s.matterTitle), optional(s.description), optional(s.weight.map { String($0) }),
                           s.draft ? "1" : "0", s.pamphlet ? "1" : "0", optional(s.sourceHash), String(s.bodyLineOffset),
                           s.headingIDs.map(escape).joined(separator: "\u{1F}"), escape(s.bodyHash), escape(s.sourceDigest),
                           s.hasContacts ? "1" : "0"]
            }
            out += fields.joined(separator: "\t")
            out += "\n"
        }
        return out
    }

    /// nil when the text is not what `encode` writes. Byte by byte over the text's storage:
    /// the record of 5,000 pages is read in every one-page rebuild.
    static func decode(_ text: String) -> [BuildCache.Source]? {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable { bytes -> [BuildCache.Source]? in
            var sources: [BuildCache.Source] = []
            var fields: [Range<Int>] = []
            fields.reserveCapacity(18)
            var lineStart = 0
            while lineStart < bytes.count {
                var end = lineStart
                fields.removeAll(keepingCapacity: true)
                var fieldStart = lineStart
                while end < bytes.count, bytes[end] != 0x0A {
                    if bytes[end] == 0x09 {
                        fields.append(fieldStart..<end)
                        fieldStart = end + 1
                    }
                    end += 1
                }
                fields.append(fieldStart..<end)
                defer { lineStart = end + 1 }
                if end == lineStart { continue }
                func field(_ i: Int) -> String { unescape(bytes, fields[i]) }
                func optional(_ i: Int) -> String? {
                    let r = fields[i]
                    return r.count == 2 && bytes[r.lowerBound] == 0x5C && bytes[r.lowerBound + 1] == 0x30 ? nil : field(i)
                }
                func flag(_ i: Int) -> Bool { fields[i].count == 1 && bytes[fields[i].lowerBound] == 0x31 }
                guard fields.count == 2 || fields.count == 18 else { return nil }
                let line = text[text.utf8.index(text.startIndex, offsetBy: lineStart)..<text.utf8.index(text.startIndex, offsetBy: end)]
                var source = BuildCache.Source(path: field(0), stamp: field(1), summary: nil, line: line)
                if fields.count == 18 {
                    let weight = optional(9)
                    guard let offset = Int(field(13)), weight == nil || Int(weight!) != nil else { return nil }
                    // Split before unescaping: an escaped separator is not one.
                    var headings: [String] = []
                    if !fields[14].isEmpty {
                        var start = fields[14].lowerBound
                        for i in fields[14] where bytes[i] == 0x1F {
                            headings.append(unescape(bytes, start..<i))
                            start = i + 1
                        }
                        headings.append(unescape(bytes, start..<fields[14].upperBound))
                    }
                    source.summary = PageSummary(
                        languageKey: field(2), path: field(3), kind: field(4), sourcePath: source.path,
                        title: field(6), matterTitle: optional(7), description: optional(8),
                        weight: weight.flatMap { Int($0) }, draft: flag(10), pamphlet: flag(11),
                        sourceHash: optional(12), bodyLineOffset: offset,
                        headingIDs: headings,
                        bodyHash: field(15), sourceDigest: field(16), hasContacts: flag(17))
                    source.line = line
                    guard field(5) == source.path else { return nil }
                }
                sources.append(source)
            }
            return sources
        } ?? nil
    }

    /// A field of `bytes`, unescaped.
    private static func unescape(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        let text = String(decoding: slice, as: UTF8.self)
        return slice.contains(0x5C) ? unescape(Substring(text)) : text
    }

    /// Search entries: output file, digest, JSON.
    static func encode(search: [String: [String]]) -> String {
        var out = ""
        for file in search.keys.sorted() {
            out += ([file] + search[file]!).map(escape).joined(separator: "\t") + "\n"
        }
        return out
    }

    static func decodeSearch(_ text: String) -> [String: [String]]? {
        var search: [String: [String]] = [:]
        for line in fields(Substring(text), 0x0A) where !line.isEmpty {
            let f = fields(line, 0x09)
            guard f.count == 3 else { return nil }
            search[unescape(f[0])] = [unescape(f[1]), unescape(f[2])]
        }
        return search
    }

    /// Split at a byte, not at a Character: a tab followed by a combining mark is one
    /// Character, and `split` on Characters would not see the tab.
    private static func fields(_ text: Substring, _ byte: UInt8) -> [Substring] {
        text.utf8.split(separator: byte, omittingEmptySubsequences: false).map { Substring($0) }
    }

    private static func optional(_ text: String?) -> String { text.map(escape) ?? "\\0" }

    private static func unescapeOptional(_ field: Substring) -> String? { field == "\\0" ? nil : unescape(field) }

    static func escape(_ text: String) -> String {
        guard text.containsByte(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x1F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{1F}": out += "\\u"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func unescape(_ field: Substring) -> String {
        guard field.utf8.contains(0x5C) else { return String(field) }
        var out = ""
        var escaped = false
        for scalar in field.unicodeScalars {
            if escaped {
                switch scalar {
                case "t": out += "\t"
                case "n": out += "\n"
                case "u": out += "\u{1F}"
                default: out.unicodeScalars.append(scalar)
                }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
