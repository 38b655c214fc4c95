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
        /// Write these files (output paths), then save the record.
        case write(files: [(path: String, data: Data)], pages: Int, record: BuildCache.Record)
        case fullBuild(reason: String)
    }

    /// What a quick rebuild would write, worked out from the record and the inputs' scan alone
    /// (so that it can run while the output's stamps are taken); nothing is written here. The
    /// record's `outputs` are still the old ones.
    func planQuickRebuild(record: BuildCache.Record, decoded: RecordedSite, scan: BuildCache.Scan) -> QuickPlan {
        guard case .build = purpose else { return .fullBuild(reason: "not for this kind of build") }
        guard record.input == scan.key else { return .fullBuild(reason: "a file other than a page changed") }
        guard let recorded = decoded.sources, let recordedSearch = decoded.search,
              recorded.count == scan.sources.count, recorded.allSatisfy({ scan.sources[$0.path] != nil }) else {
            return .fullBuild(reason: "pages were added or removed")
        }
        let suspects = recorded.filter { $0.stamp.isEmpty || $0.stamp != scan.sources[$0.path] }
        if suspects.isEmpty { return .unchanged(record) }

        // The same steps as a full build's, on the pages redone, saying what they find here.
        let own = DiagnosticsEngine()
        let steps = BuildSteps(siteFolder: siteFolder, builtInTheme: builtInTheme, purpose: purpose,
                               diagnostics: own, progress: nil)
        guard let config = SiteConfig.load(siteFolder: siteFolder, diagnostics: own) else {
            return .fullBuild(reason: "site.yaml cannot be read")
        }
        let options = MarkdownOptions(unsafeHTML: config.unsafeHTML)
        func load(_ summary: PageSummary) -> Page? {
            let prefix = "content/\(summary.languageKey)/"
            guard summary.sourcePath.hasPrefix(prefix) else { return nil }
            return PageLoader.load(siteFolder: siteFolder, languageKey: summary.languageKey,
                                   relativePath: String(summary.sourcePath.dropFirst(prefix.count)),
                                   options: options, diagnostics: own)
        }

        // The files whose stamp changed: read again; the ones whose text changed are loaded.
        var loaded: [String: Page] = [:]
        var changed: [String: PageSummary] = [:]
        var changedBodies: [Page] = []
        for source in suspects {
            guard let old = source.summary, !old.draft else { return .fullBuild(reason: "\(source.path) is not a page") }
            guard let page = load(old) else { return .fullBuild(reason: "\(source.path) cannot be read") }
            let new = page.summary(hasContacts: Contact.hasBlocks(page))
            if new.sourceDigest == old.sourceDigest { continue }
            guard new.readsTheSameAs(old) else { return .fullBuild(reason: "more than the text of \(source.path) changed") }
            loaded[source.path] = page
            changed[source.path] = new
            if new.bodyHash != old.bodyHash { changedBodies.append(page) }
        }
        var sources = recorded
        for i in sources.indices {
            sources[i].stamp = scan.sources[sources[i].path] ?? ""
            if let summary = changed[sources[i].path] { sources[i].summary = summary }
        }
        if loaded.isEmpty {
            var kept = record
            kept.sources = BuildCacheText.encode(sources)
            return .unchanged(kept)
        }

        // Translations that record which version of a changed source page they were made from.
        let summaries = sources.compactMap(\.summary).filter { !$0.draft }
        let bySource = Dictionary(summaries.map { ($0.sourcePath, $0) }) { first, _ in first }
        func loadUnchanged(_ sourcePath: String) -> Bool {
            guard loaded[sourcePath] == nil else { return true }
            guard let summary = bySource[sourcePath], let page = load(summary), page.sourceDigest == summary.sourceDigest else {
                return false
            }
            loaded[sourcePath] = page
            return true
        }
        if config.staleNotice {
            for page in changedBodies where page.languageKey == config.sourceLanguage.key {
                for other in summaries where other.path == page.path && other.languageKey != page.languageKey && other.sourceHash != nil {
                    guard loadUnchanged(other.sourcePath) else { return .fullBuild(reason: "\(other.sourcePath) changed while it was read") }
                }
            }
        }
        // The pages whose outputs may differ: their web pages are rendered and checked again,
        // and what the last build said of them is replaced by what is said now. Other pages
        // loaded below (to print a PDF they share with one of these) keep what was said.
        let redone = Set(loaded.keys)
        // Wallet cards gather the contact blocks of every page: they are kept as they are, so
        // no page redone may have one.
        if purpose.printsPamphlets,
           let page = redone.sorted().first(where: { bySource[$0]?.hasContacts == true || changed[$0]?.hasContacts == true }) {
            return .fullBuild(reason: "\(page) has a contact block (wallet cards)")
        }

        // The site, assembled from the summaries and the loaded pages.
        var assets: [String: [String]] = [:]
        for file in scan.contentFiles where !file.hasSuffix(".md") {
            guard let slash = file.firstIndex(of: "/"), config.language(key: String(file[..<slash])) != nil else { continue }
            assets[String(file[..<slash]), default: []].append(String(file[file.index(after: slash)...]))
        }
        assets = assets.mapValues { $0.sorted() }
        let (theme, _) = steps.loadTheme()
        let strings = steps.resolvedStrings(config: config, theme: theme)
        func assemble() -> LoadedSite? {
            var pages: [String: [Page]] = [:]
            for summary in summaries {
                guard let page = loaded[summary.sourcePath] ?? decoded.pages[summary.sourcePath] else { return nil }
                pages[summary.languageKey, default: []].append(page)
            }
            for key in pages.keys { pages[key]!.sort { $0.path < $1.path } }
            let content = Content(pages: pages, assets: assets)
            return LoadedSite(config: config, theme: theme, strings: strings, content: content,
                              graph: SiteGraph(config: config, content: content, diagnostics: own))
        }
        guard var site = assemble() else { return .fullBuild(reason: "the record of a page is unreadable") }

        // The PDFs that show a page redone are printed again, after loading every page they
        // show (the other pages of a kit, the other half of a bilingual PDF); the others are kept.
        var reprinted = Set<String>()
        if purpose.printsPamphlets, summaries.contains(where: \.pamphlet) || !config.pamphlets.kits.isEmpty {
            let printed = PamphletBuilder(graph: site.graph, siteFolder: siteFolder, strings: strings)
                .printedSources(diagnostics: own)
                .filter { !$0.sources.isDisjoint(with: redone) }
            let shown = printed.reduce(into: Set<String>()) { $0.formUnion($1.sources) }
            if !shown.isSubset(of: loaded.keys) {
                for sourcePath in shown.sorted() {
                    guard loadUnchanged(sourcePath) else { return .fullBuild(reason: "\(sourcePath) changed while it was read") }
                }
                guard let again = assemble() else { return .fullBuild(reason: "the record of a page is unreadable") }
                site = again
            }
            reprinted = Set(printed.map(\.path))
        }

        // The redone pages' checks and outputs (a fallback page shows its source's text too).
        steps.checkPages(redone.sorted().map { loaded[$0]! })
        let entries = site.graph.entries(showing: redone.map { loaded[$0]! })
        var links = steps.resolveLinks(site, entries)
        var files = steps.renderPages(site, entries, links: links)
        if !reprinted.isEmpty, !own.hasErrors {
            let others = site.graph.entries(showing: Array(loaded.values)).filter { links[$0.file] == nil }
            links.merge(steps.resolveLinks(site, others, report: false)) { first, _ in first }
            files += steps.printPamphlets(site, links: links, only: reprinted)
        }
        if own.hasErrors { return .fullBuild(reason: "the changed pages have errors") }

        // The search index of each language a loaded page is searched in: the other pages'
        // entries as recorded (a page missing from the record means a full build).
        var search = recordedSearch
        if config.search {
            let searched = Set(entries.filter { !$0.isFallback && $0.path != TemplateContext.searchPath }.map(\.language.key))
            let renderedFiles = Set(entries.map(\.file))
            let memo = StepMemo<String>()
            for language in config.languages where searched.contains(language.key)
                && site.graph.entry(languageKey: language.key, path: TemplateContext.searchPath) != nil {
                for item in SearchIndex.entries(graph: site.graph, language: language) {
                    let kept = recordedSearch[item.file]
                    if let kept, kept.count == 2 { memo.preload(slot: item.file, key: kept[0], value: kept[1]) }
                    guard renderedFiles.contains(item.file) || (kept?.count == 2 && kept?[0] == item.digest) else {
                        return .fullBuild(reason: "the record lacks the search entry of \(item.file)")
                    }
                }
            }
            files += steps.searchIndexes(site, languages: searched, memo: memo)
            for (file, entry) in memo.snapshot() { search[file] = [entry.key, entry.value] }
        }

        // Page weight, against the other files of the output as they stand (they are the last
        // build's, which the record's stamps have just vouched for).
        if purpose.measuresWeights {
            var weighed = Rendered()
            weighed.files = files.filter { $0.path.hasSuffix(".html") }
            let known = Set(decoded.outputPaths)
            var loads = Set<String>()
            for page in weighed.files {
                let folder = page.path.contains("/") ? String(page.path[...page.path.lastIndex(of: "/")!]) : ""
                for href in PageWeight.loadedAddresses(in: page.data) {
                    if let path = PageWeight.outputPath(of: href, from: folder, exists: known.contains) { loads.insert(path) }
                }
            }
            weighed.copies = loads.sorted().filter(known.contains).map { ($0, outputFolder.appendingPathComponent($0)) }
            steps.weighPages(weighed, entries: entries)
        }
        if own.hasErrors { return .fullBuild(reason: "the changed pages have errors") }

        // What the last build said of everything else, and what was said now.
        let kept = record.diagnostics.filter { !redone.contains($0.location.path) }
        let merged = DiagnosticsEngine()
        for diagnostic in kept + own.diagnostics { merged.emit(diagnostic) }

        var updated = record
        updated.sources = BuildCacheText.encode(sources)
        updated.search = BuildCacheText.encode(search: search)
        updated.diagnostics = merged.diagnostics
        return .write(files: files, pages: entries.count, record: updated)
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
