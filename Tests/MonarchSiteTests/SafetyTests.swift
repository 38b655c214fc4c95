import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// Issue #5 on every page the example site really gets: quick exit, the safety page, the
/// Content-Security-Policy, no inline script or style, nothing stored, print styles, weight.
/// Tests/Browser proves the same in Chromium; these catch a regression without a browser.
@Suite("Readers' safety")
struct SafetyTests {
    var result: BuildResult { ExampleSiteTests.build }

    var pages: [String] { FileList.files(in: result.output).filter { $0.hasSuffix(".html") } }

    /// A copy of the example site (content, templates, translations) with more site.yaml lines.
    static func copyOfExampleSite(siteYAMLAddition: String) throws -> URL {
        let site = TestBuild.temporaryFolder("site")
        let fm = FileManager.default
        try fm.createDirectory(at: site, withIntermediateDirectories: true)
        for folder in ["content", "templates", "translations", "static"] {
            try fm.copyItem(at: Repo.root.appendingPathComponent(folder), to: site.appendingPathComponent(folder))
        }
        let yaml = try String(contentsOf: Repo.root.appendingPathComponent("site.yaml"), encoding: .utf8)
        try (yaml + siteYAMLAddition).write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        return site
    }

    @Test func everyPageHasTheContentSecurityPolicyAndNoReferrer() throws {
        try #require(result.succeeded)
        #expect(pages.count > 90)
        for page in pages {
            let html = try result.text(page)
            let csp = try #require(html.firstMatch(of: #/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/#),
                                   "\(page): no CSP").output.1
            let directives = csp.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            for required in ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'"] {
                #expect(directives.contains(required), "\(page): CSP lacks \(required)")
            }
            #expect(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval") && !csp.contains("*"), "\(page): \(csp)")
            #expect(html.contains("<meta name=\"referrer\" content=\"no-referrer\">"), "\(page)")
            #expect(html.range(of: #"<script(?![^>]*\ssrc=)"#, options: .regularExpression) == nil, "\(page): inline script")
            #expect(html.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil, "\(page): event handler attribute")
            #expect(!html.contains(" style="), "\(page): inline style")
        }
    }

    @Test func theExitLinkComesFirstAfterTheSkipLinkOnEveryPage() throws {
        for page in pages {
            let html = try result.text(page)
            let body = try #require(html.range(of: "<body>"), "\(page)")
            let links = html[body.upperBound...].matches(of: #/<a\s[^>]*>/#).map { String($0.output) }
            var first = links.first ?? ""
            if first.hasPrefix("<a class=\"skip\"") { first = links.dropFirst().first ?? "" }
            #expect(first == "<a id=\"exit\" href=\"\(SiteConfig.defaultQuickExitURL)\" rel=\"nofollow noreferrer\" draggable=\"false\">",
                    "\(page): first link after the skip link is \(first)")
            #expect(html.contains("assets/exit.js\" defer></script>"), "\(page): no exit script")
        }
    }

    @Test func everyPageLinksTheSafetyPageInItsLanguage() throws {
        for key in ExampleSiteTests.languages {
            #expect(result.exists("\(key)/safety/index.html"))
            for page in pages where page.hasPrefix("\(key)/") {
                let html = try result.text(page)
                let depth = page.split(separator: "/").count - 2
                let href = page == "\(key)/safety/index.html" ? "./" : String(repeating: "../", count: depth) + "safety/"
                #expect(html.contains("<p class=\"safe\"><a href=\"\(href)\">"), "\(page): no link to \(href)")
            }
        }
        for page in ["index.html", "404.html"] {
            let html = try result.text(page)
            for key in ExampleSiteTests.languages {
                #expect(html.contains("\(key)/safety/\" hreflang="), "\(page): no safety link in \(key)")
            }
        }
    }

    @Test func theSafetyPageSaysWhatTheButtonDoesNotDo() throws {
        let english = try String(contentsOf: Repo.root.appendingPathComponent("content/en/safety.md"), encoding: .utf8)
        #expect(english.contains("does not erase your history"))
        #expect(english.contains("Shift"))
        #expect(english.contains("private window"))
        for key in ExampleSiteTests.languages {
            let text = try String(contentsOf: Repo.root.appendingPathComponent("content/\(key)/safety.md"), encoding: .utf8)
            #expect(text.contains("Shift"), "\(key): no Shift x3")
            #expect(text.contains("JavaScript") || text.contains("자바스크립트"), "\(key): no word about JavaScript")
        }
    }

    @Test func aSiteCanChooseItsExitAddressAndABadOneIsAnError() throws {
        let site = try Self.copyOfExampleSite(siteYAMLAddition: "quick_exit_url: https://weather.example.net/today\n")
        let custom = TestBuild.build(site)
        try #require(custom.succeeded)
        #expect(try custom.text("th/index.html").contains("<a id=\"exit\" href=\"https://weather.example.net/today\""))

        let bad = try Self.copyOfExampleSite(siteYAMLAddition: "quick_exit_url: weather\n")
        let line = try String(contentsOf: bad.appendingPathComponent("site.yaml"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let failed = TestBuild.build(bad)
        #expect(!failed.succeeded)
        #expect(failed.diagnostics.map(\.description).contains {
            $0.hasPrefix("site.yaml:\(line):17: error: quick_exit_url 'weather' is not an absolute http(s) address")
        }, "\(failed.diagnostics.map(\.description))")
    }

    @Test func scriptsStoreNothingAndNameNoOtherHost() throws {
        for name in ["exit.js", "search.js"] {
            let script = try String(contentsOf: Repo.root.appendingPathComponent("templates/assets/\(name)"), encoding: .utf8)
            for forbidden in ["document.cookie", "localStorage", "sessionStorage", "indexedDB", "serviceWorker",
                              "http://", "https://", "eval(", "innerHTML", "sendBeacon", "XMLHttpRequest"] {
                #expect(!script.contains(forbidden), "\(name) uses \(forbidden)")
            }
        }
        let exit = try String(contentsOf: Repo.root.appendingPathComponent("templates/assets/exit.js"), encoding: .utf8)
        #expect(exit.contains("location.replace("), "the exit replaces the page in history")
        #expect(exit.contains("\"Shift\"") && exit.contains("5000"))
    }

    @Test func printHidesNavigationAndExitAndShowsAddresses() throws {
        let css = try String(contentsOf: Repo.root.appendingPathComponent("templates/assets/monarch.css"), encoding: .utf8)
        let print = try #require(css.range(of: "@media print{")).upperBound
        let rules = String(css[print...])
        let hidden = try #require(rules.firstMatch(of: #/([^{}]*)\{display:none\}/#)).output.1
        for selector in [".exit", ".skip", ".langs", ".crumbs", ".find", ".search"] {
            #expect(hidden.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.contains(selector), "\(selector) is printed")
        }
        #expect(rules.contains("a[href^=\"https:\"]::after") && rules.contains("attr(href)"))
        #expect(rules.contains("a[data-href]::after"), "relative links get their full address from the script")
        #expect(css.contains(".exit{position:sticky;top:0"), "the exit stays on screen at 320 px")
        #expect(css.contains("min-height:44px;box-sizing:border-box"), "a 44 px target")
    }

    @Test func everyPageWeighsAtMost14KilobytesGzippedWithItsCSSAndJS() throws {
        let diagnostics = DiagnosticsEngine()
        let builder = SiteBuilder(siteFolder: Repo.root, outputFolder: TestBuild.temporaryFolder(), builtInTheme: Repo.root,
                                  diagnostics: diagnostics)
        let rendered = try #require(builder.render())
        let weights = try #require(PageWeight.measure(rendered), "no zlib")
        #expect(weights.count == pages.count)
        let heaviest = try #require(weights.first)
        #expect(heaviest.bytes <= PageWeight.budget, "\(heaviest.path) weighs \(heaviest.bytes) bytes")
        let search = try #require(weights.first { $0.path == "en/search/index.html" })
        #expect(search.assets == ["assets/monarch.css", "assets/exit.js", "assets/search.js"])
        let notFound = try #require(weights.first { $0.path == "404.html" })
        #expect(notFound.assets == ["assets/monarch.css", "assets/exit.js"], "root-relative addresses under base_url")

        // zlib's count agrees with gzip -9's to a few bytes.
        let css = try Data(contentsOf: Repo.root.appendingPathComponent("templates/assets/monarch.css"))
        let ours = try #require(GzipSize.size(of: css))
        let theirs = try ExampleSiteTests().gzipSize(css)
        #expect(abs(ours - theirs) <= 16, "zlib \(ours), gzip \(theirs)")

        let lines = Lines()
        PageWeight.check(rendered, diagnostics: diagnostics, progress: { lines.append($0) })
        #expect(lines.all.first?.hasPrefix("heaviest page: \(heaviest.path), ") == true, "\(lines.all)")
        #expect(diagnostics.diagnostics.isEmpty)
    }
}

extension SafetyTests {
    @Test func aPageOverTheBudgetIsAWarningAtItsSource() throws {
        var rendered = SiteBuilder.Rendered()
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<20_000).map { _ in String(UInt8.random(in: 97...122, using: &generator), radix: 36) }.joined()
        rendered.files = [
            ("en/big/index.html", Data("<link rel=\"stylesheet\" href=\"../../assets/a.css\"><p>\(noise)</p>".utf8)),
            ("en/small/index.html", Data("<p>small</p>".utf8)),
            ("assets/a.css", Data("p{color:red}".utf8)),
        ]
        let weights = try #require(PageWeight.measure(rendered))
        #expect(weights.map(\.path) == ["en/big/index.html", "en/small/index.html"])
        #expect(weights[0].assets == ["assets/a.css"])
        let diagnostics = DiagnosticsEngine()
        PageWeight.check(rendered, sources: ["en/big/index.html": "content/en/big.md"], diagnostics: diagnostics, progress: nil)
        let messages = diagnostics.diagnostics.map(\.description)
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("content/en/big.md: warning: en/big/index.html weighs ") == true, "\(messages)")
    }
}

extension SafetyTests {
    @Test func theAddressesAPageLoadsAreFound() {
        let html = """
        <html><head><LINK rel="icon" href="i.png"><link href="b.css" rel="stylesheet">
        <link rel="stylesheet"\nhref="../a.css"/><linked rel="stylesheet" href="no.css">
        <script>inline()</script><script defer src="s.js"></script><scripts src="no.js">
        <p>a &lt;link rel="stylesheet" href="text.css"&gt; in text</p><script src='single.js'></script>
        """
        #expect(PageWeight.loadedAddresses(in: Data(html.utf8)) == ["b.css", "../a.css", "s.js"])
    }
}

/// Collects progress lines from any thread.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}

/// A page that cannot be split gets its own budget, and a site its own (issue #18, point 6):
/// the warning says how, and once that is done the build is clean.
extension SafetyTests {
    static func longPage(budget: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let words = (0..<6_000).map { _ in
            String((0..<5).map { _ in Character(Unicode.Scalar(UInt8.random(in: 97...122, using: &generator))) })
        }
        return "---\ntitle: Contract\n\(budget)---\n" + words.joined(separator: " ") + "\n"
    }

    @Test func aLongPageGetsItsOwnBudgetOrTheSiteOne() throws {
        let warned = TestBuild.build(try TestBuild.englishSite(files: ["content/en/contract.md": Self.longPage()]), write: false)
        let messages = warned.diagnostics.map(\.description)
        #expect(messages.count == 1)
        let message = try #require(messages.first)
        #expect(message.hasPrefix("content/en/contract.md: warning: en/contract/index.html weighs "), "\(message)")
        let suggested = try #require(message.firstMatch(of: /weight_budget_kb: (\d+)' in its front matter/)).1

        let ownBudget = TestBuild.build(try TestBuild.englishSite(files: [
            "content/en/contract.md": Self.longPage(budget: "weight_budget_kb: \(suggested)\n")]), write: false)
        #expect(ownBudget.diagnostics.isEmpty, "\(ownBudget.diagnostics)")

        let siteBudget = TestBuild.build(try TestBuild.englishSite(yaml: "weight_budget_kb: 60\n",
                                                                  files: ["content/en/contract.md": Self.longPage()]), write: false)
        #expect(siteBudget.diagnostics.isEmpty, "\(siteBudget.diagnostics)")

        let tooSmall = TestBuild.build(try TestBuild.englishSite(files: [
            "content/en/contract.md": Self.longPage(budget: "weight_budget_kb: 1\n")]), write: false)
        #expect(tooSmall.diagnostics.map(\.description).first?.contains("or raise 'weight_budget_kb' in its front matter to") == true)

        let invalid = TestBuild.build(try TestBuild.englishSite(yaml: "weight_budget_kb: 0\n"), write: false)
        #expect(!invalid.succeeded)
        #expect(invalid.diagnostics.map(\.description) == [
            "site.yaml:4:19: error: 'weight_budget_kb' is 0; give the budget in KB gzipped, from 1 to 10000 (the default is 14)"])
    }
}
