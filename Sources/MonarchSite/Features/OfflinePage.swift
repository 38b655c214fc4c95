import Foundation
import MonarchContent
import MonarchCore
import MonarchMarkdown

/// "Offline, on purpose" (issue #5). With `offline: true` (the default) the build writes, for
/// every language:
///
/// - `<key>/offline/index.html`: the offline page, from `page.mustache` with `is_offline` and
///   the `offline_*` interface strings. It says that a saved copy leaves a trace on the phone,
///   and (with JavaScript, `assets/offline.js`) offers "Save for offline" and "Remove the
///   offline copy". Without JavaScript it still explains, and says what else a reader can do.
/// - `offline/<key>.json`: `{"files": [...]}`, what "Save for offline" puts in the cache:
///   every page and image of that language, the language chooser, the theme's stylesheet and
///   scripts and every file of the language's search index (manifest, shards, page files), as addresses relative to the site's root (a
///   page by its folder, `en/police/`, as links name it). PDFs are left out: they are large,
///   and data is dear.
///
/// and once `sw.js` at the root (the theme's `assets/sw.js`, moved: a service worker only
/// serves the folder it is in). Nothing registers it until the reader presses the button.
enum OfflinePage {
    static let path = "offline"
    static let workerPath = "sw.js"
    static let workerAsset = "assets/sw.js"
    /// Strings the offline page takes from Swift rather than from a template.
    static let interfaceKeys: [(key: String, usedAt: SourceLocation)] = [("offline_title", SourceLocation(path: "the offline page's title"))]

    static func listPath(languageKey: String) -> String { "offline/\(languageKey).json" }

    /// Adds the offline pages, the lists and the worker to the output; reports a content page
    /// that would take the offline page's place.
    /// `leaving`: output paths the lists leave out (the full-size originals of the pages'
    /// images, which no page shows: a photo's original is megabytes a reader on prepaid data
    /// would pay for when saving, for an image whose phone-sized copies are saved already).
    static func add(to rendered: inout SiteBuilder.Rendered, graph: SiteGraph, theme: Theme, context: TemplateContext,
                    leaving: Set<String> = [], diagnostics: DiagnosticsEngine) {
        let config = graph.config
        // Without the feature the worker is not published either.
        let worker = rendered.copies.first { $0.path == workerAsset }
        rendered.copies.removeAll { $0.path == workerAsset }
        guard config.offline else { return }
        if let worker { rendered.copies.append((workerPath, worker.source)) }
        for language in config.languages {
            if let page = graph.entries[language.key]?[path], !page.isFallback {
                diagnostics.error(SourceLocation(path: page.page.sourcePath),
                    "\(language.key)/\(path)/ is the built-in offline page (site.yaml 'offline'); rename this page, or set 'offline: false'")
                continue
            }
            rendered.files.append((SitePaths.pageFile(languageKey: language.key, path: path),
                                   Data(theme.render(Theme.pageTemplate, pageContext(language, graph: graph, context: context)).utf8)))
        }
        let paths = (rendered.files.map(\.path) + rendered.copies.map(\.path)).filter { !leaving.contains($0) }
        let lists = ParallelMap.map(config.languages.map(\.key)) { key in list(for: key, paths: paths) }
        for (language, list) in zip(config.languages, lists) {
            rendered.files.append((listPath(languageKey: language.key), list))
        }
    }

    /// The offline page's template values: a page's, with the switcher leading to the offline
    /// page of each language.
    static func pageContext(_ language: Language, graph: SiteGraph, context: TemplateContext) -> [String: Any] {
        let strings = context.strings[language.key] ?? [:]
        let page = Page(languageKey: language.key, path: path, kind: .page,
                        sourcePath: "<offline page>", frontMatter: FrontMatter(),
                        document: MarkdownDocument(blocks: []), bodyLineOffset: 0,
                        title: strings["offline_title"] ?? "Reading without internet")
        let entry = PageEntry(language: language, page: page, isFallback: false)
        var values = context.page(entry, content: "")
        let folder = entry.folder
        values["languages"] = graph.config.languages.map { other -> [String: Any] in
            ["key": other.key, "tag": other.tag, "name": other.name,
             "href": SitePaths.relative(from: folder, to: SitePaths.pageFolder(languageKey: other.key, path: path)),
             "is_current": other.key == language.key]
        }
        values["alternates"] = graph.config.languages.map { other -> [String: Any] in
            ["hreflang": other.tag,
             "href": graph.config.baseURL.map { $0 + PercentEncoding.uriPath(SitePaths.pageFolder(languageKey: other.key, path: path)) }
                ?? SitePaths.relative(from: folder, to: SitePaths.pageFolder(languageKey: other.key, path: path))]
        }
        values["description"] = TemplateText.value(strings["offline_intro"] ?? "")
        values["is_offline"] = true
        return values
    }

    /// `offline/<key>.json`: what the cache gets, sorted, one address a line. `paths`: every
    /// output path.
    static func list(for key: String, paths: [String]) -> Data {
        let prefix = key + "/"
        let searchIndex = SearchIndex.languageFolder(key)
        var files: Set<String> = []
        for path in paths {
            let wanted = path.hasPrefix(prefix) || path == "index.html" || path.hasPrefix(searchIndex)
                || (path.hasPrefix("assets/") && (hasExtension(path, ".css") || hasExtension(path, ".js")))
            guard wanted, !hasExtension(path, ".pdf") else { continue }
            if path == "index.html" {
                files.insert("")
            } else if path.hasSuffix("/index.html") {
                files.insert(String(path.dropLast("index.html".count)))
            } else {
                files.insert(path)
            }
        }
        let items = files.sorted().map {
            // Percent-encoded paths hold no character JSON escapes but `&`, kept as it is.
            JSONString.quoted(PercentEncoding.uriPath($0), inertInHTML: false)
        }
        return Data(("{\"files\": [\n" + items.joined(separator: ",\n") + "\n]}\n").utf8)
    }

    /// Whether `path` ends in `suffix` (lowercase ASCII), in any case: `.PDF` too.
    private static func hasExtension(_ path: String, _ suffix: String) -> Bool {
        let tail = path.utf8.suffix(suffix.utf8.count)
        return tail.count == suffix.utf8.count
            && zip(tail, suffix.utf8).allSatisfy { ($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) == $1 }
    }
}

extension TemplateContext {
    /// The offline page in the search page's list of every page (the list a reader without
    /// JavaScript finds pages by), after the sections; nil with `offline: false`.
    func offlineIndexItem(_ entry: PageEntry) -> [String: Any]? {
        guard graph.config.offline else { return nil }
        let key = entry.language.key
        return ["title": strings[key]?["offline_title"] ?? "",
                "href": SitePaths.relative(from: entry.folder, to: SitePaths.pageFolder(languageKey: key, path: OfflinePage.path)),
                "lang": entry.language.tag, "pages": [[String: Any]]()]
    }

    /// `offline_url` on every page: the relative URL of this language's offline page, or false
    /// with `offline: false`; `is_offline`: false (the offline page sets it).
    func addOfflineValues(_ entry: PageEntry, to values: inout [String: Any]) {
        values["is_offline"] = false
        guard graph.config.offline else {
            values["offline_url"] = false
            return
        }
        values["offline_url"] = TemplateText(SitePaths.relative(
            from: entry.folder, to: SitePaths.pageFolder(languageKey: entry.language.key, path: OfflinePage.path)))
    }
}
