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
        let (succeeded, messages) = TestBuild.check(site)
        #expect(succeeded, "warnings alone do not fail")
        return messages
    }

    @Test func warnsAboutAltTextHeadingLevelsAndMissingTranslations() {
        #expect(check(Repo.site("editorial")) == [
            "content/en/index.md:4:8: warning: image 'map.png' has no alt text; describe it between the brackets: ![what it shows](map.png)",
            "content/en/index.md:6:1: warning: heading level jumps from 1 to 3; use ## here so screen readers can follow the outline",
            "content/en/index.md:10:1: warning: heading level jumps from 2 to 4; use ### here so screen readers can follow the outline",
            "content/en/other.md: warning: not translated into th; readers there get the English page "
            + "(if that is on purpose, say so with 'untranslated: [th]' in its front matter)",
        ])
    }

    @Test func buildDoesNotRepeatTheEditorialWarnings() {
        let result = TestBuild.build(Repo.site("editorial"), write: false)
        #expect(result.succeeded)
        #expect(result.diagnostics.isEmpty)
    }

    /// `monarch check --strict` passes on the example site: no error and no warning
    /// (issue #18: a site where every warning was dealt with passes).
    @Test func theExampleSiteHasNoPrivacyOrEditorialErrors() {
        let warnings = check(Repo.root)
        #expect(warnings.isEmpty, "\(warnings)")
    }

    @Test func aPageLeftUntranslatedOnPurposeIsNotWarnedAbout() throws {
        let site = try TestBuild.englishSite(yaml: "  - {key: th, tag: th, name: ไทย}\n  - {key: ko, tag: ko, name: 한국어}\n", files: [
            "content/th/index.md": "---\ntitle: หน้าแรก\n---\n", "content/ko/index.md": "---\ntitle: 홈\n---\n",
            "content/en/taxes.md": "---\ntitle: Taxes\nuntranslated: [th]\n---\nText.\n",
        ])
        #expect(check(site) == ["content/en/taxes.md: warning: not translated into ko; readers there get the English page "
                                + "(if that is on purpose, say so with 'untranslated: [ko]' in its front matter)"])
        try TestBuild.write("---\ntitle: Taxes\nuntranslated: [th, kr]\n---\nText.\n", "content/en/taxes.md", in: site)
        let wrong = TestBuild.build(site, write: false)
        #expect(wrong.diagnostics.map(\.description) == [
            "content/en/taxes.md:3:15: error: untranslated: 'kr' is not a language key; did you mean 'ko'?"])
        try TestBuild.write("---\ntitle: Taxes\nuntranslated: [en]\n---\nText.\n", "content/en/taxes.md", in: site)
        #expect(TestBuild.build(site, write: false).diagnostics.map(\.description) == [
            "content/en/taxes.md:3:15: error: untranslated: 'en' is the source language, which this page is written in; remove it"])
        try TestBuild.write("---\ntitle: Taxes\n---\nText.\n", "content/en/taxes.md", in: site)
        try TestBuild.write("---\ntitle: ภาษี\nuntranslated: [ko]\n---\nข้อความ\n", "content/th/taxes.md", in: site)
        #expect(TestBuild.build(site, write: false).diagnostics.map(\.description).first?
            .hasPrefix("content/th/taxes.md:3:15: warning: 'untranslated' says which languages a source page") == true)
    }

    /// Issue #19: alt text left in the source language in a translation is a warning, at the
    /// translation's image; translated alt text, a number and a fallback page are not.
    @Test func warnsAboutAltTextLeftInTheSourceLanguage() throws {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n"
        let site = try TestBuild.englishSite(yaml: "  - {key: th, tag: th, name: ไทย}\n  - {key: ko, tag: ko, name: 한국어}\n", files: [
            "static/map.svg": svg, "static/chart.svg": svg,
            "content/en/index.md": "---\ntitle: Home\n---\n![Map of the  drop-in area](/map.svg)\n\n![2026](/chart.svg)\n",
            "content/th/index.md": "---\ntitle: หน้าแรก\n---\n![แผนที่](/map.svg)\n\n![2026](/chart.svg)\n",
            "content/ko/index.md": "---\ntitle: 홈\n---\nText.\n\n![Map of the drop-in area](/map.svg)\n",
        ])
        let (_, all) = TestBuild.check(site)
        let messages = all.filter { $0.contains("alt text") }
        #expect(all.count == messages.count, "\(all)")
        #expect(messages == ["content/ko/index.md:6:1: warning: the alt text of image '/map.svg' is the English page's, "
                             + "word for word ('Map of the drop-in area'); translate it into 한국어 for readers who use a screen reader"])
    }

    /// A link the page leaves empty (script, a file on the reader's device, a `data:` page)
    /// is a warning in every build, not a link that silently goes nowhere; with
    /// `unsafe_html: true` the page keeps it as written and nothing is said.
    @Test func warnsAboutLinksThePageLeavesEmpty() throws {
        let home = "---\ntitle: Home\n---\nClick [here](javascript:alert(1)) or [there](FILE:///etc/passwd).\n\n![x](data:text/html,hi)\n"
        let site = try TestBuild.englishSite(home: home)
        let result = TestBuild.build(site)
        #expect(result.succeeded)
        let html = try result.text("en/index.html")
        #expect(html.contains("<a href=\"\">here</a>") && html.contains("<a href=\"\">there</a>"))
        #expect(!html.contains("javascript:") && !html.contains("passwd") && !html.contains("data:text"))
        let advice = ": a page may not run script or open files from the reader's device; "
        #expect(result.diagnostics.map(\.description) == [
            "content/en/index.md:4:7: warning: link address 'javascript:alert(1)' is left empty on the page" + advice
                + "link to a page or a web address instead",
            "content/en/index.md:4:38: warning: link address 'FILE:///etc/passwd' is left empty on the page" + advice
                + "link to a page or a web address instead",
            "content/en/index.md:6:1: warning: image address 'data:text/html,hi' is left empty on the page" + advice
                + "save the picture beside the page and link it",
        ])
        try TestBuild.write("title: T\nunsafe_html: true\nlanguages:\n  - {key: en, tag: en, name: English}\n", "site.yaml", in: site)
        #expect(TestBuild.build(site, write: false).diagnostics.isEmpty)
    }

    /// A page name the file system holds can make a pamphlet name it cannot (QA: `check`
    /// passed, `build` failed writing with an absolute path): an error at the page, in both.
    @Test func aPamphletNameTooLongForTheFileSystemIsAnErrorAtThePage() throws {
        let name = String(repeating: "ก", count: 83)   // 249 bytes; `.en.pdf` makes 256
        let site = try TestBuild.englishSite(files: ["content/en/\(name).md": "---\ntitle: Long\npamphlet: true\n---\nText.\n"])
        let expected = "content/en/\(name).md: error: the pamphlet's file name would be 256 bytes ('\(name.prefix(16))….en.pdf'), "
            + "more than the 255 a file system holds; shorten the page's file name by at least 1 byte (a letter of Thai, Chinese or Korean takes 3)"
        let (succeeded, messages) = TestBuild.check(site)
        #expect(!succeeded)
        #expect(messages == [expected])
        #expect(TestBuild.build(site, write: false).diagnostics.map(\.description) == [expected])
        try FileManager.default.moveItem(at: site.appendingPathComponent("content/en/\(name).md"),
                                         to: site.appendingPathComponent("content/en/\(name.dropLast()).md"))
        #expect(TestBuild.build(site).succeeded)
    }

    /// Every error in one run: a page whose front matter lost its title is still checked, so
    /// its broken link is reported with the title's errors, not after they are fixed.
    @Test func aPageWithoutATitleStillHasItsLinksChecked() throws {
        let site = try TestBuild.englishSite(files: ["content/en/p.md": "---\ntitel: x\n---\n[x](nope.md)\n"])
        let result = TestBuild.build(site, write: false)
        #expect(!result.succeeded)
        #expect(result.diagnostics.map(\.description) == [
            "content/en/p.md:1:1: error: page has no title; add 'title:' to its front matter or start it with a '# Heading'",
            "content/en/p.md:2:1: error: unknown front matter key 'titel'; did you mean 'title'?",
            "content/en/p.md:4:1: error: link to 'nope.md', but there is no page content/en/nope.md; check the file name",
        ])
    }

    /// A page name Windows (and a FAT or exFAT USB stick) cannot hold is a warning in every
    /// build: the portable copy is made for such sticks.
    @Test func aPageNameWindowsCannotHoldIsAWarning() throws {
        let site = try TestBuild.englishSite(files: ["content/en/what?.md": "---\ntitle: What\n---\nText.\n",
                                                     "content/en/aux.md": "---\ntitle: Aux\n---\nText.\n",
                                                     "content/en/fine-name.md": "---\ntitle: Fine\n---\nText.\n"])
        let result = TestBuild.build(site, write: false)
        #expect(result.succeeded)
        #expect(result.diagnostics.map(\.description).filter { !$0.contains("reach") } == [
            "content/en/aux.md: warning: this page has the name 'aux.md', which Windows reserves for a device, so the site cannot be "
                + "copied to a USB stick or a Windows computer (--portable); rename it with letters, digits and '-'",
            "content/en/what?.md: warning: this page has '?' in its name, which Windows cannot hold in a file name, so the site cannot be "
                + "copied to a USB stick or a Windows computer (--portable); rename it with letters, digits and '-'",
        ])
    }

    /// Only the files a published page uses are published (QA: a draft's photo and a file no
    /// page used were published and listed for offline): the others are a warning each, and a
    /// page that starts using one publishes it.
    @Test func aFileNoPublishedPageUsesIsNotPublished() throws {
        let site = try TestBuild.englishSite(files: [
            "content/en/plan.md": "---\ntitle: Plan\ndraft: true\n---\n[the list](list.txt)\n",
            "content/en/list.txt": "a list\n", "content/en/unused.csv": "a,b\n", "content/en/form.txt": "a form\n",
            "content/en/help.md": "---\ntitle: Help\n---\nFill in [the form](form.txt).\n",
        ])
        let result = TestBuild.build(site)
        #expect(result.succeeded)
        let advice = ": warning: not published: no published page shows or links to it (a draft's files wait for the draft); "
            + "link to it from a page, move it to static/ if the site needs it as it is, or remove it"
        #expect(result.diagnostics.map(\.description).filter { $0.contains("not published") }
                == ["content/en/list.txt" + advice, "content/en/unused.csv" + advice])
        let written = FileList.files(in: result.output)
        #expect(written.contains("en/form.txt") && !written.contains("en/list.txt") && !written.contains("en/unused.csv"), "\(written)")
        #expect(try !result.text("offline/en.json").contains("list.txt"))
    }
}
