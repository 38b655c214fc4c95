import ArgumentParser
import Foundation
import MonarchContent
import MonarchCore
import MonarchSite

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a page, or a translation of one, with the right front matter.",
        discussion: """
            monarch new police/curfew --lang en            writes content/en/police/curfew.md
            monarch new police/curfew --lang th --translate-from en
                                                           copies the English text as a draft and records its source_hash
            """)

    @OptionGroup var siteOptions: SiteOptions

    @Argument(help: "The page's path inside its language folder, e.g. police/curfew (with or without .md).")
    var path: String

    @Option(help: "The language key of the new page.")
    var lang: String

    @Option(name: .customLong("translate-from"), help: "Start a translation pre-filled with this language's page.")
    var translateFrom: String?

    func validate() throws {
        if path.hasPrefix("/") || path.split(separator: "/").contains("..") || path.isEmpty {
            throw ValidationError("PATH must be inside the language folder, like 'police/curfew'")
        }
        // A name every build would skip: a hidden file or folder, or `x/` (which would be `x/.md`).
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0.isEmpty || $0.hasPrefix(".") }) || path == ".md" || path.hasSuffix("/.md") {
            throw ValidationError("PATH must name a page, like 'police/curfew': no part of it may be empty or start with '.', since builds skip hidden files")
        }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) {
            throw ValidationError("PATH must not contain control characters or backslashes")
        }
    }

    func run() throws {
        let diagnostics = DiagnosticsEngine()
        guard let config = SiteConfig.load(siteFolder: siteOptions.siteURL, diagnostics: diagnostics) else {
            DiagnosticPrinter.print(diagnostics.diagnostics)
            throw ExitCode(1)
        }
        let relative = path.hasSuffix(".md") ? path : path + ".md"
        let target = "content/\(lang)/\(relative)"
        func fail(_ location: String, _ message: String) throws -> Never {
            DiagnosticPrinter.print([.error(SourceLocation(path: location), message)])
            throw ExitCode(1)
        }
        guard config.language(key: lang) != nil else {
            try fail(SiteConfig.fileName, "'\(lang)' is not a language of this site\(Suggestion.hint(for: lang, in: config.languages.map(\.key)))")
        }
        let url = siteOptions.siteURL.appendingPathComponent(target)
        if FileManager.default.fileExists(atPath: url.path) {
            try fail(target, "the page already exists; edit it, or choose another path")
        }
        var text: String
        if let source = translateFrom {
            guard config.language(key: source) != nil else {
                try fail(SiteConfig.fileName, "'\(source)' is not a language of this site")
            }
            let sourcePath = "content/\(source)/\(relative)"
            guard case .success(let sourceText) = TextFile.read(siteOptions.siteURL.appendingPathComponent(sourcePath)) else {
                try fail(sourcePath, "no such page to translate from; check the path")
            }
            text = FrontMatterEditor.setting("source_hash", to: SourceHash.of(body: FrontMatter.split(sourceText).body), in: sourceText)
            // A draft until the translator is done: its links still name the source's headings.
            text = FrontMatterEditor.setting("draft", to: "true", in: text)
        } else {
            let parts = relative.split(separator: "/").map(String.init)
            let name = String(parts.last!.dropLast(3))
            // `index.md` at the top is the home page; `police/index.md` the section `police`.
            let folder = parts.count > 1 ? parts[parts.count - 2] : ""
            let title = name != "index" ? name.replacingOccurrences(of: "-", with: " ").capitalized
                : folder.isEmpty ? "Home" : folder.replacingOccurrences(of: "-", with: " ").capitalized
            text = "---\ntitle: \(title)\ndescription: One line that says what this page is for.\nweight: 0\n---\n\nWrite the page here. Use ## headings for each part.\n"
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(Data(text.utf8), to: url.path)
        DiagnosticPrinter.summary("wrote \(target)")
    }
}
