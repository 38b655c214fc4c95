import Foundation
import MonarchCore
import MonarchMarkdown

/// Everything under `content/`: the pages of each language and the other files beside them.
public struct Content: Sendable {
    /// Pages by language key, sorted by path.
    public var pages: [String: [Page]]
    /// Other files (images, PDFs), by language key: paths relative to `content/<key>/`.
    public var assets: [String: [String]]
    /// Pages marked `draft: true` (not built), by language key: for `monarch status`, and so
    /// that a translation of a draft is not taken for an orphan.
    public var drafts: [String: [Page]]

    public init(pages: [String: [Page]] = [:], assets: [String: [String]] = [:], drafts: [String: [Page]] = [:]) {
        self.pages = pages
        self.assets = assets
        self.drafts = drafts
    }
}

/// Reads and parses `content/`. Parsing runs on every core.
public enum ContentLoader {
    /// With `memo` (the preview), a file whose text is unchanged since the last build is not
    /// parsed again, and one whose `FileStamp` is the one it had then is not even read.
    public static func load(siteFolder: URL, config: SiteConfig, diagnostics: DiagnosticsEngine,
                            memo: StepMemo<Page?>? = nil, transform: DocumentTransform? = nil) -> Content {
        let fm = FileManager.default
        let contentURL = siteFolder.appendingPathComponent("content")
        guard let entries = try? fm.contentsOfDirectory(atPath: contentURL.path) else {
            diagnostics.error(SourceLocation(path: "content"),
                "no content/ folder; create content/\(config.sourceLanguage.key)/index.md")
            return Content()
        }
        var languageFolders: [String] = []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: contentURL.appendingPathComponent(entry).path, isDirectory: &isDirectory)
            guard isDirectory.boolValue else {
                diagnostics.warning(SourceLocation(path: "content/\(entry)"),
                    "file outside a language folder is ignored; move it into content/<language>/")
                continue
            }
            guard config.language(key: entry) != nil else {
                diagnostics.error(SourceLocation(path: "content/\(entry)"),
                    "folder 'content/\(entry)' is not a language in site.yaml\(Suggestion.hint(for: entry, in: config.languages.map(\.key))) (add it to 'languages' or rename the folder)")
                continue
            }
            languageFolders.append(entry)
        }
        // Before the stats that make the stamps.
        let trustedBefore = FileStamp.trustedBefore()
        // One language's folder on each core (diagnostics are sorted when reported).
        let listings = ParallelMap.map(languageFolders) { key in
            FileList.filesWithInfo(in: contentURL.appendingPathComponent(key), site: siteFolder,
                                   display: "content/\(key)", diagnostics: diagnostics, unsafeHTML: config.unsafeHTML)
        }
        var files: [(key: String, relative: String, stamp: String)] = []
        var assets: [String: [String]] = [:]
        for (entry, listing) in zip(languageFolders, listings) {
            for (relative, info) in listing {
                if relative.hasSuffix(".md") {
                    files.append((entry, relative, memo == nil ? "" : FileStamp.text(info, trustedBefore: trustedBefore)))
                } else if !config.unsafeHTML, !PublishedFiles.isContentFile(relative) {
                    // `unsafe_html: true` says every contributor is trusted with the site's origin.
                    diagnostics.error(SourceLocation(path: "content/\(entry)/\(relative)"),
                        "'\(relative.split(separator: "/").last ?? "")' \(PublishedFiles.refusal)")
                } else {
                    assets[entry, default: []].append(relative)
                }
            }
        }
        if files.isEmpty, config.language(key: config.sourceLanguage.key) != nil, diagnostics.errorCount == 0 {
            diagnostics.error(SourceLocation(path: "content/\(config.sourceLanguage.key)"),
                "no pages in the source language; create content/\(config.sourceLanguage.key)/index.md")
        }

        let options = MarkdownOptions(unsafeHTML: config.unsafeHTML)
        let results = ParallelMap.map(files) { file -> Page? in
            PageLoader.load(siteFolder: siteFolder, languageKey: file.key, relativePath: file.relative,
                            options: options, diagnostics: diagnostics, memo: memo, stamp: file.stamp,
                            transform: transform)
        }
        memo?.keepOnly(Set(files.map { "content/\($0.key)/\($0.relative)" }))
        var pages: [String: [Page]] = [:]
        var drafts: [String: [Page]] = [:]
        for page in results.compactMap({ $0 }) {
            if page.frontMatter.draft {
                drafts[page.languageKey, default: []].append(page)
            } else {
                pages[page.languageKey, default: []].append(page)
            }
        }
        for key in pages.keys { pages[key]!.sort { $0.path < $1.path } }
        for key in drafts.keys { drafts[key]!.sort { $0.path < $1.path } }
        return Content(pages: pages, assets: assets.mapValues { $0.sorted() }, drafts: drafts)
    }
}

/// What the site does to a page's document once cmark has parsed it (the raw HTML allowlist,
/// which needs the HTML parser of MonarchSite), reporting at the page's locations.
public struct DocumentTransform: Sendable {
    /// Part of the memo's key: a page parsed without the transform is not one parsed with it.
    public var name: String
    public var apply: @Sendable (MarkdownDocument, (SourcePosition) -> SourceLocation, DiagnosticsEngine) -> MarkdownDocument

    public init(name: String,
                apply: @escaping @Sendable (MarkdownDocument, (SourcePosition) -> SourceLocation, DiagnosticsEngine) -> MarkdownDocument) {
        self.name = name
        self.apply = apply
    }
}

/// Reads one page: text, front matter, Markdown.
public enum PageLoader {
    public static func load(siteFolder: URL, languageKey: String, relativePath: String,
                            options: MarkdownOptions, diagnostics: DiagnosticsEngine,
                            memo: StepMemo<Page?>? = nil, stamp: String = "", transform: DocumentTransform? = nil) -> Page? {
        let sourcePath = "content/\(languageKey)/\(relativePath)"
        let optionsKey = "\(options.unsafeHTML) \(options.headingIDs) \(options.cjkFriendlyEmphasis) \(transform?.name ?? "")\n"
        // `stamp` (`FileStamp`, taken before the read) with the options the page was parsed with.
        let trusted = stamp.isEmpty ? "" : optionsKey + stamp
        if let memo, let kept = memo.value(slot: sourcePath, stamp: trusted, diagnostics: diagnostics) { return kept }
        let url = siteFolder.appendingPathComponent(sourcePath, isDirectory: false)
        switch TextFile.read(url, limit: PageLimits.maxBytes) {
        case .failure(.tooLarge(let bytes)):
            diagnostics.error(SourceLocation(path: sourcePath, line: 1, column: 1), PageLimits.sizeProblem(bytes: bytes))
            return nil
        case .failure(let failure):
            diagnostics.emit(failure.diagnostic(path: sourcePath))
            return nil
        case .success(let text):
            guard let memo else {
                return parse(text, languageKey: languageKey, relativePath: relativePath, options: options,
                             diagnostics: diagnostics, transform: transform)
            }
            return memo.value(slot: sourcePath, key: optionsKey + text, stamp: trusted, diagnostics: diagnostics) { own in
                parse(text, languageKey: languageKey, relativePath: relativePath, options: options, diagnostics: own,
                      transform: transform)
            }
        }
    }

    public static func parse(_ text: String, languageKey: String, relativePath: String,
                             options: MarkdownOptions, diagnostics: DiagnosticsEngine,
                             transform: DocumentTransform? = nil) -> Page? {
        let sourcePath = "content/\(languageKey)/\(relativePath)"
        let parts = FrontMatter.split(text)
        if parts.unterminated {
            diagnostics.error(SourceLocation(path: sourcePath, line: 1, column: 1),
                "front matter starts with '---' but has no closing '---' line; add one after the last key")
            return nil
        }
        var matter = FrontMatter()
        if let yaml = parts.yaml {
            // Unreadable front matter is reported once; the page's other problems would follow from it.
            guard let parsed = FrontMatter.parse(yaml, path: sourcePath, lineOffset: parts.yamlLineOffset,
                                                 diagnostics: diagnostics) else { return nil }
            matter = parsed
        }
        var document = MarkdownDocument.parse(String(parts.body), options: options)
        for warning in document.warnings {
            diagnostics.warning(SourceLocation(path: sourcePath, line: warning.position.line + parts.bodyLineOffset,
                                               column: warning.position.column), warning.message)
        }
        if let transform {
            let offset = parts.bodyLineOffset
            document = transform.apply(document, { SourceLocation(path: sourcePath, line: $0.line + offset, column: $0.column) },
                                       diagnostics)
        }
        // A title taken from a leading `# Heading` is shown once, by the template's <h1> (and
        // the pamphlet's title); so is a leading `# Heading` that repeats the front matter's
        // title. Any other level-1 heading stays, on the web and on paper alike, and
        // `monarch check` warns about it (ContentChecks.editorial).
        if case .heading(level: 1, _, _)? = document.blocks.first?.kind {
            let text = MarkdownDocument(blocks: [document.blocks[0]], options: options).firstHeading1Text
            if matter.title == nil {
                document.blocks.removeFirst()
                matter.title = text
                matter.titleFromBody = text != nil
            } else if let text, text.trimmingCharacters(in: .whitespaces) == matter.title?.trimmingCharacters(in: .whitespaces) {
                document.blocks.removeFirst()
            }
        }

        var path = String(relativePath.dropLast(3))
        let kind: Page.Kind
        if path == "index" {
            path = ""
            kind = .home
        } else if path.hasSuffix("/index") {
            path = String(path.dropLast(6))
            kind = .section
        } else {
            kind = .page
        }
        var title = matter.title ?? document.firstHeading1Text ?? ""
        if title.isEmpty {
            if matter.draft { return nil }
            diagnostics.error(SourceLocation(path: sourcePath, line: 1, column: 1),
                "page has no title; add 'title:' to its front matter or start it with a '# Heading'")
            // The build fails; the page is still checked, so its other errors (links, images)
            // are reported in the same run.
            title = String(relativePath.dropLast(3))
        }
        return Page(languageKey: languageKey, path: path, kind: kind, sourcePath: sourcePath, frontMatter: matter,
                    document: document, bodyLineOffset: parts.bodyLineOffset, title: title,
                    bodyHash: SourceHash.of(body: parts.body),
                    sourceDigest: SourceHash.digest("\(options.unsafeHTML) \(options.headingIDs) \(options.cjkFriendlyEmphasis)\n" + text))
    }
}
