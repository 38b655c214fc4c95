import ArgumentParser
import Foundation
import MonarchCore

/// The command line: thin commands over the libraries.
@main
struct Monarch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monarch",
        abstract: "Build multilingual resource sites from Markdown.",
        subcommands: [Init.self, Build.self, Check.self, Serve.self, Status.self, New.self, PrintWorker.self]
    )

    /// Exit status: 0 success, 1 the site has errors, 2 bad command-line use.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: "The site folder (holding site.yaml).")
    var site: String = "."

    var siteURL: URL { URL(fileURLWithPath: site) }

    /// A site folder that is missing or a file is a mistake on the command line (exit 2),
    /// said as such, before any lock or output folder is looked at.
    func validate() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: site, isDirectory: &isFolder) else {
            throw ValidationError("--site \(site): there is no such folder; pass the folder that holds site.yaml (default: the current folder)")
        }
        guard isFolder.boolValue else {
            throw ValidationError("--site \(site) is a file, not a folder; pass the folder that holds site.yaml")
        }
    }
}
