import CPangoCairo
import Foundation

/// A heading placed on a page, for the PDF's bookmarks.
struct PlacedAnchor {
    var anchor: Anchor
    /// 1-based PDF page.
    var page: Int
    var x: Double
    var y: Double
}

/// The structure tags open on a cairo context.
final class TagState {
    private var open: [StructNode] = []

    func move(to path: [StructNode], _ cr: OpaquePointer) {
        var common = 0
        while common < open.count, common < path.count, open[common] == path[common] { common += 1 }
        while open.count > common { cairo_tag_end(cr, open.removeLast().name) }
        for node in path[common...] {
            cairo_tag_begin(cr, node.name, "")
            open.append(node)
        }
    }
}

/// A page footer: `text` and `number / total`.
struct Footer {
    var text: String
    var number: Int
    var total: Int
    var style: LanguageStyle
    /// The number on the left (a left-hand page of a booklet, the left half of a sheet).
    var mirrored: Bool

    init(text: String, number: Int, of total: Int, style: LanguageStyle, mirrored: Bool = false) {
        self.text = text
        self.number = number
        self.total = total
        self.style = style
        self.mirrored = mirrored
    }
}

/// Draws placed boxes onto a cairo context.
final class PageDrawer {
    let engine: TextEngine
    let images: ImageStore
    /// Structure tags, links and named destinations: only on a plain PDF surface, never in
    /// imposed output (cairo 1.16 can crash on tags it replays).
    let tagging: Bool
    /// A kit's table of contents: the page number of each entry.
    var tocNumbers: [Int] = []
    var tocStyle: LanguageStyle?
    var tocFont: FontSpec?

    private var footerLayouts: [String: (title: TextLayout, number: TextLayout)] = [:]
    private var tocLayouts: [Int: TextLayout] = [:]

    init(engine: TextEngine, images: ImageStore, tagging: Bool) {
        self.engine = engine
        self.images = images
        self.tagging = tagging
    }

    /// Draws one page's boxes with the text area's top left at (originX, originY).
    func draw(_ cr: OpaquePointer, boxes: [Box], placements: [Placement], originX: Double, originY: Double,
              pdfPage: Int, anchors: inout [PlacedAnchor]) {
        // Shading and bars first, under the text.
        for (n, placement) in placements.enumerated() {
            let box = boxes[placement.box]
            let previous = n > 0 ? boxes[placements[n - 1].box] : nil
            for decoration in box.decorations {
                var top = originY + placement.y
                if let previous, previous.decorations.contains(where: { $0.id == decoration.id }) {
                    top = originY + placements[n - 1].y + previous.height
                }
                let bottom = originY + placement.y + box.height
                cairo_set_source_rgb(cr, decoration.color.r, decoration.color.g, decoration.color.b)
                switch decoration.kind {
                case .bar(let x, let width), .fill(let x, let width):
                    cairo_rectangle(cr, originX + x, top, width, bottom - top)
                }
                cairo_fill(cr)
            }
        }
        let tags = TagState()
        for (n, placement) in placements.enumerated() {
            let box = boxes[placement.box]
            let top = originY + placement.y
            let edges = (n == 0 ? box.itemsAtPageTop : []) + (n == placements.count - 1 ? box.itemsAtPageBottom : [])
            for item in box.items + edges {
                switch item {
                case .text(let layout, let line, let x, let baseline, let structure):
                    if tagging { tags.move(to: structure, cr) }
                    engine.drawLine(cr, layout: layout, line: line, x: originX + x, baseline: top + baseline)
                case .image(let index, let x, let y, let width, let height, let structure):
                    if tagging { tags.move(to: structure, cr) }
                    drawImage(cr, index: index, x: originX + x, y: top + y, width: width, height: height)
                case .rule(let x, let y, let width, let height, let color):
                    cairo_set_source_rgb(cr, color.r, color.g, color.b)
                    cairo_rectangle(cr, originX + x, top + y, width, height)
                    cairo_fill(cr)
                case .qr(let matrix, let x, let y, let size, let structure):
                    if tagging { tags.move(to: structure, cr) }
                    drawQR(cr, matrix, x: originX + x, y: top + y, size: size)
                case .tocNumber(let entry, let right, let baseline, let structure):
                    if tagging { tags.move(to: structure, cr) }
                    drawTOCNumber(cr, entry: entry, right: originX + right, baseline: top + baseline)
                }
            }
            for anchor in box.anchors where !placement.repeated {
                anchors.append(PlacedAnchor(anchor: anchor, page: pdfPage, x: originX + anchor.x, y: top))
            }
        }
        guard tagging else { return }
        tags.move(to: [], cr)
        for placement in placements where !placement.repeated {
            for anchor in boxes[placement.box].anchors {
                guard let id = anchor.id else { continue }
                let attributes = "name='\(Self.escape(id))' x=\(PDFNumber.format(originX + anchor.x)) "
                    + "y=\(PDFNumber.format(originY + placement.y))"
                cairo_tag_begin(cr, CAIRO_TAG_DEST, attributes)
                cairo_tag_end(cr, CAIRO_TAG_DEST)
            }
            for destination in boxes[placement.box].destinations {
                let attributes = "name='\(Self.escape(destination.id))' x=\(PDFNumber.format(originX + destination.x)) "
                    + "y=\(PDFNumber.format(originY + placement.y + destination.y))"
                cairo_tag_begin(cr, CAIRO_TAG_DEST, attributes)
                cairo_tag_end(cr, CAIRO_TAG_DEST)
            }
        }
        // Links: one Link element per link and page, its rectangles given explicitly (a
        // link can run over two lines).
        var order: [Int] = []
        var areas: [Int: (target: LinkTarget, rects: [String])] = [:]
        for placement in placements {
            for area in boxes[placement.box].links where area.width > 0 {
                let rect = [originX + area.x, originY + placement.y + area.y, area.width, area.height]
                    .map(PDFNumber.format).joined(separator: " ")
                if areas[area.link] == nil { order.append(area.link); areas[area.link] = (area.target, []) }
                areas[area.link]!.rects.append(rect)
            }
        }
        for link in order {
            let (target, rects) = areas[link]!
            var attributes = "rect=[\(rects.joined(separator: " "))] "
            switch target {
            case .uri(let uri): attributes += "uri='\(Self.escape(uri))'"
            case .destination(let id): attributes += "dest='\(Self.escape(id))'"
            }
            cairo_tag_begin(cr, CAIRO_TAG_LINK, attributes)
            cairo_tag_end(cr, CAIRO_TAG_LINK)
        }
    }

    /// Escapes a string for a cairo attribute value in single quotes.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
    }

    private func drawImage(_ cr: OpaquePointer, index: Int, x: Double, y: Double, width: Double, height: Double) {
        let surface = images.surface(index)
        let pw = Double(cairo_image_surface_get_width(surface)), ph = Double(cairo_image_surface_get_height(surface))
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, width / pw, height / ph)
        cairo_rectangle(cr, 0, 0, pw, ph)
        cairo_clip(cr)
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    private func drawQR(_ cr: OpaquePointer, _ matrix: QRMatrix, x: Double, y: Double, size: Double) {
        let quiet = 4
        let module = size / Double(matrix.size + 2 * quiet)
        cairo_set_source_rgb(cr, 0, 0, 0)
        for row in 0..<matrix.size {
            var column = 0
            while column < matrix.size {
                guard matrix[column, row] else { column += 1; continue }
                let start = column
                while column < matrix.size && matrix[column, row] { column += 1 }
                // A hair of overlap between rows, so no light seam shows between modules.
                cairo_rectangle(cr, x + Double(quiet + start) * module, y + Double(quiet + row) * module,
                                Double(column - start) * module, module * 1.02)
            }
        }
        cairo_fill(cr)
    }

    /// Lays out the text that is known only after pagination (footers, contents page
    /// numbers), before `TextEngine.prepareToDraw` collects the glyphs to embed.
    func prepare(footers: [(Footer, PageFrame)]) {
        for (footer, frame) in footers { _ = footerLayout(footer, frame: frame) }
        guard let style = tocStyle, let font = tocFont else { return }
        for (entry, number) in tocNumbers.enumerated() {
            var text = RichText()
            text.append(String(number), style: InlineStyle())
            tocLayouts[entry] = engine.layout(text, font: font, style: style, width: nil)
        }
    }

    private func drawTOCNumber(_ cr: OpaquePointer, entry: Int, right: Double, baseline: Double) {
        guard let layout = tocLayouts[entry], let line = layout.lines.first else { return }
        engine.drawLine(cr, layout: layout.id, line: 0, x: right - line.width - line.x, baseline: baseline)
    }

    private func footerLayout(_ footer: Footer, frame: PageFrame) -> (title: TextLayout, number: TextLayout) {
        let key = "\(footer.style.tag)|\(frame.baseSize)|\(frame.columnWidth)|\(footer.number)|\(footer.total)|\(footer.text)"
        if let known = footerLayouts[key] { return known }
        let font = FontSpec(families: footer.style.bodyFamilyList, size: 0.75 * frame.baseSize, color: RGB.muted)
        var numberText = RichText()
        numberText.append("\(footer.number) / \(footer.total)", style: InlineStyle())
        let number = engine.layout(numberText, font: font, style: footer.style, width: nil)
        var titleText = RichText()
        titleText.append(footer.text, style: InlineStyle())
        let title = engine.layout(titleText, font: font, style: footer.style,
                                  width: max(10, frame.columnWidth - number.width - frame.baseSize))
        footerLayouts[key] = (title, number)
        return (title, number)
    }

    /// The footer: its text on the inner side, `n / N` on the outer (right unless mirrored).
    func drawFooter(_ cr: OpaquePointer, _ footer: Footer, frame: PageFrame, originX: Double) {
        let (titleLayout, numberLayout) = footerLayout(footer, frame: frame)
        let baseline = frame.footerBaseline
        let left = originX + frame.left
        let right = originX + frame.width - frame.right
        if let line = titleLayout.lines.first {
            let x = footer.mirrored ? right - line.width : left
            engine.drawLine(cr, layout: titleLayout.id, line: 0, x: x, baseline: baseline)
        }
        let x = footer.mirrored ? left : right - numberLayout.width
        engine.drawLine(cr, layout: numberLayout.id, line: 0, x: x, baseline: baseline)
    }
}
