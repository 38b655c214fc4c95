import Foundation
import MonarchContent
import MonarchCore

/// Pages no reader can reach by following links from their language's home page (issue #18,
/// point 2): a folder without `index.md` has no section page, so no page lists what is in
/// it, and unless another page links to it, it is published where nobody finds it.
/// `monarch check` warns about each, once per source file.
enum Reachability {
    /// The entries reachable from each language's home page through section lists and the
    /// pages' own links (`links`: each page's links as output addresses, by its output file).
    static func unreachable(_ graph: SiteGraph, links: [String: [String: String]]) -> [PageEntry] {
        var unreachable: [PageEntry] = []
        for language in graph.config.languages {
            guard let all = graph.entries[language.key], let home = all[""] else { continue }
            let byFolder = Dictionary(all.values.map { ($0.folder, $0) }) { first, _ in first }
            var seen: Set<String> = [home.folder]
            var queue = [home]
            while let entry = queue.popLast() {
                var next = graph.children(of: entry)
                for url in (links[entry.file] ?? [:]).values {
                    guard var target = SitePaths.linkTarget(url, from: entry.folder) else { continue }
                    if target.hasSuffix("index.html") { target.removeLast("index.html".count) }
                    if !target.hasSuffix("/") { target += "/" }
                    if let found = byFolder[target] { next.append(found) }
                }
                for child in next where seen.insert(child.folder).inserted { queue.append(child) }
            }
            unreachable += all.values.filter { !seen.contains($0.folder) }
        }
        return unreachable
    }

    static func warn(_ graph: SiteGraph, links: [String: [String: String]], diagnostics: DiagnosticsEngine) {
        var bySource: [String: [PageEntry]] = [:]
        for entry in unreachable(graph, links: links) { bySource[entry.page.sourcePath, default: []].append(entry) }
        for (source, entries) in bySource {
            let page = entries[0].page
            let folders = entries.map(\.folder).sorted()
            var message = "no page leads to \(folders.joined(separator: ", ")): no section lists it and no page links to it"
            if let section = page.sectionPath, !section.isEmpty, graph.entry(languageKey: page.languageKey, path: section) == nil {
                message += "; add content/\(page.languageKey)/\(section)/index.md (a title is enough: it lists the folder's pages), "
                    + "or link to it from another page"
            } else {
                message += "; link to it from another page"
            }
            diagnostics.warning(SourceLocation(path: source), message)
        }
    }
}
