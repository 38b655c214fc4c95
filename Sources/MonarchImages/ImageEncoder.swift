import CVips
import Foundation

/// Makes the copies Monarch publishes of an image: decoded, turned upright, converted to
/// sRGB, resized, and saved with no metadata at all (no EXIF, XMP, IPTC, ICC profile or
/// comment), so that nothing but the pixels leaves the site folder.
public enum ImageEncoder {
    public struct Settings: Sendable, Hashable {
        public var format: OutputFormat
        /// Lossy quality, 1-100 (JPEG, WebP, AVIF).
        public var quality: Int
        /// WebP lossless; PNG in full colour (else a palette of 256 colours, enough for a drawing).
        public var lossless: Bool

        public init(format: OutputFormat, quality: Int = 80, lossless: Bool = false) {
            self.format = format
            self.quality = quality
            self.lossless = lossless
        }

        /// What the bytes depend on, for a cache key.
        public var key: String { "\(format.rawValue) q\(quality)\(lossless ? " lossless" : "")" }
    }

    /// `data` at `width` pixels wide (never enlarged), in `settings`' format.
    public static func encode(_ data: Data, width: Int, settings: Settings) throws(ImageFailure) -> Data {
        try Vips.start()
        let thumbnail: UnsafeMutablePointer<VipsImage>? = data.withUnsafeBytes {
            monarch_vips_thumbnail($0.baseAddress, $0.count, Int32(clamping: width))
        }
        guard var image = thumbnail else { throw ImageFailure("the image cannot be decoded (\(Vips.lastError())); save it again") }
        defer { monarch_vips_unref(image) }
        if settings.format == .jpeg, vips_image_hasalpha(image) != 0 {
            guard let flat = monarch_vips_flatten(image) else { throw ImageFailure("the image cannot be flattened (\(Vips.lastError()))") }
            monarch_vips_unref(image)
            image = flat
        }
        guard let bare = monarch_vips_without_metadata(image) else {
            throw ImageFailure("the image's metadata cannot be removed (\(Vips.lastError()))")
        }
        monarch_vips_unref(image)
        image = bare
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        let failed: Int32
        switch settings.format {
        case .jpeg: failed = monarch_vips_save_jpeg(image, Int32(settings.quality), &buffer, &length)
        case .webp: failed = monarch_vips_save_webp(image, Int32(settings.quality), settings.lossless ? 1 : 0, &buffer, &length)
        case .png: failed = monarch_vips_save_png(image, settings.lossless ? 0 : 1, &buffer, &length)
        case .avif: failed = monarch_vips_save_heif(image, Int32(settings.quality), 1, &buffer, &length)
        case .heif: failed = monarch_vips_save_heif(image, Int32(settings.quality), 0, &buffer, &length)
        case .gif: failed = monarch_vips_save_gif(image, &buffer, &length)
        }
        guard failed == 0, let buffer else { throw ImageFailure("the image cannot be saved as \(settings.format.rawValue) (\(Vips.lastError()))") }
        defer { monarch_vips_free(buffer) }
        let encoded = Data(bytes: buffer, count: length)
        guard settings.format == .webp else { return encoded }
        guard let stripped = WebPChunks.stripped(encoded) else { throw ImageFailure("libvips wrote a WebP file Monarch cannot read back") }
        return stripped
    }
}

extension ImageEncoder {
    /// libvips's version, part of every cache key: another version may make other bytes.
    public static var libraryVersion: String {
        (try? Vips.start()).map { String(cString: vips_version_string()) } ?? "?"
    }
}
