import ArgumentParser
import Foundation
import MonarchContent
import MonarchCore
import MonarchSite

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which translations are current, stale, untracked, missing, drafts or orphans.",
        discussion: "A translation records the source page it was made from in 'source_hash'. Use --mark FILE... (files or folders) after updating translations.")

    enum Format: String, ExpressibleByArgument { case text, json }

    @OptionGroup var siteOptions: SiteOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(parsing: .upToNextOption,
            help: "Record in these translations' front matter that they match their source pages now: files, or folders (every translation under them).")
    var mark: [String] = []

    func run() throws {
        let diagnostics = DiagnosticsEngine()
        let builder = SiteBuilder(siteFolder: siteOptions.siteURL, diagnostics: diagnostics)
        guard let status = builder.translationStatus(), !diagnostics.hasErrors else {
            DiagnosticPrinter.print(diagnostics.diagnostics)
            throw ExitCode(1)
        }
        if !mark.isEmpty {
            try markTranslations(mark, status: status)
            return
        }
        switch format {
        case .text: print(text(status), terminator: "")
        case .json: print(try json(status))
        }
    }

    /// Marks every file named, and every translation under every folder named; a file that is
    /// not a translation of an existing source page is an error (nothing is then written).
    private func markTranslations(_ paths: [String], status: TranslationStatus) throws {
        let site = siteOptions.siteURL.standardizedFileURL
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let translations = Dictionary(status.entries.compactMap { entry -> (String, String)? in
            // A source page's draft is `draft` too, and no translation.
            guard entry.languageKey != status.sourceLanguageKey, entry.state != .source, entry.state != .missing,
                  let hash = entry.sourceHash else { return nil }
            return (entry.file, hash)
        }) { first, _ in first }
        var marks: [(file: String, hash: String)] = []
        var errors: [Diagnostic] = []
        for path in paths {
            let url = URL(fileURLWithPath: path, relativeTo: here).standardizedFileURL
            let relative = url.path == site.path ? "" : url.path.hasPrefix(site.path + "/") ? String(url.path.dropFirst(site.path.count + 1)) : path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
                let prefix = relative.isEmpty ? "" : relative + "/"
                let found = translations.keys.filter { $0.hasPrefix(prefix) }.sorted()
                if found.isEmpty {
                    errors.append(.error(SourceLocation(path: relative.isEmpty ? "." : relative),
                        "no translation of a source page under this folder; give a folder under content/<language>/"))
                }
                marks += found.map { ($0, translations[$0]!) }
            } else if let hash = translations[relative] {
                marks.append((relative, hash))
            } else {
                errors.append(.error(SourceLocation(path: relative),
                    "not a translation of a source page; give the path of a file under content/<language>/ other than the source language's"))
            }
        }
        var seen = Set<String>()
        marks = marks.filter { seen.insert($0.file).inserted }
        for mark in marks {
            if case .failure(let failure) = TextFile.read(site.appendingPathComponent(mark.file)) {
                errors.append(failure.diagnostic(path: mark.file))
            }
        }
        guard errors.isEmpty else {
            DiagnosticPrinter.print(errors)
            throw ExitCode(1)
        }
        for mark in marks {
            let fileURL = site.appendingPathComponent(mark.file)
            // Edit the bytes as they are on disk: TextFile normalises line endings for parsing only.
            let raw = try String(contentsOf: fileURL, encoding: .utf8)
            try AtomicFile.write(Data(FrontMatterEditor.setting("source_hash", to: mark.hash, in: raw).utf8), to: fileURL.path,
                                 mode: AtomicFile.mode(of: fileURL.path))
            DiagnosticPrinter.summary("\(mark.file): source_hash set to \(mark.hash)")
        }
    }

    func text(_ status: TranslationStatus) -> String {
        var out = ""
        for language in status.languages {
            let rows = status.entries.filter { $0.languageKey == language.key }
            out += "\(language.key) (\(language.name))\n"
            for row in rows where row.state != .source {
                out += "  \(row.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(row.file)\n"
            }
            let counts = status.summary(languageKey: language.key)
            let parts = TranslationStatus.State.allCases.compactMap { state in
                counts[state].map { "\($0) \(state.rawValue)" }
            }
            out += "  summary: \(parts.joined(separator: ", "))\n"
        }
        if !status.contactsDue.isEmpty {
            out += "contacts to check\n"
            for due in status.contactsDue {
                out += "  \((due.checked.map { "checked " + $0 } ?? "never checked").padding(toLength: 18, withPad: " ", startingAt: 0)) \(due.location) \(due.name)\n"
            }
        }
        return out
    }

    func json(_ status: TranslationStatus) throws -> String {
        struct Row: Encodable { let path: String; let language: String; let state: String; let file: String
                                let recorded_hash: String?; let source_hash: String? }
        struct Summary: Encodable { let language: String; let counts: [String: Int] }
        struct Due: Encodable { let location: String; let name: String; let checked: String? }
        struct Report: Encodable { let pages: [Row]; let summary: [Summary]; let contacts_due: [Due] }
        let report = Report(
            pages: status.entries.map { Row(path: $0.path, language: $0.languageKey, state: $0.state.rawValue, file: $0.file,
                                             recorded_hash: $0.recordedHash, source_hash: $0.sourceHash) },
            summary: status.languages.map { language in
                Summary(language: language.key, counts: Dictionary(uniqueKeysWithValues:
                    status.summary(languageKey: language.key).map { ($0.key.rawValue, $0.value) }))
            },
            contacts_due: status.contactsDue.map { Due(location: $0.location, name: $0.name, checked: $0.checked) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
