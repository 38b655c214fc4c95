import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// Every page is reachable (issue #18, point 2): on the example site, following the links of
/// the written pages from each language's home page reaches every page; a page no link leads
/// to (its folder has no index.md) is named by `monarch check`.
@Suite("Every page reachable")
struct ReachabilityTests {
    @Test func everyPageOfTheExampleSiteIsReachedFromItsHomePage() throws {
        let result = TestBuild.build(Repo.root)
        try #require(result.succeeded)
        let files = Set(FileList.files(in: result.output))
        let config = try #require(SiteConfig.load(siteFolder: Repo.root, diagnostics: DiagnosticsEngine()))
        for language in config.languages {
            let pages = files.filter { $0.hasPrefix(language.key + "/") && $0.hasSuffix("index.html") }
            var seen: Set<String> = ["\(language.key)/index.html"]
            var queue = ["\(language.key)/index.html"]
            while let page = queue.popLast() {
                let html = try result.text(page)
                let folder = String(page.dropLast("index.html".count))
                for match in html.matches(of: /href="([^"#:?]*)(?:#[^"]*)?"/) {
                    let href = String(match.1)
                    guard !href.isEmpty, !href.hasPrefix("/"), var target = SitePaths.resolve(href, against: folder) else { continue }
                    if !target.hasSuffix(".html") { target += target.isEmpty ? "index.html" : "/index.html" }
                    if files.contains(target), target.hasSuffix("index.html"), seen.insert(target).inserted { queue.append(target) }
                }
            }
            let unreached = pages.subtracting(seen).sorted()
            #expect(unreached.isEmpty, "\(language.key): no link leads to \(unreached)")
            #expect(pages.count > 10)
        }
    }

    @Test func checkNamesAPageNoLinkLeadsTo() throws {
        let site = try TestBuild.englishSite(files: [
            "content/en/guides/first.md": "---\ntitle: First guide\n---\nText.\n",
            "content/en/linked.md": "---\ntitle: Linked\n---\nSee [the second guide](guides/second.md).\n",
            "content/en/guides/second.md": "---\ntitle: Second guide\n---\nText.\n",
        ])
        let checked = TestBuild.check(site)
        #expect(checked.succeeded)
        #expect(checked.messages == [
            "content/en/guides/first.md: warning: no page leads to en/guides/first/: no section lists it and no page links to it; "
            + "add content/en/guides/index.md (a title is enough: it lists the folder's pages), or link to it from another page",
        ])
        #expect(TestBuild.build(site, write: false).diagnostics.isEmpty, "a build leaves it to check")
    }

    /// A link's address is percent-encoded (`my%20page/`): the page it leads to is reached
    /// all the same.
    @Test func aPageWhoseNameIsEncodedInTheLinkIsReached() throws {
        let site = try TestBuild.englishSite(files: [
            "content/en/linked.md": "---\ntitle: Linked\n---\nSee [the guide](guides/my%20guide.md) and [that one](guides/50%25.md).\n",
            "content/en/guides/my guide.md": "---\ntitle: My guide\n---\nText.\n",
            "content/en/guides/50%.md": "---\ntitle: Half\n---\nText.\n",
        ])
        let checked = TestBuild.check(site)
        #expect(checked.succeeded)
        #expect(checked.messages == [], "\(checked.messages)")
    }
}
