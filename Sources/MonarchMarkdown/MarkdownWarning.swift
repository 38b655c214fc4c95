/// Something in the Markdown that Monarch reads differently from what its author likely
/// meant (a kramdown attribute list, a table with a broken delimiter row, a footnote no
/// one refers to): what Monarch does with it and what to write instead.
public struct MarkdownWarning: Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var position: SourcePosition

    public init(_ message: String, at position: SourcePosition) {
        self.message = message
        self.position = position
    }

    public var description: String { "\(position): warning: \(message)" }
}
