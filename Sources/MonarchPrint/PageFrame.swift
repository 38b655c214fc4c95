import MonarchCore

/// The geometry of one printed page: its size, margins and type size.
struct PageFrame: Sendable {
    var width: Double
    var height: Double
    var left: Double
    var right: Double
    var top: Double
    var bottom: Double
    /// The body type size in points; every other size is a multiple of it.
    var baseSize: Double

    var columnWidth: Double { width - left - right }
    var bodyHeight: Double { height - top - bottom }
    /// The footer's baseline, from the page's top.
    var footerBaseline: Double { height - bottom * 0.48 }

    /// A full page: 1 inch margins (0.9 in on A4's narrower width), 11.5 pt type.
    static func full(_ paper: PaperSize) -> PageFrame {
        let (w, h) = paper.points
        let side = paper == .a4 ? 64.0 : 72.0
        return PageFrame(width: w, height: h, left: side, right: side, top: 62, bottom: 68, baseSize: 11.5)
    }

    /// Half of a landscape sheet of `paper` (5.5 × 8.5 in on Letter, A5 on A4): the page of
    /// a booklet, a kit, or one language of a bilingual pamphlet. 10 pt type.
    static func half(_ paper: PaperSize) -> PageFrame {
        let (w, h) = paper.points
        return PageFrame(width: h / 2, height: w, left: 40, right: 40, top: 42, bottom: 54, baseSize: 10)
    }

    /// The landscape sheet that holds two `half` pages.
    static func sheet(_ paper: PaperSize) -> (width: Double, height: Double) {
        let (w, h) = paper.points
        return (h, w)
    }
}
