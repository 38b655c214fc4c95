import ArgumentParser
import Foundation
import MonarchCore
import MonarchSite

/// `monarch print-worker`: started by `monarch build` to print a share of the pamphlets in
/// a process of its own (see `PrintWorkers`). Not for people; hidden from the help.
struct PrintWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print-worker", abstract: "Print a share of the pamphlets for monarch build.", shouldDisplay: false)

    @OptionGroup var siteOptions: SiteOptions

    @Option(name: .long) var share: Int
    @Option(name: .long) var of: Int
    @Option(name: .long) var into: String

    func validate() throws {
        guard of >= 1, (0..<of).contains(share) else { throw ValidationError("--share must be in 0..<--of") }
    }

    func run() throws {
        PrintWorkers.dieWithParent()
        let diagnostics = DiagnosticsEngine()
        let builder = SiteBuilder(siteFolder: siteOptions.siteURL, diagnostics: diagnostics,
                                  purpose: .printWorker(share: share, of: of))
        let rendered = builder.render()
        try PrintWorkers.writeResult(rendered?.files ?? [], diagnostics: diagnostics.diagnostics,
                                     into: URL(fileURLWithPath: into))
    }
}
