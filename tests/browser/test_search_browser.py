"""/search in a real browser (the fixtures are test_browser.py's): a phrase search, its highlight, a facet added and
removed, the JSON twin's link, at 1280 px and on a 390 px phone."""

from __future__ import annotations

import pytest
from test_browser import browser, new_page, server, shots  # noqa: F401  (pytest fixtures, shared)

PHRASE = '"logement social"'


@pytest.mark.parametrize("width", [1280, 390])
def test_a_phrase_search_its_highlight_and_a_facet(new_page, server, shots, width):  # noqa: F811
    page = new_page(viewport={"width": width, "height": 844})
    page.goto(server + "/")
    page.fill("#site-q", PHRASE)
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("p.count").inner_text().startswith("15 résultat(s)")
    assert page.locator("ol.hits > li").count() == 15
    first = page.locator("ol.hits > li").first
    assert first.locator("a").first.get_attribute("href") == "/id/scheme/logement-social"
    assert first.locator(".badge").inner_text() == "dispositif"
    marks = page.locator("ol.hits mark").all_inner_texts()
    assert len(marks) >= 15 and {m.casefold() for m in marks} == {"logement social"}
    twin = page.locator("a.json-twin")
    assert twin.is_visible() and twin.get_attribute("href") == "/search.json?q=%22logement+social%22"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"/search scrolls sideways at {width} px ({overflow} px)"
    page.screenshot(path=str(shots / f"search-{width}.png"), full_page=True)

    page.locator("aside.facets .facet-type a", has_text="citation").first.click()      # add the filter
    page.wait_for_url("**type=quote*")
    assert page.locator("p.count").inner_text().startswith("6 résultat(s)")
    assert set(page.locator("ol.hits .badge").all_inner_texts()) == {"citation"}
    assert page.locator("aside.facets .facet-type li.selected a[aria-current=true]").inner_text() == "citation"
    page.locator("aside.facets .facet-type li.selected a.remove").click()               # and remove it
    page.wait_for_url(lambda url: "type=" not in url)
    assert page.locator("ol.hits > li").count() == 15

    page.locator('ol.hits a[href="/id/quote/003-10219-10454"]').click()
    page.wait_for_url(server + "/id/quote/003-10219-10454")
