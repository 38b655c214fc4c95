"""Search at size (issue #20): a site without search.md gets a working search page in every
language, and on a generated corpus of 5 x 1000 pages (bench/search_corpus.py: real UDHR
sentences and words from a large vocabulary per script) the first search costs at most 35 KB
gzipped, script included, a second query only the shards it needs, and results appear within
20 ms of the last file arriving. Each site is built once per session."""

import functools
import gzip
import http.server
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading

import pytest

from conftest import REPO, free_port, monarch_binary
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import test_search

PAGES = int(os.environ.get("MONARCH_SEARCH_CORPUS_PAGES", "1000"))

# Per language: four queries that find pages (a word in nearly every page, less common ones,
# an English prefix, Thai words with their marks, two-character Chinese and Korean words) and
# one that must find nothing (the middle of an English word; elsewhere a string in no page:
# the generated vocabulary can hold a Thai word cut before its mark, such as สิทธ).
QUERIES = {
    "en": [("rights", True), ("everyone", True), ("discrimin", True), ("marriage", True), ("ights", False)],
    "zh-hans": [("人人", True), ("权利", True), ("教育", True), ("婚姻", True), ("龘龘", False)],
    "zh-hant": [("人人", True), ("權利", True), ("教育", True), ("婚姻", True), ("龘龘", False)],
    "ko": [("권리", True), ("자유", True), ("교육", True), ("혼인", True), ("뷁뷁", False)],
    "th": [("สิทธิ", True), ("เสรีภาพ", True), ("การศึกษา", True), ("สมรส", True), ("ฎฏฎฏ", False)],
}


class Served:
    """A built site served on 127.0.0.1 from its output folder."""

    def __init__(self, source, work):
        self.output = work / "out"
        build = subprocess.run([monarch_binary(), "build", "--site", str(source), "--output", str(self.output)],
                               env=dict(os.environ, MONARCH_HOME=str(REPO)), capture_output=True, text=True)
        if build.returncode != 0:
            raise RuntimeError(f"monarch build failed:\n{build.stderr}")
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.base = self.origin + "/"
        root = str(self.output)

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=root, **kwargs)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, page):
        return self.base + page

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def no_search_page_site():
    """The example site with every content/<key>/search.md removed."""
    work = pathlib.Path(tempfile.mkdtemp(prefix="monarch-nosearch-"))
    source = work / "site"
    source.mkdir()
    for folder in ["content", "templates", "translations", "static"]:
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, source / folder)
    shutil.copy(REPO / "site.yaml", source / "site.yaml")
    for search_page in source.glob("content/*/search.md"):
        search_page.unlink()
    served = Served(source, work)
    yield served
    served.stop()
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def corpus_site():
    work = pathlib.Path(tempfile.mkdtemp(prefix="monarch-corpus-"))
    subprocess.run([sys.executable, str(REPO / "bench" / "search_corpus.py"), str(work / "site"), str(PAGES)], check=True)
    served = Served(work / "site", work)
    yield served
    served.stop()
    shutil.rmtree(work, ignore_errors=True)


@pytest.mark.parametrize("lang,query", [("en", "lawyer"), ("zh-hans", "律师"), ("zh-hant", "律師"), ("ko", "변호사"),
                                        ("th", "ทนาย")])
def test_a_site_without_search_md_has_search_in_every_language(no_search_page_site, js_driver, lang, query):
    site = no_search_page_site
    status, results = test_search.search(js_driver, site, lang, query)
    assert results, f"{lang}: {query!r} found nothing on the made search page: {status}"
    assert site.base + f"{lang}/police/police-stop/" in [r["href"] for r in results]
    # The made page is in the reader's language: its title is the language's search_link.
    title = js_driver.find_element(By.TAG_NAME, "h1").text
    strings = (REPO / "translations" / f"{lang}.yaml").read_text(encoding="utf-8")
    assert f'search_link: "{title}"' in strings
    # And every page's search link leads there.
    js_driver.get(site.url(f"{lang}/police/police-stop/"))
    assert js_driver.find_element(By.CSS_SELECTOR, "a.find").get_attribute("href") == site.url(f"{lang}/search/")


def grep(site, lang, query):
    """The pages whose plain text holds the query (case folded), from the index's page files."""
    import json
    folder = site.output / "search" / lang / "p"
    found = set()
    for path in folder.glob("*.json"):
        url, title, description, text = json.loads(path.read_bytes())
        if any(query.lower() in field.lower() for field in (title, description, text)):
            found.add(path.stem)
    return found


RESULT_TIMING = """
const [query, done] = arguments;
const status = document.getElementById('search-status');
let shown = 0;
new MutationObserver(() => { if (status.textContent && !shown) shown = performance.now(); })
  .observe(status, {childList: true, characterData: true, subtree: true});
const input = document.getElementById('q');
input.value = query;
input.dispatchEvent(new Event('input'));
const wait = () => {
  if (!shown) return setTimeout(wait, 20);
  const files = performance.getEntriesByType('resource').filter(e => e.name.includes('/search/'));
  done({shown: shown, lastFile: Math.max(...files.map(e => e.responseEnd)),
        files: files.map(e => e.name), count: document.querySelectorAll('#results li').length});
};
wait();
"""


@pytest.mark.parametrize("lang", list(QUERIES))
def test_search_at_size(corpus_site, js_driver, lang):
    site = corpus_site
    # Once, unmeasured: the browser's first snippet loads its word-break data (Intl.Segmenter).
    js_driver.get(site.url(f"{lang}/search/"))
    test_search.search(js_driver, site, lang, QUERIES[lang][0][0], load=False)
    for n, (query, found) in enumerate(QUERIES[lang]):
        js_driver.get(site.url(f"{lang}/search/"))
        WebDriverWait(js_driver, 10).until(lambda d: d.find_element(By.ID, "q").is_displayed())
        timing = js_driver.execute_async_script(RESULT_TIMING, query)
        cost = test_search.first_search_bytes(js_driver, site.output, site.base)
        assert cost <= 35 * 1024, f"{lang} {query!r}: the first search cost {cost} bytes gzipped"
        assert timing["shown"] - timing["lastFile"] <= 20, f"{lang} {query!r}: {timing}"
        if found:
            assert timing["count"] > 0, f"{lang} {query!r} found nothing"
            assert len(grep(site, lang, query)) > 0
        else:
            assert timing["count"] == 0, f"{lang} {query!r} found {timing['count']} pages"
    # A second query in the same page fetches only the shards it needs (none twice).
    js_driver.get(site.url(f"{lang}/search/"))
    first, second = QUERIES[lang][0][0], QUERIES[lang][1][0]
    test_search.search(js_driver, site, lang, first, load=False)
    before = js_driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    test_search.search(js_driver, site, lang, second, load=False)
    after = js_driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    added = after[len(before):]
    assert not any(url.endswith("/index.json") or url.endswith("search.js") for url in added), added
    assert len(added) == len(set(added)), f"a file fetched twice: {added}"
    assert all(url.startswith(site.base + f"search/{lang}/") for url in added), added
