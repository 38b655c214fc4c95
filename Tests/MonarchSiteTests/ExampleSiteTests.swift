import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// The repository's own example site, built for real: clean, complete, honest, light.
@Suite("Example site")
struct ExampleSiteTests {
    static let build = TestBuild.build(Repo.root)
    static let languages = ["en", "zh-hans", "zh-hant", "ko", "th"]

    /// The `footer_note: "..."` value of a translations file (plain text in the example site).
    static func footerNote(_ yaml: String) -> String {
        guard let match = yaml.firstMatch(of: /footer_note: "([^"]*)"/) else { return "footer_note not found" }
        return String(match.1)
    }

    var result: BuildResult { Self.build }

    @Test func buildsWithoutErrorsOrWarnings() {
        #expect(result.succeeded)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
    }

    @Test func hasAHomeAndEnoughResourcePagesInEveryLanguage() throws {
        let sourcePages = FileList.files(in: Repo.root.appendingPathComponent("content/en")).filter { $0.hasSuffix(".md") }
        let resources = sourcePages.filter { !$0.hasSuffix("index.md") }
        let sections = Set(resources.compactMap { $0.split(separator: "/").count > 1 ? $0.split(separator: "/")[0] : nil })
        #expect(resources.count >= 8)
        #expect(sections.count >= 3)
        for key in Self.languages {
            #expect(result.exists("\(key)/index.html"))
            for page in sourcePages {
                let path = page.hasSuffix("index.md") ? String(page.dropLast("index.md".count)) : String(page.dropLast(3)) + "/"
                #expect(result.exists("\(key)/\(path)index.html"), "\(key)/\(path) missing")
            }
        }
    }

    @Test(arguments: ["ko", "th"])
    func someTranslationsAreMissingSoFallbackShows(key: String) throws {
        let english = FileList.files(in: Repo.root.appendingPathComponent("content/en")).filter { $0.hasSuffix(".md") }
        let translated = Set(FileList.files(in: Repo.root.appendingPathComponent("content/\(key)")))
        let missing = english.filter { !translated.contains($0) }
        #expect(!missing.isEmpty, "\(key) translates everything; fallback would not show")
        for page in missing {
            let html = try result.text("\(key)/\(String(page.dropLast(3)))/index.html")
            #expect(html.contains("<div lang=\"en\""))
        }
    }

    @Test func saysItIsExampleContentAndUsesOnlyFictionalNumbers() throws {
        let pattern = try Regex(#"555[-. ]?01\d\d"#)
        let anyPhone = try Regex(#"\d{3}[-. ]\d{3}[-. ]\d{4}"#)
        for file in FileList.files(in: Repo.root.appendingPathComponent("content")) where file.hasSuffix(".md") {
            let text = try String(contentsOf: Repo.root.appendingPathComponent("content/\(file)"), encoding: .utf8)
            for match in text.matches(of: anyPhone) {
                #expect(String(text[match.range]).contains(pattern), "\(file): \(text[match.range]) is not a 555-01XX number")
            }
        }
        for key in Self.languages {
            let notice = try String(contentsOf: Repo.root.appendingPathComponent("translations/\(key).yaml"), encoding: .utf8)
            #expect(notice.contains("footer_note:"))
            #expect(try result.text("\(key)/index.html").contains("<p>" + Self.footerNote(notice) + "</p>"))
            #expect(try result.text("\(key)/index.html").contains("<footer"))
        }
    }

    /// HTML plus CSS of a typical page, gzipped, stays under 14 KB (one round trip on a slow link).
    @Test func typicalPageIsUnderFourteenKilobytesGzipped() throws {
        let css = try Data(contentsOf: result.output.appendingPathComponent("assets/monarch.css"))
        var heaviest = (path: "", bytes: 0)
        for file in FileList.files(in: result.output) where file.hasSuffix(".html") {
            let html = try Data(contentsOf: result.output.appendingPathComponent(file))
            let size = try gzipSize(html) + gzipSize(css)
            if size > heaviest.bytes { heaviest = (file, size) }
        }
        #expect(heaviest.bytes < 14 * 1024, "\(heaviest.path) weighs \(heaviest.bytes) bytes gzipped with its CSS")
    }

    func gzipSize(_ data: Data) throws -> Int {
        try Command.run("/bin/gzip", ["-9", "-c"], input: data).stdout.count
    }
}
