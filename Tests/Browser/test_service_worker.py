"""Issue #14, point 2 in Chromium: only the theme's service worker can register. A
contributor's `.js` under content/ stops the build; a script a contributor can still publish
(a `.txt` file holding JavaScript) is refused by the browser as a worker; the theme's own
worker is registered with the site's root as its scope, nothing wider.

The site is a copy of the example site built into a folder of its own and served by
http.server on 127.0.0.1 under a path (/site/), in a browser of its own."""

import http.server
import pathlib
import shutil
import subprocess
import tempfile
import threading

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import conftest

WORKER = "self.addEventListener('fetch', e => e.respondWith(new Response('taken over')));\n"

REGISTER = """
const [script, scope, done] = arguments;
navigator.serviceWorker.register(script, {scope})
  .then(r => done('registered ' + r.scope), e => done('refused ' + e.name + ': ' + e.message));
"""


def copy_site(folder):
    folder.mkdir(parents=True)
    for item in ["site.yaml", "content", "templates", "translations", "static"]:
        source = conftest.REPO / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / item)


def build(site, output):
    return subprocess.run([conftest.monarch_binary(), "build", "--site", str(site), "--output", str(output),
                           "--no-cache"], capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "MONARCH_HOME": str(conftest.REPO)})


@pytest.fixture(scope="module")
def served():
    work = pathlib.Path(tempfile.mkdtemp(prefix="monarch-sw-"))
    site = work / "site"
    copy_site(site)
    (site / "content/en/worker.txt").write_text(WORKER, encoding="utf-8")
    # A contributor's file is published once a page links to it (a file no page uses is not).
    (site / "content/en/worker-notes.md").write_text("---\ntitle: Notes\n---\n[Notes](worker.txt)\n", encoding="utf-8")
    root = work / "www"
    result = build(site, root / "site")
    assert result.returncode == 0, result.stderr
    assert (root / "site/en/worker.txt").exists()
    port = conftest.free_port()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    driver = conftest.chromium(javascript=True)
    yield driver, f"http://127.0.0.1:{port}/site/", work
    driver.quit()
    httpd.shutdown()
    httpd.server_close()
    shutil.rmtree(work, ignore_errors=True)


def registrations(driver):
    return driver.execute_async_script(
        "const done = arguments[0]; navigator.serviceWorker.getRegistrations()"
        ".then(r => done(r.map(x => [x.scope, (x.active || x.installing || x.waiting).scriptURL])))")


def test_a_contributors_script_stops_the_build(served):
    _, _, work = served
    site = work / "hostile"
    copy_site(site)
    (site / "content/en/sw.js").write_text(WORKER, encoding="utf-8")
    (site / "content/en/x").mkdir()
    (site / "content/en/x/evil.html").write_text(
        "<script>navigator.serviceWorker.register('../sw.js', {scope: '../'})</script>", encoding="utf-8")
    result = build(site, work / "hostile-out")
    assert result.returncode == 1
    assert "content/en/sw.js: error: 'sw.js' is not published" in result.stderr, result.stderr
    assert "content/en/x/evil.html: error: 'evil.html' is not published" in result.stderr, result.stderr
    assert not (work / "hostile-out").exists()


def test_no_contributor_file_registers_as_a_worker(served):
    driver, base, _ = served
    driver.get(base + "en/")
    # Not published: nothing is there to register.
    missing = driver.execute_async_script(REGISTER, base + "en/sw.js", base + "en/")
    assert missing.startswith("refused"), missing
    # Published, but not a script: the browser refuses a worker of another type.
    text = driver.execute_async_script(REGISTER, base + "en/worker.txt", base + "en/")
    assert text.startswith("refused") and "MIME type" in text, text
    assert registrations(driver) == []


def test_the_themes_worker_has_the_sites_root_as_its_scope(served):
    driver, base, _ = served
    driver.get(base + "en/offline/")
    driver.find_element(By.ID, "offline-save").click()
    WebDriverWait(driver, 30).until(lambda d: registrations(d))
    assert registrations(driver) == [[base, base + "sw.js"]]
    # Wider than the folder of sw.js is refused: there is no Service-Worker-Allowed header.
    wider = driver.execute_async_script(REGISTER, base + "sw.js", driver.current_url.split("/site/")[0] + "/")
    assert wider.startswith("refused"), wider
