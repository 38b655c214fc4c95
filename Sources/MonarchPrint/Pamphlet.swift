import CPangoCairo
import Foundation
import MonarchMarkdown

/// Printable pamphlets from the parsed Markdown of a page, laid out with Pango (HarfBuzz
/// shaping, libthai word breaks, fonts chosen per language) and written by cairo's PDF
/// surface. Every function renders into memory and returns the PDF's bytes only when
/// everything succeeded; otherwise every problem found, with its place in the Markdown.
///
/// What a pamphlet looks like:
/// - Letter or A4 pages, 1 inch margins (0.9 in on A4), 11.5 pt Noto type; booklets, kits
///   and bilingual pamphlets use half sheets (5.5 × 8.5 in or A5) with 10 pt type.
/// - Fonts by language tag: Noto Sans (Latin), Noto Sans CJK SC / TC / HK / KR / JP, Noto
///   Sans Thai (with Noto Sans for Latin); code in Noto Sans Mono (+ Mono CJK). Line height
///   1.45 (Latin), 1.7 (CJK), 1.8 (Thai). Korean breaks only at spaces; Thai at words.
/// - With a web address: the site title, the address and its QR code at the top of page 1.
///   Without a level-1 heading, the title is printed as one. Footer: site title, `n / N`.
/// - Links: the text in blue, underlined, then the address in small grey type in
///   parentheses (`https://` left out, `mailto:`/`tel:` shown without scheme; not
///   repeated when the text is the address). Clickable in `render` and `bilingual`; a
///   `#heading` link jumps to that heading. A link whose resolved address has no scheme is
///   printed as plain text.
/// - Images (PNG, JPEG) at 96 pixels per inch, never wider than the column nor taller than
///   60% of the page, centred; a title (`![alt](x.png "title")`) is printed as a caption.
///   Images inside a paragraph's text follow that paragraph.
/// - Headings stay with the next block; a paragraph, list item or code block splits over
///   two pages only with at least two lines on each.
/// - Tables are ruled, their header rows bold on grey and repeated at the top of each page
///   they continue on; see `FlowBuilder.table` for widths and tables wider than the page.
/// - Footnotes print at the end, after a short rule, in smaller type; a reference is a
///   raised number linked to its note, and the note's number links back. Callouts are
///   tinted boxes with a coloured bar and their label in the page's language
///   (`PamphletPage.labels`); details print open, the summary in bold; definition lists
///   have bold terms over indented definitions; task items have ☐ / ☑ for a bullet.
/// - Struck text (`~~`, `del`) is struck through, `ins` underlined, `sup`/`sub` raised or
///   lowered and smaller, `kbd` monospaced, `mark` on light yellow, `abbr` plain.
/// - Destination names (headings, footnotes) are the page's ids; in a bilingual pamphlet
///   the right half's get its language tag and a colon before them (`th:fn-1`).
/// - Raw HTML is not printed.
///
/// Thread safety: every function may be called from several threads at once. With font
/// subsets each render has fonts of its own (`FontSession`), so renders run at once, one
/// per core; without them they take turns (see `RenderSession`). Fontconfig lookups and
/// libqrencode have locks of their own.
public enum Pamphlet {
    /// A normal PDF: pages of `options.paper`, tagged (structure tree, links, bookmarks).
    public static func render(_ page: PamphletPage, options: PamphletOptions) -> Result<Data, PamphletProblems> {
        let preflight = check([page], installed: options.fonts?.installedFamilies ?? [])
        guard preflight.isEmpty else { return .failure(PamphletProblems(preflight)) }
        return rendering([page], options: options) { job in
            let frame = PageFrame.full(options.paper)
            var builder = job.builder(page, frame)
            builder.buildPage()
            guard builder.problems.isEmpty else { return .failure(PamphletProblems(builder.problems)) }
            let boxes = builder.boxes
            var pages: [[Placement]] = []
            Paginator.place(boxes, range: boxes.indices, height: frame.bodyHeight, from: FlowCursor(page: 0, y: 0), into: &pages)
            trimEmpty(&pages)
            let writer = PDFWriter(width: frame.width, height: frame.height, title: page.title, author: page.author,
                                   subject: page.subject, date: options.creationDate, tagged: true)
            let sheets = pages.enumerated().map { i, placements in
                Sheet(slots: [Slot(boxes: boxes, placements: placements, originX: 0, frame: frame,
                                   footer: Footer(text: page.footerText, number: i + 1, of: pages.count, style: builder.style),
                                   outline: (0, i))])
            }
            let drawer = PageDrawer(engine: job.engine, images: job.images, tagging: true)
            emit(sheets, writer: writer, drawer: drawer)
            return finish(writer, language: page.languageTag, path: page.sourcePath)
        }
    }

    /// A booklet for saddle stitching: the page laid out on half sheets (5.5 × 8.5 in on
    /// Letter, A5 on A4), padded with blank pages to a multiple of four, and imposed two
    /// up on landscape sheets in folding order. Print both sides, flipping on the short
    /// edge, fold the stack in the middle and staple on the fold. Text stays text; the
    /// output has bookmarks but no tags (cairo 1.16 crashes on tags in imposed output).
    public static func booklet(_ page: PamphletPage, options: PamphletOptions) -> Result<Data, PamphletProblems> {
        let preflight = check([page], installed: options.fonts?.installedFamilies ?? [])
        guard preflight.isEmpty else { return .failure(PamphletProblems(preflight)) }
        return rendering([page], options: options) { job in
            let frame = PageFrame.half(options.paper)
            var builder = job.builder(page, frame)
            builder.buildPage()
            guard builder.problems.isEmpty else { return .failure(PamphletProblems(builder.problems)) }
            let boxes = builder.boxes
            var pages: [[Placement]] = []
            Paginator.place(boxes, range: boxes.indices, height: frame.bodyHeight, from: FlowCursor(page: 0, y: 0), into: &pages)
            trimEmpty(&pages)
            let drawer = PageDrawer(engine: job.engine, images: job.images, tagging: false)
            return impose(pages: pages, boxes: boxes, frame: frame, options: options, drawer: drawer,
                          title: page.title, author: page.author, subject: page.subject,
                          footer: page.footerText, style: builder.style, language: page.languageTag, path: page.sourcePath)
        }
    }

    /// Two languages of a page side by side on landscape sheets, `left` on the left half
    /// and `right` on the right, each half a page of its own with its own footer. The
    /// two are aligned by their top-level headings (at the finest heading level both have
    /// equally many of): each such section starts on the same sheet at the same height in
    /// both languages, so a reader finds the same passage beside its translation. The
    /// PDF's `/Lang` is `left`'s language.
    public static func bilingual(_ left: PamphletPage, _ right: PamphletPage, options: PamphletOptions) -> Result<Data, PamphletProblems> {
        let preflight = check([left, right], installed: options.fonts?.installedFamilies ?? [])
        guard preflight.isEmpty else { return .failure(PamphletProblems(preflight)) }
        return rendering([left, right], options: options) { job in
            let frame = PageFrame.half(options.paper)
            // The right half's destinations (headings, footnotes) get a prefix: the two
            // languages share ids (`fn-1`, explicit heading ids) and one PDF holds both.
            let prefix = (right.languageTag == left.languageTag ? "2" : right.languageTag) + ":"
            var builders = [job.builder(left, frame), job.builder(right, frame, destinationPrefix: prefix)]
            for i in builders.indices { builders[i].buildPage() }
            let problems = builders.flatMap(\.problems)
            guard problems.isEmpty else { return .failure(PamphletProblems(problems)) }
            let sections = alignedSections(builders[0], builders[1])
            var columns: [[[Placement]]] = [[], []]
            var cursor = FlowCursor(page: 0, y: 0)
            for k in sections[0].indices {
                // Both languages start the section at the same place. If one of them must
                // move its start to the next page (a heading kept with its text), both do.
                var start = cursor
                while true {
                    var trial = columns
                    var end = start
                    var firstPages: [Int] = []
                    for c in 0..<2 {
                        let stop = Paginator.place(builders[c].boxes, range: sections[c][k], height: frame.bodyHeight,
                                                   from: start, into: &trial[c])
                        end = max(end, stop)
                        if let first = sections[c][k].first,
                           let page = trial[c].lastIndex(where: { $0.contains { $0.box == first } }) {
                            firstPages.append(page)
                        }
                    }
                    if let latest = firstPages.max(), latest > start.page, firstPages.min() != latest {
                        start = FlowCursor(page: latest, y: 0)
                        continue
                    }
                    columns = trial
                    cursor = end
                    break
                }
            }
            for c in 0..<2 { trimEmpty(&columns[c]) }
            let sheets = max(columns[0].count, columns[1].count)
            let size = PageFrame.sheet(options.paper)
            let writer = PDFWriter(width: size.width, height: size.height, title: "\(left.title) · \(right.title)",
                                   author: left.author, subject: left.subject, date: options.creationDate, tagged: true)
            let pages = [left, right]
            let plan = (0..<sheets).map { sheet in
                Sheet(slots: (0..<2).map { c in
                    Slot(boxes: builders[c].boxes, placements: sheet < columns[c].count ? columns[c][sheet] : [],
                         originX: Double(c) * frame.width, frame: frame,
                         footer: Footer(text: pages[c].footerText, number: sheet + 1, of: sheets, style: builders[c].style,
                                        mirrored: c == 0),
                         outline: (c, sheet))
                }, divider: frame)
            }
            let drawer = PageDrawer(engine: job.engine, images: job.images, tagging: true)
            emit(plan, writer: writer, drawer: drawer)
            return finish(writer, language: left.languageTag, path: left.sourcePath)
        }
    }

    /// Several pages in one booklet for the outreach bag: a first page with `title` and a
    /// table of contents (each page's title and first page number), then every page
    /// starting on a new page, imposed like `booklet`. The footer carries `title`.
    public static func kit(title: String, pages: [PamphletPage], options: PamphletOptions) -> Result<Data, PamphletProblems> {
        guard let first = pages.first else {
            return .failure(PamphletProblems([PamphletProblem(path: "site.yaml", message: "kit '\(title)' has no pages; list at least one page")]))
        }
        let preflight = check(pages, installed: options.fonts?.installedFamilies ?? [])
        guard preflight.isEmpty else { return .failure(PamphletProblems(preflight)) }
        return rendering(pages, extra: [title], options: options) { job in
            let frame = PageFrame.half(options.paper)
            let style = LanguageStyle.forTag(first.languageTag)
            let s = frame.baseSize
            var boxes: [Box] = []
            // Title and contents.
            var titleText = RichText()
            titleText.append(title, style: InlineStyle())
            let titleLayout = job.engine.layout(titleText, font: FontSpec(families: style.bodyFamilyList, size: 2 * s, bold: true),
                                                style: style, width: frame.columnWidth, lineHeight: max(1.2, style.lineHeight - 0.3))
            for line in titleLayout.lines {
                boxes.append(Box(height: line.height, breakBefore: line.index == 0 ? .allowed : .forbidden,
                                 items: [.text(layout: titleLayout.id, line: line.index, x: line.x, baseline: line.baseline, structure: [])],
                                 anchors: line.index == 0 ? [Anchor(level: 1, title: title, id: nil, x: 0)] : []))
            }
            let numberWidth = 3 * s
            let entryFont = FontSpec(families: style.bodyFamilyList, size: 1.05 * s)
            for (i, page) in pages.enumerated() {
                var entry = RichText()
                entry.append(page.title, style: InlineStyle())
                let entryStyle = LanguageStyle.forTag(page.languageTag)
                let layout = job.engine.layout(entry, font: FontSpec(families: entryStyle.bodyFamilyList, size: entryFont.size),
                                               style: entryStyle, width: frame.columnWidth - numberWidth)
                for line in layout.lines {
                    var items: [DrawItem] = [.text(layout: layout.id, line: line.index, x: line.x, baseline: line.baseline, structure: [])]
                    if line.index == layout.lines.count - 1 {
                        items.append(.tocNumber(entry: i, right: frame.columnWidth, baseline: line.baseline, structure: []))
                    }
                    boxes.append(Box(height: line.height, spaceBefore: line.index == 0 ? (i == 0 ? 1.6 * s : 0.5 * s) : 0,
                                     breakBefore: line.index == 0 ? .allowed : .forbidden, items: items))
                }
            }
            // The pages.
            var starts: [Int] = []
            var problems: [PamphletProblem] = []
            var styles: [LanguageStyle] = []
            for page in pages {
                var builder = job.builder(page, frame)
                builder.buildPage(startOnNewPage: true)
                problems += builder.problems
                let offset = boxes.count
                starts.append(offset)
                styles.append(builder.style)
                // A table row's header rows are named by their place among the page's boxes.
                boxes += builder.boxes.map { box in
                    var box = box
                    box.header = box.header.map { ($0.lowerBound + offset)..<($0.upperBound + offset) }
                    return box
                }
            }
            guard problems.isEmpty else { return .failure(PamphletProblems(problems)) }
            var placed: [[Placement]] = []
            Paginator.place(boxes, range: boxes.indices, height: frame.bodyHeight, from: FlowCursor(page: 0, y: 0), into: &placed)
            trimEmpty(&placed)
            var pageOfBox: [Int: Int] = [:]
            for (n, placements) in placed.enumerated() { for p in placements { pageOfBox[p.box] = n } }
            let drawer = PageDrawer(engine: job.engine, images: job.images, tagging: false)
            drawer.tocNumbers = starts.map { (pageOfBox[$0] ?? 0) + 1 }
            drawer.tocStyle = style
            drawer.tocFont = entryFont
            return impose(pages: placed, boxes: boxes, frame: frame, options: options, drawer: drawer,
                          title: title, author: first.author, subject: first.subject, footer: title, style: style,
                          language: first.languageTag, path: first.sourcePath)
        }
    }

    // MARK: - Shared steps

    /// Runs one render, holding the render lock, with font subsets that hold its text:
    /// `options.fonts` (made for the whole build) or subsets of these pages' own text. A
    /// render that laid out a character they lack (text `PrintFonts.characters` did not
    /// foresee) runs once more with subsets that have it; without subsets (none could be
    /// made), it uses the installed fonts.
    private static func rendering(_ pages: [PamphletPage], extra: [String] = [], options: PamphletOptions,
                                  _ body: (Job) -> Result<Data, PamphletProblems>) -> Result<Data, PamphletProblems> {
        var fonts = options.fonts ?? PrintFonts.prepare(charactersByTag: PrintFonts.characters(of: pages, extra: extra))
        while true {
            let (result, used, unknown) = RenderSession.shared.withFontMap(fonts) { map -> (Result<Data, PamphletProblems>, Set<UInt32>, [Character]) in
                let job = Job(map)
                let result = body(job)
                return (result, job.engine.characters, options.unprintable == nil ? [] : job.engine.unknownCharacters())
            }
            func done() -> Result<Data, PamphletProblems> {
                if case .success = result, !unknown.isEmpty { options.unprintable?(unknown) }
                return result
            }
            guard let current = fonts, case .success = result else { return done() }
            let missing = current.missing(from: used)
            guard !missing.isEmpty else { return done() }
            let wanted = current.asked(adding: missing, tag: pages.first?.languageTag ?? "en")
            guard let next = PrintFonts.prepare(charactersByTag: wanted), next !== current else { return done() }
            fonts = next
        }
    }

    /// What one render owns: its Pango objects, images and counters, freed at the end.
    private final class Job {
        let engine: TextEngine
        let images = ImageStore()
        let counter = Counter()

        init(_ map: UnsafeMutablePointer<PangoFontMap>) { engine = TextEngine(fontMap: map) }

        func builder(_ page: PamphletPage, _ frame: PageFrame, destinationPrefix: String = "") -> FlowBuilder {
            FlowBuilder(engine: engine, images: images, counter: counter, page: page, frame: frame,
                        destinationPrefix: destinationPrefix)
        }
    }

    /// Problems found before any layout: fonts missing or unreadable, bad language tags.
    /// Families in `installed` were found when the font subsets were made.
    static func check(_ pages: [PamphletPage], installed: Set<String> = [],
                      style: (String) -> LanguageStyle = LanguageStyle.forTag) -> [PamphletProblem] {
        var problems: [PamphletProblem] = []
        var seen: Set<String> = []
        for page in pages {
            if case .failure(let error) = PDFLanguage.validate(page.languageTag) {
                problems.append(PamphletProblem(path: page.sourcePath, message: error.message))
            }
            for family in style(page.languageTag).requiredFamilies
            where !installed.contains(family) && seen.insert(family + page.sourcePath).inserted {
                if let message = FontCheck.problem(family: family) {
                    problems.append(PamphletProblem(path: page.sourcePath,
                                                    message: message + " (needed for language '\(page.languageTag)')"))
                }
            }
        }
        return problems
    }

    private static func trimEmpty(_ pages: inout [[Placement]]) {
        while pages.count > 1 && pages.last!.isEmpty { pages.removeLast() }
        if pages.isEmpty { pages = [[]] }
    }

    /// Page indices (0-based, `count` a multiple of 4) on each sheet side, left then right:
    /// sheet 1 front = (n, 1), back = (2, n - 1), sheet 2 front = (n - 2, 3), ...
    static func saddleStitchOrder(pageCount count: Int) -> [(left: Int, right: Int)] {
        var sides: [(Int, Int)] = []
        for i in 0..<(count / 4) {
            sides.append((count - 1 - 2 * i, 2 * i))
            sides.append((2 * i + 1, count - 2 - 2 * i))
        }
        return sides
    }

    private static func impose(pages: [[Placement]], boxes: [Box], frame: PageFrame, options: PamphletOptions,
                               drawer: PageDrawer, title: String, author: String, subject: String,
                               footer: String, style: LanguageStyle, language: String, path: String) -> Result<Data, PamphletProblems> {
        let count = pages.count
        let padded = (count + 3) / 4 * 4
        let sheet = PageFrame.sheet(options.paper)
        let writer = PDFWriter(width: sheet.width, height: sheet.height, title: title, author: author, subject: subject,
                               date: options.creationDate, tagged: false)
        let sides = saddleStitchOrder(pageCount: padded)
        let plan = sides.map { side in
            Sheet(slots: [side.left, side.right].enumerated().compactMap { slot, index in
                guard index < count else { return nil }   // a blank page of the padding
                return Slot(boxes: boxes, placements: pages[index], originX: Double(slot) * frame.width, frame: frame,
                            footer: Footer(text: footer, number: index + 1, of: count, style: style, mirrored: index % 2 == 1),
                            outline: (0, index))
            })
        }
        emit(plan, writer: writer, drawer: drawer)
        return finish(writer, language: language, path: path)
    }

    /// One physical page of the PDF and the pages drawn on it.
    struct Sheet {
        var slots: [Slot]
        /// A rule down the middle between two halves of this frame.
        var divider: PageFrame?
    }

    /// A page drawn on a sheet at `originX`.
    struct Slot {
        var boxes: [Box]
        var placements: [Placement]
        var originX: Double
        var frame: PageFrame
        var footer: Footer
        /// Bookmarks go in groups (a bilingual pamphlet's two languages), each in the
        /// order of its pages.
        var outline: (group: Int, order: Int)
    }

    /// Draws every sheet: first the text known only now (footers, contents numbers) is laid
    /// out, then the fonts are cut down to the glyphs in use, then everything is drawn.
    private static func emit(_ sheets: [Sheet], writer: PDFWriter, drawer: PageDrawer) {
        drawer.prepare(footers: sheets.flatMap { $0.slots.map { ($0.footer, $0.frame) } })
        drawer.engine.prepareToDraw()
        var placed: [(group: Int, order: Int, anchors: [PlacedAnchor])] = []
        for (n, sheet) in sheets.enumerated() {
            for slot in sheet.slots {
                var anchors: [PlacedAnchor] = []
                drawer.draw(writer.cr, boxes: slot.boxes, placements: slot.placements, originX: slot.originX + slot.frame.left,
                            originY: slot.frame.top, pdfPage: n + 1, anchors: &anchors)
                drawer.drawFooter(writer.cr, slot.footer, frame: slot.frame, originX: slot.originX)
                placed.append((slot.outline.group, slot.outline.order, anchors))
            }
            if let frame = sheet.divider {
                cairo_set_source_rgb(writer.cr, RGB.rule.r, RGB.rule.g, RGB.rule.b)
                cairo_rectangle(writer.cr, frame.width - 0.3, frame.top, 0.6, frame.bodyHeight)
                cairo_fill(writer.cr)
            }
            writer.endPage(last: n == sheets.count - 1)
        }
        for group in Set(placed.map(\.group)).sorted() {
            let anchors = placed.filter { $0.group == group }.sorted { $0.order < $1.order }.flatMap(\.anchors)
            addOutlines(writer, anchors)
        }
    }

    private static func addOutlines(_ writer: PDFWriter, _ anchors: [PlacedAnchor]) {
        var stack: [(level: Int, id: Int32)] = []
        for placed in anchors {
            let level = placed.anchor.level
            while let last = stack.last, last.level >= level { stack.removeLast() }
            let title = placed.anchor.title.isEmpty ? "—" : placed.anchor.title
            let id = writer.addOutline(parent: stack.last?.id ?? 0, title: title, page: placed.page,
                                       x: placed.x, y: placed.y, open: level <= 1)
            stack.append((level, id))
        }
    }

    private static func finish(_ writer: PDFWriter, language: String, path: String) -> Result<Data, PamphletProblems> {
        switch writer.finish().flatMap({ PDFLanguage.setLanguage(language, in: $0) }) {
        case .success(let data): return .success(data)
        case .failure(let error): return .failure(PamphletProblems([PamphletProblem(path: path, message: error.message)]))
        }
    }

    /// The top-level box ranges of two columns that start at the same place: sections
    /// beginning at the top-level headings of the finest level both columns have equally
    /// many of; one section each when no level matches.
    static func alignedSections(_ a: FlowBuilder, _ b: FlowBuilder) -> [[Range<Int>]] {
        func starts(_ builder: FlowBuilder, level: Int) -> [Int] {
            builder.topLevelStarts.compactMap { mark in
                guard let l = mark.headingLevel, l <= level else { return nil }
                return mark.box
            }
        }
        var chosen: ([Int], [Int]) = ([], [])
        for level in (1...6).reversed() {
            let sa = starts(a, level: level), sb = starts(b, level: level)
            if !sa.isEmpty && sa.count == sb.count { chosen = (sa, sb); break }
        }
        func ranges(_ cuts: [Int], _ total: Int) -> [Range<Int>] {
            var points = [0] + cuts.filter { $0 > 0 } + [total]
            points = points.enumerated().filter { $0.offset == 0 || $0.element >= points[$0.offset - 1] }.map(\.element)
            return zip(points, points.dropFirst()).map { $0..<$1 }
        }
        var ra = ranges(chosen.0, a.boxes.count), rb = ranges(chosen.1, b.boxes.count)
        // When the first heading is the first box of one column but not of the other (a
        // header band or title before it), both still have the same number of sections.
        while ra.count < rb.count { ra.insert(0..<0, at: 0) }
        while rb.count < ra.count { rb.insert(0..<0, at: 0) }
        return [ra, rb]
    }
}
