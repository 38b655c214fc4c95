import Foundation
import MonarchContent
import MonarchCore
import MonarchMarkdown
import MonarchPrint

/// A hotline or office, written by an editor as a fenced code block with the info string
/// `contact` (issue #5, "one tap away"):
///
/// ````markdown
/// ```contact
/// name: Peer support line
/// phone: +1 800 555 0142
/// sms: +1 604 555 0142
/// hours: Every day, 10 a.m. to 2 a.m.
/// languages: English, Mandarin, Cantonese, Korean, Thai
/// ```
/// ````
///
/// The block is YAML (read with Yams, through `YAMLMapping`): keys in English, values in the
/// page's language. `name` and at least one of `phone` and `sms` are required; `languages`
/// may also be a list. The web page shows it as a labelled group with `tel:` and `sms:`
/// links whose text is the number as written; pamphlets and wallet cards print it.
struct Contact: Sendable, Hashable {
    var name: String
    /// The numbers as written, for the reader to see.
    var phone: String?
    var sms: String?
    var hours: String?
    var languages: String?
    /// When an editor last called or texted its numbers and found them right (`checked:`).
    var checked: CalendarDay?
    /// Where the block's fence is in the Markdown body.
    var position: SourcePosition

    static let keys = ["name", "phone", "sms", "hours", "languages", "checked"]
    /// The info string's first word that marks a contact block.
    static let infoWord = "contact"

    /// The interface strings that label a contact's lines (translations/<key>.yaml).
    static let interfaceKeys: [(key: String, usedAt: SourceLocation)] =
        ["contact_phone", "contact_sms", "contact_hours", "contact_languages", "contact_checked"].map {
            ($0, SourceLocation(path: "contact blocks (```contact)"))
        }

    /// Whether a block is a contact block.
    static func isContact(_ block: Block) -> (code: String, position: SourcePosition)? {
        guard case .codeBlock(let info, let code) = block.kind,
              info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first == Substring(infoWord) else { return nil }
        return (code, block.position)
    }

    /// Whether a page has a contact block at all (cheap: no block is parsed).
    static func hasBlocks(_ page: Page) -> Bool {
        var found = false
        MarkdownDocument.visitBlocks(page.document.blocks) { block in
            if !found, isContact(block) != nil { found = true }
        }
        return found
    }

    /// `tel:`/`sms:` address of a number as written: `+` (when written) and the digits.
    static func dialString(_ number: String) -> String {
        let trimmed = number.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.filter { $0.isASCII && $0.isNumber }
        return (trimmed.hasPrefix("+") ? "+" : "") + digits
    }

    /// Why `number` is not a phone number, or nil when it is one: an optional leading `+`,
    /// then 3 to 15 digits (E.164's most; 3 for short lines like 988) with spaces, `-`, `.`
    /// or brackets between them.
    static func phoneProblem(_ number: String) -> String? {
        let text = number.trimmingCharacters(in: .whitespaces)
        let body = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        if let bad = body.first(where: { !(($0.isASCII && $0.isNumber) || " -.()".contains($0)) }) {
            return "'\(bad)' cannot be dialled"
        }
        let count = body.filter(\.isNumber).count
        if count < 3 { return "it has \(count) digit\(count == 1 ? "" : "s")" }
        if count > 15 { return "it has \(count) digits, more than a phone number can (15)" }
        return nil
    }

    // MARK: - Reading

    /// Every contact block of a page, in document order; problems go to `diagnostics` at their
    /// place inside the block. A block with errors is left out.
    static func contacts(in page: Page, diagnostics: DiagnosticsEngine) -> [Contact] {
        var result: [Contact] = []
        MarkdownDocument.visitBlocks(page.document.blocks) { block in
            guard let (code, position) = isContact(block) else { return }
            if let contact = parse(code, at: position, page: page, diagnostics: diagnostics) { result.append(contact) }
        }
        return result
    }

    /// Contacts by the position of their block, for rendering; problems are not reported
    /// (`contacts(in:diagnostics:)` reported them while checking).
    static func byPosition(_ page: Page) -> [SourcePosition: Contact] {
        var result: [SourcePosition: Contact] = [:]
        for contact in contacts(in: page, diagnostics: DiagnosticsEngine()) { result[contact.position] = contact }
        return result
    }

    static func parse(_ code: String, at position: SourcePosition, page: Page, diagnostics: DiagnosticsEngine) -> Contact? {
        // Yams counts lines and columns inside the block: line 1 is the line after the fence,
        // and the block's lines start at the fence's column.
        let local = DiagnosticsEngine()
        let lineOffset = page.bodyLineOffset + position.line
        let columnShift = position.column - 1
        defer {
            for diagnostic in local.diagnostics {
                var moved = diagnostic
                if moved.location.path == page.sourcePath, let column = moved.location.column {
                    moved.location.column = column + columnShift
                }
                diagnostics.emit(moved)
            }
        }
        let fence = page.location(position)
        if code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            local.error(fence, "this contact block is empty; write 'name:' and 'phone:' or 'sms:' lines in it")
            return nil
        }
        guard let map = YAMLMapping.parse(code, path: page.sourcePath, lineOffset: lineOffset, diagnostics: local) else {
            return nil
        }
        guard !map.entries.isEmpty else {
            local.error(fence, "a contact block holds 'key: value' lines (name, phone, sms, hours, languages)")
            return nil
        }
        map.rejectUnknownKeys(allowed: keys, kind: "contact", diagnostics: local)
        func text(_ key: String) -> String? {
            guard let entry = map[key] else { return nil }
            if let scalar = entry.value.scalar {
                let value = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
                if value.isEmpty {
                    local.error(entry.location, "'\(key)' is empty; write its value after the colon or leave the line out")
                    return nil
                }
                return value
            }
            if key == "languages", let items = entry.value.sequence {
                let names = items.compactMap { $0.scalar?.string.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                if names.count == items.count, !names.isEmpty { return names.joined(separator: listSeparator(page)) }
            }
            local.error(map.location(of: entry.value),
                        key == "languages" ? "'languages' must be text or a list of names, like [English, ไทย]"
                                           : "'\(key)' must be text on one line")
            return nil
        }
        let name = text("name")
        if map["name"] == nil {
            local.error(map.location, "this contact has no 'name'; add a line like 'name: Peer support line'")
        }
        var numbers: [String: String] = [:]
        for key in ["phone", "sms"] {
            guard let value = text(key), let entry = map[key] else { continue }
            if let problem = phoneProblem(value) {
                local.error(map.location(of: entry.value),
                            "\(key) '\(value)' is not a phone number (\(problem)); write the number in digits, like +1 604 555 0134")
            } else {
                numbers[key] = value
            }
        }
        if map["phone"] == nil, map["sms"] == nil {
            local.error(map.location, "this contact has no 'phone' or 'sms'; add the number to call or text, like 'phone: +1 604 555 0134'")
        }
        var checked: CalendarDay?
        if let value = text("checked"), let entry = map["checked"] {
            checked = CalendarDay(value)
            if checked == nil {
                local.error(map.location(of: entry.value),
                            "checked '\(value)' is not a date; write the day the numbers were last checked as YYYY-MM-DD, like 2026-11-01")
            }
        }
        let contact = Contact(name: name ?? "", phone: numbers["phone"], sms: numbers["sms"],
                              hours: text("hours"), languages: text("languages"), checked: checked, position: position)
        return local.hasErrors ? nil : contact
    }

    /// How a list of language names is joined in the page's language.
    private static func listSeparator(_ page: Page) -> String {
        let key = page.languageKey.lowercased()
        return key.hasPrefix("zh") || key.hasPrefix("ja") ? "、" : ", "
    }

    // MARK: - Web page

    /// The labelled lines of a contact, in order, with the link of a number; with
    /// `showChecked` (`show_contact_checked`), the day its numbers were last checked.
    func lines(labels: [String: String], showChecked: Bool = false) -> [(label: String, value: String, link: String?)] {
        var out: [(String, String, String?)] = []
        if let phone { out.append((labels["contact_phone"] ?? "Call", phone, "tel:" + Self.dialString(phone))) }
        if let sms { out.append((labels["contact_sms"] ?? "Text", sms, "sms:" + Self.dialString(sms))) }
        if let hours { out.append((labels["contact_hours"] ?? "Hours", hours, nil)) }
        if let languages { out.append((labels["contact_languages"] ?? "Languages", languages, nil)) }
        if showChecked, let checked { out.append((labels["contact_checked"] ?? "Checked", checked.description, nil)) }
        return out
    }

    /// A warning when the block's numbers were checked longer ago than `months` months before
    /// `today`, or it does not say when (issue #18, point 7): a wrong number on a safety site
    /// is a harm. None with `months` 0.
    func checkWarning(today: CalendarDay, months: Int) -> String? {
        guard months > 0 else { return nil }
        let advice = "call or text its numbers, correct what changed, and set 'checked: \(today)' in the block "
            + "('contact_check_months' in site.yaml sets how long a check stays good)"
        guard let checked else {
            return "the contact '\(name)' does not say when its numbers were last checked; \(advice)"
        }
        // A day to come is a slip of the keyboard (2062 for 2026) that would silence this
        // warning for years. Tomorrow is allowed: today is the UTC day, and in Bangkok or
        // Seoul the morning is still yesterday in UTC.
        if today.next < checked {
            return "the contact '\(name)' says its numbers were checked on \(checked), which is after today (\(today)); "
                + "write the day they were really checked, like 'checked: \(today)'"
        }
        guard checked.adding(months: months) < today else { return nil }
        return "the contact '\(name)' was last checked on \(checked), more than \(months) month\(months == 1 ? "" : "s") ago; \(advice)"
    }

    /// A group named by the contact's name, its lines as a description list; every number
    /// a link that dials or texts it, showing the number as written.
    func html(labels: [String: String], showChecked: Bool = false) -> String {
        let id = "contact-\(position.line)-\(position.column)"
        var out = "<div class=\"contact\" role=\"group\" aria-labelledby=\"\(id)\">\n"
        out += "<p class=\"contact-name\" id=\"\(id)\">\(HTMLEscaping.escapeHTML(name))</p>\n<dl>\n"
        for line in lines(labels: labels, showChecked: showChecked) {
            out += "<div><dt>\(HTMLEscaping.escapeHTML(line.label))</dt><dd>"
            if let link = line.link {
                out += "<a href=\"\(HTMLEscaping.escapeHref(link))\">\(HTMLEscaping.escapeHTML(line.value))</a>"
            } else {
                out += HTMLEscaping.escapeHTML(line.value)
            }
            out += "</dd></div>\n"
        }
        out += "</dl>\n</div>\n"
        return out
    }

    /// The HTML renderer's hook for a page: contact blocks as `html(labels:)`, other code as usual.
    static func renderer(for page: Page, labels: [String: String], showChecked: Bool = false) -> ((Block) -> String?)? {
        let contacts = byPosition(page)
        guard !contacts.isEmpty else { return nil }
        return { block in
            guard isContact(block) != nil else { return nil }
            return contacts[block.position]?.html(labels: labels, showChecked: showChecked)
        }
    }

    /// The same contact for print.
    func printed(labels: [String: String], showChecked: Bool = false) -> PrintedContact {
        PrintedContact(name: name, lines: lines(labels: labels, showChecked: showChecked).map {
            PrintedContact.Line(label: $0.label, value: $0.value, link: $0.link)
        })
    }

    /// Pamphlets' hook: the printed form of a page's contact blocks, by block position.
    static func printed(for page: Page, labels: [String: String], showChecked: Bool) -> [SourcePosition: PrintedContact] {
        byPosition(page).mapValues { $0.printed(labels: labels, showChecked: showChecked) }
    }
}
