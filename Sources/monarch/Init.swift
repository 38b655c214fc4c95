import ArgumentParser
import Foundation
import MonarchCore
import MonarchSite

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new site: site.yaml, a home page, a safety page and one section, in each language.",
        discussion: """
            monarch init my-site --languages en,zh-hans,zh-hant,ko,th
            monarch init my-site --languages ko,en --ci github

            The first language is the source language. Monarch has interface strings and starter pages in
            en, zh-hans, zh-hant, ko and th; another BCP 47 tag gets a copy of the source language's strings
            to translate. DIR must be empty or not exist yet.
            """)

    @Argument(help: "The folder of the new site (created if missing; must be empty).")
    var folder: String

    @Option(help: "The site's languages, comma-separated BCP 47 tags; the first is the source language.")
    var languages: String = "en"

    @Option(help: "Also write a workflow that builds and publishes the site on this host's Pages service: github, gitlab or codeberg.")
    var ci: PublishWorkflow.Host?

    func run() throws {
        let starter: StarterSite
        do {
            starter = StarterSite(languages: try StarterSite.languages(from: languages), ci: ci)
        } catch {
            throw ValidationError(error.description)
        }
        let root = URL(fileURLWithPath: folder)
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: root.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { try fail("\(folder) is a file; name a new folder") }
            // Hidden files too: a new site goes into a folder of its own, not over a checkout.
            let entries = (try? fm.contentsOfDirectory(atPath: root.path)) ?? []
            if !entries.isEmpty {
                try fail("\(folder) is not empty (it holds \(entries.sorted().prefix(3).joined(separator: ", "))\(entries.count > 3 ? ", ..." : "")); "
                         + "name a new or empty folder")
            }
        }
        let builtIn = Theme.builtInFolder()
        let files = starter.files { key in
            builtIn.flatMap { try? String(contentsOf: $0.appendingPathComponent("translations/\(key).yaml"), encoding: .utf8) }
        }
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(Data(text.utf8), to: url.path)
        }
        if let warning = starter.unknownLanguagesWarning() {
            DiagnosticPrinter.print([.warning(SourceLocation(path: "site.yaml"), warning)])
        }
        let site = folder.contains(" ") ? "'\(folder)'" : folder
        var next = ["cd \(site)", "monarch serve    # a preview at http://127.0.0.1:8080, reloaded as you edit content/",
                    "monarch build    # the site, in public/"]
        if let ci { next.append("git init, commit, push: \(ci.path) publishes the site (its first lines say what to set up once)") }
        DiagnosticPrinter.summary("wrote a new site in \(folder): \(files.count) files, \(starter.languages.count) language"
                                  + (starter.languages.count == 1 ? "" : "s") + "; next:\n  " + next.joined(separator: "\n  "))
    }

    private func fail(_ message: String) throws -> Never {
        DiagnosticPrinter.print([.error(SourceLocation(path: folder), message)])
        throw ExitCode(2)
    }
}

extension PublishWorkflow.Host: ExpressibleByArgument {}
