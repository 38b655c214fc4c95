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

    public init(blocks: [Block], position: SourcePosition) {
        self.blocks = blocks
        self.position = position
    }
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
