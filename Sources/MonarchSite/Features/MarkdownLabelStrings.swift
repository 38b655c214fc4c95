import MonarchCore
import MonarchMarkdown

/// The words a page's Markdown renders itself (callout titles, the footnote list's name),
/// from the interface strings of the page's language, so that a Thai page says "Warning"
/// in Thai.
enum MarkdownLabelStrings {
    static let interfaceKeys: [(key: String, usedAt: SourceLocation)] =
        ["callout_note", "callout_tip", "callout_important", "callout_warning", "callout_caution",
         "footnotes", "footnote_back", "task_done", "task_open"].map {
            ($0, SourceLocation(path: "callouts (> [!NOTE]), footnotes ([^1]) and task lists (- [ ])"))
        }

    static func labels(_ strings: [String: String]) -> MarkdownLabels {
        let english = MarkdownLabels.english
        return MarkdownLabels(note: strings["callout_note"] ?? english.note,
                              tip: strings["callout_tip"] ?? english.tip,
                              important: strings["callout_important"] ?? english.important,
                              warning: strings["callout_warning"] ?? english.warning,
                              caution: strings["callout_caution"] ?? english.caution,
                              footnotes: strings["footnotes"] ?? english.footnotes,
                              backToReference: strings["footnote_back"] ?? english.backToReference,
                              taskDone: strings["task_done"] ?? english.taskDone,
                              taskOpen: strings["task_open"] ?? english.taskOpen)
    }
}
