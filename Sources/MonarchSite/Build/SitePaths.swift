import Foundation
import MonarchCore

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
        // On arrays of UTF-8 bytes: every link of every page is made here, and splitting into
        // Characters (grapheme clusters), then the generic UTF8View split, were 4% and 1.3% of
        // a build.
        let from = Array(folder.utf8)
        let to = Array(target.utf8)
        let fromParts = segments(from)
        let toParts = segments(to)
        let slash = UInt8(ascii: "/")
        let targetIsFolder = to.isEmpty || to.last == slash
        let limit = min(fromParts.count, toParts.count - (targetIsFolder ? 0 : 1))
        var common = 0
        while common < limit, from[fromParts[common]] == to[toParts[common]] {
            common += 1
        }
        var url: [UInt8] = []
        url.reserveCapacity(3 * (fromParts.count - common) + to.count + 4)
        for _ in common..<fromParts.count { url += [UInt8(ascii: "."), UInt8(ascii: "."), slash] }
        for index in common..<toParts.count {
            if index > common { url.append(slash) }
            PercentEncoding.appendHrefSegment(to[toParts[index]], to: &url)
        }
        if targetIsFolder, common < toParts.count { url.append(slash) }
        if url.isEmpty { return "./" }
        // A first segment with a colon would be read as a scheme: a page named
        // `javascript:alert(1)%2F%2F.md` must stay a path.
        if common < toParts.count, common == fromParts.count, to[toParts[common]].contains(UInt8(ascii: ":")) {
            url.insert(contentsOf: [UInt8(ascii: "."), slash], at: 0)
        }
        return String(decoding: url, as: UTF8.self)
    }

    /// The ranges of the non-empty segments between slashes.
    private static func segments(_ bytes: [UInt8]) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "/") {
            if index > start { parts.append(start..<index) }
            start = index + 1
        }
        return parts
    }

    /// Resolves `relative` against folder `base` (both inside one language folder), removing `.`
    /// and `..`. Nil when it climbs above the language folder.
    /// The output path a page's resolved link leads to (`links`' values are percent-encoded
    /// and relative to the page's folder); nil for another site, a scheme or a root address.
    static func linkTarget(_ url: String, from folder: String) -> String? {
        let encoded = url.split(whereSeparator: { $0 == "#" || $0 == "?" }).first.map(String.init) ?? ""
        guard !encoded.isEmpty, !encoded.contains(":"), !encoded.hasPrefix("/") else { return nil }
        return resolve(encoded.removingPercentEncoding ?? encoded, against: folder)
    }

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
