import Foundation
import TestSupport
import MonarchCore
import MonarchMarkdown
import Testing
@testable import MonarchPrint

/// Tables, footnotes, callouts, details, definition lists, task items and tagged inline
/// text on paper (issue #17), in the five languages. The blocks are built by hand, as the
/// Markdown parser makes them, with real sentences from the UDHR corpus.
@Suite struct NewBlocksTests {
    // MARK: - Fixture

    static let at = SourcePosition(line: 1, column: 1)
    static func text(_ s: String) -> Inline { Inline(.text(s), at: at) }
    static func tagged(_ tag: InlineTag, _ s: String) -> Inline { Inline(.tagged(tag, [text(s)]), at: at) }
    static func paragraph(_ inlines: [Inline]) -> Block { Block(.paragraph(inlines), at: at) }
    static func paragraph(_ s: String) -> Block { paragraph([text(s)]) }
    static func cell(_ s: String, header: Bool = false, columns: Int = 1, rows: Int = 1) -> TableCell {
        TableCell(blocks: s.isEmpty ? [] : [paragraph(s)], isHeader: header, columnSpan: columns, rowSpan: rows, position: at)
    }
    static func row(_ cells: [TableCell]) -> TableRow { TableRow(cells: cells, position: at) }

    /// Pieces of the UDHR text of `code`: phrases between punctuation, of a few words.
    static func phrases(_ code: String, count: Int) throws -> [String] {
        let (body, _) = try Shared.udhr(code)
        let paragraphs = body.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("-") && $0.count > 20 }
        var out: [String] = []
        let thai = code == "tha"
        for paragraph in paragraphs {
            let pieces = paragraph.split(whereSeparator: { thai ? $0 == " " : ",.;:，。；、".contains($0) })
            for piece in pieces {
                let phrase = piece.trimmingCharacters(in: .whitespaces)
                // Bracketed editorial notes of the corpus ("[ได้]") would read as links.
                guard phrase.count >= (thai || code.hasPrefix("cmn") ? 6 : 12), phrase.count <= 48,
                      !phrase.contains("["), !out.contains(phrase) else { continue }
                out.append(phrase)
                if out.count == count { return out }
            }
        }
        throw TestFailure("only \(out.count) phrases in \(code)")
    }

    static let labels: [String: MarkdownLabels] = [
        "en": .english,
        "zh-Hans": MarkdownLabels(note: "注意", tip: "提示", important: "重要", warning: "警告", caution: "小心",
                                  footnotes: "脚注", backToReference: "返回引用 %d"),
        "zh-Hant": MarkdownLabels(note: "注意", tip: "提示", important: "重要", warning: "警告", caution: "小心",
                                  footnotes: "註腳", backToReference: "返回引用 %d"),
        "ko": MarkdownLabels(note: "참고", tip: "팁", important: "중요", warning: "경고", caution: "주의",
                             footnotes: "각주", backToReference: "참조 %d(으)로 돌아가기"),
        "th": MarkdownLabels(note: "หมายเหตุ", tip: "เคล็ดลับ", important: "สำคัญ", warning: "คำเตือน", caution: "ข้อควรระวัง",
                             footnotes: "เชิงอรรถ", backToReference: "กลับไปที่การอ้างอิง %d"),
    ]

    /// Every new kind of block, and the texts each must print.
    static func fixture(_ code: String, tag: String) throws -> (page: PamphletPage, expected: [String]) {
        let p = try phrases(code, count: 24)
        let table = Table(alignments: [.left, .center, .right],
                          head: [row([cell(p[0], header: true), cell(p[1], header: true), cell(p[2], header: true)])],
                          body: [row([cell(p[3]), cell(p[4]), cell(p[5])]),
                                 row([cell(p[6], columns: 2), cell(p[7])]),
                                 row([cell(p[8], rows: 2), cell(p[9]), cell(p[10])]),
                                 row([cell(p[11]), cell("")])])
        let reference = Inline(.footnoteReference(FootnoteReference(number: 1, id: "fnref-1", target: "fn-1")), at: at)
        let blocks: [Block] = [
            Block(.heading(level: 1, content: [text(p[12])], id: "title"), at: at),
            paragraph([text(p[13]), reference, text(" "), tagged(.deleted, p[14]), text(" "), tagged(.inserted, p[15]),
                       text(" x"), tagged(.superscript, "2"), text(" H"), tagged(.subscript, "2"), text("O "),
                       tagged(.keyboard, "Ctrl"), text(" "), tagged(.marked, p[16]), text(" "),
                       tagged(.abbreviation(title: "Universal Declaration"), "UDHR")]),
            Block(.table(table), at: at),
            Block(.callout(.warning, [paragraph(p[17])]), at: at),
            Block(.details(summary: [text(p[18])], blocks: [paragraph(p[19])]), at: at),
            Block(.definitionList([DefinitionItem(terms: [[text(p[20])]], definitions: [[paragraph(p[21])]])]), at: at),
            Block(.list(ListBlock(ordered: false, start: 1, tight: true, items: [
                ListItem(blocks: [paragraph(p[22])], position: at, task: .open),
                ListItem(blocks: [paragraph(p[23])], position: at, task: .done),
            ])), at: at),
            Block(.footnotes([Footnote(number: 1, label: "law", id: "fn-1", referenceIDs: ["fnref-1"],
                                       blocks: [paragraph("Article 19, \(p[5])")], position: at)]), at: at),
        ]
        var page = PamphletPage(document: MarkdownDocument(blocks: blocks), title: p[12], author: "Maple Lantern Peer Network",
                                languageTag: tag, footerText: "Maple Lantern Peer Network", sourcePath: "content/\(tag)/blocks.md")
        let labels = Self.labels[tag]!
        page.labels = labels
        let expected = Array(p[0..<24]) + [labels.warning, "Article 19", TaskMarker.open, TaskMarker.done, "Ctrl", "UDHR"]
        return (page, expected)
    }

    /// The characters a render says no font has.
    final class Unprintable: @unchecked Sendable {
        private let lock = NSLock()
        private var found: [Character] = []
        func add(_ characters: [Character]) { lock.withLock { found += characters } }
        var characters: [Character] { lock.withLock { found } }
    }

    static func options(_ unprintable: Unprintable, paper: PaperSize = .letter) -> PamphletOptions {
        var options = PamphletOptions(paper: paper, creationDate: fixedDate)
        options.unprintable = { unprintable.add($0) }
        return options
    }

    /// The texts not found in `output`, white space ignored (a cell's text wraps). Read
    /// with `pdftotext -raw` (the order the PDF draws its text): in its usual reading
    /// order pdftotext mixes the lines of cells beside each other in Chinese.
    static func missing(_ expected: [String], in output: String) -> [String] {
        let squeezed = output.filter { !$0.isWhitespace }
        return expected.filter { !squeezed.contains($0.filter { !$0.isWhitespace }) }
    }

    // MARK: - Tests

    @Test("Every cell, footnote, callout label, details and task text is printed", arguments: udhrLanguages.map(\.code))
    func everyTextIsPrinted(code: String) throws {
        let tag = udhrLanguages.first { $0.code == code }!.tag
        let (page, expected) = try Self.fixture(code, tag: tag)
        let unprintable = Unprintable()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (kind, pdf) in [("pamphlet", try Pamphlet.render(page, options: Self.options(unprintable)).pdf()),
                            ("booklet", try Pamphlet.booklet(page, options: Self.options(unprintable)).pdf())] {
            keep(pdf, "blocks-\(code)-\(kind).pdf")
            let path = try write(pdf, "\(kind).pdf", in: folder)
            let text = try PDFText.text(path)
            #expect(Self.missing(expected, in: text).isEmpty, "\(kind): missing \(Self.missing(expected, in: text))")
            #expect(try MuPDF.glyphProblems(path).isEmpty)
            // The task boxes come from a font of outlines that has them (not Pango's hex box).
            let fonts = try PDFText.fonts(path)
            #expect(fonts.contains { $0.hasPrefix("DejaVuSans") || $0.hasPrefix("Symbola") || $0.hasPrefix("NotoSansSymbols2") },
                    "\(fonts)")
        }
        #expect(unprintable.characters.isEmpty, "no font has \(unprintable.characters)")
    }

    @Test("The bilingual edition prints both languages' blocks, with destinations unique on the sheet")
    func bilingualKeepsDestinationsApart() throws {
        let (left, leftExpected) = try Self.fixture("eng", tag: "en")
        let (right, rightExpected) = try Self.fixture("tha", tag: "th")
        let unprintable = Unprintable()
        let pdf = try Pamphlet.bilingual(left, right, options: Self.options(unprintable)).pdf()
        keep(pdf, "blocks-bilingual.pdf")
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "bilingual.pdf", in: folder)
        let text = try PDFText.text(path)
        #expect(Self.missing(leftExpected + rightExpected, in: text).isEmpty, "missing \(Self.missing(leftExpected + rightExpected, in: text))")
        #expect(unprintable.characters.isEmpty)
        let bytes = String(decoding: pdf, as: UTF8.self)
        for name in ["fn-1", "fnref-1", "title", "th:fn-1", "th:fnref-1", "th:title"] {
            #expect(bytes.contains("(\(name))"), "no destination \(name)")
        }
        // Each link names a destination that is there: the reference to its note, the
        // note's number back to the reference.
        for name in ["fn-1", "fnref-1", "th:fn-1", "th:fnref-1"] {
            #expect(bytes.contains("/Dest (\(name))"), "no link to \(name)")
        }
    }

    @Test("Footnote references link to their note, and the note's number links back")
    func footnotesLinkBothWays() throws {
        let (page, _) = try Self.fixture("eng", tag: "en")
        let pdf = try Pamphlet.render(page, options: letter).pdf()
        let bytes = String(decoding: pdf, as: UTF8.self)
        #expect(bytes.contains("/Dest (fn-1)"))
        #expect(bytes.contains("/Dest (fnref-1)"))
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let structure = try tool("pdfinfo", ["-struct", try write(pdf, "notes.pdf", in: folder)])
        for element in ["Table", "TR", "TH", "TD", "Div", "L", "LI"] {
            #expect(structure.contains(element), "no \(element) in the structure tree")
        }
    }

    @Test("A table longer than a page prints its header at the top of every page it continues on")
    func longTableRepeatsItsHeader() throws {
        let p = try Self.phrases("eng", count: 60) + Self.phrases("kor", count: 30)
        let header = Self.row([Self.cell("Office", header: true), Self.cell("Hours and languages", header: true)])
        let rows = (0..<90).map { i in Self.row([Self.cell("Office \(i + 1)"), Self.cell(p[i])]) }
        let table = Block(.table(Table(alignments: [.none, .none], head: [header], body: rows)), at: Self.at)
        let page = PamphletPage(document: MarkdownDocument(blocks: [Self.paragraph(p[0]), table]), title: "Hotlines",
                                author: "Maple Lantern Peer Network", languageTag: "en",
                                footerText: "Maple Lantern Peer Network", sourcePath: "content/en/hotlines.md")
        let pdf = try Pamphlet.render(page, options: letter).pdf()
        keep(pdf, "blocks-long-table.pdf")
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "long.pdf", in: folder)
        let pages = Int(try PDFText.info(path)["Pages"] ?? "0") ?? 0
        #expect(pages >= 3, "90 rows take more than two pages: \(pages)")
        var seen = Set<Int>()
        for n in 1...pages {
            let text = try PDFText.text(path, page: n, raw: true)
            // The first page has the paragraph before the table.
            let start = n == 1 ? text.range(of: "\nOffice").map { String(text[text.index(after: $0.lowerBound)...]) } ?? text : text
            #expect(start.hasPrefix("Office\nHours and languages\n") || start.hasPrefix("Office Hours and languages\n"),
                    "page \(n) does not start with the header: \(start.prefix(60))")
        }
        let all = try PDFText.text(path, raw: true)
        #expect(all.components(separatedBy: "Hours and languages").count - 1 == pages)
        #expect(Self.missing(p.prefix(90).map { $0 }, in: all).isEmpty)
        // No row is cut between two pages: each office's number is on the page of its text.
        for n in 1...pages {
            let text = try PDFText.text(path, page: n, raw: true).filter { !$0.isWhitespace }
            for i in 0..<90 where text.contains("Office\(i + 1)" + p[i].filter { !$0.isWhitespace }) {
                seen.insert(i)
            }
        }
        #expect(seen.count == 90, "rows split over pages: \(Set(0..<90).subtracting(seen).sorted())")

        // In a kit the table's page comes after others: the header repeated is still its own.
        let before = PamphletPage(document: MarkdownDocument(blocks: [Self.paragraph(p[1])]), title: "First",
                                  author: "Maple Lantern Peer Network", languageTag: "en",
                                  footerText: "Maple Lantern Peer Network", sourcePath: "content/en/first.md")
        let kit = try Pamphlet.kit(title: "Outreach", pages: [before, page], options: letter).pdf()
        keep(kit, "blocks-long-table-kit.pdf")
        let kitText = try PDFText.text(try write(kit, "kit.pdf", in: folder), raw: true)
        let squeezed = kitText.filter { !$0.isWhitespace }
        #expect(squeezed.components(separatedBy: "OfficeHoursandlanguages").count - 1 >= 3)
        for i in 0..<90 {
            let row = "Office\(i + 1)" + p[i].filter { !$0.isWhitespace }
            #expect(squeezed.components(separatedBy: row).count == 2, "Office \(i + 1) is not printed once")
        }
    }

    @Test("A table wider than the page loses no text", arguments: udhrLanguages.map(\.code))
    func wideTableLosesNothing(code: String) throws {
        let tag = udhrLanguages.first { $0.code == code }!.tag
        let p = try Self.phrases(code, count: 30)
        let words = ["Verantwortungsbewusstsein", "https://example.org/a/very/long/address/that/cannot/break",
                     "Rechtsschutzversicherungsgesellschaften"]
        let columns = 9
        let head = Self.row((0..<columns).map { Self.cell(words[$0 % 3] + "\($0)", header: true) })
        let body = (0..<3).map { r in Self.row((0..<columns).map { Self.cell(p[(r * columns + $0) % p.count]) }) }
        let table = Block(.table(Table(alignments: [], head: [head], body: body)), at: Self.at)
        let page = PamphletPage(document: MarkdownDocument(blocks: [table]), title: "Wide", author: "Maple Lantern Peer Network",
                                languageTag: tag, footerText: "Maple Lantern Peer Network", sourcePath: "content/wide.md")
        let unprintable = Unprintable()
        let pdf = try Pamphlet.booklet(page, options: Self.options(unprintable)).pdf()
        keep(pdf, "blocks-wide-\(code).pdf")
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try PDFText.text(try write(pdf, "wide.pdf", in: folder), raw: true)
        // Words broken between letters come out a line apart, and a cell's lines beside its
        // neighbours': every character of every cell is there, in the cell's order.
        let squeezed = text.filter { !$0.isWhitespace }
        for expected in (0..<columns).map({ words[$0 % 3] + "\($0)" }) + p.prefix(columns * 3) {
            var rest = squeezed[...]
            for character in expected where !character.isWhitespace {
                guard let found = rest.firstIndex(of: character) else {
                    Issue.record("\(code): '\(expected)' lost '\(character)'")
                    break
                }
                rest = rest[rest.index(after: found)...]
            }
        }
        #expect(unprintable.characters.isEmpty)
    }

    @Test("A table of too many columns for a half page is stacked, a row a block, and loses no text",
          arguments: ["eng", "cmn_hans", "tha"])
    func manyColumnsAreStacked(code: String) throws {
        let tag = udhrLanguages.first { $0.code == code }!.tag
        let p = try Self.phrases(code, count: 24)
        let columns = 24
        let head = Self.row((0..<columns).map { Self.cell("H\($0)", header: true) })
        let body = (0..<2).map { r in Self.row((0..<columns).map { Self.cell(p[(r * 7 + $0) % p.count]) }) }
        let table = Block(.table(Table(alignments: [], head: [head], body: body)), at: Self.at)
        let page = PamphletPage(document: MarkdownDocument(blocks: [table]), title: "Many", author: "Maple Lantern Peer Network",
                                languageTag: tag, footerText: "Maple Lantern Peer Network", sourcePath: "content/many.md")
        let pdf = try Pamphlet.booklet(page, options: letter).pdf()
        keep(pdf, "blocks-many-\(code).pdf")
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try PDFText.text(try write(pdf, "many.pdf", in: folder), raw: true)
        let colon = tag == "zh-Hans" ? "：" : ": "
        var expected: [String] = []
        for r in 0..<2 {
            for c in 0..<columns { expected.append("H\(c)" + colon + p[(r * 7 + c) % p.count]) }
        }
        #expect(Self.missing(expected, in: text).isEmpty, "missing \(Self.missing(expected, in: text))")
    }

    @Test("A row taller than a page is cut between lines of its cells, and nothing is lost")
    func tallRowIsCutBetweenLines() throws {
        let p = try Self.phrases("tha", count: 120)
        let long = TableCell(blocks: p.map { Self.paragraph($0) }, isHeader: false, position: Self.at)
        let table = Table(alignments: [], head: [Self.row([Self.cell("หัวข้อ", header: true), Self.cell("ข้อความ", header: true)])],
                          body: [Self.row([Self.cell("หนึ่ง"), long]), Self.row([Self.cell("สอง"), Self.cell(p[0])])])
        let page = PamphletPage(document: MarkdownDocument(blocks: [Block(.table(table), at: Self.at)]), title: "ยาว",
                                author: "Maple Lantern Peer Network", languageTag: "th",
                                footerText: "Maple Lantern Peer Network", sourcePath: "content/th/long.md")
        let pdf = try Pamphlet.booklet(page, options: letter).pdf()
        keep(pdf, "blocks-tall-row.pdf")
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "tall.pdf", in: folder)
        let text = try PDFText.text(path)
        #expect(Self.missing(p + ["หนึ่ง", "สอง"], in: text).isEmpty, "missing \(Self.missing(p, in: text))")
        // Every line sits above the page's bottom margin (558 pt down): below it is the footer alone.
        let info = try PDFText.info(path)
        let sheets = Int(info["Pages"] ?? "0") ?? 0
        #expect(sheets >= 2)
        for n in 1...sheets {
            let band = try PDFText.text(path, page: n, crop: (0, 560, 792, 52))
            #expect(band.filter { !$0.isWhitespace }.allSatisfy { "MapleLanternPeerNetwork0123456789/".contains($0) },
                    "text in the footer band of sheet \(n): \(band)")
        }
    }

    @Test("Column widths: maximum widths when they fit, then shared out from the minimums")
    func columnWidths() {
        #expect(ColumnWidths.solve(minimum: [10, 20], maximum: [30, 40], available: 100) == [30, 40])
        let shared = ColumnWidths.solve(minimum: [10, 20], maximum: [110, 20], available: 80)!
        #expect(shared == [60, 20])
        #expect(ColumnWidths.solve(minimum: [60, 60], maximum: [60, 60], available: 100) == nil)
        let squeezed = ColumnWidths.squeeze(minimum: [100, 300], maximum: [100, 300], available: 200, floor: 20)
        #expect(abs(squeezed.reduce(0, +) - 200) < 0.001 && squeezed[0] >= 20)
        // A long address (its longest piece wider than the page) beside a sentence: the
        // sentence keeps lines of several words, the short column its longest word.
        let beside = ColumnWidths.squeeze(minimum: [50, 500, 45], maximum: [100, 700, 600], available: 468, floor: 20)
        #expect(abs(beside.reduce(0, +) - 468) < 0.001, "\(beside)")
        #expect(beside[0] >= 50 && beside[2] > 120, "\(beside)")
        let spans = ColumnWidths.bounds([ColumnWidths.Cell(column: 0, columns: 1, minimum: 10, maximum: 10),
                                         ColumnWidths.Cell(column: 0, columns: 2, minimum: 50, maximum: 80)], columns: 2)
        #expect(spans.minimum == [30, 20] && spans.maximum == [45, 35])
    }

    @Test("Cells spanning rows and columns sit where HTML puts them")
    func gridPlacesSpans() {
        let grid = TableGrid([Self.row([Self.cell("a", rows: 2), Self.cell("b", columns: 2)]),
                              Self.row([Self.cell("c"), Self.cell("d")]),
                              Self.row([Self.cell("e")])])
        #expect(grid.columnCount == 3)
        #expect(grid.slots.map { "\($0.row),\($0.column)" } == ["0,0", "0,1", "1,1", "1,2", "2,0"])
        #expect(grid.owner[2][1] == nil)
    }
}
