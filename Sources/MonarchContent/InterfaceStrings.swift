import Foundation
import MonarchCore

/// The interface strings of every language, from `translations/<key>.yaml`.
public struct InterfaceStrings: Sendable {
    public struct Entry: Sendable {
        public var value: String
        public var location: SourceLocation
    }

    /// By language key, then string key.
    public var strings: [String: [String: Entry]]
    /// Where each language's strings came from (the site's folder or the built-in theme), for messages.
    public var files: [String: String]

    public init(strings: [String: [String: Entry]] = [:], files: [String: String] = [:]) {
        self.strings = strings
        self.files = files
    }

    /// Keys of the built-in strings (this repository's own `translations/`, which is also the
    /// example site's) that describe the example site itself: its name and its note that it is
    /// fictional. A site that uses the built-in strings gets neither: its title is the one in
    /// its site.yaml, and its footer has no note.
    public static let exampleSiteKeys: Set<String> = ["title", "footer_note"]

    /// Loads one file per language from `folder`: the site's `translations/`, or with `builtIn`
    /// the built-in one (without `exampleSiteKeys`). `displayPrefix` is how paths are shown.
    public static func load(folder: URL, displayPrefix: String, builtIn: Bool = false, config: SiteConfig,
                            diagnostics: DiagnosticsEngine) -> InterfaceStrings {
        var result = InterfaceStrings()
        let fm = FileManager.default
        // A file of the site's own for a language it does not list is probably a misnamed one.
        if !builtIn, let entries = try? fm.contentsOfDirectory(atPath: folder.path) {
            for entry in entries.sorted() where entry.hasSuffix(".yaml") && !entry.hasPrefix(".") {
                let key = String(entry.dropLast(5))
                if config.language(key: key) == nil {
                    diagnostics.warning(SourceLocation(path: "\(displayPrefix)/\(entry)"),
                        "'\(key)' is not a language in site.yaml; the file is not used")
                }
            }
        }
        for language in config.languages {
            let path = "\(displayPrefix)/\(language.key).yaml"
            let url = folder.appendingPathComponent("\(language.key).yaml")
            guard fm.fileExists(atPath: url.path) else { continue }
            // The site's own file may be a link only as any file of the site may (`LinkRule`).
            var info = stat()
            if !builtIn, lstat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK,
               LinkRule(site: folder.deletingLastPathComponent(), display: "translations")
                   .follow(url.path, name: url.lastPathComponent, location: SourceLocation(path: path),
                           diagnostics: diagnostics) == nil {
                continue
            }
            switch TextFile.read(url) {
            case .failure(let failure):
                diagnostics.emit(failure.diagnostic(path: path))
            case .success(let text):
                guard var table = parse(text, path: path, diagnostics: diagnostics) else { continue }
                if builtIn { table = table.filter { !exampleSiteKeys.contains($0.key) } }
                result.strings[language.key] = table
                // Messages name the site's own file: that is where an editor adds a key.
                if !builtIn { result.files[language.key] = path }
            }
        }
        return result
    }

    /// These strings laid over `base` key by key: a key of this set wins, a key only `base` has
    /// is kept. Messages name this set's files.
    public func overlaid(on base: InterfaceStrings) -> InterfaceStrings {
        var result = base
        for (language, table) in strings {
            result.strings[language, default: [:]].merge(table) { $1 }
        }
        result.files = files
        return result
    }

    /// One language's file: string key -> value, or nil when it is not a YAML mapping.
    public static func parse(_ text: String, path: String, diagnostics: DiagnosticsEngine) -> [String: Entry]? {
        guard let map = YAMLMapping.parse(text, path: path, diagnostics: diagnostics) else { return nil }
        var table: [String: Entry] = [:]
        for entry in map.entries {
            guard case .scalar(let scalar) = entry.value else {
                diagnostics.error(map.location(of: entry.value),
                    "interface string '\(entry.key)' must be text")
                continue
            }
            table[entry.key] = Entry(value: scalar.string, location: entry.location)
        }
        return table
    }

    /// Resolves the strings `required` for every language: a key missing in a translation falls
    /// back to the source language with a warning; a key missing in the source is an error.
    public func resolved(required: [(key: String, usedAt: SourceLocation)], optional: [String] = [],
                         config: SiteConfig, diagnostics: DiagnosticsEngine) -> [String: [String: String]] {
        let source = config.sourceLanguage.key
        let sourceFile = files[source] ?? "translations/\(source).yaml"
        let sourceTable = strings[source] ?? [:]
        var output: [String: [String: String]] = [:]
        var reported = Set<String>()
        for (key, usedAt) in required where sourceTable[key] == nil && reported.insert(key).inserted {
            diagnostics.error(SourceLocation(path: sourceFile),
                "interface string '\(key)' is missing in the source language '\(source)' (used at \(usedAt.description)); add it to \(sourceFile)")
        }
        for language in config.languages {
            let table = strings[language.key] ?? [:]
            var resolved: [String: String] = [:]
            for (key, entry) in table { resolved[key] = entry.value }
            var missing: [String] = []
            for key in required.map(\.key) + optional where table[key] == nil {
                guard let fallback = sourceTable[key] else { continue }
                resolved[key] = fallback.value
                missing.append(key)
            }
            if language.key != source {
                for key in Set(missing).sorted() {
                    diagnostics.warning(SourceLocation(path: files[language.key] ?? "translations/\(language.key).yaml"),
                        "interface string '\(key)' is missing in '\(language.key)'; using the '\(source)' text until it is translated")
                }
            }
            output[language.key] = resolved
        }
        return output
    }
}
