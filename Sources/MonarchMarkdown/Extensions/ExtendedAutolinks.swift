/// GFM's extended autolinks in text: `www.example.org` (linked as `http://`),
/// `http://`, `https://` and `ftp://` addresses, and e-mail addresses (`mailto:`), with GFM's rules
/// for where they end: trailing `?!.,:*_~'"` are left out, a `)` only when unbalanced,
/// `&name;` at the end is taken for an entity and left out, `<` always ends a link.
/// Never inside a link, an image's text or code.
enum ExtendedAutolinks {
    static func apply(_ inlines: [Inline], source: SourceText) -> [Inline] {
        var result: [Inline] = []
        result.reserveCapacity(inlines.count)
        for (index, var inline) in inlines.enumerated() {
            switch inline.kind {
            case .text(let s):
                // After an element, only emphasis (`*`, `_`) or strikethrough (`~`) markup
                // may come right before `www.`.
                var previousAllows = true
                if index > 0 {
                    switch inlines[index - 1].kind {
                    case .emphasis, .strong, .tagged, .softBreak, .lineBreak: previousAllows = true
                    default: previousAllows = false
                    }
                }
                link(s, at: inline.position, previousAllows: previousAllows, source: source, into: &result)
                continue
            case .emphasis(let c): inline.kind = .emphasis(apply(c, source: source))
            case .strong(let c): inline.kind = .strong(apply(c, source: source))
            case .tagged(let tag, let c): inline.kind = .tagged(tag, apply(c, source: source))
            default: break
            }
            result.append(inline)
        }
        return result
    }

    private static func link(_ text: String, at position: SourcePosition, previousAllows: Bool, source: SourceText, into out: inout [Inline]) {
        guard mayLink(text.utf8) else {
            out.append(Inline(.text(text), at: position))
            return
        }
        let s = Array(text.unicodeScalars)
        let walk = SourceWalk(s, at: position, source: source)
        func at(_ offset: Int) -> SourcePosition { walk?.position(offset) ?? Strikethrough.shifted(position, offset) }
        var emitted = 0  // scalars already given out
        var i = 0
        func emitText(_ end: Int) {
            guard end > emitted else { return }
            out.append(Inline(.text(String(String.UnicodeScalarView(s[emitted..<end]))), at: at(emitted)))
            emitted = end
        }
        while i < s.count {
            let c = s[i]
            var match: (start: Int, end: Int, href: String)?
            if c == "w" || c == "W" {
                let prevOK = i == 0 ? previousAllows : (Strikethrough.isWhitespace(s[i - 1]) || "*_~(".unicodeScalars.contains(s[i - 1]))
                if prevOK, let end = www(s, i) {
                    match = (i, end, "http://" + String(String.UnicodeScalarView(s[i..<end])))
                }
            } else if c == "h" || c == "H" || c == "f" || c == "F" {
                let prevOK = i == 0 || !(s[i - 1].properties.isAlphabetic && s[i - 1].isASCII)
                if prevOK, let end = url(s, i) {
                    match = (i, end, String(String.UnicodeScalarView(s[i..<end])))
                }
            } else if c == "@" {
                if let (start, end) = email(s, at: i, earliest: emitted) {
                    match = (start, end, "mailto:" + String(String.UnicodeScalarView(s[start..<end])))
                }
            }
            if let m = match {
                emitText(m.start)
                let label = String(String.UnicodeScalarView(s[m.start..<m.end]))
                let start = at(m.start)
                out.append(Inline(.link(destination: m.href, title: nil, children: [Inline(.text(label), at: start)]), at: start))
                emitted = m.end
                i = m.end
            } else {
                i += 1
            }
        }
        emitText(s.count)
    }

    /// A quick look at the bytes: an `@`, a `://` or a `ww.`.
    static func mayLink(_ utf8: String.UTF8View) -> Bool {
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for b in utf8 {
            if b == UInt8(ascii: "@") { return true }
            if b == UInt8(ascii: "/"), previous == UInt8(ascii: "/"), beforePrevious == UInt8(ascii: ":") { return true }
            if b == UInt8(ascii: "."), previous | 0x20 == UInt8(ascii: "w"), beforePrevious | 0x20 == UInt8(ascii: "w") { return true }
            beforePrevious = previous
            previous = b
        }
        return false
    }

    private static func hasPrefix(_ s: [Unicode.Scalar], _ i: Int, _ prefix: String) -> Bool {
        var k = i
        for p in prefix.unicodeScalars {
            guard k < s.count, s[k] == p || (s[k].isASCII && s[k].properties.lowercaseMapping == String(p)) else { return false }
            k += 1
        }
        return true
    }

    private static func www(_ s: [Unicode.Scalar], _ i: Int) -> Int? {
        guard hasPrefix(s, i, "www.") else { return nil }
        guard let domainEnd = domain(s, i, needsPeriod: true) else { return nil }
        return trailing(s, start: i, end: pathEnd(s, domainEnd))
    }

    private static func url(_ s: [Unicode.Scalar], _ i: Int) -> Int? {
        let schemeLength: Int
        if hasPrefix(s, i, "http://") || hasPrefix(s, i, "ftp://") {
            schemeLength = s[i] == "f" || s[i] == "F" ? 6 : 7
        } else if hasPrefix(s, i, "https://") {
            schemeLength = 8
        } else {
            return nil
        }
        guard let domainEnd = domain(s, i + schemeLength, needsPeriod: false) else { return nil }
        return trailing(s, start: i, end: pathEnd(s, domainEnd))
    }

    /// cmark-gfm's `check_domain`: letters, digits, `-`, `_` and `.`; no `_` in the last
    /// two labels.
    private static func domain(_ s: [Unicode.Scalar], _ start: Int, needsPeriod: Bool) -> Int? {
        guard start < s.count, isHostCharacter(s[start]) else { return nil }
        var i = start + 1
        var periods = 0
        var underscoresBefore = 0, underscores = 0
        while i < s.count {
            let c = s[i]
            if c == "." {
                underscoresBefore = underscores
                underscores = 0
                periods += 1
            } else if c == "_" {
                underscores += 1
            } else if !isHostCharacter(c) && c != "-" {
                break
            }
            i += 1
        }
        if underscoresBefore > 0 || underscores > 0 { return nil }
        if needsPeriod && periods == 0 { return nil }
        return i
    }

    private static func isHostCharacter(_ c: Unicode.Scalar) -> Bool {
        !Strikethrough.isWhitespace(c) && !Strikethrough.isPunctuation(c)
    }

    private static func pathEnd(_ s: [Unicode.Scalar], _ from: Int) -> Int {
        var i = from
        while i < s.count, !Strikethrough.isWhitespace(s[i]), s[i] != "<", !isWidePunctuation(s[i]) { i += 1 }
        return i
    }

    /// Ideographic and full-width punctuation (`。`, `、`, `，`, `」`, `）`) ends an address:
    /// Chinese, Japanese and Korean text puts it right after one with no space between, and
    /// an address taking it in goes to a host or page that is not there.
    static func isWidePunctuation(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x3000...0x303F, 0xFF01...0xFF65: return c.value == 0x3000 || Strikethrough.isPunctuation(c)
        default: return false
        }
    }

    /// cmark-gfm's `autolink_delim`: where a link ends once trailing punctuation is left out.
    private static func trailing(_ s: [Unicode.Scalar], start: Int, end: Int) -> Int {
        var end = end
        // Parentheses counted once, then kept up to date as the end moves back.
        var opening = 0, closing = 0
        for k in start..<end { if s[k] == "(" { opening += 1 } else if s[k] == ")" { closing += 1 } }
        while end > start {
            let c = s[end - 1]
            if "?!.,:*_~'\"".unicodeScalars.contains(c) {
                end -= 1
            } else if c == ";" {
                var k = end - 2
                while k > start, s[k].isASCII, s[k].properties.isAlphabetic { k -= 1 }
                let newEnd = k < end - 2 && s[k] == "&" ? k : end - 1
                for d in newEnd..<end { if s[d] == "(" { opening -= 1 } else if s[d] == ")" { closing -= 1 } }
                end = newEnd
            } else if c == ")" {
                if closing <= opening { break }
                closing -= 1
                end -= 1
            } else {
                break
            }
        }
        return end
    }

    private static func isAlnum(_ c: Unicode.Scalar) -> Bool {
        c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))
    }

    /// An e-mail address around the `@` at `at`, not reaching back before `earliest`.
    private static func email(_ s: [Unicode.Scalar], at: Int, earliest: Int) -> (Int, Int)? {
        var start = at
        while start > earliest, isAlnum(s[start - 1]) || ".+-_".unicodeScalars.contains(s[start - 1]) { start -= 1 }
        guard start < at else { return nil }
        var end = at + 1
        var periods = 0
        while end < s.count {
            let c = s[end]
            if isAlnum(c) { end += 1; continue }
            if c == ".", end + 1 < s.count, isAlnum(s[end + 1]) { periods += 1 } else if c != "-" && c != "_" { break }
            end += 1
        }
        guard end - start >= 2, periods > 0, end > at + 1 else { return nil }
        let last = s[end - 1]
        guard (last.isASCII && last.properties.isAlphabetic) || last == "." else { return nil }
        let trimmed = trailing(s, start: start, end: end)
        return trimmed > at + 1 ? (start, trimmed) : nil
    }
}
