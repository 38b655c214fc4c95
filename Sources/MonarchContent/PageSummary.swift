import MonarchMarkdown

/// What the rest of a site reads of a page (its section's list, the language switcher, links
/// to its headings, the "translation out of date" notice of its translations): everything of
/// a `Page` but its Markdown. `monarch build` keeps one per page in its cache (`BuildCacheText`), so that a later
/// build in which only page bodies changed can assemble the site from these and parse only
/// the pages that changed (`SiteBuilder.quickRebuild`).
public struct PageSummary: Sendable, Equatable {
    public var languageKey: String
    public var path: String
    public var kind: String
    public var sourcePath: String
    public var title: String
    public var matterTitle: String?
    public var description: String?
    public var weight: Int?
    public var draft: Bool
    public var pamphlet: Bool
    public var sourceHash: String?
    public var bodyLineOffset: Int
    /// Sorted.
    public var headingIDs: [String]
    public var bodyHash: String
    public var sourceDigest: String
    /// Whether the page has a contact block (wallet cards gather them from every page).
    public var hasContacts: Bool

    public init(languageKey: String, path: String, kind: String, sourcePath: String, title: String,
                matterTitle: String?, description: String?, weight: Int?, draft: Bool, pamphlet: Bool,
                sourceHash: String?, bodyLineOffset: Int, headingIDs: [String], bodyHash: String,
                sourceDigest: String, hasContacts: Bool) {
        self.languageKey = languageKey
        self.path = path
        self.kind = kind
        self.sourcePath = sourcePath
        self.title = title
        self.matterTitle = matterTitle
        self.description = description
        self.weight = weight
        self.draft = draft
        self.pamphlet = pamphlet
        self.sourceHash = sourceHash
        self.bodyLineOffset = bodyLineOffset
        self.headingIDs = headingIDs
        self.bodyHash = bodyHash
        self.sourceDigest = sourceDigest
        self.hasContacts = hasContacts
    }

    /// The same page as far as every other page can tell: all but the body's hash and the
    /// file's digest are equal.
    public func readsTheSameAs(_ other: PageSummary) -> Bool {
        var a = self, b = other
        a.bodyHash = ""; a.sourceDigest = ""
        b.bodyHash = ""; b.sourceDigest = ""
        return a == b
    }
}

extension Page {
    /// `hasContacts`: whether a block is a contact block is the site module's business.
    public func summary(hasContacts: Bool) -> PageSummary {
        PageSummary(languageKey: languageKey, path: path, kind: kind.rawValue, sourcePath: sourcePath, title: title,
                    matterTitle: frontMatter.title, description: frontMatter.description, weight: frontMatter.weight,
                    draft: frontMatter.draft, pamphlet: frontMatter.pamphlet, sourceHash: frontMatter.sourceHash,
                    bodyLineOffset: bodyLineOffset, headingIDs: headingIDs.sorted(), bodyHash: bodyHash,
                    sourceDigest: sourceDigest, hasContacts: hasContacts)
    }

    /// A page known only by its summary: its document is empty, so it must never be rendered,
    /// searched or checked; `quickRebuild` only lists and links to such pages.
    public convenience init?(summary: PageSummary) {
        guard let kind = Kind(rawValue: summary.kind) else { return nil }
        var matter = FrontMatter()
        matter.title = summary.matterTitle
        matter.description = summary.description
        matter.weight = summary.weight
        matter.draft = summary.draft
        matter.pamphlet = summary.pamphlet
        matter.sourceHash = summary.sourceHash
        self.init(languageKey: summary.languageKey, path: summary.path, kind: kind, sourcePath: summary.sourcePath,
                  frontMatter: matter, document: MarkdownDocument(blocks: []), bodyLineOffset: summary.bodyLineOffset,
                  title: summary.title, bodyHash: summary.bodyHash, sourceDigest: summary.sourceDigest,
                  headingIDs: Set(summary.headingIDs))
    }
}
