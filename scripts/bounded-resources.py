#!/usr/bin/env python3
"""Bounded resources (issue #6, point 5): hostile sizes build, or fail with a clear diagnostic,
within 1 GiB of memory and without a crash.

Generates each input as a one-language site in a temporary folder, builds it with the monarch
binary (release by default) and prints wall time, peak RSS (the child's ru_maxrss, from
wait4) and the outcome. Exits 1 when a build uses more than the memory limit, is killed by a
signal, times out, or fails without a `path:line:col: error:` line.

    python3 scripts/bounded-resources.py                     # every input, full size
    python3 scripts/bounded-resources.py --only big-50mb     # one of them
    python3 scripts/bounded-resources.py --scale 0.1         # sizes x 0.1 (nesting stays 10,000)

Full size takes a few minutes with a release binary; `make test` runs a smaller variant
(Tests/MonarchEndToEndTests/BoundedResourcesTests.swift) instead.
"""

import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
GIB = 1024 ** 3

SITE_YAML = "title: Bounded\nlanguages:\n  - {key: en, tag: en, name: English}\n"

BLOCK = """## Know your rights {i}

If the **police stop you**, you can stay _silent_ and ask for a [lawyer](https://example.org/lawyer).
Write down the officer's name, the time and the place. 你有权保持沉默。**重要。**之后 변호사를 부를 권리가 있습니다.
สิทธิของคุณ: คุณมีสิทธิที่จะไม่ตอบคำถาม `code {i}` and a [link to home](index.md).

- Stay calm and keep your hands visible.
- Do not run, argue or resist.
  1. Ask: "Am I free to go?"
  2. If yes, walk away calmly.

> A quote with *emphasis* and a line
> that continues.

"""


def write_site(root, pages):
    """pages: {relative path under content/en/: text}."""
    (root / "content/en").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    if "index.md" not in pages:
        (root / "content/en/index.md").write_text("---\ntitle: Home\n---\nHome.\n", encoding="utf-8")
    for path, text in pages.items():
        target = root / "content/en" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(text, encoding="utf-8")


def big_markdown(size):
    parts, total, i = ["---\ntitle: Big\n---\n"], 0, 0
    while total < size:
        block = BLOCK.format(i=i % 500)  # repeated headings: ids get -1, -2, ...
        parts.append(block)
        total += len(block.encode("utf-8"))
        i += 1
    return "".join(parts)


def nested_lists(depth):
    return ("---\ntitle: Nested lists\n---\n" + "- " * depth + "bullet\n\n" + "1. " * depth + "ordered\n\n"
            + "".join("  " * i + "- level\n" for i in range(min(depth, 2000))) + "\n"
            + "* " * depth + "**strong " * 200 + "text\n")


def nested_quotes(depth):
    return ("---\ntitle: Nested quotes\n---\n" + "> " * depth + "quote\n"
            + "".join(">" * i + " line\n" for i in range(1, min(depth, 2000))) + "\n"
            + "> - " * (depth // 2) + "mixed\n")


def one_line(size):
    unit = "word **strong _em_** `code` [link](https://example.org/) 警察 สิทธิ 변호사 *a "
    return "---\ntitle: One line\n---\n" + unit * (size // len(unit.encode("utf-8")) + 1) + "\n"


def many_pages(count):
    pages = {}
    per_section = 1000
    for s in range((count + per_section - 1) // per_section):
        pages[f"s{s}/index.md"] = f"---\ntitle: Section {s}\n---\nSection.\n"
        for p in range(min(per_section, count - s * per_section) - 1):
            pages[f"s{s}/p{p}.md"] = f"---\ntitle: Page {s}-{p}\n---\nA tiny page, number {p}.\n"
    return pages


def inputs(scale):
    mb = 1024 * 1024
    return {
        "big-50mb": lambda: {"big.md": big_markdown(int(50 * mb * scale))},
        "page-at-limit-8mib": lambda: {"limit.md": big_markdown(8 * mb - 64 * 1024)},
        "nested-lists-10000": lambda: {"lists.md": nested_lists(10_000)},
        "nested-quotes-10000": lambda: {"quotes.md": nested_quotes(10_000)},
        "one-line-1mb": lambda: {"line.md": one_line(int(1 * mb * max(scale, 1)))},
        "pages-100000": lambda: many_pages(int(100_000 * scale)),
    }


def run(binary, site, timeout):
    """(exit status or -signal, wall seconds, peak RSS bytes, stderr)."""
    err = tempfile.TemporaryFile()
    start = time.monotonic()
    # /usr/bin/time reports the build's own peak RSS: wait4 on a child of this process would
    # count the memory of the Python process it was forked from.
    process = subprocess.Popen(["/usr/bin/time", "-f", "monarch-peak-rss-kb=%M", binary, "build", "--site", str(site), "--output", str(site / "public"), "--quiet"],
                               stdout=subprocess.DEVNULL, stderr=err,
                               env=dict(os.environ, MONARCH_HOME=str(REPO)))
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            status = None
            break
        time.sleep(0.05)
    wall = time.monotonic() - start
    process.returncode = 0  # reaped above
    err.seek(0)
    stderr = err.read().decode("utf-8", "replace")
    peak = re.findall(r"monarch-peak-rss-kb=(\d+)", stderr)
    killed = re.search(r"Command terminated by signal (\d+)", stderr)
    stderr = re.sub(r"(Command (exited|terminated).*\n)?monarch-peak-rss-kb=\d+\n?", "", stderr)
    if status is None:
        code = "timeout"
    elif killed or os.WIFSIGNALED(status):
        code = -int(killed.group(1)) if killed else -os.WTERMSIG(status)
    else:
        code = os.WEXITSTATUS(status)
    return code, wall, int(peak[-1]) * 1024 if peak else usage.ru_maxrss * 1024, stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(REPO / ".build/release/monarch"))
    parser.add_argument("--only", action="append", help="run only this input (repeatable)")
    parser.add_argument("--scale", type=float, default=1.0, help="size factor for big-50mb and pages-100000")
    parser.add_argument("--limit-mib", type=int, default=1024)
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args()
    if not pathlib.Path(args.binary).exists():
        sys.exit(f"no binary at {args.binary}: run `swift build -c release --product monarch`")

    failed = False
    print(f"{'input':22} {'wall s':>8} {'peak RSS MiB':>13}  outcome")
    for name, make in inputs(args.scale).items():
        if args.only and name not in args.only:
            continue
        work = pathlib.Path(tempfile.mkdtemp(prefix=f"monarch-bounded-{name}-"))
        try:
            write_site(work, make())
            code, wall, rss, stderr = run(args.binary, work, args.timeout)
            errors = [line for line in stderr.splitlines() if ": error: " in line]
            located = [line for line in errors if re.match(r"^[^:]+:\d+:\d+: error: .+; .+", line)]
            if code == 0:
                outcome = "built"
            elif code == 1 and errors and len(located) == len(errors):
                outcome = "error: " + errors[0][:110]
            elif code == 1:
                outcome = "FAILED without a located diagnostic: " + (stderr.strip().splitlines() or ["(nothing)"])[-1][:100]
                failed = True
            else:
                outcome = f"CRASH ({code}): " + (stderr.strip().splitlines() or ["(nothing)"])[-1][:100]
                failed = True
            if rss > args.limit_mib * 1024 * 1024:
                outcome += f"; OVER {args.limit_mib} MiB"
                failed = True
            print(f"{name:22} {wall:8.1f} {rss / 1024 / 1024:13.0f}  {outcome}", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
