import Foundation
import MonarchCore

/// What the preview's build made (`SiteBuilder.renderForPreview`).
public enum PreviewRender {
    /// Every file of the site: a full build.
    case whole(SiteBuilder.Rendered)
    /// Only these files differ from the last build's: the pages whose text changed and their
    /// search indexes.
    case changed(files: [(path: String, data: Data)])
    /// Nothing changed since the last build.
    case unchanged
}

/// The last build of a preview: its record, and what a quick rebuild reads of it.
final class LastBuild: @unchecked Sendable {
    let record: BuildCache.Record
    let decoded: RecordedSite

    init(_ record: BuildCache.Record, decoded: RecordedSite? = nil) {
        self.record = record
        self.decoded = decoded ?? RecordedSite(record, outputPaths: [])
    }
}

extension SiteBuilder {
    /// The preview's build (`BuildPurpose.preview`). When its memo holds the last build's
    /// record and only the text of some pages changed since, just the files that differ, found
    /// and made as `monarch build` finds and makes them with its cache (`planQuickRebuild`),
    /// so that a save on a site of thousands of pages is shown at once; otherwise the whole
    /// site, whose record is then kept. nil when the site has errors.
    public func renderForPreview() -> (PreviewRender, BuildSummary)? {
        guard let memo = purpose.memo else { return render().map { (.whole($0), Self.summary(of: $0)) } }
        let start = Date()
        // Taken before the pages are read: a save during the build is seen by the next one.
        let scan = BuildCache.inputs(siteFolder: siteFolder, builtIn: builtInTheme, options: cacheOptions,
                                     fonts: purpose.printsPamphlets)
        if let last = memo.lastBuild {
            switch planQuickRebuild(record: last.record, decoded: last.decoded, scan: scan) {
            case .unchanged(let kept):
                for diagnostic in kept.diagnostics { diagnostics.emit(diagnostic) }
                if kept.sources != last.record.sources { memo.lastBuild = LastBuild(kept) }
                return (.unchanged, Self.summary(of: kept, kind: .unchanged, since: start))
            case .write(let files, let pages, let record, let decoded):
                for diagnostic in record.diagnostics { diagnostics.emit(diagnostic) }
                memo.lastBuild = LastBuild(record, decoded: decoded)
                return (.changed(files: files), Self.summary(of: record, kind: .quick(pages: pages), since: start))
            case .fullBuild(let reason):
                progress?("a full build: \(reason)")
            }
        }
        memo.lastBuild = nil
        guard let rendered = render(keepingSummaries: true) else { return nil }
        var summary = Self.summary(of: rendered)
        summary.seconds = Date().timeIntervalSince(start)
        memo.lastBuild = LastBuild(record(of: rendered, summary: summary, scan: scan, outputs: ""))
        return (.whole(rendered), summary)
    }
}
