import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// The default theme: system fonts per language, nothing fetched from another host,
/// accessible structure, in the pages the example site really gets.
@Suite("Default theme")
struct DefaultThemeTests {
    let css = (try? String(contentsOf: Repo.root.appendingPathComponent("templates/assets/monarch.css"), encoding: .utf8)) ?? ""

    @Test func systemFontsOnlyAndNothingFromElsewhere() throws {
        #expect(!css.isEmpty)
        #expect(!css.contains("@font-face"))
        #expect(!css.contains("@import"))
        #expect(!css.contains("url("), "no images or fonts fetched by the stylesheet")
        for file in FileList.files(in: Repo.root.appendingPathComponent("templates")) {
            let text = try String(contentsOf: Repo.root.appendingPathComponent("templates/\(file)"), encoding: .utf8)
            #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("//cdn"),
                    "templates/\(file) names another host")
            // Scripts only from the theme's own assets, never inline (the CSP forbids it).
            for part in text.components(separatedBy: "<script").dropFirst() {
                #expect(part.hasPrefix(" src=\"{{root}}assets/") && part.contains("></script>"),
                        "templates/\(file) has a script that is not one of the theme's own files")
            }
            #expect(!text.contains("style="), "templates/\(file) has an inline style")
        }
    }

    @Test func fontStackAndSpacingPerLanguage() throws {
        func rule(_ selector: String) throws -> String {
            let start = try #require(css.range(of: selector), "no rule for \(selector)")
            return String(css[start.upperBound...].prefix { $0 != "}" })
        }
        #expect(try rule("[lang]:lang(zh){").contains("Noto Sans CJK SC"))
        #expect(try rule("[lang]:lang(zh-Hant)").contains("Noto Sans CJK TC"))
        let korean = try rule("[lang]:lang(ko){")
        #expect(korean.contains("Noto Sans CJK KR"))
        #expect(korean.contains("word-break:keep-all"))
        #expect(css.contains("overflow-wrap:break-word"), "a Korean word longer than the line may still break")
        let thai = try rule("[lang]:lang(th){")
        #expect(thai.contains("Noto Sans Thai"))
        let base = try rule("html,[lang]{")
        func lineHeight(_ rule: String) -> Double? {
            guard let r = rule.range(of: "line-height:") else { return nil }
            return Double(rule[r.upperBound...].prefix { "0123456789.".contains($0) })
        }
        #expect((lineHeight(thai) ?? 0) > (lineHeight(base) ?? 9), "Thai gets more line height for stacked marks")
    }

    @Test func pagesHaveSkipLinkLandmarksAndLanguageOnEverySwitcherLink() throws {
        let result = ExampleSiteTests.build
        try #require(result.succeeded)
        for key in ExampleSiteTests.languages {
            let html = try result.text("\(key)/police/police-stop/index.html")
            let body = try #require(html.range(of: "<body>"))
            let afterBody = html[body.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(afterBody.hasPrefix("<a class=\"skip\" href=\"#main\">"), "the skip link comes first")
            for landmark in ["<header", "<nav", "<main id=\"main\"", "<footer"] {
                #expect(html.contains(landmark), "\(key): no \(landmark)")
            }
            for language in ExampleSiteTests.languages {
                let t = try tag(language)
                #expect(html.contains("lang=\"\(t)\" hreflang=\"\(t)\""), "\(key): switcher link to \(language) lacks its lang")
            }
            #expect(!html.contains("http://"), "\(key): an insecure address")
        }
        #expect(css.contains(":focus{outline:"), "visible focus")
    }

    func tag(_ key: String) throws -> String {
        ["en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "ko": "ko", "th": "th"][key] ?? key
    }
}

/// A new site with no `translations/` of its own uses the built-in strings, which are the
/// example site's: it must not be named after the example site or called fictional.
@Suite("Built-in strings for another site")
struct BuiltInStringsTests {
    @Test func aSiteWithoutTranslationsKeepsItsOwnTitleAndNoFictionalNote() throws {
        let site = TestBuild.temporaryFolder("site")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("content/en"), withIntermediateDirectories: true)
        try "title: Harbour Peer Line\nlanguages:\n  - {key: en, tag: en, name: English}\n"
            .write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        try "---\ntitle: Welcome\n---\nHello.\n"
            .write(to: site.appendingPathComponent("content/en/index.md"), atomically: true, encoding: .utf8)
        let result = TestBuild.build(site)
        #expect(result.succeeded, "\(result.diagnostics.map(\.description))")
        let home = try result.text("en/index.html")
        #expect(home.contains("<title>Welcome · Harbour Peer Line</title>"))
        let files = TestBuild.snapshot(result.output)
        #expect(files.count > 5)
        for (path, data) in files {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("Maple Lantern"), "\(path) names the example site")
            #expect(!text.contains("fictional"), "\(path) calls the site fictional")
        }
        // The theme's footer has no empty paragraph where the note would be.
        #expect(!home.contains("<p></p>"))
    }

    /// A site in English and Thai with a home page in each and an empty translations/.
    static func englishAndThaiSite() throws -> URL {
        let site = TestBuild.temporaryFolder("site")
        for folder in ["content/en", "content/th", "translations"] {
            try FileManager.default.createDirectory(at: site.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try "title: Harbour Peer Line\nlanguages:\n  - {key: en, tag: en, name: English}\n  - {key: th, tag: th, name: ไทย}\n"
            .write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        for key in ["en", "th"] {
            try "---\ntitle: Welcome\n---\nHello.\n"
                .write(to: site.appendingPathComponent("content/\(key)/index.md"), atomically: true, encoding: .utf8)
        }
        return site
    }

    /// A site's own strings are laid over the built-in ones key by key: one file with one
    /// key changes that string and nothing else, in that language only.
    @Test func oneOwnStringChangesOnlyThatString() throws {
        let site = try Self.englishAndThaiSite()
        try "quick_exit: Leave now\n".write(to: site.appendingPathComponent("translations/en.yaml"), atomically: true, encoding: .utf8)
        let result = TestBuild.build(site)
        #expect(result.succeeded, "\(result.diagnostics.map(\.description))")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let english = try result.text("en/index.html")
        #expect(english.contains(">Leave now</a>"))
        #expect(english.contains(">Skip to main content</a>"), "the other strings are the built-in ones")
        let thai = try result.text("th/index.html")
        let builtInThai = try String(contentsOf: Repo.root.appendingPathComponent("translations/th.yaml"), encoding: .utf8)
        let exit = try #require(builtInThai.firstMatch(of: /quick_exit: "?([^"\n]*)"?/)).1
        #expect(thai.contains(">\(exit)</a>"), "Thai keeps the built-in Thai string")
        #expect(!english.contains("Maple Lantern") && !thai.contains("Maple Lantern"))
    }

    /// `footer_note` is optional, but once the source language has one, a translation without
    /// it shows the source's text and the build says so, as for any other string.
    @Test func anOptionalStringFallsBackToTheSourceLanguageWithAWarning() throws {
        let site = try Self.englishAndThaiSite()
        for key in ["en", "th"] {
            var strings = try String(contentsOf: Repo.root.appendingPathComponent("translations/\(key).yaml"), encoding: .utf8)
            strings = strings.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("footer_note:") }.joined(separator: "\n")
            if key == "en" { strings += "\nfooter_note: \"Run by volunteers.\"\n" }
            try strings.write(to: site.appendingPathComponent("translations/\(key).yaml"), atomically: true, encoding: .utf8)
        }
        let result = TestBuild.build(site)
        #expect(result.succeeded, "\(result.diagnostics.map(\.description))")
        #expect(try result.text("en/index.html").contains("<p>Run by volunteers.</p>"))
        #expect(try result.text("th/index.html").contains("<p>Run by volunteers.</p>"))
        #expect(result.diagnostics.contains { $0.severity == .warning && $0.message.contains("'footer_note' is missing in 'th'") })
    }
}
