"""Search in every script, in Chromium: the sharded per-language index (issue #20) and
search.js, on the search page of each language: what it finds, what it does not, what it
downloads, and the same results as the single index it replaced. And without JavaScript: the
list of every page instead."""

import gzip
import json
import pathlib
import re
import unicodedata

import pytest

import helpers
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

# (language, query, a page that must be found, a word every marked match must be)
FINDS = [
    ("en", "lawyer", "police/police-stop/", "lawyer"),
    ("en", "Stop", "police/police-stop/", "stop"),
    ("en", "police stop", "police/police-stop/", None),
    ("zh-hans", "律师", "police/police-stop/", "律师"),
    ("zh-hans", "警察", "police/", "警察"),
    ("zh-hant", "律師", "police/police-stop/", "律師"),
    ("zh-hant", "篩檢", "health/testing/", "篩檢"),
    ("ko", "생명", "help/", "생명"),
    ("ko", "변호사", "police/police-stop/", "변호사"),
    ("th", "สิทธิ", "police/police-stop/", "สิทธิ"),
    ("th", "ทนาย", "police/police-stop/", "ทนาย"),
    ("th", "ตำรวจ", "police/", "ตำรวจ"),
]

# Queries that must find nothing: a Thai word without its vowel and tone marks (Pagefind 1.5
# finds every สิทธิ page for it), or cut inside a grapheme cluster; a word inside another word.
FINDS_NOTHING = [
    ("th", "สทธ"),
    ("th", "สิทธ"),
    ("en", "olice"),
    ("en", "zzqx"),
]


SPACELESS = re.compile(r"[\u0e01-\u0e5b\u1100-\u11ff\u3041-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3]")
BEFORE_SHARDS = (pathlib.Path(__file__).parent / "search_before_shards.js").read_text(encoding="utf-8")

# Queries whose results (pages and order) must be those of the single index: the words above,
# common words, one- and two-letter words, prefixes, and words longer than two clusters.
SAME_RESULTS = {
    "en": ["lawyer", "Stop", "police stop", "rights", "you", "a", "in", "work permit", "olice", "zzqx", "HIV", "to do"],
    "zh-hans": ["律师", "警察", "权利", "工作", "人", "你的", "移民局", "zzqx"],
    "zh-hant": ["律師", "篩檢", "權利", "工作", "人", "警察局"],
    "ko": ["생명", "변호사", "권리", "경찰", "일", "도움을 받을"],
    "th": ["สิทธิ", "ทนาย", "ตำรวจ", "สทธ", "สิทธ", "งาน", "ความ", "ก"],
}


def looked_up_exactly(word):
    """Whether search.js's keys answer the word exactly: a word of a script with spaces, or
    one to three clusters of a script without."""
    if not SPACELESS.match(word):
        return True
    clusters = [c for c in word if not (unicodedata.category(c).startswith("M") or c in "\u0e33\u0eb3")]
    return len(clusters) <= 3


def search(driver, site, lang, query, load=True):
    if load:
        driver.get(site.url(f"{lang}/search/index.html"))
    box = driver.find_element(By.ID, "q")
    assert box.is_displayed(), "the search box did not appear"
    assert not driver.find_element(By.ID, "search-nojs").is_displayed()
    driver.execute_script("document.getElementById('search-status').textContent = ''")
    box.clear()
    box.send_keys(query)
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "search-status").text.strip())
    results = []
    for item in driver.find_elements(By.CSS_SELECTOR, "#results li"):
        link = item.find_element(By.TAG_NAME, "a")
        snippet = item.find_element(By.TAG_NAME, "p")
        results.append({"href": link.get_attribute("href"), "title": link.text,
                        "snippet": snippet.text, "marks": [m.text for m in snippet.find_elements(By.TAG_NAME, "mark")]})
    return driver.find_element(By.ID, "search-status").text, results


@pytest.mark.parametrize("lang,query,expected,word", FINDS, ids=[f"{l}-{q}" for l, q, _, _ in FINDS])
def test_search_finds_known_words(site, js_driver, lang, query, expected, word):
    helpers.requests(js_driver)
    status, results = search(js_driver, site, lang, query)
    made = helpers.requests(js_driver)
    assert helpers.foreign(made, site.origin) == [], "search contacted another host"
    assert any(url.endswith(f"/search/{lang}/index.json") for url, _ in made), "the manifest was not fetched"
    assert any(f"/search/{lang}/s/" in url for url, _ in made), "no shard was fetched"
    assert not any(url.endswith(f"/search/{lang}.json") for url, _ in made), "the single index is gone"
    hrefs = all_results(js_driver)
    assert site.base + f"{lang}/{expected}" in hrefs, f"{query!r} did not find {expected}: {status} {hrefs}"
    assert str(len(hrefs)) in status
    assert first_search_bytes(js_driver, site.output, site.base) <= 35 * 1024
    for result in results:
        assert result["href"].startswith(site.base + f"{lang}/"), "a result in another language"
        assert result["title"]
        if word:
            for mark in result["marks"]:
                assert mark.lower() == word.lower(), f"marked {mark!r} for {query!r}"
    assert any(r["marks"] for r in results), "no snippet marks the match"
    assert helpers.storage(js_driver) == helpers.EMPTY_STORAGE


@pytest.mark.parametrize("lang,query", FINDS_NOTHING, ids=[f"{l}-{q}" for l, q in FINDS_NOTHING])
def test_search_does_not_find_what_is_not_there(site, js_driver, lang, query):
    status, results = search(js_driver, site, lang, query)
    assert results == [], f"{query!r} found {[r['title'] for r in results]}"
    assert status


def test_korean_particles_do_not_hide_a_word(site, js_driver):
    _, results = search(js_driver, site, "ko", "생명")
    assert any("생명이" in r["snippet"] for r in results), "생명 must find 생명이 (the word with its particle)"


def test_results_are_text_never_markup(site, js_driver):
    js_driver.get(site.url("en/search/index.html"))
    js_driver.execute_script("""
        const page = ['../../en/', 'Title <img src=x id=evil1>', '', 'police <img src=x id=evil2> & <b>police</b>'];
        const files = {'index.json': {v: 2, lang: 'en', pages: 1, shards: 1},
                       's/0.json': {wpol: [['police', [0, 13]]]}, 'p/0.json': page};
        window.fetch = (url) => Promise.resolve(new Response(JSON.stringify(files[url.replace(/.*\\/search\\/en\\//, '')])));""")
    js_driver.find_element(By.ID, "q").send_keys("police")
    WebDriverWait(js_driver, 10).until(lambda d: d.find_element(By.ID, "search-status").text.strip())
    assert js_driver.find_elements(By.CSS_SELECTOR, "#evil1, #evil2, #results b") == []
    item = js_driver.find_element(By.CSS_SELECTOR, "#results li")
    assert "Title <img src=x id=evil1>" in item.text
    assert "<b>police</b>" in item.text


def test_typing_capitals_in_the_search_box_does_not_exit(site, js_driver):
    page = site.url("en/search/index.html")
    js_driver.get(page)
    js_driver.find_element(By.ID, "q").send_keys("PrEP HIV CBSA")
    WebDriverWait(js_driver, 10).until(lambda d: d.find_element(By.ID, "search-status").text.strip())
    assert js_driver.current_url == page, "Shift held for capitals counted as the exit shortcut"


def test_page_files_hold_nfc_text(site, language):
    pages = sorted((site.output / "search" / language / "p").glob("*.json"))
    assert pages, "no page files"
    for path in pages:
        page = json.loads(path.read_bytes())
        assert len(page) == 4 and all(unicodedata.is_normalized("NFC", field) for field in page)
    manifest = json.loads((site.output / "search" / language / "index.json").read_bytes())
    assert manifest["pages"] == len(pages)


def all_results(driver):
    """Every result's address, pressing "More results" until every one is shown."""
    while True:
        more = driver.find_element(By.ID, "search-more")
        if not more.is_displayed():
            break
        shown = len(driver.find_elements(By.CSS_SELECTOR, "#results li"))
        more.click()
        WebDriverWait(driver, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#results li")) > shown
                                        or not d.find_element(By.ID, "search-more").is_displayed())
    return driver.execute_script("return Array.from(document.querySelectorAll('#results li > a')).map(a => a.href)")


def first_search_bytes(driver, output, base):
    """What the page fetched for search (the script and the index's files), gzipped, as the
    files are on disk."""
    urls = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    total = 0
    for url in set(urls):
        if url.startswith(base + "search/") or url == base + "assets/search.js":
            total += len(gzip.compress((output / url[len(base):]).read_bytes(), 9))
    return total


OLD_RESULTS_SCRIPT = """
const [query, pages, base, done] = arguments;
""" + BEFORE_SHARDS + """
const found = searchBeforeShards(pages, query);
done(found ? found.results.map(r => new URL(r.page[0], base).href) : []);
"""


@pytest.mark.parametrize("lang", list(SAME_RESULTS))
def test_same_results_as_the_single_index(site, js_driver, lang):
    folder = site.output / "search" / lang
    count = json.loads((folder / "index.json").read_bytes())["pages"]
    pages = [json.loads((folder / "p" / f"{n}.json").read_bytes()) for n in range(count)]
    index = site.base + f"search/{lang}/"
    js_driver.get(site.url(f"{lang}/search/index.html"))
    for query in SAME_RESULTS[lang]:
        expected = js_driver.execute_async_script(OLD_RESULTS_SCRIPT, query, pages, index)
        search(js_driver, site, lang, query, load=False)
        found = all_results(js_driver)
        if all(looked_up_exactly(word) for word in re.split(r"[\s\W]+", query) if word):
            assert found == expected, f"{lang} {query!r}"
        else:
            # A word of four clusters or more in a script without spaces is looked up by runs
            # of three: the same pages, ranked by the rarest run's count.
            assert sorted(found) == sorted(expected), f"{lang} {query!r}"


def test_without_javascript_the_search_page_lists_every_page(site, nojs_driver, language):
    lang = language
    driver = nojs_driver
    driver.get(site.url(f"{lang}/search/index.html"))
    assert not driver.find_element(By.ID, "search").is_displayed()
    assert driver.find_element(By.ID, "search-nojs").is_displayed()
    listed = {a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".all a")}
    pages = [p for p in site.pages if p.startswith(f"{lang}/") and p != f"{lang}/search/index.html"]
    for page in pages:
        assert site.url(page) in listed, f"{page} is not listed"
    # And every page's search link leads there.
    driver.get(site.url(f"{lang}/police/police-stop/index.html"))
    link = driver.find_element(By.CSS_SELECTOR, "a.find")
    assert link.get_attribute("href") == site.url(f"{lang}/search/index.html")
