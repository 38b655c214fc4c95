/// The escaping cmark's HTML renderer does (houdini's `escape_html` without the secure
/// flag, and `escape_href`), and cmark's test for dangerous link schemes.
public enum HTMLEscaping {
    /// `&`, `<`, `>` and `"` as entities, byte by byte; everything else unchanged.
    public static func escapeHTML(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        appendHTML(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A URL for an `href` or `src` attribute: bytes outside cmark's safe set become `%XX`,
    /// `&` becomes `&amp;` and `'` becomes `&#x27;`.
    public static func escapeHref(_ url: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(url.utf8.count + 16)
        appendHref(url, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// True for destinations cmark drops unless `--unsafe`: `javascript:`, `vbscript:`,
    /// `file:` and `data:` other than `data:image/png|gif|jpeg|webp` (ASCII case-insensitive).
    public static func isDangerousURL(_ url: String) -> Bool {
        var bytes = url.utf8.prefix(16).makeIterator()
        var lower: [UInt8] = []
        lower.reserveCapacity(16)
        while let b = bytes.next() {
            lower.append(b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
        }
        func hasPrefix(_ p: StaticString) -> Bool {
            let n = p.utf8CodeUnitCount
            guard lower.count >= n else { return false }
            let start = p.utf8Start
            for i in 0..<n where lower[i] != start[i] { return false }
            return true
        }
        if hasPrefix("data:image/png") || hasPrefix("data:image/gif")
            || hasPrefix("data:image/jpeg") || hasPrefix("data:image/webp") {
            return false
        }
        return hasPrefix("javascript:") || hasPrefix("vbscript:") || hasPrefix("file:") || hasPrefix("data:")
    }

    // MARK: - Byte-level appenders used by the renderer

    static func appendHTML(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendHTML($0, to: &out) }
    }

    /// Byte by byte, never by Character: a quote that a combining mark follows is still a quote
    /// to an HTML parser. With `apostrophe`, `'` becomes `&#39;` too (as Mustache escapes).
    public static func appendHTML(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8], apostrophe: Bool = false) {
        var start = 0
        for i in 0..<bytes.count {
            let entity: StaticString
            switch bytes[i] {
            case UInt8(ascii: "&"): entity = "&amp;"
            case UInt8(ascii: "<"): entity = "&lt;"
            case UInt8(ascii: ">"): entity = "&gt;"
            case UInt8(ascii: "\""): entity = "&quot;"
            case UInt8(ascii: "'") where apostrophe: entity = "&#39;"
            default: continue
            }
            if i > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
            appendStatic(entity, to: &out)
            start = i + 1
        }
        if bytes.count > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
    }

    static func appendHref(_ url: String, to out: inout [UInt8]) {
        var url = url
        url.withUTF8 { bytes in
            let hex = Array("0123456789ABCDEF".utf8)
            var start = 0
            for i in 0..<bytes.count {
                let b = bytes[i]
                if hrefSafe[Int(b)] { continue }
                if i > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                switch b {
                case UInt8(ascii: "&"): appendStatic("&amp;", to: &out)
                case UInt8(ascii: "'"): appendStatic("&#x27;", to: &out)
                default:
                    out.append(UInt8(ascii: "%"))
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0xF)])
                }
                start = i + 1
            }
            if bytes.count > start { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
    }

    static func appendStatic(_ s: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Bytes cmark 0.30 leaves as they are in a URL: `-_.+!*(),%#@?=;:/$~`, digits, letters.
    private static let hrefSafe: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for b in "-_.+!*(),%#@?=;:/$~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8 {
            table[Int(b)] = true
        }
        return table
    }()
}
