import MonarchContent
import MonarchCore

/// Translations whose source page does not exist (issue #18, point 1). Renaming
/// `content/en/privacy/websites.md` left its translations published on their own, their
/// language switcher leading nowhere, while the new name got a fallback in every language:
/// a translation that says it is one (it records `source_hash`), or whose likely original
/// can be found, is an orphan, and the build says where it probably belongs. A page only in
/// another language with no such sign (a Thai-only page) is a page of its own: `monarch
/// status` lists it as `no source`, and nothing warns.
struct OrphanPages {
    struct Orphan {
        let page: Page
        /// The source page it most likely translates now, if one is found.
        let likely: Page?
        /// Whether `likely` is the very version it records in `source_hash`.
        let sameVersion: Bool
    }

    let orphans: [Orphan]
    let noSource: [Page]

    init(content: Content, config: SiteConfig) {
        let sourceKey = config.sourceLanguage.key
        let sources = content.pages[sourceKey] ?? []
        let sourcePaths = Set(sources.map(\.path)).union((content.drafts[sourceKey] ?? []).map(\.path))
        var orphans: [Orphan] = []
        var noSource: [Page] = []
        for language in config.languages where language.key != sourceKey {
            let own = content.pages[language.key] ?? []
            let translated = Set(own.map(\.path)).union((content.drafts[language.key] ?? []).map(\.path))
            // Source pages this language has no translation of: where a renamed one went.
            let untranslated = sources.filter { !translated.contains($0.path) }
            for page in own where !sourcePaths.contains(page.path) {
                var likely: Page?
                var sameVersion = false
                if let recorded = page.frontMatter.sourceHash?.lowercased(),
                   let match = untranslated.first(where: { $0.bodyHash == recorded }) {
                    likely = match
                    sameVersion = true
                } else {
                    let folder = Self.folder(of: page.path)
                    likely = Self.renamed(Self.name(of: page.path), among: untranslated.filter { Self.folder(of: $0.path) == folder },
                                          declaresTranslation: page.frontMatter.sourceHash != nil)
                }
                if likely != nil || page.frontMatter.sourceHash != nil {
                    orphans.append(Orphan(page: page, likely: likely, sameVersion: sameVersion))
                } else {
                    noSource.append(page)
                }
            }
        }
        self.orphans = orphans
        self.noSource = noSource
    }

    /// A warning at each orphan, saying where it probably belongs and how to move it there.
    func warn(config: SiteConfig, diagnostics: DiagnosticsEngine) {
        let sourceKey = config.sourceLanguage.key
        for orphan in orphans {
            let page = orphan.page
            let missing = Self.sourcePath(languageKey: sourceKey, of: page)
            var message = "this translation's original, \(missing), does not exist, so it is published on its own, "
                + "with no original to switch to"
            if let likely = orphan.likely {
                let target = "content/\(page.languageKey)/" + likely.sourcePath.dropFirst("content/\(sourceKey)/".count)
                // git mv does not make the folder a moved or renamed section now needs.
                let folder = Self.folder(of: target)
                let makeFolder = folder == Self.folder(of: page.sourcePath) ? "" : "mkdir -p \(folder) && "
                message += "; its original is probably \(likely.sourcePath) ("
                    + (orphan.sameVersion ? "the version it records in source_hash" : "the closest name beside it")
                    + "): move it there with '\(makeFolder)git mv \(page.sourcePath) \(target)'"
            } else {
                message += "; if the original was renamed, move this file to the new name under content/\(page.languageKey)/; "
                    + "if it was removed, remove this file too, or remove its source_hash to keep it as a page of its own"
            }
            diagnostics.warning(SourceLocation(path: page.sourcePath), message)
        }
    }

    /// The page beside it that `name` was most likely renamed to: a close spelling, else the
    /// one name that holds the other (`websites` -> `websites-notice`), else, for a page that
    /// says it is a translation, the only untranslated page in its folder.
    static func renamed(_ name: String, among siblings: [Page], declaresTranslation: Bool) -> Page? {
        let names = siblings.map { Self.name(of: $0.path) }
        if let close = Suggestion.closest(to: name, in: names) { return siblings[names.firstIndex(of: close)!] }
        let holding = siblings.filter { let other = Self.name(of: $0.path)
            return !name.isEmpty && !other.isEmpty && (other.contains(name) || name.contains(other)) }
        if holding.count == 1 { return holding[0] }
        return declaresTranslation && siblings.count == 1 ? siblings[0] : nil
    }

    /// The source page's file a translation's file stands for (same path, same kind).
    static func sourcePath(languageKey: String, of page: Page) -> String {
        "content/\(languageKey)/" + page.sourcePath.dropFirst("content/\(page.languageKey)/".count)
    }

    static func folder(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
    }

    static func name(of path: String) -> String {
        path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }
}
