import Foundation
import Testing
@testable import MonarchCore

@Suite("site.yaml")
struct SiteConfigTests {
    let valid = """
        title: Example Peer Network
        base_url: https://example.org/sub
        languages:
          - key: en
            tag: en
            name: English
          - {key: zh-hans, tag: zh-Hans, name: 简体中文}
          - {key: th, name: ไทย}
        source_language: en
        fallback: omit
        """

    @Test func readsEveryKey() throws {
        let diagnostics = DiagnosticsEngine()
        let config = try #require(SiteConfig.parse(valid, diagnostics: diagnostics))
        #expect(diagnostics.diagnostics.isEmpty)
        #expect(config.title == "Example Peer Network")
        #expect(config.baseURL == "https://example.org/sub/")
        #expect(config.languages.map(\.key) == ["en", "zh-hans", "th"])
        #expect(config.languages[1].tag == "zh-Hans")
        #expect(config.languages[2].tag == "th", "tag defaults to the key")
        #expect(config.sourceLanguage.key == "en")
        #expect(config.fallback == .omit)
        #expect(config.unsafeHTML == false)
    }

    @Test(arguments: [
        ("titel: X\nlanguages: [{key: en, name: English}]\n",
         "site.yaml:1:1: error: unknown site.yaml key 'titel'; did you mean 'title'?"),
        ("title: X\nlanguages: [{key: en, nmae: English}]\n",
         "site.yaml:2:23: error: unknown language key 'nmae'; did you mean 'name'?"),
        ("title: X\nlanguages: [{key: en, name: English}]\nsource_language: fr\n",
         "site.yaml:3:18: error: source_language 'fr' is not in languages; expected one of: en"),
        ("title: X\nlanguages: [{key: en, name: English}]\nfallback: maybe\n",
         "site.yaml:3:11: error: fallback 'maybe' is not 'source' or 'omit'"),
        ("title: X\nbase_url: example.org\nlanguages: [{key: en, name: English}]\n",
         "site.yaml:2:11: error: base_url 'example.org' is not an absolute http(s) address; write it like 'https://example.org/'"),
        ("title: X\nlanguages: [{key: en, name: English}, {key: en, name: Again}]\n",
         "site.yaml:2:45: error: language 'en' is listed twice; keep one"),
        ("title: X\nlanguages:\n  - {key: en, name: English\n",
         "site.yaml:4:1: error: malformed YAML: did not find expected ',' or '}' (while parsing a flow mapping at line 3); check indentation, colons and quotes"),
    ])
    func reportsProblemsWithPositions(yaml: String, expected: String) {
        let diagnostics = DiagnosticsEngine()
        _ = SiteConfig.parse(yaml, diagnostics: diagnostics)
        #expect(diagnostics.diagnostics.map(\.description).contains(expected),
                "got: \(diagnostics.diagnostics.map(\.description))")
    }

    /// Issue #14, point 10: a language key is a folder and an address segment, a tag goes into
    /// `lang=`; base_url is published in every page and QR code.
    @Test(arguments: [
        ("title: X\nlanguages: [{key: 'javascript:x', name: X}]\n", "language key 'javascript:x' must be a language code"),
        ("title: X\nlanguages: [{key: '..', name: X}]\n", "language key '..' must be a language code"),
        ("title: X\nlanguages: [{key: 'en fr', name: X}]\n", "language key 'en fr' must be a language code"),
        ("title: X\nlanguages: [{key: 'é', name: X}]\n", "language key 'é' must be a language code"),
        ("title: X\nlanguages: [{key: en, tag: 'en\\\" onload=x', name: X}]\n", "is not a BCP 47 tag"),
        ("title: X\nbase_url: https://user:secret@example.org/\nlanguages: [{key: en, name: English}]\n", "must not hold a user name or password"),
        ("title: X\nbase_url: https://example.org/?utm=1\nlanguages: [{key: en, name: English}]\n", "must not have a query"),
        ("title: X\nbase_url: https://example.org/#top\nlanguages: [{key: en, name: English}]\n", "must not have a query"),
    ])
    func refusesUnsafeKeysTagsAndAddresses(yaml: String, expected: String) {
        let diagnostics = DiagnosticsEngine()
        _ = SiteConfig.parse(yaml, diagnostics: diagnostics)
        #expect(diagnostics.diagnostics.contains { $0.severity == .error && $0.message.contains(expected) },
                "got: \(diagnostics.diagnostics.map(\.description))")
    }

    @Test func acceptsLanguageCodes() {
        for token in ["en", "zh-hans", "zh-Hant-TW", "x-klingon", "es-419", "sr-Latn"] {
            #expect(SiteConfig.isLanguageToken(token), "\(token)")
        }
    }
}

@Suite("Text files")
struct TextFileTests {
    @Test func acceptsByteOrderMarkAndLineEndings() throws {
        let text = try TextFile.decode(Data([0xEF, 0xBB, 0xBF] + Array("a\r\nb\rc\n".utf8))).get()
        #expect(text == "a\nb\nc\n")
    }

    @Test func rejectsUTF16() {
        #expect(throws: TextFile.Failure.self) { try TextFile.decode(Data([0xFF, 0xFE, 0x41, 0x00])).get() }
    }

    @Test func pointsAtTheFirstInvalidByte() {
        let data = Data(Array("line one\nCaf".utf8) + [0xE9] + Array(" au lait\n".utf8))
        guard case .failure(.notUTF8(let line, let column, _)) = TextFile.decode(data) else {
            Issue.record("Latin-1 byte accepted")
            return
        }
        #expect(line == 2)
        #expect(column == 4)
    }

    @Test func acceptsEveryScriptOfTheSite() throws {
        let sample = "ไทย 한국어 简体中文 繁體中文 English 😀"
        #expect(try TextFile.decode(Data(sample.utf8)).get() == sample)
    }
}

@Suite("Suggestions")
struct SuggestionTests {
    @Test func suggestsTheClosestKey() {
        #expect(Suggestion.closest(to: "titel", in: ["title", "description"]) == "title")
        #expect(Suggestion.closest(to: "languages", in: ["languages"]) == "languages")
        #expect(Suggestion.closest(to: "zzzz", in: ["title", "weight"]) == nil)
        #expect(Suggestion.closest(to: "fr", in: ["en"]) == nil, "a short word is not 'close' to an unrelated one")
        #expect(Suggestion.closest(to: "zh-hant", in: ["zh-hans", "en"]) == "zh-hans")
    }
}
