"""The tests' own instruments work: axe-core reports a violation when there is one, the
DevTools log sees a request to another host, and the page's Content-Security-Policy blocks
an inline script (so a passing page is not a blind test)."""

import helpers
from test_every_page import axe_source


def test_axe_reports_a_planted_violation(site, js_driver):
    js_driver.get(site.url("en/index.html"))
    js_driver.execute_script("const i = document.createElement('img'); i.src = 'data:,'; "
                             "document.querySelector('main').appendChild(i);")
    js_driver.execute_script(axe_source())
    result = js_driver.execute_async_script(helpers.AXE_RUN, helpers.WCAG_TAGS)
    assert "image-alt" in [v["id"] for v in result["violations"]]


def test_the_log_sees_a_request_to_another_host(site, js_driver):
    js_driver.get(site.exit_url)  # the neutral page has no CSP
    helpers.requests(js_driver)
    js_driver.execute_script("const i = new Image(); i.src = arguments[0];", site.url("assets/monarch.css"))
    js_driver.execute_script("return new Promise(r => setTimeout(r, 300))")
    seen = helpers.foreign(helpers.requests(js_driver), site.exit_url.rstrip("/").rsplit("/", 1)[0])
    assert any(url.startswith(site.origin) for url, _ in seen), seen


def test_the_policy_blocks_inline_script(site, js_driver):
    js_driver.get(site.url("en/index.html"))
    js_driver.get_log("browser")
    js_driver.execute_script("const s = document.createElement('script'); s.textContent = 'window.planted = 1'; "
                             "document.body.appendChild(s);")
    assert js_driver.execute_script("return window.planted") is None
    assert any("Content Security Policy" in m for m in helpers.console_errors(js_driver))
