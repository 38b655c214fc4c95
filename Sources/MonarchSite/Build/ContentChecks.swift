import MonarchContent
import MonarchCore
import MonarchMarkdown

/// Checks of the content beyond what a build needs: privacy (always an error, in build and
/// check) and, for `monarch check`, warnings an editor should see.
enum ContentChecks {
    /// Images and raw HTML that load from another host. Errors.
    static func privacy(_ page: Page, diagnostics: DiagnosticsEngine) {
        for link in page.document.links where link.isImage && isRemote(link.destination) {
            diagnostics.error(page.location(link.position),
                "image '\(link.destination)' \(PrivacyCheck.message) (privacy); save it beside the page and link it relatively")
        }
        // The page's pieces of raw HTML are read as one document, in order, as the browser
        // reads them in the page: `<image href>` written inline after an `<svg>` is SVG's.
        let pieces = rawHTML(page.document.blocks)
        if pieces.isEmpty { return }   // most pages: no HTML parser to start
        var joined: [UInt8] = []
        var starts: [Int] = []
        for (html, _) in pieces {
            starts.append(joined.count)
            joined += html.utf8
        }
        for found in PrivacyCheck.located(in: joined, kind: .html) {
            let index = (starts.lastIndex { $0 <= found.offset }) ?? 0
            let (html, position) = pieces[index]
            let (line, column) = LineIndex(Array(html.utf8)).position(found.offset - starts[index])
            let finding = PrivacyCheck.Finding(line: line, column: column, address: found.address, inScript: found.inScript,
                                               tooDeep: found.tooDeep)
            diagnostics.error(page.location(SourcePosition(line: position.line + line - 1,
                                                           column: line == 1 ? position.column + column - 1 : column)),
                PrivacyCheck.describe(finding, resourceAdvice: "remove it or copy the file into the site"))
        }
    }

    /// Warnings: links and images whose address the page leaves empty (`javascript:`,
    /// `vbscript:`, `file:`, a `data:` that is not a picture), so that a link a reader
    /// would click does not go nowhere without the editor knowing.
    static func scriptLinks(_ page: Page, diagnostics: DiagnosticsEngine) {
        for link in page.document.links where HTMLEscaping.isDangerousURL(link.destination) {
            let shown = link.destination.prefix(40) + (link.destination.count > 40 ? "…" : "")
            let what = link.isImage ? "image" : "link"
            diagnostics.warning(page.location(link.position),
                "\(what) address '\(shown)' is left empty on the page: a page may not run script or open "
                + "files from the reader's device; \(link.isImage ? "save the picture beside the page and link it" : "link to a page or a web address instead")")
        }
    }

    /// Warnings for `monarch check`: images without alt text, skipped heading levels.
    static func editorial(_ page: Page, diagnostics: DiagnosticsEngine) {
        for link in page.document.links where link.isImage && !link.hasAltText {
            diagnostics.warning(page.location(link.position),
                "image '\(link.destination)' has no alt text; describe it between the brackets: ![what it shows](\(link.destination))")
        }
        var previous = 1   // the page title is the <h1>
        for heading in page.document.headings {
            if heading.level == 1 {
                // A title taken from the body's first heading has no 'title:' to remove.
                let orTitle = page.frontMatter.titleFromBody ? "" : ", or, if it is the title, remove 'title:' from the front matter"
                diagnostics.warning(page.location(heading.position),
                    "a second level-1 heading ('\(heading.text)') below the page's title ('\(page.title)'); "
                    + "make it '## \(heading.text)'\(orTitle)")
            }
            if heading.level > previous + 1 {
                diagnostics.warning(page.location(heading.position),
                    "heading level jumps from \(previous) to \(heading.level); use \(String(repeating: "#", count: previous + 1)) here so screen readers can follow the outline")
            }
            previous = heading.level
        }
    }

    /// Warnings for `monarch check`: source pages missing in some language.
    static func missingTranslations(_ graph: SiteGraph, diagnostics: DiagnosticsEngine) {
        let source = graph.config.sourceLanguage
        for path in graph.paths {
            guard let entry = graph.entry(languageKey: source.key, path: path), !entry.isFallback else { continue }
            let onPurpose = Set(entry.page.frontMatter.untranslated)
            let missing = graph.config.languages.filter { language in
                guard !onPurpose.contains(language.key) else { return false }
                guard let other = graph.entry(languageKey: language.key, path: path) else { return true }
                return other.isFallback
            }.map(\.key)
            if !missing.isEmpty {
                diagnostics.warning(SourceLocation(path: entry.page.sourcePath),
                    "not translated into \(missing.joined(separator: ", ")); readers there get the \(source.name) page "
                    + "(if that is on purpose, say so with 'untranslated: [\(missing.joined(separator: ", "))]' in its front matter)")
            }
        }
    }

    /// Warnings for `monarch check`: a translation's image whose alt text is, word for word,
    /// an alt text of the source-language page. A screen reader would read the reader a
    /// description in a language they may not read; the image is there, so is the meaning.
    static func untranslatedAltText(_ graph: SiteGraph, diagnostics: DiagnosticsEngine) {
        let source = graph.config.sourceLanguage
        for path in graph.paths {
            guard let original = graph.entry(languageKey: source.key, path: path), !original.isFallback else { continue }
            let sourceAlts = Set(original.page.document.links.filter(\.hasAltText).map { normalizedAlt($0.text) })
            guard !sourceAlts.isEmpty else { continue }
            for language in graph.config.languages where language.key != source.key {
                guard let entry = graph.entry(languageKey: language.key, path: path), !entry.isFallback else { continue }
                for link in entry.page.document.links where link.hasAltText && sourceAlts.contains(normalizedAlt(link.text)) {
                    guard link.text.unicodeScalars.contains(where: \.properties.isAlphabetic) else { continue }
                    diagnostics.warning(entry.page.location(link.position),
                        "the alt text of image '\(link.destination)' is the \(source.name) page's, word for word "
                        + "('\(link.text.prefix(60))'); translate it into \(language.name) for readers who use a screen reader")
                }
            }
        }
    }

    /// Alt text compared without the spaces around and between its words.
    private static func normalizedAlt(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// An image from another host (as the browser reads the address: `\\host`, `/<TAB>/host`
    /// too) or with any scheme but `data:`.
    static func isRemote(_ destination: String) -> Bool {
        switch BrowserURL.read(destination) {
        case .offSite, .script, .otherScheme: return true
        case .local, .data: return false
        }
    }

    /// Raw HTML of the page (only kept with `unsafe_html: true`), with where it starts, and the
    /// text between inline tags as the page will hold it: after an inline `<script>` it is
    /// script. Nothing when the page has no raw HTML.
    private static func rawHTML(_ blocks: [Block]) -> [(String, SourcePosition)] {
        // Text is kept as it is and escaped only once the page shows it has HTML: most pages
        // have none, and this runs on every page of every build.
        var found: [(text: String, position: SourcePosition, isHTML: Bool)] = []
        var hasHTML = false
        func inlines(_ items: [Inline]) {
            for item in items {
                switch item.kind {
                case .html(let html):
                    found.append((html, item.position, true))
                    hasHTML = true
                case .text(let text): found.append((text, item.position, false))
                case .softBreak, .lineBreak: found.append(("\n", item.position, true))
                case .emphasis(let children), .strong(let children): inlines(children)
                case .link(_, _, let children), .image(_, _, let children): inlines(children)
                default: break
                }
            }
        }
        MarkdownDocument.visitBlocks(blocks) { block in
            switch block.kind {
            case .htmlBlock(let html):
                found.append((html, block.position, true))
                hasHTML = true
            case .paragraph(let items), .heading(_, let items, _): inlines(items)
            default: break
            }
        }
        guard hasHTML else { return [] }
        return found.map { ($0.isHTML ? $0.text : HTMLEscaping.escapeHTML($0.text), $0.position) }
    }
}
