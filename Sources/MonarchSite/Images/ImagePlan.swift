import Foundation
import MonarchImages
import MonarchMarkdown

/// The copies Monarch publishes of one image (issue #19), decided from its header alone: the
/// image itself at its own path (all its pixels, no metadata), and for pages a few widths in
/// WebP with a JPEG (photos) or PNG (drawings, transparency) fallback.
struct ImagePlan: Sendable {
    /// One file to write.
    struct Output: Sendable {
        /// Output path (`en/clinic/map-360.webp`).
        var path: String
        var width: Int
        var settings: ImageEncoder.Settings
    }

    /// Where the image is, in the site folder (`content/en/clinic/map.png`, `static/img/a.jpg`).
    let source: String
    let header: ImageHeader
    /// The image at its own output path, as published when linked or printed.
    let original: Output
    /// WebP copies, narrowest first.
    let web: [Output]
    /// The fallback format's copies at the same widths.
    let fallback: [Output]

    /// Widths of the copies pages use: a phone (360 CSS pixels), the same at twice the density
    /// or a tablet, and the content column at high density.
    static let widths = [360, 720, 1080]

    /// Photos: quality settings measured on a 4000 × 3000 photo (docs/images.md).
    static let webPhoto = ImageEncoder.Settings(format: .webp, quality: 72)
    static let jpegPhoto = ImageEncoder.Settings(format: .jpeg, quality: 78)
    static let originalJPEG = ImageEncoder.Settings(format: .jpeg, quality: 88)
    /// Drawings: lossy WebP (at 360 px, 6 KB for the example map where lossless takes 14 KB), a
    /// PNG palette, which keeps flat colours exact.
    static let webDrawing = ImageEncoder.Settings(format: .webp, quality: 80)
    static let pngDrawing = ImageEncoder.Settings(format: .png)
    static let originalPNG = ImageEncoder.Settings(format: .png, lossless: true)

    init(source: String, output: String, header: ImageHeader) {
        self.source = source
        self.header = header
        let drawing = header.format.isDrawing || header.hasAlpha
        let originalSettings: ImageEncoder.Settings
        switch header.format {
        case .jpeg: originalSettings = Self.originalJPEG
        case .png: originalSettings = Self.originalPNG
        case .webp: originalSettings = ImageEncoder.Settings(format: .webp, quality: 88, lossless: header.hasAlpha)
        case .gif: originalSettings = ImageEncoder.Settings(format: .gif)
        case .heif: originalSettings = ImageEncoder.Settings(format: .heif, quality: 80)
        }
        original = Output(path: output, width: header.width, settings: originalSettings)
        let widths = Self.widths(for: header.width)
        let stem = output.lastIndex(of: ".").map { String(output[..<$0]) } ?? output
        web = widths.map { Output(path: "\(stem)-\($0).webp", width: $0, settings: drawing ? Self.webDrawing : Self.webPhoto) }
        let fallbackSettings = drawing ? Self.pngDrawing : Self.jpegPhoto
        fallback = widths.map { Output(path: "\(stem)-\($0).\(fallbackSettings.format.fileExtension)", width: $0, settings: fallbackSettings) }
    }

    /// The standard widths below the image's own (a copy within 10% of it would be the same
    /// image again), then the image's own width or the widest standard one.
    static func widths(for width: Int) -> [Int] {
        let widest = widths.last!
        return widths.filter { Double($0) < 0.9 * Double(min(width, widest)) } + [min(width, widest)]
    }

    /// Every file this plan writes.
    var outputs: [Output] { [original] + web + fallback }

    /// The markup of the image in a page that links it as `url` (the image's own address).
    func responsive(url: String) -> ResponsiveImage {
        var folder = Substring(url)
        if let cut = folder.firstIndex(where: { $0 == "?" || $0 == "#" }) { folder = folder[..<cut] }
        folder = folder.lastIndex(of: "/").map { folder[...$0] } ?? ""
        func address(_ output: Output) -> String {
            let name = output.path.split(separator: "/").last.map(String.init) ?? output.path
            return Self.srcsetSafe(String(folder)) + Self.srcsetSafe(name, encodingAll: true)
        }
        func srcset(_ outputs: [Output]) -> String {
            outputs.map { "\(address($0)) \($0.width)w" }.joined(separator: ", ")
        }
        let width = fallback.last!.width
        let height = max(1, Int((Double(header.height) * Double(width) / Double(header.width)).rounded()))
        // The theme's content column: 40rem wide with 1rem either side, the whole screen on a
        // phone. An image narrower than that is shown at its own width.
        let sizes = width < 640 ? "(min-width: \(width + 32)px) \(width)px, calc(100vw - 2rem)"
                                : "(min-width: 42rem) 40rem, calc(100vw - 2rem)"
        let middle = fallback[fallback.count > 1 ? 1 : 0]
        return ResponsiveImage(width: width, height: height,
                               sources: [.init(type: "image/webp", srcset: srcset(web))],
                               src: address(middle), srcset: srcset(fallback), sizes: sizes)
    }

    /// An address with nothing a srcset would split on (spaces, commas) or an attribute would
    /// need escaped; with `encodingAll`, every byte but letters, digits and `-._~`.
    static func srcsetSafe(_ text: String, encodingAll: Bool = false) -> String {
        var out = ""
        for byte in text.utf8 {
            let keep: Bool
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                keep = true
            case UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"),
                 UInt8(ascii: "'"), 0..<0x20, 0x7F...0xFF:
                keep = false
            default:
                keep = !encodingAll
            }
            out += keep ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }
        return out
    }
}
