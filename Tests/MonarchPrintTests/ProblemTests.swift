import Foundation
import MonarchMarkdown
import Testing
@testable import MonarchPrint

/// What cannot be printed is reported with its place in the Markdown, and no PDF is made.
@Suite struct ProblemTests {
    static func problems(_ result: Result<Data, PamphletProblems>) throws -> [PamphletProblem] {
        switch result {
        case .success: throw TestFailure("expected problems, got a PDF")
        case .failure(let problems): return problems.problems
        }
    }

    @Test("A missing image: path:line:col, and every one of them")
    func missingImages() throws {
        let markdown = "# Map\n\nSee the map:\n\n![the map](map.png)\n\nAnd ![a photo](photo.jpg) here.\n"
        let found = try Self.problems(Pamphlet.render(page(markdown), options: letter))
        #expect(found.map(\.description) == [
            "content/en/test.md:8:1: image 'map.png' not found; put the file beside the page (or, for an address that starts with '/', under static/) or correct the path",
            "content/en/test.md:10:5: image 'photo.jpg' not found; put the file beside the page (or, for an address that starts with '/', under static/) or correct the path",
        ])
        // The same from the other formats.
        #expect(try Self.problems(Pamphlet.booklet(page(markdown), options: letter)).count == 2)
        #expect(try Self.problems(Pamphlet.kit(title: "Kit", pages: [page(markdown)], options: letter)).count == 2)
        #expect(try Self.problems(Pamphlet.bilingual(page(markdown), page("Fine."), options: letter)).count == 2)
    }

    @Test("A file that is no image")
    func notAnImage() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("map.png")
        try Data("not an image".utf8).write(to: file)
        let found = try Self.problems(Pamphlet.render(page("![map](map.png)", resolveImage: { _ in file }), options: letter))
        #expect(found.count == 1)
        #expect(found.first?.location.line == 4 && found.first?.location.column == 1)
        #expect(found.first?.message.contains("the image cannot be read") == true, "\(found)")
    }

    @Test("A word that cannot fit: a block nested so deeply that no word fits its column")
    func wordCannotFit() throws {
        let markdown = "Fine.\n\n" + String(repeating: "> ", count: 40) + "Unbreakable\n"
        let found = try Self.problems(Pamphlet.render(page(markdown), options: letter))
        #expect(found.count == 1)
        let problem = try #require(found.first)
        #expect(problem.location.path == "content/en/test.md" && problem.location.line == 6)
        #expect(problem.message.contains("nested so deeply"))
    }

    @Test("A very long word or address breaks between letters instead")
    func longWordBreaks() throws {
        let word = String(repeating: "abcdefghij", count: 30)
        let pdf = try Pamphlet.render(page("Look: \(word) and https://example.org/\(word)"), options: letter).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try PDFText.text(try write(pdf, "long.pdf", in: folder), raw: true).filter { !$0.isWhitespace }
        #expect(text.contains(word + "andhttps://example.org/" + word))
    }

    @Test("A font that is not installed")
    func missingFont() throws {
        let style = LanguageStyle(tag: "en", bodyFamilies: ["Noto Sans Nonexistent Display"], monoFamilies: ["Noto Sans Mono"],
                                  lineHeight: 1.4, keepAll: false, dropsSpaceBetweenIdeographs: false)
        let found = Pamphlet.check([page("Hello.")], style: { _ in style })
        #expect(found.count == 1)
        #expect(found.first?.message.hasPrefix("font 'Noto Sans Nonexistent Display' is not installed") == true)
        #expect(FontCheck.problem(family: "Noto Sans CJK KR") == nil)
    }

    @Test("A language tag that cannot be a BCP 47 tag")
    func badLanguageTag() throws {
        let found = try Self.problems(Pamphlet.render(page("Hello.", tag: "en US"), options: letter))
        #expect(found.first?.message.contains("not a BCP 47 tag") == true)
    }

    @Test("An empty kit")
    func emptyKit() throws {
        let found = try Self.problems(Pamphlet.kit(title: "Bag", pages: [], options: letter))
        #expect(found.first?.message == "kit 'Bag' has no pages; list at least one page")
    }
}

/// Unusual but valid pages print without problems and give valid PDFs.
@Suite struct OddDocumentTests {
    static let documents: [(name: String, tag: String, markdown: String)] = [
        ("empty", "en", ""),
        ("only a heading at the end", "en", "Text.\n\n## Last"),
        ("emoji and symbols", "en", "Call us 📞 — or text ✓ → 555-0100. Ünïcödé “quotes”."),
        ("a long code line", "en", "```\n" + String(repeating: "x", count: 400) + "\n```"),
        ("parentheses in an address", "en", "[see](https://example.org/a_(b)?q='x') and <mailto:help@example.org>"),
        ("raw HTML", "en", "<div>left out</div>\n\nText with <b>inline</b> HTML."),
        ("deep lists", "en", (0..<12).map { String(repeating: "  ", count: $0) + "- level \($0)" }.joined(separator: "\n")),
        ("Thai with English links", "th", "อ่าน[คู่มือ](https://example.org/th/guide/)ก่อนนะคะ แล้วโทร 555-0100"),
        ("Korean with a hard break", "ko", "첫째 줄\\\n둘째 줄과 **강조**된 \"인용\"은"),
        ("Chinese soft breaks", "zh-Hans", "第一行\n第二行，**重要。**之后"),
        ("Japanese", "ja", "# 見出し\n\nこれは日本語の文章です。"),
    ]

    @Test("Odd but valid pages print", arguments: documents.indices)
    func prints(index: Int) throws {
        let doc = Self.documents[index]
        let pdf = try Pamphlet.render(page(doc.markdown, tag: doc.tag, webAddress: "https://example.org/x/"), options: letter).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try write(pdf, "odd.pdf", in: folder)
        keep(pdf, "odd-\(index).pdf")
        #expect(try tool("qpdf", ["--check", path]).contains("No syntax or stream encoding errors"), "\(doc.name)")
        let booklet = try Pamphlet.booklet(page(doc.markdown, tag: doc.tag), options: letter).pdf()
        #expect(try tool("qpdf", ["--check", try write(booklet, "b.pdf", in: folder)]).contains("No syntax"), "\(doc.name)")
    }

    @Test func chineseSoftBreakIsNoSpace() throws {
        let pdf = try Pamphlet.render(page("第一行\n第二行", tag: "zh-Hans"), options: letter).pdf()
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try PDFText.text(try write(pdf, "zh.pdf", in: folder), raw: true).contains("第一行第二行"))
    }
}
