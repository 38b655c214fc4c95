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

    /// The state of every page of the source language in every language.
    init(graph: SiteGraph) {
        let config = graph.config
        var entries: [Entry] = []
        for path in graph.paths {
            guard let source = graph.entry(languageKey: config.sourceLanguage.key, path: path),
                  !source.isFallback else { continue }
            for language in config.languages {
                let entry = graph.entry(languageKey: language.key, path: path)
                var item = Entry(path: path, languageKey: language.key, state: .missing,
                                 file: source.page.sourcePath, recordedHash: nil, sourceHash: source.page.bodyHash)
                if language.key == config.sourceLanguage.key {
                    item.state = .source
                } else if let entry, !entry.isFallback {
                    item.file = entry.page.sourcePath
                    item.recordedHash = entry.page.frontMatter.sourceHash
                    item.state = Self.state(recorded: item.recordedHash, source: source.page.bodyHash)
                }
                entries.append(item)
            }
        }
        self.entries = entries
        self.languages = config.languages
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
