import Foundation
import MonarchContent
import MonarchCore
import MonarchMarkdown

/// Turns the link and image destinations of a page into the URLs of its output: a link to a
/// `.md` file becomes a relative link to that page in the same language (or its fallback),
/// a file beside the page a relative link to its copy; and reports every link to a page,
/// heading, footnote or file that does not exist.
struct LinkResolver {
    let graph: SiteGraph
    /// Content files other than pages, by language key.
    let assets: [String: Set<String>]

    /// The URL for each destination of `entry`'s content. Problems are reported only when
    /// `report` is set (a fallback page repeats the source page's links, already checked).
    func urls(for entry: PageEntry, report: Bool, diagnostics: DiagnosticsEngine) -> [String: String] {
        var map: [String: String] = [:]
        for link in entry.page.document.links where map[link.destination] == nil {
            if let url = resolve(link, in: entry, report: report, diagnostics: diagnostics) {
                map[link.destination] = url
            }
        }
        return map
    }

    private func resolve(_ link: LinkReference, in entry: PageEntry, report: Bool,
                         diagnostics: DiagnosticsEngine) -> String? {
        let destination = link.destination
        let location = entry.page.location(link.position)
        func fail(_ message: String) -> String? {
            if report { diagnostics.error(location, message) }
            return nil
        }
        if destination.isEmpty || Self.isExternal(destination) { return nil }

        var pathPart = Substring(destination)
        var fragment: Substring?
        if let hash = pathPart.firstIndex(of: "#") {
            fragment = pathPart[pathPart.index(after: hash)...]
            pathPart = pathPart[..<hash]
        }
        var query = ""
        if let question = pathPart.firstIndex(of: "?") {
            query = String(pathPart[question...])
            pathPart = pathPart[..<question]
        }
        let decodedFragment = fragment.map { String($0).removingPercentEncoding ?? String($0) }

        // A link to a heading of this page.
        if pathPart.isEmpty {
            if let id = decodedFragment, !entry.page.headingIDs.contains(id) {
                return fail("link to '#\(id)', but this page has no heading or footnote with that id\(headingHint(id, entry.page))")
            }
            return nil
        }
        let contentLanguage = entry.page.languageKey
        let decodedPath = String(pathPart).removingPercentEncoding ?? String(pathPart)
        guard let target = SitePaths.resolve(decodedPath, against: entry.page.sourceDirectory) else {
            return fail("link '\(destination)' points outside content/\(contentLanguage)/; link to a page of the same language folder")
        }

        if target.hasSuffix(".md") {
            var targetPath = String(target.dropLast(3))
            if targetPath == "index" { targetPath = "" }
            else if targetPath.hasSuffix("/index") { targetPath = String(targetPath.dropLast(6)) }
            // On a fallback page, a link to a heading goes to the content language's page,
            // whose headings the fragment names.
            let linkLanguage = entry.isFallback && fragment != nil ? contentLanguage : entry.language.key
            // With `fallback: omit` a missing translation has no page; link the source's.
            let found = graph.entry(languageKey: linkLanguage, path: targetPath)
                ?? graph.entry(languageKey: graph.config.sourceLanguage.key, path: targetPath)
            guard let targetEntry = found else {
                return fail("link to '\(pathPart)', but there is no page content/\(contentLanguage)/\(target); check the file name")
            }
            if let id = decodedFragment, !targetEntry.page.headingIDs.contains(id) {
                return fail("link to '\(pathPart)#\(id)', but \(targetEntry.page.sourcePath) has no heading or footnote with that id\(headingHint(id, targetEntry.page))")
            }
            var url = SitePaths.relative(from: entry.folder, to: targetEntry.folder)
            if let fragment { url += "#" + fragment }
            return url
        }

        // Any other file: it is copied beside the page, in the content's language folder. A
        // translation may use the source language's file (a map, a photo) by the same path.
        let source = graph.config.sourceLanguage.key
        let pageFolder = target.hasSuffix("/") ? String(target.dropLast()) : target
        guard let owner = [contentLanguage, source].first(where: {
            assets[$0]?.contains(target) == true || graph.entry(languageKey: $0, path: pageFolder) != nil
        }) else {
            let what = link.isImage ? "image" : "link"
            return fail("\(what) '\(destination)' not found: there is no content/\(contentLanguage)/\(target); check the file name")
        }
        // `relative` encodes what an href cannot hold; cmark's renderer encodes the rest.
        var url = SitePaths.relative(from: entry.folder, to: "\(owner)/\(target)")
        if decodedPath.hasSuffix("/"), !url.hasSuffix("/") { url += "/" }
        url += query
        if let fragment { url += "#" + fragment }
        return url
    }

    private func headingHint(_ id: String, _ page: Page) -> String {
        // Headings in page order, then the footnotes' ids (`fn-1`, `fnref-1`), which a
        // mistyped `#fn-2` should be told about.
        let headings = page.document.headings.map(\.id)
        let ids = headings + page.headingIDs.subtracting(headings).sorted()
        if ids.isEmpty { return "; it has no headings" }
        let named = headings.count == ids.count ? "its headings are" : "its headings and footnotes are"
        return Suggestion.hint(for: id, in: ids).replacingOccurrences(of: "expected one of", with: named)
    }

    /// A destination with a scheme (`https:`, `mailto:`, `tel:`), protocol-relative or
    /// site-absolute is left as written.
    static func isExternal(_ destination: String) -> Bool {
        if destination.hasPrefix("/") { return true }
        guard let colon = destination.firstIndex(of: ":") else { return false }
        let scheme = destination[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    }
}
