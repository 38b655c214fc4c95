import Foundation
import Testing
@testable import MonarchCore

/// site.yaml's keys of issue #5: `quick_exit_url` and `search`.
@Suite("site.yaml: quick exit and search")
struct SafetyConfigTests {
    let base = "title: X\nbase_url: https://example.org/\nlanguages: [{key: en, name: English}]\n"

    @Test func defaultsAreAWeatherSiteAndSearchOn() throws {
        let diagnostics = DiagnosticsEngine()
        let config = try #require(SiteConfig.parse(base, diagnostics: diagnostics))
        #expect(diagnostics.diagnostics.isEmpty)
        #expect(config.quickExitURL == "https://www.theweathernetwork.com/")
        #expect(config.search)
    }

    @Test func readsBothKeys() throws {
        let diagnostics = DiagnosticsEngine()
        let config = try #require(SiteConfig.parse(base + "quick_exit_url: https://weather.gc.ca/\nsearch: false\n",
                                                   diagnostics: diagnostics))
        #expect(diagnostics.diagnostics.isEmpty)
        #expect(config.quickExitURL == "https://weather.gc.ca/")
        #expect(!config.search)
    }

    @Test(arguments: [
        ("quick_exit_url: weather.gc.ca\n",
         "site.yaml:4:17: error: quick_exit_url 'weather.gc.ca' is not an absolute http(s) address; write a neutral site like 'https://www.theweathernetwork.com/'"),
        ("quick_exit_url: javascript:history.back()\n",
         "site.yaml:4:17: error: quick_exit_url 'javascript:history.back()' is not an absolute http(s) address; write a neutral site like 'https://www.theweathernetwork.com/'"),
        ("quick_exit_url: https://example.org/other/\n",
         "site.yaml:4:17: error: quick_exit_url 'https://example.org/other/' is on this site's own host; it must lead away, to a neutral site like 'https://www.theweathernetwork.com/'"),
        ("quick_exit_urll: https://weather.gc.ca/\n",
         "site.yaml:4:1: error: unknown site.yaml key 'quick_exit_urll'; did you mean 'quick_exit_url'?"),
        ("search: maybe\n", "site.yaml:4:9: error: 'search' must be true or false"),
    ])
    func reportsBadValuesWithPositions(line: String, expected: String) {
        let diagnostics = DiagnosticsEngine()
        _ = SiteConfig.parse(base + line, diagnostics: diagnostics)
        #expect(diagnostics.diagnostics.map(\.description).contains(expected),
                "got: \(diagnostics.diagnostics.map(\.description))")
    }
}
