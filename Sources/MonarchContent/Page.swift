import MonarchCore
import MonarchMarkdown

/// One Markdown file of one language, parsed. A class, immutable: a page is handed around
/// by every step (the site graph, each language's fallbacks, templates' lists of children),
/// and copying a struct of a dozen strings, sets and arrays cost a retain for each of them
/// every time; copies of pages were the largest part of the build's single-threaded steps.
public final class Page: Sendable {
    public enum Kind: String, Sendable {
        /// `content/<key>/index.md`
        case home
        /// `content/<key>/<dir>/index.md`
        case section
        /// any other `.md` file
        case page
    }

    /// Language key, the folder under content/.
    public let languageKey: String
    /// Path shared by all translations: "" for home, "police" for a section, "police/stop" for a page.
    public let path: String
    public let kind: Kind
    /// The file, relative to the site folder: `content/en/police/stop.md`.
    public let sourcePath: String
    public let frontMatter: FrontMatter
    public let document: MarkdownDocument
    /// Lines before the Markdown body (front matter), added to Markdown positions.
    public let bodyLineOffset: Int
    /// Title from front matter, else the first level-1 heading.
    public let title: String
    /// The ids a link's `#fragment` may name on this page, for checking `page.md#id` links:
    /// every heading's (those inside callouts, details and table cells too) and, as the page
    /// renders them whatever the options, every footnote's (`fn-1`) and every reference's
    /// (`fnref-1`). One set, because a link cannot tell which kind it names.
    public let headingIDs: Set<String>
    /// `SourceHash` of this page's body: what a translation of it records as `source_hash`.
    public let bodyHash: String
    /// SHA-256 (hex) of the whole file as read and of the Markdown options: two pages with the
    /// same digest came from the same text, so the preview's memo reuses what was made from it.
    public let sourceDigest: String

    public init(languageKey: String, path: String, kind: Kind, sourcePath: String, frontMatter: FrontMatter,
                document: MarkdownDocument, bodyLineOffset: Int, title: String, bodyHash: String = "",
                sourceDigest: String = "", headingIDs: Set<String>? = nil) {
        self.languageKey = languageKey
        self.path = path
        self.kind = kind
        self.sourcePath = sourcePath
        self.frontMatter = frontMatter
        self.document = document
        self.bodyLineOffset = bodyLineOffset
        self.title = title
        self.headingIDs = headingIDs ?? Self.anchorIDs(of: document)
        switch kind {
        case .home: sectionPath = nil
        case .section, .page: sectionPath = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        }
        self.bodyHash = bodyHash
        self.sourceDigest = sourceDigest
    }

    public var description: String { frontMatter.description ?? "" }
    public var weight: Int { frontMatter.weight ?? 0 }

    /// The section path this page is listed in: "police" for "police/stop", "" for a top
    /// section, nil for the home page. Kept, not worked out on each use: every section page
    /// asks it of every page of its language.
    public let sectionPath: String?

    /// The folder of the source file inside `content/<key>/`, "" at the top.
    public var sourceDirectory: String {
        switch kind {
        case .home: return ""
        case .section: return path
        case .page:
            guard let slash = path.lastIndex(of: "/") else { return "" }
            return String(path[..<slash])
        }
    }

    private static func anchorIDs(of document: MarkdownDocument) -> Set<String> {
        var ids = Set(document.headings.map(\.id))
        MarkdownDocument.visitBlocks(document.blocks) { block in
            guard case .footnotes(let notes) = block.kind else { return }
            for note in notes {
                ids.insert(note.id)
                ids.formUnion(note.referenceIDs)
            }
        }
        return ids
    }

    /// A Markdown position as a location in the source file.
    public func location(_ position: SourcePosition) -> SourceLocation {
        SourceLocation(path: sourcePath, line: position.line + bodyLineOffset, column: position.column)
    }
}
