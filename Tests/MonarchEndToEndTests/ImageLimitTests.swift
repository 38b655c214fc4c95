import Foundation
import TestSupport
import Testing

/// Issue #14, point 7 (images): a PNG of 23000 × 23000 pixels is 64 KB on disk and 2 GB
/// decoded. The build reads its size from the header and refuses it before decoding (issue
/// #19: every image is read for the web too, before any pamphlet): the build exits 1 with a
/// message naming the image, its size and the limit, and its peak memory stays far below what
/// decoding would take.
@Suite("Image limits")
struct ImageLimitTests {
    /// A valid 1-bit greyscale PNG of `side` × `side` black pixels, compressed by Python's
    /// zlib a row at a time (the test never holds the pixels).
    static func hugePNG(side: Int, at url: URL) throws {
        let script = """
            import struct, sys, zlib
            side = int(sys.argv[2])
            def chunk(kind, data):
                body = kind + data
                return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body) & 0xffffffff)
            z = zlib.compressobj(9)
            row = bytes(1 + (side + 7) // 8)
            idat = b''.join(z.compress(row) for _ in range(side)) + z.flush()
            with open(sys.argv[1], 'wb') as f:
                f.write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', side, side, 1, 0, 0, 0, 0))
                        + chunk(b'IDAT', idat) + chunk(b'IEND', b''))
            """
        let python = try Command.run("/usr/bin/python3", ["-c", script, url.path, String(side)])
        try #require(python.status == 0, "python3 could not write the PNG: \(python.err)")
    }

    @Test func aHugePNGIsRefusedFromItsHeader() throws {
        let site = try BoundedResourcesTests.site([
            "index.md": "---\ntitle: Home\npamphlet: true\n---\nThe map:\n\n![map](huge.png)\n",
        ])
        let png = site.appendingPathComponent("content/en/huge.png")
        try Self.hugePNG(side: 23_000, at: png)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int)
        #expect(size < 2 << 20, "the test's PNG is small on disk: \(size) bytes")

        let run = try BoundedResourcesTests.build(site)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("content/en/index.md:7:1: error: image 'huge.png': PNG image is 23000×23000 pixels (529 megapixels), more than Monarch takes (100 megapixels, 20000 pixels a side); resize it"),
                "\(run.stderr)")
        #expect(run.peakRSS < 512 << 20, "peak \(run.peakRSS >> 20) MiB")
    }

    @Test func aHugeJPEGIsRefusedFromItsFrameHeader() throws {
        let site = try BoundedResourcesTests.site([
            "index.md": "---\ntitle: Home\npamphlet: true\n---\n![photo](photo.jpg)\n",
        ])
        // Start of image, a baseline frame header of 15000 × 15000 with three components,
        // end of image: all the loader reads before it would embed the bytes.
        let side: [UInt8] = [0x3A, 0x98]
        let frame: [UInt8] = [0xFF, 0xC0, 0x00, 0x11, 0x08] + side + side + [0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
        try Data([0xFF, 0xD8] + frame + [0xFF, 0xD9]).write(to: site.appendingPathComponent("content/en/photo.jpg"))
        let run = try BoundedResourcesTests.build(site)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("content/en/index.md:5:1: error: image 'photo.jpg': JPEG image is 15000×15000 pixels (225 megapixels), more than Monarch takes (100 megapixels, 20000 pixels a side)"),
                "\(run.stderr)")
    }

    @Test func aHugeImageFileIsNotReadAtAll() throws {
        let site = try BoundedResourcesTests.site([
            "index.md": "---\ntitle: Home\npamphlet: true\n---\n![map](big.png)\n",
        ])
        // A small PNG's header, then a sparse hole to 65 MiB: no disk or memory is used.
        let png = site.appendingPathComponent("content/en/big.png")
        try Self.hugePNG(side: 100, at: png)
        let handle = try FileHandle(forWritingTo: png)
        try handle.truncate(atOffset: 65 << 20)
        try handle.close()
        let run = try BoundedResourcesTests.build(site)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("content/en/index.md:5:1: error: image 'big.png': the file is 65 MiB, more than the 64 MiB an image may be; make it smaller"),
                "\(run.stderr)")
        #expect(run.peakRSS < 256 << 20, "peak \(run.peakRSS >> 20) MiB")
    }

    @Test func anImageWithinTheLimitIsPrinted() throws {
        let site = try BoundedResourcesTests.site([
            "index.md": "---\ntitle: Home\npamphlet: true\n---\nThe map:\n\n![map](fine.png)\n",
        ])
        try Self.hugePNG(side: 2_000, at: site.appendingPathComponent("content/en/fine.png"))
        let run = try BoundedResourcesTests.build(site)
        #expect(run.status == 0, "\(run.stderr)")
    }
}
