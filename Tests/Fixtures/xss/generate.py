#!/usr/bin/env python3
"""Writes the hostile-content fixture site (site/) from payloads.txt (issue #6, point 3).

Every payload goes into every place content can reach a page: a page's front-matter title
and description, Markdown text, inline and block raw HTML, a heading, a code span, a fenced
code block (info string and text), a quote,
a link title, and (family `url`) link destinations and, for `data:` ones, image sources. Interface strings
(translations/en.yaml and th.yaml) and the site title carry payloads too, and the search
index gets every page's text. One file name is hostile as well: a page named like a
`javascript:` URL, which the home page's list of children links to.

Run it after editing payloads.txt and commit site/: both Tests/MonarchSiteTests/XSSTests.swift
and Tests/Browser/test_xss.py build site/ as it is.
"""

import json
import pathlib
import re
import shutil

HERE = pathlib.Path(__file__).resolve().parent
SITE = HERE / "site"
REPO = HERE.parents[2]


def payloads():
    """(number, family, payload) with MARK and the character tokens replaced."""
    found = []
    for line in (HERE / "payloads.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        family, payload = line.split("\t", 1)
        n = len(found) + 1
        payload = payload.replace("MARK", f"XSS-MARK-{n}")
        payload = payload.replace("{TAB}", "\t").replace("{LF}", "\n").replace("{SP}", " ")
        payload = re.sub(r"\{U\+([0-9A-F]{4})\}", lambda m: chr(int(m.group(1), 16)), payload)
        found.append((n, family, payload))
    return found


def yaml_string(text):
    """A YAML double-quoted scalar (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def title_escaped(text):
    """A CommonMark link title between double quotes."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def destination(text):
    """A CommonMark link destination between < and >."""
    return "<" + re.sub(r"([<>\\\n])", lambda m: " " if m.group(1) == "\n" else "\\" + m.group(1), text) + ">"


def page(n, family, payload):
    one_line = payload.replace("\n", " ")
    body = [
        "---",
        f"title: {yaml_string(payload)}",
        f"description: {yaml_string(payload)}",
        f"weight: {n}",
        "---",
        f"Payload {n} ({family}) in text: {payload}",
        "",
        f"Inline {n}: before {payload} after.",
        "",
        f"## Heading {n} {one_line}",
        "",
        f'[link title {n}](https://example.org/ "{title_escaped(payload)}") and '
        f'![image title {n}](x.png "{title_escaped(payload)}")',
        "",
    ]
    if family == "url":
        body += [f"[link {n}]({destination(payload)})", ""]
        # An image with any other scheme is a privacy error (XSSTests checks that apart).
        if payload.lower().startswith("data:"):
            body += [f"![image {n}]({destination(payload)})", ""]
    body += [
        f"Code {n}: `` {one_line} ``",
        "",
        # A fenced block whose info string (its first word becomes class="language-...") and
        # text are the payload.
        f"~~~{one_line.lstrip()}",
        payload,
        "~~~",
        "",
        f"> {one_line}",
        "",
        # A contact block (its values are shown on the page and printed in pamphlets); the
        # phone must be a number, so the payload goes into the name, hours and languages.
        "```contact",
        f"name: {yaml_string(payload)}",
        "phone: +1 604 555 0134",
        f"hours: {yaml_string(payload)}",
        f"languages: [{yaml_string(payload)}, English]",
        "```",
        "",
        # Last: a raw HTML block may run to the end of the page (`<script>`, `<style>`).
        payload,
        "",
    ]
    return "\n".join(body)


def main():
    found = payloads()
    if SITE.exists():
        shutil.rmtree(SITE)
    en = SITE / "content/en"
    th = SITE / "content/th"
    en.mkdir(parents=True)
    th.mkdir(parents=True)
    (SITE / "site.yaml").write_text(
        f"title: {yaml_string(found[0][2])}\n"
        "base_url: https://example.org/xss/\n"
        "languages:\n"
        "  - {key: en, tag: en, name: English}\n"
        "  - {key: th, tag: th, name: ไทย}\n", encoding="utf-8")
    # A 1x1 PNG for the images with a payload in their title (an image from another host is
    # a privacy error).
    (en / "x.png").write_bytes(bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c48900"
        "00000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"))
    for n, family, payload in found:
        (en / f"p{n:03d}.md").write_text(page(n, family, payload), encoding="utf-8")
    # A file name that is a script URL when linked relatively from the home page.
    (en / "javascript:console.log('XSS-MARK-0')%2F%2F.md").write_text(
        "---\ntitle: Hostile file name\n---\nThis page's name is `javascript:console.log('XSS-MARK-0')%2F%2F`.\n",
        encoding="utf-8")
    for folder, home in [(en, "Home"), (th, "หน้าแรก")]:
        (folder / "index.md").write_text(f"---\ntitle: {home}\n---\nEvery payload page is listed below.\n", encoding="utf-8")
        (folder / "search.md").write_text("---\ntitle: Search\n---\nSearch the payloads.\n", encoding="utf-8")
        (folder / "safety.md").write_text("---\ntitle: Safety\n---\nStaying safe.\n", encoding="utf-8")
    # Interface strings: every key of the built-in strings gets a payload (in turn), keeping
    # the `{n}` of search_count.
    keys = [line.split(":", 1)[0] for line in (REPO / "translations/en.yaml").read_text(encoding="utf-8").splitlines()
            if re.match(r"^[a-z_]+:", line)]
    (SITE / "translations").mkdir()
    for lang, offset in [("en", 0), ("th", len(keys))]:
        lines = []
        for i, key in enumerate(keys):
            payload = found[(i + offset) % len(found)][2]
            if key == "search_count":
                payload += " {n}"
            lines.append(f"{key}: {yaml_string(payload)}")
        (SITE / f"translations/{lang}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(found)} payloads written to {SITE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
