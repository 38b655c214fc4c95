"""Every page of the example site on a phone 320 CSS pixels wide (WCAG 1.4.10, reflow): the
page never scrolls sideways. A table wider than the screen scrolls inside its own box
(`div.table-scroll`, focusable so that a keyboard can scroll it), never the page (issue #17)."""

PAGE_STATE = """
const boxes = [...document.querySelectorAll('.table-scroll')].map(box => {
  const r = box.getBoundingClientRect();
  return {left: r.left, right: r.right, overflowX: getComputedStyle(box).overflowX, tabIndex: box.tabIndex,
          table: box.firstElementChild && box.firstElementChild.tagName};
});
return {inner: innerWidth, page: document.documentElement.scrollWidth, body: document.body.scrollWidth, boxes};
"""

WIDE_TABLE = """
const box = document.createElement('div');
box.className = 'table-scroll';
box.tabIndex = 0;
const cells = Array.from({length: 8}, (_, i) => '<td>Monday to Friday, 9 a.m. to 5 p.m. ' + i + '</td>').join('');
box.innerHTML = '<table><thead><tr><th scope="col">Service</th><th scope="col" colspan="8">Hours</th></tr></thead>'
  + '<tbody><tr><th scope="row">Legal clinic</th>' + cells + '</tr></tbody></table>';
document.querySelector('main').appendChild(box);
const r = box.getBoundingClientRect();
box.focus();
const ring = getComputedStyle(box);
return {inner: innerWidth, page: document.documentElement.scrollWidth, boxRight: r.right,
        boxScroll: box.scrollWidth, boxWidth: box.clientWidth, focused: document.activeElement === box,
        ring: ring.outlineStyle + ' ' + ring.outlineWidth};
"""


def test_no_page_scrolls_sideways_at_320px(site, nojs_driver, page):
    driver = nojs_driver
    driver.get(site.url(page))
    state = driver.execute_script(PAGE_STATE)
    assert state["inner"] == 320
    assert state["page"] <= 320 and state["body"] <= 320, f"{page} is {state['page']} CSS pixels wide at 320"
    for box in state["boxes"]:
        assert box["left"] >= 0 and box["right"] <= 320, f"{page}: a table's box sticks out of the screen: {box}"
        assert box["overflowX"] == "auto" and box["tabIndex"] == 0 and box["table"] == "TABLE", box


def test_a_table_wider_than_the_screen_scrolls_in_its_box_not_the_page(site, nojs_driver):
    driver = nojs_driver
    driver.get(site.url("en/help/hotlines/index.html"))
    state = driver.execute_script(WIDE_TABLE)
    assert state["inner"] == 320
    assert state["boxScroll"] > state["boxWidth"], f"the table is not wider than its box: {state}"
    assert state["boxRight"] <= 320 and state["page"] <= 320, f"the page scrolls sideways: {state}"
    assert state["focused"] and state["ring"] == "solid 3px", f"the focused box shows no focus ring: {state}"
