import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// A page has one title, on the web and on paper (issue #18, point 3): a leading `# Heading`
/// that repeats the front matter's title is shown once; another level-1 heading is shown on
/// both and `monarch check` says what to do about it.
@Suite("One title")
struct OneTitleTests {
    static func site() throws -> URL {
        try TestBuild.englishSite(files: [
            "content/en/same.md": "---\ntitle: Your rights\npamphlet: true\n---\n# Your rights\n\nYou can stay silent.\n",
            "content/en/other.md": "---\ntitle: Your rights at work\npamphlet: true\n---\nIntro.\n\n# Bosses\n\nText.\n",
        ])
    }

    static func headingCount(_ html: String) -> Int {
        html.components(separatedBy: "<h1").count - 1
    }

    @Test func aRepeatedTitleIsShownOnceOnTheWebAndOnPaper() throws {
        let result = TestBuild.build(try Self.site())
        try #require(result.succeeded)
        let html = try result.text("en/same/index.html")
        #expect(Self.headingCount(html) == 1, "\(html)")
        let pdf = try Command.tool("pdftotext", [result.output.appendingPathComponent("en/same/same.en.pdf").path, "-"])
        #expect(pdf.components(separatedBy: "Your rights").count - 1 == 1, "\(pdf)")
    }

    @Test func anotherLevelOneHeadingIsOnBothAndCheckWarns() throws {
        let site = try Self.site()
        let result = TestBuild.build(site)
        try #require(result.succeeded)
        #expect(result.diagnostics.isEmpty, "a build does not repeat the editorial warning")
        let html = try result.text("en/other/index.html")
        #expect(Self.headingCount(html) == 2)
        let pdf = try Command.tool("pdftotext", [result.output.appendingPathComponent("en/other/other.en.pdf").path, "-"])
        #expect(pdf.contains("Your rights at work") && pdf.contains("Bosses"), "\(pdf)")

        #expect(TestBuild.check(site).messages == [
            "content/en/other.md:7:1: warning: a second level-1 heading ('Bosses') below the page's title ('Your rights at work'); "
            + "make it '## Bosses', or, if it is the title, remove 'title:' from the front matter",
        ])
    }

    /// A title taken from the body's first `# Heading` has no 'title:' to remove: the advice
    /// does not send the editor looking for one.
    @Test func aTitleFromTheFirstHeadingIsNotCalledFrontMatter() throws {
        let site = try TestBuild.englishSite(files: ["content/en/work.md": "# Your rights at work\n\nIntro.\n\n# Bosses\n\nText.\n"])
        #expect(TestBuild.check(site).messages == [
            "content/en/work.md:5:1: warning: a second level-1 heading ('Bosses') below the page's title ('Your rights at work'); "
            + "make it '## Bosses'",
        ])
    }
}
