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
/// The builder keeps a `RenderMemo` from one build to the next. A save that changed only the
/// text of pages is rebuilt as `monarch build` rebuilds it with its cache: those pages and
/// their languages' search indexes, laid over the last snapshot. Any other change is a whole
/// build, in which a page is parsed and rendered again only when its text or template values
/// changed (its translations' switchers when a title changes, the lists that show it).
final class PreviewBuilder: @unchecked Sendable {
    let siteFolder: URL
    let builtInTheme: URL?
    private let memo = RenderMemo()
    /// What the last build that succeeded showed, for a build that changed only some files.
    private var last: SiteSnapshot?

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
        func failed() -> BuildOutcome {
            // What is shown and what the memo plans from stay the same build.
            last = nil
            memo.forgetLastBuild()
            return BuildOutcome(snapshot: nil, diagnostics: diagnostics.diagnostics, summary: nil,
                                seconds: Date().timeIntervalSince(start), reuse: memo.takeCounts())
        }
        // Only changed files, but no last snapshot to lay them over: build the whole site.
        func wholeBuild() -> BuildOutcome {
            memo.forgetLastBuild()
            return build()
        }
        guard let (made, summary) = builder.renderForPreview() else { return failed() }
        let snapshot: SiteSnapshot
        switch made {
        case .whole(let rendered):
            guard let whole = self.snapshot(of: rendered, diagnostics: diagnostics) else { return failed() }
            snapshot = whole
        case .changed(let files):
            guard let last else { return wholeBuild() }
            var changed = last.files
            for file in files { changed[file.path] = file.data }
            snapshot = SiteSnapshot(files: changed, large: last.large)
        case .unchanged:
            guard let last else { return wholeBuild() }
            snapshot = last
        }
        last = snapshot
        var shown = summary
        shown.files = snapshot.files.count + snapshot.large.count
        shown.seconds = Date().timeIntervalSince(start)
        return BuildOutcome(snapshot: snapshot, diagnostics: diagnostics.diagnostics,
                            summary: shown, seconds: shown.seconds, reuse: memo.takeCounts())
    }

    /// The whole output in memory: generated files, and the files to copy read (a large one
    /// is streamed from its source when asked for); nil when one cannot be read.
    private func snapshot(of rendered: SiteBuilder.Rendered, diagnostics: DiagnosticsEngine) -> SiteSnapshot? {
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
        return diagnostics.hasErrors ? nil : SiteSnapshot(files: files, large: large)
    }
}
