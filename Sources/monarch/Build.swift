import ArgumentParser
import Foundation
import MonarchCore
import MonarchSite

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into the output folder (default: <site>/public).")

    @OptionGroup var siteOptions: SiteOptions

    @Option(name: .long, help: "The output folder; replaced whole by a successful build.")
    var output: String?

    func run() throws {
        let diagnostics = DiagnosticsEngine()
        let builder = SiteBuilder(siteFolder: siteOptions.siteURL,
                                  outputFolder: output.map { URL(fileURLWithPath: $0) },
                                  diagnostics: diagnostics)
        let summary = builder.run(write: true)
        DiagnosticPrinter.print(diagnostics.diagnostics)
        guard let summary else {
            DiagnosticPrinter.summary("build failed: \(diagnostics.errorCount) error(s), \(diagnostics.warningCount) warning(s); the previous output is unchanged")
            throw ExitCode(1)
        }
        DiagnosticPrinter.summary(String(format: "built %d pages in %d languages, %d pamphlets, %d warnings in %.2f s",
                                         summary.pages, summary.languages, summary.pamphlets,
                                         diagnostics.warningCount, summary.seconds))
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run every check of build and write nothing.")

    @OptionGroup var siteOptions: SiteOptions

    func run() throws {
        let diagnostics = DiagnosticsEngine()
        let summary = SiteBuilder(siteFolder: siteOptions.siteURL, diagnostics: diagnostics).run(write: false)
        DiagnosticPrinter.print(diagnostics.diagnostics)
        guard let summary else {
            DiagnosticPrinter.summary("check failed: \(diagnostics.errorCount) error(s), \(diagnostics.warningCount) warning(s)")
            throw ExitCode(1)
        }
        DiagnosticPrinter.summary("checked \(summary.pages) pages in \(summary.languages) languages: no errors, \(diagnostics.warningCount) warnings")
    }
}
