import Foundation
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
        var data: Data
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

    /// The archive of `entries` (in this order; folders are implied by the names).
    static func archive(_ entries: [Entry], date: Date) -> Data {
        let (dosDate, dosTime) = dosDateTime(date)
        var out = Data()
        var central = Data()
        for entry in entries {
            let name = Array(entry.name.utf8)
            let crc = crc32(entry.data)
            var method: UInt16 = 0
            var payload = entry.data
            if let deflated = deflate(entry.data), deflated.count < entry.data.count {
                method = 8
                payload = deflated
            }
            let offset = UInt32(out.count)
            // Local file header.
            out.append(le32: 0x0403_4B50)
            out.append(le16: 20)                 // version needed: 2.0 (deflate)
            out.append(le16: 0x0800)             // UTF-8 names
            out.append(le16: method)
            out.append(le16: dosTime)
            out.append(le16: dosDate)
            out.append(le32: crc)
            out.append(le32: UInt32(payload.count))
            out.append(le32: UInt32(entry.data.count))
            out.append(le16: UInt16(name.count))
            out.append(le16: 0)                  // extra field length
            out.append(contentsOf: name)
            out.append(payload)
            // Its central directory record.
            central.append(le32: 0x0201_4B50)
            central.append(le16: 0x031E)         // made by: Unix, spec 3.0
            central.append(le16: 20)
            central.append(le16: 0x0800)
            central.append(le16: method)
            central.append(le16: dosTime)
            central.append(le16: dosDate)
            central.append(le32: crc)
            central.append(le32: UInt32(payload.count))
            central.append(le32: UInt32(entry.data.count))
            central.append(le16: UInt16(name.count))
            central.append(le16: 0)              // extra
            central.append(le16: 0)              // comment
            central.append(le16: 0)              // disk number
            central.append(le16: 0)              // internal attributes
            central.append(le32: UInt32(0o100644) << 16)   // external: a regular file, rw-r--r--
            central.append(le32: offset)
            central.append(contentsOf: name)
        }
        let centralOffset = UInt32(out.count)
        out.append(central)
        out.append(le32: 0x0605_4B50)
        out.append(le16: 0)
        out.append(le16: 0)
        out.append(le16: UInt16(entries.count))
        out.append(le16: UInt16(entries.count))
        out.append(le32: UInt32(central.count))
        out.append(le32: centralOffset)
        out.append(le16: 0)                      // comment length
        return out
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

    /// CRC-32 (ISO 3309, the one ZIP and gzip use).
    static func crc32(_ data: Data) -> UInt32 {
        if let zlib {
            return data.withUnsafeBytes { raw in
                UInt32(truncatingIfNeeded: zlib.crc(0, raw.bindMemory(to: UInt8.self).baseAddress, UInt32(data.count)))
            }
        }
        var crc: UInt32 = 0xFFFF_FFFF
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
