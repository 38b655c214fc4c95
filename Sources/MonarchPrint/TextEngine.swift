import CPangoCairo
import Foundation

enum TextAlignment { case left, center, right }

/// A font for a block of text.
struct FontSpec: Hashable {
    var families: String
    var size: Double
    var bold = false
    var italic = false
    var color = RGB.text
}

/// One laid-out line of a `TextLayout`, in points, relative to the layout's top left.
struct LineMetrics: Sendable {
    var index: Int
    /// UTF-8 byte range of the line in the layout's text.
    var bytes: Range<Int>
    var top: Double
    var height: Double
    /// Baseline, from the line's top.
    var baseline: Double
    var x: Double
    var width: Double
}

/// A Pango layout owned by a `TextEngine`, identified by its index.
struct TextLayout: Sendable {
    var id: Int
    var lines: [LineMetrics]
    /// A line wider than the width asked for: a piece of text that cannot be broken to fit.
    var overflows: Bool
    var width: Double { lines.map { $0.x + $0.width }.max() ?? 0 }
}

/// Every Pango object of one render: contexts per language and the layouts of the
/// document, freed together when the render ends. Used by one thread at a time (its font
/// map comes from `RenderSession`).
final class TextEngine {
    private let fontMap: UnsafeMutablePointer<PangoFontMap>
    private var contexts: [String: OpaquePointer] = [:]
    private var layouts: [OpaquePointer] = []
    private let fontOptions: OpaquePointer
    /// Every character laid out so far (Unicode scalar values): a render checks that its
    /// font subsets hold them all.
    private(set) var characters = Set<UInt32>()

    init(fontMap: UnsafeMutablePointer<PangoFontMap>) {
        self.fontMap = fontMap
        fontOptions = cairo_font_options_create()
        // Unhinted metrics: a PDF is scaled by its reader, so positions must not be rounded
        // to a screen's pixel grid.
        cairo_font_options_set_hint_metrics(fontOptions, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(fontOptions, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(fontOptions, CAIRO_ANTIALIAS_GRAY)
    }

    deinit {
        for layout in layouts { g_object_unref(UnsafeMutableRawPointer(layout)) }
        for context in contexts.values { g_object_unref(UnsafeMutableRawPointer(context)) }
        cairo_font_options_destroy(fontOptions)
    }

    private func context(for tag: String) -> OpaquePointer {
        if let context = contexts[tag] { return context }
        let context = pango_font_map_create_context(fontMap)!
        pango_cairo_context_set_resolution(context, 72)
        pango_cairo_context_set_font_options(context, fontOptions)
        pango_context_set_round_glyph_positions(context, 0)
        pango_context_set_language(context, pango_language_from_string(tag))
        pango_context_set_base_dir(context, PANGO_DIRECTION_LTR)
        contexts[tag] = context
        return context
    }

    /// Lays out `text` in `width` points (nil: one line per paragraph, no wrapping).
    /// Korean words (`style.keepAll`) break only at spaces unless one alone is wider than
    /// the line, which then breaks between syllables.
    func layout(_ text: RichText, font: FontSpec, style: LanguageStyle, width: Double?,
                lineHeight: Double? = nil, alignment: TextAlignment = .left) -> TextLayout {
        for scalar in text.string.unicodeScalars { characters.insert(scalar.value) }
        let context = context(for: style.tag)
        let layout = pango_layout_new(context)!
        layouts.append(layout)
        let id = layouts.count - 1
        let pl = layout
        pango_layout_set_text(pl, text.string, Int32(text.string.utf8.count))
        let description = pango_font_description_new()
        pango_font_description_set_family(description, font.families)
        pango_font_description_set_absolute_size(description, font.size * Double(PANGO_SCALE))
        pango_font_description_set_weight(description, font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_style(description, font.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        pango_layout_set_font_description(pl, description)
        pango_font_description_free(description)
        pango_layout_set_alignment(pl, alignment == .center ? PANGO_ALIGN_CENTER : alignment == .right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT)
        if let width {
            pango_layout_set_width(pl, Int32(max(1, width * Double(PANGO_SCALE))))
            pango_layout_set_wrap(pl, PANGO_WRAP_WORD_CHAR)
        }

        var breakable: Set<Int> = []   // Korean words allowed to break (by start byte)
        let words = style.keepAll || text.string.unicodeScalars.contains(where: \.isHangul)
            ? Self.hangulWords(text.string) : []
        var result: TextLayout
        var attempts = 0
        var bytes = Array(text.string.utf8)
        repeat {
            if !breakable.isEmpty {
                // A Korean word wider than the line starts a line of its own (the space
                // before it becomes a line break, the same byte count) and then breaks
                // between syllables, as CSS `overflow-wrap: break-word` does.
                for start in breakable where start > 0 && bytes[start - 1] == 0x20 { bytes[start - 1] = 0x0A }
                bytes.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { pango_layout_set_text(pl, $0.baseAddress, Int32($0.count)) }
                }
            }
            setAttributes(pl, text: text, font: font, style: style, lineHeight: lineHeight ?? style.lineHeight, keepAll: words.filter { !breakable.contains($0.lowerBound) })
            result = measure(pl, id: id)
            attempts += 1
            guard let width, !words.isEmpty, result.overflows, attempts < 6 else { break }
            let limit = width + 0.5
            var changed = false
            for line in result.lines where line.x + line.width > limit {
                for word in words where word.overlaps(line.bytes) && !breakable.contains(word.lowerBound) {
                    breakable.insert(word.lowerBound)
                    changed = true
                }
            }
            if !changed { break }
        } while true
        if let width {
            result.overflows = result.lines.contains { $0.x + $0.width > width + 0.5 }
        }
        return result
    }

    /// The width of the widest piece of `text` that no line may break inside (CSS's
    /// min-content width): its longest word in Latin, Korean (`style.keepAll`) and Thai
    /// (libthai's words), one character in Chinese.
    func minimumWidth(_ text: RichText, font: FontSpec, style: LanguageStyle) -> Double {
        measureWidth(text, font: font, style: style, wrapEverywhere: true)
    }

    /// The width of `text` with lines broken only where it breaks them itself (CSS's
    /// max-content width).
    func maximumWidth(_ text: RichText, font: FontSpec, style: LanguageStyle) -> Double {
        measureWidth(text, font: font, style: style, wrapEverywhere: false)
    }

    /// Measures with a layout of its own, freed at once: it is never drawn.
    private func measureWidth(_ text: RichText, font: FontSpec, style: LanguageStyle, wrapEverywhere: Bool) -> Double {
        for scalar in text.string.unicodeScalars { characters.insert(scalar.value) }
        let pl = pango_layout_new(context(for: style.tag))!
        defer { g_object_unref(UnsafeMutableRawPointer(pl)) }
        pango_layout_set_text(pl, text.string, Int32(text.string.utf8.count))
        let description = pango_font_description_new()
        pango_font_description_set_family(description, font.families)
        pango_font_description_set_absolute_size(description, font.size * Double(PANGO_SCALE))
        pango_font_description_set_weight(description, font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_layout_set_font_description(pl, description)
        pango_font_description_free(description)
        if wrapEverywhere {
            pango_layout_set_width(pl, 1)
            pango_layout_set_wrap(pl, PANGO_WRAP_WORD)
        }
        let words = style.keepAll || text.string.unicodeScalars.contains(where: \.isHangul) ? Self.hangulWords(text.string) : []
        setAttributes(pl, text: text, font: font, style: style, lineHeight: style.lineHeight, keepAll: words)
        return measure(pl, id: -1).width
    }

    /// The byte ranges of the runs of non-space text that contain Hangul.
    static func hangulWords(_ string: String) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start: Int?
        var hasHangul = false
        var offset = 0
        for scalar in string.unicodeScalars {
            let length = UTF8.width(scalar)
            if scalar.properties.isWhitespace || scalar == "\u{2028}" {
                if let s = start, hasHangul { out.append(s..<offset) }
                start = nil
                hasHangul = false
            } else {
                if start == nil { start = offset }
                if scalar.isHangul { hasHangul = true }
            }
            offset += length
        }
        if let s = start, hasHangul { out.append(s..<offset) }
        return out
    }

    private func setAttributes(_ pl: OpaquePointer, text: RichText, font: FontSpec,
                               style: LanguageStyle, lineHeight: Double, keepAll: [Range<Int>]) {
        let list = pango_attr_list_new()!
        let end = text.string.utf8.count
        func add(_ attribute: UnsafeMutablePointer<PangoAttribute>?, _ range: Range<Int>) {
            guard let attribute else { return }
            attribute.pointee.start_index = UInt32(range.lowerBound)
            attribute.pointee.end_index = UInt32(range.upperBound)
            pango_attr_list_insert(list, attribute)
        }
        let all = 0..<max(end, 1)
        add(pango_attr_language_new(pango_language_from_string(style.tag)), all)
        add(pango_attr_line_height_new_absolute(Int32(font.size * lineHeight * Double(PANGO_SCALE))), all)
        // A word broken at the end of a line gets no inserted hyphen: it would be copied
        // with the text and is wrong in Thai, Chinese and Korean.
        add(pango_attr_insert_hyphens_new(0), all)
        add(Self.color(font.color), all)
        for run in text.runs {
            let s = run.style
            if s.bold { add(pango_attr_weight_new(PANGO_WEIGHT_BOLD), run.range) }
            if s.italic { add(pango_attr_style_new(PANGO_STYLE_ITALIC), run.range) }
            if s.mono { add(pango_attr_family_new(style.monoFamilyList), run.range) }
            if s.scale != 1 { add(pango_attr_size_new_absolute(Int32(font.size * s.scale * Double(PANGO_SCALE))), run.range) }
            if let color = s.color { add(Self.color(color), run.range) }
            if s.underline { add(pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), run.range) }
            if s.strikethrough { add(pango_attr_strikethrough_new(1), run.range) }
            if s.rise != 0 { add(pango_attr_rise_new(Int32(font.size * s.rise * Double(PANGO_SCALE))), run.range) }
            if let bg = s.background {
                add(pango_attr_background_new(UInt16(bg.r * 65535), UInt16(bg.g * 65535), UInt16(bg.b * 65535)), run.range)
            }
        }
        for word in keepAll { add(pango_attr_allow_breaks_new(0), word) }
        pango_layout_set_attributes(pl, list)
        pango_attr_list_unref(list)
    }

    private static func color(_ c: RGB) -> UnsafeMutablePointer<PangoAttribute>? {
        pango_attr_foreground_new(UInt16(c.r * 65535), UInt16(c.g * 65535), UInt16(c.b * 65535))
    }

    private func measure(_ pl: OpaquePointer, id: Int) -> TextLayout {
        var lines: [LineMetrics] = []
        let iter = pango_layout_get_iter(pl)!
        defer { pango_layout_iter_free(iter) }
        let scale = Double(PANGO_SCALE)
        var index = 0
        repeat {
            var y0: Int32 = 0, y1: Int32 = 0
            pango_layout_iter_get_line_yrange(iter, &y0, &y1)
            let baseline = pango_layout_iter_get_baseline(iter)
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(iter, nil, &logical)
            let line = pango_layout_iter_get_line_readonly(iter)!
            let start = Int(line.pointee.start_index)
            let length = Int(line.pointee.length)
            lines.append(LineMetrics(index: index, bytes: start..<(start + length),
                                     top: Double(y0) / scale, height: Double(y1 - y0) / scale,
                                     baseline: Double(baseline - y0) / scale,
                                     x: Double(logical.x) / scale, width: Double(logical.width) / scale))
            index += 1
        } while pango_layout_iter_next_line(iter) != 0
        let width = Double(pango_layout_get_width(pl)) / scale
        let overflows = width > 0 && lines.contains { $0.x + $0.width > width + 0.5 }
        return TextLayout(id: id, lines: lines, overflows: overflows)
    }

    /// The horizontal extents of `bytes` on a line, relative to the layout's left edge.
    func xRanges(layout: TextLayout, line: Int, bytes: Range<Int>) -> [ClosedRange<Double>] {
        let pl = layouts[layout.id]
        guard let pangoLine = pango_layout_get_line_readonly(pl, Int32(line)) else { return [] }
        var ranges: UnsafeMutablePointer<Int32>?
        var count: Int32 = 0
        pango_layout_line_get_x_ranges(pangoLine, Int32(bytes.lowerBound), Int32(bytes.upperBound), &ranges, &count)
        guard let ranges else { return [] }
        defer { g_free(ranges) }
        var out: [ClosedRange<Double>] = []
        for i in 0..<Int(count) {
            let a = Double(ranges[2 * i]) / Double(PANGO_SCALE)
            let b = Double(ranges[2 * i + 1]) / Double(PANGO_SCALE)
            out.append(min(a, b)...max(a, b))
        }
        return out
    }

    /// Gets the layouts made so far ready to draw (see `groupClustersByGrapheme`). Call
    /// once, after the last layout and before drawing.
    func prepareToDraw() {
        for layout in layouts { Self.groupClustersByGrapheme(layout) }
    }

    /// Makes every user-perceived character (a Thai consonant with its vowel and tone
    /// marks, a letter with its accents) one glyph cluster.
    ///
    /// Pango shapes with one cluster per character, so cairo maps each glyph to its own
    /// character and places it on its own. A mark that HarfBuzz raises (a tone mark over an
    /// upper vowel) then sits off the baseline, and text extraction (pdftotext, copy and
    /// paste) reads it as a separate line: `ทั้ง` came out as `ทัง` + `้`. With the marks in
    /// their base's cluster, cairo writes the whole cluster with `/ActualText`, which
    /// readers take as one piece of text at the base's place. Only the glyph strings'
    /// cluster map changes; positions stay as Pango set them.
    static func groupClustersByGrapheme(_ layout: OpaquePointer) {
        guard let text = pango_layout_get_text(layout) else { return }
        let length = Int(strlen(text))
        var starts: [Int32] = []
        var offset: Int32 = 0
        var needed = false
        for character in String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self) {
            starts.append(offset)
            if character.unicodeScalars.count > 1 { needed = true }
            offset += Int32(character.utf8.count)
        }
        guard needed else { return }
        func graphemeStart(_ index: Int32) -> Int32 {
            var low = 0, high = starts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if starts[mid] <= index { low = mid } else { high = mid - 1 }
            }
            return starts[low]
        }
        var lines = pango_layout_get_lines_readonly(layout)
        while let node = lines {
            let line = node.pointee.data.assumingMemoryBound(to: PangoLayoutLine.self)
            var runs = line.pointee.runs
            while let runNode = runs {
                let run = runNode.pointee.data.assumingMemoryBound(to: PangoGlyphItem.self)
                if let item = run.pointee.item, let glyphs = run.pointee.glyphs {
                    let itemOffset = item.pointee.offset
                    for i in 0..<Int(glyphs.pointee.num_glyphs) {
                        let start = graphemeStart(itemOffset + glyphs.pointee.log_clusters[i])
                        glyphs.pointee.log_clusters[i] = max(0, start - itemOffset)
                    }
                }
                runs = runNode.pointee.next
            }
            lines = node.pointee.next
        }
    }

    /// The characters of every layout that no font drew, each once, in the order found.
    func unknownCharacters() -> [Character] {
        var seen = Set<Character>()
        return layouts.indices.flatMap { unknownCharacters(layout: $0) }.filter { seen.insert($0).inserted }
    }

    /// The characters of layout `id` that no font drew: Pango's hex boxes
    /// (`PANGO_GLYPH_UNKNOWN_FLAG`) and glyph 0, a font's empty box.
    func unknownCharacters(layout id: Int) -> [Character] {
        guard let text = pango_layout_get_text(layouts[id]) else { return [] }
        var out: [Character] = []
        var lines = pango_layout_get_lines_readonly(layouts[id])
        while let node = lines {
            var runs = node.pointee.data.assumingMemoryBound(to: PangoLayoutLine.self).pointee.runs
            while let runNode = runs {
                let run = runNode.pointee.data.assumingMemoryBound(to: PangoGlyphItem.self)
                if let item = run.pointee.item, let glyphs = run.pointee.glyphs {
                    for i in 0..<Int(glyphs.pointee.num_glyphs) {
                        let glyph = glyphs.pointee.glyphs[i].glyph
                        guard glyph == 0 || glyph & 0x1000_0000 != 0 else { continue }   // PANGO_GLYPH_UNKNOWN_FLAG
                        // The layout's text is read only here: nearly every render has no such glyph.
                        let start = Int(item.pointee.offset + glyphs.pointee.log_clusters[i])
                        let rest = UnsafeRawBufferPointer(start: text + start, count: min(Int(strlen(text + start)), 64))
                        let character = String(decoding: rest, as: UTF8.self).first
                        if let character, !character.isWhitespace { out.append(character) }
                    }
                }
                runs = runNode.pointee.next
            }
            lines = node.pointee.next
        }
        return out
    }

    /// Draws one line with its baseline's left end at (x, y).
    func drawLine(_ cr: OpaquePointer, layout id: Int, line: Int, x: Double, baseline y: Double) {
        guard let pangoLine = pango_layout_get_line_readonly(layouts[id], Int32(line)) else { return }
        cairo_move_to(cr, x, y)
        pango_cairo_show_layout_line(cr, pangoLine)
    }
}
