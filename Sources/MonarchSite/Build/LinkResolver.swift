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
    /// The site, to check that an image at `/...` is published from static/ (nil: unchecked).
    var siteFolder: URL? = nil

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
        if destination.isEmpty { return nil }
        // `/img/x.png` is left as written, and must be a file static/ publishes: the pamphlet
        // prints it from there, and the web page would show a broken image.
        if link.isImage, let siteFolder, destination.hasPrefix("/"), !destination.hasPrefix("//") {
            if imageFile(destination, of: entry.page, siteFolder: siteFolder) == nil {
                let path = String(destination.prefix { $0 != "?" && $0 != "#" })
                return fail("image '\(destination)' not found: static/ publishes no \(path.removingPercentEncoding ?? path)"
                            + "; put the file under static/ or correct the path")
            }
            return nil
        }
        if Self.isExternal(destination) { return nil }

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
                return fail("link to '\(pathPart)', but there is no page content/\(contentLanguage)/\(target)"
                            + pageHint(target, language: contentLanguage, written: String(pathPart)))
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
            return fail("\(what) '\(destination)' not found: there is no content/\(contentLanguage)/\(target)"
                        + fileHint(target, language: contentLanguage, written: decodedPath))
        }
        // `relative` encodes what an href cannot hold; cmark's renderer encodes the rest.
        var url = SitePaths.relative(from: entry.folder, to: "\(owner)/\(target)")
        if decodedPath.hasSuffix("/"), !url.hasSuffix("/") { url += "/" }
        url += query
        if let fragment { url += "#" + fragment }
        return url
    }

    /// "did you mean" the page beside the one named whose file name is closest, written as
    /// the link was (same folders), else "check the file name".
    private func pageHint(_ target: String, language: String, written: String) -> String {
        let folder = target.lastIndex(of: "/").map { String(target[...$0]) } ?? ""
        var names: [String] = []
        // Its own pages and the fallback pages it shows: both can be linked.
        for page in graph.entries[language]?.values.map(\.page) ?? [] {
            let file = String(page.sourcePath.dropFirst("content/\(page.languageKey)/".count))
            if file.hasPrefix(folder), !file.dropFirst(folder.count).contains("/") { names.append(String(file.dropFirst(folder.count))) }
        }
        return suggestion(for: target, among: names.sorted(), folder: folder, written: written)
    }

    /// The same for a file beside the pages (an image, a PDF): its language's files and the
    /// source language's, which a translation shows when it lacks its own.
    private func fileHint(_ target: String, language: String, written: String) -> String {
        let folder = target.lastIndex(of: "/").map { String(target[...$0]) } ?? ""
        let files = (assets[language] ?? []).union(assets[graph.config.sourceLanguage.key] ?? [])
        let names = files.filter { $0.hasPrefix(folder) && !$0.dropFirst(folder.count).contains("/") }
            .map { String($0.dropFirst(folder.count)) }.sorted()
        return suggestion(for: target, among: names, folder: folder, written: written)
    }

    private func suggestion(for target: String, among names: [String], folder: String, written: String) -> String {
        let name = String(target.dropFirst(folder.count))
        guard let match = Suggestion.closest(to: name, in: names) else { return "; check the file name" }
        let writtenFolder = written.lastIndex(of: "/").map { String(written[...$0]) } ?? ""
        return "; did you mean '\(writtenFolder)\(match)'?"
    }

    /// The file an image of `page` shows, as a path in the site folder, found the way its web
    /// page finds it (issue #18, point 4), so that the web and the paper show the same image:
    /// relative to the page's Markdown file, in its language's folder or else the source
    /// language's (a shared screenshot or map); `/...` from `static/`. Nil when there is none.
    func imageFile(_ destination: String, of page: Page, siteFolder: URL) -> String? {
        var path = Substring(destination)
        if let cut = path.firstIndex(where: { $0 == "#" || $0 == "?" }) { path = path[..<cut] }
        let decoded = String(path).removingPercentEncoding ?? String(path)
        if decoded.hasPrefix("/") {
            guard !decoded.hasPrefix("//"), let inside = SitePaths.resolve(String(decoded.dropFirst()), against: ""),
                  !inside.isEmpty else { return nil }
            return Self.publishedStaticFile(inside, siteFolder: siteFolder)
        }
        guard !Self.isExternal(decoded), let target = SitePaths.resolve(decoded, against: page.sourceDirectory) else { return nil }
        let owner = [page.languageKey, graph.config.sourceLanguage.key].first { assets[$0]?.contains(target) == true }
        return owner.map { "content/\($0)/\(target)" }
    }

    /// `static/<inside>` when the copy of static/ publishes it, so that the paper shows what
    /// the web shows: not a hidden name (the copy skips them); a regular file, or a symbolic
    /// link the copy follows (`LinkRule`: to a file of the same type inside the site, never
    /// elsewhere on the machine), in folders below static/ that are no links (the copy enters
    /// none). The site folder itself may be reached through a link (`~/sites -> /data/sites`).
    static func publishedStaticFile(_ inside: String, siteFolder: URL) -> String? {
        guard !inside.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { return nil }
        func real(_ path: String) -> String? {
            guard let resolved = realpath(path, nil) else { return nil }
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let file = "static/" + inside
        let rule = LinkRule(site: siteFolder, display: "static")
        let path = rule.sitePath + "/" + file
        let subfolder = inside.lastIndex(of: "/").map { "/" + inside[..<$0] } ?? ""
        guard let staticFolder = real(rule.sitePath + "/static"),
              real(rule.sitePath + "/static" + subfolder) == staticFolder + subfolder else { return nil }
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return file
        case S_IFLNK:
            return rule.follow(path, name: inside, location: SourceLocation(path: file), diagnostics: nil) == nil ? nil : file
        default:
            return nil
        }
    }

    private func headingHint(_ id: String, _ page: Page) -> String {
        // Headings in page order, then the footnotes' ids (`fn-1`, `fnref-1`), which a
        // mistyped `#fn-2` should be told about.
        let headings = page.document.headings.map(\.id)
        let ids = headings + page.headingIDs.subtracting(headings).sorted()
        if ids.isEmpty { return "; it has no headings" }
        return Suggestion.nearest(to: id, in: ids, noun: headings.count == ids.count ? "headings" : "headings and footnotes")
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
