import Foundation
import Testing
import MonarchContent
import MonarchCore
import MonarchMarkdown
@testable import MonarchSite

/// Tables, footnotes, callouts and details as search and the link check see them (issue #17,
/// part 5). The documents are built by hand, so that this holds whichever parser makes them.
@Suite("Tables, footnotes, callouts and details in search and link checks")
struct ExtendedBlocksTests {
    static let at = SourcePosition(line: 1, column: 1)

    static func text(_ s: String) -> Inline { Inline(.text(s), at: at) }
    static func paragraph(_ inlines: Inline...) -> Block { Block(.paragraph(inlines), at: at) }
    static func link(_ destination: String, _ label: String) -> Inline {
        Inline(.link(destination: destination, title: nil, children: [text(label)]), at: at)
    }
    static func cell(_ s: String, header: Bool = false) -> TableCell {
        TableCell(blocks: [paragraph(text(s))], isHeader: header, position: at)
    }

    /// A page with one of each: a table, a warning callout holding a heading, details, and a
    /// footnote referred to twice.
    static func richDocument(links: [Inline] = []) -> MarkdownDocument {
        let table = Table(alignments: [.left, .none],
                          head: [TableRow(cells: [cell("Police may", header: true), cell("Police may not", header: true)], position: at)],
                          body: [TableRow(cells: [cell("ask your name"), cell("search your phone without a warrant")], position: at)])
        let first = FootnoteReference(number: 1, id: "fnref-1", target: "fn-1")
        let second = FootnoteReference(number: 1, id: "fnref-1-2", target: "fn-1")
        let footnote = Footnote(number: 1, label: "charter", id: "fn-1", referenceIDs: ["fnref-1", "fnref-1-2"],
                                blocks: [paragraph(text("Canadian Charter of Rights and Freedoms, section 8."))], position: at)
        var blocks: [Block] = [
            paragraph(text("You have rights"), Inline(.footnoteReference(first), at: at), text(" and more"),
                      Inline(.footnoteReference(second), at: at)),
            Block(.table(table), at: at),
            Block(.callout(.warning, [Block(.heading(level: 3, content: [text("Data tools")], id: "data-tools"), at: at),
                                      paragraph(text("Do not unlock your phone"))]), at: at),
            Block(.details(summary: [text("Why this matters")], blocks: [paragraph(text("A longer explanation"))]), at: at),
        ]
        if !links.isEmpty { blocks.append(Block(.paragraph(links), at: at)) }
        blocks.append(Block(.footnotes([footnote]), at: at))
        return MarkdownDocument(blocks: blocks)
    }

    static func graph(_ pages: [(path: String, document: MarkdownDocument)]) -> SiteGraph {
        let english = Language(key: "en", tag: "en", name: "English")
        let built = pages.map { page in
            Page(languageKey: "en", path: page.path, kind: page.path.isEmpty ? .home : .page,
                 sourcePath: "content/en/\(page.path.isEmpty ? "index" : page.path).md", frontMatter: FrontMatter(),
                 document: page.document, bodyLineOffset: 0, title: page.path)
        }
        return SiteGraph(config: SiteConfig(title: "Test", languages: [english]),
                         content: Content(pages: ["en": built]), diagnostics: DiagnosticsEngine())
    }

    @Test func searchHoldsTheTextOfCellsCalloutsDetailsAndFootnotesButNoMarkup() throws {
        let graph = Self.graph([("", MarkdownDocument(blocks: [])), ("rights", Self.richDocument())])
        let language = graph.config.languages[0]
        let entry = try #require(SearchIndex.entries(graph: graph, language: language).first { $0.file == "en/rights/index.html" })
        let text = entry.document().text
        for words in ["Police may not", "search your phone without a warrant", "Data tools", "Do not unlock your phone",
                      "Why this matters", "A longer explanation", "Canadian Charter of Rights and Freedoms, section 8."] {
            #expect(text.contains(words), "the search text lacks '\(words)'")
        }
        for markup in ["[!WARNING]", "Warning", "<", "|", "fn-1", "↩", "[1]", "rights[", "rights1"] {
            #expect(!text.contains(markup), "the search text holds '\(markup)'")
        }
        #expect(SearchIndex.index(graph: graph, language: language).contains {
            String(decoding: $0.data, as: UTF8.self).contains("search your phone without a warrant")
        })
    }

    @Test func linksToFootnotesAndToHeadingsInsideCalloutsAreCheckedLikeOtherAnchors() throws {
        let links = [Self.link("#fn-1", "note"), Self.link("#fnref-1-2", "back"), Self.link("#data-tools", "tools"),
                     Self.link("rights.md#data-tools", "again"), Self.link("rights.md#fn-1", "there")]
        let bad = [Self.link("#fn-2", "no such note"), Self.link("rights.md#data-tool", "typo")]
        let graph = Self.graph([("", MarkdownDocument(blocks: [])), ("rights", Self.richDocument(links: links + bad))])
        let entry = try #require(graph.entry(languageKey: "en", path: "rights"))
        let diagnostics = DiagnosticsEngine()
        let urls = LinkResolver(graph: graph, assets: [:]).urls(for: entry, report: true, diagnostics: diagnostics)
        #expect(urls["rights.md#fn-1"]?.hasSuffix("#fn-1") == true)
        let messages = diagnostics.diagnostics.map(\.message)
        #expect(messages.count == 2, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("link to '#fn-2', but this page has no heading or footnote with that id; did you mean 'fn-1'?") },
                "\(messages)")
        #expect(messages.contains { $0.contains("rights.md#data-tool'") && $0.contains("did you mean 'data-tools'?") }, "\(messages)")
    }

    @Test func aPageKnownOnlyByItsSummaryKeepsItsFootnoteIDs() throws {
        let page = try #require(Self.graph([("rights", Self.richDocument())]).entry(languageKey: "en", path: "rights")?.page)
        #expect(page.headingIDs == ["data-tools", "fn-1", "fnref-1", "fnref-1-2"])
        let restored = try #require(Page(summary: page.summary(hasContacts: false)))
        #expect(restored.headingIDs == page.headingIDs)
    }
}
