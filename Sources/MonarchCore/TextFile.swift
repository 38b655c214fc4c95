import Foundation

/// Reads a site file as text: UTF-8 only (a byte-order mark is accepted and dropped),
/// CRLF and CR line endings turned into LF so line numbers stay right.
public enum TextFile {
    public enum Failure: Error, Equatable {
        case unreadable(String)
        case notUTF8(line: Int, column: Int, detail: String)
    }

    public static func read(_ url: URL) -> Result<String, Failure> {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return .failure(.unreadable("cannot read the file (\(error.localizedDescription))"))
        }
        return decode(data)
    }

    public static func decode(_ data: Data) -> Result<String, Failure> {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return .failure(.notUTF8(line: 1, column: 1,
                detail: "the file is UTF-16; save it as UTF-8"))
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes.removeFirst(3)
        }
        if let offset = firstInvalidUTF8Offset(bytes) {
            var line = 1
            var column = 1
            for byte in bytes[..<offset] {
                if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            return .failure(.notUTF8(line: line, column: column,
                detail: String(format: "invalid UTF-8 (byte 0x%02X); save the file as UTF-8", bytes[offset])))
        }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.utf8.contains(0x0D) {
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
        }
    }
}
