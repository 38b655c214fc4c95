import Foundation
import MonarchContent
import MonarchCore
import MonarchMarkdown

/// The steps of a build, each with one job, in the order `SiteBuilder.render` runs them. The
/// quick rebuild calls the same steps on the pages it redoes (`QuickRebuild`), with its own
/// diagnostics; what a step does differently for `monarch check`, the preview or a print
/// worker it reads from `purpose`.
struct BuildSteps {
    let siteFolder: URL
    let builtInTheme: URL?
    let purpose: BuildPurpose
    let diagnostics: DiagnosticsEngine
    let progress: (@Sendable (String) -> Void)?
    /// What the last build of this process made (the purpose's `RenderMemo`, the preview's).
    /// Without `usesMemo` (the quick rebuild's steps that render a subset of the pages) none:
    /// a memo keeps only the pages of the last build it saw.
    let memo: RenderMemo?
    /// Copies of images made by earlier builds into the same output folder (`ImageCache`).
    var imageCache: ImageCache?

    init(siteFolder: URL, builtInTheme: URL?, purpose: BuildPurpose, diagnostics: DiagnosticsEngine,
         progress: (@Sendable (String) -> Void)?, usesMemo: Bool = true) {
        self.siteFolder = siteFolder
        self.builtInTheme = builtInTheme
        self.purpose = purpose
        self.diagnostics = diagnostics
        self.progress = progress
        memo = usesMemo ? purpose.memo : nil
    }

    // MARK: Load the site

    /// site.yaml, the theme, the interface strings, the content and the graph of pages; nil
    /// when site.yaml cannot be read.
    func loadSite() -> LoadedSite? {
        guard let config = SiteConfig.load(siteFolder: siteFolder, diagnostics: diagnostics) else { return nil }
        if let missing = Theme.missingBuiltIn(builtInTheme, siteFolder: siteFolder) {
            diagnostics.emit(missing)
            return nil
        }
        let (theme, themeDigest) = loadTheme()
        let strings = resolvedStrings(config: config, theme: theme)
        progress?("reading content")
        let content = ContentLoader.load(siteFolder: siteFolder, config: config, diagnostics: diagnostics,
                                         memo: memo?.pages, transform: RawHTMLAllowlist.pageTransform)
        let graph = SiteGraph(config: config, content: content, diagnostics: diagnostics,
                              searchTitles: SearchPage.titles(strings))
        let staticFiles = FileList.files(in: siteFolder.appendingPathComponent("static"), site: siteFolder, display: "static",
                                         diagnostics: diagnostics, unsafeHTML: config.unsafeHTML)
        return LoadedSite(config: config, theme: theme, themeDigest: themeDigest, strings: strings,
                          content: content, graph: graph, staticFiles: staticFiles, siteFolder: siteFolder)
    }

    /// The theme, and with a memo the digest of what it was loaded from: a rendered page is
    /// reused only with the same theme, its templates being part of every page's key.
    func loadTheme() -> (Theme, digest: String) {
        let siteFolder = self.siteFolder
        let builtIn = builtInTheme
        guard let memo else { return (Theme.load(siteFolder: siteFolder, builtIn: builtIn, diagnostics: diagnostics), "") }
        let key = RenderMemo.themeKey(siteFolder: siteFolder, builtIn: builtIn)
        let theme = memo.theme.value(slot: "theme", key: key, diagnostics: diagnostics) { own in
            Theme.load(siteFolder: siteFolder, builtIn: builtIn, diagnostics: own)
        }
        return (theme, SourceHash.digest(key))
    }

    /// The interface strings, checked against the keys the theme and the pages use.
    func resolvedStrings(config: SiteConfig, theme: Theme) -> [String: [String: String]] {
        loadStrings(config: config)
            .resolved(required: theme.interfaceKeys + TemplateContext.interfaceKeys, optional: theme.optionalInterfaceKeys,
                      config: config, diagnostics: diagnostics)
    }

    /// The site's own strings laid over the built-in ones key by key, as its templates are laid
    /// over the built-in theme file by file: a site may change one string, or add a language,
    /// without copying every file, and a new key that an upgrade of monarch brings has its
    /// built-in text until the site translates it.
    func loadStrings(config: SiteConfig) -> InterfaceStrings {
        let own = siteFolder.appendingPathComponent("translations")
        let hasOwn = FileManager.default.fileExists(atPath: own.path)
        let base = builtInTheme?.appendingPathComponent("translations")
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

    // MARK: Check pages

    /// Privacy (errors, always) of the files and pages, translations left without their
    /// original (warnings, always), and for `monarch check` the editorial warnings.
    func checkSite(_ site: LoadedSite) {
        progress?("checking \(site.content.pages.values.reduce(0) { $0 + $1.count }) pages")
        checkFiles(site)
        checkPages(site.pages, config: site.config)
        OrphanPages(content: site.content, config: site.config).warn(config: site.config, diagnostics: diagnostics)
        if purpose.editorialChecks {
            ContentChecks.missingTranslations(site.graph, diagnostics: diagnostics)
            ContentChecks.untranslatedAltText(site.graph, diagnostics: diagnostics)
        }
    }

    /// The templates, static files and content assets, for what a reader's browser would fetch.
    func checkFiles(_ site: LoadedSite) {
        let scans = memo?.fileScans
        PrivacyCheck.scanFiles(in: siteFolder.appendingPathComponent("templates"), display: "templates",
                               diagnostics: diagnostics, memo: scans)
        for file in site.staticFiles {
            PrivacyCheck.scan(siteFolder.appendingPathComponent("static/\(file)"), display: "static/\(file)",
                              diagnostics: diagnostics, memo: scans)
        }
        for (key, assets) in site.content.assets {
            for asset in assets {
                let path = "content/\(key)/\(asset)"
                PrivacyCheck.scan(siteFolder.appendingPathComponent(path), display: path, diagnostics: diagnostics, memo: scans)
            }
        }
    }

    /// Each page's own checks: privacy (errors), its contact blocks, and for `monarch check`
    /// the editorial warnings.
    func checkPages(_ pages: [Page], config: SiteConfig) {
        let diagnostics = self.diagnostics
        let editorial = purpose.editorialChecks
        let memo = self.memo?.privacy
        let today = BuildDate.today(), months = config.contactCheckMonths
        let languageKeys = config.languages.map(\.key)
        for page in pages where !page.frontMatter.untranslated.isEmpty {
            let location = page.frontMatter.untranslatedLocation ?? SourceLocation(path: page.sourcePath)
            guard page.languageKey == config.sourceLanguage.key else {
                diagnostics.warning(location, "'untranslated' says which languages a source page is left untranslated in; "
                                    + "it means nothing in a translation: remove it here, or write it in the \(config.sourceLanguage.name) page")
                continue
            }
            for key in page.frontMatter.untranslated {
                if !languageKeys.contains(key) {
                    diagnostics.error(location, "untranslated: '\(key)' is not a language key\(Suggestion.hint(for: key, in: languageKeys))")
                } else if key == config.sourceLanguage.key {
                    diagnostics.error(location, "untranslated: '\(key)' is the source language, which this page is written in; remove it")
                }
            }
        }
        // A pamphlet's file is named for its page and languages (`name.th-en.pdf`): a page
        // name a file system holds may still make a pamphlet name it cannot.
        for page in pages where page.frontMatter.pamphlet {
            let key = page.languageKey
            var files = [PamphletPaths.pdf(languageKey: key, path: page.path)]
            if config.pamphlets.booklet { files.append(PamphletPaths.booklet(languageKey: key, path: page.path)) }
            if let other = config.pamphlets.bilingual, other != key {
                files.append(PamphletPaths.bilingual(languageKey: key, with: other, path: page.path))
            }
            let names = files.map { String($0.split(separator: "/").last ?? "") }
            guard let longest = names.max(by: { $0.utf8.count < $1.utf8.count }), longest.utf8.count > 255 else { continue }
            let name = PamphletPaths.name(path: page.path)
            let over = longest.utf8.count - 255
            diagnostics.error(SourceLocation(path: page.sourcePath),
                "the pamphlet's file name would be \(longest.utf8.count) bytes ('\(name.prefix(16))…\(longest.dropFirst(name.count))'), "
                + "more than the 255 a file system holds; shorten the page's file name by at least \(over) byte\(over == 1 ? "" : "s") "
                + "(a letter of Thai, Chinese or Korean takes 3)")
        }
        for page in pages {
            let relative = page.sourcePath.split(separator: "/").dropFirst(2)   // content/<key>/
            let awkward = Set(relative.joined().filter { "<>:\"\\|?*".contains($0) }).sorted()
            let reserved = relative.first { Self.isReservedOnWindows(String($0)) }
            guard !awkward.isEmpty || reserved != nil else { continue }
            let what = awkward.isEmpty ? "the name '\(reserved!)', which Windows reserves for a device,"
                : "\(awkward.map { "'\($0)'" }.joined(separator: ", ")) in its name, which Windows cannot hold in a file name,"
            diagnostics.warning(SourceLocation(path: page.sourcePath),
                "this page has \(what) so the site cannot be copied to a USB stick or a Windows computer (--portable); "
                + "rename it with letters, digits and '-'")
        }
        let unsafeHTML = config.unsafeHTML
        _ = ParallelMap.map(pages) { page -> Bool in
            guard let memo else {
                return Self.check(page, editorial: editorial, unsafeHTML: unsafeHTML, today: today, months: months, diagnostics: diagnostics)
            }
            return memo.value(slot: page.sourcePath, key: "\(editorial) \(unsafeHTML) \(today) \(months) " + page.sourceDigest,
                              diagnostics: diagnostics) { own in
                Self.check(page, editorial: editorial, unsafeHTML: unsafeHTML, today: today, months: months, diagnostics: own)
            }
        }
        memo?.keepOnly(Set(pages.map(\.sourcePath)))
    }

    /// CON, PRN, AUX, NUL, COM1-9 and LPT1-9, with any extension, in any case.
    static func isReservedOnWindows(_ name: String) -> Bool {
        let stem = (name.split(separator: ".").first.map(String.init) ?? name).uppercased()
        if ["CON", "PRN", "AUX", "NUL"].contains(stem) { return true }
        return stem.count == 4 && (stem.hasPrefix("COM") || stem.hasPrefix("LPT")) && ("1"..."9").contains(String(stem.last!))
    }

    private static func check(_ page: Page, editorial: Bool, unsafeHTML: Bool, today: CalendarDay, months: Int,
                              diagnostics: DiagnosticsEngine) -> Bool {
        ContentChecks.privacy(page, diagnostics: diagnostics)
        if !unsafeHTML { ContentChecks.scriptLinks(page, diagnostics: diagnostics) }
        for contact in Contact.contacts(in: page, diagnostics: diagnostics) {
            if let warning = contact.checkWarning(today: today, months: months) {
                diagnostics.warning(page.location(contact.position), warning)
            }
        }
        if editorial { ContentChecks.editorial(page, diagnostics: diagnostics) }
        return true
    }

    // MARK: Images

    /// The header of every image (sizes for the pages, GPS positions warned about); none for a
    /// print worker, whose pamphlets read their images themselves.
    func loadImages(_ site: LoadedSite) -> SiteImages {
        guard purpose.printShare == nil else { return SiteImages() }
        return SiteImages.load(site, siteFolder: siteFolder, diagnostics: diagnostics)
    }

    /// The copies of every image the output publishes (`ImagePlan`).
    func imageFiles(_ images: SiteImages) -> [File] {
        guard !images.plans.isEmpty else { return [] }
        progress?("images: \(images.plans.count)")
        return images.outputs(siteFolder: siteFolder, cache: imageCache, diagnostics: diagnostics, progress: progress)
    }

    // MARK: Resolve links

    /// Each entry's links as output addresses, by its output file; broken links are reported
    /// (with `report`), except on fallback pages, whose source page reports them.
    func resolveLinks(_ site: LoadedSite, _ entries: [PageEntry], report: Bool = true) -> [String: [String: String]] {
        let diagnostics = self.diagnostics
        let urls = ParallelMap.map(entries) { entry in
            site.resolver.urls(for: entry, report: report && !entry.isFallback, diagnostics: diagnostics)
        }
        return Dictionary(zip(entries.map(\.file), urls)) { first, _ in first }
    }
}
