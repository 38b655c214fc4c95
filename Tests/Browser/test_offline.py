"""Issue #5, point 6 in Chromium: "Save for offline" registers a service worker only when the
reader presses the button, the saved pages open with the site unreachable, "Remove" takes the
worker and the cache away again; without JavaScript the page still explains; the portable copy
(`monarch build --portable`) works opened with file://, every link naming a file that exists.

The worker tests use a server of their own on another port (so another origin, whose worker
and cache do not touch the shared drivers) that they stop to take the site offline, and a
browser of their own."""

import http.server
import pathlib
import threading
import urllib.parse
import zipfile

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import conftest
import helpers


class StoppableServer:
    def __init__(self, root):
        self.root = str(root)
        self.port = conftest.free_port()
        self.httpd = None

    def start(self):
        root = self.root

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=root, **kwargs)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None


def title_on_disk(site, page):
    html = (site.output / page).read_text(encoding="utf-8")
    return html.split("<title>", 1)[1].split("</title>", 1)[0].replace("&amp;", "&").replace("&#39;", "'")


def title_when_offline(driver, url):
    """The title of the page at `url`, or None when Chromium cannot load it."""
    try:
        driver.get(url)
    except WebDriverException:
        return None
    return driver.title


def status(driver):
    return driver.find_element(By.ID, "offline-status").text


def attribute(driver, name):
    return driver.find_element(By.ID, "offline-controls").get_attribute("data-" + name)


def wait_for_status(driver, name, timeout=20):
    WebDriverWait(driver, timeout).until(lambda d: status(d) == attribute(d, name))


@pytest.fixture
def offline_setup(site):
    server = StoppableServer(site.root)
    server.start()
    driver = conftest.chromium(javascript=True)
    # Chromium's HTTP cache would keep serving pages it fetched (heuristic freshness) after the
    # server stops: only the service worker may do that here.
    driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    yield server, driver, f"http://127.0.0.1:{server.port}{site.base_path}"
    driver.quit()
    server.stop()


def test_save_registers_only_on_click_works_offline_and_remove_takes_it_away(site, offline_setup):
    server, driver, base = offline_setup
    origin = f"http://127.0.0.1:{server.port}"
    saved = ["en/police/police-stop/index.html", "en/index.html", "en/help/hotlines/index.html",
             "en/offline/index.html", "index.html"]

    # Browsing, the offline page included, stores nothing and registers nothing.
    for page in ["en/index.html", "en/offline/index.html"]:
        driver.get(base + page.replace("index.html", ""))
    wait_for_status(driver, "none")
    assert helpers.storage(driver) == helpers.EMPTY_STORAGE
    assert not driver.find_element(By.ID, "offline-nojs").is_displayed()
    assert not driver.find_element(By.ID, "offline-remove").is_displayed()

    driver.find_element(By.ID, "offline-save").click()
    wait_for_status(driver, "saved")
    state = helpers.storage(driver)
    assert state["serviceWorkers"] == 1 and state["caches"] == 1, state
    assert state["local"] == 0 and state["session"] == 0 and state["allCookies"] == 0 and state["indexedDB"] == 0
    assert driver.find_element(By.ID, "offline-remove").is_displayed()
    scope = driver.execute_async_script(
        "const done = arguments[0]; navigator.serviceWorker.getRegistrations().then(r => done(r.map(x => x.scope)))")
    assert scope == [base]
    assert helpers.foreign(helpers.requests(driver), origin) == []

    # The site goes away: the saved pages still open, with their stylesheet.
    server.stop()
    for page in saved:
        driver.get(base + page[: -len("index.html")])
        assert driver.title == title_on_disk(site, page), f"{page} did not open offline"
        assert driver.execute_script("return document.styleSheets.length && document.styleSheets[0].cssRules.length") > 0
    # Only this language was saved.
    assert title_when_offline(driver, base + "th/police/police-stop/") != title_on_disk(site, "th/police/police-stop/index.html")

    # Back online, "Remove" unregisters the worker and deletes the cache.
    server.start()
    driver.get(base + "en/offline/")
    wait_for_status(driver, "saved")
    driver.find_element(By.ID, "offline-remove").click()
    wait_for_status(driver, "removed")
    assert helpers.storage(driver) == helpers.EMPTY_STORAGE
    assert not driver.find_element(By.ID, "offline-remove").is_displayed()
    server.stop()
    assert title_when_offline(driver, base + "en/police/police-stop/") != title_on_disk(site, "en/police/police-stop/index.html"), \
        "the page still opens offline"


def test_without_javascript_the_offline_page_explains_and_shows_no_buttons(site, nojs_driver, language):
    nojs_driver.get(site.url(f"{language}/offline/index.html"))
    assert nojs_driver.find_element(By.ID, "offline-nojs").is_displayed()
    assert not nojs_driver.find_element(By.ID, "offline-controls").is_displayed()
    assert nojs_driver.find_element(By.ID, "trace").is_displayed()
    assert len(nojs_driver.find_element(By.CSS_SELECTOR, "main").text) > 200


def test_every_page_links_the_offline_page(site, js_driver, language):
    js_driver.get(site.url(f"{language}/help/hotlines/index.html"))
    link = js_driver.find_element(By.CSS_SELECTOR, f'footer a[href$="offline/"]')
    link.click()
    assert js_driver.current_url == site.url(f"{language}/offline/index.html")


def test_the_portable_copy_works_from_file_urls(site):
    """Opens the copy's index.html with file:// and follows every link and source from every
    page it reaches: each must name a file that exists; every page of the copy is reached."""
    root = site.portable.resolve()
    pages = {p.resolve() for p in root.rglob("*.html")}
    driver = conftest.chromium(javascript=True)
    try:
        start = (root / "index.html").as_uri()
        queue, seen, missing = [start], {start}, []
        while queue:
            url = queue.pop()
            driver.get(url)
            assert driver.execute_script("return document.styleSheets.length") >= 1, url
            targets = driver.execute_script("""
                return [...document.querySelectorAll('a[href], link[href], script[src], img[src]')]
                  .map(e => e.href || e.src);""")
            for target in targets:
                if not target.startswith("file://"):
                    continue
                path = pathlib.Path(urllib.parse.unquote(urllib.parse.urlparse(target).path))
                if not path.is_file():
                    missing.append(f"{url} -> {target}")
                    continue
                page = path.as_uri()
                if path.suffix == ".html" and page not in seen:
                    seen.add(page)
                    queue.append(page)
        assert missing == []
        reached = {pathlib.Path(urllib.parse.unquote(urllib.parse.urlparse(u).path)) for u in seen}
        assert pages - reached == set()
        # No request leaves the folder, and there is no service worker to find.
        assert [u for u, _ in helpers.requests(driver) if not u.startswith("file://") and not u.startswith("data:")] == []
        driver.get((root / "en/offline/index.html").as_uri())
        assert driver.find_element(By.ID, "offline-unavailable").is_displayed()
        assert not driver.find_element(By.ID, "offline-controls").is_displayed()
        assert not (root / "sw.js").exists()
    finally:
        driver.quit()


def test_the_zip_holds_the_portable_copy(site):
    archive = site.portable.parent / (site.portable.name + ".zip")
    with zipfile.ZipFile(archive) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        # The folder's .monarch-output record tells monarch the folder is its own to replace;
        # it means nothing to whoever unpacks the zip, which leaves it out.
        on_disk = {f"{site.portable.name}/{p.relative_to(site.portable).as_posix()}"
                   for p in site.portable.rglob("*") if p.is_file() and p.name != ".monarch-output"}
        assert names == on_disk
        page = f"{site.portable.name}/en/help/hotlines/index.html"
        assert z.read(page) == (site.portable / "en/help/hotlines/index.html").read_bytes()
