import Foundation
import MonarchCore
@testable import MonarchSite
import Testing
import TestSupport

/// `monarch init`'s site (issue #21, point 3): it builds with no warning and passes every
/// check of `monarch check`, in any subset and order of the built-in languages, and with a
/// language Monarch has no strings in.
@Suite("The site monarch init writes")
struct StarterSiteTests {
    func write(_ starter: StarterSite) throws -> URL {
        let site = TestBuild.temporaryFolder("site")
        let strings = Repo.root.appendingPathComponent("translations")
        for (path, text) in starter.files(builtInStrings: { try? String(contentsOf: strings.appendingPathComponent("\($0).yaml"), encoding: .utf8) }) {
            try TestBuild.write(text, path, in: site)
        }
        return site
    }

    @Test(arguments: ["en,zh-hans,zh-hant,ko,th", "th,en", "zh-hant", "ko,zh-hans,en"])
    func buildsAndChecksWithoutWarnings(languages: String) throws {
        let starter = StarterSite(languages: try StarterSite.languages(from: languages))
        #expect(starter.unknownLanguagesWarning() == nil)
        let site = try write(starter)
        let result = TestBuild.build(site)
        #expect(result.succeeded)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let check = TestBuild.check(site)
        #expect(check.succeeded && check.messages.isEmpty, "\(check.messages)")
        for key in languages.split(separator: ",") {
            for page in ["index.html", "safety/index.html", "help/index.html", "help/contacts/index.html", "search/index.html"] {
                #expect(result.exists("\(key)/\(page)"), "\(key)/\(page)")
            }
            let home = try result.text("\(key)/index.html")
            #expect(home.contains("555-0100"))
        }
        // Translations record the version of the source page they translate: none is stale.
        let source = String(languages.split(separator: ",")[0])
        for key in languages.split(separator: ",").dropFirst() {
            #expect(!(try result.text("\(key)/safety/index.html")).contains("may be out of date"))
            let page = try String(contentsOf: site.appendingPathComponent("content/\(key)/safety.md"), encoding: .utf8)
            #expect(page.contains("source_hash: "), "\(key) translates \(source)")
        }
    }

    @Test func siteYAMLNamesEveryKeyWithAComment() throws {
        let starter = StarterSite(languages: try StarterSite.languages(from: "en,ko"))
        let yaml = starter.siteYAML()
        for key in SiteConfig.keys {
            let line = yaml.split(separator: "\n").first { $0.hasPrefix("\(key):") || $0.hasPrefix("# \(key):") }
            #expect(line != nil, "site.yaml lacks \(key)")
        }
        // Each key's line follows a comment line that explains it.
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (index, line) in lines.enumerated() where SiteConfig.keys.contains(where: { line.hasPrefix("\($0):") || line.hasPrefix("# \($0):") }) {
            #expect(index > 0 && lines[index - 1].hasPrefix("#"), "no comment above \(line)")
        }
    }

    @Test func pagesAreFictionalWithFictionalNumbers() throws {
        let starter = StarterSite(languages: try StarterSite.languages(from: "en,zh-hans,zh-hant,ko,th"))
        let files = starter.files { _ in nil }
        let numbers = try Regex(#"\d[\d -]{6,}\d"#)
        for (path, text) in files where path.hasPrefix("content/") {
            for match in text.matches(of: numbers) {
                #expect(text[match.range].hasPrefix("555-01"), "\(path): \(text[match.range])")
            }
        }
        for key in ["en", "zh-hans", "zh-hant", "ko", "th"] {
            let home = files.first { $0.path == "content/\(key)/index.md" }!.text
            #expect(home.contains("555-0100"))
            // The "not legal advice" note, in the page's own language.
            let note = ["en": "not legal advice", "zh-hans": "不是法律意见", "zh-hant": "不是法律意見", "ko": "법률 조언이 아니에요",
                        "th": "ไม่ใช่คำแนะนำทางกฎหมาย"][key]!
            #expect(home.contains(note), "\(key)")
        }
    }

    @Test func aLanguageWithoutStringsGetsTheSourceStringsAndOneWarning() throws {
        let starter = StarterSite(languages: try StarterSite.languages(from: "en,fr,ko,pt-BR"))
        #expect(starter.unknown.map(\.key) == ["fr", "pt-br"])
        #expect(starter.languages.map(\.tag) == ["en", "fr", "ko", "pt-BR"])
        let warning = try #require(starter.unknownLanguagesWarning())
        #expect(warning.contains("fr, pt-br") && warning.contains("translations/fr.yaml, translations/pt-br.yaml"), "\(warning)")
        let site = try write(starter)
        let strings = try String(contentsOf: site.appendingPathComponent("translations/fr.yaml"), encoding: .utf8)
        #expect(strings.contains("quick_exit: \"Exit this page\"") && !strings.contains("footer_note:"))
        let result = TestBuild.build(site)
        #expect(result.succeeded && result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let check = TestBuild.check(site)
        #expect(check.succeeded && check.messages.isEmpty, "\(check.messages)")
        #expect(try result.text("fr/index.html").contains("lang=\"fr\""))
    }

    @Test func refusesWhatIsNotALanguageTag() {
        for list in ["en,", "e", "en,en", "en_US", "../x", "en,zh hans"] {
            #expect(throws: StarterError.self, "\(list)") { try StarterSite.languages(from: list) }
        }
    }
}
