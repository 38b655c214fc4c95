import Foundation
import MonarchCore
import MonarchMarkdown

/// One language of one page, ready to print.
public struct PamphletPage: Sendable {
    /// The page's Markdown, parsed once for the web page and the pamphlet.
    public var document: MarkdownDocument
    /// The PDF's title (document information and viewer title bar).
    public var title: String
    /// The PDF's author: the site title.
    public var author: String
    /// The PDF's subject: the page description (may be empty).
    public var subject: String
    /// BCP 47 tag of the text: chooses fonts and line breaking, and becomes the PDF's `/Lang`.
    public var languageTag: String
    /// Printed in every page's footer with `n / N`: the site title.
    public var footerText: String
    /// Absolute address of the web page: printed on the first page with a QR code.
    public var webAddress: String?
    /// A link destination as written in the Markdown -> the absolute address printed after
    /// the link text and used as the PDF link target. A result without a scheme is neither
    /// printed nor made clickable.
    public var resolveLink: @Sendable (String) -> String
    /// An image destination -> the image file (PNG or JPEG), nil if there is none.
    public var resolveImage: @Sendable (String) -> URL?
    /// The page's path for diagnostics, e.g. `content/th/police/stop.md`.
    public var sourcePath: String
    /// Added to every `SourcePosition.line` in diagnostics (the front matter's lines).
    public var bodyLineOffset: Int
    /// Contact blocks (fenced code with info `contact`) by their position, printed as a
    /// contact box instead of code.
    public var contacts: [SourcePosition: PrintedContact] = [:]
    /// The words printed for callouts, in the page's language.
    public var labels: MarkdownLabels = .english

    public init(document: MarkdownDocument,
                title: String,
                author: String,
                subject: String = "",
                languageTag: String,
                footerText: String,
                webAddress: String? = nil,
                resolveLink: @escaping @Sendable (String) -> String = { $0 },
                resolveImage: @escaping @Sendable (String) -> URL? = { _ in nil },
                sourcePath: String,
                bodyLineOffset: Int = 0) {
        self.document = document
        self.title = title
        self.author = author
        self.subject = subject
        self.languageTag = languageTag
        self.footerText = footerText
        self.webAddress = webAddress
        self.resolveLink = resolveLink
        self.resolveImage = resolveImage
        self.sourcePath = sourcePath
        self.bodyLineOffset = bodyLineOffset
    }
}

/// A hotline or office as printed: its name, then labelled lines ("Call: +1 604 555 0134").
public struct PrintedContact: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var label: String
        /// The value as written (a number is shown as the editor wrote it).
        public var value: String
        /// `tel:`/`sms:` address that the value links to, or nil.
        public var link: String?

        public init(label: String, value: String, link: String? = nil) {
            self.label = label
            self.value = value
            self.link = link
        }
    }

    public var name: String
    public var lines: [Line]

    public init(name: String, lines: [Line]) {
        self.name = name
        self.lines = lines
    }
}

/// How pamphlets are printed.
public struct PamphletOptions: Sendable {
    public var paper: PaperSize
    /// Written as the PDF's creation and modification date. Never "now": pass
    /// `BuildDate.creation()` (MonarchCore), so that the same
    /// input gives the same bytes.
    public var creationDate: Date
    /// Font subsets made for every pamphlet of a build (`PrintFonts.prepare`); nil: each
    /// render makes (or finds in the cache) subsets for its own text.
    public var fonts: PrintFonts?
    /// Told, once a PDF is printed, the characters of its text that no installed font has:
    /// they are printed as boxes with their code, and an editor should hear of it.
    public var unprintable: (@Sendable ([Character]) -> Void)?

    public init(paper: PaperSize = .letter, creationDate: Date, fonts: PrintFonts? = nil) {
        self.paper = paper
        self.creationDate = creationDate
        self.fonts = fonts
    }
}

/// Something that keeps a pamphlet from being printed: where (`SourceLocation`, as every
/// message of a build has it), what is wrong and what to do.
public struct PamphletProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, message: String) {
        location = SourceLocation(path: path, line: line, column: column)
        self.message = message
    }

    /// `path:line:col: message`, as a compiler prints it.
    public var description: String {
        location.description + ": " + message
    }
}

/// Every problem that kept a pamphlet from being printed (`Result` needs an `Error`, which
/// an array is not). A collection of `PamphletProblem`, in the order they were found.
public struct PamphletProblems: Error, Sendable, Hashable, RandomAccessCollection, CustomStringConvertible {
    public var problems: [PamphletProblem]

    public init(_ problems: [PamphletProblem]) { self.problems = problems }

    public var startIndex: Int { problems.startIndex }
    public var endIndex: Int { problems.endIndex }
    public subscript(position: Int) -> PamphletProblem { problems[position] }

    /// One problem a line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
