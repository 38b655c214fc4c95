/// The tokenizer of CSS Syntax Level 3 (§4), as a browser reads a stylesheet, a `<style>` or a
/// `style=""`: comments, escapes in names (`u\72l(`), `url(` in any case, quoted and unquoted
/// `url()`, strings. Written here because no Debian package offers a CSS tokenizer to C or
/// Swift; it follows the spec's algorithm step by step and keeps only what the privacy check
/// needs from each token.
struct CSSTokenizer {
    enum Kind: Equatable {
        case ident(String), function(String), atKeyword(String), string(String), url(String)
        case badString, badURL, whitespace, openParen, closeParen, semicolon, openBrace, closeBrace, other
    }

    struct Token {
        var kind: Kind
        /// Byte offset of the token's value: a string's first character after the quote, a
        /// url's first character after `url(` and its blanks, else the token's own start.
        var offset: Int
    }

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func tokens(_ bytes: [UInt8]) -> [Token] {
        var tokenizer = CSSTokenizer(bytes)
        var result: [Token] = []
        while let token = tokenizer.next() { result.append(token) }
        return result
    }

    private func at(_ offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }
    private var current: UInt8? { at(index) }

    private static func isWhitespace(_ byte: UInt8?) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D }
    private static func isHex(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte) }
    private static func isDigit(_ byte: UInt8?) -> Bool { byte.map { (0x30...0x39).contains($0) } ?? false }
    private static func isNameStart(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte >= 0x80
    }
    private static func isName(_ byte: UInt8?) -> Bool { isNameStart(byte) || isDigit(byte) || byte == 0x2D }
    private static func isValidEscape(_ first: UInt8?, _ second: UInt8?) -> Bool { first == 0x5C && second != 0x0A && second != 0x0C && second != 0x0D }

    private func startsIdent(_ offset: Int) -> Bool {
        let first = at(offset)
        if first == 0x2D {
            return Self.isNameStart(at(offset + 1)) || at(offset + 1) == 0x2D || Self.isValidEscape(at(offset + 1), at(offset + 2))
        }
        if Self.isNameStart(first) { return true }
        return Self.isValidEscape(first, at(offset + 1))
    }

    private func startsNumber(_ offset: Int) -> Bool {
        let first = at(offset)
        if first == 0x2B || first == 0x2D {
            return Self.isDigit(at(offset + 1)) || (at(offset + 1) == 0x2E && Self.isDigit(at(offset + 2)))
        }
        if first == 0x2E { return Self.isDigit(at(offset + 1)) }
        return Self.isDigit(first)
    }

    mutating func next() -> Token? {
        // Comments are not tokens.
        while current == 0x2F, at(index + 1) == 0x2A {
            index += 2
            while index < bytes.count, !(bytes[index] == 0x2A && at(index + 1) == 0x2F) { index += 1 }
            index = min(index + 2, bytes.count)
        }
        guard let byte = current else { return nil }
        let start = index
        switch byte {
        case _ where Self.isWhitespace(byte):
            while Self.isWhitespace(current) { index += 1 }
            return Token(kind: .whitespace, offset: start)
        case 0x22, 0x27:
            index += 1
            return Token(kind: consumeString(ending: byte), offset: start + 1)
        case 0x28: index += 1; return Token(kind: .openParen, offset: start)
        case 0x29: index += 1; return Token(kind: .closeParen, offset: start)
        case 0x3B: index += 1; return Token(kind: .semicolon, offset: start)
        case 0x7B: index += 1; return Token(kind: .openBrace, offset: start)
        case 0x7D: index += 1; return Token(kind: .closeBrace, offset: start)
        case 0x23:
            index += 1
            if Self.isName(current) || Self.isValidEscape(current, at(index + 1)) { _ = consumeName() }
            return Token(kind: .other, offset: start)
        case 0x2B, 0x2E:
            if startsNumber(index) { consumeNumeric() } else { index += 1 }
            return Token(kind: .other, offset: start)
        case 0x2D:
            if startsNumber(index) { consumeNumeric(); return Token(kind: .other, offset: start) }
            if at(index + 1) == 0x2D, at(index + 2) == 0x3E { index += 3; return Token(kind: .other, offset: start) }
            if startsIdent(index) { return consumeIdentLike() }
            index += 1
            return Token(kind: .other, offset: start)
        case 0x3C:
            index += at(index + 1) == 0x21 && at(index + 2) == 0x2D && at(index + 3) == 0x2D ? 4 : 1
            return Token(kind: .other, offset: start)
        case 0x40:
            index += 1
            if startsIdent(index) { return Token(kind: .atKeyword(consumeName()), offset: start) }
            return Token(kind: .other, offset: start)
        case 0x5C:
            if Self.isValidEscape(byte, at(index + 1)) { return consumeIdentLike() }
            index += 1
            return Token(kind: .other, offset: start)
        case _ where Self.isDigit(byte):
            consumeNumeric()
            return Token(kind: .other, offset: start)
        case _ where Self.isNameStart(byte):
            return consumeIdentLike()
        default:
            index += 1
            return Token(kind: .other, offset: start)
        }
    }

    /// §4.3.7: after the backslash.
    private mutating func consumeEscape() -> [UInt8] {
        guard let byte = current else { return Array("\u{FFFD}".utf8) }
        if Self.isHex(byte) {
            var value: UInt32 = 0
            var count = 0
            while count < 6, let digit = current, Self.isHex(digit) {
                value = value * 16 + UInt32(Character(Unicode.Scalar(digit)).hexDigitValue!)
                index += 1
                count += 1
            }
            if Self.isWhitespace(current) { index += 1 }
            let scalar = value == 0 ? nil : Unicode.Scalar(value)
            return Array(String(scalar ?? "\u{FFFD}").utf8)
        }
        // One whole character, however many bytes it takes.
        var length = 1
        if byte >= 0xF0 { length = 4 } else if byte >= 0xE0 { length = 3 } else if byte >= 0xC0 { length = 2 }
        let end = min(index + length, bytes.count)
        defer { index = end }
        return Array(bytes[index..<end])
    }

    private mutating func consumeName() -> String {
        var result: [UInt8] = []
        while true {
            if Self.isName(current) { result.append(current!); index += 1 }
            else if Self.isValidEscape(current, at(index + 1)) { index += 1; result += consumeEscape() }
            else { break }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private mutating func consumeNumeric() {
        if current == 0x2B || current == 0x2D { index += 1 }
        while Self.isDigit(current) { index += 1 }
        if current == 0x2E, Self.isDigit(at(index + 1)) {
            index += 1
            while Self.isDigit(current) { index += 1 }
        }
        if current == 0x45 || current == 0x65 {
            if Self.isDigit(at(index + 1)) { index += 1 }
            else if at(index + 1) == 0x2B || at(index + 1) == 0x2D, Self.isDigit(at(index + 2)) { index += 2 }
            while Self.isDigit(current) { index += 1 }
        }
        if startsIdent(index) { _ = consumeName() } else if current == 0x25 { index += 1 }
    }

    /// §4.3.4: `url(` in any case, written with escapes or not, is a url token unless a quote
    /// follows (then it is the function `url` and a string).
    private mutating func consumeIdentLike() -> Token {
        let start = index
        let name = consumeName()
        if name.lowercased() == "url", current == 0x28 {
            index += 1
            while Self.isWhitespace(current), Self.isWhitespace(at(index + 1)) { index += 1 }
            let next = Self.isWhitespace(current) ? at(index + 1) : current
            if next == 0x22 || next == 0x27 { return Token(kind: .function("url"), offset: start) }
            return consumeURL()
        }
        if current == 0x28 {
            index += 1
            return Token(kind: .function(name.lowercased()), offset: start)
        }
        return Token(kind: .ident(name), offset: start)
    }

    private mutating func consumeURL() -> Token {
        while Self.isWhitespace(current) { index += 1 }
        let start = index
        var value: [UInt8] = []
        while let byte = current {
            switch byte {
            case 0x29:
                index += 1
                return Token(kind: .url(String(decoding: value, as: UTF8.self)), offset: start)
            case _ where Self.isWhitespace(byte):
                while Self.isWhitespace(current) { index += 1 }
                if current == nil || current == 0x29 { continue }
                consumeBadURL()
                return Token(kind: .badURL, offset: start)
            case 0x22, 0x27, 0x28, 0x00...0x08, 0x0B, 0x0E...0x1F, 0x7F:
                consumeBadURL()
                return Token(kind: .badURL, offset: start)
            case 0x5C:
                guard Self.isValidEscape(byte, at(index + 1)) else {
                    consumeBadURL()
                    return Token(kind: .badURL, offset: start)
                }
                index += 1
                value += consumeEscape()
            default:
                value.append(byte)
                index += 1
            }
        }
        return Token(kind: .url(String(decoding: value, as: UTF8.self)), offset: start)
    }

    private mutating func consumeBadURL() {
        while let byte = current {
            if byte == 0x29 { index += 1; return }
            if Self.isValidEscape(byte, at(index + 1)) { index += 1; _ = consumeEscape() } else { index += 1 }
        }
    }

    private mutating func consumeString(ending: UInt8) -> Kind {
        var value: [UInt8] = []
        while let byte = current {
            if byte == ending { index += 1; break }
            if byte == 0x0A || byte == 0x0C || byte == 0x0D { return .badString }
            if byte == 0x5C {
                if at(index + 1) == nil { index += 1; continue }
                if at(index + 1) == 0x0A || at(index + 1) == 0x0C || at(index + 1) == 0x0D { index += 2; continue }
                index += 1
                value += consumeEscape()
                continue
            }
            value.append(byte)
            index += 1
        }
        return .string(String(decoding: value, as: UTF8.self))
    }
}

extension CSSTokenizer {
    /// Every address a stylesheet (or a declaration list: `style=""`) makes the browser load:
    /// `url()` in any form, the strings of `@import`, and of `src()`, `image()`,
    /// `image-set()`, `-webkit-image-set()`. `@namespace` names, never loads.
    static func addresses(in bytes: [UInt8]) -> [(address: String, offset: Int)] {
        var found: [(String, Int)] = []
        var functions: [String] = []
        var atRule: String?
        var atRuleTokens = 0
        for token in tokens(bytes) {
            switch token.kind {
            case .url(let value):
                if atRule != "namespace" { found.append((value, token.offset)) }
            case .string(let value):
                let function = functions.last ?? ""
                if atRule == "namespace" { break }
                if ["url", "src", "image"].contains(function) || function.hasSuffix("image-set")
                    || (atRule == "import" && atRuleTokens == 0 && functions.isEmpty) {
                    found.append((value, token.offset))
                }
            case .function(let name): functions.append(name)
            case .openParen: functions.append("")
            case .closeParen: _ = functions.popLast()
            case .atKeyword(let name):
                atRule = name.lowercased()
                atRuleTokens = 0
                continue
            case .semicolon, .openBrace, .closeBrace:
                atRule = nil
                functions.removeAll()
            default: break
            }
            if token.kind != .whitespace { atRuleTokens += 1 }
        }
        return found
    }
}
