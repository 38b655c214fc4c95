import Foundation

/// Output locations and the relative URLs between them. Every internal link is relative, so
/// the site works from any sub-path of any static host.
enum SitePaths {
    /// Folder of a page in the output: `en/police/stop/` (home: `en/`).
    static func pageFolder(languageKey: String, path: String) -> String {
        path.isEmpty ? "\(languageKey)/" : "\(languageKey)/\(path)/"
    }

    /// The file a page is written to: `en/police/stop/index.html`.
    static func pageFile(languageKey: String, path: String) -> String {
        pageFolder(languageKey: languageKey, path: path) + "index.html"
    }

    /// Relative URL from a page folder (ending in `/`, "" for the root) to `target`, an output
    /// path (a folder ending in `/`, or a file).
    static func relative(from folder: String, to target: String) -> String {
        // On UTF-8 bytes: every link of every page is made here, and splitting into Characters
        // (grapheme clusters) cost 4% of a 5,000-page build.
        let slash = UInt8(ascii: "/")
        let from = folder.utf8.split(separator: slash)
        let to = target.utf8.split(separator: slash)
        let targetIsFolder = target.isEmpty || target.utf8.last == slash
        let limit = min(from.count, to.count - (targetIsFolder ? 0 : 1))
        var common = 0
        while common < limit, from[common].elementsEqual(to[common]) {
            common += 1
        }
        var url = String(repeating: "../", count: from.count - common)
        for index in common..<to.count {
            if index > common { url += "/" }
            url += hrefSegment(Substring(to[index]))
        }
        if targetIsFolder, common < to.count { url += "/" }
        if url.isEmpty { return "./" }
        // A first segment with a colon would be read as a scheme: a page named
        // `javascript:alert(1)%2F%2F.md` must stay a path.
        if common < to.count, common == from.count, to[common].contains(UInt8(ascii: ":")) { return "./" + url }
        return url
    }

    /// One path segment as it may stand in an `href`: the ASCII characters a URL path cannot
    /// hold as they are (controls, space, `"`, `#`, `%`, `<`, `>`, `?`, `[`, `\`, `]`, `^`,
    /// backtick, `{`, `|`, `}`) percent-encoded; letters of any script kept (HTML takes IRIs),
    /// so a Thai or Chinese page name costs no more bytes than it has. A page file named
    /// `my page.md` is linked as `my%20page/`, which the Nu HTML Checker accepts.
    static func hrefSegment<S: StringProtocol>(_ segment: S) -> String {
        guard segment.utf8.contains(where: needsHrefEscape) else { return String(segment) }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in segment.utf8 {
            if needsHrefEscape(byte) {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func needsHrefEscape(_ byte: UInt8) -> Bool {
        hrefEscaped[Int(byte)]
    }

    /// By byte: controls, space, DEL and `"#%<>?[\]^`{|}`; every link of every page asks.
    private static let hrefEscaped: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in 0..<0x21 { table[byte] = true }
        table[0x7F] = true
        for byte in ##""#%<>?[\]^`{|}"##.utf8 { table[Int(byte)] = true }
        return table
    }()

    /// Percent-encodes each segment of an output path for use in a URL.
    static func encoded(_ path: String) -> String {
        // Most paths are plain ASCII that needs no escape: skip Foundation's slower encoder.
        if path.utf8.allSatisfy(isPlainPathByte) { return path }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    /// Letters, digits and the characters RFC 3986 allows in a path as they are.
    private static func isPlainPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~/!$&'()*+,;=:@".utf8.contains(byte)
        }
    }

    /// Resolves `relative` against folder `base` (both inside one language folder), removing `.`
    /// and `..`. Nil when it climbs above the language folder.
    static func resolve(_ relative: String, against base: String) -> String? {
        var parts = base.split(separator: "/").map(String.init)
        for part in relative.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if parts.isEmpty { return nil }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }
}
