import Foundation
import TestSupport
import MonarchCore
import Testing

/// Issue #14, point 5: the pamphlet of a page follows the web page's link rule (one function,
/// `MarkdownOptions.allowsLink`): `javascript:`, `vbscript:`, `data:text/html` and `file:`
/// destinations, entity-encoded and autolinks too, are no `/URI` annotation in the PDF, while an
/// https link still is; with `unsafe_html: true` both keep them alike.
@Suite("Pamphlet link safety")
struct PamphletLinkSafetyTests {
    static let page = """
        ---
        title: Links
        pamphlet: true
        ---
        A [plain](javascript:alert(1)) link, an [encoded](jav&#x61;script:alert(2)) one,
        an [upper](JaVaScRiPt:alert(3)) one, a [vb](vbscript:msgbox(4)) one,
        a [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==) one,
        a [file](file:///etc/passwd) one and an autolink <javascript:alert(6)>.

        A [good one](https://example.org/help).

        """

    static let hostile = ["javascript", "vbscript", "data:text", "file:"]

    static func build(unsafe: Bool) throws -> (pdf: String, page: String) {
        let site = TestBuild.temporaryFolder("site")
        let content = site.appendingPathComponent("content/en")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        try ("title: Links\nlanguages:\n  - {key: en, tag: en, name: English}\n" + (unsafe ? "unsafe_html: true\n" : ""))
            .write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        try page.write(to: content.appendingPathComponent("index.md"), atomically: true, encoding: .utf8)
        let result = TestBuild.build(site)
        try #require(result.succeeded, "\(result.diagnostics)")
        let pdfs = FileList.files(in: result.output).filter { $0.hasSuffix(".pdf") }
        let pdf = try #require(pdfs.first, "no PDF in \(FileList.files(in: result.output))")
        // Every stream and object written out plainly, so that a byte search sees each /URI.
        let plain = result.output.deletingLastPathComponent().appendingPathComponent("plain.pdf")
        let qpdf = try Command.run("/usr/bin/qpdf", ["--qdf", "--object-streams=disable", result.output.appendingPathComponent(pdf).path, plain.path])
        try #require(qpdf.status == 0, "qpdf failed: \(qpdf.err)")
        return (String(decoding: try Data(contentsOf: plain), as: UTF8.self), try result.text("en/index.html"))
    }

    static func uris(_ pdf: String) -> [String] {
        pdf.matches(of: /\/URI\s*\(([^)]*)\)/).map { String($0.output.1) }
    }

    @Test func thePamphletDropsWhatTheWebPageDrops() throws {
        let (pdf, page) = try Self.build(unsafe: false)
        let uris = Self.uris(pdf)
        #expect(uris.contains("https://example.org/help"), "\(uris)")
        for scheme in Self.hostile {
            #expect(!uris.contains { $0.lowercased().hasPrefix(scheme) }, "\(scheme) in \(uris)")
            #expect(!page.lowercased().contains("href=\"\(scheme)"), "\(scheme) in the web page")
        }
        #expect(uris.count == 1, "\(uris)")
    }

    @Test func unsafeHTMLKeepsThemInBothAlike() throws {
        let (pdf, page) = try Self.build(unsafe: true)
        let uris = Self.uris(pdf)
        #expect(uris.contains("https://example.org/help"))
        for scheme in Self.hostile {
            #expect(uris.contains { $0.lowercased().hasPrefix(scheme) }, "\(scheme) missing in \(uris)")
            #expect(page.lowercased().contains("href=\"\(scheme)"), "\(scheme) missing in the web page")
        }
    }
}
