#!/usr/bin/env python3
"""Monarch's sharded search index against Pagefind on the same corpus (issue #20).

Usage: bench/search.py [--sizes 200,1000,4000] [--monarch PATH] [--pagefind PATH] [--work DIR]

Needs: a release monarch (`swift build -c release --product monarch`), Pagefind from PyPI
in a virtual environment of its own (never in `make test`):

    python3 -m venv /tmp/pagefind-venv && /tmp/pagefind-venv/bin/pip install 'pagefind[extended]'

and selenium with Debian's chromium and chromedriver (.build/browser-venv, from
scripts/install-deps.sh): run it with .build/browser-venv/bin/python.

For each size it writes bench/search_corpus.py's corpus (5 languages x N pages, no
search.md: the search pages are the ones Monarch makes), builds it with monarch (timing the
search step from `--verbose`), runs Pagefind over Monarch's HTML (timed), serves the output
on 127.0.0.1 and, in headless Chromium, for five queries per language (a common word, a rare
word drawn from the corpus, a prefix or a word inside longer text, a word with Thai marks or
a two-character Chinese or Korean substring, one more word), measures:

- first-search bytes: every file the search fetched from a fresh page (Monarch: search.js,
  the manifest, the shards, the page files of the first results shown; Pagefind: its script,
  worker-less WebAssembly, metadata, index chunks and the fragments of its first five
  results), each as gzip -9 would send it (Pagefind's files are gzip already: as they are);
- for Monarch, how long after the last file arrived the results appeared (performance.now());
- recall against grep: of the pages whose text holds the query (case folded), the share each
  tool finds (Monarch's full result list is read from its shards, as search.js reads them).

It prints one row per size, language and tool: index bytes on disk, the largest first-search
cost of the five queries, mean recall, and indexing seconds (for the whole site: Pagefind's
run; Monarch's search step and its whole build).
"""
import argparse, gzip, http.server, json, os, pathlib, re, shutil, subprocess, sys, tempfile, threading, time
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent
LANGS = [("en", "en"), ("zh-hans", "zh-Hans"), ("zh-hant", "zh-Hant"), ("ko", "ko"), ("th", "th")]
QUERIES = {
    "en": ["rights", None, "discrimin", "marriage", "everyone"],
    "zh-hans": ["人人", None, "教育", "权利", "婚姻"],
    "zh-hant": ["人人", None, "教育", "權利", "婚姻"],
    "ko": ["권리", None, "교육", "자유", "혼인"],
    "th": ["สิทธิ", None, "การศึกษา", "เสรีภาพ", "สมรส"],
}
SPACELESS = re.compile(r"[\u0E01-\u0E5B\u0E81-\u0EDF\u1000-\u109F\u1780-\u17FF\u1100-\u11FF\u3041-\u30FF"
                       r"\u3131-\u318E\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7A3\uF900-\uFAD9]")


def joins(c):
    return unicodedata.category(c).startswith("M") or c in "\u0E33\u0EB3"


def gz(path):
    data = path.read_bytes()
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, 9))


def du(folder):
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# -- Monarch's results, read from its shards as search.js reads them -----------------------

def fnv(key, count):
    h = 0x811C9DC5
    data = key.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % count


def lookup(term):
    points = list(term.lower())
    if SPACELESS.match(points[0]):
        units = []
        for c in points:
            if units and joins(c):
                units[-1] += c
            else:
                units.append(c)
        if len(units) == 1:
            return ["u" + units[0]], "all", None
        if len(units) == 2:
            return ["b" + units[0] + " " + units[1]], "all", None
        spots = sorted({0, (len(units) - 3) // 2, len(units) - 3})
        return ["t" + " ".join(units[i:i + 3]) for i in spots if SPACELESS.match(units[i][0])], "all", None
    if len(points) <= 2:
        return ["p" + "".join(points)], "all", None
    return ["w" + "".join(points[:3])], "any", "".join(points)


def monarch_results(folder, query):
    """The pages (numbers) Monarch's search finds for a one-word query, before the check on
    the text that a long spaceless word gets for the results shown."""
    manifest = json.loads((folder / "index.json").read_bytes())
    keys, combine, word = lookup(unicodedata.normalize("NFC", query))
    found = None
    for key in keys:
        shard = json.loads((folder / "s" / f"{fnv(key, manifest['shards'])}.json").read_bytes())
        postings = []
        if combine == "any":
            for token, posting in shard.get("w" + word[:3], []):
                if token.startswith(word) and not (len(token) > len(word) and joins(token[len(word)])):
                    postings.append(posting)
        elif key in shard:
            postings.append(shard[key])
        pages = set()
        for posting in postings:
            page = 0
            for i in range(0, len(posting), 2):
                page += posting[i]
                pages.add(page)
        found = pages if found is None else found & pages
    found = found or set()
    q = query.lower()
    if SPACELESS.match(q[0]) and len([c for c in q if not joins(c)]) > 3:
        # What search.js does to a long word's pages before showing them: the word itself,
        # not ending inside a cluster.
        def holds(text):
            text = text.lower()
            at = text.find(q)
            while at >= 0:
                if at + len(q) == len(text) or not joins(text[at + len(q)]):
                    return True
                at = text.find(q, at + 1)
            return False
        found = {n for n in found if any(holds(f) for f in json.loads((folder / "p" / f"{n}.json").read_bytes())[1:])}
    return found


def grep(folder, query):
    found = set()
    q = query.lower()
    for path in (folder / "p").glob("*.json"):
        if any(q in field.lower() for field in json.loads(path.read_bytes())[1:]):
            found.add(int(path.stem))
    return found


def rare_word(folder, lang):
    """A word of the last page's vocabulary paragraph that grep finds in 1 to 5 pages: a
    whole word in English and Korean, three characters in Chinese, four clusters in Thai."""
    pages = sorted((folder / "p").glob("*.json"), key=lambda p: int(p.stem))
    text = json.loads(pages[-1].read_bytes())[3].splitlines()[-2]
    candidates = []
    for run in re.split(r"[\s.。]+", text):
        if lang in ("en", "ko"):
            candidates.append(run)
            continue
        starts = [i for i, c in enumerate(run) if not joins(c)]
        size = 3 if lang.startswith("zh") else 4
        for n in range(len(starts) - size):
            candidates.append(run[starts[n]:starts[n + size]])
    for word in candidates:
        if word and 1 <= len(grep(folder, word)) <= 5:
            return word
    return candidates[0]


# -- Serving and the browser -----------------------------------------------------------------

def serve(root):
    """Serves root on 127.0.0.1; server.served lists every path asked for (Pagefind fetches
    from a worker, whose requests the page's performance entries do not show)."""
    served = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path == "/__served__":
                body = json.dumps(served).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)
                return
            served.append(self.path)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.served = served
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def chromium():
    os.environ.setdefault("SE_AVOID_STATS", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-dev-shm-usage", "--disable-gpu"]:
        options.add_argument(flag)
    options.binary_location = os.environ.get("CHROMIUM") or shutil.which("chromium")
    driver = webdriver.Chrome(service=Service(executable_path=os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")),
                              options=options)
    driver.set_script_timeout(300)
    # Every query from an empty cache: a first search.
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    return driver


MONARCH_SEARCH = """
const [query, done] = arguments;
const status = document.getElementById('search-status');
let shown = 0;
new MutationObserver(() => { if (status.textContent && !shown) shown = performance.now(); })
  .observe(status, {childList: true, characterData: true, subtree: true});
const input = document.getElementById('q');
input.value = query;
input.dispatchEvent(new Event('input'));
const wait = () => {
  if (!shown) return setTimeout(wait, 10);
  const files = performance.getEntriesByType('resource').filter(e => e.name.includes('/search/'));
  done({after: shown - Math.max(...files.map(e => e.responseEnd)),
        files: performance.getEntriesByType('resource').map(e => e.name)});
};
wait();
"""

PAGEFIND_SEARCH = """
const [query, done] = arguments;
(async () => {
  const pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const found = await pf.search(query);
  await Promise.all(found.results.slice(0, 5).map(r => r.data()));
  const served = await (await fetch('/__served__')).json();
  const urls = (await Promise.all(found.results.map(r => r.data()))).map(d => d.url);
  done({served: served, urls: urls});
})().catch(e => done({error: String(e)}));
"""


def first_search_bytes(paths, output):
    """The search files among the paths served, gzipped."""
    total = 0
    for path in set(p.split("?")[0] for p in paths):
        if path.startswith("/search/") or path.endswith("/search.js") or path.startswith("/pagefind/"):
            total += gz(output / path.lstrip("/"))
    return total


def measure(size, args, work):
    corpus = work / f"corpus-{size}"
    if not (corpus / "site.yaml").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "search_corpus.py"), str(corpus), str(size)], check=True)
    output = work / f"out-{size}"
    shutil.rmtree(output, ignore_errors=True)
    start = time.perf_counter()
    build = subprocess.run([args.monarch, "build", "--verbose", "--site", str(corpus), "--output", str(output)],
                           capture_output=True, text=True, env=dict(os.environ, MONARCH_HOME=str(REPO)))
    total = time.perf_counter() - start
    if build.returncode != 0:
        sys.exit(build.stderr)
    stamps = {m.group(2): float(m.group(1)) for m in re.finditer(r"monarch:\s+([\d.]+) s\s+(\S+ ?\S*)", build.stderr)}
    indexing = stamps.get("search index,", 0) - stamps.get("indexing for", 0)
    start = time.perf_counter()
    subprocess.run([args.pagefind, "--site", str(output), "--output-subdir", "pagefind", "--quiet"], check=True)
    pagefind_time = time.perf_counter() - start
    for key, tag in LANGS:
        (output / f"pf-{key}.html").write_text(f'<!doctype html><html lang="{tag}"><head><meta charset="utf-8">'
                                               f'<link rel="icon" href="data:,"><title>pf</title></head><body></body></html>',
                                               encoding="utf-8")
    server = serve(output)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    driver = chromium()
    rows = []
    try:
        pagefind_bytes = du(output / "pagefind")
        for key, _ in LANGS:
            folder = output / "search" / key
            queries = [q or rare_word(folder, key) for q in QUERIES[key]]
            m_cost, p_cost, m_recall, p_recall, after = [], [], [], [], []
            for query in queries:
                expected = grep(folder, query)
                server.served.clear()
                driver.get(base + f"{key}/search/")
                result = driver.execute_async_script(MONARCH_SEARCH, query)
                m_cost.append(first_search_bytes(server.served, output))
                after.append(result["after"])
                found = monarch_results(folder, query)
                m_recall.append(len(found & expected) / len(expected) if expected else 1.0)
                server.served.clear()
                driver.get(base + f"pf-{key}.html")
                result = driver.execute_async_script(PAGEFIND_SEARCH, query)
                if "error" in result:
                    sys.exit(f"pagefind: {result['error']}")
                p_cost.append(first_search_bytes(result["served"], output))
                urls = {json.loads(p.read_bytes())[0].replace("../../", "/") for p in (folder / "p").glob("*.json")}
                pages = {json.loads(p.read_bytes())[0].replace("../../", "/"): int(p.stem) for p in (folder / "p").glob("*.json")}
                got = {pages[u] for u in result["urls"] if u in pages}
                p_recall.append(len(got & expected) / len(expected) if expected else 1.0)
                print(f"  {size} {key} {query!r}: grep {len(expected)}, monarch {len(found)} "
                      f"({m_cost[-1] / 1024:.1f} KB, results {after[-1]:.1f} ms after the last file), "
                      f"pagefind {len(result['urls'])} ({p_cost[-1] / 1024:.1f} KB)", flush=True)
            rows.append((size, key, "monarch", du(folder), max(m_cost), sum(m_recall) / len(m_recall),
                         f"{indexing:.2f} of {total:.2f}", max(after)))
            rows.append((size, key, "pagefind", pagefind_bytes, max(p_cost), sum(p_recall) / len(p_recall),
                         f"{pagefind_time:.2f}", None))
    finally:
        driver.quit()
        server.shutdown()
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200,1000,4000")
    parser.add_argument("--monarch", default=str(REPO / ".build/release/monarch"))
    parser.add_argument("--pagefind", default="/tmp/pagefind-venv/bin/pagefind_extended")
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "monarch-search-bench"))
    args = parser.parse_args()
    if not os.path.exists(args.pagefind):
        python = os.path.join(os.path.dirname(args.pagefind), "python")
        args.pagefind = None
        if os.path.exists(python):
            out = subprocess.run([python, "-c", "import pagefind_bin_extended, os; print(os.path.dirname(pagefind_bin_extended.__file__))"],
                                 capture_output=True, text=True).stdout.strip()
            args.pagefind = os.path.join(out, "pagefind_extended") if out else None
        if not args.pagefind:
            sys.exit("no pagefind: python3 -m venv /tmp/pagefind-venv && /tmp/pagefind-venv/bin/pip install 'pagefind[extended]'")
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        rows += measure(size, args, work)
    print("\n| pages | language | tool | index on disk | first search (gzipped, largest of 5) | recall vs grep | indexing s | results after last file |")
    print("|---|---|---|---|---|---|---|---|")
    for size, key, tool, disk, cost, recall, seconds, after in rows:
        late = f"{after:.1f} ms" if after is not None else ""
        print(f"| 5 x {size} | {key} | {tool} | {disk / 1024:,.0f} KB | {cost / 1024:.1f} KB | {recall:.0%} | {seconds} | {late} |")


if __name__ == "__main__":
    main()
