import Foundation
import TestSupport
import MonarchCore
import Testing
@testable import MonarchSite

/// Issue #6, point 3: no script from content. `Tests/Fixtures/xss/site` (written by
/// `generate.py` from `payloads.txt`) puts every payload into every place content reaches a
/// page: front-matter title and description, Markdown text, inline and block raw HTML, a
/// heading, a code span, a quote, link titles, link and image destinations, interface
/// strings, the site title, the search index, and a page's file name. Built with the default
/// config, no output file may hold anything a browser would run. `Tests/Browser/test_xss.py`
/// loads the same pages in Chromium.
@Suite("No script from content")
struct XSSTests {
    static let fixture = Repo.fixtures.appendingPathComponent("xss")
    static let built = TestBuild.build(fixture.appendingPathComponent("site"))

    /// The payloads as generate.py expands them: (number, family, payload).
    static let payloads: [(n: Int, family: String, text: String)] = {
        let list = (try? String(contentsOf: fixture.appendingPathComponent("payloads.txt"), encoding: .utf8)) ?? ""
        var found: [(Int, String, String)] = []
        for line in list.split(separator: "\n") where !line.hasPrefix("#") && line.contains("\t") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            let n = found.count + 1
            var text = String(parts[1]).replacingOccurrences(of: "MARK", with: "XSS-MARK-\(n)")
            for (token, value) in [("{TAB}", "\t"), ("{LF}", "\n"), ("{SP}", " ")] {
                text = text.replacingOccurrences(of: token, with: value)
            }
            // {U+XXXX}: any character by its code point.
            text = text.replacing(/\{U\+([0-9A-F]{4})\}/) { match in
                String(Character(Unicode.Scalar(UInt32(match.1, radix: 16)!)!))
            }
            found.append((n, String(parts[0]), text))
        }
        return found
    }()

    /// Every output file with its text (HTML, JSON, XML, JS, CSS).
    static let outputs: [(path: String, text: String)] = {
        FileList.files(in: built.output).sorted().compactMap { path in
            guard [".html", ".json", ".xml", ".js", ".css", ".txt"].contains(where: path.hasSuffix) else { return nil }
            return try? (path, String(contentsOf: built.output.appendingPathComponent(path), encoding: .utf8))
        }
    }()

    static var htmlFiles: [(path: String, text: String)] { outputs.filter { $0.path.hasSuffix(".html") } }

    @Test func theCorpusCoversTheCheatSheetFamilies() {
        #expect(Self.payloads.count >= 50)
        let families = Set(Self.payloads.map(\.family))
        for family in ["script", "breakout", "handler", "url", "url-text", "embed", "namespace", "css",
                       "attribute", "mustache", "json", "misc"] {
            #expect(families.contains(family), "no payload of the \(family) family")
        }
    }

    @Test func theFixtureBuildsAndEveryPayloadPageIsWritten() throws {
        let errors = Self.built.diagnostics.filter { $0.severity == .error }
        #expect(Self.built.succeeded, "\(errors.map(\.description))")
        for payload in Self.payloads {
            let page = String(format: "en/p%03d/index.html", payload.n)
            #expect(Self.built.exists(page), "\(page) missing")
            #expect(Self.built.exists(String(format: "th/p%03d/index.html", payload.n)), "fallback of \(page) missing")
        }
        #expect(Self.htmlFiles.count >= 2 * Self.payloads.count)
    }

    /// The payload is still there, as text: an empty page would pass every other test.
    @Test func everyPayloadIsShownAsText() throws {
        for payload in Self.payloads {
            let html = try Self.built.text(String(format: "en/p%03d/index.html", payload.n))
            // Escaped code point by code point: a quote followed by a combining mark is one
            // Character to Swift, and must still become &quot; (payloads 76-78).
            let escaped = payload.text.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "&": "&amp;"
                case "<": "&lt;"
                case ">": "&gt;"
                case "\"": "&quot;"
                case "'": "&#39;"
                default: String(scalar)
                }
            }.joined()
            #expect(html.contains("<h1>\(escaped)</h1>"), "payload \(payload.n): the title is not shown as text")
            #expect(html.contains("content=\"\(escaped)\""), "payload \(payload.n): the description is not in its meta tag")
        }
    }

    /// The payloads aimed at the raw HTML allowlist keep their harmless part.
    @Test func theAllowlistKeepsTheHarmlessPartOfAPayload() throws {
        let kept: [(payload: String, html: String)] = [
            ("<abbr", "<abbr title=\"x\">A</abbr>"), ("entity link", ">entity link"), ("spaced link", ">spaced link"),
            ("<table>", "<td colspan=\"2\">cell</td>"), ("<details>", "<summary>s</summary>"), ("<kbd>", "<kbd>k</kbd>"),
        ]
        let aimed = Self.payloads.filter { $0.family == "allowlist" }
        #expect(aimed.count == kept.count)
        for payload in aimed {
            let html = try Self.built.text(String(format: "en/p%03d/index.html", payload.n))
            let expected = try #require(kept.first { payload.text.contains($0.payload) }?.html)
            #expect(html.contains(expected), "payload \(payload.n): '\(expected)' is not on its page")
        }
    }

    @Test func noTagHasAnEventHandlerAttribute() {
        for file in Self.htmlFiles {
            for tag in HTMLScan.tags(file.text) {
                for attribute in tag.attributes where attribute.name.hasPrefix("on") {
                    Issue.record("\(file.path): <\(tag.name) \(attribute.name)=…> (\(tag.source.prefix(120)))")
                }
            }
        }
    }

    @Test func noURLAttributeRunsScript() {
        var checked = 0
        for file in Self.htmlFiles {
            for tag in HTMLScan.tags(file.text) {
                for attribute in tag.attributes {
                    var urls: [String] = []
                    if HTMLScan.urlAttributes.contains(attribute.name) {
                        urls.append(attribute.value)
                    } else if attribute.name == "srcset" {
                        urls += attribute.value.split(separator: ",").map { String($0.split(separator: " ").first ?? "") }
                    } else if attribute.name == "content", tag.name == "meta",
                              tag.attributes.contains(where: { $0.name == "http-equiv" && $0.value.lowercased() == "refresh" }),
                              let url = attribute.value.range(of: "url=", options: .caseInsensitive) {
                        urls.append(String(attribute.value[url.upperBound...]))
                    }
                    for url in urls {
                        checked += 1
                        if let scheme = HTMLScan.dangerousScheme(url) {
                            Issue.record("\(file.path): <\(tag.name) \(attribute.name)=\"\(url.prefix(80))\"> is a \(scheme) URL")
                        }
                    }
                }
            }
        }
        #expect(checked > 1000)
    }

    /// The only scripts are the theme's own files; no element that can run or load script
    /// or style (frames, objects, SVG, MathML, forms other than search, `<base>`, a refresh).
    @Test func onlyTheThemesElementsAndScripts() {
        for file in Self.htmlFiles {
            for tag in HTMLScan.tags(file.text) {
                if tag.name == "script" {
                    let source = tag.attributes.first { $0.name == "src" }?.value ?? ""
                    let ours = tag.attributes.count == 2 && tag.attributes.contains { $0.name == "defer" }
                        && ["assets/exit.js", "assets/search.js", "assets/offline.js"].contains { source.hasSuffix($0) }
                    #expect(ours, "\(file.path): \(tag.source.prefix(120))")
                } else if !HTMLScan.allowedTags.contains(tag.name) {
                    Issue.record("\(file.path): <\(tag.name)> is not an element the theme or Markdown makes: \(tag.source.prefix(120))")
                }
                for attribute in tag.attributes where ["style", "srcdoc", "formaction", "http-equiv"].contains(attribute.name) {
                    let csp = attribute.name == "http-equiv" && attribute.value == "Content-Security-Policy"
                    #expect(csp, "\(file.path): \(attribute.name)= in \(tag.source.prefix(120))")
                }
            }
            // `<script` in any case, anywhere: in text it must be escaped.
            let scripts = file.text.ranges(of: /(?i)<script/).count
            let ours = file.text.ranges(of: /<script src="[^"]*assets\/(exit|search|offline)\.js" defer><\/script>/).count
            #expect(scripts == ours, "\(file.path): \(scripts - ours) <script not from the theme")
        }
    }

    /// An image whose source runs script is an error at its place (the privacy check takes
    /// every address with a scheme other than `data:` for another host).
    @Test func scriptURLsInImagesAreErrors() throws {
        let site = TestBuild.temporaryFolder("site")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("content/en"), withIntermediateDirectories: true)
        try "title: T\nlanguages:\n  - {key: en, tag: en, name: English}\n"
            .write(to: site.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
        let urls = Self.payloads.filter { $0.family == "url" && !$0.text.lowercased().hasPrefix("data:") }
        let body = urls.map { "![x](<\($0.text.replacingOccurrences(of: "<", with: "\\<").replacingOccurrences(of: ">", with: "\\>"))>)" }
        try ("---\ntitle: Images\n---\n" + body.joined(separator: "\n\n") + "\n")
            .write(to: site.appendingPathComponent("content/en/index.md"), atomically: true, encoding: .utf8)
        let result = TestBuild.build(site)
        #expect(!result.succeeded)
        let errors = result.diagnostics.filter { $0.severity == .error && $0.location.path == "content/en/index.md" }
        #expect(errors.count == urls.count, "\(errors.map(\.description))")
        #expect(errors.allSatisfy { $0.location.line != nil && $0.location.column != nil })
    }

    /// A file name like `javascript:alert()%2F%2F.md` must not become a script link in the
    /// lists of pages (home, sections, the search page).
    @Test func aHostileFileNameIsLinkedAsAPath() throws {
        let home = try Self.built.text("en/index.html")
        #expect(home.contains("Hostile file name"))
        #expect(home.contains("href=\"./javascript:"), "the hostile page is linked with ./ before it")
    }

    /// The search index is data: valid JSON holding each payload as text, with `<`, `>`, `&`,
    /// U+2028 and U+2029 escaped so that it stays inert even inside a `<script>` element.
    @Test func theSearchIndexHoldsPayloadsAsInertJSON() throws {
        for key in ["en", "th"] {
            let folder = Self.built.output.appendingPathComponent("search/\(key)")
            let files = FileList.files(in: folder).map { "search/\(key)/\($0)" }
            #expect(files.contains { $0.contains("/s/") } && files.contains { $0.contains("/p/") })
            for file in files {
                let text = try Self.built.text(file)
                for forbidden in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
                    #expect(!text.contains(forbidden), "\(file) has a raw \(forbidden.unicodeScalars.map { String($0.value, radix: 16) })")
                }
                #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil, "\(file) is not JSON")
            }
            if key == "en" {
                let pages = try SearchIndexTests.index(key, in: Self.built.output).pages
                let titles = Set(pages.map { $0[1] })
                for payload in Self.payloads {
                    #expect(titles.contains(SearchIndex.normalized(payload.text)), "payload \(payload.n) is not a title in the index")
                }
                #expect(pages.allSatisfy { $0[0].hasPrefix("../../") }, "every address in the index is relative to search/en/")
            }
        }
    }
}

/// A small scanner of the output's start tags for the tests above (the browser test parses
/// the same pages with Chromium's parser). Text and attribute values the renderer writes
/// never hold a raw `<`, `>` or quote, so tags are found by their `<name` and closing `>`.
enum HTMLScan {
    struct Attribute { var name: String; var value: String }
    struct Tag { var name: String; var attributes: [Attribute]; var source: Substring }

    static let allowedTags: Set<String> = [
        "html", "head", "meta", "title", "link", "body", "a", "nav", "header", "footer", "main", "div", "p",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "em", "strong", "code", "pre", "img", "blockquote",
        "hr", "br", "section", "span", "form", "label", "input", "button", "mark", "dl", "dt", "dd",
        // What the raw HTML allowlist (and GFM) keeps.
        "details", "summary", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "kbd", "abbr", "ins", "del",
        // A content image's sized copies (issue #19).
        "picture", "source",
    ]

    static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "cite", "longdesc",
        "lowsrc", "dynsrc", "ping", "manifest", "codebase", "archive", "profile", "usemap", "itemtype", "icon",
    ]

    static func tags(_ html: String) -> [Tag] {
        var result: [Tag] = []
        for match in html.matches(of: /<([A-Za-z][A-Za-z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/) {
            var attributes: [Attribute] = []
            let body = String(match.output.2)
            for a in body.matches(of: /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/) {
                let value = a.output.2 ?? a.output.3 ?? a.output.4 ?? ""
                attributes.append(Attribute(name: a.output.1.lowercased(), value: decodeEntities(String(value))))
            }
            result.append(Tag(name: match.output.1.lowercased(), attributes: attributes, source: match.output.0))
        }
        return result
    }

    /// HTML character references as a browser decodes them in an attribute (numeric with or
    /// without `;`, and the named ones that matter for URLs).
    static func decodeEntities(_ value: String) -> String {
        var text = value
        text = text.replacing(/&#[xX]([0-9a-fA-F]+);?/) { m in
            String(UnicodeScalar(UInt32(m.output.1, radix: 16) ?? 0xFFFD).map(Character.init) ?? "\u{FFFD}")
        }
        text = text.replacing(/&#([0-9]+);?/) { m in
            String(UnicodeScalar(UInt32(m.output.1) ?? 0xFFFD).map(Character.init) ?? "\u{FFFD}")
        }
        for (name, character) in [("colon", ":"), ("Tab", "\t"), ("NewLine", "\n"), ("quot", "\""), ("apos", "'"),
                                  ("lt", "<"), ("gt", ">"), ("sol", "/"), ("lpar", "("), ("rpar", ")"), ("amp", "&")] {
            text = text.replacingOccurrences(of: "&\(name);", with: character)
        }
        return text
    }

    /// The scheme when `url` (decoded) is one that runs script or a document: the browser
    /// drops ASCII tab and newline anywhere and C0 controls and spaces around the URL.
    static func dangerousScheme(_ url: String) -> String? {
        let cleaned = String(String.UnicodeScalarView(url.unicodeScalars.filter { $0.value > 0x20 })).lowercased()
        for scheme in ["javascript:", "vbscript:", "data:text/html", "data:image/svg", "data:application", "data:text/xml"]
        where cleaned.hasPrefix(scheme) {
            return scheme
        }
        if cleaned.hasPrefix("data:"), cleaned != "data:,", !cleaned.hasPrefix("data:image/") { return "data:" }
        return nil
    }
}
