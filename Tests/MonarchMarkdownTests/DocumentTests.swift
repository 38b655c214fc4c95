import Testing
import MonarchMarkdown

@Suite("Document")
struct DocumentTests {
    @Test func firstHeading1Text() {
        #expect(MarkdownDocument.parse("## Sub\n\n# Your *rights* `now`\n\n# Other\n").firstHeading1Text == "Your rights now")
        #expect(MarkdownDocument.parse("Title\n=====\n").firstHeading1Text == "Title")
        #expect(MarkdownDocument.parse("## Only level two\n").firstHeading1Text == nil)
        #expect(MarkdownDocument.parse("").firstHeading1Text == nil)
    }

    @Test func linksInOrderWithPositions() {
        let markdown = """
        # Title [a](a.md)

        Text [b](../health/b.md#testing "T") and ![map](map.png) and ![](blank.png).
        <https://example.org> [ref][r]

        > quote [c](c.md)
        lazy [d](d.md)

        - item
            more [e](e.md#x)

        [r]: r.md
        """
        let links = MarkdownDocument.parse(markdown).links
        #expect(links.map(\.destination) == ["a.md", "../health/b.md#testing", "map.png", "blank.png",
                                            "https://example.org", "r.md", "c.md", "d.md", "e.md#x"])
        #expect(links.map(\.isImage) == [false, false, true, true, false, false, false, false, false])
        #expect(links.map(\.hasAltText) == [false, false, true, false, false, false, false, false, false])
        #expect(links[1].title == "T")
        #expect(links[2].text == "map")
        #expect(links.map(\.position) == [
            SourcePosition(line: 1, column: 9),
            SourcePosition(line: 3, column: 6),
            SourcePosition(line: 3, column: 42),
            SourcePosition(line: 3, column: 62),
            SourcePosition(line: 4, column: 1),
            SourcePosition(line: 4, column: 23),
            SourcePosition(line: 6, column: 9),
            SourcePosition(line: 7, column: 6),
            SourcePosition(line: 10, column: 10),
        ])
    }

    @Test func positionsAfterReferenceDefinitions() {
        let markdown = "> [a]: /u\n> \"title\"\n>   foo [b](c.md)\n"
        #expect(MarkdownDocument.parse(markdown).links.map(\.position) == [SourcePosition(line: 3, column: 9)])
    }

    @Test func positionsAfterHardBreaksAndLazyLines() {
        let markdown = "Maple Lantern\\\n123 Street\\\n[Map](map.md)  \n  call ![x](x.png)\n\n> a\n  lazy [l](l.md)\n"
        #expect(MarkdownDocument.parse(markdown).links.map(\.position) == [
            SourcePosition(line: 3, column: 1),
            SourcePosition(line: 4, column: 8),
            SourcePosition(line: 7, column: 8),
        ])
    }

    @Test func columnsCountCharactersNotBytes() {
        let doc = MarkdownDocument.parse("重要 [a](a.md)\n\n> ถ้าตำรวจ ![แผนที่](map.png)\n\n## 제목 `코드`\n")
        #expect(doc.links.map(\.position) == [SourcePosition(line: 1, column: 4), SourcePosition(line: 3, column: 12)])
        guard case .heading(_, let content, _) = doc.blocks[2].kind else {
            Issue.record("no heading")
            return
        }
        #expect(content.map(\.position) == [SourcePosition(line: 5, column: 4), SourcePosition(line: 5, column: 7)])
    }

    @Test func positionsOfMultiLineLinks() {
        let markdown = "Intro [a\nlink](a.md) and ![an\nimage](i.png)\n"
        #expect(MarkdownDocument.parse(markdown).links.map(\.position) == [
            SourcePosition(line: 1, column: 7),
            SourcePosition(line: 2, column: 17),
        ])
    }

    @Test func resolveURLAppliesToLinksAndImages() {
        let doc = MarkdownDocument.parse("[a](a.md#x) ![i](i.png \"t\") <https://x.org/>\n\n[r]\n\n[r]: r.md\n")
        var seen: [String] = []
        let html = doc.html { url in
            seen.append(url)
            return "/base/" + url
        }
        #expect(seen == ["a.md#x", "i.png", "https://x.org/", "r.md"])
        #expect(html == """
        <p><a href="/base/a.md#x">a</a> <img src="/base/i.png" alt="i" title="t" /> <a href="/base/https://x.org/">https://x.org/</a></p>
        <p><a href="/base/r.md">r</a></p>

        """)
    }

    @Test func emptyTitlesAreKeptAsCmarkKeepsThem() {
        let doc = MarkdownDocument.parse("[a](b \"\") [c](d) ![e](f \"\") [x]\n\n[x]: /u\n  ()\n")
        #expect(doc.links.map(\.title) == ["", nil, "", ""])
        #expect(doc.html() == "<p><a href=\"b\" title=\"\">a</a> <a href=\"d\">c</a> <img src=\"f\" alt=\"e\" title=\"\" /> <a href=\"/u\" title=\"\">x</a></p>\n")
    }

    @Test func plainText() {
        let doc = MarkdownDocument.parse("""
        # Title

        Some *emphasis*, `code` and [a link](x.md).
        Next line.

        <div>raw</div>

        - item ![alt](i.png)

        ```
        let x = 1
        ```
        """)
        #expect(doc.plainText == "Title\nSome emphasis, code and a link. Next line.\nitem alt\nlet x = 1\n")
    }

    @Test func treeShape() {
        let doc = MarkdownDocument.parse("1. a\n2. b\n\n```swift x\ncode\n```\n")
        #expect(doc.blocks.count == 2)
        if case .list(let list) = doc.blocks[0].kind {
            #expect(list.ordered && list.tight && list.start == 1 && list.items.count == 2)
            #expect(list.items[1].position == SourcePosition(line: 2, column: 1))
        } else {
            Issue.record("not a list")
        }
        #expect(doc.blocks[1].kind == .codeBlock(info: "swift x", code: "code\n"))
        #expect(doc.blocks[1].position == SourcePosition(line: 4, column: 1))
        #expect(doc.html() == "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n<pre><code class=\"language-swift\">code\n</code></pre>\n")
    }

    @Test func byteOrderMarkIsIgnored() {
        let doc = MarkdownDocument.parse("\u{FEFF}# Title [x](y)\n")
        #expect(doc.firstHeading1Text == "Title x")
        #expect(doc.links.first?.position == SourcePosition(line: 1, column: 9))
    }

    /// In generated text full of containers, breaks and links, nearly every link position
    /// points at its `[`, `!` or `<`, or an extended autolink's first character (cmark loses a few lines the corrections cannot see,
    /// e.g. tab-indented lazy lines after a backslash break).
    @Test func generatedLinkPositions() {
        var rng = SplitMix64(seed: 42)
        let alphabet: [String] = ["*", "[", "]", "(", ")", "!", "\\", "<", ">", "\n", " ", "  ", "    ", "\t", "a", "é", "重",
                                  "- ", "> ", "1. ", "[x]: /u\n", "[x]", "](u)", "<http://a.b>", "`", "\"t\"", "&amp;", "# ", "==="]
        var bad = 0, total = 0
        for _ in 0..<5000 {
            var markdown = ""
            for _ in 0..<Int(rng.next() % 30) { markdown += alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
            for link in MarkdownDocument.parse(markdown).links {
                total += 1
                let l = link.position.line - 1, c = link.position.column - 1
                let char: Unicode.Scalar = l < lines.count && c < lines[l].count ? lines[l][c] : " "
                let expected: Set<Unicode.Scalar> = link.isImage ? ["!"] : ["[", "<"]
                // An extended autolink has no bracket: it starts at its text.
                if !expected.contains(char), char != link.text.unicodeScalars.first { bad += 1 }
            }
        }
        #expect(total > 2000)
        #expect(bad * 100 < total, "\(bad) of \(total) link positions are off")
    }

    /// In every corpus example, each link and image position points at its `[`, `!` or `<`
    /// (an extended autolink, which has none, at its first character).
    @Test func linkPositionsPointAtTheLink() {
        var checked = 0
        var wrong: [String] = []
        for example in SpecCorpus.examples {
            let lines = example.markdown.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
            for link in MarkdownDocument.parse(example.markdown).links {
                checked += 1
                let line = link.position.line - 1, column = link.position.column - 1
                let char: Unicode.Scalar = line < lines.count && column < lines[line].count ? lines[line][column] : " "
                let expected: Set<Unicode.Scalar> = link.isImage ? ["!"] : ["[", "<"]
                if !expected.contains(char), char != link.text.unicodeScalars.first {
                    wrong.append("example \(example.number) at \(link.position)")
                }
            }
        }
        #expect(checked > 100)
        #expect(wrong.isEmpty, "\(wrong)")
    }
}
