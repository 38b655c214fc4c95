import Foundation
import MonarchContent
import MonarchCore
import MonarchMarkdown

/// What a build did, for the summary line.
public struct BuildSummary: Sendable {
    public var pages = 0
    public var languages = 0
    public var pamphlets = 0
    public var files = 0
    public var seconds = 0.0
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

    public init(siteFolder: URL, outputFolder: URL? = nil, builtInTheme: URL? = Theme.builtInFolder(),
                diagnostics: DiagnosticsEngine) {
        self.siteFolder = siteFolder.standardizedFileURL
        self.outputFolder = (outputFolder ?? siteFolder.appendingPathComponent("public")).standardizedFileURL
        self.builtInTheme = builtInTheme
        self.diagnostics = diagnostics
    }

    /// Runs every step; writes the output only when `write` is set and no error was found.
    /// Returns nil when the site has errors.
    public func run(write: Bool) -> BuildSummary? {
        let start = Date()
        guard let rendered = render() else { return nil }
        var summary = BuildSummary()
        summary.pages = rendered.pageCount
        summary.languages = rendered.languageCount
        summary.pamphlets = rendered.pamphletCount
        summary.files = rendered.files.count + rendered.copies.count
        if write {
            progress?("writing \(summary.files) files")
            do {
                try self.write(rendered)
            } catch {
                diagnostics.error(SourceLocation(path: outputFolder.path),
                    "cannot write the output (\(error.localizedDescription)); the previous output is unchanged")
                return nil
            }
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// The output in memory: generated files and files to copy, by output path.
    public struct Rendered: Sendable {
        public var files: [(path: String, data: Data)] = []
        public var copies: [(path: String, source: URL)] = []
        public var pageCount = 0
        public var languageCount = 0
        public var pamphletCount = 0
    }

    /// The translation state of every page (for `monarch status`); nil when the site has errors
    /// that keep it from loading.
    public func translationStatus() -> TranslationStatus? {
        guard let config = SiteConfig.load(siteFolder: siteFolder, diagnostics: diagnostics) else { return nil }
        let content = ContentLoader.load(siteFolder: siteFolder, config: config, diagnostics: diagnostics)
        let graph = SiteGraph(config: config, content: content, diagnostics: diagnostics)
        return TranslationStatus(graph: graph)
    }

    /// Loads, checks and renders the whole site in memory; nil when it has errors.
    public func render() -> Rendered? {
        guard let config = SiteConfig.load(siteFolder: siteFolder, diagnostics: diagnostics) else { return nil }
        let builtIn = builtInTheme
        let theme = Theme.load(siteFolder: siteFolder, builtIn: builtIn, diagnostics: diagnostics)
        let strings = loadStrings(config: config, builtIn: builtIn)
            .resolved(required: theme.interfaceKeys + TemplateContext.interfaceKeys, config: config,
                      diagnostics: diagnostics)
        progress?("reading content")
        let content = ContentLoader.load(siteFolder: siteFolder, config: config, diagnostics: diagnostics)
        let graph = SiteGraph(config: config, content: content, diagnostics: diagnostics)
        progress?("checking \(content.pages.values.reduce(0) { $0 + $1.count }) pages")
        let staticFolder = siteFolder.appendingPathComponent("static")
        let staticFiles = FileList.files(in: staticFolder, site: siteFolder, display: "static", diagnostics: diagnostics)
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
        progress?("rendering \(entries.count) pages")

        var rendered = Rendered()
        let pages = ParallelMap.map(Array(zip(entries, urls)).map(EntryLinks.init)) { item -> (String, Data) in
            let html = item.entry.page.document.html(resolveURL: { item.urls[$0] ?? $0 },
                codeBlock: Contact.renderer(for: item.entry.page, labels: strings[item.entry.page.languageKey] ?? [:]))
            let page = theme.render(Theme.pageTemplate, context.page(item.entry, content: html))
            return (item.entry.file, Data(page.utf8))
        }
        rendered.files = pages.map { (path: $0.0, data: $0.1) }
        if printPamphlets, entries.contains(where: { $0.page.frontMatter.pamphlet }) || !config.pamphlets.kits.isEmpty {
            progress?("printing pamphlets")
            let urlsByFile = Dictionary(uniqueKeysWithValues: zip(entries.map(\.file), urls))
            let pdfs = PamphletBuilder(graph: graph, siteFolder: siteFolder, strings: strings)
                .render(urls: urlsByFile, diagnostics: diagnostics)
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
        rendered.files += SearchIndex.files(graph: graph, strings: strings)

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
        if let line = SearchIndex.report(rendered) { progress?(line) }
        if measureWeights {
            PageWeight.check(rendered, sources: Dictionary(uniqueKeysWithValues: entries.map { ($0.file, $0.page.sourcePath) }),
                             diagnostics: diagnostics, progress: progress)
        }
        checkCollisions(rendered)
        return diagnostics.hasErrors ? nil : rendered
    }

    /// Privacy (errors, always) and, for `monarch check`, editorial warnings.
    private func check(graph: SiteGraph, content: Content, staticFiles: [String]) {
        PrivacyCheck.scanFiles(in: siteFolder.appendingPathComponent("templates"), display: "templates", diagnostics: diagnostics)
        for file in staticFiles {
            PrivacyCheck.scan(siteFolder.appendingPathComponent("static/\(file)"), display: "static/\(file)", diagnostics: diagnostics)
        }
        for (key, assets) in content.assets {
            for asset in assets {
                let path = "content/\(key)/\(asset)"
                PrivacyCheck.scan(siteFolder.appendingPathComponent(path), display: path, diagnostics: diagnostics)
            }
        }
        let diagnostics = self.diagnostics
        let editorial = editorialChecks
        let pages = content.pages.values.flatMap { $0 }
        _ = ParallelMap.map(pages) { page -> Bool in
            ContentChecks.privacy(page, diagnostics: diagnostics)
            _ = Contact.contacts(in: page, diagnostics: diagnostics)
            if editorial { ContentChecks.editorial(page, diagnostics: diagnostics) }
            return true
        }
        if editorial { ContentChecks.missingTranslations(graph, diagnostics: diagnostics) }
    }

    private func loadStrings(config: SiteConfig, builtIn: URL?) -> InterfaceStrings {
        let own = siteFolder.appendingPathComponent("translations")
        if FileManager.default.fileExists(atPath: own.path) {
            return InterfaceStrings.load(folder: own, displayPrefix: "translations", config: config, diagnostics: diagnostics)
        }
        guard let builtIn else { return InterfaceStrings() }
        return InterfaceStrings.load(folder: builtIn.appendingPathComponent("translations"),
                                     displayPrefix: "<built-in>/translations", config: config, diagnostics: diagnostics)
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
        let output = OutputFolder(outputFolder)
        try output.begin()
        do {
            try output.write(files: rendered.files, copies: rendered.copies)
            try output.commit()
        } catch {
            output.abandon()
            throw error
        }
    }
}

private struct EntryLinks: Sendable {
    let entry: PageEntry
    let urls: [String: String]
}
