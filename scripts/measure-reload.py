#!/usr/bin/env python3
"""Measures monarch serve's save-to-reload time on a copy of a site (the example site, or --bench N).

It copies the site (site.yaml, content/, templates/, translations/, static/) into a
temporary folder, starts `monarch serve --port 0` on it, listens to /__monarch/events over
a raw socket like a browser tab's EventSource, then edits one page N times. For each edit
it records the time from just before the file is written to the arrival of the `reload`
event that names the page's output file, and prints every time, the median and the p90.
Finally it stops the server with SIGINT and checks that it exits 0.

    python3 scripts/measure-reload.py                       # release binary, 20 edits
    python3 scripts/measure-reload.py --binary .build/release/monarch --runs 50
    python3 scripts/measure-reload.py --bench 1000          # the benchmark's 5 x 1000 pages

Only the Python 3 standard library is used.
"""

import argparse
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find_binary():
    for candidate in (".build-serve/release/monarch", ".build/release/monarch"):
        path = os.path.join(ROOT, candidate)
        if os.path.exists(path):
            return path
    sys.exit("measure-reload: no release binary; run `swift build -c release --product monarch` first")


class EventStream:
    """A tab's event stream: GET /__monarch/events, then events as they come."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.sendall(("GET /__monarch/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                           "Accept: text/event-stream\r\n\r\n" % port).encode())
        self.buffer = b""

    def next(self, name, timeout=10.0):
        """Waits for the next event called `name`; returns (arrival time, data)."""
        deadline = time.monotonic() + timeout
        while True:
            # Each event is sent as one HTTP chunk, so its text is contiguous.
            match = re.search(rb"event: ([a-z]+)\ndata: ([^\n]*)\n\n", self.buffer)
            if match:
                self.buffer = self.buffer[match.end():]
                if match.group(1).decode() == name:
                    return time.monotonic(), json.loads(match.group(2))
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no '%s' event within %.0f s" % (name, timeout))
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the event stream closed")
            self.buffer += chunk


def cpu_seconds(pid):
    """User plus system CPU time of a process so far (Linux), or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=None, help="monarch binary (default: the release build)")
    parser.add_argument("--site", default=ROOT, help="site to copy (default: the example site)")
    parser.add_argument("--bench", type=int, metavar="N", default=None,
                        help="instead of --site, the benchmark's corpus of 5 x N pages with its templates, "
                             "generated as bench/bench.py (`make bench`) generates it")
    parser.add_argument("--page", default=None,
                        help="page to edit (default: content/en/police/police-stop.md, with --bench "
                             "content/en/health/page-10.md)")
    parser.add_argument("--runs", type=int, default=20, help="measured edits (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="edits before measuring (default 2)")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary) if args.binary else find_binary()

    work = tempfile.mkdtemp(prefix="monarch-measure-")
    if args.bench:
        sys.path.insert(0, os.path.join(ROOT, "bench"))
        import bench
        args.site = bench.prepare(args.bench, os.path.join(work, "bench"))[0]
    if args.page is None:
        args.page = "content/en/health/page-10.md" if args.bench else "content/en/police/police-stop.md"
    site = os.path.join(work, "site")
    os.makedirs(site)
    for name in ("site.yaml", "content", "templates", "translations", "static"):
        source = os.path.join(args.site, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(site, name))
        elif os.path.exists(source):
            shutil.copy2(source, os.path.join(site, name))

    page = os.path.join(site, args.page)
    with open(page, encoding="utf-8") as f:
        original = f.read()
    parts = args.page.split("/")
    stem = os.path.splitext("/".join(parts[1:]))[0]
    output = (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/index.html"

    server = subprocess.Popen([binary, "serve", "--site", site, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = []
    threading.Thread(target=lambda: log.extend(server.stderr), daemon=True).start()
    try:
        line = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            time.sleep(0.5)
            sys.exit("measure-reload: monarch serve did not start:\n" + line + "".join(log))
        port = int(match.group(1))
        print("monarch serve %s on port %d; editing %s (%s)" % (binary, port, args.page, output))
        tab = EventStream(port)
        tab.next("hello")

        times = []
        load_before = os.getloadavg()[0]
        cpu_before = None
        for run in range(args.warmup + args.runs):
            if run == args.warmup:
                cpu_before = cpu_seconds(server.pid)
            # Edits come at a random phase of the watcher's polling, as a person's saves do.
            time.sleep(0.25 + random.uniform(0, 0.1))
            text = original.rstrip("\n") + "\n\nMeasured edit %d.\n" % run
            start = time.monotonic()
            with open(page, "w", encoding="utf-8") as f:
                f.write(text)
            while True:
                arrived, data = tab.next("reload")
                if output in data["changed"]:
                    break
            if run >= args.warmup:
                times.append((arrived - start) * 1000)
                if data["changed"] != [output]:
                    print("  note: edit %d changed %s" % (run, data["changed"]))

        cpu_after = cpu_seconds(server.pid)
        times_sorted = sorted(times)
        p90 = times_sorted[max(0, math.ceil(0.9 * len(times_sorted)) - 1)]
        print("save-to-reload, %d edits (ms): %s" % (len(times), " ".join("%.1f" % t for t in times)))
        print("median %.1f ms, p90 %.1f ms, min %.1f ms, max %.1f ms"
              % (statistics.median(times), p90, times_sorted[0], times_sorted[-1]))
        if cpu_before is not None and cpu_after is not None:
            print("server CPU time per edit (all threads, includes the idle watcher): %.1f ms"
                  % ((cpu_after - cpu_before) * 1000 / len(times)))
        print("load average (1 min) on %d cores: %.2f before, %.2f after"
              % (os.cpu_count(), load_before, os.getloadavg()[0]))
        builds = [float(m.group(1)) * 1000 for m in (re.search(r"rebuilt in ([0-9.]+) s", l) for l in log) if m]
        if builds:
            print("of which the server's rebuild (build + read into memory), median: %.1f ms"
                  % statistics.median(builds[args.warmup:] or builds))
    finally:
        stopped = time.monotonic()
        server.send_signal(signal.SIGINT)
        try:
            status = server.wait(timeout=10)
            print("SIGINT: monarch serve exited with status %d in %.2f s" % (status, time.monotonic() - stopped))
        except subprocess.TimeoutExpired:
            server.kill()
            print("SIGINT: monarch serve did not stop within 10 s; killed")
            status = -1
        shutil.rmtree(work, ignore_errors=True)
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
