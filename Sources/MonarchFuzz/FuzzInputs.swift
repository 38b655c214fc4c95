import Foundation
import MonarchContent
import MonarchCore
import MonarchMarkdown
import MonarchPrint

/// What each libFuzzer target of issue #6 does with one input, shared by the fuzz executables
/// (`Fuzz/<target>/`, built only by `make fuzz`) and by `FuzzRegressionTests`, which feeds
/// every saved input of `Tests/Fixtures/fuzz/<target>/` through the same function.
///
/// Each function reads the bytes as a site file (`TextFile.decode`: UTF-8, BOM, line endings),
/// runs one step of the pipeline and traps when a promise is broken: a crash, a hang or a
/// leak is libFuzzer's to see; a rendered page holding a `<script` or an `on…=` attribute,
/// or an error without a position, is ours.
public enum FuzzInputs {
    public enum Target: String, CaseIterable, Sendable {
        case markdown, translations, siteconfig, pamphlet
    }

    public static func run(_ target: Target, _ data: Data) {
        switch target {
        case .markdown: markdown(data)
        case .translations: translations(data)
        case .siteconfig: siteConfig(data)
        case .pamphlet: pamphlet(data)
        }
    }

    static func text(_ data: Data) -> String? {
        guard case .success(let text) = TextFile.decode(data) else { return nil }
        return text
    }

    /// Front matter plus Markdown, as a page of the site, to HTML (safe default and
    /// `unsafe_html`), plain text and heading ids.
    public static func markdown(_ data: Data) {
        guard let text = text(data) else { return }
        let diagnostics = DiagnosticsEngine()
        guard let page = PageLoader.parse(text, languageKey: "en", relativePath: "fuzz.md", options: MarkdownOptions(),
                                          diagnostics: diagnostics) else {
            precondition(diagnostics.hasErrors, "a page that is not made must have an error")
            return
        }
        let html = page.document.html()
        checkInert(html)
        _ = page.document.plainText
        _ = page.document.links
        _ = MarkdownDocument.parse(String(FrontMatter.split(text).body), options: MarkdownOptions(unsafeHTML: true)).html()
        for diagnostic in diagnostics.diagnostics {
            precondition(diagnostic.location.line != nil, "diagnostic without a line: \(diagnostic)")
        }
    }

    /// Interface strings, `translations/<key>.yaml`.
    public static func translations(_ data: Data) {
        guard let text = text(data) else { return }
        let diagnostics = DiagnosticsEngine()
        _ = InterfaceStrings.parse(text, path: "translations/en.yaml", diagnostics: diagnostics)
    }

    /// `site.yaml`.
    public static func siteConfig(_ data: Data) {
        guard let text = text(data) else { return }
        let diagnostics = DiagnosticsEngine()
        let config = SiteConfig.parse(text, diagnostics: diagnostics)
        precondition(config != nil || diagnostics.hasErrors, "no config and no error")
    }

    static let languageTags = ["en", "zh-Hans", "zh-Hant", "ko", "th"]

    /// Markdown to a pamphlet's PDF. The first byte picks the language (fonts, line breaking).
    public static func pamphlet(_ data: Data) {
        guard let first = data.first, let text = text(data.dropFirst()) else { return }
        let diagnostics = DiagnosticsEngine()
        guard let page = PageLoader.parse(text, languageKey: "en", relativePath: "fuzz.md", options: MarkdownOptions(),
                                          diagnostics: diagnostics) else { return }
        let input = PamphletPage(document: page.document, title: page.title, author: "Fuzz",
                                 languageTag: languageTags[Int(first) % languageTags.count], footerText: "Fuzz",
                                 webAddress: first & 0x80 != 0 ? "https://example.org/fuzz/" : nil,
                                 sourcePath: page.sourcePath, bodyLineOffset: page.bodyLineOffset)
        let options = PamphletOptions(paper: first & 0x40 != 0 ? .a4 : .letter, creationDate: Date(timeIntervalSince1970: 0))
        switch Pamphlet.render(input, options: options) {
        case .success(let pdf): precondition(pdf.starts(with: Array("%PDF".utf8)), "not a PDF")
        case .failure(let problems): precondition(!problems.problems.isEmpty, "a failure without a problem")
        }
    }

    /// Default-config HTML never holds a script element, an event handler or a script URL:
    /// every `<` of the content is escaped or dropped, every dangerous link emptied.
    static func checkInert(_ html: String) {
        let lower = html.lowercased()
        precondition(!lower.contains("<script"), "a <script in safe HTML")
        precondition(!lower.contains("href=\"javascript:") && !lower.contains("src=\"javascript:"), "a script URL in safe HTML")
        // Outside quoted attribute values, no ` on` inside a tag.
        var inTag = false, inQuote = false
        var previous: UInt8 = 0x20
        for byte in lower.utf8 {
            if inQuote {
                if byte == UInt8(ascii: "\"") { inQuote = false }
            } else if byte == UInt8(ascii: "<") {
                inTag = true
            } else if byte == UInt8(ascii: ">") {
                inTag = false
            } else if inTag, byte == UInt8(ascii: "\"") {
                inQuote = true
            } else if inTag, byte == UInt8(ascii: "n"), previous == UInt8(ascii: "o") {
                preconditionFailure("an attribute starting with 'on' in safe HTML: \(html.prefix(300))")
            }
            // Only an `o` right after white space starts an attribute name.
            previous = (byte == UInt8(ascii: "o") && (previous == 0x20 || previous == 0x0A || previous == 0x09)) ? byte : (byte == 0x20 || byte == 0x0A || byte == 0x09 ? 0x20 : 0)
        }
    }
}
