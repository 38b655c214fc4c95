#!/usr/bin/env python3
"""Prints, as a JSON list, every text node of a page's article (its <main>), as a reader sees
it: an independent HTML parser (Python's own), for the test that the web page and its PDF show
the same text (issue #17). Left out: the page's own chrome inside <main> (the PDF links, the
notices about translations), what is not text (script, style, template, svg) and the little
signs that only make sense on a screen (footnote back links).

    article_text.py PAGE.html
"""

import json
import sys
from html.parser import HTMLParser

# Classes of elements inside <main> that are part of the web page, not of the text it prints.
# `note` is the theme's notice that a translation is out of date or missing.
CHROME_CLASSES = {"pdf", "note", "not-translated", "footnote-backref", "visually-hidden", "sr-only"}
SKIPPED_TAGS = {"script", "style", "template", "svg", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Article(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_main = 0
        self.skipping = []   # stack of (tag, depth) of skipped subtrees
        self.depth = 0
        self.texts = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.depth += 1
        attrs = dict(attrs)
        if tag == "main":
            self.in_main += 1
        classes = set((attrs.get("class") or "").split())
        if not self.skipping and (tag in SKIPPED_TAGS or classes & CHROME_CLASSES or "hidden" in attrs):
            self.skipping.append(self.depth)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.skipping and self.skipping[-1] == self.depth:
            self.skipping.pop()
        if tag == "main":
            self.in_main -= 1
        self.depth -= 1

    def handle_data(self, data):
        if self.in_main and not self.skipping and data.strip():
            self.texts.append(data.strip())


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        parser = Article()
        parser.feed(f.read())
    json.dump(parser.texts, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
