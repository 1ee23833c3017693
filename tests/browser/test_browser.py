"""The web UI in a real browser: Playwright drives Debian's chromium against a live server on a free port.

Screenshots, for review, go to pytest's cache directory: ``.pytest_cache/d/screenshots/`` at the top of the
repository (``config.cache.mkdir``; git ignores it), or to ``$KG92_SCREENSHOTS`` when set. Not under ``build/``:
that is the current release, replaced by every rebuild. They stay until the next test run overwrites them
(``pytest --cache-clear`` removes them). `make test` installs chromium (`make browser`); the Python `playwright`
package brings its driver, never a browser of its own.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from support import ROOT, STANCES, real_build_app

sys.path.insert(0, str(ROOT / "tools"))
# chromium's path and flags, a server on a free port: shared with tools/screenshots.py
from screenshots import ARGS, CHROMIUM, serving  # noqa: E402

TIMEOUT = 15_000   # ms


@pytest.fixture(scope="module")
def server():
    """One server for the module's pages, over an application of its own (as a served process has one)."""
    with serving(real_build_app()) as url:
        yield url


@pytest.fixture()
def plain_server(monkeypatch):
    """A server whose editor has no YASGUI assets (as if npm had failed at build time), from its first answer."""
    from kg92.build import assets
    monkeypatch.setattr(assets, "installed", lambda release: False)
    with serving(real_build_app()) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (make install does)")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("chromium is not installed: run `make browser` (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(pytestconfig) -> Path:
    """Where screenshots go (see the module's docs): outside the releases, so a rebuild keeps them."""
    if os.environ.get("KG92_SCREENSHOTS"):
        out = Path(os.environ["KG92_SCREENSHOTS"])
        out.mkdir(parents=True, exist_ok=True)
        return out
    if getattr(pytestconfig, "cache", None) is None:   # pytest -p no:cacheprovider
        out = Path(tempfile.gettempdir()) / "kg92-screenshots"
        out.mkdir(parents=True, exist_ok=True)
        return out
    return Path(pytestconfig.cache.mkdir("screenshots"))


def local_only(context, server: str) -> list[str]:
    """Every request of ``context`` that is not to the local server is aborted and listed: the pages must work
    offline and never call an outside service (YASQE's LOV autocompletion, prefix.cc, fonts, analytics…)."""
    outside: list[str] = []

    def handle(route):
        url = route.request.url
        if url.startswith(server + "/") or url == server:
            route.continue_()
        else:
            outside.append(url)
            route.abort()
    context.route("**/*", handle)
    return outside


@pytest.fixture()
def new_page(browser, server):
    """Pages in fresh contexts (``new_page(**context options)``, ``local=`` another local server's URL), each
    checked at the end: no JavaScript error, no request outside the local server."""
    made: list[tuple] = []

    def make(local: str | None = None, **options):
        options = {"locale": "fr-FR", "viewport": {"width": 1280, "height": 900}, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT)
        outside = local_only(context, local or server)
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        # a Content-Security-Policy violation is reported on the console (issue 12: the policy must allow the UI)
        pg.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
        made.append((context, errors, outside))
        return pg
    yield make
    for context, errors, outside in made:
        context.close()
        assert errors == [], errors
        assert outside == [], f"requests outside the local server: {outside}"


@pytest.fixture()
def page(new_page):
    return new_page()


def test_home_page(page, server, shots, client):
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "kg92 — engagements de politique sociale dans les Hauts-de-Seine"
    assert page.locator("table.documents tbody tr").count() == 5
    assert page.locator("#stat-groups dd").inner_text() == "3"
    page.screenshot(path=str(shots / "home.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_browse_schemes_from_the_home_tile_and_filter_by_every_group(new_page, server, shots, client, width):
    """Issue 16, item 1: the home figure opens /id/scheme/; clicking each group of the facet leaves the four
    schemes every group cites; removing a filter gives the schemes of the two remaining groups."""
    page = new_page(viewport={"width": width, "height": 844})
    page.goto(server + "/")
    page.locator("#stat-schemes a").click()
    page.wait_for_url(server + "/id/scheme/")
    assert page.locator("#browse-count").inner_text().startswith("212 ressources sous /id/scheme/")
    assert page.locator("table.browse tbody tr").count() == 100
    assert page.locator(".pager").inner_text().split("\n")[0].startswith("Page 1 sur 3")
    for n in (1, 2, 3):
        with page.expect_navigation():
            page.locator("#facet-group li a:not(.remove)").first.click()
        assert page.locator(".filters li").count() == n
    assert page.locator("#facet-group li a:not(.remove)").count() == 0
    assert page.locator(".filters li").count() == 3
    assert page.locator("table.browse tbody tr").count() == 4 and page.locator("#browse-count").inner_text().startswith("4 ")
    page.screenshot(path=str(shots / f"browse-schemes-{width}.png"), full_page=True)
    # the page never scrolls sideways: the table scrolls in its own box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    remaining = page.url.split("?", 1)[1].split("&")[1:]
    with page.expect_navigation():
        page.locator(".filters li a.remove").first.click()
    expected = client.get("/id/scheme.json?" + "&".join(remaining)).get_json()["total"]
    assert page.locator(".filters li").count() == 2 and page.locator("table.browse tbody tr").count() == expected > 4


@pytest.mark.parametrize("width", [1280, 390])
def test_a_scheme_page_lists_the_documents_that_mention_it(new_page, server, shots, width):
    page = new_page(viewport={"width": width, "height": 844})
    page.goto(server + "/id/scheme/fsl")
    rows = page.locator("#mentioned table tbody tr")
    assert rows.count() == 3
    assert [rows.nth(i).locator("th a").inner_text() for i in range(3)] == ["000", "001", "002"]
    with page.expect_navigation():
        page.locator("#research a", has_text="Cycle de vie d'un dispositif").click()
    assert page.url == server + "/queries/scheme-lifecycle?scheme=https%3A%2F%2Fw3id.org%2Fkg92%2Fid%2Fscheme%2Ffsl&lang=fr"


def test_editor_runs_a_gallery_query_then_follows_a_result_to_its_quote(page, server, shots, client):
    gallery = [q for q in client.get("/queries.json").get_json()["queries"] if not q["params"] and q["form"] == "SELECT"]
    page.goto(server + "/editor")
    page.wait_for_selector(".yasqe .CodeMirror")          # YASGUI is up, not the plain editor
    assert page.locator("#plain-editor").is_hidden()
    if gallery:   # a canned query of /queries.json: the editor shows as many rows as the server's own run
        expected = len(client.get(f"/queries/{gallery[0]['name']}.json").get_json()["results"]["bindings"])
        page.get_by_role("link", name=gallery[0]["title"]["fr"], exact=True).click()
        page.wait_for_selector(".yasr_response_chip")
        assert page.locator(".yasr_response_chip").inner_text().startswith(f"{expected} result")
    page.get_by_role("link", name="Les questions du questionnaire CCF92").click()
    page.wait_for_selector(".yasr table.dataTable thead th:has-text('number')")
    rows = page.locator(".yasr table.dataTable tbody tr")
    assert rows.count() == 8
    assert "/editor?q=" in page.url and "kg%3AQuestion" in page.url     # the address bar is a shareable link
    page.screenshot(path=str(shots / "editor.png"))
    question = page.locator('.yasr a.iri[href="/id/question/ccf92-2021-q1"]')
    page.wait_for_function("() => document.querySelector('.yasr a.iri[href=\"/id/question/ccf92-2021-q1\"]')"
                           ".textContent === 'Services de Solidarité Territoriale et accès aux droits'")   # its label
    question.click()
    page.wait_for_url(server + "/id/question/ccf92-2021-q1")
    assert page.locator("h1").inner_text() == "Services de Solidarité Territoriale et accès aux droits"
    mark = page.locator(".evidence mark").first
    assert mark.inner_text().startswith("Les Services de Solidarité Territoriale et accès aux droits : Par manque")
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(255, 229, 138)"
    page.locator(".evidence").screenshot(path=str(shots / "resource-quote.png"))
    page.screenshot(path=str(shots / "resource.png"))


def test_shared_editor_link_reloads_the_query(page, server):
    page.goto(server + "/editor?query=" + "SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20a%20%3Chttps%3A%2F%2Fw3id.org%2Fkg92%2Fdef%23CandidateGroup%3E%20%7D")
    page.wait_for_selector(".yasr table.dataTable tbody tr")
    assert page.locator(".yasr table.dataTable tbody tr td").nth(1).inner_text().startswith('"3"')


def test_plain_editor_when_yasgui_could_not_be_fetched(new_page, plain_server, shots):
    page = new_page(local=plain_server)
    page.goto(plain_server + "/editor")
    page.get_by_role("link", name="Les cinq documents sources").click()
    page.wait_for_selector("#plain-results tbody tr")
    assert page.locator("#plain-results tbody tr").count() == 5
    assert page.locator("#plain-status").inner_text() == "5 ligne(s)"
    assert page.locator("#plain-csv").is_visible() and "/editor?q=" in page.url
    page.screenshot(path=str(shots / "editor-plain.png"))


def test_stance_matrix(page, server, shots, client):
    matrix = client.get("/compare/stances.json").get_json()
    page.goto(server + "/compare/stances")
    assert page.locator("h1").inner_text() == "Positions des groupes"
    assert page.locator("table.matrix tbody tr").count() == len(matrix["rows"])
    assert page.locator("table.matrix a.stance").count() == len(matrix["cells"])
    page.screenshot(path=str(shots / "stances.png"), full_page=True)
    # one cell, as read from the sources (STANCES, tests/support.py): 000 §6 on TZCLD "en fonction de
    # l'avancée de ce projet…" is a conditional support; the groups' columns are 000, 001, 003
    assert STANCES["q6-soutenir-tzcld"] == ("conditional", "supports", "supports")
    row = page.locator("table.matrix tbody tr", has=page.locator('th a[href="/id/ask/q6-soutenir-tzcld"]'))
    cells = row.locator("td:not(.total)")         # the groups' cells (the last one is the ask's totals)
    assert cells.count() == 3
    assert cells.nth(0).get_attribute("class") == "stance-conditional"
    stance = cells.nth(0).locator("a.stance")
    assert stance.get_attribute("class") == "stance stance-conditional"
    assert stance.inner_text() == "conditionnel"
    assert stance.get_attribute("href") == "/id/position/000-q6-soutenir-tzcld"
    assert stance.evaluate("a => getComputedStyle(a).backgroundColor") == "rgb(255, 240, 194)"     # #fff0c2
    assert cells.nth(0).locator(".condition").inner_text() == (
        "(condition\xa0: « en fonction de l'avancée de ce projet et de ses résultats dans les villes engagées dans "
        "cette phase-pilote »)")
    assert [cells.nth(i).locator("a.stance").inner_text() for i in (1, 2)] == ["soutient", "soutient"]
    assert cells.nth(1).locator("a.stance").evaluate("a => getComputedStyle(a).backgroundColor") == "rgb(215, 242, 215)"
    if matrix["cells"]:
        page.locator("table.matrix a.stance").first.click()
        page.wait_for_url("**/id/position/**")
        assert page.locator(".evidence mark").count() >= 1


NARROW = [  # (path, screenshot): every kind of page with wide content (tables, SPARQL text, the editor)
    ("/", "home-narrow.png"),
    ("/id/question/ccf92-2021-q6", "question-narrow.png"),
    ("/editor", "editor-narrow.png"),
    ("/queries", "queries-narrow.png"),
    ("/queries/timeline?from=2019-01-01&to=2019-12-31", "query-narrow.png"),
    ("/queries/schemes-in-one-document", "query-labels-narrow.png"),       # long labels in a drop-down and cells
    ("/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 40"), "sparql-narrow.png"),
    ("/compare/stances", "stances-narrow.png"),
    ("/dumps/", "dumps-narrow.png"),
]


def test_narrow_screen_and_english(new_page, server, shots):
    page = new_page(locale="en-GB", viewport={"width": 375, "height": 800})
    for path, name in NARROW:
        page.goto(server + path)
        if path == "/editor":
            page.wait_for_selector(".yasqe .CodeMirror")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways on a narrow screen ({overflow} px)"
        assert page.locator("html").get_attribute("lang") == "en", path
        page.screenshot(path=str(shots / name), full_page=path == "/")
    page.goto(server + "/search?q=solidarite+territoriale")
    assert page.locator("h1").inner_text() == "Search"
    hit = page.locator('ol.hits a[href="/id/question/ccf92-2021-q1"]').first
    assert hit.inner_text() == "Territorial social services and access to rights"       # the English label
    hit.click()
    page.wait_for_url(server + "/id/question/ccf92-2021-q1")


# ---------------------------------------------------------------- the gallery in the editor

def expected_rows(client, q: dict) -> int:
    """What the server's own run of a canned query gives with the gallery's (example) parameters."""
    args = {k: v for k, v in q["example"].items() if v}
    if q["form"] == "CONSTRUCT":
        return len(client.get(f"/queries/{q['name']}.nt", query_string=args).get_data(as_text=True).splitlines())
    return len(client.get(f"/queries/{q['name']}.json", query_string=args).get_json()["results"]["bindings"])


def test_every_gallery_query_gives_in_the_editor_the_rows_of_the_server(page, server, client):
    gallery = client.get("/queries.json").get_json()["queries"]
    assert len(gallery) >= 13
    page.goto(server + "/editor")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.uncheck("#labels-toggle")   # the cells as YASR prints them (IRIs as CURIEs)
    shown, first_row = {}, None
    for q in gallery:
        expected = expected_rows(client, q)
        link = page.locator(f'#examples a.example[data-gallery][data-name="{q["name"]}"]')
        assert link.inner_text() == q["title"]["fr"]
        with page.expect_response(lambda r: r.url == server + "/sparql" and r.request.method == "POST") as answer:
            link.click()
        assert answer.value.status == 200, (q["name"], answer.value.text()[:300])
        # the editor ran the server's ready-to-run text (parameters bound), and YASR shows as many rows
        assert page.evaluate("document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue()") == q["example_sparql"]
        chip = page.locator(".yasr_response_chip")
        try:
            page.wait_for_function("n => (document.querySelector('.yasr_response_chip') || {}).textContent"
                                   "?.startsWith(n + ' result')", arg=expected, timeout=5_000)
        except Exception:
            pass
        shown[q["name"]] = (chip.inner_text().split(" ")[0], str(expected))
        if q["name"] == FIRST_ROW[0]:
            first_row = page.locator(".yasr table.dataTable tbody tr").first.locator("td").all_inner_texts()
    wrong = {name: got for name, got in shown.items() if got[0] != got[1]}
    assert wrong == {}, f"(editor, server) rows differ: {wrong}"
    # and the values: the first row of one query, as YASR prints it (row number, then the cells)
    assert first_row == FIRST_ROW[1]


# schemes-cited-per-group with its example (group=colombes-2): the scheme document 003 is about in most statements
# is the ASE, §1 "la mort d'un jeune suivi par l'ASE", §2 "Les dépenses de fonctionnement de l’aide sociale à
# l’enfance" and the two sentences on that share that follow (linked resolved from context) — four statements, all
# claims (as in tests/queries/test_queries_results.py, SCHEMES_OF_003)
FIRST_ROW = ("schemes-cited-per-group", [
    "1", "id:group/colombes-2", '"Ensemble pour des Hauts-de-Seine durables et solidaires (Colombes 2)"@fr',
    "id:scheme/ase", '"aide sociale à l\'enfance"@fr', '"4"^^xsd:integer', '"0"^^xsd:integer', 'fr'])   # ?lang: the page's


def test_gallery_links_run_the_query_server_side_without_javascript(new_page, server, client):
    page = new_page(java_script_enabled=False)
    page.goto(server + "/editor")
    assert page.locator("noscript").count() == 1
    q = next(q for q in client.get("/queries.json").get_json()["queries"] if q["name"] == "timeline")
    page.get_by_role("link", name=q["title"]["fr"], exact=True).click()
    page.wait_for_url(server + "/queries/timeline?from=2019-01-01&to=2019-12-31")
    assert page.locator("table.results caption").inner_text() == f"{expected_rows(client, q)} lignes"


def test_the_editor_form_works_without_javascript(new_page, server, shots):
    page = new_page(java_script_enabled=False)
    page.goto(server + "/editor")
    assert page.locator("#plain-editor").is_visible()
    page.get_by_role("link", name="Les cinq documents sources", exact=True).click()     # the example's query…
    page.wait_for_url("**/editor?query=*")
    assert "kg:SourceDocument" in page.locator("#plain-query").input_value()            # …in the form
    page.get_by_role("button", name="Exécuter").click()                                 # submitted to /sparql
    page.wait_for_url("**/sparql?query=*")
    assert page.locator("table.results caption").inner_text() == "5 lignes"
    assert page.locator("table.results tbody tr").count() == 5
    assert page.locator("header.site a.brand").is_visible()                             # a page of the site
    page.screenshot(path=str(shots / "sparql-nojs.png"))


# ---------------------------------------------------------------- safety

JS_IRI = 'SELECT * WHERE { BIND(IRI("javascript:alert(1)") AS ?x) BIND(<https://w3id.org/kg92/id/scheme/rsa> AS ?y) }'


def no_script_links(page, scope: str) -> None:
    assert page.locator(f'{scope} a[href^="javascript"]').count() == 0
    assert page.evaluate(f"[...document.querySelectorAll('{scope} a[href]')].filter(a => !/^https?:/.test(a.href))"
                         ".map(a => a.href)") == []


def test_non_web_iris_are_text_not_links_in_yasgui(page, server):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/editor?query=" + quote(JS_IRI))
    page.wait_for_selector(".yasr table.dataTable tbody tr")
    cells = page.locator(".yasr table.dataTable tbody tr td")
    assert "javascript:alert(1)" in cells.nth(1).inner_text()
    assert cells.nth(1).locator("a").count() == 0
    assert cells.nth(2).locator("a").get_attribute("href") == "/id/scheme/rsa"       # web IRIs are still links
    no_script_links(page, ".yasr")
    cells.nth(1).click()
    assert dialogs == []


def test_non_web_iris_are_text_not_links_in_the_plain_editor(new_page, plain_server):
    page = new_page(local=plain_server)
    page.goto(plain_server + "/editor?query=" + quote(JS_IRI))
    page.wait_for_selector("#plain-results tbody tr")
    cells = page.locator("#plain-results tbody tr td")
    assert cells.nth(0).inner_text() == "<javascript:alert(1)>" and cells.nth(0).locator("a").count() == 0
    assert cells.nth(1).locator("a").get_attribute("href") == "/id/scheme/rsa"
    no_script_links(page, "#plain-results")


def test_autocompletion_never_calls_an_outside_service(page, server):
    # YASQE's class/property completers would ask lov.linkeddata.es here; the page fixture fails on any such request
    page.goto(server + "/editor")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.locator(".yasqe .CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    for text in ("PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nSELECT * WHERE { ?s a foaf:", " . ?s foaf:"):
        page.keyboard.type(text)
        page.keyboard.press("Control+Space")
        page.wait_for_timeout(500)
    page.keyboard.type(" ?")
    page.keyboard.press("Control+Space")             # variables: a local completer, still there
    page.wait_for_selector(".CodeMirror-hints li")
    assert "?s" in page.locator(".CodeMirror-hints li").all_inner_texts()
    page.keyboard.press("Escape")
    for key in ("Control+Home", "Enter", "ArrowUp"):
        page.keyboard.press(key)
    page.keyboard.type("PREFIX dcter")
    page.keyboard.press("Control+Space")             # prefixes: YASQE's bundled list, still there
    page.wait_for_selector(".CodeMirror-hints li")
    assert any(h.startswith("dcterms: <http://purl.org/dc/terms/>") for h in page.locator(".CodeMirror-hints li").all_inner_texts())
