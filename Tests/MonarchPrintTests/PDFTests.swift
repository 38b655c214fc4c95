import Foundation
import MonarchCore
import MonarchMarkdown
import Testing
@testable import MonarchPrint

/// Every kind of block, metadata, language, bookmarks, links, QR codes, reproducibility.
@Suite struct PDFTests {
    static let everyBlock = """
    # Know your rights

    Intro with *emphasis*, **strong**, `inline code`, a [link to testing](../health/testing.md),
    <https://example.org/direct> and a [jump below](#what-to-say).

    ## What to say

    1. First ordered
    2. Second, with a nested list:
       - bullet a
       - bullet b
         1. deep one
    3. Third

    > A quote with a paragraph.
    >
    > > And a nested quote.

    ```
    code block line 1
        indented line 2
    ```

    ---

    ![A map of the area](map.png "The neighbourhood")

    ![Photo of the clinic](photo.jpg)

    ###### Small heading

    Last paragraph.
    """

    /// A PNG and a JPEG made with poppler from a small rendered page.
    static func makeImages(in folder: URL) throws {
        let pdf = try Pamphlet.render(page("# Map\n\nA small picture.\n"), options: letter).pdf()
        let path = try write(pdf, "source.pdf", in: folder)
        try tool("pdftoppm", ["-r", "24", "-f", "1", "-l", "1", "-png", "-singlefile", path, folder.appendingPathComponent("map").path])
        try tool("pdftoppm", ["-r", "30", "-f", "1", "-l", "1", "-jpeg", "-singlefile", path, folder.appendingPathComponent("photo").path])
    }

    static func everyBlockPage(images folder: URL, tag: String = "en") -> PamphletPage {
        page(everyBlock, tag: tag, title: "Know your rights", webAddress: "https://example.org/en/police/stop/",
             resolveImage: { name in
                 let url = folder.appendingPathComponent(name)
                 return FileManager.default.fileExists(atPath: url.path) ? url : nil
             },
             resolveLink: { $0.hasSuffix(".md") ? "https://example.org/en/health/testing/" : $0 })
    }

    /// Every line of a paragraph asked about every link on it: a paragraph citing one note
    /// 100,000 times took 32 s alone (now 10 s alone, 19 s beside the other print tests; debug build).
    /// Time grows with the number of links on a line, not with its square: ten times the
    /// references take well under thirty times as long (a check of every link on every line
    /// took 32 s for 100,000). A ratio, so that a busy machine does not fail it.
    @Test func aParagraphOfManyFootnoteReferencesPrintsInSeconds() throws {
        func time(_ count: Int) throws -> Duration {
            let markdown = String(repeating: "[^1]", count: count) + "\n\n[^1]: The note.\n"
            let start = ContinuousClock.now
            let pdf = try Pamphlet.render(page(markdown), options: letter).pdf()
            #expect(String(decoding: pdf, as: UTF8.self).contains("/Dest"))
            return ContinuousClock.now - start
        }
        let small = try time(8_000)
        let large = try time(80_000)
        #expect(large < small * 30, "8,000 references: \(small); 80,000: \(large)")
    }

    @Test("Every block and inline kind is printed, with images, links and structure")
    func everyBlockKind() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.makeImages(in: folder)
        let pdf = try Pamphlet.render(Self.everyBlockPage(images: folder), options: letter).pdf()
        keep(pdf, "every-block.pdf")
        let path = try write(pdf, "blocks.pdf", in: folder)
        _ = try tool("qpdf", ["--check", path])

        let text = try PDFText.text(path, raw: true).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for expected in [
            "Intro with emphasis, strong, inline code, a link to testing (example.org/en/health/testing/), https://example.org/direct and a jump below.",
            "1. First ordered", "2. Second, with a nested list:", "– bullet a", "– bullet b", "1. deep one", "3. Third",
            "A quote with a paragraph.", "And a nested quote.", "code block line 1", "indented line 2",
            "The neighbourhood", "Small heading", "Last paragraph.",
        ] {
            #expect(text.contains(expected), "missing: \(expected)")
        }
        // The address of an autolink is printed once, not twice.
        #expect(text.components(separatedBy: "example.org/direct").count == 2)

        let images = try tool("pdfimages", ["-list", path])
        #expect(images.contains(" jpeg "), "the JPEG is embedded as it is:\n\(images)")
        #expect(images.split(separator: "\n").count == 4, "\(images)")   // two header lines, two images

        let bytes = String(decoding: pdf, as: UTF8.self)
        #expect(bytes.contains("/URI (https://example.org/en/health/testing/)"))
        #expect(bytes.contains("/URI (https://example.org/direct)"))
        #expect(bytes.contains("/URI (https://example.org/en/police/stop/)"))
        #expect(bytes.contains("/Dest (what-to-say)"))

        let structure = try tool("pdfinfo", ["-struct", path])
        for element in ["Document", "H1", "H2", "H6", "P", "L", "LI", "Lbl", "LBody", "BlockQuote", "Code", "Figure", "Caption", "Link"] {
            #expect(structure.contains(element), "no \(element) in the structure tree")
        }
        let outline = try tool("qpdf", ["--json=2", "--json-key=outlines", path])
        for title in ["Know your rights", "What to say", "Small heading"] {
            #expect(outline.contains("\"title\": \"\(title)\""))
        }
    }

    /// A printed address is followed by a space before a word written right after it (Thai,
    /// Chinese), so that it neither sticks to the word nor keeps the line from breaking
    /// there (issue #18, point 9); punctuation right after it stays right after it.
    @Test("A printed link address never sticks to the next word", arguments: [
        ("th", "อ่าน[นโยบาย](https://www.example.org/privacy/)เพื่อให้ลบข้อมูล", "(www.example.org/privacy/) เพื่อให้ลบข้อมูล"),
        ("zh-Hans", "请看[说明](https://www.example.org/help/)了解更多。", "(www.example.org/help/) 了解更多"),
        ("en", "Read [the policy](https://www.example.org/privacy/).", "(www.example.org/privacy/)."),
    ])
    func addressGap(tag: String, markdown: String, expected: String) throws {
        let pdf = try Pamphlet.render(page(markdown, tag: tag), options: letter).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try PDFText.text(try write(pdf, "gap.pdf", in: folder), raw: true)
        #expect(text.contains(expected), "\(text)")
    }

    @Test("Title, author, subject, creation date and /Lang", arguments: ["en", "zh-Hant", "th"])
    func metadata(tag: String) throws {
        let document = MarkdownDocument.parse("# 標題\n\nText.\n")
        let page = PamphletPage(document: document, title: "Stop & search: your rights", author: "Maple Lantern Peer Network",
                                subject: "What to do when the police stop you", languageTag: tag,
                                footerText: "Maple Lantern", sourcePath: "content/x.md")
        let pdf = try Pamphlet.render(page, options: PamphletOptions(creationDate: Date(timeIntervalSince1970: 1_600_000_000))).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "meta.pdf", in: folder)
        let info = try PDFText.info(path)
        #expect(info["Title"] == "Stop & search: your rights")
        #expect(info["Author"] == "Maple Lantern Peer Network")
        #expect(info["Subject"] == "What to do when the police stop you")
        #expect(info["Creator"] == "Monarch")
        #expect(info["CreationDate"] == "Sun Sep 13 12:26:40 2020 UTC")
        #expect(info["ModDate"] == "Sun Sep 13 12:26:40 2020 UTC")
        let check = try tool("qpdf", ["--check", path])
        #expect(check.contains("No syntax or stream encoding errors"))
        #expect(try PDFText.catalog(path).contains("/Lang (\(tag))"))
        // pypdf reads it too, where it is installed.
        let script = "import sys, pypdf; print(pypdf.PdfReader(sys.argv[1]).trailer['/Root']['/Lang'])"
        if let out = try? tool("python3", ["-c", script, path]) {
            #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == tag)
        }
    }

    @Test("Letter by default, A4 on request")
    func paperSizes() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let letterPDF = try Pamphlet.render(page("Hello."), options: PamphletOptions(creationDate: fixedDate)).pdf()
        let a4PDF = try Pamphlet.render(page("Hello."), options: PamphletOptions(paper: .a4, creationDate: fixedDate)).pdf()
        #expect(try PDFText.info(try write(letterPDF, "l.pdf", in: folder))["Page size"] == "612 x 792 pts (letter)")
        #expect(try PDFText.info(try write(a4PDF, "a.pdf", in: folder))["Page size"] == "595.276 x 841.89 pts (A4)")
    }

    @Test("The QR code decodes to the page's address",
          arguments: ["https://example.org/en/police/stop/", "https://example.org/th/ตำรวจ/"])
    func qrCode(address: String) throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pdf = try Pamphlet.render(page("# Stop\n\nText.", webAddress: address), options: letter).pdf()
        let path = try write(pdf, "qr.pdf", in: folder)
        let image = folder.appendingPathComponent("page").path
        try tool("pdftoppm", ["-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", path, image])
        let decoded = try tool("zbarimg", ["-q", "--raw", image + ".png"]).trimmingCharacters(in: .whitespacesAndNewlines)
        // A browser sends the address percent-encoded; so does the code.
        #expect(decoded == PercentEncoding.pdfAddress(address))
        #expect(decoded.removingPercentEncoding == address)
        #expect(try PDFText.text(path).contains(address.replacingOccurrences(of: "https://", with: "")))
    }

    @Test("The same input gives the same bytes")
    func reproducible() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.makeImages(in: folder)
        let page = Self.everyBlockPage(images: folder)
        #expect(try Pamphlet.render(page, options: letter).pdf() == Pamphlet.render(page, options: letter).pdf())
        #expect(try Pamphlet.booklet(page, options: letter).pdf() == Pamphlet.booklet(page, options: letter).pdf())
        let thai = MonarchPrintTests.page("# ถ้าตำรวจเรียกตรวจ\n\nอยู่ในความสงบ คุณมีสิทธิ์ถามว่า **ฉันไปได้หรือยัง**\n\n- โทร 555-0100\n", tag: "th")
        #expect(try Pamphlet.bilingual(thai, page, options: letter).pdf() == Pamphlet.bilingual(thai, page, options: letter).pdf())
        #expect(try Pamphlet.kit(title: "Kit", pages: [page, thai], options: letter).pdf()
                == Pamphlet.kit(title: "Kit", pages: [page, thai], options: letter).pdf())
        // Only the dates differ between two creation dates.
        let later = PamphletOptions(creationDate: fixedDate.addingTimeInterval(86_400))
        let a = try Pamphlet.render(page, options: letter).pdf(), b = try Pamphlet.render(page, options: later).pdf()
        #expect(a != b && a.count == b.count)
    }

    @Test("Renders from several threads at once give the same bytes as one at a time")
    func concurrent() throws {
        let pages = try udhrLanguages.map { try udhrPage($0.code, tag: $0.tag, webAddress: "https://example.org/udhr/") }
        @Sendable func render(_ i: Int) -> Data? {
            let page = pages[i % pages.count], other = pages[(i + 1) % pages.count]
            switch i % 4 {
            case 0: return try? Pamphlet.render(page, options: letter).pdf()
            case 1: return try? Pamphlet.booklet(page, options: letter).pdf()
            case 2: return try? Pamphlet.bilingual(page, other, options: letter).pdf()
            default: return try? Pamphlet.kit(title: "Kit", pages: [page, other], options: letter).pdf()
            }
        }
        let count = 8
        let sequential = (0..<count).map(render)
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var data: [Int: Data] = [:]
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let pdf = render(i)
            results.lock.lock()
            results.data[i] = pdf
            results.lock.unlock()
        }
        for i in 0..<count {
            #expect(results.data[i] != nil && results.data[i] == sequential[i], "render \(i)")
        }
    }
}
