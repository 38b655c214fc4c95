/// How a Markdown document is parsed and rendered.
public struct MarkdownOptions: Sendable, Hashable {
    /// Keep raw HTML and every link scheme (cmark's `--unsafe`). Only for sites whose every
    /// editor is trusted. When `false`, raw HTML becomes `<!-- raw HTML omitted -->` and
    /// `javascript:`, `vbscript:`, `file:` and non-image `data:` destinations become empty.
    public var unsafeHTML: Bool
    /// Give every heading an `id` attribute (see `HeadingID`).
    public var headingIDs: Bool
    /// Let `*` and `_` emphasis open and close next to Chinese, Japanese and Korean
    /// characters and punctuation (commonmark-spec issue 650), e.g. `**重要。**之后`.
    public var cjkFriendlyEmphasis: Bool
    /// Read the extensions people write (tables, strikethrough, extended autolinks, task
    /// lists, footnotes, callouts, heading ids; see `GFMExtensions`). Off, the document is
    /// plain CommonMark, as libcmark renders it.
    public var extensions: Bool

    public init(unsafeHTML: Bool = false, headingIDs: Bool = true, cjkFriendlyEmphasis: Bool = true, extensions: Bool = true) {
        self.unsafeHTML = unsafeHTML
        self.headingIDs = headingIDs
        self.cjkFriendlyEmphasis = cjkFriendlyEmphasis
        self.extensions = extensions
    }

    /// Whether a link or image may lead to `address` (as resolved, entities and all decoded
    /// by the parser): the one rule of the web page and the pamphlet, so that no printed
    /// `/URI` goes where the page's `href` may not.
    public func allowsLink(to address: String) -> Bool {
        unsafeHTML || !HTMLEscaping.isDangerousURL(address)
    }
}

/// A place in the Markdown text given to `MarkdownDocument.parse`: 1-based line and
/// 1-based column, counted in characters (Unicode scalars, as editors count them for
/// Chinese, Korean and Thai; a tab is one). The caller adds the front-matter line offset.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// The words the renderer writes itself, in the page's language: the site fills them from
/// its interface strings.
public struct MarkdownLabels: Sendable, Hashable {
    public var note: String
    public var tip: String
    public var important: String
    public var warning: String
    public var caution: String
    /// The name of the footnote list, for screen readers.
    public var footnotes: String
    /// The name of the link from a footnote back to its reference; `%d` is the reference's
    /// number (1 for the first reference to the note).
    public var backToReference: String
    /// The names of a task item's box, done and not done, for screen readers (the box is
    /// read before the item's text, and a box without a name is an error to axe).
    public var taskDone: String
    public var taskOpen: String

    public init(note: String, tip: String, important: String, warning: String, caution: String,
                footnotes: String, backToReference: String, taskDone: String = "Done", taskOpen: String = "Not done") {
        self.taskDone = taskDone
        self.taskOpen = taskOpen
        self.note = note
        self.tip = tip
        self.important = important
        self.warning = warning
        self.caution = caution
        self.footnotes = footnotes
        self.backToReference = backToReference
    }

    public static let english = MarkdownLabels(note: "Note", tip: "Tip", important: "Important", warning: "Warning",
                                               caution: "Caution", footnotes: "Footnotes",
                                               backToReference: "Back to reference %d")

    public func callout(_ kind: CalloutKind) -> String {
        switch kind {
        case .note: note
        case .tip: tip
        case .important: important
        case .warning: warning
        case .caution: caution
        }
    }

    public func backToReference(_ number: String) -> String {
        backToReference.split(separator: "%d", omittingEmptySubsequences: false).joined(separator: number)
    }
}
