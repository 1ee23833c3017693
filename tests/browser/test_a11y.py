"""Accessibility and phones in a real browser (issue 16, item 8; the fixtures are test_browser.py's).

axe-core (pinned in package.json as a devDependency, from the npm registry, never a CDN) runs on one page of each
family (tools/screenshots.py's PAGES) at 1280 px and at 390 px: 0 violations, whatever their impact. The script is
served from the page's own origin by a Playwright route (the site's Content-Security-Policy, `script-src 'self'`,
stays as it is: the fixtures fail on any violation of it). Then the keyboard in the editor (no focus taken on load,
Esc then Tab leaves it), and the phone layout: the header, the menu, the editor before the examples, the results
in view after an example, the sticky first column of a matrix.
"""

from __future__ import annotations

import json
import sys

import pytest
from support import ROOT
from test_browser import browser, new_page, server, shots  # noqa: F401  (pytest fixtures, shared)

sys.path.insert(0, str(ROOT / "tools"))
from screenshots import PAGES, settle  # noqa: E402  (tools/screenshots.py: one page of each family)

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
RUN_AXE = """() => axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => n.target.join(" ") + " — " + (n.failureSummary || "").replace(/\\s+/g, " "))})))"""


def axe_violations(page, url: str) -> list[dict]:
    """axe-core's violations on the page shown, the script given by the page's own origin (CSP: 'self')."""
    page.route(url + "/-/test-axe.js", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page.add_script_tag(url=url + "/-/test-axe.js")
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_no_violation_on_any_page(new_page, server, width):  # noqa: F811
    if not AXE.exists():
        pytest.skip("axe-core is not installed: npm ci (make install) installs it with the devDependencies")
    page = new_page(viewport={"width": width, "height": 844})
    found = {}
    for name, path in PAGES:
        page.goto(server + path)
        settle(page, path)
        violations = axe_violations(page, server)
        if violations:
            found[name] = violations
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


def test_the_editor_leaves_the_focus_alone_and_esc_then_tab_leaves_it(new_page, server):  # noqa: F811
    page = new_page()
    page.goto(server + "/editor")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.activeElement === document.body")                  # nothing focused on load
    hint = page.locator("#editor-keys")
    assert hint.is_visible() and hint.inner_text() == "Échap puis Tab pour quitter l'éditeur (Tab seul indente)"
    box = page.locator(".yasqe .CodeMirror textarea")
    assert box.get_attribute("aria-label") == "Requête SPARQL" and box.get_attribute("aria-describedby") == "editor-keys"
    page.locator(".yasqe .CodeMirror-code").click()
    inside = "document.activeElement === document.querySelector('.yasqe .CodeMirror textarea')"
    assert page.evaluate(inside)
    page.keyboard.press("Tab")                                                         # Tab alone: still inside
    assert page.evaluate(inside)
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert not page.evaluate(inside)
    assert page.evaluate("document.activeElement.className") == "yasqe_share"          # YASQE's first button
    after = page.evaluate("document.querySelector('.yasqe .CodeMirror').compareDocumentPosition(document.activeElement)")
    assert after & 4                                                                   # DOCUMENT_POSITION_FOLLOWING
    page.locator(".yasqe .CodeMirror-code").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+Tab")
    before = page.evaluate("document.querySelector('.yasqe .CodeMirror').compareDocumentPosition(document.activeElement)")
    assert before & 2                                                                  # DOCUMENT_POSITION_PRECEDING


def test_a_desktop_header_shows_the_menu_without_a_click(new_page, server):  # noqa: F811
    page = new_page()
    page.goto(server + "/")
    assert page.locator("header.site details.menu > summary").is_hidden()
    assert page.locator('header.site nav a[href="/compare/citations"]').is_visible()
    assert page.locator("header.site").bounding_box()["height"] < 100


def test_a_phone_header_is_one_line_and_a_menu(new_page, server, shots):  # noqa: F811
    page = new_page(viewport=PHONE)
    for path in ("/ontology/howto", "/editor", "/"):       # the documentation pages have their own layout
        page.goto(server + path)
        assert page.locator("header.site").bounding_box()["height"] < 120, path      # was 268 and 342 of 844 px
    link = page.locator('header.site nav a[href="/compare/citations"]')
    assert link.is_hidden()
    page.locator("header.site details.menu > summary").click()                      # no JavaScript: a <details>
    assert link.is_visible()
    page.screenshot(path=str(shots / "phone-menu-open.png"))
    link.click()
    page.wait_for_url(server + "/compare/citations")


def test_on_a_phone_the_editor_comes_first_and_an_example_shows_its_results(new_page, server):  # noqa: F811
    page = new_page(viewport=PHONE)
    page.goto(server + "/editor")
    page.wait_for_selector(".yasqe .CodeMirror")
    assert page.locator("#yasgui").bounding_box()["y"] < page.locator("#examples").bounding_box()["y"]
    page.locator("#examples a.example").first.click()
    page.wait_for_selector("#yasgui .yasr .dataTable tbody tr")
    top = page.evaluate("document.querySelector('#yasgui .yasr').getBoundingClientRect().top")
    assert -1 < top < PHONE["height"] / 2, top                                # the results at the top of the screen


def test_the_first_column_of_a_matrix_stays_while_it_scrolls(new_page, server):  # noqa: F811
    page = new_page(viewport=PHONE)
    page.goto(server + "/compare/citations")
    scroller = page.locator("table.citations").locator("xpath=ancestor::div[contains(@class, 'scroll')]")
    first = page.locator("table.citations tbody th[scope=row]").first
    x = first.bounding_box()["x"]
    scroller.evaluate("el => { el.scrollLeft = 200; }")
    assert scroller.evaluate("el => el.scrollLeft") == 200                            # it does scroll sideways
    assert abs(first.bounding_box()["x"] - x) <= 1                                 # not 200 px to the left
    assert page.locator("table.citations tbody td").first.bounding_box()["x"] < x + first.bounding_box()["width"]
