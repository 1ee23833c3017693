"""Resolvable annotations: the build publishes the source texts (checked against their recorded SHA-256), the server
serves them at /id/document/NNN(.txt), every quote's selectors resolve over HTTP, and `kg92 verify` says so.

The tests over the real build need it to have been made with the source texts (KG92_SOURCES_DIR): without them they
skip, saying so; the tests of a build made without the sources run everywhere."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from support import HAVE_SOURCES, NO_SOURCES, ROOT, SOURCES, make_mini_root, needs_sources, served

from kg92.build import run
from kg92.web.documents import PAGE_SIZE, segments

KG92 = Path(sys.executable).with_name("kg92")
QUOTE_COUNT = 675   # every oa:SpecificResource of the graph (checked with SPARQL below)
DOCS = {"000": "000_66c95bee9ef0392c.txt", "001": "001_4f98e95b9ea0c605.txt", "002": "002_18dea572f57406ad.txt",
        "003": "003_62b61e6d52b9878c.txt", "004": "004_85e770bdd5806140.txt"}
SELECTORS = """PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?quote ?doc ?start ?end ?exact WHERE {
  ?quote oa:hasSource ?doc ; oa:hasSelector ?pos, ?sel . ?pos oa:start ?start ; oa:end ?end . ?sel oa:exact ?exact }"""
published = pytest.mark.skipif(not (ROOT / "build" / "texts.json").is_file(),
                               reason=f"build/ was made without the source texts: nothing published ({NO_SOURCES})")


def sparql(client, query: str) -> list[dict]:
    resp = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()} for b in resp.get_json()["results"]["bindings"]]


def kg92(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(KG92), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


# ---------------------------------------------------------------- pure functions

@pytest.mark.parametrize(("quotes", "expected"), [
    ([], [("abcdefgh", [], [])]),
    ([(2, 5, "a")], [("ab", [], []), ("cde", ["a"], ["a"]), ("fgh", [], [])]),
    # overlapping, not nested: the shared part is covered by both
    ([(1, 4, "a"), (3, 6, "b")], [("a", [], []), ("bc", ["a"], ["a"]), ("d", ["b"], ["a", "b"]), ("ef", [], ["b"]),
                                  ("gh", [], [])]),
    # nested, same start; and a quote at the very end of the text
    ([(0, 8, "a"), (0, 3, "b"), (8, 8, "c")], [("abc", ["a", "b"], ["a", "b"]), ("defgh", [], ["a"]), ("", ["c"], [])]),
])
def test_segments_cut_the_text_at_every_quote_boundary(quotes, expected):
    got = segments("abcdefgh", [{"start": s, "end": e, "anchor": a} for s, e, a in quotes])
    assert [(x["text"], x["starts"], x["covering"]) for x in got] == expected
    assert "".join(x["text"] for x in got) == "abcdefgh"


# ---------------------------------------------------------------- the text endpoint

@published
@pytest.mark.parametrize("number", sorted(DOCS))
def test_the_text_is_served_exactly_with_its_checksum_and_etag(client, number):
    body = (SOURCES / DOCS[number]).read_bytes()
    digest = hashlib.sha256(body)
    resp = client.get(f"/id/document/{number}.txt")
    assert resp.status_code == 200
    assert resp.get_data() == body
    assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert resp.headers["ETag"] == f'"{digest.hexdigest()}"'
    assert resp.headers["Repr-Digest"] == f"sha-256=:{base64.b64encode(digest.digest()).decode()}:"
    assert resp.headers["Digest"] == f"sha-256={base64.b64encode(digest.digest()).decode()}"
    assert resp.headers["Content-Disposition"] == f'inline; filename="{DOCS[number]}"'
    assert "Content-Location" not in resp.headers
    # the same checksum is in the RDF of the document
    rows = sparql(client, "PREFIX spdx: <http://spdx.org/rdf/terms#> SELECT ?v WHERE { "
                          f"<https://w3id.org/kg92/id/document/{number}> spdx:checksum/spdx:checksumValue ?v }}")
    assert rows == [{"v": digest.hexdigest()}]
    # by Accept, with a Content-Location; conditional GET
    neg = client.get(f"/id/document/{number}", headers={"Accept": "text/plain"})
    assert (neg.status_code, neg.get_data(), neg.headers["Content-Location"]) == (200, body, f"/id/document/{number}.txt")
    again = client.get(f"/id/document/{number}.txt", headers={"If-None-Match": resp.headers["ETag"]})
    assert (again.status_code, again.get_data(), again.headers["ETag"]) == (304, b"", resp.headers["ETag"])
    stale = client.get(f"/id/document/{number}.txt", headers={"If-None-Match": '"0000"'})
    assert (stale.status_code, stale.get_data()) == (200, body)


def test_document_negotiation_keeps_html_and_rdf(client):
    page = client.get("/id/document/004")
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    text_twin = ', </id/document/004.txt>; rel="alternate"; type="text/plain"' if (ROOT / "build" / "texts.json").is_file() else ""
    assert page.headers["Link"] == ", ".join(f'</id/document/004.{s}>; rel="alternate"; type="{m}"' for s, m in (
        ("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"))) + text_twin
    ttl = client.get("/id/document/004", headers={"Accept": "text/turtle"})
    assert (ttl.status_code, ttl.headers["Content-Location"]) == (200, "/id/document/004.ttl")
    triples = {q.triple for q in ox.parse(ttl.get_data(), format=ox.RdfFormat.TURTLE)}
    doc = ox.NamedNode("https://w3id.org/kg92/id/document/004")
    assert ox.Triple(doc, ox.NamedNode("http://purl.org/dc/terms/identifier"), ox.Literal(DOCS["004"])) in triples
    assert client.get("/id/document/004.nt").headers["Content-Type"] == "application/n-triples; charset=utf-8"
    missing = client.get("/id/document/009.txt")
    assert (missing.status_code, missing.get_json()) == (404, {"error": {
        "status": 404, "title": "Not Found", "detail": "no resource https://w3id.org/kg92/id/document/009 in the graph"}})
    refused = client.get("/id/document/004", headers={"Accept": "image/png"})
    assert refused.status_code == 406


# ---------------------------------------------------------------- every quote, over HTTP, and kg92 verify

@published
def test_every_quote_resolves_over_http_and_kg92_verify_agrees(tmp_path):
    with served(ROOT / "build") as base:
        resp = requests.post(f"{base}/sparql", data={"query": SELECTORS},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30)
        rows = [{k: v["value"] for k, v in b.items()} for b in resp.json()["results"]["bindings"]]
        count = requests.post(f"{base}/sparql", headers={"Accept": "application/sparql-results+json"}, timeout=30, data={
            "query": "PREFIX oa: <http://www.w3.org/ns/oa#> SELECT (COUNT(DISTINCT ?q) AS ?n) WHERE { ?q a oa:SpecificResource }"})
        assert count.json()["results"]["bindings"][0]["n"]["value"] == str(QUOTE_COUNT)
        assert len(rows) == len({r["quote"] for r in rows}) == QUOTE_COUNT   # one position and one exact each
        texts = {}
        for doc in sorted({r["doc"] for r in rows}):
            got = requests.get(doc.replace("https://w3id.org/kg92", base), headers={"Accept": "text/plain"}, timeout=30)
            assert got.status_code == 200 and got.encoding == "utf-8"
            texts[doc] = got.content.decode("utf-8")
        assert len(texts) == 5
        wrong = [r["quote"] for r in rows if texts[r["doc"]][int(r["start"]):int(r["end"])] != r["exact"]]
        assert wrong == []
        done = kg92("verify", base, cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{QUOTE_COUNT} of {QUOTE_COUNT} quotes resolve against 5 texts\n", "")


@needs_sources
def test_kg92_verify_a_dump_and_a_tampered_source_folder(tmp_path):
    dump = ROOT / "build" / "kg.nq"
    done = kg92("verify", "--dump", str(dump), "--sources", str(SOURCES), cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, f"{QUOTE_COUNT} of {QUOTE_COUNT} quotes resolve against 5 texts\n")
    # one character changed in 004: the checksum fails, and the quotes that cover it
    tampered = tmp_path / "sources"
    shutil.copytree(SOURCES, tampered)
    text = (SOURCES / DOCS["004"]).read_text(encoding="utf-8")
    store = ox.Store()
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    spans = [(int(s["start"].value), int(s["end"].value)) for s in store.query(SELECTORS, use_default_graph_as_union=True)
             if s["doc"].value.endswith("/004")]
    at = min(spans)[0]
    covering = sum(1 for s, e in spans if s <= at < e)
    (tampered / DOCS["004"]).write_text(text[:at] + "#" + text[at + 1:], encoding="utf-8")
    done = kg92("verify", "--dump", str(dump), "--sources", str(tampered), cwd=tmp_path)
    lines = done.stdout.splitlines()
    assert done.returncode == 1
    assert lines[0].startswith("text of <https://w3id.org/kg92/id/document/004>: SHA-256 ")
    assert lines[0].endswith(" differs from its spdx:checksumValue fda5ea9bf71cd4bf6a13c9f9919d3e1c564116325537f0454fbb59267a7506c2")
    assert len(lines) == 1 + covering + 1 and all(ln.startswith("<https://w3id.org/kg92/id/quote/004-") for ln in lines[1:-1])
    assert lines[-1] == f"{QUOTE_COUNT - covering} of {QUOTE_COUNT} quotes resolve against 5 texts"
    usage = kg92("verify", cwd=tmp_path)
    assert (usage.returncode, usage.stderr) == (2, "kg92 verify: give a server URL, or --dump FILE and --sources DIR\n")


# ---------------------------------------------------------------- the document page

def doc_text(body: str) -> str:
    """The document text shown in the page: the div's content without its tags."""
    div = body.split('<div class="doc-text" lang="fr">', 1)[1].split("</div>", 1)[0]
    return html.unescape(re.sub(r"<a class=\"qa\"[^>]*>▸</a>", "", re.sub(r"</?mark[^>]*>", "", div)))


@published
def test_the_document_page_shows_the_whole_text_with_every_quote_anchored(client):
    rows = sparql(client, SELECTORS.replace("WHERE {", "WHERE { VALUES ?doc { <https://w3id.org/kg92/id/document/002> }"))
    body = client.get("/id/document/002", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert doc_text(body) == (SOURCES / DOCS["002"]).read_text(encoding="utf-8")
    anchors = re.findall(r'<a class="qa" id="q-([0-9-]+)" href="#cite-q-\1">▸</a>', body)
    assert sorted(anchors) == sorted(r["quote"].rsplit("/", 1)[-1] for r in rows) and len(anchors) == 336
    # nested quotes: the shared words are covered by both, then by the longer one alone
    assert ('<mark class="depth-2" data-quotes="q-002-443-637 q-002-443-975">Le 28 septembre 2018, le Département, '
            'en coopération avec les Yvelines') in body
    assert '</mark><mark class="depth-1" data-quotes="q-002-443-975"> Il a pour ambition' in body
    # each quote listed with what cites it
    item = body.split('<li id="cite-q-002-0-124">', 1)[1].split("</li>", 1)[0]
    assert '<a href="/id/statement/002-solidarites-chef-de-file">' in item and "cited by" in item
    assert f'<h2 id="h-quotes">Quotes <small>({len(rows)})</small></h2>' in body


@published
def test_the_document_page_lists_schemes_and_pages_its_statements(client):
    schemes = sparql(client, "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX kg: <https://w3id.org/kg92/def#> "
                             "SELECT (COUNT(DISTINCT ?scheme) AS ?n) WHERE { ?q oa:hasSource <https://w3id.org/kg92/id/document/002> . "
                             "?s kg:evidence ?q ; kg:concerns ?scheme . ?scheme a kg:Scheme }")[0]["n"]
    total = int(sparql(client, "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX kg: <https://w3id.org/kg92/def#> "
                               "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?q oa:hasSource <https://w3id.org/kg92/id/document/002> . "
                               "?s kg:evidence ?q ; a ?k VALUES ?k { kg:Commitment kg:Claim kg:Forecast } }")[0]["n"])
    assert total > 3 * PAGE_SIZE
    pages = -(-total // PAGE_SIZE)
    first = client.get("/id/document/002", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'<h2 id="h-schemes">Schemes cited <small>({schemes})</small></h2>' in first
    assert first.split('id="h-schemes"')[1].split("</ul>")[0].count("<li>") == int(schemes)
    assert f'<h2 id="h-statements">Statements <small>({total})</small></h2>' in first
    assert f"page 1 / {pages}" in first and '<a rel="next" href="?page=2#statements">next</a>' in first
    seen = []
    for n in range(1, pages + 1):
        body = client.get(f"/id/document/002?page={n}", headers={"Accept-Language": "en"}).get_data(as_text=True)
        part = body.split('id="statements"')[1]
        seen += re.findall(r'<li class="statement">\s*<p><a href="([^"]+)"', part)
        assert f'<ol class="statements" start="{(n - 1) * PAGE_SIZE + 1}">' in part
    assert len(seen) == len(set(seen)) == total
    last = client.get(f"/id/document/002?page={pages}").get_data(as_text=True)
    assert '<a rel="next"' not in last and '<a rel="prev"' in last


# ---------------------------------------------------------------- the build: checksums, and no sources at all

def test_without_the_sources_nothing_is_published_and_pages_say_so(tmp_path):
    root = make_mini_root(tmp_path / "repo")
    assert run(root, root / "build", tmp_path / "no-sources").code == 0
    release = (root / "build").resolve()
    assert not (release / "texts").exists() and not (release / "texts.json").exists()
    assert json.loads((release / "manifest.json").read_text())["texts"] == {}
    from kg92.web.app import create_app
    client = create_app({"build_dir": str(root / "build"), "root": str(root)}).test_client()
    page = client.get("/id/document/000", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert ('<p class="not-published">The text of this document is not published by this build (built without the '
            'source texts, see KG92_SOURCES_DIR).</p>') in body and 'class="doc-text"' not in body
    assert "/id/document/000.txt" not in body and ".txt" not in page.headers["Link"]
    text = client.get("/id/document/000.txt")
    assert (text.status_code, text.get_json()["error"]["detail"]) == (404, (
        "the text of <https://w3id.org/kg92/id/document/000> is not published by this build (it was built without "
        "the source texts: set KG92_SOURCES_DIR and rebuild)"))
    assert client.get("/id/document/000.ttl").status_code == 200
    assert client.get("/id/scheme/rsa").status_code == 200


@needs_sources
def test_a_tampered_source_text_stops_the_build_naming_the_file(tmp_path):
    root = make_mini_root(tmp_path / "repo")
    good = run(root, root / "build", SOURCES)
    assert good.code == 0
    release = (root / "build").resolve()
    index = json.loads((release / "texts.json").read_text())
    assert {d.rsplit("/", 1)[-1]: e["file"] for d, e in index.items()} == DOCS
    assert all((release / "texts" / f).read_bytes() == (SOURCES / f).read_bytes() for f in DOCS.values())
    tampered = tmp_path / "sources"
    shutil.copytree(SOURCES, tampered)
    with open(tampered / DOCS["003"], "a", encoding="utf-8") as fh:
        fh.write(" ")
    actual = hashlib.sha256((tampered / DOCS["003"]).read_bytes()).hexdigest()
    bad = run(root, root / "build", tampered)
    assert bad.code == 2
    assert bad.message == (
        f"{tampered / DOCS['003']}: SHA-256 {actual} differs from the checksum recorded for "
        "<https://w3id.org/kg92/id/document/003> in data/ttl/documents.ttl "
        "(0adaa395e432af7e1a9da2fc9d81a961b7773a535d6ab1b4d8586f9310f53116): the file was changed, or the record is "
        "stale\nbuild/ left as it was: a source text does not match the data.")
    assert (root / "build").resolve() == release      # the previous build keeps serving
    (tampered / DOCS["003"]).unlink()
    assert run(root, root / "build", tampered).message.startswith(f"{tampered / DOCS['003']}: the source text of "
                                                                   "<https://w3id.org/kg92/id/document/003> is missing")


def test_the_sources_skip_reason_names_the_folder():
    assert NO_SOURCES == f"the source texts are absent ({SOURCES}; point KG92_SOURCES_DIR at them)"
    assert HAVE_SOURCES == SOURCES.is_dir()
