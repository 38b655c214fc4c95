import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// Every glyph of the example site's PDFs on paper (issue #15), drawn by MuPDF: cairo 1.16's
/// own CFF subsets of Noto Sans CJK left 如 blank in every Simplified Chinese PDF while the
/// text layer was right.
@Suite("Pamphlet glyphs in the site")
struct PamphletGlyphTests {
    var result: BuildResult { ExampleSiteTests.build }

    @Test func mupdfDrawsEveryGlyphOfEveryPDF() throws {
        try #require(result.succeeded)
        #expect(!result.diagnostics.contains { $0.message.contains("as a box") }, "a character of the example has no font")
        let pdfs = FileList.files(in: result.output).filter { $0.hasSuffix(".pdf") }
        #expect(pdfs.count > 40)
        for pdf in pdfs {
            let (status, log) = try Self.run(["mutool", "draw", "-q", "-r", "36", "-F", "pgm", "-o", "/dev/null",
                                              result.output.appendingPathComponent(pdf).path])
            let problems = log.split(separator: "\n").filter {
                let line = $0.lowercased()
                return line.contains("broken") || line.contains("cannot render") || line.contains("cannot load") || line.contains("error")
            }
            #expect(status == 0 && problems.isEmpty, "\(pdf): \(problems.prefix(3))")
        }
    }

    @Test(arguments: [("zh-hans", "NotoSansCJKsc"), ("zh-hant", "NotoSansCJKtc"), ("ko", "NotoSansCJKkr"), ("th", "NotoSansThai")])
    func pdffontsNamesTheLanguagesFont(key: String, font: String) throws {
        try #require(result.succeeded)
        let path = result.output.appendingPathComponent("\(key)/help/hotlines/hotlines.\(key).pdf").path
        let (status, listing) = try Self.run(["pdffonts", path], output: true)
        #expect(status == 0)
        #expect(listing.contains("+\(font)-Regular"), "\(listing)")
        #expect(!listing.contains("NotoSansCJKjp"), "\(listing)")
    }

    /// The example's hotlines pamphlets open with a warning sign (⚠️, an emoji the Noto
    /// fonts lack): it is printed from a fallback font's outline, in the text layer, and no
    /// colour emoji font is embedded as pictures.
    @Test(arguments: ["en", "ko", "zh-hans", "zh-hant", "th"])
    func theWarningSignIsPrinted(key: String) throws {
        try #require(result.succeeded)
        let path = result.output.appendingPathComponent("\(key)/help/hotlines/hotlines.\(key).pdf").path
        let (_, text) = try Self.run(["pdftotext", "-l", "1", path, "-"], output: true)
        #expect(text.unicodeScalars.contains("\u{26A0}"), "\(text.prefix(300))")
        let (_, listing) = try Self.run(["pdffonts", path], output: true)
        #expect(listing.contains("DejaVuSans") || listing.contains("Symbola"), "\(listing)")
        #expect(!listing.contains("Emoji") && !listing.contains("Type 3"), "\(listing)")
    }

    /// Chinese quoted on an English or Thai page (and 「」) is printed with Chinese shapes:
    /// fontconfig alone falls back to Noto Sans CJK JP, whose 骨 and 令 are Japanese.
    @Test(arguments: [("en", "en", "Quoted: 骨直过边角令写 and `代码骨`."), ("th", "th", "ไทย「引用」骨直")])
    func chineseOnAnotherLanguagesPageIsNotJapanese(key: String, tag: String, text: String) throws {
        let site = try TestBuild.englishSite(
            yaml: key == "en" ? "" : "  - {key: \(key), tag: \(tag), name: \(key)}\n",
            home: "---\ntitle: Home\npamphlet: true\n---\n" + (key == "en" ? text : "Home.") + "\n",
            files: key == "en" ? [:] : ["content/\(key)/index.md": "---\ntitle: หน้าแรก\npamphlet: true\n---\n\(text)\n"])
        let result = TestBuild.build(site)
        try #require(result.succeeded)
        let path = result.output.appendingPathComponent("\(key)/home.\(key).pdf").path
        let (_, listing) = try Self.run(["pdffonts", path], output: true)
        #expect(listing.contains("+NotoSansCJKsc-Regular"), "\(listing)")
        #expect(!listing.contains("CJKjp"), "\(listing)")
        let (_, printed) = try Self.run(["pdftotext", path, "-"], output: true)
        #expect(printed.contains("骨直"), "\(printed)")
    }

    /// Runs a tool; its standard error (or with `output`, its standard output) and status.
    static func run(_ arguments: [String], output: Bool = false) throws -> (Int32, String) {
        let result = try Command.run("/usr/bin/env", arguments)
        return (result.status, output ? result.out : result.err)
    }
}
