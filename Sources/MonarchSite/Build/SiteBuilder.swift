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

/// The pipeline: load, parse, assemble, render, write. A build reports every error it finds
/// and writes nothing unless there are none; the output folder is then replaced whole.
public struct SiteBuilder {
    public let siteFolder: URL
    public let outputFolder: URL
    /// The default theme and strings, used for what the site folder lacks.
    public let builtInTheme: URL?
    public let diagnostics: DiagnosticsEngine
    /// `monarch check`'s extra warnings: alt text, heading levels, missing translations.
    public var editorialChecks = false
    /// Print pamphlets (PDFs). The preview server leaves them out to stay fast.
    public var printPamphlets = true
    /// Measure every page's gzipped weight (warns over budget). The preview leaves it out:
    /// it gzips every page, which costs as much as rendering them.
    public var measureWeights = true
    /// Told each step as it starts, for progress and `--verbose`.
    public var progress: (@Sendable (String) -> Void)?
    /// What the last build of this process made (the preview): unchanged inputs are not
    /// parsed or rendered again. The output is the same with or without it.
    public var memo: RenderMemo?
    /// Skip the build when no input changed since the last build into the same output
    /// folder and that output is untouched (`BuildCache`). `monarch build` sets it unless
    /// `--no-cache` is given.
    public var useCache = false
    /// Print pamphlets in this many processes (`PrintWorkers`); nil: in this process only.
    public var printWorkers: PrintWorkers?
    /// Set in a `monarch print-worker`: render only this share of the pamphlets; `render()`
    /// then returns those PDFs and nothing else.
    public var printShare: (index: Int, count: Int)?
    /// How long a build waits for another one writing the same output folder (`OutputLock`).
    public var lockWait: Double = 60

    public init(siteFolder: URL, outputFolder: URL? = nil, builtInTheme: URL? = Theme.builtInFolder(),
                diagnostics: DiagnosticsEngine) {
        self.siteFolder = siteFolder.standardizedFileURL
        self.outputFolder = OutputGuard.resolvingLinks(outputFolder ?? siteFolder.appendingPathComponent("public"))
        self.builtInTheme = builtInTheme
        self.diagnostics = diagnostics
    }

    /// Runs every step; writes the output only when `write` is set and no error was found.
    /// Returns nil when the site has errors.
    public func run(write: Bool) -> BuildSummary? {
        let start = Date()
        var lock: OutputLock?
        if write {
            guard let taken = claimOutput([outputFolder]) else { return nil }
            lock = taken
        }
        defer { withExtendedLifetime(lock) {} }
        var scan: BuildCache.Scan?
        let cache = BuildCache(outputFolder: outputFolder)
        if write, useCache {
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
            if let record, let plan, record.outputs == found.outputs {
                switch plan {
                case .unchanged(let kept):
                    if kept.sources != record.sources { cache.save(kept) }
                    for diagnostic in record.diagnostics { diagnostics.emit(diagnostic) }
                    progress?("nothing changed since the last build (\(cache.file.lastPathComponent)); the output is kept as it is")
                    return Self.summary(of: record, kind: .unchanged, since: start)
                case .write(let files, let pages, let newRecord):
                    if writeQuickRebuild(files, record: newRecord, cache: cache) {
                        progress?("rebuilt \(pages) page\(pages == 1 ? "" : "s") whose text changed since the last build (\(cache.file.lastPathComponent))")
                        for diagnostic in newRecord.diagnostics { diagnostics.emit(diagnostic) }
                        return Self.summary(of: newRecord, kind: .quick(pages: pages), since: start)
                    }
                    progress?("a full build: an output file cannot be replaced")
                case .fullBuild(let reason):
                    progress?("a full build: \(reason)")
                }
            }
            scan = found
        }
        guard let rendered = render(keepingSummaries: scan != nil) else { return nil }
        var summary = BuildSummary()
        summary.pages = rendered.pageCount
        summary.languages = rendered.languageCount
        summary.pamphlets = rendered.pamphletCount
        summary.files = rendered.files.count + rendered.copies.count
        if write {
            progress?("writing \(summary.files) files")
            // The old record describes an output about to be replaced.
            if useCache { cache.remove() }
            do {
                try self.write(rendered)
            } catch {
                diagnostics.error(SourceLocation(path: outputFolder.path),
                    "cannot write the output (\(error.localizedDescription)); the previous output is unchanged")
                return nil
            }
            if let scan {
                let summaries = Dictionary(rendered.summaries.map { ($0.sourcePath, $0) }) { first, _ in first }
                let sources = scan.sources.keys.sorted().map {
                    BuildCache.Source(path: $0, stamp: scan.sources[$0]!, summary: summaries[$0])
                }
                let written = rendered.files.map(\.path) + rendered.copies.map(\.path)
                cache.save(BuildCache.Record(input: scan.key, outputs: BuildCache.stamps(files: written, in: outputFolder),
                                             diagnostics: diagnostics.diagnostics,
                                             pages: summary.pages, languages: summary.languages,
                                             pamphlets: summary.pamphlets, files: summary.files,
                                             sources: BuildCacheText.encode(sources),
                                             search: BuildCacheText.encode(search: rendered.searchEntries)))
            }
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

    /// The options that change what a build writes, as part of the cache key.
    private var cacheOptions: String {
        "output=\(outputFolder.path) pamphlets=\(printPamphlets) weights=\(measureWeights) editorial=\(editorialChecks)"
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

    /// The translation state of every page (for `monarch status`); nil when the site has errors
    /// that keep it from loading.
    public func translationStatus() -> TranslationStatus? {
        guard let config = SiteConfig.load(siteFolder: siteFolder, diagnostics: diagnostics) else { return nil }
        let content = ContentLoader.load(siteFolder: siteFolder, config: config, diagnostics: diagnostics)
        let graph = SiteGraph(config: config, content: content, diagnostics: diagnostics)
        return TranslationStatus(graph: graph)
    }

    /// Loads, checks and renders the whole site in memory; nil when it has errors. With
    /// `keepingSummaries`, it also keeps what the build cache records of every page.
    public func render(keepingSummaries: Bool = false) -> Rendered? {
        guard let config = SiteConfig.load(siteFolder: siteFolder, diagnostics: diagnostics) else { return nil }
        let builtIn = builtInTheme
        let siteFolder = self.siteFolder
        // With a memo, a rendered page is reused only with the same theme: its templates are
        // part of every page's key, by their SHA-256.
        var themeDigest = ""
        let theme: Theme
        if let memo {
            let key = RenderMemo.themeKey(siteFolder: siteFolder, builtIn: builtIn)
            themeDigest = SourceHash.digest(key)
            theme = memo.theme.value(slot: "theme", key: key, diagnostics: self.diagnostics) { own in
                Theme.load(siteFolder: siteFolder, builtIn: builtIn, diagnostics: own)
            }
        } else {
            theme = Theme.load(siteFolder: siteFolder, builtIn: builtIn, diagnostics: self.diagnostics)
        }
        let strings = loadStrings(config: config, builtIn: builtIn)
            .resolved(required: theme.interfaceKeys + TemplateContext.interfaceKeys, optional: theme.optionalInterfaceKeys,
                      config: config,
                      diagnostics: diagnostics)
        progress?("reading content")
        let content = ContentLoader.load(siteFolder: siteFolder, config: config, diagnostics: diagnostics,
                                         memo: memo?.pages)
        let graph = SiteGraph(config: config, content: content, diagnostics: diagnostics)
        progress?("checking \(content.pages.values.reduce(0) { $0 + $1.count }) pages")
        let staticFolder = siteFolder.appendingPathComponent("static")
        let staticFiles = FileList.files(in: staticFolder, site: siteFolder, display: "static", diagnostics: diagnostics,
                                         unsafeHTML: config.unsafeHTML)
        check(graph: graph, content: content, staticFiles: staticFiles)
        let resolver = LinkResolver(graph: graph, assets: content.assets.mapValues(Set.init))
        let context = TemplateContext(graph: graph, strings: strings)
        // Links are resolved (and checked) before deciding to stop, so that broken links are
        // reported in the same run as every other error.
        let diagnostics = self.diagnostics
        let entries = graph.allEntries
        let urls = ParallelMap.map(entries) { entry in
            resolver.urls(for: entry, report: !entry.isFallback, diagnostics: diagnostics)
        }
        if diagnostics.hasErrors { return nil }
        if let printShare {
            var rendered = Rendered()
            let urlsByFile = Dictionary(uniqueKeysWithValues: zip(entries.map(\.file), urls))
            rendered.files = PamphletBuilder(graph: graph, siteFolder: siteFolder, strings: strings)
                .render(urls: urlsByFile, diagnostics: diagnostics, share: printShare)
            rendered.pamphletCount = rendered.files.count
            return diagnostics.hasErrors ? nil : rendered
        }
        progress?("rendering \(entries.count) pages")

        var rendered = Rendered()
        let memo = self.memo
        let pageKeyPrefix = themeDigest + "\n"
        // Every page of a language hands its templates the same `t` (its interface strings):
        // it is keyed once here, and left out of each page's own key.
        let stringsKeys: [String: String] = memo == nil ? [:] : config.languages.reduce(into: [:]) { keys, language in
            keys[language.key] = context.stringsTable(language.key).flatMap(TemplateValues.key)
        }
        let pages = ParallelMap.map(Array(zip(entries, urls)).map(EntryLinks.init)) { item -> (String, Data) in
            let entry = item.entry
            func html() -> String { Self.contentHTML(entry, urls: item.urls, strings: strings) }
            guard let memo else {
                return (entry.file, Data(theme.render(Theme.pageTemplate, context.page(entry, content: html())).utf8))
            }
            let labels = strings[entry.page.languageKey] ?? [:]
            let linkKey = item.urls.keys.sorted().map { "\($0)\u{0}\(item.urls[$0]!)" }.joined(separator: "\u{0}")
            let content = memo.content.value(slot: entry.file, key: entry.page.sourceDigest + "\n" + linkKey + Contact.labelKey(labels),
                                             diagnostics: diagnostics) { _ in html() }
            let values = context.page(entry, content: content)
            var own = values
            var prefix = pageKeyPrefix
            if let strings = stringsKeys[entry.language.key] {
                own["t"] = nil
                prefix += strings + "\n"
            }
            guard let key = TemplateValues.key(own).map({ prefix + $0 }) else {
                return (entry.file, Data(theme.render(Theme.pageTemplate, values).utf8))
            }
            return (entry.file, memo.output.value(slot: entry.file, key: key, diagnostics: diagnostics) { _ in
                Data(theme.render(Theme.pageTemplate, values).utf8)
            })
        }
        if let memo {
            let files = Set(entries.map(\.file))
            memo.content.keepOnly(files)
            memo.output.keepOnly(files)
        }
        rendered.files = pages.map { (path: $0.0, data: $0.1) }
        if printPamphlets, entries.contains(where: { $0.page.frontMatter.pamphlet }) || !config.pamphlets.kits.isEmpty {
            progress?("printing pamphlets")
            let urlsByFile = Dictionary(uniqueKeysWithValues: zip(entries.map(\.file), urls))
            let pdfs = PamphletBuilder(graph: graph, siteFolder: siteFolder, strings: strings)
                .render(urls: urlsByFile, diagnostics: diagnostics, workers: printWorkers, builtIn: builtInTheme,
                        progress: progress)
            rendered.files += pdfs
            rendered.pamphletCount = pdfs.count
        }
        if printPamphlets {
            rendered.files += WalletCardBuilder(graph: graph, siteFolder: siteFolder, strings: strings).render(diagnostics: diagnostics)
        }
        rendered.pageCount = pages.count
        rendered.languageCount = config.languages.count
        rendered.files.append(("index.html", Data(theme.render(Theme.chooserTemplate, context.chooser()).utf8)))
        rendered.files.append(("404.html", Data(theme.render(Theme.notFoundTemplate, context.notFound()).utf8)))
        if let base = config.baseURL {
            rendered.files.append(("sitemap.xml", Data(Sitemap.render(graph: graph, baseURL: base).utf8)))
        }
        let searchMemo = memo?.search ?? (keepingSummaries ? StepMemo<String>() : nil)
        rendered.files += SearchIndex.files(graph: graph, strings: strings, memo: searchMemo)
        if keepingSummaries {
            rendered.summaries = ParallelMap.map(content.pages.values.flatMap { $0 }) { $0.summary(hasContacts: Contact.hasBlocks($0)) }
            for (file, entry) in searchMemo?.snapshot() ?? [:] { rendered.searchEntries[file] = [entry.key, entry.value] }
        }
        memo?.search.keepOnly(Set(entries.map(\.file)))

        for asset in theme.assets { rendered.copies.append((asset.path, asset.url)) }
        for language in config.languages {
            for asset in content.assets[language.key] ?? [] {
                rendered.copies.append(("\(language.key)/\(asset)",
                                        siteFolder.appendingPathComponent("content/\(language.key)/\(asset)")))
            }
        }
        for file in staticFiles {
            rendered.copies.append((file, staticFolder.appendingPathComponent(file)))
        }
        OfflinePage.add(to: &rendered, graph: graph, theme: theme, context: context, diagnostics: diagnostics)
        if config.securityHeaders { SecurityHeaders.add(to: &rendered, diagnostics: diagnostics) }
        if let progress, let line = SearchIndex.report(rendered) { progress(line) }
        if measureWeights {
            PageWeight.check(rendered, sources: Dictionary(uniqueKeysWithValues: entries.map { ($0.file, $0.page.sourcePath) }),
                             diagnostics: diagnostics, progress: progress)
        }
        checkCollisions(rendered)
        return diagnostics.hasErrors ? nil : rendered
    }

    /// Privacy (errors, always) and, for `monarch check`, editorial warnings.
    private func check(graph: SiteGraph, content: Content, staticFiles: [String]) {
        let scans = memo?.fileScans
        PrivacyCheck.scanFiles(in: siteFolder.appendingPathComponent("templates"), display: "templates",
                               diagnostics: diagnostics, memo: scans)
        for file in staticFiles {
            PrivacyCheck.scan(siteFolder.appendingPathComponent("static/\(file)"), display: "static/\(file)",
                              diagnostics: diagnostics, memo: scans)
        }
        for (key, assets) in content.assets {
            for asset in assets {
                let path = "content/\(key)/\(asset)"
                PrivacyCheck.scan(siteFolder.appendingPathComponent(path), display: path, diagnostics: diagnostics, memo: scans)
            }
        }
        let diagnostics = self.diagnostics
        let editorial = editorialChecks
        let pages = content.pages.values.flatMap { $0 }
        let memo = self.memo?.privacy
        _ = ParallelMap.map(pages) { page -> Bool in
            guard let memo else {
                Self.check(page, editorial: editorial, diagnostics: diagnostics)
                return true
            }
            return memo.value(slot: page.sourcePath, key: "\(editorial) " + page.sourceDigest, diagnostics: diagnostics) { own in
                Self.check(page, editorial: editorial, diagnostics: own)
                return true
            }
        }
        memo?.keepOnly(Set(pages.map(\.sourcePath)))
        if editorial { ContentChecks.missingTranslations(graph, diagnostics: diagnostics) }
    }

    /// One page's own checks: privacy (errors), its contact blocks, and with `editorial` the
    /// warnings of `monarch check`.
    static func check(_ page: Page, editorial: Bool, diagnostics: DiagnosticsEngine) {
        ContentChecks.privacy(page, diagnostics: diagnostics)
        _ = Contact.contacts(in: page, diagnostics: diagnostics)
        if editorial { ContentChecks.editorial(page, diagnostics: diagnostics) }
    }

    /// A page's Markdown as HTML, its links resolved to `urls` and its contact blocks drawn
    /// with the interface strings of its language.
    static func contentHTML(_ entry: PageEntry, urls: [String: String], strings: [String: [String: String]]) -> String {
        let labels = strings[entry.page.languageKey] ?? [:]
        return entry.page.document.html(resolveURL: { urls[$0] ?? $0 }, codeBlock: Contact.renderer(for: entry.page, labels: labels))
    }

    /// The site's own strings laid over the built-in ones key by key, as its templates are laid
    /// over the built-in theme file by file: a site may change one string, or add a language,
    /// without copying every file, and a new key that an upgrade of monarch brings has its
    /// built-in text until the site translates it.
    func loadStrings(config: SiteConfig, builtIn: URL?, diagnostics: DiagnosticsEngine? = nil) -> InterfaceStrings {
        let diagnostics = diagnostics ?? self.diagnostics
        let own = siteFolder.appendingPathComponent("translations")
        let hasOwn = FileManager.default.fileExists(atPath: own.path)
        let base = builtIn?.appendingPathComponent("translations")
        func load(_ diagnostics: DiagnosticsEngine) -> InterfaceStrings {
            let builtInStrings = base.map {
                InterfaceStrings.load(folder: $0, displayPrefix: "<built-in>/translations", builtIn: true,
                                      config: config, diagnostics: diagnostics)
            } ?? InterfaceStrings()
            guard hasOwn else { return builtInStrings }
            return InterfaceStrings.load(folder: own, displayPrefix: "translations", config: config, diagnostics: diagnostics)
                .overlaid(on: builtInStrings)
        }
        guard let memo else { return load(diagnostics) }
        var key = "\(hasOwn)\n"
        if hasOwn { key += RenderMemo.stringsKey(folder: own, config: config) }
        if let base { key += "\u{0}built-in\n" + RenderMemo.stringsKey(folder: base, config: config) }
        return memo.strings.value(slot: "strings", key: key, diagnostics: diagnostics) { own in load(own) }
    }

    /// Two sources for one output path is an error: nothing may be silently overwritten.
    private func checkCollisions(_ rendered: Rendered) {
        var owners: [String: String] = [:]
        for file in rendered.files { owners[file.path] = "the generated \(file.path)" }
        for copy in rendered.copies {
            let source = copy.source.path.hasPrefix(siteFolder.path + "/")
                ? String(copy.source.path.dropFirst(siteFolder.path.count + 1)) : copy.source.path
            if let owner = owners[copy.path] {
                diagnostics.error(SourceLocation(path: source),
                    "would be written to \(copy.path), which \(owner) already is; rename or move it")
            }
            owners[copy.path] = source
        }
    }

    private func write(_ rendered: Rendered) throws {
        try OutputFolder(outputFolder).publish(files: rendered.files, copies: rendered.copies)
    }
}

private struct EntryLinks: Sendable {
    let entry: PageEntry
    let urls: [String: String]
}
