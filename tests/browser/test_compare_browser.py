"""The comparison views and the ontology page in a real browser (the fixtures are test_browser.py's): the citations
filter by link (no JavaScript needed), a position page back to its anchored cell, the ontology's diagram; each page
under the Content-Security-Policy (a violation fails the test, see test_browser.new_page)."""

from __future__ import annotations

import pytest
from test_browser import browser, new_page, server, shots  # noqa: F401  (pytest fixtures, shared)


@pytest.mark.parametrize("width", [1280, 390])
def test_citations_cited_by_every_group_then_a_position_back_to_its_cell(new_page, server, shots, width):  # noqa: F811
    # the filters are links: they work without JavaScript
    page = new_page(java_script_enabled=False, viewport={"width": width, "height": 844})
    page.goto(server + "/compare/citations")
    assert page.locator("table.citations tbody tr").count() == 77
    page.locator("nav.filters a", has_text="cités par tous les groupes").click()
    page.wait_for_url("**/compare/citations?cited=all")
    assert page.locator("table.citations tbody th a").all_inner_texts() == [
        "aide sociale à l'enfance", "logement social", "Premières Heures", "Territoire Zéro Chômeur de Longue Durée"]
    assert page.locator("table.citations tfoot td").nth(3).inner_text() == "35"
    page.screenshot(path=str(shots / f"citations-every-group-{width}.png"), full_page=True)
    page.goto(server + "/id/position/000-q6-soutenir-tzcld")
    assert page.locator("h1").inner_text() == (
        "Majorité départementale — conditionnel — soutenir et contribuer au financement de la "
        "candidature TZCLD")
    page.locator("p.backlink a").click()
    page.wait_for_url("**/compare/stances#q6-soutenir-tzcld--majorite-departementale")
    assert page.locator("td:target a.stance").inner_text() == "conditionnel"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_ontology_page_diagram_and_controlled_values(new_page, server, shots, width):  # noqa: F811
    page = new_page(viewport={"width": width, "height": 844})
    page.goto(server + "/ontology")
    assert page.locator("svg.diagram a").count() == 25        # the classes an object property links
    assert page.locator("#values-stances tbody tr").count() == 4
    page.locator('svg.diagram a[href="#Position"]').click()
    page.wait_for_url("**/ontology#Position")
    assert page.locator("section.term:target h3").inner_text().startswith("kg:Position")
    page.screenshot(path=str(shots / f"ontology-{width}.png"), full_page=False)
