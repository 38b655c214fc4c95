import MonarchContent
import MonarchCore

/// The values each template sees (the README's "Templates" section lists them). An empty
/// value is `false`, so that `{{#description}}...{{/description}}` shows only when there is one
/// and a nested list never falls through to an outer value of the same name.
struct TemplateContext {
    let graph: SiteGraph
    /// Resolved interface strings by language key.
    let strings: [String: [String: String]]

    private var config: SiteConfig { graph.config }

    /// Interface strings the chooser and 404 contexts hand to templates by name.
    static let interfaceKeys: [(key: String, usedAt: SourceLocation)] =
        ["choose_language", "not_found_title", "not_found_text", "home", "quick_exit", "safety_link"].map {
            ($0, SourceLocation(path: "index.html and 404.html"))
        } + Contact.interfaceKeys + OfflinePage.interfaceKeys

    static func value(_ text: String) -> Any { text.isEmpty ? false : text }

    func siteTitle(_ languageKey: String) -> String {
        strings[languageKey]?["title"] ?? config.title
    }

    /// Absolute URL of an output folder when base_url is set, else the relative one.
    private func link(from folder: String, to target: String) -> String {
        if let base = config.baseURL { return base + SitePaths.encoded(target) }
        return SitePaths.relative(from: folder, to: target)
    }

    func page(_ entry: PageEntry, content: String) -> [String: Any] {
        let key = entry.language.key
        let folder = entry.folder
        let page = entry.page
        let alternates: [[String: Any]] = entry.isFallback ? [] :
            (graph.translations[entry.path] ?? []).map {
                ["hreflang": $0.language.tag, "href": link(from: folder, to: $0.folder)]
            }
        let languages: [[String: Any]] = config.languages.map { language in
            let target = graph.entry(languageKey: language.key, path: entry.path)?.folder
                ?? SitePaths.pageFolder(languageKey: language.key, path: "")
            return ["key": language.key, "tag": language.tag, "name": language.name,
                    "href": SitePaths.relative(from: folder, to: target), "is_current": language.key == key]
        }
        var parent: Any = false
        if let section = page.sectionPath, !section.isEmpty, let sectionEntry = graph.entry(languageKey: key, path: section) {
            parent = ["title": sectionEntry.page.title, "href": SitePaths.relative(from: folder, to: sectionEntry.folder)]
        }
        let children: [[String: Any]] = graph.children(of: entry).map { child in
            ["title": child.page.title, "href": SitePaths.relative(from: folder, to: child.folder),
             "description": Self.value(child.page.description),
             "lang": config.language(key: child.page.languageKey)?.tag ?? child.language.tag]
        }
        let root = SitePaths.relative(from: folder, to: "")
        var stale: Any = false
        if config.staleNotice, !entry.isFallback, let recorded = page.frontMatter.sourceHash,
           let source = graph.entry(languageKey: config.sourceLanguage.key, path: entry.path), !source.isFallback,
           source.language.key != key, TranslationStatus.state(recorded: recorded, source: source.page.bodyHash) == .stale {
            stale = ["href": SitePaths.relative(from: folder, to: source.folder), "lang": source.language.tag]
        }
        let values: [String: Any] = [
            "pdf": pdf(entry),
            "lang": entry.language.tag,
            "lang_key": key,
            "site_title": siteTitle(key),
            "title": page.title,
            "description": Self.value(page.description),
            "root": root,
            "home_url": SitePaths.relative(from: folder, to: SitePaths.pageFolder(languageKey: key, path: "")),
            "css_url": root + "assets/monarch.css",
            "content": content,
            "content_lang": config.language(key: page.languageKey)?.tag ?? entry.language.tag,
            "is_fallback": entry.isFallback,
            "alternates": alternates,
            "x_default_href": config.baseURL ?? root,
            "canonical_url": config.baseURL.map { $0 + SitePaths.encoded(folder) } ?? false,
            "languages": languages,
            "parent": parent,
            "children": children,
            "is_home": page.kind == .home,
            "is_section": page.kind == .section,
            "stale": stale,
            "t": strings[key] ?? [:],
        ]
        return values.merging(safetyValues(entry)) { $1 }.merging(offlineValues(entry)) { $1 }
    }

    /// The page's printable pamphlet: `{href, lang, is_fallback, booklet_href, bilingual_href}`,
    /// or false. A fallback page links the source language's PDF.
    func pdf(_ entry: PageEntry) -> Any {
        guard entry.page.frontMatter.pamphlet else { return false }
        let key = entry.page.languageKey
        let pamphlets = config.pamphlets
        var bilingual: Any = false
        if let other = pamphlets.bilingual, other != key, !entry.isFallback,
           graph.entry(languageKey: other, path: entry.path)?.isFallback == false {
            bilingual = SitePaths.relative(from: entry.folder, to: PamphletPaths.bilingual(languageKey: key, with: other, path: entry.path))
        }
        return [
            "href": SitePaths.relative(from: entry.folder, to: PamphletPaths.pdf(languageKey: key, path: entry.path)),
            "lang": config.language(key: key)?.tag ?? key,
            "is_fallback": entry.isFallback,
            "booklet_href": pamphlets.booklet
                ? SitePaths.relative(from: entry.folder, to: PamphletPaths.booklet(languageKey: key, path: entry.path)) : false,
            "bilingual_href": bilingual,
        ] as [String: Any]
    }

    func chooser() -> [String: Any] {
        [
            "lang": config.sourceLanguage.tag,
            "site_title": siteTitle(config.sourceLanguage.key),
            "root": "",
            "css_url": "assets/monarch.css",
            "quick_exit_url": config.quickExitURL,
            "languages": config.languages.map { language -> [String: Any] in
                ["key": language.key, "tag": language.tag, "name": language.name,
                 "href": SitePaths.pageFolder(languageKey: language.key, path: ""),
                 "site_title": siteTitle(language.key),
                 "choose_language": strings[language.key]?["choose_language"] ?? ""]
                    .merging(safetyValues(languageKey: language.key, root: "")) { $1 }
            },
        ]
    }

    /// A 404 page is served at any depth, so its links are absolute under base_url when it is set.
    func notFound() -> [String: Any] {
        var root = ""
        if let base = config.baseURL, let slash = base.dropFirst("https://".count).firstIndex(of: "/") {
            root = String(base[slash...])
        }
        return [
            "lang": config.sourceLanguage.tag,
            "site_title": siteTitle(config.sourceLanguage.key),
            "root": root,
            "css_url": root + "assets/monarch.css",
            "quick_exit_url": config.quickExitURL,
            "languages": config.languages.map { language -> [String: Any] in
                let table = strings[language.key] ?? [:]
                return ["key": language.key, "tag": language.tag, "name": language.name,
                        "href": root + SitePaths.pageFolder(languageKey: language.key, path: ""),
                        "not_found_title": table["not_found_title"] ?? "",
                        "not_found_text": table["not_found_text"] ?? "",
                        "home": table["home"] ?? ""]
                    .merging(safetyValues(languageKey: language.key, root: root)) { $1 }
            },
        ]
    }
}
