import Foundation
import MonarchCore
import MonarchSite

/// One build for the preview.
public struct BuildOutcome: Sendable {
    /// The whole output in memory; nil when the site has errors.
    public let snapshot: SiteSnapshot?
    public let diagnostics: [Diagnostic]
    public let summary: BuildSummary?
    /// From the start of the build to the output being in memory.
    public let seconds: Double
}

/// Builds the site with the same `SiteBuilder` as `monarch build`, so the preview shows
/// exactly what a build would publish.
///
/// Each build is written with `run(write: true)` into a private folder
/// (`/dev/shm/monarch-serve-<pid>-<uuid>/public` on Linux, else under `$TMPDIR`), read into
/// memory at once and the folder removed again: the site folder and its `public/` are never
/// touched, and the preview serves from memory only. `SiteBuilder.render()` (public) would
/// skip the round trip through the disk (5-10 ms); the real cost of a rebuild is the full
/// render itself, which an input-keyed memo in `SiteBuilder` should cut (issue #4).
final class PreviewBuilder: @unchecked Sendable {
    let siteFolder: URL
    let builtInTheme: URL?
    let workFolder: URL
    var outputFolder: URL { workFolder.appendingPathComponent("public") }

    init(siteFolder: URL, builtInTheme: URL?) {
        self.siteFolder = siteFolder.standardizedFileURL
        self.builtInTheme = builtInTheme
        let parent = Self.temporaryParent()
        Self.removeLeftovers(in: parent)
        workFolder = parent.appendingPathComponent("monarch-serve-\(getpid())-\(UUID().uuidString)")
    }

    /// `$TMPDIR` when set; else, on Linux, the memory-backed `/dev/shm`, where writing and
    /// removing a build costs no disk I/O (on a busy disk a build's write took 0.6 s there
    /// and 0.05 s here); else the system temporary folder.
    static func temporaryParent() -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let tmp = environment["TMPDIR"], !tmp.isEmpty { return URL(fileURLWithPath: tmp) }
        #if os(Linux)
        if access("/dev/shm", W_OK | X_OK) == 0 { return URL(fileURLWithPath: "/dev/shm") }
        #endif
        return FileManager.default.temporaryDirectory
    }

    /// Removes the build folders of earlier `monarch serve` processes that were killed
    /// before they could clean up (their process id is gone).
    static func removeLeftovers(in parent: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        for name in names where name.hasPrefix("monarch-serve-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 3, let pid = Int32(parts[2]), pid > 0 else { continue }
            if kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))
            }
        }
    }

    func build() -> BuildOutcome {
        let start = Date()
        let diagnostics = DiagnosticsEngine()
        var builder = SiteBuilder(siteFolder: siteFolder, outputFolder: outputFolder,
                                  builtInTheme: builtInTheme, diagnostics: diagnostics)
        // Pamphlets take seconds to print; the preview is for the web pages (run
        // `monarch build` to see the PDFs).
        builder.printPamphlets = false
        builder.measureWeights = false   // `monarch build` and `check` still warn about weight
        guard let summary = builder.run(write: true) else {
            return BuildOutcome(snapshot: nil, diagnostics: diagnostics.diagnostics, summary: nil,
                                seconds: Date().timeIntervalSince(start))
        }
        do {
            let snapshot = try SiteSnapshot.load(folder: outputFolder)
            return BuildOutcome(snapshot: snapshot, diagnostics: diagnostics.diagnostics, summary: summary,
                                seconds: Date().timeIntervalSince(start))
        } catch {
            diagnostics.error(SourceLocation(path: outputFolder.path),
                              "cannot read the preview build back (\(error.localizedDescription))")
            return BuildOutcome(snapshot: nil, diagnostics: diagnostics.diagnostics, summary: nil,
                                seconds: Date().timeIntervalSince(start))
        }
    }

    /// Removes the written copy of the last build (it is in memory now); the next build then
    /// moves its staging folder into place without first removing an old tree.
    func discardOutput() {
        try? FileManager.default.removeItem(at: outputFolder)
    }

    func removeWorkFolder() {
        try? FileManager.default.removeItem(at: workFolder)
    }
}
