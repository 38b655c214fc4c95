import Foundation

/// WebP's container (RIFF): libvips 8.14's saver writes an EXIF chunk of its own (resolution,
/// orientation) even from an image with no metadata at all, so the chunks that hold metadata
/// are taken out of what it wrote.
enum WebPChunks {
    /// Chunks that hold metadata: EXIF, XMP and the colour profile (the pixels are sRGB,
    /// which a WebP without a profile is taken to be).
    static let metadata: Set<String> = ["EXIF", "XMP ", "ICCP"]

    /// `data` without its metadata chunks, the VP8X flags that announce them cleared; nil when
    /// it is no WebP file this can read.
    static func stripped(_ data: Data) -> Data? {
        let bytes = [UInt8](data)
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WEBP".utf8) else { return nil }
        var out: [UInt8] = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBP".utf8)
        var offset = 12
        while offset + 8 <= bytes.count {
            let name = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = Int(bytes[offset + 4]) | Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]) << 16 | Int(bytes[offset + 7]) << 24
            let end = offset + 8 + size + (size & 1)
            guard end <= bytes.count || (end == bytes.count + 1 && size & 1 == 1) else { return nil }
            if !metadata.contains(name) {
                var chunk = Array(bytes[offset..<min(end, bytes.count)])
                if name == "VP8X", chunk.count > 8 { chunk[8] &= ~UInt8(0x20 | 0x08 | 0x04) }
                out += chunk
            }
            offset = end
        }
        let riffSize = UInt32(out.count - 8)
        out[4] = UInt8(riffSize & 0xFF)
        out[5] = UInt8(riffSize >> 8 & 0xFF)
        out[6] = UInt8(riffSize >> 16 & 0xFF)
        out[7] = UInt8(riffSize >> 24)
        return Data(out)
    }
}
