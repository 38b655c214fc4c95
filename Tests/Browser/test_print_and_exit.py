"""The quick exit's details (the page blanks at once; Shift presses spread over more than five
seconds do not exit) and printing (no navigation or exit button on paper, link addresses
after link text)."""

import base64
import subprocess
import tempfile
import time

import pytest

import helpers
from selenium.webdriver.common.by import By

SAMPLE = ["index.html", "404.html"] + [f"{key}/police/police-stop/index.html" for key in
                                       ["en", "zh-hans", "zh-hant", "ko", "th"]]


@pytest.mark.parametrize("how", ["click", "shift"])
@pytest.mark.parametrize("sample", SAMPLE)
def test_the_page_blanks_at_once(site, js_driver, sample, how):
    """Looks at the page in the same task as the exit, before the browser can leave it."""
    driver = js_driver
    driver.get(site.url(sample))
    state = driver.execute_script("""
        const link = document.getElementById('exit');
        if (arguments[0] === 'click') link.click();
        else for (let i = 0; i < 3; i++) {
          document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Shift', bubbles: true}));
          document.dispatchEvent(new KeyboardEvent('keyup', {key: 'Shift', bubbles: true}));
        }
        return {display: getComputedStyle(document.body).display, title: document.title.trim(),
                url: location.href};""", how)
    assert state["url"] == site.url(sample)
    assert state["display"] == "none", "the page did not blank at once"
    assert state["title"] in ("", "\u200b"), "the tab still shows the page title"
    helpers.wait_for_url(driver, site.exit_url)


def test_shift_presses_spread_over_more_than_five_seconds_do_not_exit(site, js_driver):
    page = site.url("en/police/police-stop/index.html")
    js_driver.get(page)
    helpers.press_shift(js_driver, 2)
    time.sleep(5.2)
    helpers.press_shift(js_driver, 1)
    time.sleep(0.5)
    assert js_driver.current_url == page
    helpers.press_shift(js_driver, 2)
    helpers.wait_for_url(js_driver, site.exit_url)


def test_print_hides_navigation_and_exit_and_shows_link_addresses(site, js_driver):
    driver = js_driver
    driver.get(site.url("en/help/index.html"))
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for selector in ["#exit", ".skip", ".langs", ".crumbs", ".find", ".safe"]:
            for element in driver.find_elements(By.CSS_SELECTOR, selector):
                assert not element.is_displayed(), f"{selector} is printed"
        driver.execute_script("""
            const a = document.createElement('a'); a.id = 'outside'; a.href = 'https://example.net/help';
            a.textContent = 'outside'; document.querySelector('main').appendChild(a);
            window.dispatchEvent(new Event('beforeprint'));""")
        after = driver.execute_script("""
            const inside = document.querySelector('main a[href="hotlines/#peer-support-line"]');
            return [getComputedStyle(inside, '::after').content,
                    getComputedStyle(document.getElementById('outside'), '::after').content];""")
        assert after[0] == f'" ({site.base}en/help/hotlines/#peer-support-line)"', after
        assert after[1] == '" (https://example.net/help)"', after
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_printed_page_has_no_exit_button_or_navigation(site, js_driver):
    driver = js_driver
    driver.get(site.url("zh-hans/help/index.html"))
    pdf = base64.b64decode(driver.print_page())
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        text = subprocess.run(["pdftotext", "-layout", file.name, "-"], capture_output=True, text=True).stdout
    assert "快速离开" not in text, "the exit button is on paper"
    assert "繁體中文" not in text, "the language switcher is on paper"
    assert "如果你现在有危险" in text, "the page's own text is missing"
    assert f"({site.origin}" in text, "no link address after a link's text"


@pytest.mark.parametrize("sample", SAMPLE + [f"{key}/search/index.html" for key in ["en", "th"]])
def test_dark_mode_has_no_axe_violation_either(site, js_driver, sample):
    from test_every_page import axe_source
    driver = js_driver
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    try:
        driver.get(site.url(sample))
        assert driver.execute_script("return matchMedia('(prefers-color-scheme: dark)').matches")
        driver.execute_script(axe_source())
        result = driver.execute_async_script(helpers.AXE_RUN, helpers.WCAG_TAGS)
        assert result.get("violations") == [], result
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
