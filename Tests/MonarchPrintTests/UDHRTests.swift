import Foundation
import MonarchMarkdown
import Testing
@testable import MonarchPrint

/// The five UDHR texts printed for real and read back with poppler.
@Suite struct UDHRTests {
    /// The font `pdffonts` must list for each language (subset prefix removed), and fonts
    /// it must not list (the Japanese shapes fontconfig would pick for Chinese).
    static let expectedFonts: [String: (must: String, mustNot: [String])] = [
        "en": ("NotoSans-Regular", ["NotoSansCJK"]),
        "zh-Hans": ("NotoSansCJKsc-Regular", ["NotoSansCJKjp", "NotoSansCJKtc", "NotoSansCJKkr"]),
        "zh-Hant": ("NotoSansCJKtc-Regular", ["NotoSansCJKjp", "NotoSansCJKsc", "NotoSansCJKkr"]),
        "ko": ("NotoSansCJKkr-Regular", ["NotoSansCJKjp", "NotoSansCJKsc", "NotoSansCJKtc"]),
        "th": ("NotoSansThai-Regular", ["NotoSansCJK"]),
    ]

    @Test("Copied text is the source text, in reading order, in the language's font",
          arguments: udhrLanguages.map(\.code))
    func textFontsAndPageSize(code: String) throws {
        let tag = udhrLanguages.first { $0.code == code }!.tag
        let page = try udhrPage(code, tag: tag)
        let pdf = try Pamphlet.render(page, options: letter).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "\(code).pdf", in: folder)

        // In content order (what copy and paste and screen readers follow): every line of
        // the source, in order.
        let raw = PDFText.withoutFooters(try PDFText.text(path, raw: true))
        let spaceless = tag.hasPrefix("zh") || tag == "th"
        let missing = TextCompare.missingLines(source: page.document.plainText, output: raw, removeWhitespace: spaceless)
        #expect(missing.isEmpty, "not found in reading order: \(missing.prefix(3))")
        // In poppler's reading of the page geometry (pdftotext's default): every word.
        // (Whitespace is compared only where it is reliable: poppler drops the spaces of a
        // line whose every gap is equal, like the Korean title 세 계 인 권 선 언.)
        let physical = PDFText.withoutFooters(try PDFText.text(path)).filter { !$0.isWhitespace }
        let words = Set(page.document.plainText.split(whereSeparator: \.isWhitespace).map(String.init))
        let lost = words.filter { !physical.contains($0) }
        #expect(lost.isEmpty, "words lost: \(lost.prefix(5))")

        let fonts = try PDFText.fonts(path)
        let expected = Self.expectedFonts[tag]!
        #expect(fonts.contains(expected.must), "fonts: \(fonts)")
        for unwanted in expected.mustNot {
            #expect(!fonts.contains { $0.hasPrefix(unwanted) }, "unexpected \(unwanted) in \(fonts)")
        }
        let info = try PDFText.info(path)
        #expect(info["Page size"]?.hasPrefix("612 x 792 pts") == true)
        #expect(info["Tagged"] == "yes")
        #expect(Int(info["Pages"] ?? "") ?? 0 >= 4)
    }

    @Test("Korean lines end only at spaces")
    func koreanBreaksAtSpaces() throws {
        let page = try udhrPage("kor", tag: "ko")
        let pdf = try Pamphlet.render(page, options: letter).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "kor.pdf", in: folder)
        var words = Set(page.document.plainText.split(whereSeparator: \.isWhitespace).map(String.init))
        // poppler joins the letter-spaced title 세 계 인 권 선 언 (every gap equal) into one token.
        words.formUnion((page.document.headings.map(\.text) + [page.title]).map { $0.filter { !$0.isWhitespace } })
        var checked = 0
        var broken: [String] = []
        for line in try PDFText.text(path, layout: true).split(whereSeparator: { $0 == "\n" || $0 == "\u{0C}" }) {
            let tokens = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = tokens.first, let last = tokens.last,
                  line.unicodeScalars.contains(where: \.isHangul) else { continue }
            checked += 1
            for token in [first, last] where token.unicodeScalars.contains(where: \.isHangul) && !words.contains(token) {
                broken.append(token)
            }
        }
        #expect(checked > 100)
        #expect(broken.isEmpty, "line ends inside a word: \(broken.prefix(5))")
    }

    @Test("Korean: a word wider than the line still breaks, between syllables")
    func koreanOverlongWord() throws {
        let word = String(repeating: "가나다라마바사아자차", count: 12)
        var text = RichText()
        text.append("앞 \(word) 뒤", style: InlineStyle())
        try RenderSession.shared.withFontMap { map in
            let engine = TextEngine(fontMap: map)
            let layout = engine.layout(text, font: FontSpec(families: "Noto Sans CJK KR", size: 10),
                                       style: .forTag("ko"), width: 200)
            #expect(!layout.overflows)
            #expect(layout.lines.count >= 4)
            // The long word starts a line of its own, as CSS `overflow-wrap: break-word` does.
            let first = try #require(layout.lines.first)
            #expect(first.bytes.count <= "앞 ".utf8.count)
            // Without it, each line breaks only at spaces.
            var short = RichText()
            short.append("모든 인류 구성원의 천부의 존엄성과 동등하고 양도할 수 없는 권리를", style: InlineStyle())
            let normal = engine.layout(short, font: FontSpec(families: "Noto Sans CJK KR", size: 10), style: .forTag("ko"), width: 90)
            let bytes = Array(short.string.utf8)
            for line in normal.lines.dropLast() {
                #expect(bytes[line.bytes.upperBound - 1] == 0x20 || bytes[line.bytes.upperBound] == 0x20)
            }
        }
    }

    @Test("Thai lines break between words, never before a following vowel or a mark")
    func thaiBreaks() throws {
        let page = try udhrPage("tha", tag: "th")
        let pdf = try Pamphlet.render(page, options: letter).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "tha.pdf", in: folder)
        // Characters that cannot begin a Thai word: following vowels, above and below
        // vowels, tone marks and signs.
        let cannotStart = Set("ะัาำิีึืฺุู็่้๊๋์ํๅ".unicodeScalars)
        var lines = 0
        for line in try PDFText.text(path, layout: true).split(whereSeparator: { $0 == "\n" || $0 == "\u{0C}" }) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard let first = trimmed.unicodeScalars.first, (0x0E00...0x0E7F).contains(first.value) else { continue }
            lines += 1
            #expect(!cannotStart.contains(first), "line starts inside a word: \(trimmed.prefix(20))")
        }
        #expect(lines > 100)
    }

    @Test("All five texts, timed")
    func renderAllUDHRTimed() throws {
        let pages = try udhrLanguages.map { try udhrPage($0.code, tag: $0.tag) }
        _ = try Pamphlet.render(pages[0], options: letter).pdf()   // fonts loaded once
        let clock = ContinuousClock()
        var bytes = 0
        let elapsed = try clock.measure {
            for page in pages { bytes += try Pamphlet.render(page, options: letter).pdf().count }
        }
        print("renderAllUDHRTimed: 5 UDHR texts, \(bytes / 1024) KiB of PDF in \(elapsed)")
        #expect(bytes > 100_000)
    }
}
