import MonarchContent
import MonarchCore

/// The values each template sees (docs/templates.md lists every one). An empty
/// value is `false`, so that `{{#description}}...{{/description}}` shows only when there is one
/// and a nested list never falls through to an outer value of the same name.
struct TemplateContext {
    let graph: SiteGraph
    /// Resolved interface strings by language key.
    let strings: [String: [String: String]]
    /// By language key: what every page of that language shares, made once per build.
    private let shared: [String: SharedValues]

    /// The values of `page(_:content:)` that are the same on every page of one language.
    /// Immutable once made; holds only texts, flags and lists of them.
    private struct SharedValues: @unchecked Sendable {
        /// lang, lang_key, site_title, t, quick_exit_url, and x_default_href under base_url.
        let values: [String: Any]
        /// One `languages` item per language of the site, without its `href`.
        let languages: [[String: Any]]
    }

    init(graph: SiteGraph, strings: [String: [String: String]]) {
        self.graph = graph
        self.strings = strings
        let config = graph.config
        var shared: [String: SharedValues] = [:]
        for language in config.languages {
            let key = language.key
            var values: [String: Any] = [:]
            // Room for every value of a page, so that a page's copy never grows and rehashes.
            values.reserveCapacity(40)
            values["lang"] = TemplateText(language.tag)
            values["lang_key"] = TemplateText(key)
            values["site_title"] = TemplateText(Self.siteTitle(key, strings: strings, config: config))
            values["t"] = TemplateText.table(strings[key] ?? [:])
            values["quick_exit_url"] = TemplateText(config.quickExitURL)
            if let base = config.baseURL { values["x_default_href"] = TemplateText(base) }
            let languages: [[String: Any]] = config.languages.map { other in
                ["key": TemplateText(other.key), "tag": TemplateText(other.tag), "name": TemplateText(other.name),
                 "is_current": other.key == key]
            }
            shared[key] = SharedValues(values: values, languages: languages)
        }
        self.shared = shared
    }

    private var config: SiteConfig { graph.config }

    /// The `t` value every page of a language shares (its interface strings), for the
    /// preview's memo: keyed once per language instead of once per page.
    func stringsTable(_ languageKey: String) -> Any? {
        shared[languageKey]?.values["t"]
    }

    /// Interface strings the chooser and 404 contexts hand to templates by name.
    static let interfaceKeys: [(key: String, usedAt: SourceLocation)] =
        ["choose_language", "not_found_title", "not_found_text", "home", "quick_exit", "safety_link"].map {
            ($0, SourceLocation(path: "index.html and 404.html"))
        } + Contact.interfaceKeys + OfflinePage.interfaceKeys + MarkdownLabelStrings.interfaceKeys

    func siteTitle(_ languageKey: String) -> String {
        Self.siteTitle(languageKey, strings: strings, config: config)
    }

    private static func siteTitle(_ languageKey: String, strings: [String: [String: String]], config: SiteConfig) -> String {
        strings[languageKey]?["title"] ?? config.title
    }

    /// Absolute URL of an output folder when base_url is set, else the relative one.
    private func link(from folder: String, to target: String) -> String {
        if let base = config.baseURL { return base + PercentEncoding.uriPath(target) }
        return SitePaths.relative(from: folder, to: target)
    }

    func page(_ entry: PageEntry, content: String) -> [String: Any] {
        let key = entry.language.key
        let folder = entry.folder
        let page = entry.page
        let shared = self.shared[key] ?? SharedValues(values: [:], languages: [])
        var values = shared.values
        values["alternates"] = entry.isFallback ? [] :
            (graph.translations[entry.path] ?? []).map { other -> [String: Any] in
                ["hreflang": TemplateText(other.language.tag), "href": TemplateText(link(from: folder, to: other.folder))]
            }
        values["languages"] = zip(config.languages, shared.languages).map { language, item -> [String: Any] in
            let target = graph.entry(languageKey: language.key, path: entry.path)?.folder
                ?? SitePaths.pageFolder(languageKey: language.key, path: "")
            var item = item
            item["href"] = TemplateText(SitePaths.relative(from: folder, to: target))
            return item
        }
        var parent: Any = false
        if let section = page.sectionPath, !section.isEmpty, let sectionEntry = graph.entry(languageKey: key, path: section) {
            parent = ["title": TemplateText(sectionEntry.page.title),
                      "href": TemplateText(SitePaths.relative(from: folder, to: sectionEntry.folder))]
        }
        values["parent"] = parent
        values["children"] = graph.children(of: entry).map { child -> [String: Any] in
            ["title": TemplateText(child.page.title), "href": TemplateText(SitePaths.relative(from: folder, to: child.folder)),
             "description": TemplateText.value(child.page.description),
             "lang": TemplateText(config.language(key: child.page.languageKey)?.tag ?? child.language.tag)]
        }
        let root = SitePaths.relative(from: folder, to: "")
        var stale: Any = false
        if config.staleNotice, !entry.isFallback, let recorded = page.frontMatter.sourceHash,
           let source = graph.entry(languageKey: config.sourceLanguage.key, path: entry.path), !source.isFallback,
           source.language.key != key, TranslationStatus.state(recorded: recorded, source: source.page.bodyHash) == .stale {
            stale = ["href": TemplateText(SitePaths.relative(from: folder, to: source.folder)), "lang": TemplateText(source.language.tag)]
        }
        values["stale"] = stale
        values["pdf"] = pdf(entry)
        values["title"] = TemplateText(page.title)
        values["description"] = TemplateText.value(page.description)
        values["root"] = TemplateText(root)
        values["home_url"] = TemplateText(SitePaths.relative(from: folder, to: SitePaths.pageFolder(languageKey: key, path: "")))
        values["css_url"] = TemplateText(root + "assets/monarch.css")
        values["content"] = TemplateText(content)
        values["content_lang"] = TemplateText(config.language(key: page.languageKey)?.tag ?? entry.language.tag)
        values["is_fallback"] = entry.isFallback
        if config.baseURL == nil { values["x_default_href"] = TemplateText(root) }
        // A fallback page is the original's text at a translation's address: search engines
        // are pointed at the original, so that the text is listed once, in its own language.
        let canonicalFolder = entry.isFallback ? SitePaths.pageFolder(languageKey: page.languageKey, path: entry.path) : folder
        values["canonical_url"] = config.baseURL.map { TemplateText($0 + PercentEncoding.uriPath(canonicalFolder)) as Any } ?? false
        values["is_home"] = page.kind == .home
        values["is_section"] = page.kind == .section
        addSafetyValues(entry, root: root, to: &values)
        addOfflineValues(entry, to: &values)
        return values
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
