import Foundation
import MonarchContent
import MonarchCore

/// The per-language search index written at build time (issues #5 and #20), in small files
/// so that a search downloads only what it needs, whatever the size of the site:
///
/// - `search/<key>/index.json`, the manifest: `{"v":2,"lang":"th","pages":N,"shards":S}`;
/// - `search/<key>/s/<i>.json`, the shards: `{"<key>": [page, code, page, code, ...], ...}`,
///   each key of `SearchTerms` hashed into one of S shards (S a power of two, so that the
///   average shard stays near `shardBytes` as the site grows). A posting's page is the
///   difference from the one before it (page numbers in `graph.paths` order), its code
///   `text + 6 * description + 12 * title`: the title and the description hold the key or not,
///   and the text holds it `text` times (at most 5). A `w` key holds `[[word, posting], ...]`.
/// - `search/<key>/p/<n>.json`, one page's address (relative to `search/<key>/`), title,
///   description and plain text (Unicode NFC, one block per line), fetched for the results
///   shown, to show their snippets: `["../../th/police/police-stop/","title","description","text"]`.
///
/// `assets/search.js` matches the reader's words with the same rules as before the shards:
///
/// - Han, Hangul, Thai, Lao, Khmer, Myanmar and kana (no spaces between words, or particles
///   glued to the word as in Korean): a word is found anywhere in the text, as a run of whole
///   grapheme clusters. `생명` finds `생명과`; `警察` finds `警察局`; `สิทธิ` finds `สิทธิของคุณ`.
///   A match never ends inside a cluster, and vowel and tone marks are never dropped: `สทธ`
///   does not find `สิทธิ`, and `สิทธ` does not find it either (the `ิ` belongs to the `ธ`).
/// - Other scripts (English): a word is found at the start of a word of the text, case
///   folded: `stop` finds `stopped` but `ice` does not find `police`.
///
/// Every word of the query must be found (in the title, the description or the text); pages
/// are ranked as before (title 10, description 3, each place in the text 1, at most 5).
///
/// Fallback pages (a page shown in the source language) are left out: a reader searches in
/// the language they read. The search page itself is left out too.
public enum SearchIndex {
    static let folder = "search"
    /// About the raw size of a shard: 12 KB of small numbers is 3 to 5 KB gzipped.
    static let shardBytes = 12_000
    static let maxShards = 4096

    /// Output path of a language's manifest, relative to the output root.
    static func indexPath(languageKey: String) -> String { "\(folder)/\(languageKey)/index.json" }
    /// The folder of a language's index files, relative to the output root (with its `/`).
    static func languageFolder(_ languageKey: String) -> String { "\(folder)/\(languageKey)/" }

    /// Files to add to the output: output path and bytes. Nothing when `search: false`;
    /// otherwise an index for every language that has a search page (its own, a fallback or
    /// the generated one), or for those of `only` (language keys).
    static func files(graph: SiteGraph, strings: [String: [String: String]], languages only: Set<String>? = nil,
                      memo: StepMemo<String>? = nil) -> [(path: String, data: Data)] {
        guard graph.config.search else { return [] }
        let languages = graph.config.languages.filter {
            only?.contains($0.key) != false && graph.entry(languageKey: $0.key, path: TemplateContext.searchPath) != nil
        }
        // One language per core: plain text and normalisation of every page is the work.
        return ParallelMap.map(languages) { language -> [(path: String, data: Data)] in
            index(graph: graph, language: language, memo: memo)
        }.flatMap { $0 }
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

        init(url: String, title: String, description: String, text: String) {
            (self.url, self.title, self.description, self.text) = (url, title, description, text)
        }

        /// An entry back from its JSON (the preview's memo keeps it so).
        init?(json: String) {
            guard let array = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String], array.count == 4 else {
                return nil
            }
            self.init(url: array[0], title: array[1], description: array[2], text: array[3])
        }
    }

    /// The entries of a language's index, each with its page's output file.
    static func entries(graph: SiteGraph, language: Language) -> [(file: String, digest: String, document: () -> Document)] {
        let indexFolder = languageFolder(language.key)
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

    /// A language's manifest, shards and page files. With `memo` (the preview), a page whose
    /// text is unchanged keeps its written entry.
    static func index(graph: SiteGraph, language: Language, memo: StepMemo<String>? = nil) -> [(path: String, data: Data)] {
        let ignored = DiagnosticsEngine()
        let base = languageFolder(language.key)
        var files: [(path: String, data: Data)] = []
        var shards = ShardBuilder()
        for (page, item) in entries(graph: graph, language: language).enumerated() {
            let json: String
            let document: Document
            if let memo {
                var made: Document?
                json = memo.value(slot: item.file, key: item.digest, diagnostics: ignored) { _ in
                    let fresh = item.document()
                    made = fresh
                    return fresh.json
                }
                document = made ?? Document(json: json) ?? item.document()
            } else {
                document = item.document()
                json = document.json
            }
            files.append((base + "p/\(page).json", Data((json + "\n").utf8)))
            shards.add(page: page, document)
        }
        let count = shards.shardCount
        for (n, shard) in shards.shards(count: count).enumerated() {
            files.append((base + "s/\(n).json", Data(shard.utf8)))
        }
        let manifest = "{\"v\":2,\"lang\":" + JSONString.quoted(language.tag) + ",\"pages\":\(shards.pages),\"shards\":\(count)}\n"
        files.append((indexPath(languageKey: language.key), Data(manifest.utf8)))
        return files
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


    /// One line for the build's verbose output: per language, the pages and shards, the
    /// largest shard and page file as they travel (gzipped), and the script.
    public static func report(_ rendered: SiteBuilder.Rendered) -> String? {
        let files = rendered.files.filter { $0.path.hasPrefix("\(folder)/") && $0.path.hasSuffix(".json") }
        guard !files.isEmpty else { return nil }
        let script = rendered.copies.first { $0.path == "assets/search.js" }.flatMap { try? Data(contentsOf: $0.source) }
        let scriptSize = script.flatMap(GzipSize.size(of:)) ?? 0
        // Gzipping thousands of files would take longer than writing them: the largest of each
        // kind, by raw size, stands for its kind.
        var byLanguage: [String: (shards: Int, pages: Int, shard: Data, page: Data)] = [:]
        for file in files {
            let parts = file.path.split(separator: "/")
            guard parts.count == 4 else { continue }
            let key = String(parts[1])
            var item = byLanguage[key] ?? (0, 0, Data(), Data())
            if parts[2] == "s" {
                item.shards += 1
                if file.data.count > item.shard.count { item.shard = file.data }
            }
            if parts[2] == "p" {
                item.pages += 1
                if file.data.count > item.page.count { item.page = file.data }
            }
            byLanguage[key] = item
        }
        let parts = byLanguage.keys.sorted().map { key -> String in
            let item = byLanguage[key]!
            let shard = GzipSize.size(of: item.shard) ?? item.shard.count
            let page = GzipSize.size(of: item.page) ?? item.page.count
            return "\(key) \(item.pages) pages in \(item.shards) shards (largest \(GzipSize.kilobytes(shard)), "
                + "page file \(GzipSize.kilobytes(page)))"
        }
        return "search index, gzipped: " + parts.joined(separator: ", ") + "; search.js \(GzipSize.kilobytes(scriptSize))"
    }
}
