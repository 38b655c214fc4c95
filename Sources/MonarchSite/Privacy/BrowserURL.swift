import Foundation

/// What a browser makes of an address written in a page, as far as privacy goes: the parts of
/// the WHATWG URL parser that decide whether a request leaves the site. A page of the site has a
/// special scheme (http, https), so `\` counts as `/`; C0 controls and spaces around the
/// address and tabs and newlines inside it are dropped before anything else.
enum BrowserURL {
    enum Reading: Equatable {
        /// Relative, site-absolute or a fragment: the site's own host.
        case local
        /// Another host: scheme-relative (`//host`, `\\host`, `/\t/host`) or absolute
        /// (`https:host`, `ftp://host`, `anything://host`).
        case offSite
        /// `javascript:` and its (percent-decoded) source.
        case script(String)
        /// `data:` with its media type (lowercased, without parameters) and decoded body.
        case data(mediaType: String, body: String)
        /// Another scheme with no host (`mailto:`, `tel:`, `about:blank`, `blob:`).
        case otherScheme(String)
    }

    static let specialSchemes: Set<String> = ["http", "https", "ws", "wss", "ftp", "file"]

    /// The address as the URL parser sees it before reading it: no leading or trailing C0
    /// control or space, no tab or newline anywhere.
    static func cleaned(_ address: String) -> Substring.UnicodeScalarView {
        var scalars = Substring(address).unicodeScalars
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return scalars
    }

    static func read(_ address: String) -> Reading {
        let scalars = cleaned(address)
        func isSlash(_ scalar: Unicode.Scalar) -> Bool { scalar == "/" || scalar == "\\" }
        var scheme = ""
        var index = scalars.startIndex
        if let first = scalars.first, first.isASCII, first.properties.isAlphabetic {
            var cursor = scalars.startIndex
            while cursor < scalars.endIndex, scalars[cursor].isASCII,
                  scalars[cursor].properties.isAlphabetic || ("0"..."9").contains(scalars[cursor]) || "+-.".unicodeScalars.contains(scalars[cursor]) {
                cursor = scalars.index(after: cursor)
            }
            if cursor < scalars.endIndex, scalars[cursor] == ":" {
                scheme = String(String.UnicodeScalarView(scalars[..<cursor])).lowercased()
                index = scalars.index(after: cursor)
            }
        }
        let rest = scalars[index...]
        if scheme.isEmpty {
            // Scheme-relative: two slashes, either way round.
            if rest.count >= 2, isSlash(rest[rest.startIndex]), isSlash(rest[rest.index(after: rest.startIndex)]) { return .offSite }
            return .local
        }
        let body = String(String.UnicodeScalarView(rest))
        switch scheme {
        case "javascript":
            return .script(body.removingPercentEncoding ?? body)
        case "data":
            return data(body)
        case _ where specialSchemes.contains(scheme):
            // `https:host`, `https:/\host`: any number of slashes, then a host. Without a host
            // (`http:` compared with `location.protocol`, `file:///x`) nothing is contacted.
            let host = rest.drop(while: isSlash).prefix { !isSlash($0) && $0 != "?" && $0 != "#" }
            return host.isEmpty ? .otherScheme(scheme) : .offSite
        default:
            // A scheme the browser does not fetch, unless it names a host (`foo://host`).
            if rest.count >= 2, rest[rest.startIndex] == "/", rest[rest.index(after: rest.startIndex)] == "/" { return .offSite }
            return .otherScheme(scheme)
        }
    }

    static func isOffSite(_ address: String) -> Bool { read(address) == .offSite }

    /// `data:[type][;base64],body`.
    private static func data(_ body: String) -> Reading {
        guard let comma = body.firstIndex(of: ",") else { return .data(mediaType: "", body: "") }
        let header = body[..<comma].lowercased()
        let payload = String(body[body.index(after: comma)...])
        let mediaType = header.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        var decoded = payload.removingPercentEncoding ?? payload
        if header.split(separator: ";").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "base64" }) {
            let compact = decoded.filter { !$0.isWhitespace }
            let padded = compact + String(repeating: "=", count: (4 - compact.count % 4) % 4)
            decoded = Data(base64Encoded: padded).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return .data(mediaType: mediaType, body: decoded)
    }
}
