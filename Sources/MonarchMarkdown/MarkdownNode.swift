/// A block of a Markdown document, copied out of cmark's tree.
public struct Block: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case paragraph([Inline])
        /// `id` is the unique heading id (see `HeadingID`); it is rendered only when
        /// `MarkdownOptions.headingIDs` is set.
        case heading(level: Int, content: [Inline], id: String)
        case blockQuote([Block])
        case list(ListBlock)
        /// `info` is the whole info string of a fenced block (empty for indented code).
        case codeBlock(info: String, code: String)
        case htmlBlock(String)
        case thematicBreak
        /// A GFM table, or an HTML table kept from raw HTML.
        case table(Table)
        /// A GitHub callout: a block quote whose first line is `[!NOTE]`, `[!WARNING]`, ...
        case callout(CalloutKind, [Block])
        /// `<details><summary>` kept from raw HTML: always shown open on paper; on the web open
        /// when written `<details open>`.
        case details(summary: [Inline], blocks: [Block], open: Bool = false)
        /// `<dl>` kept from raw HTML.
        case definitionList([DefinitionItem])
        /// The page's footnotes, numbered in order of first reference: the last block of a
        /// document that has any.
        case footnotes([Footnote])
    }

    public var kind: Kind
    public var position: SourcePosition

    public init(_ kind: Kind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
    }
}

/// A bullet or ordered list.
public struct ListBlock: Sendable, Hashable {
    public var ordered: Bool
    /// The first number of an ordered list (1 for a bullet list).
    public var start: Int
    /// A tight list renders its items' paragraphs without `<p>`.
    public var tight: Bool
    public var items: [ListItem]

    public init(ordered: Bool, start: Int, tight: Bool, items: [ListItem]) {
        self.ordered = ordered
        self.start = start
        self.tight = tight
        self.items = items
    }
}

public struct ListItem: Sendable, Hashable {
    public var blocks: [Block]
    public var position: SourcePosition
    /// A GFM task list item (`- [ ]` / `- [x]`); nil for an ordinary item.
    public var task: TaskState?

    public init(blocks: [Block], position: SourcePosition, task: TaskState? = nil) {
        self.blocks = blocks
        self.position = position
        self.task = task
    }
}

public enum TaskState: Sendable, Hashable {
    case open
    case done
}

/// A table: GFM's pipe table (one header row, inline cells, column alignment) or an HTML
/// table kept from raw HTML (cells of blocks, spans, header cells anywhere).
public struct Table: Sendable, Hashable {
    public enum Alignment: Sendable, Hashable {
        case none, left, center, right
    }

    /// One per column; `.none` where the delimiter row says nothing (and for HTML tables).
    public var alignments: [Alignment]
    /// The header rows (one for a GFM table).
    public var head: [TableRow]
    public var body: [TableRow]

    public init(alignments: [Alignment], head: [TableRow], body: [TableRow]) {
        self.alignments = alignments
        self.head = head
        self.body = body
    }

    /// The number of columns: the widest row, counting spans.
    public var columnCount: Int {
        (head + body).map { $0.cells.reduce(0) { $0 + max(1, $1.columnSpan) } }.max() ?? 0
    }
}

public struct TableRow: Sendable, Hashable {
    public var cells: [TableCell]
    public var position: SourcePosition

    public init(cells: [TableCell], position: SourcePosition) {
        self.cells = cells
        self.position = position
    }
}

public struct TableCell: Sendable, Hashable {
    /// A GFM cell holds one paragraph (or nothing, for an empty or missing cell); an HTML
    /// cell may hold any blocks. A cell whose only block is a paragraph renders without `<p>`.
    public var blocks: [Block]
    /// A `th`: every cell of a head row, and `th` cells of HTML tables.
    public var isHeader: Bool
    public var columnSpan: Int
    public var rowSpan: Int
    public var position: SourcePosition

    public init(blocks: [Block], isHeader: Bool, columnSpan: Int = 1, rowSpan: Int = 1, position: SourcePosition) {
        self.blocks = blocks
        self.isHeader = isHeader
        self.columnSpan = columnSpan
        self.rowSpan = rowSpan
        self.position = position
    }
}

/// The five GitHub callouts. Their labels come from the site's interface strings, in the
/// page's language (`MarkdownLabels`).
public enum CalloutKind: String, Sendable, Hashable, CaseIterable {
    case note, tip, important, warning, caution
}

/// One `dt`...`dd` group of a definition list.
public struct DefinitionItem: Sendable, Hashable {
    public var terms: [[Inline]]
    public var definitions: [[Block]]

    public init(terms: [[Inline]], definitions: [[Block]]) {
        self.terms = terms
        self.definitions = definitions
    }
}

/// A footnote definition (`[^label]: text`) that the page refers to.
public struct Footnote: Sendable, Hashable {
    /// 1, 2, ... in order of first reference.
    public var number: Int
    /// The label as written, without `[^` and `]`.
    public var label: String
    /// The id of its list item (`fn-1`).
    public var id: String
    /// The ids of the references to it, in order (`fnref-1`, `fnref-1-2`, ...): each gets
    /// a link back.
    public var referenceIDs: [String]
    public var blocks: [Block]
    /// Where the definition starts.
    public var position: SourcePosition

    public init(number: Int, label: String, id: String, referenceIDs: [String], blocks: [Block], position: SourcePosition) {
        self.number = number
        self.label = label
        self.id = id
        self.referenceIDs = referenceIDs
        self.blocks = blocks
        self.position = position
    }
}

/// A reference to a footnote in the text (`[^label]`).
public struct FootnoteReference: Sendable, Hashable {
    public var number: Int
    /// This reference's own id (`fnref-1`, `fnref-1-2` for a second reference).
    public var id: String
    /// The footnote's id (`fn-1`).
    public var target: String

    public init(number: Int, id: String, target: String) {
        self.number = number
        self.id = id
        self.target = target
    }
}

/// Inline elements that change how text looks or reads, from GFM (`~~struck~~`) or from
/// raw HTML kept by the allowlist.
public enum InlineTag: Sendable, Hashable {
    /// `del` (GFM strikethrough).
    case deleted
    case inserted
    case superscript
    case `subscript`
    case keyboard
    case marked
    case abbreviation(title: String?)
}

/// An inline element of a paragraph or heading.
public struct Inline: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case text(String)
        case softBreak
        case lineBreak
        case code(String)
        case html(String)
        case emphasis([Inline])
        case strong([Inline])
        /// `destination` is cmark's URL (escapes and entities resolved); `title` is nil when
        /// none was written (`""` when an empty one was: cmark renders `title=""` then).
        case link(destination: String, title: String?, children: [Inline])
        /// The children are the alt text.
        case image(source: String, title: String?, children: [Inline])
        /// `~~text~~`, or an allowed inline HTML element.
        case tagged(InlineTag, [Inline])
        case footnoteReference(FootnoteReference)
    }

    public var kind: Kind
    /// Where the element starts. Breaks, which cmark does not place, carry the position
    /// of the element before them.
    public var position: SourcePosition

    public init(_ kind: Kind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
    }
}
