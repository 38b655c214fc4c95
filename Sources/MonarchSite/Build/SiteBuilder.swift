import Foundation
import MonarchContent
import MonarchCore
import MonarchMarkdown

/// What a build did, for the summary line.
public struct BuildSummary: Sendable {
    /// Which way the output was made.
    public enum Kind: Sendable, Equatable {
        /// Every page rendered, the output written whole.
        case full
        /// Only the pages whose text changed (this many) rendered again (`QuickRebuild`).
        case quick(pages: Int)
        /// Nothing changed since the last build: the output kept as it was.
        case unchanged
    }

    public var kind = Kind.full
    public var pages = 0
    public var languages = 0
    public var pamphlets = 0
    public var files = 0
    public var seconds = 0.0

    public init() {}
}

/// Builds a site: the steps of `render` (see `BuildSteps`), then, for `monarch build`, the
/// output written. A build reports every error it finds and writes nothing unless there are
/// none; the output folder is then replaced whole.
public struct SiteBuilder {
    public let siteFolder: URL
    public let outputFolder: URL
    /// The default theme and strings, used for what the site folder lacks.
    public let builtInTheme: URL?
    public let diagnostics: DiagnosticsEngine
    /// Why the site is built: what is written, printed, checked and reused.
    public var purpose: BuildPurpose
    /// Told each step as it starts, for progress and `--verbose`.
    public var progress: (@Sendable (String) -> Void)?
    /// How long a build waits for another one writing the same output folder (`OutputLock`).
    public var lockWait: Double = 60

    public init(siteFolder: URL, outputFolder: URL? = nil, builtInTheme: URL? = Theme.builtInFolder(),
                diagnostics: DiagnosticsEngine, purpose: BuildPurpose = .build()) {
        self.siteFolder = siteFolder.standardizedFileURL
        self.outputFolder = OutputGuard.resolvingLinks(outputFolder ?? siteFolder.appendingPathComponent("public"))
        self.builtInTheme = builtInTheme
        self.diagnostics = diagnostics
        self.purpose = purpose
    }

    /// The steps, reporting into this build's diagnostics and progress.
    var steps: BuildSteps {
        var steps = BuildSteps(siteFolder: siteFolder, builtInTheme: builtInTheme, purpose: purpose, diagnostics: diagnostics,
                               progress: progress)
        steps.imageCache = ImageCache(outputFolder: outputFolder, writable: purpose.writesOutput)
        return steps
    }

    /// The output in memory: generated files and files to copy, by output path.
    public struct Rendered: Sendable {
        public var files: [(path: String, data: Data)] = []
        public var copies: [(path: String, source: URL)] = []
        public var pageCount = 0
        public var languageCount = 0
        public var pamphletCount = 0
        /// With `keepingSummaries`: every page's summary, and every page's search index entry
        /// (output file -> [digest, JSON]), for the build cache's record.
        var summaries: [PageSummary] = []
        var searchEntries: [String: [String]] = [:]
    }

    /// The pipeline: loads, checks and renders the whole site in memory; nil when it has
    /// errors. A print worker gets its share of the pamphlets and nothing else. With
    /// `keepingSummaries`, it also keeps what the build cache records of every page.
    public func render(keepingSummaries: Bool = false) -> Rendered? {
        let steps = self.steps
        guard let site = steps.loadSite() else { return nil }
        steps.warmUpPrinting(site)
        steps.checkSite(site)
        let images = steps.loadImages(site)
        let entries = site.graph.allEntries
        // Links are resolved (and checked) before deciding to stop, so that broken links are
        // reported in the same run as every other error.
        let links = steps.resolveLinks(site, entries)
        if purpose.editorialChecks { Reachability.warn(site.graph, links: links, diagnostics: diagnostics) }
        if diagnostics.hasErrors { return nil }
        // After the errors: a file a broken link meant to use is that link's business.
        let used = site.config.unsafeHTML ? nil : UsedAssets(site, entries: entries, links: links)
        if let used, purpose.printShare == nil { UsedAssets.warnUnused(site, used: used, diagnostics: diagnostics) }
        var rendered = Rendered()
        if purpose.printShare != nil {
            rendered.files = steps.printPamphlets(site, links: links)
            rendered.pamphletCount = rendered.files.count
            return diagnostics.hasErrors ? nil : rendered
        }
        rendered.files = steps.renderPages(site, entries, links: links, images: images)
        let pamphlets = steps.printPamphlets(site, links: links)
        rendered.files += pamphlets
        rendered.files += steps.printWalletCards(site)
        rendered.files += steps.extras(site)
        let searchMemo = purpose.memo?.search ?? (keepingSummaries ? StepMemo<String>() : nil)
        rendered.files += steps.searchIndexes(site, memo: searchMemo)
        let published = used.map { images.keeping($0.paths) } ?? images
        rendered.copies = steps.copies(site, images: published, used: used?.paths)
        rendered.files += steps.imageFiles(published)
        steps.offlineFiles(site, images: published, into: &rendered)
        steps.securityHeaders(site, into: &rendered)
        steps.weighPages(rendered, entries: entries, config: site.config)
        steps.checkCollisions(rendered)

        rendered.pageCount = entries.count
        rendered.languageCount = site.config.languages.count
        rendered.pamphletCount = pamphlets.count
        if keepingSummaries {
            rendered.summaries = ParallelMap.map(site.pages) { $0.summary(hasContacts: Contact.hasBlocks($0)) }
            for (file, entry) in searchMemo?.snapshot() ?? [:] { rendered.searchEntries[file] = [entry.key, entry.value] }
        }
        purpose.memo?.search.keepOnly(Set(entries.map(\.file)))
        return diagnostics.hasErrors ? nil : rendered
    }

    /// Runs the pipeline; `monarch build` then writes the output (or keeps it, or rebuilds
    /// only the changed pages, when the build cache allows), the other purposes write nothing.
    /// Returns nil when the site has errors.
    public func run() -> BuildSummary? {
        let start = Date()
        let write = purpose.writesOutput
        var lock: OutputLock?
        if write {
            guard let taken = claimOutput([outputFolder]) else { return nil }
            lock = taken
        }
        defer { withExtendedLifetime(lock) {} }
        let cache = BuildCache(outputFolder: outputFolder)
        var scan: BuildCache.Scan?
        if write, purpose.usesCache {
            switch reuseOutput(cache: cache, start: start) {
            case .reused(let summary): return summary
            case .build(let found): scan = found
            }
        }
        guard let rendered = render(keepingSummaries: scan != nil) else { return nil }
        var summary = Self.summary(of: rendered)
        if write {
            progress?("writing \(summary.files) files")
            // The old record describes an output about to be replaced.
            if purpose.usesCache { cache.remove() }
            do {
                try OutputFolder(outputFolder).publish(files: rendered.files, copies: rendered.copies)
            } catch {
                diagnostics.error(SourceLocation(path: outputFolder.path),
                    "cannot write the output (\(error.localizedDescription)); the previous output is unchanged")
                return nil
            }
            if let scan { saveRecord(of: rendered, summary: summary, scan: scan, cache: cache) }
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// Checks that a build may replace each of `folders` (`OutputGuard`) and takes the lock on
    /// the output; nil, with an error for each refusal, when it may not.
    func claimOutput(_ folders: [URL]) -> OutputLock? {
        for folder in folders {
            // An output of a monarch from before the record: its build cache names it, and the
            // staging folder beside it is the output it swapped out.
            // Never a folder that holds the site or its inputs, whatever a record beside it says.
            if OutputGuard.insideSite(folder.path, site: siteFolder) == nil, !OutputGuard.isOwned(folder.path),
               BuildCache.describes(folder) {
                for owned in [folder, OutputFolder(folder).staging] where FileManager.default.fileExists(atPath: owned.path) {
                    try? AtomicFile.write(OutputGuard.recordText, to: owned.appendingPathComponent(OutputGuard.recordName).path)
                }
            }
            if let reason = OutputGuard.refusal(folder: folder, site: siteFolder) {
                diagnostics.error(SourceLocation(path: Self.display(folder, site: siteFolder)), "the output folder \(reason); nothing was written")
            }
        }
        if diagnostics.hasErrors { return nil }
        do {
            return try OutputLock.acquire(for: outputFolder, wait: lockWait)
        } catch let error as OutputLock.LockError {
            diagnostics.error(SourceLocation(path: Self.display(outputFolder, site: siteFolder)), error.message)
        } catch {
            diagnostics.error(SourceLocation(path: Self.display(outputFolder, site: siteFolder)), "\(error)")
        }
        return nil
    }

    /// A folder's path as messages show it: relative to the site folder when inside it.
    static func display(_ folder: URL, site: URL) -> String {
        let site = OutputGuard.resolvingLinks(site).path
        return folder.path.hasPrefix(site + "/") ? String(folder.path.dropFirst(site.count + 1)) : folder.path
    }

    /// A full build's summary (without its time).
    static func summary(of rendered: Rendered) -> BuildSummary {
        var summary = BuildSummary()
        summary.pages = rendered.pageCount
        summary.languages = rendered.languageCount
        summary.pamphlets = rendered.pamphletCount
        summary.files = rendered.files.count + rendered.copies.count
        return summary
    }

    /// The translation state of every page (for `monarch status`); nil when the site has errors
    /// that keep it from loading.
    public func translationStatus() -> TranslationStatus? {
        guard let config = SiteConfig.load(siteFolder: siteFolder, diagnostics: diagnostics) else { return nil }
        let content = ContentLoader.load(siteFolder: siteFolder, config: config, diagnostics: diagnostics)
        let graph = SiteGraph(config: config, content: content, diagnostics: diagnostics)
        var status = TranslationStatus(graph: graph, content: content)
        let today = BuildDate.today()
        for page in content.pages.values.joined().sorted(by: { $0.sourcePath < $1.sourcePath }) {
            for contact in Contact.contacts(in: page, diagnostics: DiagnosticsEngine())
            where contact.checkWarning(today: today, months: config.contactCheckMonths) != nil {
                status.contactsDue.append(.init(location: page.location(contact.position).description, name: contact.name,
                                                checked: contact.checked?.description))
            }
        }
        return status
    }
}
