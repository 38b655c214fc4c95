#!/usr/bin/env python3
"""Runs the libFuzzer targets of issue #6 one after another (`make fuzz`, `make fuzz-smoke`).

The targets are built first by `make fuzz-build` into .build/fuzz (MONARCH_FUZZ=1,
-sanitize=fuzzer,address). Each runs for --seconds with a seed corpus read in place from
Tests/Fixtures, the example site and ../shared/corpus (never copied into the repository; the
CommonMark spec's examples are split into one file each under .build/fuzz/seeds). New
inputs go to .build/fuzz/corpus/<target>/, crashes to .build/fuzz/artifacts/<target>-*.
A crash makes this script exit 1; save the input under Tests/Fixtures/fuzz/<target>/ once
it is fixed, and FuzzRegressionTests replays it in `make test`.

    python3 scripts/fuzz.py --seconds 600                 # every target, 10 minutes each
    python3 scripts/fuzz.py --seconds 20 markdown         # one target
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
BUILD = REPO / ".build/fuzz"
SHARED = (REPO / "../shared/corpus").resolve()
TARGETS = ["markdown", "translations", "siteconfig", "pamphlet"]

# Seeds per target, read in place; missing folders are skipped.
SEEDS = {
    "markdown": ["Tests/Fixtures/fuzz/markdown", "Tests/Fixtures/sites", "Tests/Fixtures/invalid",
                 "Tests/Fixtures/xss/site/content", "content", str(SHARED / "udhr/markdown"), "SPEC"],
    "translations": ["Tests/Fixtures/fuzz/translations", "translations", "Tests/Fixtures/xss/site/translations",
                     "Tests/Fixtures/invalid"],
    "siteconfig": ["Tests/Fixtures/fuzz/siteconfig", "Tests/Fixtures/invalid", "Tests/Fixtures/sites"],
    "pamphlet": ["Tests/Fixtures/fuzz/pamphlet", "Tests/Fixtures/sites", "SPEC"],
}
# Options per target: the pamphlet one prints a PDF per input (slow), so short inputs.
OPTIONS = {
    "markdown": ["-max_len=8192", "-timeout=20"],
    "translations": ["-max_len=4096", "-timeout=20"],
    "siteconfig": ["-max_len=4096", "-timeout=20"],
    "pamphlet": ["-max_len=1024", "-timeout=60"],
}


def spec_seeds():
    """The CommonMark spec's examples, one file each (in .build, not in the repository)."""
    folder = BUILD / "seeds/commonmark"
    spec = SHARED / "commonmark/spec.json"
    if not folder.exists() and spec.exists():
        folder.mkdir(parents=True)
        for example in json.loads(spec.read_text(encoding="utf-8")):
            (folder / f"{example['example']:04d}.md").write_text(example["markdown"], encoding="utf-8")
    return str(folder)


def run(target, seconds):
    binary = BUILD / "debug" / f"fuzz-{target}"
    if not binary.exists():
        sys.exit(f"no {binary}: run `make fuzz-build` first")
    corpus = BUILD / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    (BUILD / "artifacts").mkdir(parents=True, exist_ok=True)
    seeds = []
    for seed in SEEDS[target]:
        path = spec_seeds() if seed == "SPEC" else str(REPO / seed) if not seed.startswith("/") else seed
        if pathlib.Path(path).is_dir():
            seeds.append(path)
    command = [str(binary), str(corpus), *seeds, f"-max_total_time={seconds}", "-print_final_stats=1",
               f"-artifact_prefix={BUILD / 'artifacts'}/{target}-", "-rss_limit_mb=2048", *OPTIONS[target]]
    # Swift's runtime keeps metadata caches for the life of the process: not leaks.
    # Swift's backtracer reads its own stack in a way ASan reports; libFuzzer prints the stack.
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1", SWIFT_BACKTRACE="enable=no")
    start = time.monotonic()
    log_path = BUILD / f"{target}.log"
    with open(log_path, "w") as log:
        status = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO).returncode
    text = log_path.read_text(errors="replace")
    execs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", text)
    crashes = re.findall(r"artifact_prefix='[^']*'; Test unit written to (\S+)", text)
    minutes = (time.monotonic() - start) / 60
    print(f"{target:13} {minutes:6.1f} min  {int(execs[-1]) if execs else 0:>10} execs  "
          f"{'crash: ' + ', '.join(crashes) if status else 'no crash'}  (log: {log_path.relative_to(REPO)})",
          flush=True)
    return status == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("targets", nargs="*", default=TARGETS)
    args = parser.parse_args()
    ok = True
    for target in args.targets:
        ok = run(target, args.seconds) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
