import Foundation
import MonarchCore
import TestSupport
import Testing

/// The web page and its pamphlet show the same text (issue #17): every text node of a page's
/// article, as an independent HTML parser reads it (Tests/Tools/article_text.py), is in the
/// text layer of the page's PDF (`pdftotext`). Content lost on paper in silence (a table
/// printed as nothing, a callout dropped, raw HTML kept on the web only) fails here.
@Suite("The web page's text is in its PDF")
struct TextParityTests {
    @Test func everyPamphletOfTheExampleSiteHasItsPagesText() throws {
        let build = TestBuild.build(Repo.root)
        try #require(build.succeeded)
        let missing = try Self.missingText(in: build.output)
        #expect(missing.checked >= 14, "pages with a pamphlet checked: \(missing.checked)")
        #expect(missing.lost.isEmpty, "\(missing.lost.joined(separator: "\n"))")
    }

    @Test func everyPamphletOfTheRealContentFixtureHasItsPagesText() throws {
        let site = Repo.site("real-content")
        try #require(FileManager.default.fileExists(atPath: site.path))
        let build = TestBuild.build(site)
        try #require(build.succeeded, "\(build.diagnostics)")
        let missing = try Self.missingText(in: build.output)
        #expect(missing.checked >= 5)
        #expect(missing.lost.isEmpty, "\(missing.lost.joined(separator: "\n"))")
    }

    /// For every `index.html` beside a one-language pamphlet (`NAME.LANG.pdf`, not the booklet
    /// or the bilingual edition), the article's text nodes its PDF lacks.
    static func missingText(in output: URL) throws -> (checked: Int, lost: [String]) {
        var checked = 0
        var lost: [String] = []
        let files = FileList.files(in: output)
        let script = Repo.root.appendingPathComponent("Tests/Tools/article_text.py").path
        for pdf in files where pdf.hasSuffix(".pdf") && !pdf.hasSuffix(".booklet.pdf") {
            let folder = (pdf as NSString).deletingLastPathComponent
            let name = (pdf as NSString).lastPathComponent.dropLast(4)   // NAME.LANG
            guard name.split(separator: ".").count == 2, !name.contains("-en"),
                  files.contains(folder + "/index.html") else { continue }
            let pdfText = try Command.tool("pdftotext", ["-enc", "UTF-8", output.appendingPathComponent(pdf).path, "-"])
            let joined = normalised(pdfText)
            let json = try Command.tool("python3", [script, output.appendingPathComponent(folder + "/index.html").path])
            let texts = try JSONDecoder().decode([String].self, from: Data(json.utf8))
            checked += 1
            for text in texts {
                let needle = normalised(text)
                if needle.isEmpty || joined.contains(needle) || wordsInOrder(text, in: joined) { continue }
                lost.append("\(pdf): '\(text.prefix(80))' is on the web page and not in the PDF")
            }
        }
        return (checked, lost)
    }

    /// Whether every word of `text` is in `haystack` (normalised), in order: pdftotext reads
    /// the last line of a table cell that ends in a raised footnote number as a block of its
    /// own, after the row ("your" ... "agreement1"), though the page shows it in its place.
    static func wordsInOrder(_ text: String, in haystack: String) -> Bool {
        let words = text.split(whereSeparator: \.isWhitespace).map { normalised(String($0)) }.filter { !$0.isEmpty }
        guard words.count > 1 else { return false }
        var from = haystack.startIndex
        for word in words {
            guard let found = haystack.range(of: word, range: from..<haystack.endIndex) else { return false }
            from = found.upperBound
        }
        return true
    }

    /// Text without what layout changes: white space and line separators, soft hyphens,
    /// zero-width spaces (Thai line breaks), emoji variation selectors, and hyphens (pdftotext
    /// joins a word broken after a hyphen at the end of a line and drops the hyphen:
    /// "co-" "workers" comes out "coworkers").
    static func normalised(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace { continue }
            switch scalar.value {
            case 0x002D, 0x2010, 0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFE0E, 0xFE0F: continue
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
