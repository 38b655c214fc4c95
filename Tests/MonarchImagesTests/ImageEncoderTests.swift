import Foundation
@testable import MonarchImages
import TestSupport
import Testing

/// Issue #19, points 1 and 2: what libvips makes of a phone's photo, read back by exiftool.
@Suite("Image encoder")
struct ImageEncoderTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("monarch-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Red left half, blue right half, stored lying on its side (orientation 6) with a phone's tags.
    static func taggedHalves(in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("halves.jpg")
        try TestPhotos.halves(to: url)
        try TestPhotos.tag(url)
        return url
    }

    @Test func theHeaderSaysWhereAndHowUpright() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try Self.taggedHalves(in: folder)
        let header = try ImageHeader.read(Data(contentsOf: url))
        #expect(header.format == .jpeg)
        #expect(header.width == 300 && header.height == 400, "orientation 6 shows it upright, taller than wide")
        #expect(header.hasPosition)
        #expect(!header.hasAlpha)
        try TestPhotos.halves(to: url)
        #expect(try !ImageHeader.read(Data(contentsOf: url)).hasPosition)
    }

    @Test(arguments: [OutputFormat.jpeg, .webp, .png, .avif, .gif, .heif])
    func everyFormatHasOnlyTheUprightPixels(_ format: OutputFormat) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try Self.taggedHalves(in: folder)
        #expect(try TestPhotos.metadata(source).contains("GPS:GPSLatitude"), "the test's photo has the tags")
        let data = try ImageEncoder.encode(Data(contentsOf: source), width: 150, settings: .init(format: format))
        let out = folder.appendingPathComponent("out.\(format.fileExtension)")
        try data.write(to: out)
        let left = try TestPhotos.metadata(out)
        #expect(left == [], "\(format): nothing but the pixels")
        let size = try TestPhotos.size(out)
        #expect(size.width == 150 && size.height == 200)
        // Turned upright: what was the left half (red) is now the top.
        let top = try TestPhotos.pixel(out, x: 75, y: 20), bottom = try TestPhotos.pixel(out, x: 75, y: 180)
        #expect(top[0] > 150 && top[2] < 100, "\(format) top \(top)")
        #expect(bottom[2] > 150 && bottom[0] < 100, "\(format) bottom \(bottom)")
    }

    @Test func neverEnlarged() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try Self.taggedHalves(in: folder)
        let data = try ImageEncoder.encode(Data(contentsOf: source), width: 1080, settings: .init(format: .webp))
        #expect(try ImageHeader.read(data).width == 300)
    }

    @Test func notAnImage() {
        #expect(throws: ImageFailure.self) { try ImageHeader.read(Data("not an image".utf8)) }
        #expect(throws: ImageFailure.self) { try ImageHeader.read(Data("<svg xmlns='http://www.w3.org/2000/svg'/>".utf8)) }
    }

    @Test func webPMetadataChunksAreRemoved() throws {
        func chunk(_ name: String, _ body: [UInt8]) -> [UInt8] {
            let n = body.count
            return Array(name.utf8) + [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), 0, 0] + body + (n & 1 == 1 ? [0] : [])
        }
        let vp8x = chunk("VP8X", [0x2C, 0, 0, 0, 1, 0, 0, 1, 0, 0])
        let body = vp8x + chunk("ICCP", [1, 2, 3]) + chunk("VP8L", [9, 9, 9, 9]) + chunk("EXIF", [7]) + chunk("XMP ", [8, 8])
        let size = UInt32(4 + body.count)
        let file = Array("RIFF".utf8) + [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), 0, 0] + Array("WEBP".utf8) + body
        let stripped = try #require(WebPChunks.stripped(Data(file)))
        let expected = chunk("VP8X", [0, 0, 0, 0, 1, 0, 0, 1, 0, 0]) + chunk("VP8L", [9, 9, 9, 9])
        let expectedSize = UInt32(4 + expected.count)
        #expect([UInt8](stripped) == Array("RIFF".utf8) + [UInt8(expectedSize), 0, 0, 0] + Array("WEBP".utf8) + expected)
    }
}
