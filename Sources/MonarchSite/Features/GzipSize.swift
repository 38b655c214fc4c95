import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many bytes a file takes on the wire when a server gzips it: what the page-weight budget
/// and the search-index report count. It uses the system's zlib (`libz.so.1`, which every
/// Debian system and every Swift toolchain has) through `dlopen`, so that no C module is needed
/// for a measurement; without zlib it answers nil and the reports say so.
enum GzipSize {
    private typealias Compress2 = @convention(c) (
        UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?, UnsafePointer<UInt8>?, UInt, Int32) -> Int32
    private typealias CompressBound = @convention(c) (UInt) -> UInt

    private static let zlib: (compress: Compress2, bound: CompressBound)? = {
        for name in ["libz.so.1", "libz.so", "/usr/lib/libz.1.dylib", "libz.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW) else { continue }
            if let compress = dlsym(handle, "compress2"), let bound = dlsym(handle, "compressBound") {
                return (unsafeBitCast(compress, to: Compress2.self), unsafeBitCast(bound, to: CompressBound.self))
            }
        }
        return nil
    }()

    /// The size of `data` as `gzip -9` writes it: zlib's deflate at level 9, whose 2-byte
    /// header and 4-byte checksum gzip replaces with a 10-byte header and an 8-byte trailer.
    static func size(of data: Data) -> Int? {
        guard let zlib else { return nil }
        var length = zlib.bound(UInt(data.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = data.withUnsafeBytes { raw -> Int32 in
            let input = raw.bindMemory(to: UInt8.self).baseAddress
            return output.withUnsafeMutableBufferPointer { zlib.compress($0.baseAddress, &length, input, UInt(data.count), 9) }
        }
        guard status == 0 else { return nil }
        return Int(length) - 6 + 18
    }

    /// The most `size(of:)` can be for `count` bytes: zlib's `compressBound`, as gzip.
    static func bound(_ count: Int) -> Int {
        count + (count >> 12) + (count >> 14) + (count >> 25) + 13 - 6 + 18
    }

    /// `12.3 KB` (1 KB = 1024 bytes), as the reports print sizes.
    static func kilobytes(_ bytes: Int) -> String {
        String(format: "%.1f KB", Double(bytes) / 1024)
    }
}
