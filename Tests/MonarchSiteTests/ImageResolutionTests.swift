import Foundation
import TestSupport
import Testing
import MonarchCore
import MonarchContent
import MonarchMarkdown
@testable import MonarchSite

/// The web page and its pamphlet find an image the same way (issue #18, point 4): beside the
/// page's Markdown file, in a section's folder, from the source language's folder when a
/// translation lacks it, and from static/ for `/...`.
@Suite("Images where editors put them")
struct ImageResolutionTests {
    static func png(width: Int = 40, height: Int = 30) -> Data {
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let typed = Array(type.utf8) + body
            let length = UInt32(body.count).bigEndian, crc = crc32(typed).bigEndian
            return withUnsafeBytes(of: length) { Array($0) } + typed + withUnsafeBytes(of: crc) { Array($0) }
        }
        var header: [UInt8] = []
        for value in [UInt32(width), UInt32(height)] { header += withUnsafeBytes(of: value.bigEndian) { Array($0) } }
        header += [8, 2, 0, 0, 0]
        let row: [UInt8] = [0] + [UInt8](repeating: 0, count: width * 3).enumerated().map { [200, 50, 50][$0.offset % 3] }
        let rows: [UInt8] = Array([[UInt8]](repeating: row, count: height).joined())
        return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header)
                    + chunk("IDAT", zlibStored(rows)) + chunk("IEND", []))
    }

    /// zlib's format with stored (uncompressed) blocks: enough for a test image.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let count = min(65535, data.count - offset)
            let last: UInt8 = offset + count == data.count ? 1 : 0
            out += [last, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[offset..<offset + count]
            offset += count
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + withUnsafeBytes(of: (b << 16 | a).bigEndian) { Array($0) }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test func webAndPrintFindTheSameImages() throws {
        let site = try TestBuild.englishSite(yaml: "  - {key: th, tag: th, name: ไทย}\n", files: [
            "content/th/index.md": "---\ntitle: หน้าแรก\n---\n[นโยบาย](policy/index.md)\n",
            "content/en/policy/index.md": "---\ntitle: Policy\npamphlet: true\n---\n![flow](flow.png)\n\n![logo](/img/logo.png)\n",
            "content/en/policy/terms.md": "---\ntitle: Terms\npamphlet: true\n---\n![flow](flow.png)\n",
            "content/th/policy/terms.md": "---\ntitle: ข้อกำหนด\npamphlet: true\n---\n![flow](flow.png)\n\n![logo](/img/logo.png)\n",
        ])
        try Self.png().write(to: site.appendingPathComponent("content/en/policy/flow.png"))
        try FileManager.default.createDirectory(at: site.appendingPathComponent("static/img"), withIntermediateDirectories: true)
        try Self.png().write(to: site.appendingPathComponent("static/img/logo.png"))

        let result = TestBuild.build(site)
        try #require(result.succeeded, "\(result.diagnostics)")
        #expect(result.diagnostics.isEmpty)
        for (pdf, count) in [("en/policy/policy.en.pdf", 2), ("en/policy/terms/terms.en.pdf", 1), ("th/policy/terms/terms.th.pdf", 2)] {
            let list = try Command.tool("pdfimages", ["-list", result.output.appendingPathComponent(pdf).path])
            #expect(list.split(separator: "\n").count - 2 == count, "\(pdf): \(list)")
        }
        #expect(try result.text("th/policy/terms/index.html").contains(#"src="../../../en/policy/flow-40.png""#),
                "the translation shows the source language's image")
        #expect(try result.text("en/policy/terms/index.html").contains(#"src="../flow-40.png""#))
    }

    @Test func aMissingImageIsNamedAsThePageWritesIt() throws {
        let site = try TestBuild.englishSite(files: [
            "content/en/a.md": "---\ntitle: A\npamphlet: true\n---\n![logo](/img/nope.png)\n",
        ])
        let result = TestBuild.build(site, write: false)
        let messages = result.diagnostics.map(\.description)
        #expect(messages == ["content/en/a.md:5:1: error: image '/img/nope.png' not found: static/ publishes no /img/nope.png; "
                             + "put the file under static/ or correct the path"], "\(messages)")
        // The same on a page that is not printed: the web page would show a broken image.
        try TestBuild.write("---\ntitle: A\npamphlet: false\n---\n![logo](/img/nope.png)\n", "content/en/a.md", in: site)
        #expect(TestBuild.build(site, write: false).diagnostics.map(\.description) == messages)
        #expect(!messages.joined().contains(site.path), "no absolute path")
    }

    @Test func aLinkOutOfStaticIsNotPrinted() throws {
        let outside = TestBuild.temporaryFolder("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Self.png().write(to: outside.appendingPathComponent("private.png"))
        let site = try TestBuild.englishSite(files: ["content/en/a.md": "---\ntitle: A\npamphlet: true\n---\n![x](/img/x.png)\n"])
        try FileManager.default.createDirectory(at: site.appendingPathComponent("static/img"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: site.appendingPathComponent("static/img/x.png"),
                                                   withDestinationURL: outside.appendingPathComponent("private.png"))
        let result = TestBuild.build(site, write: false)
        #expect(!result.succeeded)
        #expect(result.diagnostics.contains { $0.description.hasPrefix("static/img/x.png: error: symbolic link to ") },
                "\(result.diagnostics)")
        let resolver = LinkResolver(graph: SiteGraph(config: SiteConfig(title: "T", languages: [Language(key: "en", tag: "en", name: "English")]),
                                                     content: Content(), diagnostics: DiagnosticsEngine()), assets: [:])
        let page = try #require(PageLoader.load(siteFolder: site, languageKey: "en", relativePath: "a.md",
                                                options: .init(), diagnostics: DiagnosticsEngine()))
        #expect(resolver.imageFile("/img/x.png", of: page, siteFolder: site) == nil, "the printer does not follow it either")
    }

    /// The copy of static/ publishes a link to a file of the site (`logo.png -> brand/logo.png`)
    /// and skips hidden names; the printer takes the same files, also when the site folder
    /// is reached through a link (`~/sites -> /data/sites`).
    @Test func printTakesWhatTheCopyOfStaticPublishes() throws {
        let real = try TestBuild.englishSite(files: [
            "content/en/a.md": "---\ntitle: A\npamphlet: true\n---\n![logo](/img/logo.png)\n",
            "content/en/b.md": "---\ntitle: B\npamphlet: true\n---\n![hidden](/img/.hidden.png)\n",
        ])
        let fm = FileManager.default
        try fm.createDirectory(at: real.appendingPathComponent("static/img/brand"), withIntermediateDirectories: true)
        try Self.png().write(to: real.appendingPathComponent("static/img/brand/logo.png"))
        try Self.png().write(to: real.appendingPathComponent("static/img/.hidden.png"))
        try fm.createSymbolicLink(atPath: real.appendingPathComponent("static/img/logo.png").path, withDestinationPath: "brand/logo.png")
        let site = TestBuild.temporaryFolder("site-link")
        try fm.createSymbolicLink(at: site, withDestinationURL: real)

        let result = TestBuild.build(site)
        #expect(result.diagnostics.map(\.description) == [
            "content/en/b.md:5:1: error: image '/img/.hidden.png' not found: static/ publishes no /img/.hidden.png; "
            + "put the file under static/ or correct the path",
        ], "the linked logo is printed, the hidden file (not on the web) is not")
        #expect(LinkResolver.publishedStaticFile("img/logo.png", siteFolder: site) == "static/img/logo.png")
        #expect(LinkResolver.publishedStaticFile("img/brand/logo.png", siteFolder: site) == "static/img/brand/logo.png")
        #expect(LinkResolver.publishedStaticFile("img/.hidden.png", siteFolder: site) == nil)
    }
}
