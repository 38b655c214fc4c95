import Mustache
import Testing
@testable import MonarchSite

/// `{{value}}` in every template is escaped code unit by code unit (`TemplateHTML`), not by
/// grapheme cluster as swift-mustache 2.1.1 does.
@Suite("Template escaping")
struct TemplateEscapingTests {
    @Test func theFiveCharactersBecomeEntities() {
        #expect(TemplateHTML.escape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(TemplateHTML.escape("สิทธิ 权利 권리 rights") == "สิทธิ 权利 권리 rights")
        #expect(TemplateHTML.escape("") == "")
    }

    /// A quote followed by a combining mark or a joiner is one Character to Swift; it must
    /// still close no attribute.
    @Test(arguments: ["\u{301}", "\u{200D}", "\u{E0100}", "\u{0E34}"])
    func aQuoteFollowedByAMarkIsStillEscaped(mark: String) {
        #expect(TemplateHTML.escape("x\"\(mark) onclick=y") == "x&quot;\(mark) onclick=y")
        #expect(TemplateHTML.escape("x'\(mark) onclick=y") == "x&#39;\(mark) onclick=y")
        #expect(TemplateHTML.escape("<\(mark)script>") == "&lt;\(mark)script&gt;")
    }

    /// The theme parses every template with the pragma, so a plain `{{value}}` uses it, in
    /// partials and sections too.
    @Test func templatesUseItInPartialsAndSections() throws {
        _ = TemplateHTML.registered
        var library = MustacheLibrary()
        library.register(try MustacheTemplate(string: TemplateHTML.pragma + "<p title=\"{{v}}\">{{#list}}{{> item}}{{/list}}</p>"), named: "page")
        library.register(try MustacheTemplate(string: TemplateHTML.pragma + "<i title=\"{{.}}\"></i>"), named: "item")
        let quote = "a\"\u{301} onclick=b"
        let html = library.render(["v": quote, "list": [quote]], withTemplate: "page")
        #expect(html == "<p title=\"a&quot;\u{301} onclick=b\"><i title=\"a&quot;\u{301} onclick=b\"></i></p>")
    }
}
