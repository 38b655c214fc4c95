import MonarchMarkdown

/// The box glyphs of task list items. Both are in DejaVu Sans and Symbola (the fonts
/// fontconfig falls back to for them); `PrintFonts.characters` asks for both whenever a
/// page has a task item, so that the two come from one font.
enum TaskMarker {
    static let open = "\u{2610}"   // ☐
    static let done = "\u{2611}"   // ☑
}

extension RGB {
    /// A callout's bar and label, and its box's tint.
    static func callout(_ kind: CalloutKind) -> (accent: RGB, background: RGB) {
        switch kind {
        case .note: (RGB(0.04, 0.28, 0.58), RGB(0.93, 0.96, 1.0))
        case .tip: (RGB(0.1, 0.42, 0.18), RGB(0.93, 0.98, 0.93))
        case .important: (RGB(0.4, 0.2, 0.62), RGB(0.96, 0.94, 1.0))
        case .warning: (RGB(0.6, 0.38, 0.0), RGB(1.0, 0.97, 0.9))
        case .caution: (RGB(0.7, 0.1, 0.1), RGB(1.0, 0.94, 0.94))
        }
    }
}

/// Callouts, details, definition lists and footnotes.
extension FlowBuilder {
    /// A callout: a tinted box with a bar on the left, its label (in the page's language)
    /// in bold on the first line, then its blocks.
    mutating func callout(_ kind: CalloutKind, _ children: [Block], at position: SourcePosition, _ ctx: BlockContext) {
        let pad = 0.6 * s
        let bar = 0.25 * s
        let colors = RGB.callout(kind)
        var inner = ctx
        inner.decorations.append(Decoration(id: counter.number(), kind: .fill(x: ctx.indent, width: ctx.width),
                                            color: colors.background))
        inner.decorations.append(Decoration(id: counter.number(), kind: .bar(x: ctx.indent, width: bar), color: colors.accent))
        inner.indent += bar + pad
        inner.width -= bar + 2 * pad
        inner.structure.append(counter.node("Div"))
        inner.paragraphSpace = 0.6 * s
        var label = RichText()
        var bold = InlineStyle()
        bold.bold = true
        label.append(page.labels.callout(kind), style: bold)
        var font = bodyFont
        font.color = colors.accent
        let layout = engine.layout(label, font: font, style: style, width: inner.width)
        checkFit(layout, text: label.string, width: inner.width, at: position)
        pushLines(layout, text: nil, x: inner.indent, ctx: inner, structure: inner.structure + [counter.node("P")],
                  keepTogether: true, padTop: pad * 0.8)
        keepWithPrevious = true
        spaceAfterHeading = 0.25 * s
        blocks(children, inner)
        flushMarker()
        pendingSpace = 0
        spaceAfterHeading = nil
        push(Box(height: pad * 0.8, breakBefore: .forbidden, decorations: inner.decorations))
        space(ctx.paragraphSpace)
    }

    /// `<details>`: printed open, the summary in bold, the blocks indented under it.
    mutating func details(_ summary: [Inline], _ children: [Block], at position: SourcePosition, _ ctx: BlockContext) {
        var inner = ctx
        inner.structure.append(counter.node("Div"))
        var bold = InlineStyle()
        bold.bold = true
        paragraph(summary, at: position, inner, base: bold)
        keepWithPrevious = true
        spaceAfterHeading = 0.35 * s
        inner.indent += 1.2 * s
        inner.width -= 1.2 * s
        blocks(children, inner)
        space(ctx.paragraphSpace)
    }

    /// `<dl>`: each term in bold, its definitions indented under it.
    mutating func definitionList(_ items: [DefinitionItem], at position: SourcePosition, _ ctx: BlockContext) {
        let list = counter.node("L")
        var bold = InlineStyle()
        bold.bold = true
        for (i, item) in items.enumerated() {
            if i > 0 { space(ctx.paragraphSpace) }
            let entry = counter.node("LI")
            var termContext = ctx
            termContext.structure += [list, entry, counter.node("Lbl")]
            for (k, term) in item.terms.enumerated() {
                if k > 0 { space(0.2 * s) }
                paragraph(term, at: position, termContext, base: bold)
                keepWithPrevious = true
            }
            var inner = ctx
            inner.structure += [list, entry, counter.node("LBody")]
            inner.indent += 1.5 * s
            inner.width -= 1.5 * s
            inner.paragraphSpace = 0.3 * s
            for definition in item.definitions {
                space(0.3 * s)
                blocks(definition, inner)
            }
        }
        space(ctx.paragraphSpace)
    }

    /// The page's footnotes at its end: a short rule, then each note in smaller type after
    /// its number, which links back to the note's first reference.
    mutating func footnotes(_ notes: [Footnote], at position: SourcePosition, _ ctx: BlockContext) {
        guard !notes.isEmpty else { return }
        space(1.6 * s)
        let width = min(ctx.width, 8 * s)
        push(Box(height: 0.8 * s, spaceBefore: takeSpace(), breakBefore: takeLeadingRule(),
                 items: [.rule(x: ctx.indent, y: 0.2 * s, width: width, height: 0.6, color: RGB.rule)],
                 decorations: ctx.decorations))
        keepWithPrevious = true
        let scale = 0.85
        var font = bodyFont
        font.size *= scale
        let list = counter.node("L")
        var markers: [TextLayout] = []
        for note in notes {
            var text = RichText()
            var number = InlineStyle()
            if !note.referenceIDs.isEmpty { number.color = RGB.link }
            text.append("\(note.number).", style: number)
            markers.append(engine.layout(text, font: font, style: style, width: nil))
        }
        let gap = 0.4 * s
        let gutter = max(1.4 * s, (markers.map(\.width).max() ?? 0) + gap + 0.2 * s)
        for (note, marker) in zip(notes, markers) {
            let entry = counter.node("LI")
            pendingMarker = (marker, ctx.indent + gutter - gap - marker.width,
                             ctx.structure + [list, entry, counter.node("Lbl")],
                             note.referenceIDs.first.map { .destination(destinationPrefix + $0) },
                             destinationPrefix + note.id)
            var inner = ctx
            inner.indent += gutter
            inner.width -= gutter
            inner.structure += [list, entry, counter.node("LBody")]
            inner.paragraphSpace = 0.3 * s
            inner.textScale = scale
            space(0.3 * s)
            blocks(note.blocks, inner)
            flushMarker()
        }
    }
}
