import Testing
import MonarchMarkdown

@Suite("Safe defaults")
struct SafeDefaultsTests {
    static func html(_ markdown: String, unsafe: Bool = false) -> String {
        MarkdownDocument.parse(markdown, options: MarkdownOptions(unsafeHTML: unsafe)).html()
    }

    @Test func defaultOptions() {
        let options = MarkdownOptions()
        #expect(options.unsafeHTML == false)
        #expect(options.headingIDs == true)
        #expect(options.cjkFriendlyEmphasis == true)
    }

    @Test func rawHTMLBlockIsOmitted() {
        #expect(Self.html("<script>alert(1)</script>\n") == "<!-- raw HTML omitted -->\n")
        #expect(Self.html("<div>\n*hi*\n</div>\n") == "<!-- raw HTML omitted -->\n")
        #expect(Self.html("<div>x</div>\n", unsafe: true) == "<div>x</div>\n")
    }

    @Test func rawInlineHTMLIsOmitted() {
        #expect(Self.html("a <b onclick=\"x()\">b</b> c") == "<p>a <!-- raw HTML omitted -->b<!-- raw HTML omitted --> c</p>\n")
        #expect(Self.html("a <b>b</b> c", unsafe: true) == "<p>a <b>b</b> c</p>\n")
    }

    struct URLCase: Sendable, CustomTestStringConvertible {
        var markdown: String
        var safe: String
        var unsafe: String
        var testDescription: String { markdown }
    }

    @Test(arguments: [
        URLCase(markdown: "[x](javascript:alert(1))", safe: "<p><a href=\"\">x</a></p>\n",
                unsafe: "<p><a href=\"javascript:alert(1)\">x</a></p>\n"),
        URLCase(markdown: "[x](JavaScript:alert)", safe: "<p><a href=\"\">x</a></p>\n",
                unsafe: "<p><a href=\"JavaScript:alert\">x</a></p>\n"),
        URLCase(markdown: "[x](vbscript:x)", safe: "<p><a href=\"\">x</a></p>\n", unsafe: "<p><a href=\"vbscript:x\">x</a></p>\n"),
        URLCase(markdown: "[x](file:///etc/passwd)", safe: "<p><a href=\"\">x</a></p>\n",
                unsafe: "<p><a href=\"file:///etc/passwd\">x</a></p>\n"),
        URLCase(markdown: "![x](data:text/html,hi)", safe: "<p><img src=\"\" alt=\"x\" /></p>\n",
                unsafe: "<p><img src=\"data:text/html,hi\" alt=\"x\" /></p>\n"),
        URLCase(markdown: "![x](data:image/png;base64,AA)", safe: "<p><img src=\"data:image/png;base64,AA\" alt=\"x\" /></p>\n",
                unsafe: "<p><img src=\"data:image/png;base64,AA\" alt=\"x\" /></p>\n"),
        URLCase(markdown: "<javascript:alert(1)>", safe: "<p><a href=\"\">javascript:alert(1)</a></p>\n",
                unsafe: "<p><a href=\"javascript:alert(1)\">javascript:alert(1)</a></p>\n"),
        URLCase(markdown: "[x](https://example.org/a?b=1&c='2')",
                safe: "<p><a href=\"https://example.org/a?b=1&amp;c=&#x27;2&#x27;\">x</a></p>\n",
                unsafe: "<p><a href=\"https://example.org/a?b=1&amp;c=&#x27;2&#x27;\">x</a></p>\n"),
    ])
    func linkSchemes(_ c: URLCase) {
        #expect(Self.html(c.markdown) == c.safe)
        #expect(Self.html(c.markdown, unsafe: true) == c.unsafe)
    }

    @Test func resolvedURLIsCheckedToo() {
        let doc = MarkdownDocument.parse("[x](page.md)")
        #expect(doc.html(resolveURL: { _ in "javascript:alert(1)" }) == "<p><a href=\"\">x</a></p>\n")
    }

    @Test func escapingHelpers() {
        #expect(HTMLEscaping.escapeHTML("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;'&lt;/a&gt;")
        #expect(HTMLEscaping.escapeHref("/ü x/[a]~") == "/%C3%BC%20x/%5Ba%5D~")
        #expect(HTMLEscaping.isDangerousURL("DATA:image/gif;x") == false)
        #expect(HTMLEscaping.isDangerousURL("data:image/svg+xml;x") == true)
    }
}
