import Foundation
import MonarchMarkdown
import Testing
@testable import MonarchPrint

/// Headings keep with what follows; no paragraph leaves a single line alone at the top
/// or the bottom of a page. Checked on the layout of every UDHR text, on full and half
/// pages (many page breaks).
@Suite struct PaginationTests {
    struct Laid {
        var boxes: [Box]
        var pageOfBox: [Int: Int]
    }

    static func lay(_ page: PamphletPage, frame: PageFrame) throws -> Laid {
        try RenderSession.shared.withFontMap { map in
            let engine = TextEngine(fontMap: map)
            var builder = FlowBuilder(engine: engine, images: ImageStore(), counter: Counter(), page: page, frame: frame)
            builder.buildPage()
            guard builder.problems.isEmpty else { throw TestFailure("\(builder.problems)") }
            var pages: [[Placement]] = []
            Paginator.place(builder.boxes, range: builder.boxes.indices, height: frame.bodyHeight,
                            from: FlowCursor(page: 0, y: 0), into: &pages)
            var pageOfBox: [Int: Int] = [:]
            for (n, placements) in pages.enumerated() {
                for p in placements {
                    pageOfBox[p.box] = n
                    #expect(p.y + builder.boxes[p.box].height <= frame.bodyHeight + 0.01, "box \(p.box) runs off page \(n)")
                }
            }
            #expect(pageOfBox.count == builder.boxes.count)
            return Laid(boxes: builder.boxes, pageOfBox: pageOfBox)
        }
    }

    /// The innermost structure element of a box's first line of text.
    static func element(_ box: Box) -> StructNode? {
        for item in box.items {
            if case .text(_, _, _, _, let structure) = item, let last = structure.last, last.name != "Lbl" { return last }
        }
        return nil
    }

    @Test("Headings keep with the next block; paragraphs split 2+2 or not at all",
          arguments: udhrLanguages.map(\.code))
    func keepsAndWidows(code: String) throws {
        let tag = udhrLanguages.first { $0.code == code }!.tag
        var splits = 0
        for frame in [PageFrame.full(.letter), PageFrame.half(.letter), PageFrame.half(.a4)] {
            let laid = try Self.lay(try udhrPage(code, tag: tag), frame: frame)
            // Group consecutive boxes by their element.
            var groups: [(node: StructNode, boxes: [Int])] = []
            for (i, box) in laid.boxes.enumerated() {
                guard let node = Self.element(box) else { continue }
                if groups.last?.node == node { groups[groups.count - 1].boxes.append(i) } else { groups.append((node, [i])) }
            }
            for (g, group) in groups.enumerated() {
                let pages = group.boxes.map { laid.pageOfBox[$0]! }
                if group.node.name.hasPrefix("H") {
                    #expect(Set(pages).count == 1, "a heading split over pages")
                    if g + 1 < groups.count, let next = groups[g + 1].boxes.first {
                        #expect(laid.pageOfBox[next] == pages.last, "heading \(group.node) alone at the bottom of a page")
                    }
                } else if group.node.name == "P", Set(pages).count > 1 {
                    splits += 1
                    for page in Set(pages) {
                        #expect(pages.filter { $0 == page }.count >= 2, "a single line of a paragraph alone on a page")
                    }
                }
            }
        }
        // The Chinese paragraphs are all short enough to move whole; the others split.
        if !tag.hasPrefix("zh") { #expect(splits > 0, "no paragraph was split: the test checks nothing") }
    }

    @Test("A page ends at the last allowed break when a box does not fit")
    func paginatorBacktracks() {
        func box(_ height: Double, _ rule: BreakRule) -> Box { Box(height: height, breakBefore: rule) }
        // Heading + first line kept together: both move to the second page.
        let boxes = [box(60, .allowed), box(20, .allowed), box(10, .forbidden), box(10, .forbidden), box(10, .allowed)]
        var pages: [[Placement]] = []
        Paginator.place(boxes, range: boxes.indices, height: 95, from: FlowCursor(page: 0, y: 0), into: &pages)
        #expect(pages.map { $0.map(\.box) } == [[0], [1, 2, 3, 4]])
        // Nothing allowed on the page: break where it is full.
        let stuck = [box(50, .allowed), box(50, .forbidden), box(50, .forbidden)]
        var stuckPages: [[Placement]] = []
        Paginator.place(stuck, range: stuck.indices, height: 120, from: FlowCursor(page: 0, y: 0), into: &stuckPages)
        #expect(stuckPages.map { $0.map(\.box) } == [[0, 1], [2]])
        // A forced break starts a new page; space before a box is dropped at the top.
        let forced = [Box(height: 10), Box(height: 10, spaceBefore: 30, breakBefore: .forced)]
        var forcedPages: [[Placement]] = []
        Paginator.place(forced, range: forced.indices, height: 100, from: FlowCursor(page: 0, y: 0), into: &forcedPages)
        #expect(forcedPages.map { $0.map(\.y) } == [[0], [0]])
    }
}
