import MonarchContent
import MonarchCore

/// How up to date each translation is, from the `source_hash` it records.
public struct TranslationStatus: Sendable {
    public enum State: String, Sendable, CaseIterable {
        /// the source language's own page
        case source
        /// `source_hash` matches the source page as it is now
        case current
        /// the source page changed since the translation was made
        case stale
        /// translated, but with no `source_hash` to tell
        case untracked
        /// no translation (readers get the fallback, or nothing)
        case missing
        /// marked `draft: true`: not built (a translation under way, or a source page)
        case draft
        /// a translation whose source page does not exist (renamed or removed; see `OrphanPages`)
        case orphan
        /// a page only in this language, with no sign of being a translation
        case noSource = "no source"
    }

    public struct Entry: Sendable {
        public var path: String
        public var languageKey: String
        public var state: State
        /// The translation's file, or the source's for a missing one.
        public var file: String
        public var recordedHash: String?
        public var sourceHash: String?
    }

    public let entries: [Entry]
    public let languages: [Language]
    /// The key of the language translations are made from: its pages, drafts too, are no
    /// translation.
    public let sourceLanguageKey: String
    /// Contact blocks whose numbers are due for a check (`checked:` missing or too old).
    public var contactsDue: [ContactDue] = []

    public struct ContactDue: Sendable {
        /// `content/en/help/hotlines.md:14:1`
        public var location: String
        public var name: String
        /// When it was last checked, or nil when the block does not say.
        public var checked: String?
    }

    /// The state of every page of the source language (drafts too) in every language, then
    /// the pages that have no source page: orphans and pages of one language only.
    init(graph: SiteGraph, content: Content) {
        let config = graph.config
        let sourceKey = config.sourceLanguage.key
        func byPath(_ pages: [Page]?) -> [String: Page] {
            Dictionary((pages ?? []).map { ($0.path, $0) }) { first, _ in first }
        }
        let drafts = config.languages.reduce(into: [String: [String: Page]]()) { $0[$1.key] = byPath(content.drafts[$1.key]) }
        var sources: [(page: Page, isDraft: Bool)] = []
        for path in graph.paths {
            if let source = graph.entry(languageKey: sourceKey, path: path), !source.isFallback { sources.append((source.page, false)) }
        }
        sources += (drafts[sourceKey] ?? [:]).values.map { ($0, true) }
        sources.sort { $0.page.path < $1.page.path }
        var entries: [Entry] = []
        for (source, isDraft) in sources {
            for language in config.languages {
                var item = Entry(path: source.path, languageKey: language.key, state: .missing,
                                 file: source.sourcePath, recordedHash: nil, sourceHash: source.bodyHash)
                if language.key == sourceKey {
                    item.state = isDraft ? .draft : .source
                } else if let entry = graph.entry(languageKey: language.key, path: source.path), !entry.isFallback {
                    item.file = entry.page.sourcePath
                    item.recordedHash = entry.page.frontMatter.sourceHash
                    item.state = Self.state(recorded: item.recordedHash, source: source.bodyHash)
                } else if let draft = drafts[language.key]?[source.path] {
                    item.file = draft.sourcePath
                    item.recordedHash = draft.frontMatter.sourceHash
                    item.state = .draft
                }
                entries.append(item)
            }
        }
        let orphans = OrphanPages(content: content, config: config)
        for (page, state) in orphans.orphans.map({ ($0.page, State.orphan) }) + orphans.noSource.map({ ($0, State.noSource) }) {
            entries.append(Entry(path: page.path, languageKey: page.languageKey, state: state, file: page.sourcePath,
                                 recordedHash: page.frontMatter.sourceHash, sourceHash: nil))
        }
        self.entries = entries
        self.languages = config.languages
        self.sourceLanguageKey = sourceKey
    }

    static func state(recorded: String?, source: String) -> State {
        guard let recorded else { return .untracked }
        return recorded.lowercased() == source ? .current : .stale
    }

    /// Counts per language and state.
    public func summary(languageKey: String) -> [State: Int] {
        var counts: [State: Int] = [:]
        for entry in entries where entry.languageKey == languageKey { counts[entry.state, default: 0] += 1 }
        return counts
    }
}
