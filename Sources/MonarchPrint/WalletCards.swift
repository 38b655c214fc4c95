import CPangoCairo
import Foundation
import MonarchCore

/// One wallet card: a contact in the front language and, for the back, the same contact in
/// the back language (nil: the back is left blank).
public struct WalletCard: Sendable {
    public var front: PrintedContact
    public var back: PrintedContact?
    /// Where the front's contact block is, for problems: the page's path, line and column.
    public var sourcePath: String
    public var line: Int?
    public var column: Int?

    public init(front: PrintedContact, back: PrintedContact?, sourcePath: String, line: Int? = nil, column: Int? = nil) {
        self.front = front
        self.back = back
        self.sourcePath = sourcePath
        self.line = line
        self.column = column
    }
}

/// Wallet cards (issue #5): contacts on cards of 3.5 × 2 in (252 × 144 pt), ten to a Letter
/// or A4 sheet in 2 columns and 5 rows, the grid centred, with crop marks in the margin at
/// every cut. Each sheet of fronts is followed by its sheet of backs, mirrored left to
/// right, so that printed on both sides with a flip on the long edge every card's back lies
/// behind its front. Text is real, selectable text (Pango, the fonts of the language);
/// a card's text is made smaller until it fits, and a contact that does not fit even at
/// 6 pt is a problem at its block.
public enum WalletCards {
    public static let cardWidth = 252.0
    public static let cardHeight = 144.0
    public static let columns = 2
    public static let rows = 5
    public static var perSheet: Int { columns * rows }

    /// The top left corner of the card in `slot` (0..<10, row by row) on a front sheet, or
    /// on a back sheet (`back`: the column mirrored).
    static func origin(slot: Int, back: Bool, paper: PaperSize) -> (x: Double, y: Double) {
        let (width, height) = paper.points
        let left = (width - Double(columns) * cardWidth) / 2
        let top = (height - Double(rows) * cardHeight) / 2
        var column = slot % columns
        if back { column = columns - 1 - column }
        return (left + Double(column) * cardWidth, top + Double(slot / columns) * cardHeight)
    }

    public static func render(_ cards: [WalletCard], frontTag: String, backTag: String, title: String, author: String,
                              options: PamphletOptions) -> Result<Data, PamphletProblems> {
        var problems: [PamphletProblem] = []
        for tag in [frontTag, backTag] {
            if case .failure(let error) = PDFLanguage.validate(tag) {
                problems.append(PamphletProblem(path: cards.first?.sourcePath ?? "site.yaml", message: error.message))
            }
            for family in LanguageStyle.forTag(tag).requiredFamilies {
                if let message = FontCheck.problem(family: family) {
                    problems.append(PamphletProblem(path: cards.first?.sourcePath ?? "site.yaml",
                                                    message: message + " (needed for language '\(tag)')"))
                }
            }
        }
        guard problems.isEmpty else { return .failure(PamphletProblems(problems)) }
        var characters: [String: Set<UInt32>] = [frontTag: PrintFonts.printedByMonarch, backTag: PrintFonts.printedByMonarch]
        for text in [title, author] { characters[frontTag]!.formUnion(text.unicodeScalars.map(\.value)) }
        for card in cards {
            for (tag, contact) in [(frontTag, card.front), (backTag, card.back)] {
                guard let contact else { continue }
                for text in [contact.name] + contact.lines.flatMap({ [$0.label, $0.value] }) {
                    characters[tag]!.formUnion(text.unicodeScalars.map(\.value))
                }
            }
        }
        // As a pamphlet (`Pamphlet.rendering`): subsets of the cards' text, and once more
        // with any character the layout used that they lack.
        var fonts = options.fonts ?? PrintFonts.prepare(charactersByTag: characters)
        while true {
            let (result, used) = RenderSession.shared.withFontMap(fonts) { map in
                let engine = TextEngine(fontMap: map)
                return (draw(cards, engine: engine, frontTag: frontTag, backTag: backTag, title: title, author: author,
                             options: options), engine.characters)
            }
            guard let current = fonts, case .success = result else { return result }
            let missing = current.missing(from: used)
            guard !missing.isEmpty, let next = PrintFonts.prepare(charactersByTag: current.asked(adding: missing, tag: frontTag)),
                  next !== current else { return result }
            fonts = next
        }
    }

    private static func draw(_ cards: [WalletCard], engine: TextEngine, frontTag: String, backTag: String, title: String,
                             author: String, options: PamphletOptions) -> Result<Data, PamphletProblems> {
        var problems: [PamphletProblem] = []
        let frontStyle = LanguageStyle.forTag(frontTag)
        let backStyle = LanguageStyle.forTag(backTag)
        var fronts: [CardLayout] = []
        var backs: [CardLayout?] = []
        for card in cards {
            guard let front = layoutCard(card.front, engine: engine, style: frontStyle) else {
                problems.append(PamphletProblem(path: card.sourcePath, line: card.line, column: card.column,
                    message: "contact '\(card.front.name)' does not fit on a 3.5 × 2 in wallet card even in 6 pt type; shorten its name, hours or languages"))
                continue
            }
            var back: CardLayout?
            if let contact = card.back {
                back = layoutCard(contact, engine: engine, style: backStyle)
                if back == nil {
                    problems.append(PamphletProblem(path: card.sourcePath, line: card.line, column: card.column,
                        message: "the \(backTag) translation of contact '\(card.front.name)' does not fit on a wallet card even in 6 pt type; shorten it"))
                }
            }
            fronts.append(front)
            backs.append(back)
        }
        guard problems.isEmpty else { return .failure(PamphletProblems(problems)) }
        engine.prepareToDraw()
        let (width, height) = options.paper.points
        let writer = PDFWriter(width: width, height: height, title: title, author: author, subject: "",
                               date: options.creationDate, tagged: false)
        let sheets = max(1, (fronts.count + perSheet - 1) / perSheet)
        for sheet in 0..<sheets {
            for side in [false, true] {
                let cr = writer.cr
                cropMarks(cr, paper: options.paper)
                for slot in 0..<perSheet {
                    let index = sheet * perSheet + slot
                    guard index < fronts.count else { break }
                    let layout = side ? backs[index] : fronts[index]
                    guard let layout else { continue }
                    let origin = origin(slot: slot, back: side, paper: options.paper)
                    draw(layout, engine: engine, cr: cr, x: origin.x, y: origin.y)
                }
                writer.endPage(last: sheet == sheets - 1 && side)
            }
        }
        switch writer.finish().flatMap({ PDFLanguage.setLanguage(frontTag, in: $0) }) {
        case .success(let data): return .success(data)
        case .failure(let error):
            return .failure(PamphletProblems([PamphletProblem(path: cards.first?.sourcePath ?? "site.yaml", message: error.message)]))
        }
    }

    // MARK: - Layout

    /// A card's text, laid out: its lines and where the block starts inside the card.
    struct CardLayout {
        var layout: TextLayout
        var top: Double
    }

    static let padding = 14.0

    /// The contact's text at the largest size from 10 pt down that fits the card, or nil.
    static func layoutCard(_ contact: PrintedContact, engine: TextEngine, style: LanguageStyle) -> CardLayout? {
        let innerWidth = cardWidth - 2 * padding
        let innerHeight = cardHeight - 2 * padding
        var size = 10.0
        while size >= 6 {
            let text = cardText(contact, style: style)
            let layout = engine.layout(text, font: FontSpec(families: style.bodyFamilyList, size: size), style: style,
                                       width: innerWidth, lineHeight: max(1.2, style.lineHeight - 0.25))
            let height = layout.lines.last.map { $0.top + $0.height } ?? 0
            if !layout.overflows && height <= innerHeight {
                return CardLayout(layout: layout, top: padding + (innerHeight - height) / 2)
            }
            size -= 0.5
        }
        return nil
    }

    /// The name in bold, then each line as `label: value` with numbers in bold.
    static func cardText(_ contact: PrintedContact, style: LanguageStyle) -> RichText {
        var text = RichText()
        var name = InlineStyle()
        name.bold = true
        name.scale = 1.15
        text.append(contact.name, style: name)
        var label = InlineStyle()
        label.color = RGB.muted
        let colon = style.dropsSpaceBetweenIdeographs ? "：" : ": "
        for line in contact.lines {
            text.append("\u{2028}", style: InlineStyle())
            text.append(line.label + colon, style: label)
            var value = InlineStyle()
            if line.link != nil {
                value.bold = true
                value.scale = 1.1
            }
            text.append(line.value, style: value)
        }
        return text
    }

    static func draw(_ card: CardLayout, engine: TextEngine, cr: OpaquePointer, x: Double, y: Double) {
        for line in card.layout.lines {
            engine.drawLine(cr, layout: card.layout.id, line: line.index, x: x + padding + line.x,
                            baseline: y + card.top + line.top + line.baseline)
        }
    }

    /// Thin marks in the margin along every cut line, 4.5 pt away from the cards, 18 pt long.
    static func cropMarks(_ cr: OpaquePointer, paper: PaperSize) {
        let first = origin(slot: 0, back: false, paper: paper)
        let right = first.x + Double(columns) * cardWidth
        let bottom = first.y + Double(rows) * cardHeight
        let gap = 4.5, length = 18.0
        cairo_save(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_set_line_width(cr, 0.5)
        for c in 0...columns {
            let x = first.x + Double(c) * cardWidth
            cairo_move_to(cr, x, first.y - gap)
            cairo_line_to(cr, x, first.y - gap - length)
            cairo_move_to(cr, x, bottom + gap)
            cairo_line_to(cr, x, bottom + gap + length)
        }
        for r in 0...rows {
            let y = first.y + Double(r) * cardHeight
            cairo_move_to(cr, first.x - gap, y)
            cairo_line_to(cr, first.x - gap - length, y)
            cairo_move_to(cr, right + gap, y)
            cairo_line_to(cr, right + gap + length, y)
        }
        cairo_stroke(cr)
        cairo_restore(cr)
    }
}
