import ArgumentParser
import Foundation
import MonarchContent
import MonarchCore
import MonarchSite

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show which translations are current, stale, untracked or missing.",
        discussion: "A translation records the source page it was made from in 'source_hash'. Use --mark FILE after updating a translation.")

    enum Format: String, ExpressibleByArgument { case text, json }

    @OptionGroup var siteOptions: SiteOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "Record in this translation's front matter that it matches its source page now.")
    var mark: String?

    func run() throws {
        let diagnostics = DiagnosticsEngine()
        let builder = SiteBuilder(siteFolder: siteOptions.siteURL, diagnostics: diagnostics)
        guard let status = builder.translationStatus(), !diagnostics.hasErrors else {
            DiagnosticPrinter.print(diagnostics.diagnostics)
            throw ExitCode(1)
        }
        if let mark {
            try markTranslation(mark, status: status, diagnostics: diagnostics)
            return
        }
        switch format {
        case .text: print(text(status), terminator: "")
        case .json: print(try json(status))
        }
    }

    private func markTranslation(_ file: String, status: TranslationStatus, diagnostics: DiagnosticsEngine) throws {
        let site = siteOptions.siteURL.standardizedFileURL
        let url = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
        let relative = url.path.hasPrefix(site.path + "/") ? String(url.path.dropFirst(site.path.count + 1)) : file
        guard let entry = status.entries.first(where: { $0.file == relative && $0.state != .source && $0.state != .missing }),
              let hash = entry.sourceHash else {
            DiagnosticPrinter.print([.error(SourceLocation(path: relative),
                "not a translation of a source page; give the path of a file under content/<language>/ other than the source language's")])
            throw ExitCode(1)
        }
        let fileURL = site.appendingPathComponent(relative)
        if case .failure(let failure) = TextFile.read(fileURL) {
            DiagnosticPrinter.print([failure.diagnostic(path: relative)])
            throw ExitCode(1)
        }
        // Edit the bytes as they are on disk: TextFile normalises line endings for parsing only.
        let raw = try String(contentsOf: fileURL, encoding: .utf8)
        try AtomicFile.write(Data(FrontMatterEditor.setting("source_hash", to: hash, in: raw).utf8), to: fileURL.path,
                             mode: AtomicFile.mode(of: fileURL.path))
        DiagnosticPrinter.summary("\(relative): source_hash set to \(hash)")
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
        return out
    }

    func json(_ status: TranslationStatus) throws -> String {
        struct Row: Encodable { let path: String; let language: String; let state: String; let file: String
                                let recorded_hash: String?; let source_hash: String? }
        struct Summary: Encodable { let language: String; let counts: [String: Int] }
        struct Report: Encodable { let pages: [Row]; let summary: [Summary] }
        let report = Report(
            pages: status.entries.map { Row(path: $0.path, language: $0.languageKey, state: $0.state.rawValue, file: $0.file,
                                             recorded_hash: $0.recordedHash, source_hash: $0.sourceHash) },
            summary: status.languages.map { language in
                Summary(language: language.key, counts: Dictionary(uniqueKeysWithValues:
                    status.summary(languageKey: language.key).map { ($0.key.rawValue, $0.value) }))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
