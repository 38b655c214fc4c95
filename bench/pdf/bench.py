#!/usr/bin/env python3
"""Pamphlet benchmark (issue #3): Monarch against WeasyPrint on the five UDHR texts.

    python3 bench/pdf/bench.py MONARCH [SITE] [--runs 3] [--paper letter|a4] [--no-weasyprint]

MONARCH is the path of a monarch binary (`.build/release/monarch`). SITE is a site folder
whose pages carry `pamphlet: true`; without it, one is made in a temporary folder from
../shared/corpus/udhr/markdown/: the five UDHR texts (English, Simplified and Traditional
Chinese, Korean, Thai), each a page with `pamphlet: true`, plus the same site without
`pamphlet: true` as a baseline, so that the time of the PDFs alone is the difference.

Each run is `MONARCH build --site SITE --output OUT` in a fresh output folder; the
median wall time of the runs and the peak memory (maximum resident set size) of the
monarch process are printed, then the same for WeasyPrint (bench/pdf/weasyprint.py:
Markdown -> HTML with cmark -> PDF, same paper) and the ratio.

WeasyPrint: pip install weasyprint (and apt-get install cmark, else python-markdown).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

LANGUAGES = [
    # corpus code, site key, BCP 47 tag, name in the language
    ("eng", "en", "en", "English"),
    ("cmn_hans", "zh-hans", "zh-Hans", "简体中文"),
    ("cmn_hant", "zh-hant", "zh-Hant", "繁體中文"),
    ("kor", "ko", "ko", "한국어"),
    ("tha", "th", "th", "ไทย"),
]


def corpus_folder():
    folder = HERE
    while folder != os.path.dirname(folder):
        candidate = os.path.join(folder, "shared", "corpus", "udhr", "markdown")
        if os.path.isdir(candidate):
            return candidate
        folder = os.path.dirname(folder)
    sys.exit("bench.py: ../shared/corpus/udhr/markdown not found")


def strip_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5:]
    return text


def first_heading(markdown):
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return "UDHR"


def make_site(folder, pamphlets):
    """A site with the five UDHR texts as `udhr.md` in each language."""
    corpus = corpus_folder()
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("title: UDHR benchmark\nbase_url: https://example.org/\nlanguages:\n")
        for _, key, tag, name in LANGUAGES:
            f.write(f"  - {{key: {key}, tag: {tag}, name: {name}}}\n")
    for code, key, _, _ in LANGUAGES:
        content = os.path.join(folder, "content", key)
        os.makedirs(content, exist_ok=True)
        with open(os.path.join(corpus, code + ".md"), encoding="utf-8") as f:
            body = strip_front_matter(f.read())
        title = first_heading(body).replace('"', '\\"')
        with open(os.path.join(content, "udhr.md"), "w", encoding="utf-8") as f:
            f.write(f'---\ntitle: "{title}"\n' + ("pamphlet: true\n" if pamphlets else "") + "---\n" + body)
        with open(os.path.join(content, "index.md"), "w", encoding="utf-8") as f:
            f.write(f'---\ntitle: "{title}"\n---\n# {title}\n')


def time_builds(monarch, site, runs, processes=None):
    """Median wall time, peak memory (MiB) and the PDFs of `monarch build` over `runs` runs.

    The peak is that of the largest single process (wait4's ru_maxrss covers the build and
    the worker processes it waited for, as a maximum, not a sum). `processes` sets
    MONARCH_PRINT_PROCESSES (default: one per core)."""
    env = dict(os.environ)
    if processes:
        env["MONARCH_PRINT_PROCESSES"] = str(processes)
    times, peaks, pdfs = [], [], 0
    for _ in range(runs):
        out = tempfile.mkdtemp(prefix="monarch-bench-out-")
        try:
            start = time.perf_counter()
            process = subprocess.Popen([monarch, "build", "--site", site, "--output", out, "--no-cache"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - start
            stderr = process.stderr.read().decode(errors="replace")
            process.stderr.close()
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit(f"bench.py: {monarch} build failed:\n{stderr}")
            times.append(elapsed)
            peaks.append(usage.ru_maxrss / 1024)
            pdfs = sum(name.endswith(".pdf") for _, _, names in os.walk(out) for name in names)
        finally:
            shutil.rmtree(out, ignore_errors=True)
    return statistics.median(times), max(peaks), pdfs, times


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("monarch")
    parser.add_argument("site", nargs="?")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--paper", choices=["letter", "a4"], default="letter")
    parser.add_argument("--no-weasyprint", action="store_true")
    args = parser.parse_args()
    monarch = os.path.abspath(args.monarch)

    scratch = None
    baseline_site = None
    if args.site:
        site = os.path.abspath(args.site)
    else:
        scratch = tempfile.mkdtemp(prefix="monarch-bench-site-")
        site = os.path.join(scratch, "with-pamphlets")
        baseline_site = os.path.join(scratch, "without-pamphlets")
        make_site(site, pamphlets=True)
        make_site(baseline_site, pamphlets=False)
    try:
        median, peak, pdfs, runs = time_builds(monarch, site, args.runs)
        print(f"monarch: build with pamphlets: median {median:.3f} s of {args.runs} "
              f"({', '.join(f'{t:.3f}' for t in runs)}), peak memory {peak:.0f} MiB per process, {pdfs} PDF files")
        single, single_peak, _, _ = time_builds(monarch, site, args.runs, processes=1)
        print(f"monarch: the same in one process (MONARCH_PRINT_PROCESSES=1): median {single:.3f} s, "
              f"peak memory {single_peak:.0f} MiB")
        if pdfs == 0:
            print("monarch: no PDF was written: this monarch or site does not make pamphlets yet")
        pdf_time = median
        if baseline_site:
            base, base_peak, _, _ = time_builds(monarch, baseline_site, args.runs)
            pdf_time = max(median - base, 1e-6)
            print(f"monarch: same site without pamphlets: median {base:.3f} s, peak memory {base_peak:.0f} MiB; "
                  f"pamphlets alone: {pdf_time:.3f} s")
        if args.no_weasyprint:
            return
        out = subprocess.run([sys.executable, os.path.join(HERE, "weasyprint.py"), "--json", "--paper", args.paper,
                              "--runs", str(args.runs)], capture_output=True, text=True)
        if out.returncode != 0:
            print("weasyprint: not run (pip install weasyprint):", out.stderr.strip().splitlines()[-1:] or "")
            return
        weasy = json.loads(out.stdout)
        print(f"weasyprint: 5 UDHR texts: median {weasy['median_seconds']:.3f} s, peak memory {weasy['peak_mib']:.0f} MiB")
        print(f"ratio: monarch's pamphlets are {weasy['median_seconds'] / pdf_time:.1f} times faster than WeasyPrint "
              f"(whole build: {weasy['median_seconds'] / median:.1f} times)")
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
