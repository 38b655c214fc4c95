import MonarchCore

/// The postings of a language's search index as they are gathered page by page, then written
/// as shards (`SearchIndex` documents the format).
struct ShardBuilder {
    /// By key: page and code, page and code... (pages in increasing order).
    private var postings: [SearchTerms.Key: [Int32]] = [:]
    private(set) var pages = 0

    mutating func add(page: Int, _ document: SearchIndex.Document) {
        pages = max(pages, page + 1)
        var codes: [SearchTerms.Key: (title: Bool, description: Bool, text: Int)] = [:]
        SearchTerms.keys(of: document.title) { key, _ in codes[key, default: (false, false, 0)].title = true }
        SearchTerms.keys(of: document.description) { key, _ in codes[key, default: (false, false, 0)].description = true }
        SearchTerms.keys(of: document.text) { key, count in
            let before = codes[key]?.text ?? 0
            codes[key, default: (false, false, 0)].text = min(5, before + count)
        }
        for (key, value) in codes {
            let code = value.text + (value.description ? 6 : 0) + (value.title ? 12 : 0)
            postings[key, default: []].append(contentsOf: [Int32(page), Int32(code)])
        }
    }

    /// Enough shards that the average one stays near `SearchIndex.shardBytes` (a power of two).
    var shardCount: Int {
        var bytes = 0
        for (key, posting) in postings { bytes += (key.text?.utf8.count ?? 8) + 4 + posting.count * 2 }
        var count = 1
        while count < SearchIndex.maxShards && bytes / count > SearchIndex.shardBytes { count *= 2 }
        return count
    }

    /// The shards' JSON, keys sorted so that the same site gives the same bytes.
    func shards(count: Int) -> [String] {
        // A `w` key's words go under the key of their first three scalars.
        var grouped: [String: [(word: String, posting: [Int32])]] = [:]
        var plain: [String: [Int32]] = [:]
        for (packed, posting) in postings {
            let key = packed.string
            if packed.kind == UInt8(ascii: "w"), let space = key.firstIndex(of: " ") {
                grouped[String(key[..<space]), default: []].append((String(key[key.index(after: space)...]), posting))
            } else {
                plain[key] = posting
            }
        }
        var members = Array(repeating: [String](), count: count)
        for key in Array(plain.keys) + Array(grouped.keys) {
            members[SearchTerms.shard(of: key, count: count)].append(key)
        }
        return members.map { keys in
            var json = "{"
            for (i, key) in keys.sorted().enumerated() {
                if i > 0 { json += ",\n" }
                json += JSONString.quoted(key) + ":"
                if let posting = plain[key] {
                    json += Self.encode(posting)
                } else {
                    json += "[" + grouped[key]!.sorted { $0.word < $1.word }
                        .map { "[" + JSONString.quoted($0.word) + "," + Self.encode($0.posting) + "]" }
                        .joined(separator: ",") + "]"
                }
            }
            return json + "}\n"
        }
    }

    /// Pages as differences from the one before, each followed by its code (written as bytes:
    /// millions of small numbers).
    private static func encode(_ posting: [Int32]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(posting.count * 3 + 2)
        var last: Int32 = 0
        var i = 0
        func number(_ value: Int32) {
            var value = value, digits: [UInt8] = []
            repeat {
                digits.append(UInt8(ascii: "0") + UInt8(value % 10))
                value /= 10
            } while value > 0
            out.append(contentsOf: digits.reversed())
        }
        while i < posting.count {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            number(posting[i] - last)
            out.append(UInt8(ascii: ","))
            number(posting[i + 1])
            last = posting[i]
            i += 2
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }
}
