import MonarchContent
import MonarchCore
import MonarchMarkdown

/// Search is on by default (issue #20): a language without `content/<key>/search.md` of its
/// own (a fallback to the source language's counts as none) gets a search page made for it,
/// as the offline page is, titled with its `search_link` string. The theme adds the box and
/// the list of every page after its (empty) text, in the reader's language.
enum SearchPage {
    static let path = TemplateContext.searchPath
    static let sourcePath = "<search page>"
    /// The most pages the search page lists one by one (within the page budget in Thai, whose titles are long); past
    /// that it lists the sections, whose pages list their own.
    static let listLimit = 120

    /// Adds the made pages to `entries` and `translations`; true when it added any.
    static func add(titles: [String: String], config: SiteConfig, entries: inout [String: [String: PageEntry]],
                    translations: inout [String: [PageEntry]]) -> Bool {
        var added = false
        for language in config.languages {
            guard let title = titles[language.key] else { continue }
            if let existing = entries[language.key]?[path], !existing.isFallback { continue }
            let page = Page(languageKey: language.key, path: path, kind: .page, sourcePath: sourcePath,
                            frontMatter: FrontMatter(), document: MarkdownDocument(blocks: []), bodyLineOffset: 0,
                            title: title, sourceDigest: "search page: " + title)
            entries[language.key, default: [:]][path] = PageEntry(language: language, page: page, isFallback: false)
            added = true
        }
        if added {
            translations[path] = config.languages.compactMap { entries[$0.key]?[path] }.filter { !$0.isFallback }
        }
        return added
    }

    /// Each language's title for a made search page.
    static func titles(_ strings: [String: [String: String]]) -> [String: String] {
        strings.compactMapValues { $0["search_link"] }
    }

    static func isMade(_ entry: PageEntry) -> Bool { entry.page.sourcePath == sourcePath }
}
