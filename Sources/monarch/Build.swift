import ArgumentParser
import Foundation
import MonarchCore
import MonarchSite

/// How much a command says: --quiet (errors only) or --verbose (every step).
struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print errors only: no warnings, progress or summary.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print each step as it starts.")
    var verbose = false

    /// Reports steps: every step with --verbose; on a terminal, one line that is rewritten.
    func progress() -> (@Sendable (String) -> Void)? {
        if quiet { return nil }
        let verbose = self.verbose
        let start = Date()
        if verbose {
            return { step in DiagnosticPrinter.summary(String(format: "%6.3f s  %@", Date().timeIntervalSince(start), step)) }
        }
        guard DiagnosticPrinter.isTerminal else { return nil }
        return { step in DiagnosticPrinter.status(step) }
    }

    func report(_ diagnostics: [Diagnostic]) {
        DiagnosticPrinter.status(nil)
        DiagnosticPrinter.print(quiet ? diagnostics.filter { $0.severity == .error } : diagnostics)
    }

    func summary(_ line: String) {
        if !quiet { DiagnosticPrinter.summary(line) }
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into the output folder (default: <site>/public).")

    @OptionGroup var siteOptions: SiteOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("output"), help: "The output folder; replaced whole by a successful build.")
    var outputFolder: String?

    @Flag(help: "Also write a copy that works opened from a USB stick (file://), <output>-portable/, and zip it into <output>-portable.zip.")
    var portable = false

    @Flag(name: .customLong("no-cache"), help: "Build even when no input changed since the last build.")
    var noCache = false

    func run() throws {
        let diagnostics = DiagnosticsEngine()
        let workers = PrintWorkers.forThisMachine(executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath())
        var builder = SiteBuilder(siteFolder: siteOptions.siteURL,
                                  outputFolder: outputFolder.map { URL(fileURLWithPath: $0) },
                                  diagnostics: diagnostics, purpose: .build(cache: !noCache, printWorkers: workers))
        builder.progress = output.progress()
        let summary = portable ? builder.runPortable() : builder.run()
        output.report(diagnostics.diagnostics)
        guard let summary else {
            output.summary("build failed: \(diagnostics.errorCount) error(s), \(diagnostics.warningCount) warning(s); the previous output is unchanged")
            throw ExitCode(1)
        }
        var how = ""
        switch summary.kind {
        case .full: break
        case .quick(let pages): how = " (\(pages) rebuilt, the rest kept)"
        case .unchanged: how = " (nothing changed: the output kept)"
        }
        output.summary(String(format: "built %d pages in %d languages, %d pamphlets, %d warnings in %.2f s",
                              summary.pages, summary.languages, summary.pamphlets,
                              diagnostics.warningCount, summary.seconds) + how)
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every check of build, plus editorial ones, and write nothing.",
        discussion: "Also warns about images without alt text (or with alt text left untranslated), skipped heading levels, a second level-1 heading, pages missing in some language and pages no link leads to. Exit status 1 on errors; warnings alone exit 0 unless --strict.")

    @OptionGroup var siteOptions: SiteOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Treat warnings as errors (exit status 1).")
    var strict = false

    func run() throws {
        let diagnostics = DiagnosticsEngine()
        var builder = SiteBuilder(siteFolder: siteOptions.siteURL, diagnostics: diagnostics, purpose: .check)
        builder.progress = output.progress()
        let summary = builder.run()
        output.report(diagnostics.diagnostics)
        guard let summary else {
            output.summary("check failed: \(diagnostics.errorCount) error(s), \(diagnostics.warningCount) warning(s)")
            throw ExitCode(1)
        }
        output.summary("checked \(summary.pages) pages in \(summary.languages) languages: no errors, \(diagnostics.warningCount) warnings")
        if strict, diagnostics.warningCount > 0 { throw ExitCode(1) }
    }
}
