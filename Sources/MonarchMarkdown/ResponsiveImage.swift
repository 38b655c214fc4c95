/// How a page shows one of its images when the site has made sized copies of it (issue #19):
/// rendered as `<picture>` with a `<source>` per modern format and an `<img>` that carries
/// the fallback, the intrinsic size (no layout shift) and lazy loading.
public struct ResponsiveImage: Sendable, Equatable {
    public struct Source: Sendable, Equatable {
        /// `image/webp`.
        public var type: String
        /// `a-360.webp 360w, a-720.webp 720w`: addresses already safe in a srcset (no
        /// spaces or commas), smallest first.
        public var srcset: String

        public init(type: String, srcset: String) {
            self.type = type
            self.srcset = srcset
        }
    }

    /// Intrinsic size, in CSS pixels, as the image is shown (upright).
    public var width: Int
    public var height: Int
    public var sources: [Source]
    /// The fallback format's copies (JPEG or PNG): `src` is the middle one.
    public var src: String
    public var srcset: String
    public var sizes: String

    public init(width: Int, height: Int, sources: [Source], src: String, srcset: String, sizes: String) {
        self.width = width
        self.height = height
        self.sources = sources
        self.src = src
        self.srcset = srcset
        self.sizes = sizes
    }

    /// Everything the markup depends on, for a memo key.
    public var key: String {
        ([String(width), String(height), src, srcset, sizes] + sources.flatMap { [$0.type, $0.srcset] }).joined(separator: "\u{1}")
    }
}
