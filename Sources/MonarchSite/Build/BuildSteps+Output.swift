import Foundation
import MonarchContent
import MonarchCore
import MonarchMarkdown
import MonarchPrint

/// The steps that make the output's files, from the loaded site and the resolved links.
extension BuildSteps {
    typealias File = (path: String, data: Data)

    // MARK: Render pages

    /// The web page of each entry. With a memo (the preview), a page whose text and links are
    /// unchanged is not turned into HTML again, and one whose template values are unchanged is
    /// not rendered again.
    func renderPages(_ site: LoadedSite, _ entries: [PageEntry], links: [String: [String: String]],
                     images: SiteImages = SiteImages()) -> [File] {
        progress?("rendering \(entries.count) pages")
        let diagnostics = self.diagnostics
        let theme = site.theme, context = site.context, strings = site.strings
        let showChecked = site.config.showContactChecked
        let siteFolder = self.siteFolder
        @Sendable func pictures(_ entry: PageEntry) -> [String: ResponsiveImage] {
            images.plans.isEmpty ? [:] : images.responsive(for: entry, urls: links[entry.file] ?? [:], site: site, siteFolder: siteFolder)
        }
        guard let memo else {
            return ParallelMap.map(entries) { entry -> File in
                let html = Self.contentHTML(entry, urls: links[entry.file] ?? [:], strings: strings, showChecked: showChecked,
                                            pictures: pictures(entry))
                return (entry.file, Data(theme.render(Theme.pageTemplate, context.page(entry, content: html)).utf8))
            }
        }
        let pageKeyPrefix = site.themeDigest + "\n"
        // Every page of a language hands its templates the same `t` (its interface strings):
        // it is keyed once here, and left out of each page's own key.
        let stringsKeys: [String: String] = site.config.languages.reduce(into: [:]) { keys, language in
            keys[language.key] = context.stringsTable(language.key).flatMap(TemplateValues.key)
        }
        let pages = ParallelMap.map(entries) { entry -> File in
            let urls = links[entry.file] ?? [:]
            let labels = strings[entry.page.languageKey] ?? [:]
            let linkKey = urls.keys.sorted().map { "\($0)\u{0}\(urls[$0]!)" }.joined(separator: "\u{0}")
            let shown = pictures(entry)
            let pictureKey = shown.keys.sorted().map { "\($0)\u{0}\(shown[$0]!.key)" }.joined(separator: "\u{0}")
            let key = entry.page.sourceDigest + "\n" + linkKey + "\n" + pictureKey + Self.contentLabelKey(labels) + "\(showChecked)"
            let content = memo.content.value(slot: entry.file, key: key, diagnostics: diagnostics) { _ in
                Self.contentHTML(entry, urls: urls, strings: strings, showChecked: showChecked, pictures: shown)
            }
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
        let files = Set(entries.map(\.file))
        memo.content.keepOnly(files)
        memo.output.keepOnly(files)
        return pages
    }

    /// The interface strings a page's content HTML shows (contact labels, callout titles,
    /// footnote names), as part of its memo key: the HTML changes with them.
    static func contentLabelKey(_ labels: [String: String]) -> String {
        "\n" + (Contact.interfaceKeys + MarkdownLabelStrings.interfaceKeys).map { labels[$0.key] ?? "" }.joined(separator: "\u{0}")
    }

    /// A page's Markdown as HTML, its links resolved to `urls` and its contact blocks drawn
    /// with the interface strings of its language.
    static func contentHTML(_ entry: PageEntry, urls: [String: String], strings: [String: [String: String]],
                            showChecked: Bool, pictures: [String: ResponsiveImage] = [:]) -> String {
        let labels = strings[entry.page.languageKey] ?? [:]
        return entry.page.document.html(resolveURL: { urls[$0] ?? $0 },
                                        codeBlock: Contact.renderer(for: entry.page, labels: labels, showChecked: showChecked),
                                        labels: MarkdownLabelStrings.labels(labels),
                                        responsiveImage: pictures.isEmpty ? nil : { pictures[$0] })
    }

    // MARK: Print pamphlets

    /// The PDFs (a print worker: its share of them; `only`: just those output paths); none
    /// when the purpose prints none or the site has none.
    func printPamphlets(_ site: LoadedSite, links: [String: [String: String]], only: Set<String>? = nil) -> [File] {
        guard purpose.printsPamphlets, site.hasPamphlets else { return [] }
        progress?("printing pamphlets")
        return PamphletBuilder(graph: site.graph, siteFolder: siteFolder, strings: site.strings, resolver: site.resolver)
            .render(urls: links, diagnostics: diagnostics, workers: purpose.printWorkers, builtIn: builtInTheme,
                    share: purpose.printShare, only: only, progress: progress)
    }

    /// Starts, in the background, what printing will need and takes a while to load (Thai
    /// word breaking), as soon as the site is known to print pamphlets.
    func warmUpPrinting(_ site: LoadedSite) {
        guard purpose.printsPamphlets, site.hasPamphlets else { return }
        PrintWarmUp.begin(languageTags: site.config.languages.map(\.tag))
    }

    /// The wallet cards, made from every page's contact blocks.
    func printWalletCards(_ site: LoadedSite) -> [File] {
        guard purpose.printsPamphlets else { return [] }
        return WalletCardBuilder(graph: site.graph, siteFolder: siteFolder, strings: site.strings).render(diagnostics: diagnostics)
    }

    // MARK: Write extras

    /// The language chooser, the 404 page and (with a base URL) the sitemap.
    func extras(_ site: LoadedSite) -> [File] {
        var files: [File] = [
            ("index.html", Data(site.theme.render(Theme.chooserTemplate, site.context.chooser()).utf8)),
            ("404.html", Data(site.theme.render(Theme.notFoundTemplate, site.context.notFound()).utf8)),
        ]
        if let base = site.config.baseURL {
            files.append(("sitemap.xml", Data(Sitemap.render(graph: site.graph, baseURL: base).utf8)))
        }
        return files
    }

    // MARK: Search indexes

    /// The search index of each language (of `languages` only, when given). With `memo`, a page
    /// whose text is unchanged keeps its written entry.
    func searchIndexes(_ site: LoadedSite, languages: Set<String>? = nil, memo: StepMemo<String>?) -> [File] {
        if site.config.search { progress?("indexing for search") }
        return SearchIndex.files(graph: site.graph, strings: site.strings, languages: languages, memo: memo)
    }

    // MARK: Copies, offline files, security headers

    /// The files copied as they are: the theme's assets, the pages' assets, static/ (but for
    /// the images, which `imageFiles` publishes).
    /// `used`: the content files pages use (`UsedAssets`); nil: all of them.
    func copies(_ site: LoadedSite, images: SiteImages = SiteImages(), used: Set<String>? = nil) -> [(path: String, source: URL)] {
        let processed = images.originalPaths
        var copies: [(path: String, source: URL)] = site.theme.assets.map { ($0.path, $0.url) }
        for language in site.config.languages {
            for asset in site.content.assets[language.key] ?? [] where used?.contains("\(language.key)/\(asset)") ?? true {
                copies.append(("\(language.key)/\(asset)", siteFolder.appendingPathComponent("content/\(language.key)/\(asset)")))
            }
        }
        let staticFolder = siteFolder.appendingPathComponent("static")
        for file in site.staticFiles { copies.append((file, staticFolder.appendingPathComponent(file))) }
        return processed.isEmpty ? copies : copies.filter { !processed.contains($0.path) }
    }

    /// The offline pages, their lists of files and the worker (site.yaml `offline`).
    func offlineFiles(_ site: LoadedSite, images: SiteImages = SiteImages(), into rendered: inout SiteBuilder.Rendered) {
        OfflinePage.add(to: &rendered, graph: site.graph, theme: site.theme, context: site.context,
                        leaving: images.originalPaths, diagnostics: diagnostics)
    }

    /// The web server's headers (site.yaml `security_headers`), from the pages' policy.
    func securityHeaders(_ site: LoadedSite, into rendered: inout SiteBuilder.Rendered) {
        if site.config.securityHeaders { SecurityHeaders.add(to: &rendered, diagnostics: diagnostics) }
    }

    // MARK: Page weights

    /// The search indexes' size (a verbose line) and each page's gzipped weight with what it
    /// loads (a warning over budget) at the page's source (from `entries`).
    func weighPages(_ rendered: SiteBuilder.Rendered, entries: [PageEntry], config: SiteConfig) {
        if let progress, let line = SearchIndex.report(rendered) { progress(line) }
        guard purpose.measuresWeights else { return }
        let pageBudgets = Dictionary(entries.compactMap { entry in
            entry.page.frontMatter.weightBudgetKB.map { (entry.file, $0 * 1024) }
        }) { first, _ in first }
        PageWeight.check(rendered, sources: Dictionary(entries.map { ($0.file, $0.page.sourcePath) }) { first, _ in first },
                         siteBudget: (config.weightBudgetKB ?? PageWeight.budget / 1024) * 1024, pageBudgets: pageBudgets,
                         diagnostics: diagnostics, progress: progress)
    }

    // MARK: Collisions

    /// Two sources for one output path is an error: nothing may be silently overwritten.
    func checkCollisions(_ rendered: SiteBuilder.Rendered) {
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
}
