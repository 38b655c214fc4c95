#!/usr/bin/env python3
"""WeasyPrint side of the pamphlet benchmark (issue #3).

Renders the five UDHR texts of ../shared/corpus/udhr/markdown/ to PDF the way a
Markdown -> HTML -> WeasyPrint pipeline would: front matter removed, CommonMark to HTML
with the `cmark` command (Debian package `cmark`) or, without it, python-markdown; then
one HTML document per text with `lang` set, the same fonts per language as Monarch
(Noto Sans, Noto Sans CJK SC/TC/KR, Noto Sans Thai), the same paper and margins, and
WeasyPrint's `write_pdf()` into memory.

Prints the median wall time of RUNS runs of all five texts, and the peak memory (maximum
resident set size) of the process that rendered them.

    pip install weasyprint            # and: apt-get install cmark   (optional)
    python3 bench/pdf/weasyprint.py [--paper letter|a4] [--runs 3] [--corpus DIR]

With --json the result is one JSON object on standard output (used by bench.py).
"""

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

TEXTS = [("eng", "en"), ("cmn_hans", "zh-Hans"), ("cmn_hant", "zh-Hant"), ("kor", "ko"), ("tha", "th")]

FONTS = {
    "en": '"Noto Sans"',
    "zh-Hans": '"Noto Sans CJK SC"',
    "zh-Hant": '"Noto Sans CJK TC"',
    "ko": '"Noto Sans CJK KR"',
    "th": '"Noto Sans Thai", "Noto Sans"',
}
LINE_HEIGHT = {"en": 1.45, "zh-Hans": 1.7, "zh-Hant": 1.7, "ko": 1.7, "th": 1.8}


def default_corpus():
    here = os.path.dirname(os.path.abspath(__file__))
    folder = here
    while folder != os.path.dirname(folder):
        candidate = os.path.join(folder, "shared", "corpus", "udhr", "markdown")
        if os.path.isdir(candidate):
            return candidate
        folder = os.path.dirname(folder)
    sys.exit("weasyprint.py: ../shared/corpus/udhr/markdown not found; pass --corpus")


def strip_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5:]
    return text


def to_html(markdown_text):
    cmark = shutil.which("cmark")
    if cmark:
        return subprocess.run([cmark], input=markdown_text.encode(), capture_output=True, check=True).stdout.decode()
    import markdown  # python-markdown: pip install markdown
    return markdown.markdown(markdown_text)


def document(body, tag, paper):
    size = "letter" if paper == "letter" else "A4"
    margin = "72pt" if paper == "letter" else "64pt"
    return f"""<!doctype html>
<html lang="{tag}"><head><meta charset="utf-8"><title>UDHR</title><style>
@page {{ size: {size}; margin: 62pt {margin} 68pt {margin};
        @bottom-left {{ content: "Maple Lantern Peer Network"; font: 8.6pt "Noto Sans"; color: #5c5c5c; }}
        @bottom-right {{ content: counter(page) " / " counter(pages); font: 8.6pt "Noto Sans"; color: #5c5c5c; }} }}
body {{ font-family: {FONTS[tag]}; font-size: 11.5pt; line-height: {LINE_HEIGHT[tag]}; color: #1a1a1a;
       {"word-break: keep-all; overflow-wrap: break-word;" if tag == "ko" else ""} }}
h1, h2, h3 {{ line-height: 1.3; break-after: avoid; }}
h1 {{ font-size: 21.3pt; }} h2 {{ font-size: 16.7pt; }}
p {{ orphans: 2; widows: 2; margin: 0.75em 0 0; }}
</style></head><body>{body}</body></html>"""


def worker(corpus, paper, runs):
    # This file is itself called weasyprint.py: take its folder off the path so that the
    # import finds the library. Imported here, so its import time is not part of a render.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    sys.modules.pop("weasyprint", None)
    from weasyprint import HTML
    html = []
    for code, tag in TEXTS:
        with open(os.path.join(corpus, code + ".md"), encoding="utf-8") as f:
            html.append((document(to_html(strip_front_matter(f.read())), tag, paper), tag))
    times, sizes = [], []
    for _ in range(runs):
        start = time.perf_counter()
        sizes = [len(HTML(string=text).write_pdf()) for text, _ in html]
        times.append(time.perf_counter() - start)
    return {"times": times, "bytes": sum(sizes)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paper", choices=["letter", "a4"], default="letter")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus = args.corpus or default_corpus()

    if args.worker:
        print(json.dumps(worker(corpus, args.paper, args.runs)))
        return

    # Render in a child process so that its peak memory is WeasyPrint's alone.
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", "--paper", args.paper,
                          "--runs", str(args.runs), "--corpus", corpus], capture_output=True, check=True)
    result = json.loads(out.stdout)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = {
        "tool": "weasyprint",
        "paper": args.paper,
        "runs": result["times"],
        "median_seconds": statistics.median(result["times"]),
        "peak_mib": peak_kib / 1024,
        "pdf_bytes": result["bytes"],
        "markdown": "cmark" if shutil.which("cmark") else "python-markdown",
    }
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"weasyprint: 5 UDHR texts ({args.paper}, HTML from {summary['markdown']}): "
              f"median {summary['median_seconds']:.2f} s of {args.runs} runs "
              f"({', '.join(f'{t:.2f}' for t in result['times'])}), peak memory {summary['peak_mib']:.0f} MiB, "
              f"{summary['pdf_bytes'] // 1024} KiB of PDF")


if __name__ == "__main__":
    main()
