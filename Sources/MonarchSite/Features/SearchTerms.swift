/// The units the sharded search index is keyed by, cut the way `assets/search.js` cuts a
/// query, so that a key looked up by the script is the key the build wrote (issue #20).
///
/// The classes are those of the script's regular expressions, on Unicode scalars:
/// - a separator (`[\s\p{P}\p{S}]`) ends a query word, so no key holds one;
/// - a word character (`[\p{L}\p{N}\p{M}]`);
/// - a joining scalar (`[\p{M}\u0E33\u0EB3]`: marks, and the Thai and Lao SARA AM) belongs to
///   the letter before it: a match never ends before one, so `สิทธ` does not find `สิทธิ`;
/// - a spaceless scalar (Han, Hangul, Thai, Lao, Khmer, Myanmar, kana), by block: a word in
///   these scripts is found anywhere in the text, others at the start of a word.
///
/// Keys, each hashed (FNV-1a over UTF-16 code units) into one of the language's shards:
/// - `u<unit>`, `b<unit> <unit>` and `t<unit> <unit> <unit>`: a spaceless unit (a scalar with
///   the joining scalars after it), a pair and a run of three units. A query of one to three
///   units is answered exactly by one key; a longer one by three of its runs of three (the
///   first, one in the middle, the last: its pages hold them all) and checked on the page's
///   text before it is shown.
/// - `p<prefix>`: the one- or two-scalar prefix of every word start, for a query that short.
/// - `w<first three>`: the words (lower case, up to the next separator or spaceless scalar,
///   at most `maxWord` scalars) that start so, each with its pages; the script keeps those
///   the query is a prefix of.
enum SearchTerms {
    static let maxWord = 40

    static func isSeparator(_ s: Unicode.Scalar) -> Bool {
        if s.properties.isWhitespace || s.value == 0xFEFF { return true }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    static func isWord(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    static func joins(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return s.value == 0x0E33 || s.value == 0x0EB3
        }
    }

    /// Han, Hangul, Thai, Lao, Khmer, Myanmar, Hiragana and Katakana, by their blocks.
    static func isSpaceless(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0E01...0x0E3A, 0x0E40...0x0E5B,                 // Thai
             0x0E81...0x0EDF,                                   // Lao
             0x1000...0x109F, 0xA9E0...0xA9FE, 0xAA60...0xAA7F,  // Myanmar
             0x1780...0x17FF, 0x19E0...0x19FF,                  // Khmer
             0x1100...0x11FF, 0x3131...0x318E, 0xA960...0xA97C, 0xAC00...0xD7A3, 0xD7B0...0xD7FB,
             0xFFA0...0xFFDC, 0x3200...0x321E, 0x3260...0x327E, // Hangul
             0x3041...0x3096, 0x309D...0x309F, 0x1B001...0x1B11F, // Hiragana
             0x30A1...0x30FA, 0x30FD...0x30FF, 0x31F0...0x31FF, 0x32D0...0x32FE, 0x3300...0x3357,
             0xFF66...0xFF6F, 0xFF71...0xFF9D,                  // Katakana
             0x2E80...0x2FD5, 0x3005, 0x3007, 0x3021...0x3029, 0x3038...0x303B,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAD9, 0x20000...0x323AF: // Han
            return true
        default:
            return false
        }
    }

    enum Flag {
        static let separator: UInt8 = 1, word: UInt8 = 2, joins: UInt8 = 4, spaceless: UInt8 = 8
    }

    /// The classes of every scalar of the Basic Multilingual Plane, worked out once: asking
    /// Unicode's tables for each scalar of every page was most of the indexing time.
    nonisolated(unsafe) private static let plane: [UInt8] = (0..<0x1_0000).map { value in
        Unicode.Scalar(UInt32(value)).map(computedFlags) ?? 0
    }

    static func flags(_ s: Unicode.Scalar) -> UInt8 {
        s.value < 0x1_0000 ? plane[Int(s.value)] : computedFlags(s)
    }

    private static func computedFlags(_ s: Unicode.Scalar) -> UInt8 {
        (isSeparator(s) ? Flag.separator : 0) | (isWord(s) ? Flag.word : 0) | (joins(s) ? Flag.joins : 0)
            | (isSpaceless(s) ? Flag.spaceless : 0)
    }

    /// FNV-1a over the key's UTF-16 code units, as the script computes it.
    static func shard(of key: String, count: Int) -> Int {
        var hash: UInt32 = 0x811C_9DC5
        for unit in key.utf16 {
            hash ^= UInt32(unit)
            hash = hash &* 0x0100_0193
        }
        return Int(hash % UInt32(count))
    }

    /// A key without a string for each place in the text: a unit of up to three scalars is
    /// packed into an integer (21 bits a scalar); a longer unit and a word keep their text.
    struct Key: Hashable {
        var kind: UInt8
        var a: UInt64 = 0
        var b: UInt64 = 0
        var c: UInt64 = 0
        var text: String? = nil

        /// The key as the script looks it up (`u`, `b` and `p` keys; a `w` key is
        /// `w<first three> <word>`, split by `ShardBuilder`).
        var string: String {
            if let text { return text }
            switch kind {
            case UInt8(ascii: "b"): return "b" + Self.unpack(a) + " " + Self.unpack(b)
            case UInt8(ascii: "t"): return "t" + Self.unpack(a) + " " + Self.unpack(b) + " " + Self.unpack(c)
            default: return String(UnicodeScalar(kind)) + Self.unpack(a)
            }
        }

        static func pack(_ scalars: ArraySlice<Unicode.Scalar>) -> UInt64? {
            guard scalars.count <= 3 else { return nil }
            var value: UInt64 = 0
            for (n, s) in scalars.enumerated() { value |= UInt64(s.value) << (21 * UInt64(n)) }
            return value
        }

        static func unpack(_ value: UInt64) -> String {
            var view = String.UnicodeScalarView()
            var rest = value
            while rest != 0 {
                if let s = Unicode.Scalar(UInt32(rest & 0x1F_FFFF)) { view.append(s) }
                rest >>= 21
            }
            return String(view)
        }
    }

    /// Calls `add(key, count)` for every key of one field's text (NFC): the number of places
    /// in the text each key stands for.
    static func keys(of text: String, _ add: (Key, Int) -> Void) {
        let scalars = Array(text.lowercased().unicodeScalars)
        guard !scalars.isEmpty else { return }
        var counts: [Key: Int] = [:]
        let flags = scalars.map(Self.flags)
        let spaceless = flags.map { $0 & Flag.spaceless != 0 }
        let separator = flags.map { $0 & Flag.separator != 0 }
        let joining = flags.map { $0 & Flag.joins != 0 }
        // Word starts: a scalar neither separator nor spaceless after no word character (or
        // after a spaceless one).
        for i in scalars.indices where !separator[i] && !spaceless[i] {
            if i > 0, !spaceless[i - 1], flags[i - 1] & Flag.word != 0 { continue }
            var end = i
            while end < scalars.count, end - i < maxWord, !separator[end], !spaceless[end] { end += 1 }
            for length in 1...2 where i + length <= end && (i + length == scalars.count || !joining[i + length]) {
                counts[Key(kind: UInt8(ascii: "p"), a: Key.pack(scalars[i..<(i + length)])!), default: 0] += 1
            }
            if end - i >= 3 {
                counts[Key(kind: UInt8(ascii: "w"), text: "w" + string(scalars[i..<(i + 3)]) + " " + string(scalars[i..<end])),
                       default: 0] += 1
            }
        }
        // Spaceless units and pairs of units.
        var units: [Range<Int>] = []
        var start = 0
        for i in 1...scalars.count where i == scalars.count || !joining[i] {
            units.append(start..<i)
            start = i
        }
        for (n, unit) in units.enumerated() where spaceless[unit.lowerBound] && !separator[unit.lowerBound] {
            let first = Key.pack(scalars[unit])
            counts[first.map { Key(kind: UInt8(ascii: "u"), a: $0) }
                   ?? Key(kind: UInt8(ascii: "u"), text: "u" + string(scalars[unit])), default: 0] += 1
            if n + 1 < units.count, !separator[units[n + 1].lowerBound] {
                let next = units[n + 1]
                let second = Key.pack(scalars[next])
                let key: Key
                if let first, let second {
                    key = Key(kind: UInt8(ascii: "b"), a: first, b: second)
                } else {
                    key = Key(kind: UInt8(ascii: "b"), text: "b" + string(scalars[unit]) + " " + string(scalars[next]))
                }
                counts[key, default: 0] += 1
                if n + 2 < units.count, !separator[units[n + 2].lowerBound] {
                    let last = units[n + 2]
                    let key: Key
                    if let first, let second, let third = Key.pack(scalars[last]) {
                        key = Key(kind: UInt8(ascii: "t"), a: first, b: second, c: third)
                    } else {
                        key = Key(kind: UInt8(ascii: "t"), text: "t" + string(scalars[unit]) + " " + string(scalars[next]) + " "
                                  + string(scalars[last]))
                    }
                    counts[key, default: 0] += 1
                }
            }
        }
        for (key, count) in counts { add(key, count) }
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
