import Foundation
import MonarchContent
import MonarchCore
import MonarchMarkdown
import MonarchPrint

/// Prints every page marked `pamphlet: true`, in each language it is translated into, from
/// the same parsed document as its web page; plus booklets, bilingual pamphlets and kits as
/// site.yaml's `pamphlets:` asks. A problem is an error at the page's path:line:col.
struct PamphletBuilder {
    let graph: SiteGraph
    let siteFolder: URL
    let strings: [String: [String: String]]
    /// Finds a page's images as its web page does.
    let resolver: LinkResolver

    private var config: SiteConfig { graph.config }

    /// The PDFs to write, by output path. With `workers`, other processes print their shares
    /// (`PrintWorkers`); with `share`, this process is a worker and prints only its own. With
    /// `only`, just the PDFs of those output paths are printed, in this process.
    func render(urls: [String: [String: String]], diagnostics: DiagnosticsEngine,
                workers: PrintWorkers? = nil, builtIn: URL? = nil,
                share: (index: Int, count: Int)? = nil, only: Set<String>? = nil,
                progress: (@Sendable (String) -> Void)? = nil) -> [(path: String, data: Data)] {
        var options = PamphletOptions(paper: config.pamphlets.paper, creationDate: creationDate())
        var jobs = self.jobs(urls: urls, diagnostics: diagnostics)
        // One set of font subsets for every PDF of the build, made from all of them (not only
        // this process's share or the ones a quick rebuild prints), so that every process
        // finds the same subsets in the cache.
        var characters: [String: Set<UInt32>] = [:]
        for job in jobs {
            for (tag, set) in PrintFonts.characters(of: job.pages, extra: job.extra) { characters[tag, default: []].formUnion(set) }
        }
        if !jobs.isEmpty { options.fonts = PrintFonts.prepare(charactersByTag: characters) }
        let jobOptions = options
        var workers = workers
        if let only {
            jobs = jobs.filter { only.contains($0.path) }
            workers = nil
        }
        let count = share?.count ?? workers?.count ?? 1
        let shares = PrintWorkers.shares(costs: jobs.map(\.cost), count: count)
        func printJobs(_ selected: [Job]) -> [String: Data] {
            var files: [String: Data] = [:]
            // The longest first, so that no core is left with a long one at the end.
            let longestFirst = selected.sorted { $0.cost > $1.cost }
            let results = ParallelMap.map(longestFirst) { job -> (String, Result<Data, PamphletProblems>) in
                var options = jobOptions
                options.unprintable = { characters in Self.warnUnprintable(characters, in: job, diagnostics: diagnostics) }
                return (job.path, job.make(options))
            }
            for (path, result) in results {
                switch result {
                case .success(let data): files[path] = data
                case .failure(let problems):
                    for problem in problems {
                        diagnostics.error(problem.location,
                                          problem.message)
                    }
                }
            }
            return files
        }
        func selected(_ wanted: Set<Int>) -> [Job] { jobs.indices.filter { wanted.contains(shares[$0]) }.map { jobs[$0] } }

        var printed: [String: Data] = [:]
        if let share {
            printed = printJobs(selected([share.index]))
        } else if let workers, count > 1, jobs.count > 1 {
            let scratch = PrintWorkers.scratchFolder()
            defer { try? FileManager.default.removeItem(at: scratch) }
            let running = (1..<count).compactMap {
                workers.start(share: $0, siteFolder: siteFolder, builtIn: builtIn, parent: scratch)
            }
            let started = Set(running.map(\.share))
            printed = printJobs(selected(Set(0..<count).subtracting(started)))
            var byWorkers = 0
            for worker in running {
                if let result = worker.result() {
                    for file in result.files { printed[file.path] = file.data }
                    for diagnostic in result.diagnostics { diagnostics.emit(diagnostic) }
                    byWorkers += result.files.count
                } else {
                    // A worker that failed: print its share here.
                    printed.merge(printJobs(selected([worker.share]))) { $1 }
                }
            }
            progress?("printed \(printed.count - byWorkers) pamphlets here and \(byWorkers) in \(running.count) worker process\(running.count == 1 ? "" : "es")")
        } else {
            printed = printJobs(jobs)
        }
        return jobs.compactMap { job in printed[job.path].map { (job.path, $0) } }
    }

    /// Every PDF the site prints, with the source pages it shows: a quick rebuild prints again
    /// only those that show a changed page, after loading all the pages they show.
    func printedSources(diagnostics: DiagnosticsEngine) -> [(path: String, sources: Set<String>)] {
        jobs(urls: [:], diagnostics: diagnostics).map { ($0.path, $0.sources) }
    }

    /// What `render` prints: each page's PDF (and booklet, and bilingual PDF), then the kits.
    /// A PDF is laid out only when its job runs.
    private func jobs(urls: [String: [String: String]], diagnostics: DiagnosticsEngine) -> [Job] {
        var jobs: [Job] = []
        for entry in graph.allEntries where entry.page.frontMatter.pamphlet && !entry.isFallback {
            let key = entry.language.key
            let page = pamphletPage(entry, urls: urls[entry.file] ?? [:])
            let cost = Self.cost(entry)
            let own: Set<String> = [entry.page.sourcePath]
            jobs.append(Job(path: PamphletPaths.pdf(languageKey: key, path: entry.path), cost: cost, sources: own, pages: [page]) {
                Pamphlet.render(page, options: $0)
            })
            if config.pamphlets.booklet {
                jobs.append(Job(path: PamphletPaths.booklet(languageKey: key, path: entry.path), cost: cost, sources: own, pages: [page]) {
                    Pamphlet.booklet(page, options: $0)
                })
            }
            if let other = config.pamphlets.bilingual, other != key,
               let partner = graph.entry(languageKey: other, path: entry.path), !partner.isFallback {
                let right = pamphletPage(partner, urls: urls[partner.file] ?? [:])
                jobs.append(Job(path: PamphletPaths.bilingual(languageKey: key, with: other, path: entry.path),
                                cost: cost + Self.cost(partner), sources: own.union([partner.page.sourcePath]), pages: [page, right]) {
                    Pamphlet.bilingual(page, right, options: $0)
                })
            }
        }
        for kit in config.pamphlets.kits {
            for language in config.languages {
                var pages: [PamphletPage] = []
                var sources = Set<String>()
                var cost = 0
                for path in kit.pages {
                    guard let entry = graph.entry(languageKey: language.key, path: path) else {
                        if language.key == config.sourceLanguage.key {
                            diagnostics.error(kit.location, "kit '\(kit.name)' lists '\(path)', which is not a page; use a path like help/hotlines")
                        }
                        continue
                    }
                    pages.append(pamphletPage(entry, urls: urls[entry.file] ?? [:]))
                    sources.insert(entry.page.sourcePath)
                    cost += Self.cost(entry)
                }
                guard !pages.isEmpty else { continue }
                let title = strings[language.key]?["title"] ?? config.title
                let kitPages = pages
                jobs.append(Job(path: PamphletPaths.kit(name: kit.name, languageKey: language.key), cost: cost, sources: sources,
                                pages: kitPages, extra: [title]) {
                    Pamphlet.kit(title: title, pages: kitPages, options: $0)
                })
            }
        }
        return jobs
    }

    private struct Job: Sendable {
        let path: String
        /// How long it takes to print, roughly: the bytes of its text.
        let cost: Int
        /// The source pages it shows.
        let sources: Set<String>
        /// The pages it prints, and other text it prints (a kit's title): their characters
        /// go into the build's font subsets.
        var pages: [PamphletPage]
        var extra: [String] = []
        let make: @Sendable (PamphletOptions) -> Result<Data, PamphletProblems>
    }

    /// A warning at each page of the PDF whose text has characters no installed font has
    /// (printed as boxes); characters of no page (a kit's title) at its first page. So a
    /// quick rebuild that redoes the page also redoes what was said of it.
    private static func warnUnprintable(_ characters: [Character], in job: Job, diagnostics: DiagnosticsEngine) {
        var left = characters
        var byPage: [(path: String, characters: [Character])] = []
        for page in job.pages {
            let own = PrintFonts.characters(of: [page]).values.reduce(into: Set<UInt32>()) { $0.formUnion($1) }
            let here = left.filter { $0.unicodeScalars.allSatisfy { own.contains($0.value) } }
            guard !here.isEmpty else { continue }
            byPage.append((page.sourcePath, here))
            left.removeAll { here.contains($0) }
        }
        if !left.isEmpty { byPage.append((job.pages.first?.sourcePath ?? job.path, left)) }
        for (path, found) in byPage {
            let named = found.map { c in
                "\(c) (" + c.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ") + ")"
            }
            diagnostics.warning(SourceLocation(path: path),
                "\(job.path) prints \(named.joined(separator: ", ")) as a box: no installed font has \(named.count == 1 ? "it" : "them"); "
                + "install a font that does (Debian fonts-symbola has most emoji) or write the text another way")
        }
    }

    private static func cost(_ entry: PageEntry) -> Int {
        entry.page.document.plainText.utf8.count
    }

    /// One language of one page, with links and images resolved as on its web page.
    private func pamphletPage(_ entry: PageEntry, urls: [String: String]) -> PamphletPage {
        let key = entry.language.key
        let base = config.baseURL
        let folder = entry.folder
        let siteFolder = self.siteFolder
        var page = PamphletPage(
            // With `unsafe_html` the web page shows raw HTML as written; paper prints what the
            // allowlist keeps of it, so that the text is not lost there.
            document: RawHTMLAllowlist.forPaper(entry.page.document),
            title: entry.page.title,
            author: strings[key]?["title"] ?? config.title,
            subject: entry.page.description,
            languageTag: entry.language.tag,
            footerText: strings[key]?["title"] ?? config.title,
            webAddress: base.map { $0 + PercentEncoding.uriPath(folder) },
            resolveLink: { destination in
                // Internal links become absolute web addresses when base_url is set; without
                // it they have no address a reader could type, and print as plain text.
                guard let relative = urls[destination] else { return destination }
                guard let base, let page = URL(string: base + PercentEncoding.uriPath(folder)),
                      let absolute = URL(string: relative, relativeTo: page)?.absoluteString else { return relative }
                return absolute
            },
            resolveImage: { [resolver, content = entry.page] destination in
                resolver.imageFile(destination, of: content, siteFolder: siteFolder).map { siteFolder.appendingPathComponent($0) }
            },
            sourcePath: entry.page.sourcePath,
            bodyLineOffset: entry.page.bodyLineOffset)
        page.contacts = Contact.printed(for: entry.page, labels: strings[entry.page.languageKey] ?? [:],
                                        showChecked: config.showContactChecked)
        page.labels = MarkdownLabelStrings.labels(strings[entry.page.languageKey] ?? [:])
        return page
    }

    private func creationDate() -> Date { BuildDate.creation() }
}
