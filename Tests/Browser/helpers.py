"""What the browser tests look at: requests from Chrome's DevTools log, storage, focus order,
axe-core, and the quick exit."""

import importlib.util
import json
import pathlib
import urllib.parse

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def requests(driver):
    """Every request the page made since the last call (Network.requestWillBeSent and
    webSocketCreated in Chrome's performance log): (url, resource type)."""
    found = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            found.append((message["params"]["request"]["url"], message["params"].get("type", "")))
        elif message["method"] == "Network.webSocketCreated":
            found.append((message["params"]["url"], "WebSocket"))
    return found


def foreign(requests_made, origin):
    """The requests that went anywhere but `origin` (data: URLs load nothing)."""
    return [(url, kind) for url, kind in requests_made
            if not url.startswith(origin + "/") and not url.startswith("data:")]


def console_errors(driver):
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


STORAGE_SCRIPT = """
const done = arguments[arguments.length - 1];
(async () => {
  const r = {cookie: document.cookie, local: localStorage.length, session: sessionStorage.length,
             fonts: document.fonts.size};
  r.indexedDB = indexedDB.databases ? (await indexedDB.databases()).length : 0;
  r.caches = self.caches ? (await caches.keys()).length : 0;
  r.serviceWorkers = navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).length : 0;
  done(r);
})().catch(e => done({error: String(e)}));
"""


def storage(driver):
    state = driver.execute_async_script(STORAGE_SCRIPT)
    state["allCookies"] = len(driver.execute_cdp_cmd("Network.getAllCookies", {})["cookies"])
    return state


EMPTY_STORAGE = {"cookie": "", "local": 0, "session": 0, "fonts": 0, "indexedDB": 0, "caches": 0,
                 "serviceWorkers": 0, "allCookies": 0}


def tab_order(driver, count):
    """The first `count` elements that Tab reaches from the top of the page."""
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    reached = []
    for _ in range(count):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        reached.append(driver.execute_script(
            "const e = document.activeElement; return {id: e.id, class: e.className, tag: e.tagName, href: e.href || null}"))
    return reached


def assert_exit_first(driver, exit_url, has_skip_link):
    order = tab_order(driver, 2)
    if has_skip_link:
        assert order[0]["class"] == "skip", f"first Tab stop is {order[0]}, not the skip link"
        exit_link = order[1]
    else:
        exit_link = order[0]
    assert exit_link["id"] == "exit", f"the exit link is not first after the skip link: {order}"
    assert exit_link["href"] == exit_url


def wait_for_url(driver, prefix, timeout=10):
    WebDriverWait(driver, timeout).until(lambda d: d.current_url.startswith(prefix))


def press_shift(driver, times):
    actions = ActionChains(driver)
    for _ in range(times):
        actions.key_down(Keys.SHIFT).key_up(Keys.SHIFT)
    actions.perform()


def exit_rect(driver):
    return driver.execute_script("""
        const a = document.getElementById('exit'), r = a.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height,
                viewportWidth: innerWidth, viewportHeight: innerHeight, onTop: !!(hit && hit.closest('#exit'))};
    """)


def page_language(page):
    first = page.split("/")[0]
    return first if not page.endswith(".html") or "/" in page else None


def axe_source():
    """axe-core from the axe-playwright-python wheel (4.x, with the WCAG 2.2 rules), else from
    axe-selenium-python."""
    for package, relative in [("axe_playwright_python", "axe.min.js"),
                              ("axe_selenium_python", "node_modules/axe-core/axe.min.js")]:
        spec = importlib.util.find_spec(package)
        if spec and spec.submodule_search_locations:
            path = pathlib.Path(list(spec.submodule_search_locations)[0]) / relative
            if path.exists():
                return path.read_text(encoding="utf-8")
    raise RuntimeError("axe-core not found: pip install --no-deps axe-playwright-python")


AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done({version: axe.version, violations: r.violations.map(v => ({id: v.id, impact: v.impact,
      help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))}))
  .catch(e => done({error: String(e)}));
"""


def same_site_path(url, base):
    return urllib.parse.urlparse(url).path if url.startswith(base) else None


def find_all(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)
