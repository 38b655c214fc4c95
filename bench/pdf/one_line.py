#!/usr/bin/env python3
"""What one line of a pamphlet costs in each script (issue #3's speed goal).

Usage: python3 bench/pdf/one_line.py [MONARCH] [--runs 9]

For each language it builds a one-page site twice, with and without `pamphlet: true` on a
page of one line, each run a whole `monarch build` process printing in that process
(MONARCH_PRINT_PROCESSES=1), and prints the median difference: the fixed cost of a PDF in
that script (fonts found and loaded, the font subset made and embedded). The CJK fonts are
one 15 MB CFF per collection, which Cairo 1.16 reads and subsets for every document.
"""
import argparse, os, resource, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LINES = [("en", "en", "Hello."), ("th", "th", "สวัสดี"), ("ko", "ko", "안녕하세요."),
         ("zh-hans", "zh-Hans", "你好。"), ("zh-hant", "zh-Hant", "你好。")]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("monarch", nargs="?", default=os.path.join(REPO, ".build", "release", "monarch"))
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    env = dict(os.environ, MONARCH_HOME=REPO, MONARCH_PRINT_PROCESSES="1")
    root = tempfile.mkdtemp(prefix="monarch-one-line-")
    site, out = os.path.join(root, "site"), os.path.join(root, "out")

    def median_build(key, tag, text, pamphlet):
        shutil.rmtree(site, ignore_errors=True)
        os.makedirs(os.path.join(site, "content", key))
        with open(os.path.join(site, "site.yaml"), "w", encoding="utf-8") as f:
            f.write(f"title: One line\nlanguages:\n  - {{key: {key}, tag: {tag}, name: {key}}}\n")
        with open(os.path.join(site, "content", key, "index.md"), "w", encoding="utf-8") as f:
            f.write("---\ntitle: One line\n" + ("pamphlet: true\n" if pamphlet else "") + f"---\n\n{text}\n")
        times, cpu = [], []
        for _ in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([args.monarch, "build", "--site", site, "--output", out, "--quiet", "--no-cache"],
                           env=env, check=True)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        return statistics.median(times), statistics.median(cpu)

    # CPU seconds (user + system) are printed beside wall time: on a loaded machine the wall
    # time of a 50 ms process mostly measures the other processes.
    total, total_cpu = 0.0, 0.0
    for key, tag, text in LINES:
        with_pdf, without = median_build(key, tag, text, True), median_build(key, tag, text, False)
        cost, cpu = with_pdf[0] - without[0], with_pdf[1] - without[1]
        total += cost
        total_cpu += cpu
        print(f"{key:>8}: a one-line pamphlet adds {cost * 1000:6.1f} ms wall, {cpu * 1000:6.1f} ms CPU")
        sys.stdout.flush()
    print(f"{'all five':>8}: {total * 1000:6.1f} ms wall, {total_cpu * 1000:6.1f} ms CPU")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
