/// A node of the PDF structure tree (`P`, `H2`, `L`, `LI`, ...), unique within a render.
struct StructNode: Hashable, Sendable {
    var name: String
    var id: Int
}

/// Whether a page may end before a box.
enum BreakRule: Sendable {
    case allowed
    /// Keeps the box on the page of the box before it: the lines of a heading, a heading
    /// and what follows it, the first two and last two lines of a paragraph.
    case forbidden
    /// Starts a new page (a kit's pages).
    case forced
}

/// Something drawn inside a box, at coordinates relative to the box's top left corner on
/// the column's left edge.
enum DrawItem: Sendable {
    case text(layout: Int, line: Int, x: Double, baseline: Double, structure: [StructNode])
    case image(index: Int, x: Double, y: Double, width: Double, height: Double, structure: [StructNode])
    case rule(x: Double, y: Double, width: Double, height: Double, color: RGB)
    case qr(QRMatrix, x: Double, y: Double, size: Double, structure: [StructNode])
    /// A kit's table-of-contents page number, known only after pagination.
    case tocNumber(entry: Int, right: Double, baseline: Double, structure: [StructNode])
}

/// Drawn over a box's whole height, and over the gap above it when the box before it on
/// the page carries the same decoration: the bar of a block quote, the shading of code.
struct Decoration: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case bar(x: Double, width: Double)
        case fill(x: Double, width: Double)
    }
    var id: Int
    var kind: Kind
    var color: RGB
}

/// A heading: an outline entry (bookmark) and a named destination for `#id` links.
struct Anchor: Sendable {
    var level: Int
    var title: String
    var id: String?
    var x: Double
}

/// A named destination that is no heading (a footnote, a reference to one): a link target
/// with no bookmark.
struct Destination: Sendable {
    var id: String
    var x: Double
    var y: Double
}

/// A clickable area of a box.
struct LinkArea: Sendable {
    var link: Int
    var target: LinkTarget
    var x: Double, y: Double, width: Double, height: Double
}

/// The unit of pagination: one line of text, an image, a rule. A page ends only between
/// boxes.
struct Box: Sendable {
    var height: Double
    /// Space above the box, dropped at the top of a page.
    var spaceBefore: Double = 0
    var breakBefore: BreakRule = .allowed
    var items: [DrawItem] = []
    var decorations: [Decoration] = []
    var anchors: [Anchor] = []
    var links: [LinkArea] = []
    var destinations: [Destination] = []
    /// A table row's header rows: placed again above this box when it starts a page.
    var header: Range<Int>?
    /// Drawn only when the box is the first on its page: the rule above a table row that
    /// the row above it draws elsewhere.
    var itemsAtPageTop: [DrawItem] = []
    /// Drawn only when the box is the last on its page: the rule under a band of a table
    /// row cut between pages.
    var itemsAtPageBottom: [DrawItem] = []
}

/// A box placed on a page, `y` from the top of the page's text area.
struct Placement: Sendable {
    var box: Int
    var y: Double
    /// A table's header repeated on a page its table continues on: drawn again, but no
    /// bookmark or destination of it is made twice.
    var repeated = false
}

/// Where the next box goes.
struct FlowCursor: Sendable, Comparable {
    var page: Int
    var y: Double

    static func < (a: FlowCursor, b: FlowCursor) -> Bool { (a.page, a.y) < (b.page, b.y) }
}

enum Paginator {
    /// Places `boxes[range]` on `pages`, from `start` on, each page `height` tall.
    ///
    /// Greedy, with backtracking: when a box does not fit, the page ends before the last
    /// box on it where a break is allowed (so headings keep with what follows and no
    /// paragraph leaves one line alone at the top or the bottom of a page); if there is no
    /// such box, the page ends where it is full. A table row that starts a page gets its
    /// table's header rows above it (`Box.header`).
    @discardableResult
    static func place(_ boxes: [Box], range: Range<Int>, height: Double, from start: FlowCursor,
                      into pages: inout [[Placement]]) -> FlowCursor {
        var page = start.page
        var y = start.y
        var i = range.lowerBound
        func ensure(_ page: Int) { while pages.count <= page { pages.append([]) } }
        ensure(page)
        // Nothing above the next box on this page (its space before is dropped).
        var atTop = start.y == 0 && pages[page].isEmpty
        // The first box of this run on the current page, and whether something placed
        // before this run (the other section in a bilingual column) is on that page too.
        var firstOnPage = i
        var earlierContent = !atTop
        // Only a repeated table header is on this page so far: the next row goes here even
        // if it does not fit, as it would at the top of a page.
        var onlyHeader = false
        func newPage() {
            page += 1; y = 0; ensure(page); firstOnPage = i; earlierContent = false; atTop = true; onlyHeader = false
        }
        while i < range.upperBound {
            let box = boxes[i]
            if box.breakBefore == .forced && !atTop {
                newPage()
                continue
            }
            if atTop, let header = box.header, !header.contains(i), !header.isEmpty {
                for h in header {
                    pages[page].append(Placement(box: h, y: y, repeated: true))
                    y += boxes[h].height
                }
                atTop = false
                onlyHeader = true
            }
            let top = atTop ? 0 : y + box.spaceBefore
            if atTop || onlyHeader || top + box.height <= height + 0.01 {
                pages[page].append(Placement(box: i, y: top))
                y = top + box.height
                atTop = false
                onlyHeader = false
                i += 1
                continue
            }
            let lowest = earlierContent ? firstOnPage : firstOnPage + 1
            var j = i
            while j >= lowest && boxes[j].breakBefore == .forbidden { j -= 1 }
            if j >= lowest && j < i {
                pages[page].removeAll { $0.box >= j && $0.box < i }
                i = j
            }
            newPage()
        }
        return FlowCursor(page: page, y: y)
    }
}
