import Foundation

/// Reads a site file as text: UTF-8 only (a byte-order mark is accepted and dropped),
/// CRLF and CR line endings turned into LF so line numbers stay right.
public enum TextFile {
    public enum Failure: Error, Equatable {
        case unreadable(String)
        case notUTF8(line: Int, column: Int, detail: String)
        /// Over the `limit` given to `read`: not read at all.
        case tooLarge(bytes: Int)
    }

    /// With `limit`, a file of more bytes is not read (`.tooLarge`), as its size says when it
    /// is opened. Plain open/fstat/read: Foundation's `Data(contentsOf:)` added path
    /// conversions and a copy to every page of a build. Opened without blocking and read only
    /// if it is a regular file: a FIFO in the site's place must not hang a build.
    public static func read(_ url: URL, limit: Int? = nil) -> Result<String, Failure> {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .failure(unreadable(errno)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(unreadable(errno)) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return .failure(.unreadable("is not a regular file (a FIFO, socket, device or folder); replace it with a file"))
        }
        if let limit, info.st_size > limit { return .failure(.tooLarge(bytes: Int(info.st_size))) }
        // The size as fstat gave it, then on to the end: a file that grows meanwhile is read whole.
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096))) }
            let got = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + count, $0.count - count) }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(unreadable(errno))
            }
            if got == 0 { break }
            count += got
            if let limit, count > limit { return .failure(.tooLarge(bytes: count)) }
        }
        bytes.removeLast(bytes.count - count)
        return decode(bytes)
    }

    private static func unreadable(_ code: Int32) -> Failure {
        .unreadable("cannot read the file (\(String(cString: strerror(code))))")
    }

    public static func decode(_ data: Data) -> Result<String, Failure> {
        decode([UInt8](data))
    }

    public static func decode(_ bytes: [UInt8]) -> Result<String, Failure> {
        var bytes = bytes
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return .failure(.notUTF8(line: 1, column: 1,
                detail: "the file is UTF-16; save it as UTF-8"))
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        }
        // The standard library's check (it skips ASCII many bytes at a time); the byte-by-byte
        // one only to say where a file goes wrong.
        var text: String
        if let valid = String(validating: bytes, as: UTF8.self) {
            text = valid
        } else if let offset = firstInvalidUTF8Offset(bytes) {
            var line = 1
            var column = 1
            for byte in bytes[..<offset] {
                if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            return .failure(.notUTF8(line: line, column: column,
                detail: String(format: "invalid UTF-8 (byte 0x%02X); save the file as UTF-8", bytes[offset])))
        } else {
            text = String(decoding: bytes, as: UTF8.self)
        }
        if bytes.contains(0x0D) {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return .success(text)
    }

    /// Index of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            var length = 0
            var minimum: UInt32 = 0
            var scalar: UInt32 = 0
            switch b {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
            default: return i
            }
            if i + length > n { return i }
            for k in 1..<length {
                let c = bytes[i + k]
                if c & 0xC0 != 0x80 { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += length
        }
        return nil
    }
}

extension TextFile.Failure {
    /// The failure as a diagnostic for `path`.
    public func diagnostic(path: String) -> Diagnostic {
        switch self {
        case .unreadable(let detail):
            return .error(SourceLocation(path: path), detail)
        case .notUTF8(let line, let column, let detail):
            return .error(SourceLocation(path: path, line: line, column: column), detail)
        case .tooLarge(let bytes):
            return .error(SourceLocation(path: path, line: 1, column: 1),
                          String(format: "the file is %.1f MiB, too large to read; make it smaller", Double(bytes) / 1_048_576))
        }
    }
}
