"""Search in every script, in Chromium: the per-language index and search.js, on the search
page of each language. And without JavaScript: the list of every page instead."""

import gzip
import json
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


def search(driver, site, lang, query):
    driver.get(site.url(f"{lang}/search/index.html"))
    box = driver.find_element(By.ID, "q")
    assert box.is_displayed(), "the search box did not appear"
    assert not driver.find_element(By.ID, "search-nojs").is_displayed()
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
    assert any(url.endswith(f"/search/{lang}.json") for url, _ in made), "the index was not fetched"
    hrefs = [r["href"] for r in results]
    assert site.base + f"{lang}/{expected}" in hrefs, f"{query!r} did not find {expected}: {status} {hrefs}"
    assert str(len(results)) in status
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
        const page = ['../en/', 'Title <img src=x id=evil1>', '', 'police <img src=x id=evil2> & <b>police</b>'];
        window.fetch = () => Promise.resolve(new Response(JSON.stringify({v: 1, lang: 'en', pages: [page]})));""")
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


def test_first_search_costs_at_most_35_kilobytes(site, language):
    lang = language
    index = (site.output / "search" / f"{lang}.json").read_bytes()
    script = (site.output / "assets" / "search.js").read_bytes()
    data = json.loads(index)
    assert data["pages"], "empty index"
    for page in data["pages"]:
        assert unicodedata.is_normalized("NFC", page[3])
    cost = len(gzip.compress(index, 9)) + len(gzip.compress(script, 9))
    assert cost <= 35 * 1024, f"{lang}: {cost} bytes gzipped"


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
