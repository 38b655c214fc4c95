import Foundation
import MonarchContent
import MonarchCore
import MonarchMarkdown
#if canImport(Glibc)
import Glibc
#endif

/// What a quick rebuild reads of the last build's record alone: its pages' lines decoded,
/// the search entries, a page made from each summary, and the output's paths.
struct RecordedSite: @unchecked Sendable {
    let sources: [BuildCache.Source]?
    let search: [String: [String]]?
    /// By source path: the page each recorded summary describes (nil where one is unreadable).
    let pages: [String: Page]
    /// Every file and folder of the output the record stamps (`BuildCache.paths(ofStamps:)`).
    let outputPaths: [String]

    /// `old` after a quick rebuild: its sources and search entries replaced, and the pages of
    /// `changed` summaries made again (without decoding the new record).
    init(_ old: RecordedSite, sources: [BuildCache.Source], search: [String: [String]], changed: [PageSummary]) {
        self.sources = sources
        self.search = search
        var pages = old.pages
        for summary in changed where !summary.draft { pages[summary.sourcePath] = Page(summary: summary) }
        self.pages = pages
        outputPaths = old.outputPaths
    }

    init(_ record: BuildCache.Record, outputPaths: [String]) {
        sources = BuildCacheText.decode(record.sources)
        search = BuildCacheText.decodeSearch(record.search)
        var pages: [String: Page] = [:]
        for summary in (sources ?? []).compactMap(\.summary) where !summary.draft {
            pages[summary.sourcePath] = Page(summary: summary)
        }
        self.pages = pages
        self.outputPaths = outputPaths
    }
}

/// The build after an editor fixed a word (issue #7: one page changed, at most 100 ms at
/// 5 x 1000 pages). When the last build's record (`BuildCache`) says that nothing but the text
/// of some pages changed, and that their title, front matter, headings and contact blocks are
/// as they were, then no other page's output can show the change: a section lists its pages
/// by title, description and weight, the switcher knows which translations exist, a link
/// checks a page's headings, all of which are in each page's `PageSummary`. The build then
/// assembles the site from the summaries, parses only the changed pages (and, when a page of
/// the source language changed, its translations that record a `source_hash`: their "out of
/// date" notice may come or go), renders their outputs, prints again the PDFs that show them
/// (loading the other pages of those PDFs), rebuilds the search index of their languages
/// from the recorded entries, and writes just those files, each replaced whole.
///
/// Anything else means a full build, which is always correct: another file changed, a file
/// was added or removed, a summary differs, a changed page has a contact block (when
/// printing: wallet cards gather every page's), a check finds an error (so that the full
/// build reports every error with its whole context), the record lacks something. `QuickRebuildTests` compares its output
/// with a full build's, byte for byte, after every kind of edit.
extension SiteBuilder {
    enum QuickPlan {
        /// No page's text changed; the record, with these pages' stamps, stands for the output.
        case unchanged(BuildCache.Record)
        /// Write these files (output paths), then save the record (`decoded` is what a quick
        /// rebuild reads of it).
        case write(files: [(path: String, data: Data)], pages: Int, record: BuildCache.Record, decoded: RecordedSite)
        case fullBuild(reason: String)
    }

    /// What a quick rebuild would write, worked out from the record and the inputs' scan alone
    /// (so that it can run while the output's stamps are taken); nothing is written here. The
    /// record's `outputs` are still the old ones.
    func planQuickRebuild(record: BuildCache.Record, decoded: RecordedSite, scan: BuildCache.Scan) -> QuickPlan {
        guard purpose.writesOutput || purpose.memo != nil else { return .fullBuild(reason: "not for this kind of build") }
        guard record.input == scan.key else { return .fullBuild(reason: "a file other than a page changed") }
        guard let recorded = decoded.sources, let recordedSearch = decoded.search,
              recorded.count == scan.sources.count, recorded.allSatisfy({ scan.sources[$0.path] != nil }) else {
            return .fullBuild(reason: "pages were added or removed")
        }
        let suspects = recorded.filter { $0.stamp.isEmpty || $0.stamp != scan.sources[$0.path] }
        if suspects.isEmpty { return .unchanged(record) }

        // Which pages to redo: the ones whose text changed.
        let own = DiagnosticsEngine()
        guard let config = SiteConfig.load(siteFolder: siteFolder, diagnostics: own) else {
            return .fullBuild(reason: "site.yaml cannot be read")
        }
        var pages = QuickPages(siteFolder: siteFolder, options: MarkdownOptions(unsafeHTML: config.unsafeHTML), diagnostics: own)
        if let reason = pages.readChanged(suspects) { return .fullBuild(reason: reason) }
        var sources = recorded
        for i in sources.indices {
            sources[i].stamp = scan.sources[sources[i].path] ?? ""
            if let summary = pages.changed[sources[i].path] { sources[i].summary = summary }
        }
        if pages.loaded.isEmpty {
            var kept = record
            kept.sources = BuildCacheText.encode(sources)
            return .unchanged(kept)
        }
        let summaries = sources.compactMap(\.summary).filter { !$0.draft }
        pages.recorded = Dictionary(summaries.map { ($0.sourcePath, $0) }) { first, _ in first }
        // A changed translation without its original: whether it is an orphan, and which page
        // it probably belongs to, depends on every source page (OrphanPages).
        let sourcePaths = Set(sources.compactMap(\.summary).filter { $0.languageKey == config.sourceLanguage.key }.map(\.path))
        if let orphan = pages.changed.values.first(where: { $0.languageKey != config.sourceLanguage.key && !sourcePaths.contains($0.path) }) {
            return .fullBuild(reason: "\(orphan.sourcePath) has no source page")
        }
        // Translations that record which version of a changed source page they were made from.
        if config.staleNotice {
            for page in pages.changedBodies where page.languageKey == config.sourceLanguage.key {
                for other in summaries where other.path == page.path && other.languageKey != page.languageKey && other.sourceHash != nil {
                    guard pages.loadUnchanged(other.sourcePath) else { return .fullBuild(reason: "\(other.sourcePath) changed while it was read") }
                }
            }
        }
        // The pages whose outputs may differ: their web pages are rendered and checked again,
        // and what the last build said of them is replaced by what is said now. Other pages
        // loaded below (to print a PDF they share with one of these) keep what was said.
        let redone = Set(pages.loaded.keys)
        // Wallet cards gather the contact blocks of every page: they are kept as they are, so
        // no page redone may have one.
        if purpose.printsPamphlets,
           let page = redone.sorted().first(where: { pages.recorded[$0]?.hasContacts == true || pages.changed[$0]?.hasContacts == true }) {
            return .fullBuild(reason: "\(page) has a contact block (wallet cards)")
        }

        // The site, assembled from the summaries and the loaded pages.
        let steps = BuildSteps(siteFolder: siteFolder, builtInTheme: builtInTheme, purpose: purpose,
                               diagnostics: own, progress: nil, usesMemo: false)
        // The theme and strings as the preview's memo has them (they did not change).
        let loading = BuildSteps(siteFolder: siteFolder, builtInTheme: builtInTheme, purpose: purpose,
                                 diagnostics: own, progress: nil)
        let (theme, _) = loading.loadTheme()
        let strings = loading.resolvedStrings(config: config, theme: theme)
        var assets: [String: [String]] = [:]
        for file in scan.contentFiles where !file.hasSuffix(".md") {
            guard let slash = file.firstIndex(of: "/"), config.language(key: String(file[..<slash])) != nil else { continue }
            assets[String(file[..<slash]), default: []].append(String(file[file.index(after: slash)...]))
        }
        assets = assets.mapValues { $0.sorted() }
        func assemble() -> LoadedSite? {
            var byLanguage: [String: [Page]] = [:]
            for summary in summaries {
                guard let page = pages.loaded[summary.sourcePath] ?? decoded.pages[summary.sourcePath] else { return nil }
                byLanguage[summary.languageKey, default: []].append(page)
            }
            for key in byLanguage.keys { byLanguage[key]!.sort { $0.path < $1.path } }
            let content = Content(pages: byLanguage, assets: assets)
            return LoadedSite(config: config, theme: theme, strings: strings, content: content,
                              graph: SiteGraph(config: config, content: content, diagnostics: own,
                                                 searchTitles: SearchPage.titles(strings)), siteFolder: siteFolder)
        }
        guard var site = assemble() else { return .fullBuild(reason: "the record of a page is unreadable") }

        // Which PDFs to print again: those that show a page redone, after loading every page
        // they show (the other pages of a kit, the other half of a bilingual PDF).
        var reprinted = Set<String>()
        if purpose.printsPamphlets, summaries.contains(where: \.pamphlet) || !config.pamphlets.kits.isEmpty {
            let printed = PamphletBuilder(graph: site.graph, siteFolder: siteFolder, strings: strings, resolver: site.resolver)
                .printedSources(diagnostics: own)
                .filter { !$0.sources.isDisjoint(with: redone) }
            let shown = printed.reduce(into: Set<String>()) { $0.formUnion($1.sources) }
            if !shown.isSubset(of: pages.loaded.keys) {
                for sourcePath in shown.sorted() {
                    guard pages.loadUnchanged(sourcePath) else { return .fullBuild(reason: "\(sourcePath) changed while it was read") }
                }
                guard let again = assemble() else { return .fullBuild(reason: "the record of a page is unreadable") }
                site = again
            }
            reprinted = Set(printed.map(\.path))
        }

        // The steps of a full build on that subset (a fallback page shows its source's text too).
        steps.checkPages(redone.sorted().map { pages.loaded[$0]! }, config: config)
        let entries = site.graph.entries(showing: redone.map { pages.loaded[$0]! })
        // A page that shows an image needs the image's header (its size, its copies): the full
        // build reads them all, and takes its copies from the image cache.
        for entry in entries {
            for link in entry.page.document.links where link.isImage {
                if let file = site.resolver.imageFile(link.destination, of: entry.page, siteFolder: siteFolder), SiteImages.isImage(file) {
                    return .fullBuild(reason: "\(entry.page.sourcePath) shows an image")
                }
            }
        }
        var links = steps.resolveLinks(site, entries)
        // A file beside the pages is published only while a page uses it (`UsedAssets`): a
        // link to one the last build did not publish needs the full build's copies.
        if !config.unsafeHTML {
            let published = Set(decoded.outputPaths)
            let assets = Set(config.languages.flatMap { language in (site.content.assets[language.key] ?? []).map { "\(language.key)/\($0)" } })
            if let file = UsedAssets.targets(entries, links: links).intersection(assets).first(where: { !published.contains($0) }) {
                return .fullBuild(reason: "a changed page links to \(file), which the last build did not publish")
            }
        }
        var files = steps.renderPages(site, entries, links: links)
        if !reprinted.isEmpty, !own.hasErrors {
            let others = site.graph.entries(showing: Array(pages.loaded.values)).filter { links[$0.file] == nil }
            links.merge(steps.resolveLinks(site, others, report: false)) { first, _ in first }
            files += steps.printPamphlets(site, links: links, only: reprinted)
        }
        if own.hasErrors { return .fullBuild(reason: "the changed pages have errors") }
        var search = recordedSearch
        if config.search {
            switch searchIndexes(site, steps: steps, redone: entries, recorded: recordedSearch) {
            case .success(let (indexes, written)):
                // A language's index with another set of files (more shards as it grew) would
                // leave the old ones behind in the output folder: that is a full build's work.
                // (The preview, which records no output folder, serves what it renders.)
                let recorded = Set(decoded.outputPaths)
                if !recorded.isEmpty, let added = indexes.first(where: { !recorded.contains($0.path) }) {
                    return .fullBuild(reason: "the search index has a new file, \(added.path)")
                }
                files += indexes
                search.merge(written) { _, new in new }
            case .failure(let missing): return .fullBuild(reason: missing.reason)
            }
        }
        if purpose.measuresWeights { weigh(files, of: entries, outputPaths: decoded.outputPaths, config: config, steps: steps) }
        if own.hasErrors { return .fullBuild(reason: "the changed pages have errors") }

        // What the last build said of everything else, and what was said now.
        let kept = record.diagnostics.filter { !redone.contains($0.location.path) }
        let merged = DiagnosticsEngine()
        for diagnostic in kept + own.diagnostics { merged.emit(diagnostic) }

        var updated = record
        updated.sources = BuildCacheText.encode(sources)
        updated.search = BuildCacheText.encode(search: search)
        updated.diagnostics = merged.diagnostics
        return .write(files: files, pages: entries.count, record: updated,
                      decoded: RecordedSite(decoded, sources: sources, search: search, changed: Array(pages.changed.values)))
    }

    /// The search index of each language a redone page is searched in, the other pages'
    /// entries as recorded; with every entry of those indexes (output file -> [digest, JSON]).
    /// A failure when the record lacks the entry of a page not redone.
    private func searchIndexes(_ site: LoadedSite, steps: BuildSteps, redone entries: [PageEntry], recorded: [String: [String]])
        -> Result<([(path: String, data: Data)], [String: [String]]), FullBuild> {
        let searched = Set(entries.filter { !$0.isFallback && $0.path != TemplateContext.searchPath }.map(\.language.key))
        let renderedFiles = Set(entries.map(\.file))
        let memo = StepMemo<String>()
        for language in site.config.languages where searched.contains(language.key)
            && site.graph.entry(languageKey: language.key, path: TemplateContext.searchPath) != nil {
            for item in SearchIndex.entries(graph: site.graph, language: language) {
                let kept = recorded[item.file]
                if let kept, kept.count == 2 { memo.preload(slot: item.file, key: kept[0], value: kept[1]) }
                guard renderedFiles.contains(item.file) || (kept?.count == 2 && kept?[0] == item.digest) else {
                    return .failure(FullBuild(reason: "the record lacks the search entry of \(item.file)"))
                }
            }
        }
        let files = steps.searchIndexes(site, languages: searched, memo: memo)
        var written: [String: [String]] = [:]
        for (file, entry) in memo.snapshot() { written[file] = [entry.key, entry.value] }
        return .success((files, written))
    }

    struct FullBuild: Error {
        let reason: String
    }

    /// Page weight of the redone pages, against the other files of the output as they stand
    /// (they are the last build's, which the record's stamps have just vouched for).
    private func weigh(_ files: [(path: String, data: Data)], of entries: [PageEntry], outputPaths: [String], config: SiteConfig,
                       steps: BuildSteps) {
        var weighed = Rendered()
        weighed.files = files.filter { $0.path.hasSuffix(".html") }
        let known = Set(outputPaths)
        var loads = Set<String>()
        for page in weighed.files {
            let folder = page.path.contains("/") ? String(page.path[...page.path.lastIndex(of: "/")!]) : ""
            for href in PageWeight.loadedAddresses(in: page.data) {
                if let path = PageWeight.outputPath(of: href, from: folder, exists: known.contains) { loads.insert(path) }
            }
        }
        weighed.copies = loads.sorted().filter(known.contains).map { ($0, outputFolder.appendingPathComponent($0)) }
        steps.weighPages(weighed, entries: entries, config: config)
    }

    /// Writes what `planQuickRebuild` found once the output's stamps have shown that it is the
    /// last build's: the staging folder becomes the output with just these files replaced (the
    /// rest hard links to the output's own files) and is swapped in whole, so that a build
    /// killed or short of space at any point leaves the old output or the new one, never a mix.
    /// Then saves the record. The record is removed first, so that a build killed half-way is
    /// followed by a full one. False when the output cannot be written (a full build follows).
    func writeQuickRebuild(_ files: [(path: String, data: Data)], record: BuildCache.Record, cache: BuildCache) -> Bool {
        cache.remove()
        let paths = BuildCache.paths(ofStamps: record.outputs).filter { !$0.hasSuffix("/") }
        let root = outputFolder.path + "/"
        let changed = ParallelMap.map(files.map { QuickFile(path: $0.path, data: $0.data) }) { file -> QuickFile? in
            FileManager.default.contents(atPath: root + file.path) == file.data ? nil : file
        }.compactMap { $0 }
        if !changed.isEmpty {
            let output = OutputFolder(outputFolder)
            do {
                try output.begin()
                try output.replace(changed.map { ($0.path, $0.data) }, in: paths)
            } catch {
                output.abandon()
                return false
            }
        }
        var updated = record
        updated.outputs = changed.isEmpty ? record.outputs : BuildCache.stamps(files: paths, in: outputFolder)
        cache.save(updated)
        return true
    }
}

private struct QuickFile: Sendable {
    let path: String
    let data: Data
}

/// The pages a quick rebuild reads again: the changed ones, and those it loads to show beside
/// them (a translation's notice, the other pages of a PDF).
private struct QuickPages {
    let siteFolder: URL
    let options: MarkdownOptions
    let diagnostics: DiagnosticsEngine
    /// By source path: the page as read now.
    var loaded: [String: Page] = [:]
    /// By source path: the new summary of a page whose text changed.
    var changed: [String: PageSummary] = [:]
    /// The changed pages whose body (not only their front matter's text) changed.
    var changedBodies: [Page] = []
    /// By source path: every page's summary, as recorded or changed now.
    var recorded: [String: PageSummary] = [:]

    func load(_ summary: PageSummary) -> Page? {
        let prefix = "content/\(summary.languageKey)/"
        guard summary.sourcePath.hasPrefix(prefix) else { return nil }
        return PageLoader.load(siteFolder: siteFolder, languageKey: summary.languageKey,
                               relativePath: String(summary.sourcePath.dropFirst(prefix.count)),
                               options: options, diagnostics: diagnostics, transform: RawHTMLAllowlist.pageTransform)
    }

    /// Reads again the files whose stamp changed and loads the ones whose text changed; the
    /// reason for a full build when one is not a page or more than its text changed.
    mutating func readChanged(_ suspects: [BuildCache.Source]) -> String? {
        for source in suspects {
            guard let old = source.summary, !old.draft else { return "\(source.path) is not a page" }
            guard let page = load(old) else { return "\(source.path) cannot be read" }
            let new = page.summary(hasContacts: Contact.hasBlocks(page))
            if new.sourceDigest == old.sourceDigest { continue }
            guard new.readsTheSameAs(old) else { return "more than the text of \(source.path) changed" }
            loaded[source.path] = page
            changed[source.path] = new
            if new.bodyHash != old.bodyHash { changedBodies.append(page) }
        }
        return nil
    }

    /// Loads a page whose text did not change; false when it did meanwhile.
    mutating func loadUnchanged(_ sourcePath: String) -> Bool {
        guard loaded[sourcePath] == nil else { return true }
        guard let summary = recorded[sourcePath], let page = load(summary), page.sourceDigest == summary.sourceDigest else {
            return false
        }
        loaded[sourcePath] = page
        return true
    }
}
