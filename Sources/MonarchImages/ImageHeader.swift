import CVips
import Foundation

/// What an image's header says, read without decoding its pixels.
public struct ImageHeader: Sendable, Equatable {
    public var format: ImageFormat
    /// As shown: after its EXIF orientation turns it upright.
    public var width: Int
    public var height: Int
    public var hasAlpha: Bool
    /// The EXIF or XMP block holds a GPS position: where the photo was taken.
    public var hasPosition: Bool

    public static func read(_ data: Data) throws(ImageFailure) -> ImageHeader {
        try Vips.start()
        guard !data.isEmpty else { throw ImageFailure("the file is empty") }
        if let problem = ImageLimits.fileSizeProblem(bytes: data.count) { throw problem }
        // Before libvips sees it: the size the file declares, which libvips would believe.
        if let declared = ImageLimits.declaredSize(data),
           let problem = ImageLimits.sizeProblem(kind: declared.kind, width: declared.width, height: declared.height) {
            throw problem
        }
        let image: OpaquePointer? = data.withUnsafeBytes { OpaquePointer(monarch_vips_header($0.baseAddress, $0.count)) }
        guard let image else { throw ImageFailure("the image cannot be read (\(Vips.lastError())); save it again as JPEG or PNG") }
        let vipsImage = UnsafeMutablePointer<VipsImage>(image)
        defer { monarch_vips_unref(vipsImage) }
        let loader = monarch_vips_loader(vipsImage).map { String(cString: $0) } ?? "?"
        guard let format = ImageFormat(loader: loader) else {
            throw ImageFailure("the file is no JPEG, PNG, WebP, GIF or HEIC image (libvips reads it with \(loader)); save it as JPEG or PNG")
        }
        var width = Int(vips_image_get_width(vipsImage)), height = Int(vips_image_get_height(vipsImage))
        // A GIF's frames are stacked in one tall image when asked for; this header is of the first.
        let orientation = vips_image_get_orientation(vipsImage)
        if (5...8).contains(orientation) { swap(&width, &height) }
        guard width > 0, height > 0 else { throw ImageFailure("the image is \(width)×\(height) pixels") }
        if let problem = ImageLimits.sizeProblem(kind: format.rawValue.uppercased(), width: width, height: height) { throw problem }
        return ImageHeader(format: format, width: width, height: height,
                           hasAlpha: vips_image_hasalpha(vipsImage) != 0, hasPosition: Self.hasPosition(vipsImage))
    }

    /// libvips parses EXIF into fields named `exif-ifd3-...` (IFD 3 is the GPS directory); XMP
    /// stays a blob, searched for its GPS properties.
    private static func hasPosition(_ image: UnsafeMutablePointer<VipsImage>) -> Bool {
        for field in ["exif-ifd3-GPSLatitude", "exif-ifd3-GPSLongitude"] where monarch_vips_has_field(image, field) != 0 {
            return true
        }
        var length = 0
        guard let xmp = monarch_vips_blob(image, "xmp-data", &length), length > 0 else { return false }
        let text = Data(bytes: xmp, count: length)
        return text.range(of: Data("GPSLatitude".utf8)) != nil || text.range(of: Data("GPSLongitude".utf8)) != nil
    }
}
