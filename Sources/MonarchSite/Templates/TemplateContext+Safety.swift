import MonarchContent
import MonarchCore

/// The template values of issue #5: the quick-exit link, the safety page, the search page.
///
/// Two content paths have a meaning of their own: `safety` (`content/<key>/safety.md`), which
/// every page links to, and `search` (`content/<key>/search.md`), the page that holds the search
/// box and lists every page of the language, so that it is useful without JavaScript too.
extension TemplateContext {
    static let safetyPath = "safety"
    static let searchPath = "search"

    /// Relative URL from `folder` to the page at `path` in this language (its translation or
    /// fallback), or false when the site has no such page.
    func pageLink(from folder: String, languageKey: String, path: String) -> Any {
        guard let target = graph.entry(languageKey: languageKey, path: path) else { return false }
        return TemplateText(SitePaths.relative(from: folder, to: target.folder))
    }

    func isSearchPage(_ entry: PageEntry) -> Bool {
        graph.config.search && entry.path == Self.searchPath
    }

    /// The values every page gets for the safety page and search (`quick_exit_url` is one of
    /// the values a language's pages share).
    func addSafetyValues(_ entry: PageEntry, root: String, to values: inout [String: Any]) {
        let key = entry.language.key
        let folder = entry.folder
        let isSearch = isSearchPage(entry)
        values["safety_url"] = pageLink(from: folder, languageKey: key, path: Self.safetyPath)
        values["search_url"] = graph.config.search ? pageLink(from: folder, languageKey: key, path: Self.searchPath) : false
        values["is_search"] = isSearch
        values["search_index_url"] = isSearch ? TemplateText(root + SearchIndex.indexPath(languageKey: key)) : false
        values["sections"] = isSearch ? siteIndex(entry) : false
    }

    /// Every page of the language, by section: what the search page lists, and all a reader
    /// without JavaScript needs to find a page (with more than `SearchPage.listLimit` pages,
    /// the sections only, each page listing its own). Items: `{title, href, lang, pages}`, pages
    /// `{title, href, lang}`.
    func siteIndex(_ entry: PageEntry) -> [[String: Any]] {
        guard let home = graph.entry(languageKey: entry.language.key, path: "") else { return [] }
        func item(_ other: PageEntry) -> [String: Any] {
            ["title": other.page.title, "href": SitePaths.relative(from: entry.folder, to: other.folder),
             "lang": graph.config.language(key: other.page.languageKey)?.tag ?? other.language.tag]
        }
        var sections: [[String: Any]] = [item(home).merging(["pages": [[String: Any]]()]) { $1 }]
        let tops = graph.children(of: home).filter { $0.path != entry.path }
        let pages = tops.map { graph.children(of: $0) }
        // With thousands of pages one list would outweigh the page budget: then each section
        // links to its own page, which lists its pages.
        let listed = pages.reduce(0) { $0 + $1.count } <= SearchPage.listLimit
        for (child, inside) in zip(tops, pages) {
            var section = item(child)
            section["pages"] = listed ? inside.map(item) : [[String: Any]]()
            sections.append(section)
        }
        if let offline = offlineIndexItem(entry) { sections.append(offline) }
        return sections
    }

    /// The quick exit and the safety page in the chooser's and 404's per-language lists.
    func safetyValues(languageKey: String, root: String) -> [String: Any] {
        let table = strings[languageKey] ?? [:]
        var href: Any = false
        if let target = graph.entry(languageKey: languageKey, path: Self.safetyPath) {
            href = root + PercentEncoding.uriPath(target.folder)
        }
        return ["quick_exit": table["quick_exit"] ?? "", "safety_link": table["safety_link"] ?? "", "safety_href": href]
    }
}
