import Testing
import MonarchMarkdown

/// CJK-friendly emphasis (commonmark-spec issue 650): `*` and `_` runs next to CJK
/// characters and punctuation open and close where CommonMark would leave them literal;
/// everything else stays CommonMark.
@Suite("CJK-friendly emphasis")
struct CJKEmphasisTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var markdown: String
        var html: String
        var testDescription: String { markdown }
    }

    static func html(_ markdown: String, cjk: Bool = true) -> String {
        MarkdownDocument.parse(markdown, options: MarkdownOptions(headingIDs: false, cjkFriendlyEmphasis: cjk)).html()
    }

    @Test("emphasis next to CJK punctuation", arguments: [
        Case(markdown: "**重要。**之后", html: "<p><strong>重要。</strong>之后</p>\n"),
        Case(markdown: "**\"인용\"**은", html: "<p><strong>&quot;인용&quot;</strong>은</p>\n"),
        Case(markdown: "*강조*를", html: "<p><em>강조</em>를</p>\n"),
        Case(markdown: "**中文，**中文", html: "<p><strong>中文，</strong>中文</p>\n"),
        Case(markdown: "**注意：**請先打電話", html: "<p><strong>注意：</strong>請先打電話</p>\n"),
        Case(markdown: "**（注意）**请", html: "<p><strong>（注意）</strong>请</p>\n"),
        Case(markdown: "这是**重要。**的", html: "<p>这是<strong>重要。</strong>的</p>\n"),
        Case(markdown: "*重要。*之后", html: "<p><em>重要。</em>之后</p>\n"),
        Case(markdown: "패키지를 발행하려면 **`npm publish`**를 실행하십시오.",
             html: "<p>패키지를 발행하려면 <strong><code>npm publish</code></strong>를 실행하십시오.</p>\n"),
        Case(markdown: "**このアスタリスクは強調記号として認識されず、そのまま表示されます。**この文のせいで。",
             html: "<p><strong>このアスタリスクは強調記号として認識されず、そのまま表示されます。</strong>この文のせいで。</p>\n"),
        Case(markdown: "[**重要。**之后](a.md)", html: "<p><a href=\"a.md\"><strong>重要。</strong>之后</a></p>\n"),
        Case(markdown: "> - **경고:**\"이것\"**은** 중요\n",
             html: "<blockquote>\n<ul>\n<li><strong>경고:</strong>&quot;이것&quot;<strong>은</strong> 중요</li>\n</ul>\n</blockquote>\n"),
        Case(markdown: "第一行**重要。**\n第二行**也重要。**之后",
             html: "<p>第一行<strong>重要。</strong>\n第二行<strong>也重要。</strong>之后</p>\n"),
        Case(markdown: "**重要。**之后 and **foo**bar", html: "<p><strong>重要。</strong>之后 and <strong>foo</strong>bar</p>\n"),
        // cmark matches these itself, wrongly (the second run, after CJK punctuation, only
        // opens): `<strong>重要。<strong>之后</strong>粗体</strong>`. Its emphasis is opened
        // into runs again and matched with the amended flags.
        Case(markdown: "**重要。**之后**粗体**测试", html: "<p><strong>重要。</strong>之后<strong>粗体</strong>测试</p>\n"),
        Case(markdown: "**“引用”**和**粗体**", html: "<p><strong>“引用”</strong>和<strong>粗体</strong></p>\n"),
        Case(markdown: "**경고!**이것은**중요**합니다", html: "<p><strong>경고!</strong>이것은<strong>중요</strong>합니다</p>\n"),
        Case(markdown: "*（注）*这是*斜体*的", html: "<p><em>（注）</em>这是<em>斜体</em>的</p>\n"),
        Case(markdown: "***强调。***之后 **a** ***b*** __c__", html: "<p><em><strong>强调。</strong></em>之后 <strong>a</strong> <em><strong>b</strong></em> <strong>c</strong></p>\n"),
        Case(markdown: "**重要。**之后[**链接。**之后**粗体**](a.md)",
             html: "<p><strong>重要。</strong>之后<a href=\"a.md\"><strong>链接。</strong>之后<strong>粗体</strong></a></p>\n"),
        // Escapes elsewhere in the document do not confuse which `*` are delimiters.
        Case(markdown: "# \\*标题。\\*\n\n<http://a.b> \\*注意。\\* **重要。**之后 `\\*` &ast;\n\n- **제목:**\"이것\"**은** \\_\n",
             html: "<h1>*标题。*</h1>\n<p><a href=\"http://a.b\">http://a.b</a> *注意。* <strong>重要。</strong>之后 <code>\\*</code> *</p>\n<ul>\n<li><strong>제목:</strong>&quot;이것&quot;<strong>은</strong> _</li>\n</ul>\n"),
    ])
    func opensAndCloses(_ c: Case) {
        #expect(Self.html(c.markdown) == c.html)
    }

    @Test("stays CommonMark", arguments: [
        // Escaped or entity-encoded asterisks are never delimiters.
        Case(markdown: "\\*重要。\\*之后", html: "<p>*重要。*之后</p>\n"),
        Case(markdown: "\\*\\*重要。\\*\\*之后", html: "<p>**重要。**之后</p>\n"),
        Case(markdown: "&#42;&#42;重要。&#42;&#42;之后", html: "<p>**重要。**之后</p>\n"),
        Case(markdown: "&ast;&ast;重要。&ast;&ast;之后", html: "<p>**重要。**之后</p>\n"),
        Case(markdown: "\\_\\_重要。\\_\\_之后", html: "<p>__重要。__之后</p>\n"),
        // English keeps CommonMark's rules.
        Case(markdown: "**foo**bar", html: "<p><strong>foo</strong>bar</p>\n"),
        Case(markdown: "**foo.\"**bar", html: "<p>**foo.&quot;**bar</p>\n"),
        Case(markdown: "a * b * c", html: "<p>a * b * c</p>\n"),
        // Thai is not CJK: CommonMark's rules.
        Case(markdown: "**คำเตือน:**ห้าม", html: "<p>**คำเตือน:**ห้าม</p>\n"),
        // `_` inside a word does not open or close, also in CJK (as the proposal says).
        Case(markdown: "中文_强调_中文", html: "<p>中文_强调_中文</p>\n"),
        Case(markdown: "__重要。__之后", html: "<p>__重要。__之后</p>\n"),
        // Code spans are code.
        Case(markdown: "`**重要。**之后`", html: "<p><code>**重要。**之后</code></p>\n"),
        // An autolink's text is its address.
        Case(markdown: "<https://example.org/**重要。**之后>",
             html: "<p><a href=\"https://example.org/**%E9%87%8D%E8%A6%81%E3%80%82**%E4%B9%8B%E5%90%8E\">https://example.org/**重要。**之后</a></p>\n"),
        // A lone asterisk is text.
        Case(markdown: "价格是5*3元。", html: "<p>价格是5*3元。</p>\n"),
    ])
    func staysLiteral(_ c: Case) {
        #expect(Self.html(c.markdown) == c.html)
    }

    @Test func canBeSwitchedOff() {
        #expect(Self.html("**重要。**之后", cjk: false) == "<p>**重要。**之后</p>\n")
    }

    @Test func headingIDsAndTextSeeTheEmphasis() {
        let doc = MarkdownDocument.parse("## **注意：**请先打电话\n")
        #expect(doc.headings.first?.id == "注意请先打电话")
        #expect(doc.headings.first?.text == "注意：请先打电话")
        #expect(doc.html() == "<h2 id=\"注意请先打电话\"><strong>注意：</strong>请先打电话</h2>\n")
    }

    @Test func treeHasStrongNode() {
        let doc = MarkdownDocument.parse("**重要。**之后")
        guard case .paragraph(let inlines) = doc.blocks.first?.kind else {
            Issue.record("no paragraph")
            return
        }
        #expect(inlines.count == 2)
        if case .strong(let children) = inlines.first?.kind {
            #expect(children.map(\.kind) == [.text("重要。")])
        } else {
            Issue.record("first inline is not strong: \(inlines)")
        }
        #expect(inlines.first?.position == SourcePosition(line: 1, column: 1))
    }

    /// Random CJK-heavy text with escapes and entities: never crashes, never loses text.
    @Test("generated CJK text", arguments: 0..<4)
    func generated(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let alphabet = ["*", "**", "_", "重要", "。", "，", "之后", "인용", "은", "\"", "`", "[", "](u)", "\\*",
                        "&ast;", " ", "\n", "> ", "- ", "（", "）", "a", ".", "!", "<b>"]
        for _ in 0..<300 {
            var markdown = ""
            for _ in 0..<Int(rng.next() % 30) { markdown += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let on = MarkdownDocument.parse(markdown)
            let off = MarkdownDocument.parse(markdown, options: MarkdownOptions(cjkFriendlyEmphasis: false))
            // Emphasis only moves markup: the letters are the same, minus the delimiters used.
            let strip = { (s: String) in s.filter { $0 != "*" && $0 != "_" } }
            #expect(strip(on.plainText) == strip(off.plainText), "markdown: \(markdown.debugDescription)")
            _ = on.html()
        }
    }
}
