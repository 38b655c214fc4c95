import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// Issue #14, point 2 (SVGs): an SVG beside a page or under static/ opened by itself runs its
/// script on the site's own address. SVGs are published only without script: one with any way
/// to run script (or with a reference to another host) is an error naming the file and place.
@Suite("SVGs without script")
struct SVGCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var svg: String
        /// What the error says was found.
        var says: String
        var line: Int
        var column: Int
        var testDescription: String { name }
    }

    static let open = #"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">"#

    static let cases: [Case] = [
        Case(name: "<script>", svg: "\(open)\n<script>alert(1)</script>\n</svg>\n", says: "<script> runs script", line: 2, column: 1),
        Case(name: "onload", svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"\n  onload=\"alert(1)\"><rect/></svg>\n",
             says: "the event attribute onload= runs script", line: 2, column: 11),
        Case(name: "on* on a shape", svg: "\(open)\n<rect width=\"5\" height=\"5\" onclick=\"alert(1)\"/></svg>\n",
             says: "onclick=", line: 2, column: 37),
        Case(name: "<foreignObject>", svg: "\(open)\n<foreignObject width=\"9\" height=\"9\"><p>hi</p></foreignObject></svg>\n",
             says: "<foreignobject>", line: 2, column: 1),
        Case(name: "javascript: link", svg: "\(open)\n<a href=\"javascript:alert(1)\"><rect/></a></svg>\n",
             says: "javascript: address", line: 2, column: 10),
        Case(name: "javascript: xlink:href, entity-encoded", svg: "\(open)\n<a xlink:href=\"&#106;avascript:alert(1)\"><rect/></a></svg>\n",
             says: "javascript: address", line: 2, column: 16),
        Case(name: "data:text/html", svg: "\(open)\n<a href=\"data:text/html,%3Cscript%3Ealert(1)%3C/script%3E\"><rect/></a></svg>\n",
             says: "data: document", line: 2, column: 10),
        Case(name: "<animate> of href", svg: "\(open)\n<a><animate attributeName=\"href\" to=\"javascript:alert(1)\"/><rect/></a></svg>\n",
             says: "<animate attributeName=\"href\">", line: 2, column: 28),
        Case(name: "<set> of an event", svg: "\(open)\n<rect><set attributeName=\"onmouseover\" to=\"alert(1)\"/></rect></svg>\n",
             says: "<set attributeName=\"onmouseover\">", line: 2, column: 27),
        Case(name: "<!ENTITY>", svg: "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n<!ENTITY x \"&#60;script&#62;alert(1)&#60;/script&#62;\">\n]>\n\(open)&x;</svg>\n",
             says: "<!ENTITY", line: 3, column: 1),
        Case(name: "prefixed <svg:script>", svg: "\(open)\n<svg:script xmlns:svg=\"http://www.w3.org/2000/svg\">alert(1)</svg:script></svg>\n",
             says: "<svg:script>", line: 2, column: 1),
        Case(name: "HTML raw text around SVG", svg: "<textarea xmlns=\"http://www.w3.org/2000/svg\"><svg onload=\"alert(1)\"/></textarea>\n",
             says: "<textarea> is not an SVG element", line: 1, column: 1),
        Case(name: "an encoding other than UTF-8", svg: "<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?>\n\(open)<rect/></svg>\n",
             says: "names the encoding 'iso-2022-jp'", line: 1, column: 1),
        Case(name: "image from another host", svg: "\(open)\n<image href=\"https://evil.example/x.png\" width=\"9\" height=\"9\"/></svg>\n",
             says: "another host", line: 2, column: 14),
        Case(name: "xlink:href to another host", svg: "\(open)\n<use xlink:href=\"//evil.example/s.svg#i\"/></svg>\n",
             says: "another host", line: 2, column: 18),
    ]

    static let icon = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- a plain icon -->
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 24 24" width="24" height="24">
          <title>Phone</title>
          <defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient>
            <path id="p" d="M2 2h20v20H2z"/></defs>
          <style>.a{fill:url(#g)}</style>
          <use xlink:href="#p" class="a"/><circle cx="12" cy="12" r="4" fill="url(#g)"/>
          <a href="https://example.org/"><text x="2" y="20">example.org</text></a>
          <image href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E" width="1" height="1"/>
        </svg>

        """

    static func site(svg: String) throws -> URL {
        let site = TestBuild.temporaryFolder("site")
        func write(_ text: String, _ path: String) throws { try TestBuild.write(text, path, in: site) }
        try write("title: T\nlanguages:\n  - {key: en, tag: en, name: English}\n", "site.yaml")
        try write("---\ntitle: Home\n---\n\n![a drawing](drawing.svg)\n", "content/en/index.md")
        try write(svg, "content/en/drawing.svg")
        try write(svg, "static/drawing.svg")
        return site
    }

    @Test(arguments: cases)
    func anSVGThatCanRunScriptIsRefused(_ svgCase: Case) throws {
        let result = TestBuild.build(try Self.site(svg: svgCase.svg))
        #expect(!result.succeeded)
        #expect(!result.exists("drawing.svg") && !result.exists("en/drawing.svg"))
        for path in ["content/en/drawing.svg", "static/drawing.svg"] {
            let errors = result.diagnostics.filter { $0.severity == .error && $0.location.path == path }
            #expect(errors.contains { $0.message.contains(svgCase.says) && $0.location.line == svgCase.line
                                      && $0.location.column == svgCase.column },
                    "\(path): \(errors.map(\.description))")
        }
    }

    /// A file the check cannot read as UTF-8 is an error, not published unchecked.
    @Test func anSVGThatIsNotUTF8IsRefused() throws {
        let site = try Self.site(svg: Self.icon)
        let latin1 = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n\(Self.open)<text>caf".utf8) + [0xE9]
            + Array("</text><script>alert(1)</script></svg>\n".utf8)
        try Data(latin1).write(to: site.appendingPathComponent("static/drawing.svg"))
        let result = TestBuild.build(site, write: false)
        #expect(result.diagnostics.map(\.description).contains {
            $0.hasPrefix("static/drawing.svg:2:") && $0.contains("invalid UTF-8")
        }, "\(result.diagnostics.map(\.description))")
        #expect(!result.succeeded)
    }

    @Test func aCompressedSVGIsRefused() throws {
        let site = try Self.site(svg: Self.icon)
        try Data([0x1F, 0x8B, 0x08, 0x00]).write(to: site.appendingPathComponent("static/drawing.svgz"))
        let result = TestBuild.build(site, write: false)
        #expect(result.diagnostics.map(\.description) == [
            "static/drawing.svgz: error: a compressed SVG cannot be checked for script; publish it uncompressed, as .svg",
        ])
    }

    @Test func aPlainIconIsPublished() throws {
        let result = TestBuild.build(try Self.site(svg: Self.icon))
        #expect(result.succeeded, "\(result.diagnostics.map(\.description))")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        #expect(try result.text("drawing.svg") == Self.icon)
        #expect(try result.text("en/drawing.svg") == Self.icon)
    }

    /// The message says what to do, not only what is wrong.
    @Test func theErrorSaysWhatToDo() throws {
        let result = TestBuild.build(try Self.site(svg: Self.cases[0].svg), write: false)
        let error = try #require(result.diagnostics.first { $0.location.path == "static/drawing.svg" })
        #expect(error.description.hasPrefix("static/drawing.svg:2:1: error: <script> runs script"))
        #expect(error.message.contains("SVGs are published only without script"))
        #expect(error.message.contains("; remove it (an icon or drawing needs none) or export the SVG again as plain shapes"))
    }
}
