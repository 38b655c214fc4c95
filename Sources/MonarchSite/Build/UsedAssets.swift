import MonarchContent
import MonarchCore

/// The files beside the pages that a published page shows or links to. Only those are
/// published: a photo beside a draft, or one no page uses any more, stays in `content/`
/// (it may show what is not meant to be public yet, and a published file is found by anyone
/// who lists the site's offline files). Each file left out is a warning, so that the editor
/// knows. With `unsafe_html: true`, raw HTML may use any file unseen, and every file is
/// published as before.
struct UsedAssets {
    /// `key/asset` output paths of the content files the pages use.
    let paths: Set<String>

    /// From the pages' links as output addresses (`links`, by output file).
    init(_ site: LoadedSite, entries: [PageEntry], links: [String: [String: String]]) {
        var assets: Set<String> = []
        for language in site.config.languages {
            for asset in site.content.assets[language.key] ?? [] { assets.insert("\(language.key)/\(asset)") }
        }
        paths = Self.targets(entries, links: links).intersection(assets)
    }

    /// The output paths the entries' links lead to (pages' folders and files alike).
    static func targets(_ entries: [PageEntry], links: [String: [String: String]]) -> Set<String> {
        var found: Set<String> = []
        for entry in entries {
            for url in (links[entry.file] ?? [:]).values {
                if let target = SitePaths.linkTarget(url, from: entry.folder) { found.insert(target) }
            }
        }
        return found
    }

    /// A warning for each content file no published page uses.
    static func warnUnused(_ site: LoadedSite, used: UsedAssets, diagnostics: DiagnosticsEngine) {
        for language in site.config.languages {
            for asset in site.content.assets[language.key] ?? [] where !used.paths.contains("\(language.key)/\(asset)") {
                diagnostics.warning(SourceLocation(path: "content/\(language.key)/\(asset)"),
                    "not published: no published page shows or links to it (a draft's files wait for the draft); "
                    + "link to it from a page, move it to static/ if the site needs it as it is, or remove it")
            }
        }
    }
}
