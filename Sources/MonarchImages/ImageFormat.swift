/// The formats Monarch reads, by the libvips loader that recognised the bytes (never by the
/// file name, which can lie).
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg, png, webp, gif, heif

    init?(loader: String) {
        switch loader {
        case "jpegload_buffer": self = .jpeg
        case "pngload_buffer": self = .png
        case "webpload_buffer": self = .webp
        case "gifload_buffer": self = .gif
        case "heifload_buffer": self = .heif
        default: return nil
        }
    }

    /// The file extensions Monarch processes as images (SVG is text, checked by SVGCheck).
    public static let extensions: Set<String> = ["jpg", "jpeg", "png", "webp", "gif", "heic", "heif", "avif"]

    /// Drawn art (maps, screenshots, diagrams) more than photos: kept lossless where it is
    /// kept whole, and a PNG fallback rather than a JPEG one.
    public var isDrawing: Bool { self == .png || self == .gif }
}

/// The formats Monarch writes.
/// GIF and HEIF only for an image published at its own path in its own format.
public enum OutputFormat: String, Sendable, CaseIterable {
    case jpeg, png, webp, avif, gif, heif

    public var fileExtension: String { self == .jpeg ? "jpg" : self == .heif ? "heic" : rawValue }
    public var mimeType: String { "image/" + rawValue }
}
