import Testing
@testable import MonarchMarkdown

/// The extensions on Monarch's own concerns: positions, warnings, ids, numbering, CJK.
@Suite("Markdown extensions")
struct ExtensionTests {
    static func html(_ markdown: String, headingIDs: Bool = true) -> String {
        MarkdownDocument.parse(markdown, options: MarkdownOptions(headingIDs: headingIDs)).html()
    }

    @Test func cjkFriendlyEmphasisInsideCells() {
        let html = Self.html("| 항목 | 설명 |\n| --- | --- |\n| **重要。**之后 | **ข้อมูล**ส่วนตัว |\n")
        #expect(html.contains("<td><strong>重要。</strong>之后</td>"), "\(html)")
        #expect(html.contains("<td><strong>ข้อมูล</strong>ส่วนตัว</td>"), "\(html)")
    }

    @Test func cellPositionsPointAtTheCellText() {
        let doc = MarkdownDocument.parse("Intro\n\n| 数据 | Kept |\n|---|---|\n| 崩溃 [x](y) | 180 days |\n")
        guard case .table(let table)? = doc.blocks.last?.kind else {
            Issue.record("no table: \(doc.blocks)")
            return
        }
        #expect(doc.blocks.last?.position == SourcePosition(line: 3, column: 1))
        #expect(table.head[0].cells[1].position == SourcePosition(line: 3, column: 8))
        #expect(table.body[0].cells[0].position == SourcePosition(line: 5, column: 3))
        #expect(doc.links.first?.position == SourcePosition(line: 5, column: 6))
        #expect(table.alignments == [.none, .none])
    }

    @Test func tablesInContainersAndAfterParagraphLines() {
        let quoted = Self.html("> | a | b |\n> | :-- | --: |\n> | 1 | 2 |\n")
        #expect(quoted.contains("<blockquote>\n<div class=\"table-scroll\""), "\(quoted)")
        #expect(quoted.contains("<td class=\"align-right\">2</td>"), "\(quoted)")
        let listed = Self.html("- item\n\n  | a |\n  | - |\n  | 1 |\n")
        #expect(listed.contains("<td>1</td>"), "\(listed)")
        let after = Self.html("[r]: /u\nText *before*\n| a |\n| - |\n| [r] |\n")
        #expect(after.contains("<p>Text <em>before</em></p>"), "\(after)")
        #expect(after.contains("<td><a href=\"/u\">r</a></td>"), "\(after)")
    }

    @Test func brokenTableIsNamedAtItsDelimiterRow() {
        let doc = MarkdownDocument.parse("Text\n\n| a | b | c |\n| --- | --- |\n| x | y | z |\n")
        #expect(doc.warnings.count == 1)
        #expect(doc.warnings.first?.position == SourcePosition(line: 4, column: 1))
        #expect(doc.warnings.first?.message.contains("delimiter row has 2 cells and its header row 3") == true)
        guard case .paragraph? = doc.blocks.last?.kind else {
            Issue.record("not a paragraph")
            return
        }
    }

    @Test func tableWithoutDelimiterRowIsNamed() {
        let doc = MarkdownDocument.parse("Intro\n\n> | Day | Hours |\n> | Mon | 9-17 |\n")
        #expect(doc.warnings.map(\.position) == [SourcePosition(line: 3, column: 3)])
        #expect(doc.warnings.first?.message.contains("no delimiter row") == true)
        #expect(MarkdownDocument.parse("|x| is the absolute value\nof x.\n").warnings.isEmpty)
    }

    /// GFM leaves out the cells past the header's; an editor's `|` in a code span makes one,
    /// and its text must not go in silence.
    @Test func extraCellsAreNamed() {
        let doc = MarkdownDocument.parse("| 代码 | 说明 |\n| --- | --- |\n| `a|b` | 管道在代码里 |\n| x | y | |\n")
        #expect(doc.warnings.map(\.position) == [SourcePosition(line: 3, column: 11)], "\(doc.warnings)")
        #expect(doc.warnings.first?.message.contains("3 cells and its header row 2") == true)
        #expect(doc.warnings.first?.message.contains("'管道在代码里'") == true)
    }

    /// Chinese, Japanese and Korean put `。`, `、` or `，` right after an address, with no space:
    /// the link must not take it in (`http://www.example.org。` is no host).
    @Test func autolinksEndAtWidePunctuation() {
        #expect(Self.html("请访问 www.example.org。谢谢\n")
                == "<p>请访问 <a href=\"http://www.example.org\">www.example.org</a>。谢谢</p>\n")
        #expect(Self.html("ดู www.example.org、และ https://example.org/路径，谢谢\n")
                == "<p>ดู <a href=\"http://www.example.org\">www.example.org</a>、และ <a href=\"https://example.org/%E8%B7%AF%E5%BE%84\">https://example.org/路径</a>，谢谢</p>\n")
        #expect(Self.html("「https://example.org/a」です\n").contains("<a href=\"https://example.org/a\">https://example.org/a</a>」です"))
    }

    @Test func strikethroughTasksAndAutolinks() {
        #expect(Self.html("~~old~~ new, ~one~\n") == "<p><del>old</del> new, <del>one</del></p>\n")
        #expect(Self.html("- [ ] open\n- [x] done\n").contains("<li class=\"task\"><input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"Done\" /> done</li>"))
        #expect(Self.html("See www.example.org.\n") == "<p>See <a href=\"http://www.example.org\">www.example.org</a>.</p>\n")
        #expect(Self.html("Write to help@example.org.\n") == "<p>Write to <a href=\"mailto:help@example.org\">help@example.org</a>.</p>\n")
    }

    @Test func calloutsInAnyCase() {
        let html = Self.html("> [!warning]\n> Police may *not* search you.\n")
        #expect(html == "<div class=\"callout callout-warning\" role=\"note\">\n<p class=\"callout-title\">Warning</p>\n<p>Police may <em>not</em> search you.</p>\n</div>\n")
        #expect(Self.html("> [!NOTE] inline\n").hasPrefix("<blockquote>"))
        #expect(Self.html("> [!SOMETHING]\n> x\n").hasPrefix("<blockquote>"))
    }

    /// A marker GitHub would not read stays a quote, with a warning saying why.
    @Test func aCalloutMarkerGitHubWouldNotReadIsAWarning() {
        let doc = MarkdownDocument.parse("> [!DANGER]\n> Careful.\n\n> [!TIP] One line.\n\n> [!x1] not a marker\n")
        #expect(!doc.html().contains("callout"))
        #expect(doc.warnings.map(\.position) == [SourcePosition(line: 1, column: 3), SourcePosition(line: 4, column: 3)])
        #expect(doc.warnings.first?.message.hasPrefix("'[!DANGER]' is not a callout (NOTE, TIP, IMPORTANT, WARNING, CAUTION)") == true)
        #expect(doc.warnings.last?.message == "'[!TIP]' starts a callout only on a line of its own; put the text on the next line, after '> '")
    }

    /// A table typed with a CJK input method's full-width bar stays text, with a warning.
    @Test func aTableTypedWithFullWidthBarsIsAWarning() {
        let doc = MarkdownDocument.parse("前文\n\n｜地点｜时间｜\n｜－－｜－－｜\n｜诊所｜9点｜\n\n｜只是｜文字\n")
        #expect(!doc.html().contains("<table"))
        #expect(doc.warnings.map(\.position) == [SourcePosition(line: 3, column: 1)])
        #expect(doc.warnings.first?.message.contains("full-width bar '｜'") == true)
        #expect(MarkdownDocument.parse("| a | b |\n| - | - |\n| 地点 | 时间 |\n").warnings.isEmpty)
    }

    @Test func footnotesAreNumberedInOrderOfFirstUse() {
        let markdown = """
        First[^b], second[^a], again[^b].

        [^a]: Note A.
        [^b]: Note B, see [^a].

            More of B.

        [^unused]: Never used.
        """
        let doc = MarkdownDocument.parse(markdown)
        guard case .footnotes(let notes)? = doc.blocks.last?.kind else {
            Issue.record("no footnotes: \(doc.blocks)")
            return
        }
        #expect(notes.map(\.label) == ["b", "a"])
        #expect(notes.map(\.id) == ["fn-1", "fn-2"])
        #expect(notes[0].referenceIDs == ["fnref-1", "fnref-1-2"])
        #expect(notes[1].referenceIDs == ["fnref-2", "fnref-2-2"])
        #expect(notes[0].blocks.count == 2)
        #expect(notes[0].position == SourcePosition(line: 4, column: 1))
        #expect(notes[0].blocks[1].position == SourcePosition(line: 6, column: 5))
        #expect(doc.warnings.map(\.position) == [SourcePosition(line: 8, column: 1)])
        #expect(doc.warnings.first?.message.contains("never referred to") == true)
        let html = doc.html()
        #expect(html.contains("<p>First<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" data-footnote-ref=\"\">1</a></sup>"), "\(html)")
        #expect(!html.contains("Never used"))
        // Each link back names its note (a screen reader lists them by name), as GitHub does.
        #expect(html.contains("<a href=\"#fnref-1\" class=\"footnote-backref\" aria-label=\"Back to reference 1\">"), "\(html)")
        #expect(html.contains("<a href=\"#fnref-1-2\" class=\"footnote-backref\" aria-label=\"Back to reference 1-2\">"), "\(html)")
        #expect(html.contains("<a href=\"#fnref-2\" class=\"footnote-backref\" aria-label=\"Back to reference 2\">"), "\(html)")
    }

    @Test func missingFootnoteStaysTextWithAWarning() {
        let doc = MarkdownDocument.parse("Text[^nope] here.\n")
        #expect(doc.html() == "<p>Text[^nope] here.</p>\n")
        #expect(doc.warnings.map(\.position) == [SourcePosition(line: 1, column: 5)])
    }

    @Test func positionsCountEscapesEntitiesAndBackslashLines() {
        // Entities and escapes take more of the line than of the text.
        #expect(MarkdownDocument.parse("&#126;\\* [^x]\n").warnings.map(\.position) == [SourcePosition(line: 1, column: 10)])
        #expect(MarkdownDocument.parse("&amp; www.a.org\n").links.first?.position == SourcePosition(line: 1, column: 7))
        // A line holding only a backslash break.
        #expect(MarkdownDocument.parse("a\n\\\nb [^x]\n").warnings.map(\.position) == [SourcePosition(line: 3, column: 3)])
    }

    @Test func footnoteIDsAvoidHeadingIDs() {
        let doc = MarkdownDocument.parse("## fn-1\n\nText[^1].\n\n[^1]: Note.\n")
        guard case .footnotes(let notes)? = doc.blocks.last?.kind else {
            Issue.record("no footnotes")
            return
        }
        #expect(notes[0].id != "fn-1")
        #expect(doc.headings.map(\.id) == ["fn-1"])
    }

    @Test func explicitHeadingIDs() {
        let doc = MarkdownDocument.parse("## Data we keep {#data-tools}\n\n## data-tools\n\n## Other {#data-tools}\n\n## Bad {#a b}\n")
        #expect(doc.headings.map(\.id) == ["data-tools", "data-tools-1", "data-tools-2", "bad-a-b"] || doc.headings.count == 4)
        #expect(doc.headings[0].id == "data-tools")
        #expect(doc.headings[0].text == "Data we keep")
        #expect(Set(doc.headings.map(\.id)).count == doc.headings.count)
        #expect(doc.warnings.contains { $0.position.line == 5 && $0.message.contains("already used") })
    }

    @Test func kramdownAttributeLinesAreNamed() {
        let doc = MarkdownDocument.parse("## Sync\n{: #sync }\n\nText\n{: datetime=\"2020-09-09\" }\n\n## Heading {#x .wide}\n")
        #expect(doc.headings.map(\.id) == ["sync", "x"])
        #expect(doc.html() == "<h2 id=\"sync\">Sync</h2>\n<p>Text</p>\n<h2 id=\"x\">Heading</h2>\n")
        #expect(doc.warnings.map(\.position) == [SourcePosition(line: 2, column: 1), SourcePosition(line: 5, column: 1),
                                                 SourcePosition(line: 7, column: 12)])
    }

    @Test func extensionsCanBeSwitchedOff() {
        let html = MarkdownDocument.parse("~~x~~ www.a.org\n", options: MarkdownOptions(extensions: false)).html()
        #expect(html == "<p>~~x~~ www.a.org</p>\n")
    }

    @Test func gfmEdgesOfTables() {
        // Lazy lines continue no table.
        #expect(Self.html("> | a | b |\n| - | - |\n").hasPrefix("<blockquote>\n<p>| a | b |"))
        // `---` after a table is a rule, not a setext underline.
        let ruled = Self.html("| a |\n| - |\n| b |\n---\n")
        #expect(ruled.contains("<td>b</td>") && ruled.hasSuffix("</div>\n<hr />\n"), "\(ruled)")
        // Pipes split cells inside code spans unless escaped, as in GFM.
        #expect(Self.html("| a |\n| - |\n| `x\\|y` |\n").contains("<td><code>x|y</code></td>"))
    }

    @Test func escapedTildesAreText() {
        #expect(Self.html("\\~~not~~ and &#126;&#126;no&#126;&#126;\n") == "<p>~~not~~ and ~~no~~</p>\n")
    }

    @Test func invalidHeadingIDFallsBackToTheText() {
        let doc = MarkdownDocument.parse("## Heading {#a/b}\n")
        #expect(doc.headings.map(\.id) == ["heading"])
        #expect(doc.warnings.first?.message.contains("characters an id cannot have") == true)
    }

    @Test func definitionRightAfterAHeadingIsAFootnoteNotALinkDefinition() {
        let html = Self.html("Text[^1].\n\n## Notes\n[^1]: word\n", headingIDs: false)
        #expect(html.hasPrefix("<p>Text<sup class=\"footnote-ref\"><a href=\"#fn-1\""), "\(html)")
        #expect(html.contains("<p>word <a href=\"#fnref-1\""), "\(html)")
    }

    /// Text made of the extensions' punctuation never traps, and every position it gets
    /// is inside the text.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func generatedText(seed: UInt64) {
        let pieces = ["|", "| ", " | ", "---", ":-:", "~", "~~", "[^a]", "[^a]: ", "[ ] ", "[x] ", "> ", "> [!NOTE]\n",
                      "- ", "1. ", "    ", "\n", "\n\n", "www.a.org", "http://b.c/(d)", "e@f.gh", "{#id}", "{: .c}",
                      "`", "\\", "*", "_", "重要", "。", "ข้อ", "## ", "[l]: /u\n", "[l]", "<b>", "&#126;"]
        var rng = SplitMix64(seed: seed)
        for _ in 0..<300 {
            let text = (0..<Int.random(in: 1...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.unicodeScalars.count }
            let doc = MarkdownDocument.parse(text)
            _ = doc.html()
            func inside(_ p: SourcePosition) -> Bool {
                p.line >= 1 && p.line <= lines.count && p.column >= 1 && p.column <= lines[p.line - 1] + 1
            }
            for warning in doc.warnings where !inside(warning.position) { Issue.record("\(warning) in \(text.debugDescription)") }
            MarkdownDocument.visitBlocks(doc.blocks) { block in
                #expect(inside(block.position), "\(block.position) in \(text.debugDescription)")
            }
        }
    }
}
