import Foundation
import MonarchContent
import MonarchCore

/// `monarch build` with the build cache: keeps the output when nothing changed, writes a quick
/// rebuild when only the text of some pages did (`QuickRebuild`), and after a full build saves
/// the record the next build compares with (`BuildCache`).
extension SiteBuilder {
    enum Reuse {
        /// The output was kept or rebuilt in part: the build is done.
        case reused(BuildSummary)
        /// A full build is needed; its record is made from this scan of the inputs.
        case build(BuildCache.Scan)
    }

    func reuseOutput(cache: BuildCache, start: Date) -> Reuse {
        let record = cache.load()
        // What a quick rebuild would write is worked out on one core as soon as the inputs
        // are known, while the output's stamps are taken on the other; it is written only
        // if they show the output as the last build left it.
        nonisolated(unsafe) var plan: QuickPlan?
        nonisolated(unsafe) let builder = self
        // What the plan reads of the record alone is decoded on the core that then takes
        // the output's stamps, while the other one lists the inputs.
        let recordedPaths = record.map { BuildCache.paths(ofStamps: $0.outputs) }
        let decoded = record.map { record in Once { RecordedSite(record, outputPaths: recordedPaths ?? []) } }
        let found = BuildCache.scan(siteFolder: siteFolder, builtIn: builtInTheme, options: cacheOptions,
                                    output: outputFolder, recorded: recordedPaths,
                                    beforeStamps: { _ = decoded?.value }) { inputs in
            if let record, let decoded { plan = builder.planQuickRebuild(record: record, decoded: decoded.value, scan: inputs) }
        }
        guard let record, let plan, record.outputs == found.outputs else { return .build(found) }
        switch plan {
        case .unchanged(let kept):
            if kept.sources != record.sources { cache.save(kept) }
            for diagnostic in record.diagnostics { diagnostics.emit(diagnostic) }
            progress?("nothing changed since the last build (\(cache.file.lastPathComponent)); the output is kept as it is")
            return .reused(Self.summary(of: record, kind: .unchanged, since: start))
        case .write(let files, let pages, let newRecord, _):
            if writeQuickRebuild(files, record: newRecord, cache: cache) {
                progress?("rebuilt \(pages) page\(pages == 1 ? "" : "s") whose text changed since the last build (\(cache.file.lastPathComponent))")
                for diagnostic in newRecord.diagnostics { diagnostics.emit(diagnostic) }
                return .reused(Self.summary(of: newRecord, kind: .quick(pages: pages), since: start))
            }
            progress?("a full build: an output file cannot be replaced")
        case .fullBuild(let reason):
            progress?("a full build: \(reason)")
        }
        return .build(found)
    }

    /// After a full build: what the next build compares with (the inputs' stamps, every
    /// page's summary and search entry, the output's stamps, what was said).
    func saveRecord(of rendered: Rendered, summary: BuildSummary, scan: BuildCache.Scan, cache: BuildCache) {
        let written = rendered.files.map(\.path) + rendered.copies.map(\.path)
        cache.save(record(of: rendered, summary: summary, scan: scan,
                          outputs: BuildCache.stamps(files: written, in: outputFolder)))
    }

    /// The record of a full build (`rendered` kept its summaries): the inputs' stamps, every
    /// page's summary and search entry, `outputs` (the output's stamps), what was said.
    func record(of rendered: Rendered, summary: BuildSummary, scan: BuildCache.Scan, outputs: String) -> BuildCache.Record {
        let summaries = Dictionary(rendered.summaries.map { ($0.sourcePath, $0) }) { first, _ in first }
        let sources = scan.sources.keys.sorted().map {
            BuildCache.Source(path: $0, stamp: scan.sources[$0]!, summary: summaries[$0])
        }
        return BuildCache.Record(input: scan.key, outputs: outputs, diagnostics: diagnostics.diagnostics,
                                 pages: summary.pages, languages: summary.languages,
                                 pamphlets: summary.pamphlets, files: summary.files,
                                 sources: BuildCacheText.encode(sources),
                                 search: BuildCacheText.encode(search: rendered.searchEntries))
    }

    /// A build's summary as the record of the last one says it.
    static func summary(of record: BuildCache.Record, kind: BuildSummary.Kind, since start: Date) -> BuildSummary {
        var summary = BuildSummary()
        summary.kind = kind
        summary.pages = record.pages
        summary.languages = record.languages
        summary.pamphlets = record.pamphlets
        summary.files = record.files
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// What the purpose changes of what a build writes, as part of the cache key.
    var cacheOptions: String {
        "output=\(outputFolder.path) pamphlets=\(purpose.printsPamphlets) weights=\(purpose.measuresWeights) editorial=\(purpose.editorialChecks)"
    }
}
