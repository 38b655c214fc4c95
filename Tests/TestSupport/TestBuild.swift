import Foundation
import MonarchCore
import MonarchSite

/// Sites built for real into temporary folders, in this process (`build`) or by the monarch
/// binary (`run`, `process`); the tests read what was written.
public struct BuildResult: Sendable {
    public let output: URL
    public let diagnostics: [Diagnostic]
    public let succeeded: Bool

    public func text(_ path: String) throws -> String {
        try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
    }

    public func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path)
    }
}

public enum TestBuild {
    public static func temporaryFolder(_ label: String = "out") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("monarch-tests-\(UUID().uuidString)").appendingPathComponent(label)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `path` inside `site`, making its folders.
    public static func write(_ text: String, _ path: String, in site: URL) throws {
        let url = site.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// A one-language (English) site in a new temporary folder: site.yaml with `yaml` added,
    /// `content/en/index.md` holding `home`, and `files` by path inside the site.
    public static func englishSite(yaml: String = "", home: String = "---\ntitle: Home\n---\nHome.\n",
                            files: [String: String] = [:]) throws -> URL {
        let site = temporaryFolder("site")
        try write("title: T\nlanguages:\n  - {key: en, tag: en, name: English}\n" + yaml, "site.yaml", in: site)
        try write(home, "content/en/index.md", in: site)
        for (path, text) in files { try write(text, path, in: site) }
        return site
    }

    /// A one-language site whose home page says "Know your rights." (marked `pamphlet: true`
    /// with `pamphlet`), with `files` by path inside the site.
    public static func homeSite(pamphlet: Bool = false, files: [String: String] = [:]) throws -> URL {
        let front = pamphlet ? "---\ntitle: Home\npamphlet: true\n---\n" : "---\ntitle: Home\n---\n"
        return try englishSite(home: front + "Know your rights.\n", files: files)
    }

    /// A copy of the repository's example site in `folder` (created), to edit freely.
    public static func copyExampleSite(to folder: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        for item in ["site.yaml", "content", "templates", "translations", "static"] {
            try fm.copyItem(at: Repo.root.appendingPathComponent(item), to: folder.appendingPathComponent(item))
        }
    }

    /// Builds `site` with the repository's own theme as the built-in one.
    public static func build(_ site: URL, into output: URL? = nil, write: Bool = true) -> BuildResult {
        let output = output ?? temporaryFolder()
        let diagnostics = DiagnosticsEngine()
        let builder = SiteBuilder(siteFolder: site, outputFolder: output, builtInTheme: Repo.root,
                                  diagnostics: diagnostics)
        // Without writing: the pipeline alone, as `monarch build` runs it.
        let succeeded = write ? builder.run() != nil : builder.render() != nil
        return BuildResult(output: output, diagnostics: diagnostics.diagnostics, succeeded: succeeded)
    }

    /// `monarch check` on `site`, in this process: whether it succeeded, and what it said.
    public static func check(_ site: URL) -> (succeeded: Bool, messages: [String]) {
        let diagnostics = DiagnosticsEngine()
        let succeeded = SiteBuilder(siteFolder: site, builtInTheme: Repo.root, diagnostics: diagnostics, purpose: .check).run() != nil
        return (succeeded, diagnostics.diagnostics.map(\.description))
    }

    /// Every file under `folder` with its bytes, by relative path.
    public static func snapshot(_ folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        for path in FileList.files(in: folder) {
            files[path] = try? Data(contentsOf: folder.appendingPathComponent(path))
        }
        return files
    }

    /// The monarch binary, set up to run with the repository's theme (not started yet).
    public static func process(_ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = Repo.monarchBinary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["MONARCH_HOME"] = Repo.root.path
        process.environment = environment
        return process
    }

    /// Runs the monarch binary; returns exit status, standard output and standard error.
    public static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try Command.run(Repo.monarchBinary.path, arguments, environment: ["MONARCH_HOME": Repo.root.path])
        return (result.status, result.out, result.err)
    }
}
