import Foundation
import MonarchCore
import MonarchMarkdown
import Testing
@testable import MonarchPrint

/// Booklets, bilingual pamphlets and kits, checked through the text of each half sheet.
@Suite struct FormatTests {
    /// The text of one half of a landscape sheet (0 left, 1 right).
    static func half(_ path: String, sheet: Int, side: Int, paper: PaperSize = .letter) throws -> String {
        let (w, h) = PageFrame.sheet(paper)
        let half = Int(w / 2)
        return try PDFText.text(path, page: sheet, crop: (side * half, 0, half, Int(h)))
    }

    /// The `n / N` in a half sheet's footer, nil on a blank page.
    static func footerNumber(_ text: String) -> (Int, Int)? {
        guard let match = text.firstMatch(of: /(\d+)\s*\/\s*(\d+)/) else { return nil }
        return (Int(match.1)!, Int(match.2)!)
    }

    @Test func saddleStitchOrder() {
        let order = Pamphlet.saddleStitchOrder(pageCount: 8)
        #expect(order.map { [$0.left + 1, $0.right + 1] } == [[8, 1], [2, 7], [6, 3], [4, 5]])
        #expect(Pamphlet.saddleStitchOrder(pageCount: 4).map { [$0.left, $0.right] } == [[3, 0], [1, 2]])
    }

    @Test("Booklet: landscape sheets, pages in folding order, padded to a multiple of 4, text selectable",
          arguments: [PaperSize.letter, .a4])
    func booklet(paper: PaperSize) throws {
        let page = try udhrPage("eng", tag: "en", webAddress: "https://example.org/en/udhr/")
        let pdf = try Pamphlet.booklet(page, options: PamphletOptions(paper: paper, creationDate: fixedDate)).pdf()
        keep(pdf, "booklet-\(paper).pdf")
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "booklet.pdf", in: folder)
        let info = try PDFText.info(path)
        let sheets = try #require(Int(info["Pages"] ?? ""))
        let expectedSize = paper == .letter ? "792 x 612 pts" : "841.89 x 595.276 pts"
        #expect(info["Page size"]?.hasPrefix(expectedSize) == true, "\(info["Page size"] ?? "")")
        _ = try tool("qpdf", ["--check", path])

        // Read every half sheet, note its page number, and check the order of folding.
        var pages: [Int: String] = [:]
        var total = 0
        var blanks = 0
        let order = Pamphlet.saddleStitchOrder(pageCount: sheets * 2)
        for sheet in 1...sheets {
            for side in 0..<2 {
                let text = try Self.half(path, sheet: sheet, side: side, paper: paper)
                let expectedPage = (side == 0 ? order[sheet - 1].left : order[sheet - 1].right) + 1
                if let (n, of) = Self.footerNumber(text) {
                    #expect(n == expectedPage, "sheet \(sheet) side \(side) holds page \(n), expected \(expectedPage)")
                    pages[n] = text
                    total = of
                } else {
                    #expect(text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
                    blanks += 1
                }
            }
        }
        #expect(sheets * 2 % 4 == 0)
        #expect(total == pages.count && total > 4)
        #expect(blanks == sheets * 2 - total && blanks < 4)
        // The pages read in number order give the whole text in order.
        let joined = PDFText.withoutFooters((1...total).map { pages[$0] ?? "" }.joined(separator: "\n"))
        let missing = TextCompare.missingLines(source: page.document.plainText, output: joined, removeWhitespace: false)
        #expect(missing.isEmpty, "\(missing.prefix(3))")
    }

    @Test("Bilingual: each article is on the same sheet in both languages")
    func bilingual() throws {
        let english = try udhrPage("eng", tag: "en", webAddress: "https://example.org/en/udhr/")
        let thai = try udhrPage("tha", tag: "th", webAddress: "https://example.org/th/udhr/")
        let pdf = try Pamphlet.bilingual(thai, english, options: letter).pdf()
        keep(pdf, "bilingual.pdf")
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "bilingual.pdf", in: folder)
        _ = try tool("qpdf", ["--check", path])
        #expect(try PDFText.catalog(path).contains("/Lang (th)"))
        let fonts = try PDFText.fonts(path)
        #expect(fonts.contains("NotoSansThai-Regular") && fonts.contains("NotoSans-Regular"))
        let sheets = try #require(Int(try PDFText.info(path)["Pages"] ?? ""))
        var thaiSheet: [Int: Int] = [:], englishSheet: [Int: Int] = [:]
        for sheet in 1...sheets {
            let left = try Self.half(path, sheet: sheet, side: 0)
            let right = try Self.half(path, sheet: sheet, side: 1)
            for match in left.matches(of: /ข้อ (\d+)\n/) { thaiSheet[Int(match.1)!] = sheet }
            for match in right.matches(of: /Article (\d+)\n/) { englishSheet[Int(match.1)!] = sheet }
        }
        #expect(thaiSheet.count == 30 && englishSheet.count == 30)
        for article in 1...30 {
            #expect(thaiSheet[article] == englishSheet[article], "article \(article)")
        }
    }

    @Test("Kit: a contents page whose page numbers lead to each page")
    func kit() throws {
        let udhr = try udhrPage("eng", tag: "en")
        let stop = page("# If the police stop you\n\nStay calm. You can ask: *Am I free to go?*\n\n- Keep your hands visible.\n- Do not run.\n",
                        title: "If the police stop you")
        let health = page("# Testing\n\nFree and anonymous testing at the clinic.\n", title: "Testing")
        let pdf = try Pamphlet.kit(title: "Outreach kit", pages: [stop, udhr, health], options: letter).pdf()
        keep(pdf, "kit.pdf")
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "kit.pdf", in: folder)
        let sheets = try #require(Int(try PDFText.info(path)["Pages"] ?? ""))
        var pages: [Int: String] = [:]
        for sheet in 1...sheets {
            for side in 0..<2 {
                let text = try Self.half(path, sheet: sheet, side: side)
                if let (n, _) = Self.footerNumber(text) { pages[n] = text }
            }
        }
        let contents = try #require(pages[1])
        #expect(contents.contains("Outreach kit"))
        for title in ["If the police stop you", "Universal Declaration of Human Rights", "Testing"] {
            let entry = try #require(contents.firstMatch(of: try Regex(NSRegularExpression.escapedPattern(for: title) + #"\s+(\d+)"#)),
                                     "no contents entry for \(title)")
            let number = try #require(Int(entry.output[1].substring ?? ""))
            let target = try #require(pages[number])
            let start = target.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(start.hasPrefix(title), "page \(number) for \(title)")
        }
    }
}
