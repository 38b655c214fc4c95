import Crypto
import Foundation

/// Which version of a source page a translation was made from: the first 12 hex digits of
/// the SHA-256 of the page's Markdown body (after the front matter, LF line endings).
public enum SourceHash {
    public static let length = 12

    /// The whole SHA-256 of `text`, in hex.
    public static func digest(_ text: some StringProtocol) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    public static func of(body: some StringProtocol) -> String {
        let digest = SHA256.hash(data: Array(body.utf8))
        return digest.prefix(length / 2).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// A SHA-256 fed piece by piece: the key of `monarch build`'s cache is the digest of every
/// input file's path and bytes.
public struct InputDigest {
    private var hasher = SHA256()

    public init() {}

    public mutating func add(_ text: String) {
        hasher.update(data: Array(text.utf8))
        hasher.update(data: [0])
    }

    public mutating func add(_ data: Data) {
        add("\(data.count)")
        hasher.update(data: data)
    }

    public func hex() -> String {
        hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
