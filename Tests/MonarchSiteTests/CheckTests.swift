import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// `monarch check`'s editorial warnings, on a fixture with one of each problem. (Privacy
/// errors are the `privacy` case of the broken-site fixtures.)
@Suite("Editorial checks")
struct CheckTests {
    func check(_ site: URL) -> [String] {
        let diagnostics = DiagnosticsEngine()
        let builder = SiteBuilder(siteFolder: site, builtInTheme: Repo.root, diagnostics: diagnostics, purpose: .check)
        #expect(builder.run() != nil, "warnings alone do not fail")
        return diagnostics.diagnostics.map(\.description)
    }

    @Test func warnsAboutAltTextHeadingLevelsAndMissingTranslations() {
        #expect(check(Repo.site("editorial")) == [
            "content/en/index.md:4:8: warning: image 'map.png' has no alt text; describe it between the brackets: ![what it shows](map.png)",
            "content/en/index.md:6:1: warning: heading level jumps from 1 to 3; use ## here so screen readers can follow the outline",
            "content/en/index.md:10:1: warning: heading level jumps from 2 to 4; use ### here so screen readers can follow the outline",
            "content/en/other.md: warning: not translated into th; readers there get the English page",
        ])
    }

    @Test func buildDoesNotRepeatTheEditorialWarnings() {
        let result = TestBuild.build(Repo.site("editorial"), write: false)
        #expect(result.succeeded)
        #expect(result.diagnostics.isEmpty)
    }

    @Test func theExampleSiteHasNoPrivacyOrEditorialErrors() {
        let warnings = check(Repo.root)
        #expect(warnings.allSatisfy { $0.contains("warning: not translated into") }, "\(warnings)")
    }
}
