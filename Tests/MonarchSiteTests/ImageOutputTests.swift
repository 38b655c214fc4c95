import Foundation
import MonarchCore
@testable import MonarchSite
import TestSupport
import Testing

/// Issue #19: a page with two phone photos (4000 × 3000, GPS, make, model, serial, owner,
/// orientation 6, comment, XMP, IPTC) and a drawn map, built for real, its pamphlet printed.
@Suite("Published images", .serialized)
struct ImageOutputTests {
    /// One site and its build for the whole suite: the photos take seconds to make.
    struct Built: Sendable {
        let site: URL
        let result: BuildResult
    }

    struct Failure: Error { let description: String }

    static let built: Result<Built, Failure> = {
        do {
            let page = """
                ---
                title: The drop-in
                pamphlet: true
                ---
                The front door, on the lane.

                ![The front door](door.jpg)

                The map.

                ![Map of the drop-in area](map.png)

                The back door.

                ![The back door](back.jpg)
                """
            let site = try TestBuild.englishSite(files: ["content/en/drop-in.md": page + "\n"])
            let folder = site.appendingPathComponent("content/en")
            try TestPhotos.photo(width: 4000, height: 3000, to: folder.appendingPathComponent("door.jpg"))
            try TestPhotos.tag(folder.appendingPathComponent("door.jpg"))
            try FileManager.default.copyItem(at: folder.appendingPathComponent("door.jpg"), to: folder.appendingPathComponent("back.jpg"))
            try TestPhotos.tag(folder.appendingPathComponent("back.jpg"), ["-Orientation#=1", "-Comment=back door"])
            try TestPhotos.halves(to: folder.appendingPathComponent("map.jpg"))
            let png = try Command.run("/usr/bin/vips", ["copy", folder.appendingPathComponent("map.jpg").path,
                                                        folder.appendingPathComponent("map.png").path])
            guard png.status == 0 else { throw Failure(description: png.err) }
            try FileManager.default.removeItem(at: folder.appendingPathComponent("map.jpg"))
            try TestPhotos.tag(folder.appendingPathComponent("map.png"), ["-XMP-dc:Creator=Jane Doe", "-PNG:Comment=drawn at home"])
            return .success(Built(site: site, result: TestBuild.build(site)))
        } catch {
            return .failure(Failure(description: "\(error)"))
        }
    }()

    static func build() throws -> BuildResult {
        let built = try Self.built.get()
        try #require(built.result.succeeded, "\(built.result.diagnostics)")
        return built.result
    }

    @Test func aPhotoWithAPositionIsAWarningAtThePageThatShowsIt() throws {
        let result = try Self.build()
        let messages = result.diagnostics.map(\.description).filter { $0.contains("GPS") }
        #expect(messages == ["content/en/drop-in.md:7:1: warning: image content/en/door.jpg records the GPS position where it was taken; "
                             + "Monarch removed it (and all other metadata) from the published copies, but the file in content/ still has it: "
                             + "remove it there too (exiftool -all= content/en/door.jpg) before the site folder is shared",
                             "content/en/drop-in.md:15:1: warning: image content/en/back.jpg records the GPS position where it was taken; "
                             + "Monarch removed it (and all other metadata) from the published copies, but the file in content/ still has it: "
                             + "remove it there too (exiftool -all= content/en/back.jpg) before the site folder is shared"],
                "\(result.diagnostics)")
    }

    @Test func everyPublishedImageIsOnlyPixels() throws {
        let result = try Self.build()
        let images = FileList.files(in: result.output).filter { path in [".jpg", ".png", ".webp"].contains { path.hasSuffix($0) } }
        #expect(images.count == 17, "door and back: themselves, 3 widths × 2 formats; the map (400 px): itself, 400 px × 2 formats: \(images.sorted())")
        for image in images {
            let left = try TestPhotos.metadata(result.output.appendingPathComponent(image))
            #expect(left == [], "\(image)")
        }
        // The image at its own address: all its pixels, upright.
        let door = try TestPhotos.size(result.output.appendingPathComponent("en/door.jpg"))
        #expect(door.width == 3000 && door.height == 4000)
        // Inside the PDF: each image as the PDF holds it.
        let extracted = result.output.deletingLastPathComponent().appendingPathComponent("pdf-images")
        try FileManager.default.createDirectory(at: extracted, withIntermediateDirectories: true)
        let pdf = result.output.appendingPathComponent("en/drop-in/drop-in.en.pdf").path
        _ = try Command.tool("pdfimages", ["-all", pdf, extracted.appendingPathComponent("img").path])
        let inPDF = try FileManager.default.contentsOfDirectory(atPath: extracted.path)
        #expect(inPDF.count == 3, "\(inPDF)")
        for name in inPDF where name.hasSuffix(".jpg") {
            let left = try TestPhotos.metadata(extracted.appendingPathComponent(name))
            #expect(left == [], "\(name) in the PDF")
        }
    }

    @Test func pagesGetSizedCopiesInWebPWithAFallback() throws {
        let html = try Self.build().text("en/drop-in/index.html")
        let door = #"<picture><source type="image/webp" srcset="../door-360.webp 360w, ../door-720.webp 720w, ../door-1080.webp 1080w" sizes="(min-width: 42rem) 40rem, calc(100vw - 2rem)" />"#
            + #"<img src="../door-720.jpg" srcset="../door-360.jpg 360w, ../door-720.jpg 720w, ../door-1080.jpg 1080w" sizes="(min-width: 42rem) 40rem, calc(100vw - 2rem)" width="1080" height="1440" alt="The front door" decoding="async" /></picture>"#
        #expect(html.contains(door), "the first image: upright (1080 × 1440), loaded at once\n\(html)")
        let map = #"<picture><source type="image/webp" srcset="../map-400.webp 400w" sizes="(min-width: 432px) 400px, calc(100vw - 2rem)" />"#
            + #"<img src="../map-400.png" srcset="../map-400.png 400w" sizes="(min-width: 432px) 400px, calc(100vw - 2rem)" width="400" height="300" alt="Map of the drop-in area" loading="lazy" decoding="async" /></picture>"#
        #expect(html.contains(map), "a drawing: PNG fallback, never wider than itself, lazy\n\(html)")
        #expect(html.contains(#"width="1080" height="810" alt="The back door" loading="lazy" decoding="async""#))
    }

    /// "Save for offline" saves the copies pages show, not the full-size originals no page
    /// shows (megabytes for a phone photo).
    @Test func theOfflineListHasTheCopiesNotTheOriginals() throws {
        let list = try Self.build().text("offline/en.json")
        #expect(list.contains("\"en/door-360.webp\"") && list.contains("\"en/door-720.jpg\"") && list.contains("\"en/map-400.png\""), "\(list)")
        #expect(!list.contains("\"en/door.jpg\"") && !list.contains("\"en/map.png\"") && !list.contains("\"en/back.jpg\""), "\(list)")
    }

    @Test func thePageWeighsItsFirstImageInItsNarrowestCopy() throws {
        let html = try Self.build().text("en/drop-in/index.html")
        let loads = PageWeight.loadedAddresses(in: Data(html.utf8))
        #expect(loads.last == "../door-360.webp", "\(loads)")
        #expect(loads.filter { $0.contains("map") || $0.contains("back") }.isEmpty, "lazy images are not counted")
    }

    @Test func checkReadsTheImagesAndWritesNothing() throws {
        let site = try Self.built.get().site
        let check = TestBuild.check(site)
        #expect(check.messages.contains { $0.contains("door.jpg records the GPS position") }, "\(check.messages)")
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent(".public.monarch-images").path))
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("public").path))
    }

    @Test func thePortableCopyHasOnlyPixelsToo() throws {
        let built = try Self.built.get()
        let output = TestBuild.temporaryFolder("portable")
        let diagnostics = DiagnosticsEngine()
        let summary = SiteBuilder(siteFolder: built.site, outputFolder: output, builtInTheme: Repo.root, diagnostics: diagnostics).runPortable()
        try #require(summary != nil, "\(diagnostics.diagnostics)")
        let folder = PortableCopy.locations(output: output).0
        let images = FileList.files(in: folder).filter { path in [".jpg", ".png", ".webp"].contains { path.hasSuffix($0) } }
        #expect(images.count == 17, "\(images)")
        for image in images {
            let left = try TestPhotos.metadata(folder.appendingPathComponent(image))
            #expect(left == [], "\(image)")
        }
    }

    @Test func aPhoneReaderPaysLittle() throws {
        let result = try Self.build()
        for name in ["en/door-360.webp", "en/door-360.jpg", "en/back-360.webp"] {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: result.output.appendingPathComponent(name).path)[.size] as? Int)
            #expect(size <= 60_000, "\(name): \(size) bytes")
        }
        let source = try #require(try FileManager.default.attributesOfItem(atPath: Self.built.get().site.appendingPathComponent("content/en/door.jpg").path)[.size] as? Int)
        #expect(source > 3_000_000, "the test's photo is phone-sized: \(source) bytes")
    }

    @Test func thePamphletPrintsCopiesForTheirPlacedSize() throws {
        let result = try Self.build()
        let pdf = result.output.appendingPathComponent("en/drop-in/drop-in.en.pdf")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: pdf.path)[.size] as? Int)
        #expect(size < 1_000_000, "\(size) bytes")
        let list = try Command.tool("pdfimages", ["-list", pdf.path]).split(separator: "\n").dropFirst(2)
        #expect(list.count == 3)
        for line in list {
            let fields = line.split(separator: " ")
            let width = Int(fields[3]) ?? 0, ppi = Int(fields[12]) ?? 0
            #expect(width < 3000 && (width > 1080 || width == 400), "neither the original nor a web copy: \(line)")
            #expect((280...320).contains(ppi) || width == 400, "about 300 dpi as placed (the map has fewer pixels): \(line)")
        }
    }

    @Test func aRebuildAfterATextEditMakesNoImage() throws {
        let built = try Self.built.get()
        _ = try Self.build()
        let site = built.site
        try TestBuild.write(try String(contentsOf: site.appendingPathComponent("content/en/drop-in.md"), encoding: .utf8) + "\nOne more line.\n",
                            "content/en/drop-in.md", in: site)
        let lines = ProgressLines()
        let diagnostics = DiagnosticsEngine()
        var builder = SiteBuilder(siteFolder: site, outputFolder: built.result.output, builtInTheme: Repo.root, diagnostics: diagnostics)
        builder.progress = { lines.append($0) }
        #expect(builder.run() != nil, "\(diagnostics.diagnostics)")
        #expect(lines.all.contains("images: 3 images, 17 copies, 0 made"), "\(lines.all)")
        let cache = ImageCache(outputFolder: built.result.output).folder
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).count == 17, "one file per copy")
    }
}

private final class ProgressLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
