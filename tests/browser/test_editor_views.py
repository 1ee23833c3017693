"""The query editor's labels, result views, share and embed links in a real browser (the fixtures are
test_browser.py's: one server for the module): a GROUP BY query drawn as a chart (one bar per row), a dated query as a
timeline (one point per dated row), co-citation as a graph (one node per scheme, one edge per row), the labels
toggle (French, then English), a short share link that gives back the query, and the embedded view in an iframe."""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from test_browser import browser, new_page, server, shots  # noqa: F401  (pytest fixtures, shared)

KG, ID = "https://w3id.org/kg92/def#", "https://w3id.org/kg92/id/"
GROUP_COUNTS = ("PREFIX kg: <https://w3id.org/kg92/def#>\n\n"
                "SELECT ?group (COUNT(?position) AS ?positions) WHERE {\n  ?position a kg:Position ; kg:heldBy ?group .\n}\n"
                "GROUP BY ?group\nORDER BY ?group\n")
FSL = f"SELECT ?scheme WHERE {{ VALUES ?scheme {{ <{ID}scheme/fsl> }} }}\n"
VIEW = "#yasgui .yasr .kg92-view"


def rows_of(client, query: str) -> list[dict]:
    answer = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    return answer.get_json()["results"]["bindings"]


def open_editor(page, server, query: str, lang: str = "fr"):  # noqa: F811
    page.goto(server + "/editor?" + urlencode({"q": query, "lang": lang}))
    page.wait_for_selector(".yasr_response_chip")


def chart_meta(page, scope: str) -> dict:
    return page.evaluate("s => { const c = Chart.getChart(document.querySelector(s + ' canvas'));"
                         " return {bars: c.getDatasetMeta(0).data.length, labels: c.data.labels, type: c.config.type}; }",
                         scope)


def test_a_group_by_query_is_a_chart_with_one_bar_per_row_and_labels(new_page, server, client, shots):  # noqa: F811
    expected = rows_of(client, GROUP_COUNTS)
    page = new_page()
    open_editor(page, server, GROUP_COUNTS)
    page.wait_for_selector(f"{VIEW}.kg92-chart canvas")
    meta = chart_meta(page, f"{VIEW}.kg92-chart")
    assert meta["type"] == "bar" and meta["bars"] == len(expected) == 3
    assert "Ensemble pour des Hauts-de-Seine durables et solidaires (Colombes 2)" in meta["labels"]
    assert page.locator(".yasr_btn.select_chart.selected").count() == 1
    page.screenshot(path=str(shots / "editor-chart.png"))
    page.set_viewport_size({"width": 390, "height": 844})            # a phone: the chart fits the screen's width
    page.wait_for_function("() => Chart.getChart(document.querySelector('.kg92-chart canvas')).width <= 390")
    page.screenshot(path=str(shots / "editor-chart-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(".yasr_btn.select_table").click()                    # the manual switch
    page.wait_for_selector(".yasr table.dataTable tbody tr")
    assert page.locator(".yasr table.dataTable tbody tr").count() == 3


@pytest.mark.parametrize("width", [1280, 390])
def test_a_dated_query_is_a_timeline_with_one_point_per_dated_row(new_page, server, client, shots, width):  # noqa: F811
    q = next(q for q in client.get("/queries.json").get_json()["queries"] if q["name"] == "timeline")
    expected = rows_of(client, q["example_sparql"])
    dated = [r for r in expected if any(k in r for k in ("date", "start", "end"))]
    page = new_page(viewport={"width": width, "height": 844})
    page.goto(server + "/editor")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.locator('#examples a.example[data-gallery][data-name="timeline"]').click()
    page.wait_for_selector(f"{VIEW}.kg92-timeline canvas")
    meta = chart_meta(page, f"{VIEW}.kg92-timeline")
    assert meta["type"] == "scatter" and meta["bars"] == len(dated) > 0
    assert page.locator(f"{VIEW}.kg92-timeline").get_attribute("data-count") == str(len(dated))
    assert page.evaluate(f"() => document.querySelector('{VIEW}.kg92-timeline canvas').getBoundingClientRect().width") <= width
    page.screenshot(path=str(shots / f"editor-timeline-{width}.png"))


@pytest.mark.parametrize("width", [1280, 390])
def test_co_citation_is_a_graph(new_page, server, client, shots, width):  # noqa: F811
    q = next(q for q in client.get("/queries.json").get_json()["queries"] if q["name"] == "co-citation")
    expected = rows_of(client, q["example_sparql"])
    schemes = {r[v]["value"] for r in expected for v in ("a", "b")}
    page = new_page(viewport={"width": width, "height": 844})
    page.goto(server + "/editor")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.locator('#examples a.example[data-gallery][data-name="co-citation"]').click()
    page.wait_for_selector(f"{VIEW}.kg92-graph svg")
    graph = page.locator(f"{VIEW}.kg92-graph")
    assert graph.locator("circle").count() == len(schemes) and graph.locator("line.edge").count() == len(expected) > 0
    hrefs = set(graph.locator("a.node").evaluate_all("as => as.map(a => a.getAttribute('href'))"))
    assert hrefs == {"/" + s[len("https://w3id.org/kg92/"):] for s in schemes}
    page.screenshot(path=str(shots / f"editor-graph-{width}.png"))
    # a CONSTRUCT result: one node per resource (IRI or blank node), one edge per triple whose object is not a literal
    q = next(q for q in client.get("/queries.json").get_json()["queries"] if q["name"] == "scheme-graph")
    answer = client.get("/queries/scheme-graph.nt", query_string=q["example"]).get_data()
    links = [t for t in ox.parse(answer, format=ox.RdfFormat.N_TRIPLES) if not isinstance(t.object, ox.Literal)]
    nodes = {t.subject for t in links} | {t.object for t in links}
    page.locator('#examples a.example[data-gallery][data-name="scheme-graph"]').click()
    page.wait_for_function("n => (document.querySelector('.kg92-graph') || {dataset: {}}).dataset.edges === String(n)",
                           arg=len(links))
    assert graph.locator("circle").count() == len(nodes) and graph.locator("line.edge").count() == len(links) > 0


@pytest.mark.parametrize("width", [1280, 390])
def test_the_labels_toggle_in_french_and_in_english(new_page, server, width):  # noqa: F811
    page = new_page(viewport={"width": width, "height": 844})
    open_editor(page, server, FSL)
    link = page.locator(f'.yasr a.iri[data-iri="{ID}scheme/fsl"]')
    page.wait_for_function("() => document.querySelector('.yasr a.iri[data-iri]').textContent"
                           " === 'Fonds de solidarité pour le logement'")
    assert link.get_attribute("title") == "id:scheme/fsl" and link.get_attribute("href") == "/id/scheme/fsl"
    page.uncheck("#labels-toggle")
    assert link.inner_text() == "id:scheme/fsl"
    page.check("#labels-toggle")
    assert link.inner_text() == "Fonds de solidarité pour le logement"
    open_editor(page, server, FSL, lang="en")                          # the interface in English
    assert page.locator("html").get_attribute("lang") == "en"
    page.wait_for_function("() => document.querySelector('.yasr a.iri[data-iri]').textContent"
                              " === 'Housing solidarity fund'")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_share_link_is_short_and_gives_the_query_back_and_the_embed_link_its_view(new_page, server, client, width):  # noqa: F811
    page = new_page(viewport={"width": width, "height": 844})
    open_editor(page, server, GROUP_COUNTS)
    page.wait_for_selector(f"{VIEW}.kg92-chart canvas")
    share = page.locator("#share-link").get_attribute("href")
    assert share.startswith("/editor?q=") and "endpoint" not in share and len(share) < 250, share
    assert "PREFIX" not in share and page.url == server + share
    page.locator(".yasqe_share").click()                               # YASQE's share button gives the same link
    assert page.locator(".yasqe_sharePopup input").input_value() == server + share
    embed = page.locator("#embed-link").get_attribute("href")
    assert embed == share.replace("/editor?", "/editor/embed?")
    again = new_page(viewport={"width": width, "height": 844})       # a new visitor follows the link
    again.goto(server + share)
    again.wait_for_selector(f"{VIEW}.kg92-chart canvas")
    assert again.evaluate("document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue()") == GROUP_COUNTS
    # a page that frames the view (answered by the browser itself: a public site framing 127.0.0.1 would be
    # refused by chromium's private-network rules, whatever the headers): every other page refuses to be framed
    host = again
    frame_page = f'<!doctype html><title>host</title><iframe title="kg92" src="{embed}&view=table"></iframe>'
    host.route(server + "/host.html", lambda route: route.fulfill(body=frame_page, content_type="text/html"))
    host.goto(server + "/host.html")
    frame = host.frame_locator("iframe")
    frame.locator(".yasr table.dataTable tbody tr").nth(2).wait_for()
    assert frame.locator(".yasr table.dataTable tbody tr").count() == 3
    alone = again
    alone.goto(server + embed)
    alone.wait_for_selector("#embed-view .kg92-chart canvas")
    assert chart_meta(alone, "#embed-view .kg92-chart")["bars"] == 3
    assert alone.locator("header.site").count() == 0
