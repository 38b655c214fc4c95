/// The string literals of a script (`'...'`, `"..."`, and the text before a template literal's
/// first `${`), with their escapes decoded, skipping comments and regular expression literals.
/// Not a JavaScript parser: a script may build an address in ways no scan can follow; this
/// finds the addresses a script writes out, which is how trackers and CDNs are called.
enum ScriptStrings {
    /// Each literal's value and the byte offset of its first character after the quote.
    static func literals(in bytes: [UInt8]) -> [(value: String, offset: Int)] {
        var found: [(String, Int)] = []
        var index = 0
        // Whether a `/` here would divide (after a value) or start a regular expression.
        var afterValue = false
        // For each open template substitution, the depth of braces inside it.
        var substitutions: [Int] = []
        let keywordsBeforeExpression: Set<String> = ["return", "typeof", "instanceof", "in", "of", "new", "delete",
                                                      "void", "throw", "case", "do", "else", "yield", "await"]
        func at(_ offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }
        func isIdentifier(_ byte: UInt8) -> Bool {
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x5F || byte == 0x24 || byte >= 0x80
        }
        /// Reads an escape after the backslash; a line continuation gives nothing.
        func escape() -> [UInt8] {
            guard let byte = at(index) else { return [] }
            index += 1
            func hex(_ count: Int) -> UInt32? {
                guard index + count <= bytes.count else { return nil }
                let text = String(decoding: bytes[index..<index + count], as: UTF8.self)
                guard let value = UInt32(text, radix: 16) else { return nil }
                index += count
                return value
            }
            func scalar(_ value: UInt32?) -> [UInt8] {
                Array(String(value.flatMap(Unicode.Scalar.init) ?? "\u{FFFD}").utf8)
            }
            switch byte {
            case UInt8(ascii: "n"): return [0x0A]
            case UInt8(ascii: "t"): return [0x09]
            case UInt8(ascii: "r"): return [0x0D]
            case UInt8(ascii: "b"): return [0x08]
            case UInt8(ascii: "f"): return [0x0C]
            case UInt8(ascii: "v"): return [0x0B]
            case UInt8(ascii: "0") where !(at(index).map { (0x30...0x39).contains($0) } ?? false): return [0x00]
            case UInt8(ascii: "x"): return scalar(hex(2))
            case UInt8(ascii: "u"):
                if at(index) == UInt8(ascii: "{") {
                    guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "}")) else { return [] }
                    let value = UInt32(String(decoding: bytes[(index + 1)..<close], as: UTF8.self), radix: 16)
                    index = close + 1
                    return scalar(value)
                }
                return scalar(hex(4))
            case 0x0A: return []
            case 0x0D: if at(index) == 0x0A { index += 1 }; return []
            default:
                // The character itself, all of its bytes.
                var value = [byte]
                while let next = at(index), next & 0xC0 == 0x80 { value.append(next); index += 1 }
                return value
            }
        }
        /// A quoted string, from after its quote.
        func string(_ quote: UInt8) {
            let start = index
            var value: [UInt8] = []
            while let byte = at(index), byte != quote, byte != 0x0A {
                index += 1
                if byte == 0x5C { value += escape() } else { value.append(byte) }
            }
            if at(index) == quote { index += 1 }
            found.append((String(decoding: value, as: UTF8.self), start))
        }
        /// A template literal's text, from after the backtick or a substitution's `}`; stops
        /// after the closing backtick or after `${`.
        func template(first: Bool) {
            let start = index
            var value: [UInt8] = []
            while let byte = at(index) {
                index += 1
                if byte == 0x60 { break }
                if byte == 0x24, at(index) == 0x7B {
                    index += 1
                    substitutions.append(0)
                    break
                }
                if byte == 0x5C { value += escape() } else { value.append(byte) }
            }
            if first { found.append((String(decoding: value, as: UTF8.self), start)) }
        }

        while let byte = at(index) {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B:
                index += 1
            case 0x2F where at(index + 1) == 0x2F:
                while let next = at(index), next != 0x0A { index += 1 }
            case 0x2F where at(index + 1) == 0x2A:
                index += 2
                while index < bytes.count, !(bytes[index] == 0x2A && at(index + 1) == 0x2F) { index += 1 }
                index = min(index + 2, bytes.count)
            case 0x2F where !afterValue:
                // A regular expression literal: up to the `/` outside a class, then its flags.
                index += 1
                var inClass = false
                while let next = at(index), next != 0x0A {
                    index += 1
                    if next == 0x5C { index += 1 }
                    else if next == 0x5B { inClass = true }
                    else if next == 0x5D { inClass = false }
                    else if next == 0x2F, !inClass { break }
                }
                while let next = at(index), isIdentifier(next) { index += 1 }
                afterValue = true
            case 0x22, 0x27:
                index += 1
                string(byte)
                afterValue = true
            case 0x60:
                index += 1
                template(first: true)
                afterValue = true
            case 0x7B:
                index += 1
                if !substitutions.isEmpty { substitutions[substitutions.count - 1] += 1 }
                afterValue = false
            case 0x7D:
                index += 1
                if let depth = substitutions.last {
                    if depth == 0 {
                        substitutions.removeLast()
                        template(first: false)
                        afterValue = true
                        continue
                    }
                    substitutions[substitutions.count - 1] -= 1
                }
                afterValue = false
            case 0x29, 0x5D:
                index += 1
                afterValue = true
            case _ where isIdentifier(byte):
                let start = index
                while let next = at(index), isIdentifier(next) { index += 1 }
                afterValue = !keywordsBeforeExpression.contains(String(decoding: bytes[start..<index], as: UTF8.self))
            default:
                index += 1
                afterValue = false
            }
        }
        return found
    }

    /// Whether a literal is an address on another host, or the start of one (`"https://"`,
    /// `"//"`): it starts with `//` or with `http:`/`https:` (any case, `\` for `/`, after
    /// blanks), as the browser would read it.
    static func isOffSiteAddress(_ literal: String) -> Bool {
        if BrowserURL.isOffSite(literal) { return true }
        let cleaned = String(String.UnicodeScalarView(BrowserURL.cleaned(literal))).lowercased()
        let unslashed = cleaned.replacingOccurrences(of: "\\", with: "/")
        return unslashed.hasPrefix("//") || unslashed.hasPrefix("http:/") || unslashed.hasPrefix("https:/")
            || unslashed.hasPrefix("ws:/") || unslashed.hasPrefix("wss:/")
    }
}
