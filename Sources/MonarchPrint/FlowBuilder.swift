import Foundation
import MonarchCore
import MonarchMarkdown

/// Hands out structure-tree nodes, link and decoration numbers unique within one render.
final class Counter {
    private var next = 1
    func node(_ name: String) -> StructNode {
        defer { next += 1 }
        return StructNode(name: name, id: next)
    }
    func number() -> Int {
        defer { next += 1 }
        return next
    }
}

/// Where a block is laid out.
struct BlockContext {
    var indent: Double
    var width: Double
    var structure: [StructNode]
    var decorations: [Decoration]
    /// Space above a paragraph: less inside a tight list.
    var paragraphSpace: Double
    var listDepth = 0
    /// Multiplies the body type size (footnotes are smaller).
    var textScale = 1.0
}

/// Turns one page's Markdown tree into boxes: every block laid out with Pango in the
/// page's column, with the rules that keep headings with what follows them and stop
/// widows and orphans.
struct FlowBuilder {
    let engine: TextEngine
    let images: ImageStore
    let counter: Counter
    let page: PamphletPage
    let style: LanguageStyle
    let frame: PageFrame

    private(set) var boxes: [Box] = []
    private(set) var problems: [PamphletProblem] = []
    /// The first box of each top-level block, with its heading level if it is a heading:
    /// where a bilingual pamphlet aligns its two languages.
    private(set) var topLevelStarts: [(box: Int, headingLevel: Int?)] = []

    var pendingSpace = 0.0
    var spaceAfterHeading: Double?
    var keepWithPrevious = false
    var forceBreak = false
    /// A list item's marker, drawn on the first line of the item's first box; a footnote's
    /// number also links back to its reference and names the note's destination.
    var pendingMarker: (layout: TextLayout, x: Double, structure: [StructNode], link: LinkTarget?, destination: String?)?
    let inlineContext: InlineContext
    /// See `InlineContext.destinationPrefix`.
    let destinationPrefix: String

    var s: Double { frame.baseSize }
    var bodyFont: FontSpec { FontSpec(families: style.bodyFamilyList, size: s) }

    init(engine: TextEngine, images: ImageStore, counter: Counter, page: PamphletPage, frame: PageFrame,
         destinationPrefix: String = "") {
        self.engine = engine
        self.images = images
        self.counter = counter
        self.page = page
        self.frame = frame
        let style = LanguageStyle.forTag(page.languageTag)
        self.style = style
        let resolve = page.resolveLink
        let options = page.document.options
        self.destinationPrefix = destinationPrefix
        var footnoteIDs = Set<String>()
        for block in page.document.blocks {
            if case .footnotes(let notes) = block.kind { footnoteIDs.formUnion(notes.map(\.id)) }
        }
        // An address the web page would not link to is no link here either: its text prints
        // as plain text (`LinkAddress.display` is nil for an address without a scheme).
        inlineContext = InlineContext(resolveLink: { destination in
                                          let address = resolve(destination)
                                          return options.allowsLink(to: address) ? address : ""
                                      },
                                      headingIDs: Set(page.document.headings.map(\.id)).union(footnoteIDs),
                                      dropsSpaceBetweenIdeographs: style.dropsSpaceBetweenIdeographs,
                                      footnoteIDs: footnoteIDs, destinationPrefix: destinationPrefix)
    }

    var rootContext: BlockContext {
        BlockContext(indent: 0, width: frame.columnWidth, structure: [], decorations: [], paragraphSpace: 0.75 * s)
    }

    /// The whole page: the header with the web address and its QR code, the title, then
    /// every block. As on the web page: the title is the page's one `<h1>`, a leading
    /// `# Heading` that made or repeated it having been taken out when the page was read.
    mutating func buildPage(startOnNewPage: Bool = false) {
        forceBreak = startOnNewPage
        if let address = page.webAddress, !address.isEmpty { headerBand(address) }
        if !page.title.isEmpty {
            var text = RichText()
            text.append(page.title, style: InlineStyle())
            heading(text, level: 1, id: nil, title: page.title, position: nil, rootContext)
        }
        for block in page.document.blocks {
            var level: Int?
            if case .heading(let l, _, _) = block.kind { level = l }
            topLevelStarts.append((boxes.count, level))
            self.block(block, rootContext)
        }
        flushMarker()
        dropLinksToNowhere()
    }

    /// Drops links to destinations this page does not have (a footnote whose reference
    /// was not printed, say): a PDF link must name a destination that exists.
    private mutating func dropLinksToNowhere() {
        var named = Set<String>()
        for box in boxes {
            for anchor in box.anchors { if let id = anchor.id { named.insert(id) } }
            for destination in box.destinations { named.insert(destination.id) }
        }
        for i in boxes.indices {
            boxes[i].links.removeAll {
                if case .destination(let id) = $0.target { return !named.contains(id) }
                return false
            }
        }
    }

    // MARK: - Problems

    mutating func problem(_ position: SourcePosition?, _ message: String) {
        problems.append(PamphletProblem(path: page.sourcePath,
                                        line: position.map { $0.line + page.bodyLineOffset },
                                        column: position?.column, message: message))
    }

    // MARK: - Boxes

    mutating func space(_ amount: Double) { pendingSpace = max(pendingSpace, amount) }

    mutating func takeSpace() -> Double {
        defer { pendingSpace = 0; spaceAfterHeading = nil }
        return spaceAfterHeading ?? pendingSpace
    }

    mutating func takeLeadingRule() -> BreakRule {
        defer { forceBreak = false; keepWithPrevious = false }
        if forceBreak { return .forced }
        return keepWithPrevious ? .forbidden : .allowed
    }

    mutating func push(_ box: Box) {
        var box = box
        if let marker = pendingMarker {
            pendingMarker = nil
            var baseline = marker.layout.lines.first?.baseline ?? 0
            for item in box.items {
                if case .text(_, _, _, let b, _) = item { baseline = b; break }
            }
            box.items.insert(.text(layout: marker.layout.id, line: 0, x: marker.x, baseline: baseline,
                                   structure: marker.structure), at: 0)
            if let line = marker.layout.lines.first {
                let top = baseline - line.baseline
                if let link = marker.link {
                    box.links.append(LinkArea(link: counter.number(), target: link, x: marker.x + line.x, y: top,
                                              width: line.width, height: line.height))
                }
                if let destination = marker.destination {
                    box.destinations.append(Destination(id: destination, x: marker.x, y: top))
                }
            }
        }
        boxes.append(box)
    }

    /// A list item with no content still shows its marker (`push` attaches it).
    mutating func flushMarker() {
        guard let line = pendingMarker?.layout.lines.first else { return }
        push(Box(height: line.height, spaceBefore: takeSpace(), breakBefore: takeLeadingRule()))
    }

    /// The clickable areas of `text`'s links on one line of its layout, and its destinations
    /// on that line.
    func linesLinks(_ layout: TextLayout, line: LineMetrics, text: RichText?, linkIDs: [Int], x: Double, y: Double,
                    touching: (links: [Int], targets: [Int])? = nil)
        -> (links: [LinkArea], destinations: [Destination]) {
        var areas: [LinkArea] = []
        var destinations: [Destination] = []
        guard let text else { return ([], []) }
        for i in touching?.links ?? Array(text.links.indices) {
            let link = text.links[i]
            guard link.range.overlaps(line.bytes) else { continue }
            let bytes = max(link.range.lowerBound, line.bytes.lowerBound)..<min(link.range.upperBound, line.bytes.upperBound)
            for range in engine.xRanges(layout: layout, line: line.index, bytes: bytes) {
                areas.append(LinkArea(link: linkIDs[i], target: link.target, x: x + range.lowerBound, y: y,
                                      width: range.upperBound - range.lowerBound, height: line.height))
            }
        }
        for t in touching?.targets ?? Array(text.targets.indices) {
            let target = text.targets[t]
            guard line.bytes.contains(target.byte) else { continue }
            let left = engine.xRanges(layout: layout, line: line.index, bytes: target.byte..<(target.byte + 1)).first?.lowerBound ?? line.x
            destinations.append(Destination(id: target.id, x: x + left, y: y))
        }
        return (areas, destinations)
    }

    /// For each line of the layout, the links and targets on it, in their order: asking
    /// every line about every link made a paragraph of 40,000 footnote references take minutes.
    static func touching(_ layout: TextLayout, text: RichText?) -> [(links: [Int], targets: [Int])] {
        let lines = layout.lines
        var result = Array(repeating: (links: [Int](), targets: [Int]()), count: lines.count)
        guard let text else { return result }
        // The first line ending after `byte` (lines are in text order).
        func firstLine(endingAfter byte: Int) -> Int {
            var low = 0, high = lines.count
            while low < high {
                let middle = (low + high) / 2
                if lines[middle].bytes.upperBound > byte { high = middle } else { low = middle + 1 }
            }
            return low
        }
        for (i, link) in text.links.enumerated() {
            var k = firstLine(endingAfter: link.range.lowerBound)
            while k < lines.count, lines[k].bytes.lowerBound < link.range.upperBound {
                if link.range.overlaps(lines[k].bytes) { result[k].links.append(i) }
                k += 1
            }
        }
        for (t, target) in text.targets.enumerated() {
            let k = firstLine(endingAfter: target.byte)
            if k < lines.count, lines[k].bytes.contains(target.byte) { result[k].targets.append(t) }
        }
        return result
    }

    /// One box per line of `layout`.
    mutating func pushLines(_ layout: TextLayout, text: RichText?, x: Double, ctx: BlockContext,
                                    structure: [StructNode], keepTogether: Bool = false, anchors: [Anchor] = [],
                                    padTop: Double = 0, padBottom: Double = 0) {
        let n = layout.lines.count
        let linkIDs = (text?.links ?? []).map { _ in counter.number() }
        let touching = Self.touching(layout, text: text)
        for line in layout.lines {
            let k = line.index
            let rule: BreakRule
            if k == 0 {
                rule = takeLeadingRule()
            } else if keepTogether {
                rule = .forbidden
            } else {
                rule = k >= 2 && n - k >= 2 ? .allowed : .forbidden
            }
            let spaceBefore = k == 0 ? takeSpace() : 0
            let top = k == 0 ? padTop : 0
            let bottom = k == n - 1 ? padBottom : 0
            let (areas, destinations) = linesLinks(layout, line: line, text: text, linkIDs: linkIDs, x: x, y: top,
                                                    touching: touching[k])
            push(Box(height: line.height + top + bottom, spaceBefore: spaceBefore, breakBefore: rule,
                     items: [.text(layout: layout.id, line: k, x: x + line.x, baseline: top + line.baseline, structure: structure)],
                     decorations: ctx.decorations, anchors: k == 0 ? anchors : [], links: areas, destinations: destinations))
        }
    }

    /// Reports a line that does not fit its column.
    mutating func checkFit(_ layout: TextLayout, text: String, width: Double, at position: SourcePosition?) {
        guard layout.overflows else { return }
        let bytes = Array(text.utf8)
        for line in layout.lines where line.x + line.width > width + 0.5 {
            let piece = String(decoding: bytes[line.bytes.clamped(to: 0..<bytes.count)], as: UTF8.self)
                .trimmingCharacters(in: .whitespaces)
            problem(position, "'\(piece.prefix(40))' does not fit in the \(Int(width.rounded())) pt wide text column, "
                    + "even broken between letters; shorten it or nest it less deeply")
            return
        }
    }

    // MARK: - Blocks

    mutating func blocks(_ blocks: [Block], _ ctx: BlockContext) {
        for block in blocks { self.block(block, ctx) }
    }

    mutating func block(_ block: Block, _ ctx: BlockContext) {
        guard ctx.width >= 4 * s else {
            problem(block.position, "this block is nested so deeply that its text column is only "
                    + "\(Int(max(0, ctx.width).rounded())) pt wide; nest lists and quotes less deeply")
            return
        }
        switch block.kind {
        case .paragraph(let inlines):
            space(ctx.paragraphSpace)
            paragraph(inlines, at: block.position, ctx)
        case .heading(let level, let inlines, let id):
            let text = RichText.build(inlines, base: InlineStyle(), context: inlineContext)
            heading(text, level: level, id: id, title: InlinePlainText.of(inlines), position: block.position, ctx)
            for image in text.images { self.image(image, ctx) }
        case .blockQuote(let children):
            space(ctx.paragraphSpace)
            var inner = ctx
            let bar = Decoration(id: counter.number(), kind: .bar(x: ctx.indent + 0.2 * s, width: 0.2 * s), color: RGB.rule)
            inner.indent += 1.2 * s
            inner.width -= 1.2 * s
            inner.decorations.append(bar)
            inner.structure.append(counter.node("BlockQuote"))
            inner.paragraphSpace = 0.75 * s
            blocks(children, inner)
        case .list(let list):
            space(ctx.paragraphSpace)
            self.list(list, ctx)
        case .codeBlock(_, let code):
            space(ctx.paragraphSpace)
            if let contact = page.contacts[block.position] {
                self.contact(contact, at: block.position, ctx)
            } else {
                codeBlock(code, at: block.position, ctx)
            }
        case .htmlBlock:
            break   // raw HTML is not printed (left out of the web page too unless unsafe_html)
        case .thematicBreak:
            space(ctx.paragraphSpace)
            let width = ctx.width * 0.3
            push(Box(height: 1.2 * s, spaceBefore: takeSpace(), breakBefore: takeLeadingRule(),
                     items: [.rule(x: ctx.indent + (ctx.width - width) / 2, y: 0.6 * s - 0.4, width: width, height: 0.8,
                                   color: RGB.rule)],
                     decorations: ctx.decorations))
            space(ctx.paragraphSpace)
        case .table(let table):
            space(ctx.paragraphSpace)
            self.table(table, at: block.position, ctx)
            space(ctx.paragraphSpace)
        case .callout(let kind, let children):
            space(ctx.paragraphSpace)
            callout(kind, children, at: block.position, ctx)
        case .details(let summary, let children, _):
            space(ctx.paragraphSpace)
            details(summary, children, at: block.position, ctx)
        case .definitionList(let items):
            space(ctx.paragraphSpace)
            definitionList(items, at: block.position, ctx)
        case .footnotes(let notes):
            footnotes(notes, at: block.position, ctx)
        }
    }

    mutating func paragraph(_ inlines: [Inline], at position: SourcePosition, _ ctx: BlockContext,
                            base: InlineStyle = InlineStyle()) {
        let text = RichText.build(inlines, base: base, context: inlineContext)
        if !text.isBlank {
            var font = bodyFont
            font.size *= ctx.textScale
            let layout = engine.layout(text, font: font, style: style, width: ctx.width)
            checkFit(layout, text: text.string, width: ctx.width, at: position)
            pushLines(layout, text: text, x: ctx.indent, ctx: ctx, structure: ctx.structure + [counter.node("P")])
        }
        for image in text.images {
            space(ctx.paragraphSpace)
            self.image(image, ctx)
        }
    }

    private static let headingScale = [1.85, 1.45, 1.2, 1.05, 1.0, 0.95]
    private static let headingSpace = [1.4, 1.5, 1.3, 1.1, 1.0, 1.0]

    private mutating func heading(_ text: RichText, level: Int, id: String?, title: String,
                                  position: SourcePosition?, _ ctx: BlockContext) {
        let level = min(max(level, 1), 6)
        space(Self.headingSpace[level - 1] * s)
        let font = FontSpec(families: style.bodyFamilyList, size: s * Self.headingScale[level - 1], bold: true,
                            color: level == 6 ? RGB.muted : RGB.text)
        let layout = engine.layout(text, font: font, style: style, width: ctx.width,
                                   lineHeight: max(1.2, style.lineHeight - 0.3))
        checkFit(layout, text: text.string, width: ctx.width, at: position)
        let anchor = Anchor(level: level, title: title.trimmingCharacters(in: .whitespaces), id: id.map { destinationPrefix + $0 },
                            x: ctx.indent)
        pushLines(layout, text: text, x: ctx.indent, ctx: ctx, structure: ctx.structure + [counter.node("H\(level)")],
                  keepTogether: true, anchors: [anchor])
        keepWithPrevious = true
        spaceAfterHeading = (level == 1 ? 0.6 : 0.4) * s
    }

    private mutating func list(_ list: ListBlock, _ ctx: BlockContext) {
        let listNode = counter.node("L")
        var markerFont = bodyFont
        markerFont.size *= ctx.textScale
        var markers: [TextLayout] = []
        for (i, item) in list.items.enumerated() {
            var text = RichText()
            var label = list.ordered ? "\(list.start + i)." : (ctx.listDepth % 2 == 0 ? "•" : "–")
            // A task item's box takes the place of a bullet, and follows a number.
            if let task = item.task {
                let box = task == .done ? TaskMarker.done : TaskMarker.open
                label = list.ordered ? label + " " + box : box
            }
            text.append(label, style: InlineStyle())
            markers.append(engine.layout(text, font: markerFont, style: style, width: nil))
        }
        let gap = 0.45 * s
        let widest = markers.map(\.width).max() ?? 0
        let gutter = max(1.4 * s, widest + gap + 0.2 * s)
        let itemSpace = list.tight ? 0.2 * s : 0.6 * s
        for (i, item) in list.items.enumerated() {
            if i > 0 { space(itemSpace) }
            let itemNode = counter.node("LI")
            let marker = markers[i]
            pendingMarker = (marker, ctx.indent + gutter - gap - marker.width,
                             ctx.structure + [listNode, itemNode, counter.node("Lbl")], nil, nil)
            var inner = ctx
            inner.indent += gutter
            inner.width -= gutter
            inner.structure += [listNode, itemNode, counter.node("LBody")]
            inner.paragraphSpace = itemSpace
            inner.listDepth += 1
            blocks(item.blocks, inner)
            flushMarker()
        }
    }

    private mutating func codeBlock(_ code: String, at position: SourcePosition, _ ctx: BlockContext) {
        var source = Substring(code)
        while source.last == "\n" { source.removeLast() }
        var text = RichText()
        text.append(String(source), style: InlineStyle())
        let pad = 0.5 * s
        let width = ctx.width - 2 * pad
        let font = FontSpec(families: style.monoFamilyList, size: 0.86 * s)
        let layout = engine.layout(text, font: font, style: style, width: width, lineHeight: max(1.35, style.lineHeight - 0.15))
        checkFit(layout, text: text.string, width: width, at: position)
        var inner = ctx
        inner.decorations.append(Decoration(id: counter.number(), kind: .fill(x: ctx.indent, width: ctx.width),
                                            color: RGB.codeBackground))
        pushLines(layout, text: nil, x: ctx.indent + pad, ctx: inner, structure: ctx.structure + [counter.node("Code")],
                  padTop: pad * 0.8, padBottom: pad * 0.8)
    }

    /// A contact block: the name in bold, then one line per number, hours and languages,
    /// numbers as written and clickable (`tel:`, `sms:`), in a tinted box with a bar on the
    /// left, kept on one page.
    private mutating func contact(_ contact: PrintedContact, at position: SourcePosition, _ ctx: BlockContext) {
        var text = RichText()
        var bold = InlineStyle()
        bold.bold = true
        bold.scale = 1.08
        text.append(contact.name, style: bold)
        var label = InlineStyle()
        label.color = RGB.muted
        let colon = style.dropsSpaceBetweenIdeographs ? "：" : ": "
        for line in contact.lines {
            text.append("\u{2028}", style: InlineStyle())
            text.append(line.label + colon, style: label)
            if let link = line.link {
                var number = InlineStyle()
                number.bold = true
                number.color = RGB.link
                text.appendLink(line.value, address: link, style: number)
            } else {
                text.append(line.value, style: InlineStyle())
            }
        }
        let pad = 0.7 * s
        let bar = 0.3 * s
        let width = ctx.width - 2 * pad - bar
        let layout = engine.layout(text, font: bodyFont, style: style, width: width)
        checkFit(layout, text: text.string, width: width, at: position)
        var inner = ctx
        inner.decorations.append(Decoration(id: counter.number(), kind: .fill(x: ctx.indent, width: ctx.width),
                                            color: RGB.contactBackground))
        inner.decorations.append(Decoration(id: counter.number(), kind: .bar(x: ctx.indent, width: bar), color: RGB.link))
        pushLines(layout, text: text, x: ctx.indent + bar + pad, ctx: inner, structure: ctx.structure + [counter.node("P")],
                  keepTogether: true, padTop: pad * 0.8, padBottom: pad * 0.8)
    }

    private mutating func image(_ image: (source: String, title: String?, alt: String, position: SourcePosition),
                                _ ctx: BlockContext) {
        guard let url = page.resolveImage(image.source) else {
            problem(image.position, "image '\(image.source)' not found; put the file beside the page (or, for an address "
                    + "that starts with '/', under static/) or correct the path")
            return
        }
        let loaded: ImageStore.Loaded
        switch images.load(url) {
        case .failure(let error):
            problem(image.position, "image '\(image.source)': \(error.message)")
            return
        case .success(let l):
            loaded = l
        }
        // Pixels at 96 per inch, never wider than the column nor taller than 60% of the page.
        var width = min(Double(loaded.pixelWidth) * 0.75, ctx.width)
        var height = width * Double(loaded.pixelHeight) / Double(loaded.pixelWidth)
        let maxHeight = frame.bodyHeight * 0.6
        if height > maxHeight {
            height = maxHeight
            width = height * Double(loaded.pixelWidth) / Double(loaded.pixelHeight)
        }
        let index: Int
        switch images.place(loaded, width: width) {
        case .failure(let error):
            problem(image.position, "image '\(image.source)': \(error.message)")
            return
        case .success(let placed):
            index = placed
        }
        push(Box(height: height, spaceBefore: takeSpace(), breakBefore: takeLeadingRule(),
                 items: [.image(index: index, x: ctx.indent + (ctx.width - width) / 2, y: 0, width: width,
                                height: height, structure: ctx.structure + [counter.node("Figure")])],
                 decorations: ctx.decorations))
        if let title = image.title, !title.isEmpty {
            var caption = RichText()
            caption.append(title, style: InlineStyle())
            let font = FontSpec(families: style.bodyFamilyList, size: 0.85 * s, italic: false, color: RGB.muted)
            let layout = engine.layout(caption, font: font, style: style, width: ctx.width, alignment: .center)
            keepWithPrevious = true
            space(0.3 * s)
            pushLines(layout, text: nil, x: ctx.indent, ctx: ctx, structure: ctx.structure + [counter.node("Caption")],
                      keepTogether: true)
        }
        space(ctx.paragraphSpace)
    }

    // MARK: - Header

    /// The site title and the page's web address at the top of the first page, with a QR
    /// code of the address on the right.
    private mutating func headerBand(_ address: String) {
        let qrText = PercentEncoding.pdfAddress(address)
        guard let matrix = QRMatrix.encode(qrText) else {
            problem(nil, "the web address is too long for a QR code (\(qrText.utf8.count) bytes); shorten base_url or the page's path")
            return
        }
        let qrSize = 6.4 * s
        let textWidth = frame.columnWidth - qrSize - s
        var site = RichText()
        site.append(page.footerText, style: InlineStyle())
        let siteLayout = engine.layout(site, font: FontSpec(families: style.bodyFamilyList, size: 0.95 * s, bold: true,
                                                             color: RGB.muted), style: style, width: textWidth)
        var web = RichText()
        web.append(LinkAddress.display(address) ?? address, style: InlineStyle())
        let webLayout = engine.layout(web, font: FontSpec(families: style.bodyFamilyList, size: 0.85 * s, color: RGB.link),
                                      style: style, width: textWidth)
        var items: [DrawItem] = []
        var links: [LinkArea] = []
        let paragraph = counter.node("P")
        var y = 0.0
        for line in siteLayout.lines {
            items.append(.text(layout: siteLayout.id, line: line.index, x: line.x, baseline: y + line.baseline, structure: [paragraph]))
            y += line.height
        }
        let webParagraph = counter.node("P")
        let link = counter.number()
        for line in webLayout.lines {
            items.append(.text(layout: webLayout.id, line: line.index, x: line.x, baseline: y + line.baseline, structure: [webParagraph]))
            links.append(LinkArea(link: link, target: .uri(qrText), x: line.x, y: y, width: line.width, height: line.height))
            y += line.height
        }
        // The QR code's own quiet zone (4 modules) is inside its square.
        items.append(.qr(matrix, x: frame.columnWidth - qrSize, y: 0, size: qrSize, structure: [counter.node("Figure")]))
        let height = max(y, qrSize)
        items.append(.rule(x: 0, y: height + 0.4 * s, width: frame.columnWidth, height: 0.6, color: RGB.rule))
        push(Box(height: height + 0.4 * s + 0.6, spaceBefore: 0, breakBefore: takeLeadingRule(), items: items, links: links))
        space(1.1 * s)
    }
}
