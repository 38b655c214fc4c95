"""Real-browser tests of issue #5 on the example site: Debian's chromium and chromium-driver
through selenium, the built site served by Python's http.server on 127.0.0.1 only.

The site is a copy of the repository's example site whose only change is `quick_exit_url`,
which leads to a local "neutral" page on another host name (exit.test, mapped to 127.0.0.1
inside Chromium), so that leaving the site can be watched without the network. It is served
under the path of its base_url (/maple-lantern/), as a real host would, so that the 404
page's absolute links resolve.

Environment: MONARCH (the monarch binary; default .build/release/monarch or
.build/debug/monarch, the newer one), CHROMIUM and CHROMEDRIVER (default: found on PATH).
"""

import functools
import http.server
import os
import pathlib
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import urllib.parse

import pytest

os.environ.setdefault("SE_AVOID_STATS", "true")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
LANGUAGES = ["en", "zh-hans", "zh-hant", "ko", "th"]
EXIT_HOST = "exit.test"


def monarch_binary():
    if os.environ.get("MONARCH"):
        return os.environ["MONARCH"]
    candidates = [REPO / ".build/release/monarch", REPO / ".build/debug/monarch"]
    existing = [c for c in candidates if c.exists()]
    if not existing:
        raise RuntimeError("no monarch binary: run `swift build` first or set MONARCH")
    return str(max(existing, key=lambda c: c.stat().st_mtime))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """The built copy of the example site and where it is served."""

    def __init__(self):
        self.port = free_port()
        self.work = pathlib.Path(tempfile.mkdtemp(prefix="monarch-browser-"))
        source = self.work / "site"
        source.mkdir()
        for folder in ["content", "templates", "translations", "static"]:
            if (REPO / folder).exists():
                shutil.copytree(REPO / folder, source / folder)
        yaml = (REPO / "site.yaml").read_text(encoding="utf-8")
        base_url = re.search(r"^base_url:\s*(\S+)", yaml, re.M).group(1)
        self.base_path = urllib.parse.urlparse(base_url).path or "/"
        self.exit_url = f"http://{EXIT_HOST}:{self.port}/neutral/"
        (source / "site.yaml").write_text(yaml + f"quick_exit_url: {self.exit_url}\n", encoding="utf-8")

        self.root = self.work / "serve"
        self.output = self.root / self.base_path.strip("/")
        env = dict(os.environ, MONARCH_HOME=str(REPO))
        # --portable: also <output>-portable/ and its zip, for test_offline.py's file:// tests.
        build = subprocess.run([monarch_binary(), "build", "--portable", "--site", str(source), "--output", str(self.output)],
                               env=env, capture_output=True, text=True)
        if build.returncode != 0:
            raise RuntimeError(f"monarch build failed:\n{build.stderr}")
        neutral = self.root / "neutral"
        neutral.mkdir()
        (neutral / "index.html").write_text(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
            "<title>Weather</title></head><body><h1>Weather</h1></body></html>", encoding="utf-8")
        self.origin = f"http://127.0.0.1:{self.port}"
        self.base = self.origin + self.base_path
        self.server = None
        self.portable = self.output.parent / (self.output.name + "-portable")

    @functools.cached_property
    def pages(self):
        """Every HTML page of the output, as paths relative to the output folder."""
        return sorted(str(p.relative_to(self.output)) for p in self.output.rglob("*.html"))

    def url(self, page):
        """The address of an output file; `x/index.html` is served as `x/`."""
        if page.endswith("index.html"):
            page = page[: -len("index.html")]
        return self.base + urllib.parse.quote(page)

    def start(self):
        root = str(self.root)

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=root, **kwargs)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
        shutil.rmtree(self.work, ignore_errors=True)


@functools.lru_cache(maxsize=None)
def built_site():
    return Site()


def pytest_generate_tests(metafunc):
    if "page" in metafunc.fixturenames:
        metafunc.parametrize("page", built_site().pages)
    if "language" in metafunc.fixturenames:
        metafunc.parametrize("language", LANGUAGES)


@pytest.fixture(scope="session")
def site():
    s = built_site()
    s.start()
    yield s
    s.stop()


def chromium(javascript=True, width=1280, height=800):
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-dev-shm-usage", "--disable-gpu",
                 f"--host-resolver-rules=MAP {EXIT_HOST} 127.0.0.1", f"--window-size={width},{height}"]:
        options.add_argument(flag)
    options.binary_location = os.environ.get("CHROMIUM") or shutil.which("chromium")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(20)
    driver.execute_cdp_cmd("Network.enable", {})
    return driver


@pytest.fixture(scope="session")
def js_driver(site):
    driver = chromium(javascript=True)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def nojs_driver(site):
    driver = chromium(javascript=False, width=500, height=640)
    # A phone 320 CSS pixels wide (a desktop window cannot be made that narrow).
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 320, "height": 640, "deviceScaleFactor": 2, "mobile": True})
    yield driver
    driver.quit()
