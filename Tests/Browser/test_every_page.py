"""Every page of the example site, in every language, in Chromium: nothing from another host,
nothing stored, the quick exit first after the skip link and working with and without
JavaScript (and with Shift pressed three times), no axe-core violation of WCAG 2.2 A and AA."""

import functools

import pytest

import helpers
from selenium.webdriver.common.by import By


def has_skip_link(page):
    return page not in ("index.html", "404.html")


def previous_page(site, page):
    """A page to come from, so that Back has somewhere to go."""
    return site.url("en/index.html") if page == "index.html" else site.url("index.html")


@functools.lru_cache(maxsize=None)
def axe_source():
    return helpers.axe_source()


def test_nothing_from_another_host_nothing_stored_and_accessible(site, js_driver, page):
    driver = js_driver
    helpers.requests(driver)
    driver.get_log("browser")
    driver.get(site.url(page))
    made = helpers.requests(driver)
    assert made, "the performance log saw no request"
    assert helpers.foreign(made, site.origin) == [], "requests to another host"
    kinds = {kind for _, kind in made}
    assert kinds <= {"Document", "Stylesheet", "Script", "Image"}, f"unexpected kinds of request: {made}"
    assert "Font" not in kinds
    assert helpers.storage(driver) == helpers.EMPTY_STORAGE
    assert helpers.console_errors(driver) == [], "errors in the console (a CSP violation, a missing file)"
    driver.execute_script(axe_source())
    result = driver.execute_async_script(helpers.AXE_RUN, helpers.WCAG_TAGS)
    assert "error" not in result, result
    version = tuple(int(part) for part in result["version"].split(".")[:2])
    assert version >= (4, 5), f"axe-core {result['version']} lacks the WCAG 2.2 rules"
    assert result["violations"] == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in result["violations"])
    helpers.assert_exit_first(driver, site.exit_url, has_skip_link(page))
    assert helpers.storage(driver) == helpers.EMPTY_STORAGE


def test_exit_with_javascript_replaces_the_page_in_history(site, js_driver, page):
    driver = js_driver
    came_from = previous_page(site, page)
    driver.get(came_from)
    driver.get(site.url(page))
    driver.execute_script("window.scrollTo(0, document.documentElement.scrollHeight)")
    rect = helpers.exit_rect(driver)
    assert rect["top"] >= 0 and rect["bottom"] <= rect["viewportHeight"] and rect["onTop"], rect
    driver.find_element(By.ID, "exit").click()
    helpers.wait_for_url(driver, site.exit_url)
    driver.back()
    helpers.wait_for_url(driver, site.origin)
    assert driver.current_url == came_from, "Back returned to the page the reader left"


def test_shift_three_times_exits_and_back_does_not_return(site, js_driver, page):
    driver = js_driver
    came_from = previous_page(site, page)
    driver.get(came_from)
    driver.get(site.url(page))
    helpers.press_shift(driver, 3)
    helpers.wait_for_url(driver, site.exit_url)
    driver.back()
    helpers.wait_for_url(driver, site.origin)
    assert driver.current_url == came_from, "Back returned to the page the reader left"


def test_without_javascript_exit_is_first_works_and_stays_on_screen_at_320px(site, nojs_driver, page):
    driver = nojs_driver
    helpers.requests(driver)
    driver.get(site.url(page))
    assert helpers.foreign(helpers.requests(driver), site.origin) == []
    assert driver.execute_script("return innerWidth") == 320
    helpers.assert_exit_first(driver, site.exit_url, has_skip_link(page))

    # The safety page is linked (in every language on the chooser and the 404 page).
    language = page.split("/")[0] if "/" in page else None
    hrefs = driver.execute_script("return Array.from(document.querySelectorAll('a[href]'), a => a.href)")
    for key in ([language] if language else ["en", "zh-hans", "zh-hant", "ko", "th"]):
        assert site.base + f"{key}/safety/" in hrefs, f"no link to the {key} safety page"

    # Sticky: on screen, uncovered, at least 44 by 44 CSS pixels, at the bottom of the page too.
    for scroll in ["0", "document.documentElement.scrollHeight"]:
        driver.execute_script(f"window.scrollTo(0, {scroll})")
        rect = helpers.exit_rect(driver)
        assert rect["top"] >= 0 and rect["bottom"] <= rect["viewportHeight"], rect
        assert rect["left"] >= 0 and rect["right"] <= rect["viewportWidth"], rect
        assert rect["width"] >= 44 and rect["height"] >= 44, rect
        assert rect["onTop"], "something covers the exit link"
    driver.execute_script("window.scrollTo(0, 0)")

    driver.find_element(By.ID, "exit").click()
    helpers.wait_for_url(driver, site.exit_url)
