"""The web UI in a real browser: Playwright drives Debian's chromium against a live server on a free port.

Screenshots go to build/screenshots/ (inside the current release) for review. `make test` installs chromium
(`make browser`); the Python `playwright` package brings its driver, never a browser of its own.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from conftest import ROOT
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT = 15_000   # ms


@pytest.fixture(scope="module")
def server(real_app):
    srv = make_server("127.0.0.1", 0, real_app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.port}"
    srv.shutdown()
    thread.join(10)


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
def shots() -> Path:
    out = (ROOT / "build").resolve() / "screenshots"
    out.mkdir(exist_ok=True)
    return out


@pytest.fixture()
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert errors == [], errors


def test_home_page(page, server, shots, client):
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "kg92 — engagements de politique sociale dans les Hauts-de-Seine"
    assert page.locator("table.documents tbody tr").count() == 5
    assert page.locator("#stat-groups dd").inner_text() == "3"
    page.screenshot(path=str(shots / "home.png"), full_page=True)


def test_editor_runs_a_gallery_query_then_follows_a_result_to_its_quote(page, server, shots, client):
    gallery = [q for q in client.get("/queries.json").get_json()["queries"] if not q["params"] and q["form"] == "SELECT"]
    page.goto(server + "/editor")
    page.wait_for_selector(".yasqe .CodeMirror")          # YASGUI is up, not the plain editor
    assert page.locator("#plain-editor").is_hidden()
    if gallery:   # a canned query of /queries.json: the editor shows as many rows as the server's own run
        expected = len(client.get(f"/queries/{gallery[0]['name']}.json").get_json()["results"]["bindings"])
        page.get_by_role("button", name=gallery[0]["title"]["fr"], exact=True).click()
        page.wait_for_selector(".yasr_response_chip")
        assert page.locator(".yasr_response_chip").inner_text().startswith(f"{expected} result")
    page.get_by_role("button", name="Les questions du questionnaire CCF92").click()
    page.wait_for_selector(".yasr table.dataTable thead th:has-text('number')")
    rows = page.locator(".yasr table.dataTable tbody tr")
    assert rows.count() == 8
    assert "query=" in page.url and "kg%3AQuestion" in page.url         # the address bar is a shareable link
    page.screenshot(path=str(shots / "editor.png"))
    page.locator(".yasr a.iri", has_text="question/ccf92-2021-q1").click()
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


def test_plain_editor_when_yasgui_could_not_be_fetched(page, server, shots, monkeypatch):
    from kg92 import assets
    monkeypatch.setattr(assets, "installed", lambda release: False)     # as if npm had failed at build time
    page.goto(server + "/editor")
    page.get_by_role("button", name="Les cinq documents sources").click()
    page.wait_for_selector("#plain-results tbody tr")
    assert page.locator("#plain-results tbody tr").count() == 5
    assert page.locator("#plain-status").inner_text() == "5 ligne(s)"
    assert page.locator("#plain-csv").is_visible() and "query=" in page.url
    page.screenshot(path=str(shots / "editor-plain.png"))


def test_stance_matrix(page, server, shots, client):
    matrix = client.get("/compare/stances.json").get_json()
    page.goto(server + "/compare/stances")
    assert page.locator("h1").inner_text() == "Positions des groupes"
    assert page.locator("table.matrix tbody tr").count() == len(matrix["rows"])
    assert page.locator("table.matrix a.stance").count() == len(matrix["cells"])
    page.screenshot(path=str(shots / "stances.png"), full_page=True)
    if matrix["cells"]:
        page.locator("table.matrix a.stance").first.click()
        page.wait_for_url("**/id/position/**")
        assert page.locator(".evidence mark").count() >= 1


def test_narrow_screen_and_english(browser, server, shots):
    context = browser.new_context(locale="en-GB", viewport={"width": 375, "height": 800})
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    for path, name in (("/", "home-narrow.png"), ("/id/question/ccf92-2021-q6", "question-narrow.png")):
        page.goto(server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways on a narrow screen ({overflow} px)"
        page.screenshot(path=str(shots / name), full_page=path == "/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(server + "/search?q=solidarite+territoriale")
    assert page.locator("h1").inner_text() == "Search"
    hit = page.locator('ol.hits a[href="/id/question/ccf92-2021-q1"]').first
    assert hit.inner_text() == "Territorial social services and access to rights"       # the English label
    hit.click()
    page.wait_for_url(server + "/id/question/ccf92-2021-q1")
    context.close()
