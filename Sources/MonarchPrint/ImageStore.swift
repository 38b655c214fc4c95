import CPangoCairo
import Foundation
import MonarchImages

/// The images of one render as cairo surfaces, destroyed together when the render ends. Each
/// is a copy made by libvips for its placed size (`place`), never the file itself: a PNG copy
/// decoded by cairo, or a JPEG copy embedded in the PDF as it is (cairo's JPEG mime data) over
/// a blank surface of the same size.
struct ImageError: Error {
    var message: String
}

final class ImageStore {
    /// The limits are the site's (`ImageLimits`), checked from the file's size and header
    /// before anything is decoded; libvips decodes a photo straight to the printed size.
    /// Printed images are made for this many pixels per inch of the placed size: sharp on any
    /// office printer, and a 2-page pamphlet with photos stays small.
    static let printDPI = 300.0

    struct Loaded {
        var path: String
        /// As shown (after its EXIF orientation).
        var pixelWidth: Int
        var pixelHeight: Int
    }

    private var surfaces: [OpaquePointer] = []
    private var sources: [String: (data: Data, header: ImageHeader)] = [:]
    /// Surfaces already made, by path and pixel width.
    private var placed: [String: Int] = [:]

    deinit {
        for surface in surfaces { cairo_surface_destroy(surface) }
    }

    func surface(_ index: Int) -> OpaquePointer { surfaces[index] }

    /// The image at `url` (its header read, nothing decoded), or what is wrong with it.
    func load(_ url: URL) -> Result<Loaded, ImageError> {
        let path = url.path
        if let known = sources[path] { return .success(Loaded(path: path, pixelWidth: known.header.width, pixelHeight: known.header.height)) }
        var info = stat()
        if stat(path, &info) == 0, let problem = ImageLimits.fileSizeProblem(bytes: Int(info.st_size)) {
            return .failure(ImageError(message: problem.message))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            // The caller names the image as the page does: an absolute path here would say
            // where the site lives on this machine, in a message that may be shared.
            return .failure(ImageError(message: "the file cannot be read; check that it exists and is readable"))
        }
        let header: ImageHeader
        do {
            // Checks the limits first: the file's size, the size its header declares.
            header = try ImageHeader.read(data)
        } catch {
            return .failure(ImageError(message: error.message))
        }
        sources[path] = (data, header)
        return .success(Loaded(path: path, pixelWidth: header.width, pixelHeight: header.height))
    }

    /// The surface of `loaded` placed `width` points wide: a copy made for `printDPI` (never
    /// wider than the image), upright, in sRGB, with no metadata, embedded as JPEG (a photo)
    /// or losslessly (a drawing, or an image with transparency).
    func place(_ loaded: Loaded, width: Double) -> Result<Int, ImageError> {
        guard let source = sources[loaded.path] else { return .failure(ImageError(message: "the image was not loaded")) }
        let pixels = min(source.header.width, max(1, Int((width / 72 * Self.printDPI).rounded(.up))))
        let key = "\(loaded.path)\u{0}\(pixels)"
        if let index = placed[key] { return .success(index) }
        let drawing = source.header.format.isDrawing || source.header.hasAlpha
        let settings = drawing ? ImageEncoder.Settings(format: .png, lossless: true) : ImageEncoder.Settings(format: .jpeg, quality: 85)
        let bytes: Data
        do {
            bytes = try ImageEncoder.encode(source.data, width: pixels, settings: settings)
        } catch {
            return .failure(ImageError(message: "the image cannot be prepared for print (\(error.message)); save it again as PNG or JPEG"))
        }
        let result = drawing ? loadPNG(bytes) : loadJPEG(bytes)
        if case .success(let index) = result { placed[key] = index }
        return result
    }

    private func add(_ surface: OpaquePointer) -> Int {
        surfaces.append(surface)
        return surfaces.count - 1
    }

    /// nil when an image of `width` × `height` pixels may be decoded, else the error.
    static func sizeProblem(kind: String, width: Int, height: Int) -> ImageError? {
        ImageLimits.sizeProblem(kind: kind, width: width, height: height).map { ImageError(message: $0.message) }
    }

    /// Width and height from a PNG's IHDR chunk, which the format puts first.
    static func pngSize(_ data: Data) -> (Int, Int)? {
        guard data.count >= 24 else { return nil }
        let b = [UInt8](data.prefix(24))
        guard b[12...15].elementsEqual("IHDR".utf8) else { return nil }
        func int(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        return (int(16), int(20))
    }

    private func loadPNG(_ data: Data) -> Result<Int, ImageError> {
        guard let (declaredWidth, declaredHeight) = Self.pngSize(data) else {
            return .failure(ImageError(message: "PNG image is damaged (no IHDR header); save it again as PNG"))
        }
        if let problem = Self.sizeProblem(kind: "PNG", width: declaredWidth, height: declaredHeight) { return .failure(problem) }
        final class Reader { var data: Data; var offset = 0; init(_ d: Data) { data = d } }
        let reader = Reader(data)
        let read: cairo_read_func_t = { closure, buffer, length in
            let reader = Unmanaged<Reader>.fromOpaque(closure!).takeUnretainedValue()
            let count = Int(length)
            guard reader.offset + count <= reader.data.count, let buffer else { return CAIRO_STATUS_READ_ERROR }
            reader.data.copyBytes(to: buffer, from: reader.offset..<(reader.offset + count))
            reader.offset += count
            return CAIRO_STATUS_SUCCESS
        }
        let surface = withExtendedLifetime(reader) {
            cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(reader).toOpaque())!
        }
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            return .failure(ImageError(message: "PNG image is damaged or of a kind cairo cannot read; save it again as PNG"))
        }
        let width = Int(cairo_image_surface_get_width(surface)), height = Int(cairo_image_surface_get_height(surface))
        guard width > 0, height > 0 else {
            cairo_surface_destroy(surface)
            return .failure(ImageError(message: "PNG image is empty"))
        }
        return .success(add(surface))
    }

    private func loadJPEG(_ data: Data) -> Result<Int, ImageError> {
        guard let (width, height, components) = Self.jpegSize(data) else {
            return .failure(ImageError(message: "JPEG image is damaged (no frame header found); save it again as JPEG"))
        }
        guard components == 1 || components == 3 else {
            return .failure(ImageError(message: "JPEG image uses \(components) colour components (CMYK?); save it as an RGB JPEG or a PNG"))
        }
        guard width > 0, height > 0 else {
            return .failure(ImageError(message: "JPEG image is \(width)×\(height) pixels; save it again as JPEG"))
        }
        if let problem = Self.sizeProblem(kind: "JPEG", width: width, height: height) { return .failure(problem) }
        // The pixels are never drawn: the PDF surface embeds the JPEG bytes themselves.
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))!
        let bytes = malloc(data.count)!
        data.copyBytes(to: bytes.assumingMemoryBound(to: UInt8.self), count: data.count)
        let status = cairo_surface_set_mime_data(surface, CAIRO_MIME_TYPE_JPEG, bytes.assumingMemoryBound(to: UInt8.self),
                                                 UInt(data.count), { free($0) }, bytes)
        guard status == CAIRO_STATUS_SUCCESS, cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
            if status != CAIRO_STATUS_SUCCESS { free(bytes) }
            cairo_surface_destroy(surface)
            return .failure(ImageError(message: "JPEG image could not be prepared (out of memory?)"))
        }
        return .success(add(surface))
    }

    /// Width, height and colour components from a JPEG's start-of-frame marker.
    static func jpegSize(_ data: Data) -> (Int, Int, Int)? {
        let b = [UInt8](data)
        var i = 2
        while i + 4 < b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            if (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC {
                guard i + 9 < b.count else { return nil }
                let height = Int(b[i + 5]) << 8 | Int(b[i + 6])
                let width = Int(b[i + 7]) << 8 | Int(b[i + 8])
                return (width, height, Int(b[i + 9]))
            }
            if marker == 0xDA || length < 2 { return nil }
            i += 2 + length
        }
        return nil
    }
}
