import MonarchContent
import MonarchCore
import MonarchMarkdown

/// One page of the output: a path in a language, showing its translation or, on a fallback
/// page, the source language's page.
struct PageEntry: Sendable {
    let language: Language
    /// The content shown.
    let page: Page
    let isFallback: Bool

    var path: String { page.path }
    var folder: String { SitePaths.pageFolder(languageKey: language.key, path: page.path) }
    var file: String { SitePaths.pageFile(languageKey: language.key, path: page.path) }
}

/// The assembled site: which page every language gets at every path, which are real
/// translations of each other, and what each section lists.
struct SiteGraph: Sendable {
    let config: SiteConfig
    /// By language key, then path.
    let entries: [String: [String: PageEntry]]
    /// Real translations of each path, in the order of site.yaml's languages.
    let translations: [String: [PageEntry]]
    /// Every path, sorted.
    let paths: [String]

    /// `searchTitles` (language key -> title): with `search: true`, a language without a search
    /// page of its own gets one made for it with this title (`SearchPage`).
    init(config: SiteConfig, content: Content, diagnostics: DiagnosticsEngine, searchTitles: [String: String] = [:]) {
        self.config = config
        var real: [String: [String: Page]] = [:]   // path -> language -> page
        for language in config.languages {
            var seen: [String: Page] = [:]
            for page in content.pages[language.key] ?? [] {
                if let other = seen[page.path] {
                    let output = SitePaths.pageFile(languageKey: language.key, path: page.path)
                    diagnostics.error(SourceLocation(path: page.sourcePath),
                        "this page and \(other.sourcePath) would both be written to \(output); rename or remove one")
                    continue
                }
                seen[page.path] = page
                real[page.path, default: [:]][language.key] = page
            }
        }
        let source = config.sourceLanguage.key
        var entries: [String: [String: PageEntry]] = [:]
        var translations: [String: [PageEntry]] = [:]
        for (path, byLanguage) in real {
            for language in config.languages {
                if let page = byLanguage[language.key] {
                    let entry = PageEntry(language: language, page: page, isFallback: false)
                    entries[language.key, default: [:]][path] = entry
                    translations[path, default: []].append(entry)
                } else if config.fallback == .source, let page = byLanguage[source] {
                    entries[language.key, default: [:]][path] = PageEntry(language: language, page: page, isFallback: true)
                }
            }
        }
        var paths = Set(real.keys)
        if config.search, SearchPage.add(titles: searchTitles, config: config, entries: &entries, translations: &translations) {
            paths.insert(SearchPage.path)
        }
        self.entries = entries
        self.translations = translations
        self.paths = paths.sorted()
    }

    func entry(languageKey: String, path: String) -> PageEntry? { entries[languageKey]?[path] }

    /// Every output page, in a stable order (language order, then path).
    var allEntries: [PageEntry] {
        config.languages.flatMap { language in
            paths.compactMap { entries[language.key]?[$0] }
        }
    }

    /// The output pages that show one of these pages (its own page and the fallback pages
    /// that show it), in the order of `allEntries`, without listing every page.
    func entries(showing pages: [Page]) -> [PageEntry] {
        let sourcePaths = Set(pages.map(\.sourcePath))
        let paths = Set(pages.map(\.path)).sorted()
        return config.languages.flatMap { language in
            paths.compactMap { path in
                entries[language.key]?[path].flatMap { sourcePaths.contains($0.page.sourcePath) ? $0 : nil }
            }
        }
    }

    /// What a home or section page lists: the pages and sections directly inside it, by
    /// weight then title.
    func children(of entry: PageEntry) -> [PageEntry] {
        guard entry.page.kind != .page, let all = entries[entry.language.key] else { return [] }
        return all.values
            .filter { $0.page.sectionPath == entry.path && $0.path != entry.path }
            .sorted { ($0.page.weight, $0.page.title, $0.path) < ($1.page.weight, $1.page.title, $1.path) }
    }
}
