import Foundation
import TestSupport
import Testing
import MonarchCore
@testable import MonarchSite

/// Issue #14, point 4: the privacy check reads HTML with an HTML5 parser, CSS with the CSS
/// tokenizer and addresses as the browser's URL parser does. Each of the bypasses the review
/// found (12 requests to another host that used to pass with 0 errors) is an error in every
/// place it can be written: a template, a static file, a page's raw HTML.
@Suite("Privacy check: parsed as the browser does")
struct PrivacyParseTests {
    struct Bypass: CustomTestStringConvertible, Sendable {
        var name: String
        /// One line of HTML (templates, static .html, a page's raw HTML), if it applies.
        var html: String?
        /// One line of CSS for a static .css file, if it applies.
        var css: String?
        /// One line of script for a static .js file, if it applies.
        var script: String?
        /// Column (in characters, from 1) where the error points in `html`, `css`, `script`.
        var htmlColumn: Int?
        var cssColumn: Int?
        var scriptColumn: Int?
        var testDescription: String { name }
    }

    static let bypasses: [Bypass] = [
        Bypass(name: #"src="\\host/x""#, html: #"<img src="\\evil.example/x.png" alt="">"#, htmlColumn: 11),
        Bypass(name: "&#47;&#47;host", html: #"<img src="&#47;&#47;evil.example/x.png" alt="">"#, htmlColumn: 11),
        Bypass(name: "/<TAB>/host", html: "<img src=\"/\t/evil.example/x.png\" alt=\"\">", htmlColumn: 11),
        Bypass(name: "https:host", html: #"<img src="https:evil.example/x.png" alt="">"#, htmlColumn: 11),
        Bypass(name: "second srcset entry", html: #"<img src="a.png" srcset="a.png 1x, //evil.example/b.png 2x" alt="">"#, htmlColumn: 36),
        Bypass(name: "SVG <image href>", html: #"<svg><image href="//evil.example/i.png"/></svg>"#, htmlColumn: 19),
        Bypass(name: "SVG <image xlink:href>", html: #"<svg><image xlink:href="//evil.example/i.png"/></svg>"#, htmlColumn: 25),
        Bypass(name: "URL( in capitals", html: #"<div style="background:URL(//evil.example/bg.png)"></div>"#,
               css: "body{background:URL(//evil.example/bg.png)}", htmlColumn: 28, cssColumn: 21),
        Bypass(name: "@import'//...'", html: "<style>@import'//evil.example/x.css';</style>",
               css: "@import'//evil.example/x.css';", htmlColumn: 16, cssColumn: 9),
        Bypass(name: #"image-set("//...")"#, html: #"<div style='background-image:image-set("//evil.example/a.png" 1x)'></div>"#,
               css: #"body{background-image:-webkit-image-set("//evil.example/a.png" 1x)}"#, htmlColumn: 41, cssColumn: 42),
        Bypass(name: "http-equiv=\"Refresh\"", html: #"<meta http-equiv="Refresh" content="0; URL=//evil.example/">"#, htmlColumn: 44),
        Bypass(name: "fetch('//host')", html: "<script>fetch('//evil.example/t')</script>",
               script: "fetch('//evil.example/t')", htmlColumn: 16, scriptColumn: 8),
        Bypass(name: "new Image().src='//...'", html: "<script>new Image().src='//evil.example/p.gif'</script>",
               script: "new Image().src='//evil.example/p.gif'", htmlColumn: 26, scriptColumn: 18),
    ]

    /// A site holding `bypass` on line 3 of a template and of static files, on line 4 of a page
    /// (as raw HTML, after its front matter).
    static func site(with bypass: Bypass) throws -> URL {
        let site = TestBuild.temporaryFolder("site")
        func write(_ text: String, _ path: String) throws { try TestBuild.write(text, path, in: site) }
        try write("title: T\nunsafe_html: true\nlanguages:\n  - {key: en, tag: en, name: English}\n", "site.yaml")
        try write("---\ntitle: Home\n---\n\nSome text.\n", "content/en/index.md")
        if let html = bypass.html {
            try write("<!doctype html>\n<p>{{title}}</p>\n\(html)\n", "templates/partials/bypass.mustache")
            try write("<!doctype html>\n<title>x</title>\n\(html)\n", "static/bypass.html")
            try write("---\ntitle: Raw\n---\n\(html)\n", "content/en/raw.md")
        }
        if let css = bypass.css { try write("/* a stylesheet */\np{color:red}\n\(css)\n", "static/bypass.css") }
        if let script = bypass.script { try write("// a script\nvar x = 1;\n\(script)\n", "static/bypass.js") }
        return site
    }

    @Test(arguments: bypasses)
    func eachBypassIsAnErrorWhereverItIsWritten(_ bypass: Bypass) throws {
        let result = TestBuild.build(try Self.site(with: bypass), write: false)
        #expect(!result.succeeded)
        var expected: [(String, Int, Int)] = []
        if let column = bypass.htmlColumn, bypass.html != nil {
            expected += [("templates/partials/bypass.mustache", 3, column), ("static/bypass.html", 3, column),
                         ("content/en/raw.md", 4, column)]
        }
        if let column = bypass.cssColumn { expected.append(("static/bypass.css", 3, column)) }
        if let column = bypass.scriptColumn { expected.append(("static/bypass.js", 3, column)) }
        for (path, line, column) in expected {
            let errors = result.diagnostics.filter { $0.severity == .error && $0.location.path == path }
            #expect(errors.count == 1, "\(path): \(errors.map(\.description))")
            #expect(errors.first?.location.line == line && errors.first?.location.column == column,
                    "\(path): \(errors.map(\.description))")
            #expect(errors.allSatisfy { $0.message.contains("another host") }, "\(errors.map(\.description))")
        }
        let scriptErrors = result.diagnostics.filter { $0.message.contains("scripts may not contain off-site addresses") }
        #expect(scriptErrors.isEmpty == (bypass.script == nil), "\(result.diagnostics.map(\.description))")
    }

    /// Markdown text between inline tags is part of the element they open: after an inline
    /// `<script>` it runs.
    @Test func textInsideAnInlineScriptOfAPageIsScript() throws {
        let site = try Self.site(with: Bypass(name: "none"))
        try "---\ntitle: Raw\n---\nSome text <script>fetch('//evil.example/t')</script> and more.\n"
            .write(to: site.appendingPathComponent("content/en/raw.md"), atomically: true, encoding: .utf8)
        let result = TestBuild.build(site, write: false)
        let errors = result.diagnostics.filter { $0.location.path == "content/en/raw.md" }
        #expect(errors.map(\.description) == [
            "content/en/raw.md:4:26: error: '//evil.example/t' \(PrivacyCheck.scriptMessage); copy what it loads into the site and use a relative address",
        ])
    }

    /// A web app manifest's icons are loaded by the browser like any address (QA: an icon
    /// on another host passed).
    @Test func aWebManifestLoadingFromAnotherHostIsAnError() throws {
        let site = try Self.site(with: Bypass(name: "none"))
        try FileManager.default.createDirectory(at: site.appendingPathComponent("static"), withIntermediateDirectories: true)
        try #"{"name": "x", "icons": [{"src": "https://evil.example/icon.png", "sizes": "192x192"}, {"src": "icon.png"}]}"#
            .write(to: site.appendingPathComponent("static/app.webmanifest"), atomically: true, encoding: .utf8)
        let result = TestBuild.build(site, write: false)
        let errors = result.diagnostics.filter { $0.location.path == "static/app.webmanifest" }
        #expect(errors.count == 1 && errors.first?.description.contains("https://evil.example/icon.png") == true,
                "\(result.diagnostics.map(\.description))")
    }

    /// 300,000 nested elements (1.5 MB) took the HTML parser minutes and then overflowed the
    /// stack; such nesting is now an error found before parsing, in a fraction of a second.
    @Test func nestingTooDeepToReadIsAnErrorNotACrash() throws {
        let site = try Self.site(with: Bypass(name: "none"))
        try FileManager.default.createDirectory(at: site.appendingPathComponent("static"), withIntermediateDirectories: true)
        let deep = String(repeating: "<div>", count: 300_000) + "<img src=//evil.example/x.png>"
        try deep.write(to: site.appendingPathComponent("static/deep.html"), atomically: true, encoding: .utf8)
        try (#"<svg xmlns="http://www.w3.org/2000/svg">"# + String(repeating: "<g>", count: 300_000))
            .write(to: site.appendingPathComponent("static/deep.svg"), atomically: true, encoding: .utf8)
        let started = Date()
        let result = TestBuild.build(site, write: false)
        #expect(Date().timeIntervalSince(started) < 30)
        for (path, column) in [("static/deep.html", 1 + 5 * HTMLTree.depthLimit), ("static/deep.svg", 41 + 3 * (HTMLTree.depthLimit - 1))] {
            let errors = result.diagnostics.filter { $0.location.path == path }
            #expect(errors.count == 1 && errors.first?.message.contains("nested more than 1024 deep") == true
                    && errors.first?.location.column == column, "\(errors.map(\.description))")
        }
    }

    /// The bound never reads a tree shallower than the parser builds it: each of these makes
    /// the parser nest one level more per repetition, whatever end tags follow.
    static let deepeners = [
        #"<div a="x>y</div>">"#, "<!--><div>", "<div/>", "<span></div>", "<b><div></b>", "<p><b id=N>x", "<svg><g><font>",
        "<table><div>", "<svg><foreignObject><div>", "<i><b><u><s>x</i>", "<a href=x><div>",
    ]

    @Test(arguments: deepeners)
    func nestingIsBoundedFromAbove(_ pattern: String) {
        let text = (0..<2000).map { pattern.replacingOccurrences(of: "N", with: String($0)) }.joined()
        #expect(HTMLTree.nestingPastLimit(Array(text.utf8)) != nil)
    }

    @Test func ordinaryPagesAreNotTooDeep() {
        let page = #"<div class=a><span>x</span><p>y<b>z</b><em>w</em></div><ul><li>a<li>b</ul><svg><path d="M0 0"/><g><rect/></g></svg><table><tr><td>x<td>y</table><p>p<img src=a.png><br><dl><dt>a<dd>b</dl><section><h2>t</h2></section>"#
        let text = "<!doctype html><html><head><title>x</title></head><body>" + String(repeating: page, count: 5000) + "</body></html>"
        #expect(HTMLTree.nestingPastLimit(Array(text.utf8)) == nil)
        #expect(PrivacyCheck.findings(in: text, kind: .html).isEmpty)
    }

    /// More ways to the same requests, read straight from the check (no build).
    static let moreFindings: [(String, PrivacyCheck.Kind)] = [
        (#"body{background:u\72l(//evil.example/a.png)}"#, .css),            // an escape in the name
        (#"/**/@IMPORT url("//evil.example/x.css");"#, .css),
        (#"@font-face{font-family:x;src:local(x),url('https://evil.example/f.woff2') format("woff2")}"#, .css),
        (#"p{background:image("//evil.example/a.png")}"#, .css),
        (#"<link rel="Stylesheet" href="//evil.example/x.css">"#, .html),
        (#"<link rel="preload" as="image" imagesrcset="a.png 1x, //evil.example/b.png 2x">"#, .html),
        (#"<base href="//evil.example/">"#, .html),
        (#"<video poster="//evil.example/p.jpg"></video>"#, .html),
        (#"<object data="//evil.example/o"></object>"#, .html),
        (#"<table background="//evil.example/bg.gif"></table>"#, .html),
        (#"<form action="https://evil.example/f"></form>"#, .html),
        (#"<a href="x" ping="/ok //evil.example/p">x</a>"#, .html),
        (#"<svg><use href="//evil.example/s.svg#i"/></svg>"#, .html),
        (#"<svg><filter><feImage href="//evil.example/i.png"/></filter></svg>"#, .html),
        (#"<svg><rect fill="url(//evil.example/p.svg#g)"/></svg>"#, .html),
        (#"<iframe srcdoc="<img src=//evil.example/x.png>"></iframe>"#, .html),
        (#"<iframe src="data:text/html,%3Cimg%20src=//evil.example/x.png%3E"></iframe>"#, .html),
        (#"<img src="x.png" onerror="fetch('//evil.example/e')">"#, .html),
        (#"<a href="javascript:fetch('//evil.example/e')">x</a>"#, .html),
        ("<img src=\" \u{0C}//evil.example/x.png\">", .html),
        (#"<META HTTP-EQUIV="refresh" CONTENT="1,'//evil.example/'">"#, .html),
        (#"<img src="{{root}}//evil.example/x.png">"#, .template),
        (#"<link {{#x}}rel="stylesheet"{{/x}} href="//evil.example/x.css">"#, .template),
        (#"<?xml-stylesheet href="//evil.example/s.css"?><svg/>"#, .svg),
        (#"const u = `//evil.example/${path}`;"#, .script),
        (#"const u = "\/\/evil.example/x";"#, .script),
        (#"const u = "https:\u002F\u002Fevil.example/x";"#, .script),
        (#"const base = "https://"; load(base + host)"#, .script),
        (#"x = a / b; y = '//evil.example/' / 2"#, .script),
    ]

    @Test(arguments: moreFindings)
    func isFound(_ text: String, _ kind: PrivacyCheck.Kind) {
        let findings = PrivacyCheck.findings(in: text, kind: kind)
        #expect(findings.count == 1, "\(findings)")
    }

    /// What must stay clean: links, inert link relations, data: images, relative and
    /// same-page addresses, strings and comments that are not requests.
    static let clean: [(String, PrivacyCheck.Kind)] = [
        (#"<a href="https://example.org/">a link</a> <a href="//example.org/">another</a>"#, .html),
        (#"<link rel="canonical" href="https://example.org/"><link rel="alternate" hreflang="th" href="https://example.org/th/">"#, .html),
        (#"<img src="data:image/png;base64,iVBORw0KGgo=" alt=""><img src="img/a.png" srcset="a.png 1x, b.png 2x" alt="">"#, .html),
        (#"<img src="/assets/x.png" alt=""><img src="./x.png?v=1#f" alt=""><img src="\x.png" alt="">"#, .html),
        (##"<svg><use href="#icon"/><rect fill="url(#grad)"/><a href="https://example.org/">x</a></svg>"##, .html),
        (#"<p>see //example.org and https://example.org in the text</p>"#, .html),
        (#"<script type="application/ld+json">{"@context":"https://schema.org"}</script>"#, .html),
        (#"<a href="mailto:x@example.org">mail</a><a href="tel:+1555">call</a>"#, .html),
        (#"<img src="{{root}}assets/x.png" alt=""><a href="{{base_url}}">home</a>{{! a note about //x }}"#, .template),
        (#"a[href^="http:"]::after,a[href^="https:"]::after{content:" (" attr(href) ")"}"#, .css),
        (#"@namespace svg url(http://www.w3.org/2000/svg); @namespace url("http://www.w3.org/1999/xhtml"); p::before{content:"//"}"#, .css),
        (#"/* url(//evil.example/x) */ p{background:url(img/x.png)}"#, .css),
        ("// see https://example.org\n/* '//evil.example' */ if (location.protocol === 'http:') {}", .script),
        (#"const re = /\/\//; const half = a / 2; const s = 'x'.split('/');"#, .script),
        (#"const t = `relative/${x}/path`; const u = "./offline.html";"#, .script),
    ]

    @Test(arguments: clean)
    func staysClean(_ text: String, _ kind: PrivacyCheck.Kind) {
        #expect(PrivacyCheck.findings(in: text, kind: kind).isEmpty, "\(PrivacyCheck.findings(in: text, kind: kind))")
    }

    /// The repository's own example site and default theme have nothing to report.
    @Test func theExampleSiteAndDefaultThemeAreClean() {
        let result = TestBuild.build(Repo.root, write: false)
        #expect(result.succeeded, "\(result.diagnostics.map(\.description))")
        #expect(result.diagnostics.filter { $0.message.contains("another host") }.isEmpty)
    }
}
