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
    /// What the memo reused, e.g. `pages 91/1 ... output 94/1` (hits/misses), for `--verbose`.
    public let reuse: String
}

/// Builds the site with the same `SiteBuilder` as `monarch build`, so the preview shows
/// exactly what a build would publish, but in memory: nothing is written anywhere, neither
/// into the site folder nor into a temporary one.
///
/// The builder keeps a `RenderMemo` from one build to the next: a saved page is parsed and
/// rendered again, and so is every page whose template values it changed (its translations'
/// switchers when a title changes, the lists that show it); the rest is reused as it is.
final class PreviewBuilder: @unchecked Sendable {
    let siteFolder: URL
    let builtInTheme: URL?
    private let memo = RenderMemo()

    init(siteFolder: URL, builtInTheme: URL?) {
        self.siteFolder = siteFolder.standardizedFileURL
        self.builtInTheme = builtInTheme
    }

    func build() -> BuildOutcome {
        let start = Date()
        let diagnostics = DiagnosticsEngine()
        // The web pages only, reusing what the last build made (`BuildPurpose.preview`).
        let builder = SiteBuilder(siteFolder: siteFolder, builtInTheme: builtInTheme, diagnostics: diagnostics,
                                  purpose: .preview(memo))
        guard let rendered = builder.render() else {
            return BuildOutcome(snapshot: nil, diagnostics: diagnostics.diagnostics, summary: nil,
                                seconds: Date().timeIntervalSince(start), reuse: memo.takeCounts())
        }
        var files: [String: Data] = [:]
        var large: [String: SiteSnapshot.LargeFile] = [:]
        files.reserveCapacity(rendered.files.count + rendered.copies.count)
        for file in rendered.files { files[file.path] = file.data }
        for copy in rendered.copies {
            if let file = SiteSnapshot.largeFile(copy.source) {
                large[copy.path] = file
                continue
            }
            do {
                files[copy.path] = try Data(contentsOf: copy.source)
            } catch {
                let path = copy.source.path.hasPrefix(siteFolder.path + "/")
                    ? String(copy.source.path.dropFirst(siteFolder.path.count + 1)) : copy.source.path
                diagnostics.error(SourceLocation(path: path), "cannot read the file (\(error.localizedDescription)); check its permissions")
            }
        }
        if diagnostics.hasErrors {
            return BuildOutcome(snapshot: nil, diagnostics: diagnostics.diagnostics, summary: nil,
                                seconds: Date().timeIntervalSince(start), reuse: memo.takeCounts())
        }
        var summary = BuildSummary()
        summary.pages = rendered.pageCount
        summary.languages = rendered.languageCount
        summary.files = files.count + large.count
        summary.seconds = Date().timeIntervalSince(start)
        return BuildOutcome(snapshot: SiteSnapshot(files: files, large: large), diagnostics: diagnostics.diagnostics,
                            summary: summary, seconds: summary.seconds, reuse: memo.takeCounts())
    }
}
