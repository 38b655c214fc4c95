import Crypto

/// Which version of a source page a translation was made from: the first 12 hex digits of
/// the SHA-256 of the page's Markdown body (after the front matter, LF line endings).
public enum SourceHash {
    public static let length = 12

    public static func of(body: some StringProtocol) -> String {
        let digest = SHA256.hash(data: Array(body.utf8))
        return digest.prefix(length / 2).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
