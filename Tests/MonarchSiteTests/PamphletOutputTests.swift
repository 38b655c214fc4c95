import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// Pamphlets in a real build of the example site: which PDFs are written, where, and that a
/// page's PDF carries its language (fonts, /Lang and text are checked in MonarchPrintTests).
@Suite("Pamphlets in the site")
struct PamphletOutputTests {
    var result: BuildResult { ExampleSiteTests.build }

    @Test func everyMarkedPageIsPrintedInEveryLanguageItIsTranslatedInto() throws {
        try #require(result.succeeded)
        for key in ExampleSiteTests.languages {
            #expect(result.exists("\(key)/police/police-stop/police-stop.\(key).pdf"))
            #expect(result.exists("\(key)/police/police-stop/police-stop.\(key).booklet.pdf"))
            #expect(result.exists("kits/outreach-bag.\(key).pdf"))
            if key != "en" {
                #expect(result.exists("\(key)/help/hotlines/hotlines.\(key)-en.pdf"), "bilingual with English")
            }
        }
        // Thai has no translation of this page: its readers get the English PDF, linked
        // from the fallback page, and no Thai file pretends to be one.
        #expect(!result.exists("th/work/taxes/taxes.th.pdf"))
        #expect(result.exists("en/work/taxes/taxes.en.pdf"))
        #expect(result.exists("th/immigration/if-detained/if-detained.th.pdf"))
    }

    @Test func pdfStartsAsAPDFAndNamesItsLanguage() throws {
        let data = try Data(contentsOf: result.output.appendingPathComponent("ko/police/police-stop/police-stop.ko.pdf"))
        #expect(data.starts(with: Array("%PDF-".utf8)))
        #expect(String(decoding: data, as: UTF8.self).contains("/Lang (ko)"))
    }
}

@Suite("Pamphlet links on web pages")
struct PamphletLinkTests {
    var result: BuildResult { ExampleSiteTests.build }

    @Test func aPageLinksItsPDFInTheHeadAndTheBody() throws {
        let html = try result.text("th/police/police-stop/index.html")
        #expect(html.contains("<link rel=\"alternate\" type=\"application/pdf\" href=\"police-stop.th.pdf\">"))
        #expect(html.contains("<a href=\"police-stop.th.pdf\" type=\"application/pdf\" hreflang=\"th\">แผ่นพับสำหรับพิมพ์ (PDF)</a>"))
        #expect(html.contains("href=\"police-stop.th.booklet.pdf\""))
        #expect(html.contains("href=\"police-stop.th-en.pdf\""))
        #expect(!(try result.text("th/police/index.html")).contains("application/pdf"), "an unmarked page has no PDF")
    }

    @Test func aFallbackPageLinksTheSourcePDFAndSaysSo() throws {
        let html = try result.text("th/work/taxes/index.html")
        #expect(html.contains("href=\"../../../en/work/taxes/taxes.en.pdf\""))
        #expect(html.contains("hreflang=\"en\">แผ่นพับสำหรับพิมพ์ (PDF)</a> แผ่นพับนี้ก็เป็นภาษาต้นฉบับเช่นกัน"))
    }
}

/// The work of printing is dealt out evenly between processes (`PrintWorkers`; that they
/// print the same bytes is `PrintWorkersEndToEndTests`).
@Suite("Pamphlets in several processes")
struct PrintWorkersTests {
    @Test func sharesAreEven() {
        #expect(PrintWorkers.shares(costs: [10, 1, 1, 8, 1, 1], count: 2) == [0, 1, 1, 1, 0, 1], "loads 11 and 11")
        #expect(PrintWorkers.shares(costs: [5, 5, 5], count: 1) == [0, 0, 0])
        #expect(PrintWorkers.shares(costs: [], count: 3) == [])
        // Every share gets work when there is enough.
        #expect(Set(PrintWorkers.shares(costs: Array(repeating: 3, count: 9), count: 3)) == [0, 1, 2])
    }
}
