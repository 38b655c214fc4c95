import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// Issue #5, point 5: contact blocks on the web page, in pamphlets and on wallet cards, and
/// their errors at path:line:col inside the block.
@Suite("Contact blocks and wallet cards")
struct ContactTests {
    var result: BuildResult { ExampleSiteTests.build }

    /// A site of English and Thai with one page, `help.md` in each, with these bodies.
    static func site(en: String, th: String? = nil, siteYAML: String = "") throws -> URL {
        let site = TestBuild.temporaryFolder("site")
        let fm = FileManager.default
        try fm.createDirectory(at: site.appendingPathComponent("content/en"), withIntermediateDirectories: true)
        try fm.createDirectory(at: site.appendingPathComponent("content/th"), withIntermediateDirectories: true)
        try ("title: Test\nlanguages:\n  - {key: en, tag: en, name: English}\n  - {key: th, tag: th, name: ไทย}\n" + siteYAML)
            .write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        try "# Home\n".write(to: site.appendingPathComponent("content/en/index.md"), atomically: true, encoding: .utf8)
        try "# หน้าแรก\n".write(to: site.appendingPathComponent("content/th/index.md"), atomically: true, encoding: .utf8)
        try en.write(to: site.appendingPathComponent("content/en/help.md"), atomically: true, encoding: .utf8)
        if let th { try th.write(to: site.appendingPathComponent("content/th/help.md"), atomically: true, encoding: .utf8) }
        return site
    }

    @Test func aContactBlockIsALabelledGroupWithTelAndSmsLinksShowingTheNumber() throws {
        try #require(result.succeeded)
        let html = try result.text("en/help/hotlines/index.html")
        #expect(html.contains("<a href=\"tel:+18005550142\">+1 800 555 0142</a>"))
        #expect(html.contains("<a href=\"sms:+16045550142\">+1 604 555 0142</a>"))
        #expect(html.contains("<p class=\"contact-name\" id=\"contact-"))
        #expect(html.contains("role=\"group\" aria-labelledby=\"contact-"))
        #expect(html.contains("<div><dt>Hours</dt><dd>Every day, 10 a.m. to 2 a.m. Pacific time</dd></div>"))
        #expect(!html.contains("language-contact"), "a contact block was rendered as code")
        #expect(html.components(separatedBy: "class=\"contact\"").count - 1 == 4)
        // Labels in each page's language, values as the editor wrote them.
        let labels = ["zh-hans": "短信", "zh-hant": "簡訊", "ko": "문자", "th": "ส่งข้อความ"]
        for (key, sms) in labels {
            let page = try result.text("\(key)/help/hotlines/index.html")
            #expect(page.contains("<dt>\(sms)</dt><dd><a href=\"sms:+16045550142\">+1 604 555 0142</a>"), "\(key)")
        }
        // A list of languages is joined the page's way.
        #expect(try result.text("zh-hans/help/hotlines/index.html").contains("英语、普通话、粤语、韩语、泰语"))
    }

    @Test func contactValuesAreEscaped() throws {
        let site = try Self.site(en: "# Help\n\n```contact\nname: \"<script>x</script> & co\"\nphone: 604 555 0134\n```\n")
        let built = TestBuild.build(site)
        #expect(built.succeeded, "\(built.diagnostics)")
        let html = try built.text("en/help/index.html")
        #expect(html.contains("&lt;script&gt;x&lt;/script&gt; &amp; co"))
        #expect(html.contains("<a href=\"tel:6045550134\">604 555 0134</a>"))
    }

    @Test func errorsInAContactBlockPointInsideIt() throws {
        let page = """
        ---
        title: Help
        ---

        Text.

        ```contact
        name: Line one
        phnoe: +1 604 555 0134
        ```

        - In a list:

          ```contact
          name: Line two
          phone: call us anytime
          ```

        ```contact
        name: [unclosed
        ```

        ```contact
        hours: Every day
        ```
        """
        let built = TestBuild.build(try Self.site(en: page))
        #expect(!built.succeeded)
        let lines = built.diagnostics.map(\.description)
        #expect(lines.contains("content/en/help.md:9:1: error: unknown contact key 'phnoe'; did you mean 'phone'?"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("content/en/help.md:8:1: error: this contact has no 'phone' or 'sms'") }, "\(lines)")
        #expect(lines.contains("content/en/help.md:16:10: error: phone 'call us anytime' is not a phone number ('c' cannot be dialled); write the number in digits, like +1 604 555 0134"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("content/en/help.md:21:") && $0.contains("malformed YAML") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("content/en/help.md:24:1: error: this contact has no 'name'") }, "\(lines)")
    }

    /// The preview's memo keeps a page's HTML only while its contact labels stay the same.
    @Test func aLabelChangeReachesContactsThroughTheRenderMemo() throws {
        let site = try Self.site(en: "# Help\n\n```contact\nname: Line\nphone: +1 604 555 0134\n```\n")
        let translations = site.appendingPathComponent("translations")
        try FileManager.default.createDirectory(at: translations, withIntermediateDirectories: true)
        for key in ["en", "th"] {
            try FileManager.default.copyItem(at: Repo.root.appendingPathComponent("translations/\(key).yaml"),
                                             to: translations.appendingPathComponent("\(key).yaml"))
        }
        let memo = RenderMemo()
        func render() throws -> String {
            let builder = SiteBuilder(siteFolder: site, outputFolder: TestBuild.temporaryFolder(), builtInTheme: Repo.root,
                                      diagnostics: DiagnosticsEngine(), purpose: .preview(memo))
            let rendered = try #require(builder.render())
            let page = try #require(rendered.files.first { $0.path == "en/help/index.html" })
            return String(decoding: page.data, as: UTF8.self)
        }
        #expect(try render().contains("<dt>Call</dt>"))
        let file = translations.appendingPathComponent("en.yaml")
        let yaml = try String(contentsOf: file, encoding: .utf8)
        try yaml.replacingOccurrences(of: "contact_phone: \"Call\"", with: "contact_phone: \"Phone\"")
            .write(to: file, atomically: true, encoding: .utf8)
        #expect(try render().contains("<dt>Phone</dt>"))
    }

    @Test func phoneNumbers() {
        #expect(Contact.phoneProblem("+1 604 555 0134") == nil)
        #expect(Contact.phoneProblem("(604) 555-0134") == nil)
        #expect(Contact.phoneProblem("988") == nil)
        #expect(Contact.phoneProblem("12") != nil)
        #expect(Contact.phoneProblem("1234567890123456") != nil)
        #expect(Contact.phoneProblem("604 555 O134") != nil)
        #expect(Contact.phoneProblem("+1 +604") != nil)
        #expect(Contact.dialString(" +1 (604) 555-0134 ") == "+16045550134")
        #expect(Contact.dialString("1-800-555-0142") == "18005550142")
    }

    @Test func pamphletsPrintTheContactsWithTheirNumbersAsText() throws {
        try #require(result.succeeded)
        for (key, name, hours) in [("en", "Peer support line", "Every day, 10 a.m. to 2 a.m."),
                                   ("th", "สายด่วนเพื่อนช่วยเพื่อน", "ทุกวัน 10 โมงเช้าถึงตี 2"),
                                   ("ko", "동료 상담 전화", "매일 오전 10시부터")] {
            let pdf = result.output.appendingPathComponent("\(key)/help/hotlines/hotlines.\(key).pdf").path
            let text = try pdftotext(pdf)
            for needle in [name, "+1 800 555 0142", "+1 604 555 0142", "+1 800 555 0188", hours] {
                #expect(text.contains(needle), "\(key): '\(needle)' not in the pamphlet's text")
            }
            #expect(!text.contains("phone:"), "\(key): the block printed as code")
        }
    }

    @Test func walletCardsAreTenToASheetWithBacksMirrored() throws {
        try #require(result.succeeded)
        let pdf = result.output.appendingPathComponent("th/wallet-cards.th-en.pdf").path
        let info = try pdfinfo(pdf)
        #expect(info["Pages"] == "2", "4 contacts: one sheet of fronts, one of backs")
        #expect(info["Page size"]?.hasPrefix("612 x 792") == true)
        // Slot 0 is the top left card on the front and the top right one on the back.
        let frontTopLeft = try pdftotext(pdf, page: 1, crop: (54, 36, 252, 144))
        #expect(frontTopLeft.contains("สายด่วนเพื่อนช่วยเพื่อน"))
        #expect(frontTopLeft.contains("+1 800 555 0142"))
        #expect(frontTopLeft.contains("ทุกวัน 10 โมงเช้าถึงตี 2"))
        let backTopRight = try pdftotext(pdf, page: 2, crop: (306, 36, 252, 144))
        #expect(backTopRight.contains("Peer support line"))
        #expect(backTopRight.contains("+1 800 555 0142"))
        #expect(backTopRight.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("English, Mandarin, Cantonese, Korean, Thai"))
        #expect(try pdftotext(pdf, page: 2, crop: (54, 36, 252, 144)).contains("Legal clinic"))
        // Card 3 (the health line) is in row 1 on the right in front, on the left behind.
        #expect(try pdftotext(pdf, page: 1, crop: (306, 180, 252, 144)).contains("สายด่วนสุขภาพ"))
        #expect(try pdftotext(pdf, page: 2, crop: (54, 180, 252, 144)).contains("Health line"))
        #expect(try pdftotext(pdf, page: 1, crop: (54, 324, 504, 432)).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        for key in ["ko", "zh-hans", "zh-hant"] {
            #expect(result.exists("\(key)/wallet-cards.\(key)-en.pdf"))
        }
    }

    @Test func walletCardsOnA4AndABlankBackWhenATranslationIsMissing() throws {
        let en = "# Help\n\n```contact\nname: Line\nphone: +1 604 555 0134\n```\n\n```contact\nname: Second line\nsms: +1 604 555 0135\n```\n"
        let th = "# ช่วย\n\n```contact\nname: สายด่วน\nphone: +1 604 555 0134\nhours: ทุกวัน\n```\n"
        let site = try Self.site(en: en, th: th, siteYAML: "pamphlets:\n  paper: a4\n  wallet_cards: [en, th]\n")
        let built = TestBuild.build(site)
        #expect(built.succeeded, "\(built.diagnostics)")
        #expect(built.diagnostics.map(\.description).contains { $0.hasPrefix("content/en/help.md:8:1: warning: wallet cards en-th: contact 'Second line' has no th counterpart") },
                "\(built.diagnostics)")
        let pdf = built.output.appendingPathComponent("en/wallet-cards.en-th.pdf").path
        #expect(try pdfinfo(pdf)["Page size"]?.hasPrefix("595.") == true)
        let back = try pdftotext(pdf, page: 2)
        #expect(back.contains("สายด่วน") && !back.contains("Second line"))
        #expect(try pdftotext(pdf, page: 1).contains("+1 604 555 0135"))
    }

    @Test func walletCardKeysAreChecked() throws {
        let diagnostics = DiagnosticsEngine()
        _ = SiteConfig.parse("title: T\nlanguages:\n  - {key: en, name: English}\n  - {key: th, name: ไทย}\npamphlets:\n  wallet_cards: [[th, eng], [en]]\n",
                             diagnostics: diagnostics)
        let lines = diagnostics.diagnostics.map(\.description)
        #expect(lines.contains { $0.hasPrefix("site.yaml:6:18: error: pamphlets: wallet_cards names 'eng', which is not a language key; did you mean 'en'?") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("site.yaml:6:29: error: 'wallet_cards' must be a pair") }, "\(lines)")
    }

    // MARK: - Tools

    func pdftotext(_ path: String, page: Int? = nil, crop: (Int, Int, Int, Int)? = nil) throws -> String {
        var args: [String] = []
        if let page { args += ["-f", "\(page)", "-l", "\(page)"] }
        if let crop { args += ["-x", "\(crop.0)", "-y", "\(crop.1)", "-W", "\(crop.2)", "-H", "\(crop.3)"] }
        return try Tool.run("pdftotext", args + [path, "-"])
    }

    func pdfinfo(_ path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for line in try Tool.run("pdfinfo", [path]).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            out[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return out
    }
}

enum Tool {
    /// Runs a program from PATH; its standard output, or an error with its standard error.
    static func run(_ name: String, _ arguments: [String]) throws -> String {
        try Command.tool(name, arguments)
    }
}

/// Hotlines that are still true (issue #18, point 7).
extension ContactTests {
    @Test func aContactNeverCheckedOrCheckedLongAgoIsAWarningAtItsBlock() throws {
        let today = BuildDate.today()
        let recent = today.adding(months: -1)
        let site = try Self.site(en: """
            ---
            title: Help
            pamphlet: true
            ---
            ```contact
            name: Never checked
            phone: +1 604 555 0101
            ```

            ```contact
            name: Checked long ago
            phone: +1 604 555 0102
            checked: 2000-01-01
            ```

            ```contact
            name: Checked lately
            phone: +1 604 555 0103
            checked: \(recent)
            ```
            """, siteYAML: "show_contact_checked: true\n")
        let result = TestBuild.build(site)
        try #require(result.succeeded)
        let advice = "call or text its numbers, correct what changed, and set 'checked: \(today)' in the block "
            + "('contact_check_months' in site.yaml sets how long a check stays good)"
        #expect(result.diagnostics.map(\.description) == [
            "content/en/help.md:5:1: warning: the contact 'Never checked' does not say when its numbers were last checked; \(advice)",
            "content/en/help.md:10:1: warning: the contact 'Checked long ago' was last checked on 2000-01-01, more than 6 months ago; \(advice)",
        ])
        let html = try result.text("en/help/index.html")
        #expect(html.contains("<div><dt>Checked</dt><dd>\(recent)</dd></div>"), "shown to readers when the site asks")
        let pdf = try Command.tool("pdftotext", [result.output.appendingPathComponent("en/help/help.en.pdf").path, "-"])
        #expect(pdf.contains("Checked: \(recent)"), "\(pdf)")

        let never = TestBuild.build(try Self.site(en: "# Help\n\n```contact\nname: Line\nphone: +1 604 555 0101\n```\n",
                                                  siteYAML: "contact_check_months: 0\n"), write: false)
        #expect(never.diagnostics.isEmpty, "0 turns the check off")
        let invalid = TestBuild.build(try Self.site(en: "# Help\n\n```contact\nname: Line\nphone: +1 604 555 0101\nchecked: last week\n```\n"),
                                      write: false)
        #expect(invalid.diagnostics.map(\.description) == [
            "content/en/help.md:6:10: error: checked 'last week' is not a date; write the day the numbers were last checked as YYYY-MM-DD, like 2026-11-01"])
    }

    @Test func checkDates() {
        #expect(CalendarDay("2026-02-29") == nil)
        #expect(CalendarDay("2028-02-29") != nil)
        #expect(CalendarDay("2026-8-01") == nil)
        #expect(CalendarDay("2026-08-31")?.adding(months: 6).description == "2027-02-28")
        let contact = Contact(name: "L", phone: "+1 604 555 0101", checked: CalendarDay("2026-06-06"), position: .init(line: 1, column: 1))
        #expect(contact.checkWarning(today: CalendarDay("2026-12-06")!, months: 6) == nil)
        #expect(contact.checkWarning(today: CalendarDay("2026-12-07")!, months: 6) != nil)
    }

    /// A `checked:` day still to come (2062 for 2026) would silence the warning for years;
    /// tomorrow is allowed, for editors east of UTC.
    @Test func aCheckedDayStillToComeIsAWarning() {
        func warning(_ checked: String, today: String) -> String? {
            Contact(name: "L", phone: "+1 604 555 0101", checked: CalendarDay(checked), position: .init(line: 1, column: 1))
                .checkWarning(today: CalendarDay(today)!, months: 6)
        }
        #expect(warning("2062-11-01", today: "2026-11-01") == "the contact 'L' says its numbers were checked on 2062-11-01, "
                + "which is after today (2026-11-01); write the day they were really checked, like 'checked: 2026-11-01'")
        #expect(warning("2026-11-02", today: "2026-11-01") == nil)
        #expect(warning("2027-01-01", today: "2026-12-31") == nil)
        #expect(warning("2024-03-01", today: "2024-02-29") == nil)
        #expect(warning("2024-03-01", today: "2024-02-28") != nil)
        #expect(CalendarDay("2023-02-28")?.next.description == "2023-03-01")
    }
}
