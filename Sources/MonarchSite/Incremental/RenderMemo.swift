import Foundation
import MonarchContent
import MonarchCore

/// What the preview (`monarch serve`) remembers from one build to the next (issue #4), so
/// that a saved change redoes only the work it affects: a page whose text did not change is
/// not parsed again, a page whose template values did not change is not rendered again.
///
/// Every step is keyed by its whole input (the file's text, the page's template values
/// written out in full), so a rebuild with a memo gives byte for byte the output of a build
/// without one; `RenderMemoTests` checks that on every kind of edit. A page is also found by
/// its `FileStamp`, as the build cache finds it: one whose size, times and inode are those
/// it had when it was read, and which is older than the 2 s a second write could hide in,
/// is not read again. The memo holds one build's worth of results.
public final class RenderMemo: @unchecked Sendable {
    let pages = StepMemo<Page?>()
    let theme = StepMemo<Theme>()
    let strings = StepMemo<InterfaceStrings>()
    let privacy = StepMemo<Bool>()
    let fileScans = StepMemo<Bool>()
    let content = StepMemo<String>()
    let output = StepMemo<Data>()
    let search = StepMemo<String>()
    /// The last build's record, from which a save that changed only the text of some pages
    /// is rebuilt as `monarch build` rebuilds it with its cache (`SiteBuilder.renderForPreview`).
    var lastBuild: LastBuild? {
        get { lock.withLock { last } }
        set { lock.withLock { last = newValue } }
    }
    private var last: LastBuild?
    private let lock = NSLock()

    /// The next build is a whole one (the caller could not show the last one).
    public func forgetLastBuild() { lastBuild = nil }

    public init() {}

    /// Hits and misses of each step since the last call, e.g. `pages 91/1 stamps 90/2 ...
    /// output 94/1`; `stamps` is of the pages: found by their stamp (not read) / read.
    public func takeCounts() -> String {
        func pair(_ counts: (hits: Int, misses: Int, byStamp: Int)) -> (hits: Int, misses: Int) {
            (counts.hits, counts.misses)
        }
        let pageCounts = pages.takeCounts()
        let steps: [(String, (hits: Int, misses: Int))] = [
            ("pages", pair(pageCounts)),
            ("stamps", (pageCounts.byStamp, pageCounts.hits + pageCounts.misses - pageCounts.byStamp)),
            ("theme", pair(theme.takeCounts())), ("strings", pair(strings.takeCounts())),
            ("privacy", pair(privacy.takeCounts())), ("files", pair(fileScans.takeCounts())),
            ("content", pair(content.takeCounts())), ("output", pair(output.takeCounts())),
            ("search", pair(search.takeCounts())),
        ]
        return steps.map { "\($0.0) \($0.1.hits)/\($0.1.misses)" }.joined(separator: " ")
    }

    /// Everything a theme is loaded from: the files of both layers, the text of each
    /// template, and what listing them reported (a new symbolic link changes the key).
    static func themeKey(siteFolder: URL, builtIn: URL?) -> String {
        var key = (builtIn?.path ?? "") + "\n"
        let listing = DiagnosticsEngine()
        for (folder, site) in [(builtIn?.appendingPathComponent("templates"), nil as URL?),
                               (siteFolder.appendingPathComponent("templates"), siteFolder)] {
            guard let folder else { continue }
            for relative in FileList.files(in: folder, site: site, display: "templates", diagnostics: listing) {
                key += folder.path + "/" + relative + "\n"
                if relative.hasSuffix(".mustache"), !relative.hasPrefix("assets/") {
                    switch TextFile.read(folder.appendingPathComponent(relative)) {
                    case .success(let text): key += text + "\u{0}\n"
                    case .failure: key += "unreadable\u{0}\n"
                    }
                }
            }
        }
        return key + listing.diagnostics.map(\.description).joined(separator: "\n")
    }

    /// Everything the interface strings are loaded from: the folder's files and their bytes,
    /// and the languages of site.yaml.
    static func stringsKey(folder: URL, config: SiteConfig) -> String {
        var key = config.languages.map { "\($0.key) \($0.tag)" }.joined(separator: ",") + "\n" + folder.path + "\n"
        for relative in FileList.files(in: folder) {
            let data = (try? Data(contentsOf: folder.appendingPathComponent(relative))) ?? Data()
            key += relative + "\n" + String(decoding: data, as: UTF8.self) + "\u{0}\n"
        }
        return key
    }
}

/// Template values written out in full, as the key of a rendered page: two pages with the
/// same text here render to the same bytes with the same theme.
enum TemplateValues {
    /// nil when a value is of a kind this does not know (then the page is always rendered).
    static func key(_ values: Any) -> String? {
        var out = ""
        out.reserveCapacity(4096)
        return write(values, into: &out) ? out : nil
    }

    private static func write(_ value: Any, into out: inout String) -> Bool {
        switch value {
        case let text as TemplateText:
            out += "s\(text.text.utf8.count):"
            out += text.text
        case let text as String:
            out += "s\(text.utf8.count):"
            out += text
        case let flag as Bool:
            out += flag ? "T" : "F"
        case let number as Int:
            out += "i\(number);"
        // Tables of texts (`[String: String]`, `[String: TemplateText]`) come here too, their
        // texts written as texts are: a failed cast to each of those kinds first cost more
        // than the rest of the key.
        case let table as [String: Any]:
            out += "d\(table.count){"
            for key in table.keys.sorted() {
                out += "\(key.utf8.count):" + key
                guard write(table[key]!, into: &out) else { return false }
            }
            out += "}"
        case let list as [Any]:
            out += "a\(list.count)["
            for item in list {
                guard write(item, into: &out) else { return false }
            }
            out += "]"
        default:
            return false
        }
        return true
    }
}
