"""Canned-query mechanics: headers checked at start-up, typed and injection-proof parameters, OpenAPI, CLI."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from kg92.queries import QueryFileError, Registry, parse_file

GOOD = ROOT / "queries" / "quote-search.rq"


def test_every_query_file_loads_with_bilingual_titles():
    reg = Registry.load(ROOT / "queries")
    assert len(reg.queries) >= 12
    for q in reg.queries.values():
        assert q.meta["title_fr"] and q.meta["title_en"] and q.meta["description_fr"] and q.meta["description_en"]


@pytest.mark.parametrize("header, error", [
    ("#+ titel_fr: typo\n", "unknown or malformed header line"),
    ("#+ param: text strng — bad type\n", "malformed param"),
    ("#+ param: nothere string — not a variable\n", "parameter 'nothere' is not a variable of the query"),
    ("#+ param: actor iri list=planets — bad list\n", "unknown option"),
])
def test_a_bad_header_stops_start_up_naming_the_file(tmp_path, header, error):
    text = GOOD.read_text(encoding="utf-8").replace("#+ tags: search\n", header)
    bad = tmp_path / "bad.rq"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(QueryFileError, match=error) as info:
        parse_file(bad)
    assert str(bad) in str(info.value)


def test_bad_sparql_and_unprojected_parameter_are_refused(tmp_path):
    broken = tmp_path / "broken.rq"
    broken.write_text(GOOD.read_text(encoding="utf-8").replace("ORDER BY ?quote ?node", "ORDER BY ?quote ?node }"), encoding="utf-8")
    with pytest.raises(QueryFileError, match="broken.rq: SPARQL syntax error"):
        parse_file(broken)
    hidden = tmp_path / "hidden.rq"
    hidden.write_text(GOOD.read_text(encoding="utf-8").replace("SELECT ?text ?quote", "SELECT ?quote"), encoding="utf-8")
    with pytest.raises(QueryFileError, match="project every parameter"):
        parse_file(hidden)


def test_create_app_refuses_a_bad_query_file(tmp_path):
    from kg92.app import create_app
    (tmp_path / "queries").mkdir()
    shutil.copy(GOOD, tmp_path / "queries" / "ok.rq")
    (tmp_path / "queries" / "zz-bad.rq").write_text("#+ title_fr: x\nSELECT * WHERE { ", encoding="utf-8")
    with pytest.raises(QueryFileError, match="zz-bad.rq"):
        create_app({"build_dir": str(ROOT / "build"), "root": str(tmp_path)})


@pytest.mark.parametrize("value", ['"} UNION { ?s ?p ?o } #', "x\n} LIMIT 1 #", "<https://evil>", "'; DROP ALL", "\\u0022"])
def test_values_are_data_never_query_text(client, value):
    resp = client.get("/api/quote-search", query_string={"text": value}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.data
    body = resp.get_json()
    assert body["head"]["vars"] == ["text", "quote", "document", "exact", "node"]
    assert body["results"]["bindings"] == []


@pytest.mark.parametrize("url, message", [
    ("/api/co-citation?min=two", "min: 'two' is not an integer"),
    ("/api/timeline?from=2019-13-01", "from: '2019-13-01' is not a date (YYYY-MM-DD)"),
    ("/api/positions-on-scheme?scheme=https://w3id.org/kg92/id/scheme/nope", "is not one of the scheme values"),
    ("/api/positions-on-scheme?scheme=not%20an%20iri", "is not an absolute http(s) IRI"),
    ("/api/figures-about?subject=https://x/%3E%20%7D", "is not an absolute http(s) IRI"),
    ("/api/stance-matrix?group=x", "unknown parameter(s): group"),
])
def test_a_value_of_the_wrong_type_is_a_400_before_any_query(client, url, message):
    resp = client.get(url)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["detail"].endswith(message) or message in resp.get_json()["error"]["detail"]


def test_openapi_lists_every_query_and_its_parameters(client, real_app):
    doc = client.get("/api/openapi.json").get_json()
    reg = real_app.extensions["kg92.queries"]
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {f"/api/{n}" for n in reg.queries}
    params = doc["paths"]["/api/group-commitments-by-theme"]["get"]["parameters"]
    assert [p["name"] for p in params] == ["group", "theme", "format"]
    assert set(params[0]["schema"]["enum"]) == {"https://w3id.org/kg92/id/group/majorite-departementale",
                                                "https://w3id.org/kg92/id/group/groupe-001",
                                                "https://w3id.org/kg92/id/group/colombes-2"}


def test_query_index_and_twins(client):
    index = client.get("/queries.json").get_json()["queries"]
    names = [q["name"] for q in index]
    assert "schemes-cited-by-every-group" in names
    html = client.get("/queries").get_data(as_text=True)
    for name in names:
        assert f'href="/queries/{name}"' in html
    page = client.get("/queries/quote-search?text=PDALHPD").get_data(as_text=True)
    assert "Ouvrir dans l&#39;éditeur" in page and "<pre id=\"sparql\">" in page
    rows = list(csv.reader(io.StringIO(client.get("/queries/quote-search.csv?text=PDALHPD").get_data(as_text=True))))
    assert rows[0] == ["text", "quote", "document", "exact", "node"]
    assert all("PDALHPD" in r[3].upper() for r in rows[1:]) and len(rows) > 1
    assert client.get("/queries/quote-search.ttl").status_code == 406


def test_cli_runs_a_canned_query_with_parameters():
    exe = Path(sys.executable).with_name("kg92")
    done = subprocess.run([str(exe), "query", "quote-search", "--param", "text=Samu Social", "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["results"]["bindings"]
    assert {r["document"]["value"] for r in rows} == {"https://w3id.org/kg92/id/document/001"}
    assert done.stderr == ""   # the query workers are stopped before exit: nothing printed after the results
    done = subprocess.run([str(exe), "query", "schemes-cited-by-every-group", "--format", "csv"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.splitlines()[0] == "scheme,label,groups"
    done = subprocess.run([str(exe), "query", "quote-search", "--param", "text"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "--param expects name=value, not 'text'" in done.stderr


def test_the_query_docs_are_generated_from_the_headers():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "query_docs.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    for path in (ROOT / "queries").glob("*.rq"):
        assert f"## `{path.stem}`" in text


def test_result_links_go_only_to_http_iris():
    from kg92.querypages import iri_href
    assert iri_href("https://w3id.org/kg92/id/scheme/rsa") == "/id/scheme/rsa"
    assert iri_href("http://qudt.org/vocab/unit/M") == "http://qudt.org/vocab/unit/M"
    for iri in ("javascript:alert(1)", "urn:isbn:123", "mailto:x@example.org", "file:///etc/passwd"):
        assert iri_href(iri) is None
