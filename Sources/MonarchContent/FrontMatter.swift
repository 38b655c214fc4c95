import Foundation
import MonarchCore

/// The YAML block between `---` lines at the top of a page, checked against the documented keys.
public struct FrontMatter: Sendable, Hashable {
    public var title: String?
    public var description: String?
    public var weight: Int?
    public var draft = false
    public var pamphlet = false
    public var sourceHash: String?
    /// This page's own page-weight budget in KB gzipped (`weight_budget_kb`), for a page that
    /// cannot be split (a long contract): its warning over the site's budget goes away.
    public var weightBudgetKB: Int?
    /// In a source page: the languages it is left untranslated in on purpose
    /// (`untranslated: [ko, th]`); their readers get this page, and `monarch check` does not
    /// warn that it is missing there. The keys are checked against site.yaml's languages.
    public var untranslated: [String] = []
    /// Where `untranslated` is written, for its errors.
    public var untranslatedLocation: SourceLocation?
    /// `title` is the body's leading `# Heading`, not a 'title:' the editor wrote: advice
    /// about the title then names the heading.
    public var titleFromBody = false

    public static let keys = ["title", "description", "weight", "draft", "pamphlet", "source_hash", "weight_budget_kb",
                              "untranslated"]

    public init() {}

    /// Splits a page into front matter text and Markdown body. `bodyLineOffset` is the number of
    /// lines before the body, to add to Markdown line numbers.
    public static func split(_ text: String) -> (yaml: String?, yamlLineOffset: Int, body: Substring, bodyLineOffset: Int, unterminated: Bool) {
        guard text.hasPrefix("---\n") || text == "---" else {
            return (nil, 0, Substring(text), 0, false)
        }
        var lineNumber = 1
        // A page that is just `---` has no 4th character (found by fuzzing).
        var index = text.index(text.startIndex, offsetBy: 4, limitedBy: text.endIndex) ?? text.endIndex
        let yamlStart = index
        while index < text.endIndex {
            let lineEnd = text[index...].firstIndex(of: "\n") ?? text.endIndex
            let line = text[index..<lineEnd]
            lineNumber += 1
            if line == "---" || line == "..." {
                let bodyStart = lineEnd < text.endIndex ? text.index(after: lineEnd) : lineEnd
                return (String(text[yamlStart..<index]), 1, text[bodyStart...], lineNumber, false)
            }
            index = lineEnd < text.endIndex ? text.index(after: lineEnd) : lineEnd
        }
        return (nil, 0, Substring(text), 0, true)
    }

    /// Reads the front matter YAML of `path`; problems go to `diagnostics`. Nil when it is not
    /// YAML at all.
    public static func parse(_ yaml: String, path: String, lineOffset: Int,
                             diagnostics: DiagnosticsEngine) -> FrontMatter? {
        var matter = FrontMatter()
        guard let map = YAMLMapping.parse(yaml, path: path, lineOffset: lineOffset, diagnostics: diagnostics) else {
            return nil
        }
        map.rejectUnknownKeys(allowed: keys, kind: "front matter", diagnostics: diagnostics)
        matter.title = map.string("title", diagnostics: diagnostics)
        matter.description = map.string("description", diagnostics: diagnostics)
        matter.weight = map.int("weight", diagnostics: diagnostics)
        matter.draft = map.bool("draft", diagnostics: diagnostics) ?? false
        matter.pamphlet = map.bool("pamphlet", diagnostics: diagnostics) ?? false
        matter.sourceHash = map.string("source_hash", diagnostics: diagnostics)
        matter.weightBudgetKB = budgetKB(map, diagnostics: diagnostics)
        matter.untranslated = map.words("untranslated", diagnostics: diagnostics) ?? []
        matter.untranslatedLocation = map["untranslated"].map { map.location(of: $0.value) }
        // Blank as CharacterSet.whitespaces has it (category Zs and tab), without bridging to NSString.
        if let title = matter.title,
           title.unicodeScalars.allSatisfy({ $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }),
           let entry = map["title"] {
            diagnostics.error(entry.location, "'title' is empty; write the page's title or remove the key")
        }
        return matter
    }

    /// `weight_budget_kb`, a whole number of KB from 1 to 10,000; nil (after an error) otherwise.
    public static func budgetKB(_ map: YAMLMapping, diagnostics: DiagnosticsEngine) -> Int? {
        guard let value = map.int("weight_budget_kb", diagnostics: diagnostics) else { return nil }
        guard (1...10_000).contains(value) else {
            if let entry = map["weight_budget_kb"] {
                diagnostics.error(map.location(of: entry.value),
                    "'weight_budget_kb' is \(value); give the budget in KB gzipped, from 1 to 10000 (the default is 14)")
            }
            return nil
        }
        return value
    }
}
