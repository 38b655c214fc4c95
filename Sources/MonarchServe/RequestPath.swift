import Foundation
import MonarchCore

/// A request's path, checked: the output-relative path it names, or nothing when it could
/// name anything outside the output folder.
///
/// The raw, still percent-encoded path of the request line is checked segment by segment
/// after decoding, so that `..`, `%2e%2e`, `%2f` inside a segment, backslashes (raw or
/// `%5c`), NUL bytes, empty segments (`//etc`) and targets that are not a path (`http://...`,
/// `*`) are all refused. FlyingFox's own `request.path` has dot segments already removed,
/// which would hide a traversal attempt, so it is not used.
public struct RequestPath: Equatable, Sendable {
    /// Decoded segments joined by `/`; "" for the root.
    public let path: String
    /// The request ended in `/` (or was the root): it names a folder.
    public let namesFolder: Bool

    public init?(rawPath: String) {
        guard rawPath.hasPrefix("/"), !rawPath.contains("\\") else { return nil }
        var parts = rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        let folder = parts.last?.isEmpty ?? true
        if folder, !parts.isEmpty { parts.removeLast() }
        var segments: [String] = []
        for part in parts {
            guard let decoded = String(part).removingPercentEncoding,
                  !decoded.isEmpty, decoded != ".", decoded != "..",
                  !decoded.contains("/"), !decoded.contains("\\"),
                  !decoded.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            else { return nil }
            segments.append(decoded)
        }
        path = segments.joined(separator: "/")
        namesFolder = folder
    }

    /// The output files this path may name, in order: a folder's `index.html`, else the file.
    public var indexFile: String { path.isEmpty ? "index.html" : path + "/index.html" }

    /// The path percent-encoded again, for a `Location` header: `/th/%E0%B8%...`.
    public var encoded: String {
        "/" + PercentEncoding.uriPath(path)
    }
}
