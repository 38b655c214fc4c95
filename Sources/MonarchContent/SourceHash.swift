import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which version of a source page a translation was made from: the first 12 hex digits of
/// the SHA-256 of the page's Markdown body (after the front matter, LF line endings).
public enum SourceHash {
    public static let length = 12

    /// The whole SHA-256 of `text`, in hex.
    public static func digest(_ text: some StringProtocol) -> String {
        hex(hash(text), count: SHA256.byteCount)
    }

    /// The whole SHA-256 of a file's bytes (an image), in hex.
    public static func digest(data: Data) -> String {
        hex(SHA256.hash(data: data), count: SHA256.byteCount)
    }

    public static func of(body: some StringProtocol) -> String {
        hex(hash(body), count: length / 2)
    }

    /// Hashed where the text is stored (a page's body is a slice of its file): copying it to
    /// an array went byte by byte through the generic sequence path, twice per page.
    private static func hash(_ text: some StringProtocol) -> SHA256.Digest {
        if let digest = text.utf8.withContiguousStorageIfAvailable({ SHA256.hash(data: UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return SHA256.hash(data: Array(text.utf8))
    }

    /// The first `count` bytes of `digest` as lowercase hex.
    static func hex(_ digest: some Sequence<UInt8>, count: Int) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for byte in digest.prefix(count) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
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

    /// Adds the bytes of the file at `path`, read a chunk at a time (a video beside a page may
    /// be gigabytes), or `unreadable` for what is not a regular file that can be read.
    public mutating func addFile(atPath path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        var info = stat()
        guard fd >= 0 else { return add("unreadable") }
        defer { close(fd) }
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return add("unreadable") }
        add("\(info.st_size)")
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            hasher.update(data: buffer[0..<count])
        }
    }

    public func hex() -> String {
        SourceHash.hex(hasher.finalize(), count: SHA256.byteCount)
    }
}
