#!/usr/bin/env python3
"""Monarch against Hugo on the same multilingual corpus (issue #7).

Usage: bench/bench.py [--sizes 200,1000,4000] [--runs 5] [--monarch PATH]

For each size it generates 5 languages x N pages with ../shared/bench/gen_corpus.py, lays
the Hugo site over it with ../shared/bench/hugo_site.sh, and builds it several times with
each tool, alternating, each into a fresh output folder:

- `monarch`: with bench/templates/page.mustache, the work of Hugo's layouts in
  ../shared/bench/hugo (html lang, title, hreflang alternates, a language switcher, the
  content, the section link, a section's list of pages) and no less;
- `hugo`: Debian's Hugo with those layouts;
- `theme`: monarch with its default theme, which does much more on every page (quick exit,
  safety, search and offline links, breadcrumb, footer), for comparison.

It prints median wall and CPU seconds, peak resident memory, pages per second and the
ratios to Hugo, then times monarch (benchmark templates) rebuilding with nothing changed and
after editing one page.

Old outputs are moved aside, not deleted, until the script ends: ext4 will not reuse an inode
deleted in the last 30 s (dirty_expire_centisecs), and with tens of thousands of them from the
previous run's output, every file and folder a build then creates costs a scan of the inode
tables (`recently_deleted` in a kernel profile). That made each build's system time grow run
after run, for both tools, and measured the script's own clean-up, not the generators.
"""
import argparse, os, resource, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), "shared")
LANGS = [("en", "en", "English"), ("zh-hans", "zh-Hans", "简体中文"), ("zh-hant", "zh-Hant", "繁體中文"),
         ("ko", "ko", "한국어"), ("th", "th", "ไทย")]


def timed(cmd, cwd=None):
    """Runs cmd; returns (wall s, cpu s, peak RSS MiB) of the child, from wait4's rusage."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def prepare(size, root):
    """The corpus as three sites: Hugo's, monarch's with the benchmark templates, and
    monarch's with its default theme."""
    corpus = os.path.join(root, f"corpus-{size}")
    subprocess.run([sys.executable, os.path.join(SHARED, "bench", "gen_corpus.py"), corpus, str(size),
                    os.path.join(SHARED, "corpus", "udhr")], check=True, stdout=subprocess.DEVNULL)
    hugo_site = os.path.join(root, f"hugo-{size}")
    subprocess.run(["sh", os.path.join(SHARED, "bench", "hugo_site.sh"), corpus, hugo_site], check=True)
    # Hugo makes a list page for the home and for each section by itself, and each page links
    # its section (.Parent); monarch lists and links only the pages that exist: give it the
    # same 5 x (1 + 4) pages, as index.md files (after Hugo's copy of the content, for which
    # an index.md would make a section a leaf bundle).
    content = os.path.join(corpus, "content")
    for key, _, _ in LANGS:
        folder = os.path.join(content, key)
        with open(os.path.join(folder, "index.md"), "w", encoding="utf-8") as f:
            f.write("---\ntitle: Benchmark\n---\n")
        for section in sorted(os.listdir(folder)):
            if os.path.isdir(os.path.join(folder, section)):
                with open(os.path.join(folder, section, "index.md"), "w", encoding="utf-8") as f:
                    f.write(f"---\ntitle: {section.capitalize()}\n---\n")
    with open(os.path.join(corpus, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("title: Benchmark\nbase_url: https://example.org/\nlanguages:\n")
        for key, tag, name in LANGS:
            f.write(f"  - {{key: {key}, tag: {tag}, name: {name}}}\n")
    themed = corpus + "-theme"
    shutil.copytree(corpus, themed)
    shutil.copytree(os.path.join(HERE, "templates"), os.path.join(corpus, "templates"))
    return corpus, themed, hugo_site


def median(values):
    return statistics.median(values)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200,1000,4000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--monarch", default=os.path.join(REPO, ".build", "release", "monarch"))
    args = parser.parse_args()
    if not shutil.which("hugo"):
        sys.exit("hugo is not installed (make bench installs Debian's hugo)")
    root = tempfile.mkdtemp(prefix="monarch-bench-")
    trash = os.path.join(root, "old-outputs")
    os.makedirs(trash)

    def set_aside(path):
        """Moves an output out of the way without deleting it (see the module's comment)."""
        if os.path.exists(path):
            os.rename(path, os.path.join(trash, str(len(os.listdir(trash)))))
    print(f"monarch: {args.monarch}\nhugo: {subprocess.run(['hugo', 'version'], capture_output=True, text=True).stdout.strip()}")
    print(f"{'size':>6} {'tool':>7} {'wall s':>8} {'cpu s':>7} {'MiB':>6} {'pages/s':>8}")
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus, themed, hugo_site = prepare(size, root)
        pages = size * len(LANGS)
        results = {"monarch": [], "hugo": [], "theme": []}
        # One untimed build each first: the corpus was just written and the caches are cold.
        for run in range(-1, args.runs):
            for tool in results:   # alternate, so drift hits all alike
                out = os.path.join(root, f"out-{tool}")
                set_aside(out)
                if tool == "hugo":
                    result = timed(["hugo", "--quiet", "-d", out], cwd=hugo_site)
                else:
                    # --no-cache: a full build every time (the build cache is timed below).
                    site = corpus if tool == "monarch" else themed
                    result = timed([args.monarch, "build", "--site", site, "--output", out, "--quiet", "--no-cache"])
                if run >= 0:
                    results[tool].append(result)
        row = {}
        for tool, runs in results.items():
            wall, cpu, rss = median([r[0] for r in runs]), median([r[1] for r in runs]), max(r[2] for r in runs)
            row[tool] = (wall, cpu, rss)
            print(f"{size:>6} {tool:>7} {wall:>8.3f} {cpu:>7.3f} {rss:>6.0f} {pages / wall:>8.0f}")
        h = row["hugo"]
        for tool in ("monarch", "theme"):
            m = row[tool]
            print(f"{size:>6} {'ratio':>7} {m[0] / h[0]:>8.2f} {m[1] / h[1]:>7.2f} {m[2] / h[2]:>6.2f}   ({tool} / hugo)")
        # Rebuilds into an output that already holds a complete build.
        out = os.path.join(root, "out-monarch")
        set_aside(out)
        timed([args.monarch, "build", "--site", corpus, "--output", out, "--quiet"])
        same = [timed([args.monarch, "build", "--site", corpus, "--output", out, "--quiet"])[0] for _ in range(args.runs)]
        page = os.path.join(corpus, "content", "en", "rights", "page-0.md")
        edited = []
        for i in range(args.runs):
            with open(page, "a", encoding="utf-8") as f:
                f.write(f"\nEdit {i}.\n")
            edited.append(timed([args.monarch, "build", "--site", corpus, "--output", out, "--quiet"])[0])
        print(f"{size:>6} rebuild, nothing changed: {median(same):.3f} s; after editing one page: {median(edited):.3f} s")
        sys.stdout.flush()
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
