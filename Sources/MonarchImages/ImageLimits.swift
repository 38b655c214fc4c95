import Foundation

/// How large an image Monarch takes, checked before anything is decoded: a 64 KB PNG can
/// declare 23000 × 23000 pixels (2 GB decoded), and a file can be gigabytes.
public enum ImageLimits {
    /// The largest image file read, in bytes.
    public static let maxBytes = 64 << 20
    /// The most pixels (a 48-megapixel phone photo has 48 million).
    public static let maxPixels = 100_000_000
    /// The longest side.
    public static let maxSide = 20_000

    /// What is wrong with a file of `bytes` bytes, or nil.
    public static func fileSizeProblem(bytes: Int) -> ImageFailure? {
        guard bytes > maxBytes else { return nil }
        return ImageFailure(String(format: "the file is %.0f MiB, more than the %d MiB an image may be; make it smaller",
                                   Double(bytes) / 1_048_576, maxBytes >> 20))
    }

    /// What is wrong with an image of `width` × `height` pixels, or nil.
    public static func sizeProblem(kind: String, width: Int, height: Int) -> ImageFailure? {
        guard width > maxSide || height > maxSide || width * height > maxPixels else { return nil }
        let megapixels = (Double(width) * Double(height) / 1_000_000).rounded()
        return ImageFailure("\(kind) image is \(width)×\(height) pixels (\(Int(megapixels)) megapixels), more than Monarch takes "
                            + "(\(maxPixels / 1_000_000) megapixels, \(maxSide) pixels a side); resize it (4000 pixels a side is plenty)")
    }

    /// The size a PNG (IHDR) or JPEG (start of frame) declares, read from its bytes alone.
    public static func declaredSize(_ data: Data) -> (kind: String, width: Int, height: Int)? {
        if data.starts(with: [0x89, 0x50, 0x4E, 0x47]), data.count >= 24 {
            let b = [UInt8](data.prefix(24))
            guard b[12...15].elementsEqual("IHDR".utf8) else { return nil }
            func int(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
            return ("PNG", int(16), int(20))
        }
        guard data.starts(with: [0xFF, 0xD8]) else { return nil }
        return data.withUnsafeBytes { raw -> (String, Int, Int)? in
            let b = raw.bindMemory(to: UInt8.self)
            var i = 2
            while i + 4 < b.count {
                guard b[i] == 0xFF else { return nil }
                let marker = b[i + 1]
                if marker == 0xFF { i += 1; continue }
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
                let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
                if (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC {
                    guard i + 8 < b.count else { return nil }
                    return ("JPEG", Int(b[i + 7]) << 8 | Int(b[i + 8]), Int(b[i + 5]) << 8 | Int(b[i + 6]))
                }
                if marker == 0xDA || length < 2 { return nil }
                i += 2 + length
            }
            return nil
        }
    }
}
