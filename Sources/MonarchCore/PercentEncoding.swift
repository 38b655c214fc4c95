import Foundation

/// Percent-encoding, one function per purpose: what may stay as it is differs between an
/// `href` between pages (letters of any script), an address that leaves the site (ASCII only)
/// and a link in a PDF (which cairo and PDF strings also constrain). A Markdown link's `href`
/// is escaped as cmark does it, by `HTMLEscaping.escapeHref` in MonarchMarkdown (percent and
/// HTML escapes in one pass, the same bytes as cmark's renderer).
public enum PercentEncoding {
    /// One path segment as it may stand in a relative `href` between the site's pages: the
    /// ASCII characters a URL path cannot hold as they are (controls, space, `"`, `#`, `%`,
    /// `<`, `>`, `?`, `[`, `\`, `]`, `^`, backtick, `{`, `|`, `}`) percent-encoded; letters of
    /// any script kept (HTML takes IRIs), so a Thai or Chinese page name costs no more bytes
    /// than it has. A page file named `my page.md` is linked as `my%20page/`, which the Nu
    /// HTML Checker accepts.
    public static func hrefSegment<S: StringProtocol>(_ segment: S) -> String {
        var out: [UInt8] = []
        appendHrefSegment(Array(segment.utf8)[...], to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `hrefSegment` on bytes, appended to `out`: every link of every page is made this way.
    public static func appendHrefSegment(_ segment: ArraySlice<UInt8>, to out: inout [UInt8]) {
        for byte in segment {
            if hrefEscaped[Int(byte)] {
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            } else {
                out.append(byte)
            }
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// By byte: controls, space, DEL and `"#%<>?[\]^`{|}`.
    private static let hrefEscaped: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in 0..<0x21 { table[byte] = true }
        table[0x7F] = true
        for byte in ##""#%<>?[\]^`{|}"##.utf8 { table[Int(byte)] = true }
        return table
    }()

    /// An output path (`th/สิทธิ/`) as the path of an absolute address, all ASCII: for the
    /// canonical address, the sitemap, a pamphlet's web address and QR code, the offline list
    /// and the preview's redirects. Slashes are kept; `?`, `#` and every byte outside what
    /// RFC 3986 allows in a path are encoded.
    public static func uriPath(_ path: String) -> String {
        // Most paths are plain ASCII that needs no escape: skip Foundation's slower encoder.
        if !path.containsByte(where: { !plainPathBytes[Int($0)] }) { return path }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    /// By byte: letters, digits and the characters RFC 3986 allows in a path as they are.
    private static let plainPathBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = true }
        for byte in "-._~/!$&'()*+,;=:@".utf8 { table[Int(byte)] = true }
        return table
    }()

    /// An address as a PDF link (and a QR code) holds it: every byte outside printable ASCII,
    /// and the characters that a PDF string or a cairo link attribute would need escaped,
    /// percent-encoded.
    public static func pdfAddress(_ address: String) -> String {
        var out: [UInt8] = []
        for byte in address.utf8 {
            switch byte {
            case 0x21...0x7E where !pdfEscaped.contains(byte):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let pdfEscaped = Set("()\\'<>\"{}|^`[]".utf8)
}
