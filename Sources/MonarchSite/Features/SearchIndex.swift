import Foundation
import MonarchContent
import MonarchCore

/// The per-language search index written at build time (issue #5): `search/<key>.json`,
/// fetched by `assets/search.js` on the search page the first time the reader uses the box.
///
/// It holds, for every page translated into the language, its address, title, description
/// and plain text (Unicode NFC, one block per line), and nothing else:
///
/// ```json
/// {"v":1,"lang":"th","pages":[["../th/police/police-stop/","title","description","text..."]]}
/// ```
///
/// The script matches the reader's words against that text in the same units on both sides,
/// so that every script works without a dictionary:
///
/// - Han, Hangul, Thai, Lao, Khmer, Myanmar and kana (no spaces between words, or particles
///   glued to the word as in Korean): a word is found anywhere in the text, as a run of whole
///   grapheme clusters. `생명` finds `생명과`; `警察` finds `警察局`; `สิทธิ` finds `สิทธิของคุณ`.
///   A match never ends inside a cluster, and vowel and tone marks are never dropped: `สทธ`
///   does not find `สิทธิ`, and `สิทธ` does not find it either (the `ิ` belongs to the `ธ`).
/// - Other scripts (English): a word is found at the start of a word of the text, case
///   folded: `stop` finds `stopped` but `ice` does not find `police`.
///
/// Every word of the query must be found (in the title, the description or the text). On the
/// example site an index is 8 to 11 KB gzipped; together with the 2 KB script a first search
/// costs well under the 35 KB budget. The index grows with the text (about 0.6 KB gzipped per
/// page of the example site), and `report` prints each size so that a growing site sees it.
///
/// Fallback pages (a page shown in the source language) are left out: a reader searches in
/// the language they read. The search page itself is left out too.
public enum SearchIndex {
    static let folder = "search"

    /// Output path of a language's index, relative to the output root.
    static func indexPath(languageKey: String) -> String { "\(folder)/\(languageKey).json" }

    /// Files to add to the output: output path and bytes. Nothing when `search: false`;
    /// otherwise an index for every language that has a search page (its own or a fallback),
    /// or for those of `only` (language keys).
    static func files(graph: SiteGraph, strings: [String: [String: String]], languages only: Set<String>? = nil,
                      memo: StepMemo<String>? = nil) -> [(path: String, data: Data)] {
        guard graph.config.search else { return [] }
        let languages = graph.config.languages.filter {
            only?.contains($0.key) != false && graph.entry(languageKey: $0.key, path: TemplateContext.searchPath) != nil
        }
        // One language per core: plain text and normalisation of every page is the work.
        return ParallelMap.map(languages) { language -> (path: String, data: Data) in
            (indexPath(languageKey: language.key), Data(index(graph: graph, language: language, memo: memo).utf8))
        }
    }

    /// One index entry: what the script needs to find a page and show it.
    struct Document: Equatable {
        var url: String
        var title: String
        var description: String
        var text: String

        /// The entry as it is written in the index: a JSON array of four strings.
        var json: String {
            "[" + [url, title, description, text].map { JSONString.quoted($0) }.joined(separator: ",") + "]"
        }
    }

    /// The entries of a language's index, each with its page's output file.
    static func entries(graph: SiteGraph, language: Language) -> [(file: String, digest: String, document: () -> Document)] {
        let indexFolder = "\(folder)/"
        return graph.paths.compactMap { path in
            guard path != TemplateContext.searchPath,
                  let entry = graph.entry(languageKey: language.key, path: path), !entry.isFallback else { return nil }
            return (entry.file, entry.page.sourceDigest, {
                Document(url: SitePaths.relative(from: indexFolder, to: entry.folder),
                         title: normalized(entry.page.title),
                         description: normalized(entry.page.description),
                         text: normalized(entry.page.document.plainText))
            })
        }
    }

    /// With `memo` (the preview), a page whose text is unchanged keeps its written entry.
    static func index(graph: SiteGraph, language: Language, memo: StepMemo<String>? = nil) -> String {
        let ignored = DiagnosticsEngine()
        var json = "{\"v\":1,\"lang\":" + JSONString.quoted(language.tag) + ",\"pages\":["
        for (i, item) in entries(graph: graph, language: language).enumerated() {
            if i > 0 { json += ",\n" }
            if let memo {
                json += memo.value(slot: item.file, key: item.digest, diagnostics: ignored) { _ in item.document().json }
            } else {
                json += item.document().json
            }
        }
        return json + "]}\n"
    }

    /// NFC, each line's runs of white space as one space, blank lines dropped: the same form
    /// the script brings the reader's query to (`String.prototype.normalize("NFC")`).
    static func normalized(_ text: String) -> String {
        let nfc = text.precomposedStringWithCanonicalMapping
        var lines: [String] = []
        for line in nfc.split(whereSeparator: \.isNewline) {
            let words = line.split(whereSeparator: { $0.isWhitespace })
            if !words.isEmpty { lines.append(words.joined(separator: " ")) }
        }
        return lines.joined(separator: "\n")
    }


    /// One line for the build's verbose output: each language's index and the script, as they
    /// travel (gzipped), and what a first search costs at most.
    public static func report(_ rendered: SiteBuilder.Rendered) -> String? {
        let indexes = rendered.files.filter { $0.path.hasPrefix("\(folder)/") && $0.path.hasSuffix(".json") }
        guard !indexes.isEmpty else { return nil }
        let script = rendered.copies.first { $0.path == "assets/search.js" }.flatMap { try? Data(contentsOf: $0.source) }
        let scriptSize = script.flatMap(GzipSize.size(of:)) ?? 0
        var parts: [String] = []
        var largest = 0
        for file in indexes {
            let key = String(file.path.dropFirst(folder.count + 1).dropLast(".json".count))
            guard let size = GzipSize.size(of: file.data) else {
                parts.append("\(key) \(GzipSize.kilobytes(file.data.count)) (not gzipped: no zlib)")
                continue
            }
            largest = max(largest, size)
            parts.append("\(key) \(GzipSize.kilobytes(size))")
        }
        return "search index, gzipped: " + parts.joined(separator: ", ")
            + "; search.js \(GzipSize.kilobytes(scriptSize)); first search at most \(GzipSize.kilobytes(largest + scriptSize))"
    }
}
