import Foundation
import MonarchCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small ZIP archive writer (PKWARE APPNOTE 6.3.x, the subset every unzipper reads): local
/// file headers, data, a central directory and its end record; no ZIP64 (an archive and each
/// file stay under 4 GB and 65535 entries, far above a site), no encryption, no extra fields.
///
/// Compression is raw deflate from the system's zlib (`compress2` at level 9, its 2-byte
/// header and 4-byte Adler-32 trailer removed, which leaves the raw deflate stream ZIP
/// stores), loaded with `dlopen` like `GzipSize`, so that no C module and no package is
/// needed; CRC-32 is zlib's `crc32`. A file that does not get smaller, or every file when
/// there is no zlib, is stored (method 0) with a CRC-32 computed here. Names are UTF-8 (flag
/// bit 11). Every entry gets the same fixed date, so the same files give the same bytes.
struct ZipWriter {
    struct Entry {
        var name: String
        /// The bytes, or nil to read them from `source`.
        var data: Data?
        var source: URL?

        init(name: String, data: Data) {
            self.name = name
            self.data = data
        }

        init(name: String, source: URL) {
            self.name = name
            self.source = source
        }
    }

    /// The archive comment: how `monarch build --portable` recognises an archive it wrote before
    /// it replaces it (`PortableCopy.zipRefusal`).
    static let comment = Data("written by monarch build --portable".utf8)

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// MS-DOS date and time of every entry: `date` in UTC, at least 1980-01-01.
    static func dosDateTime(_ date: Date) -> (date: UInt16, time: UInt16) {
        var seconds = time_t(max(date.timeIntervalSince1970, 315_532_800).rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = max(0, min(127, Int(parts.tm_year) + 1900 - 1980))
        let d = UInt16(year << 9 | Int(parts.tm_mon + 1) << 5 | Int(parts.tm_mday))
        let t = UInt16(Int(parts.tm_hour) << 11 | Int(parts.tm_min) << 5 | Int(parts.tm_sec) / 2)
        return (d, t)
    }

    /// The archive of `entries` in memory (in this order; folders are implied by the names).
    static func archive(_ entries: [Entry], date: Date) -> Data {
        var out = Data()
        try? write(entries, date: date) { out.append($0) }
        return out
    }

    /// Writes the archive to `path` as it is made, replacing the file there only when it is
    /// whole (`AtomicFile`): a file read from its source is never held whole in memory when it
    /// is large (it is stored, as media files do not compress).
    static func write(_ entries: [Entry], date: Date, to path: String) throws {
        try AtomicFile.write(to: path) { fd in
            try write(entries, date: date) { data in
                if let failure = PlainFile.writeAll(data, to: fd) { throw Failure(description: failure) }
            }
        }
    }

    /// Files up to this size are read whole and deflated; larger ones are streamed, stored.
    static let wholeFileLimit = 16 << 20

    private static func write(_ entries: [Entry], date: Date, sink: (Data) throws -> Void) throws {
        let (dosDate, dosTime) = dosDateTime(date)
        var written: UInt64 = 0
        var central = Data()
        func emit(_ data: Data) throws {
            try sink(data)
            written += UInt64(data.count)
        }
        for entry in entries {
            let name = Array(entry.name.utf8)
            var method: UInt16 = 0
            var crc: UInt32
            var size: UInt64
            var payload: Data?
            if entry.data == nil, let source = entry.source, let bytes = fileSize(source.path), bytes > wholeFileLimit {
                (crc, size) = try streamedCRC(source.path)
            } else {
                let data = try entry.data ?? readWhole(entry.source)
                crc = crc32(data)
                size = UInt64(data.count)
                payload = data
                if let deflated = deflate(data), deflated.count < data.count {
                    method = 8
                    payload = deflated
                }
            }
            let stored = payload.map { UInt64($0.count) } ?? size
            guard written <= 0xFFFF_FFFF, stored < 0xFFFF_FFFF, size < 0xFFFF_FFFF, written + stored < 0xFFFF_FFFF else {
                throw Failure(description: "the archive would pass 4 GB (\(entry.name)); leave such large files out of the site, or share the portable folder instead of the zip")
            }
            let offset = UInt32(written)
            // The fields a local header and its central record share, from "version needed".
            var fields = Data()
            fields.append(le16: 20)                 // version needed: 2.0 (deflate)
            fields.append(le16: 0x0800)             // UTF-8 names
            fields.append(le16: method)
            fields.append(le16: dosTime)
            fields.append(le16: dosDate)
            fields.append(le32: crc)
            fields.append(le32: UInt32(stored))
            fields.append(le32: UInt32(size))
            fields.append(le16: UInt16(name.count))
            fields.append(le16: 0)                  // extra field length
            var header = Data()
            header.append(le32: 0x0403_4B50)
            header.append(fields)
            header.append(contentsOf: name)
            try emit(header)
            if let payload {
                try emit(payload)
            } else if let source = entry.source {
                try stream(source.path) { try emit($0) }
            }
            // Its central directory record.
            central.append(le32: 0x0201_4B50)
            central.append(le16: 0x031E)         // made by: Unix, spec 3.0
            central.append(fields)
            central.append(le16: 0)              // comment
            central.append(le16: 0)              // disk number
            central.append(le16: 0)              // internal attributes
            central.append(le32: UInt32(0o100644) << 16)   // external: a regular file, rw-r--r--
            central.append(le32: offset)
            central.append(contentsOf: name)
        }
        guard written + UInt64(central.count) < 0xFFFF_FFFF, entries.count < 0xFFFF else {
            throw Failure(description: "the archive would pass 4 GB or 65,535 files; share the portable folder instead of the zip")
        }
        var end = Data()
        end.append(le32: 0x0605_4B50)
        end.append(le16: 0)
        end.append(le16: 0)
        end.append(le16: UInt16(entries.count))
        end.append(le16: UInt16(entries.count))
        end.append(le32: UInt32(central.count))
        end.append(le32: UInt32(written))
        end.append(le16: UInt16(comment.count))
        end.append(comment)
        try emit(central)
        try emit(end)
    }

    private static func fileSize(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    private static func readWhole(_ source: URL?) throws -> Data {
        guard let source, let data = FileManager.default.contents(atPath: source.path) else {
            throw Failure(description: "cannot read \(source?.path ?? "a file")")
        }
        return data
    }

    /// Calls `body` with each 1 MiB chunk of the file at `path`.
    private static func stream(_ path: String, _ body: (Data) throws -> Void) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return }
            try body(Data(buffer[0..<count]))
        }
    }

    private static func streamedCRC(_ path: String) throws -> (UInt32, UInt64) {
        var crc: UInt32 = 0
        var size: UInt64 = 0
        try stream(path) { chunk in
            crc = crc32(chunk, continuing: crc)
            size += UInt64(chunk.count)
        }
        return (crc, size)
    }

    // MARK: - zlib

    private typealias Compress2 = @convention(c) (
        UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?, UnsafePointer<UInt8>?, UInt, Int32) -> Int32
    private typealias CompressBound = @convention(c) (UInt) -> UInt
    private typealias CRC32 = @convention(c) (UInt, UnsafePointer<UInt8>?, UInt32) -> UInt

    private static let zlib: (compress: Compress2, bound: CompressBound, crc: CRC32)? = {
        for name in ["libz.so.1", "libz.so", "/usr/lib/libz.1.dylib", "libz.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW) else { continue }
            if let compress = dlsym(handle, "compress2"), let bound = dlsym(handle, "compressBound"),
               let crc = dlsym(handle, "crc32") {
                return (unsafeBitCast(compress, to: Compress2.self), unsafeBitCast(bound, to: CompressBound.self),
                        unsafeBitCast(crc, to: CRC32.self))
            }
        }
        return nil
    }()

    /// Raw deflate of `data`, or nil without zlib.
    static func deflate(_ data: Data) -> Data? {
        guard let zlib, !data.isEmpty else { return nil }
        var length = zlib.bound(UInt(data.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = data.withUnsafeBytes { raw -> Int32 in
            let input = raw.bindMemory(to: UInt8.self).baseAddress
            return output.withUnsafeMutableBufferPointer { zlib.compress($0.baseAddress, &length, input, UInt(data.count), 9) }
        }
        // A zlib stream: 2-byte header (no preset dictionary with compress2), deflate, 4-byte Adler-32.
        guard status == 0, length > 6 else { return nil }
        return Data(output[2..<(Int(length) - 4)])
    }

    /// CRC-32 (ISO 3309, the one ZIP and gzip use), of `data` after the bytes whose CRC is
    /// `continuing`.
    static func crc32(_ data: Data, continuing previous: UInt32 = 0) -> UInt32 {
        if let zlib {
            return data.withUnsafeBytes { raw in
                UInt32(truncatingIfNeeded: zlib.crc(UInt(previous), raw.bindMemory(to: UInt8.self).baseAddress, UInt32(data.count)))
            }
        }
        var crc: UInt32 = ~previous
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

private extension Data {
    mutating func append(le16 value: UInt16) {
        append(UInt8(value & 0xFF))
        append(UInt8(value >> 8))
    }

    mutating func append(le32 value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
