"""Canned-query mechanics: headers checked at start-up, typed and injection-proof parameters, OpenAPI, CLI."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from support import ROOT

from kg92.queries.registry import QueryFileError, Registry, parse_file

GOOD = ROOT / "queries" / "quote-search.rq"
ID = "https://w3id.org/kg92/id/"


def test_every_query_file_loads_with_bilingual_titles():
    reg = Registry.load(ROOT / "queries")
    assert len(reg.queries) >= 17
    assert {n for n, q in reg.queries.items() if q.form == "CONSTRUCT"} == {"scheme-graph"}
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
    from kg92.web.app import create_app
    (tmp_path / "queries").mkdir()
    shutil.copy(GOOD, tmp_path / "queries" / "ok.rq")
    (tmp_path / "queries" / "zz-bad.rq").write_text("#+ title_fr: x\nSELECT * WHERE { ", encoding="utf-8")
    with pytest.raises(QueryFileError, match="zz-bad.rq"):
        create_app({"build_dir": str(ROOT / "build"), "root": str(tmp_path)})


# Values that exist in the quotes and carry the characters a pasted value would break on (an ASCII apostrophe, a
# typographic one, a no-break space): found, with the value echoed unchanged in ?text on every row.
D003 = "https://w3id.org/kg92/id/document/003"
FOUND = {
    # 003 §1 l.5 "qui a conduit au drame de la mort d'un jeune suivi par l'ASE."
    "mort d'un jeune suivi par l'ASE": [
        ("quote/003-1263-1455", D003, "Outre la baisse des moyens d'action des services, c'est une organisation de la "
         "désorganisation des services qui s'est instaurée et qui a conduit au drame de la mort d'un jeune suivi par "
         "l'ASE.", "statement/003-q1-desorganisation-drame-ase")],
    # 003 §8 "Nous nous nous assurerons de l’accessibilité de nos sites pour les personnes en situation de handicap
    # sensoriel." (the triple "nous" is the source's)
    "l’accessibilité de nos sites": [
        ("quote/003-19832-19944", D003, "Nous nous nous assurerons de l’accessibilité de nos sites pour les personnes "
         "en situation de handicap sensoriel.", "statement/003-q8-accessibilite-sites")],
    # 003 §2 l.20 "… le département le plus riche de France\u00a0; le compte n’y est pas." (no-break space before the
    # semicolon, typographic apostrophe): the 52% figure and its statement
    "France\u00a0; le compte n’y est pas": [
        ("quote/003-4992-5175", D003, "La part des Hauts-de-Seine est de 52%, nous sommes certes loin des 39%, mais "
         "aussi des 75%, or, nous avons tout de même le département le plus riche de France\u00a0; le compte n’y est "
         "pas.", node) for node in ("figure/003-part-hauts-de-seine", "statement/003-q2-part-hauts-de-seine")],
}
HOSTILE = ['"} UNION { ?s ?p ?o } #', "x\n} LIMIT 1 #", "<https://evil>", "'; DROP ALL", "\\u0022",
           "» } ; DELETE WHERE { ?s ?p ?o } #\u00a0«"]


@pytest.mark.parametrize("value, expected", [(v, []) for v in HOSTILE] + list(FOUND.items()))
def test_values_are_data_never_query_text(client, value, expected):
    resp = client.get("/api/quote-search", query_string={"text": value}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.data
    body = resp.get_json()
    assert body["head"]["vars"] == ["text", "quote", "document", "exact", "node"]
    got = [(b["text"]["value"], b["quote"]["value"].removeprefix(ID), b["document"]["value"], b["exact"]["value"],
            b["node"]["value"].removeprefix(ID)) for b in body["results"]["bindings"]]
    assert got == [(value, *row) for row in expected]


# Hostile values of typed parameters: refused with a 400 naming the parameter and the value before any query runs,
# or, when the value is a well-formed IRI, bound as that IRI (nothing in the graph: no rows at all)
@pytest.mark.parametrize("name, param, value, detail", [
    ("figures-about", "subject", "https://w3id.org/kg92/id/scheme/rsa> } UNION { ?s ?p ?o } #", "is not an absolute http(s) IRI"),
    ("figures-about", "subject", "https://w3id.org/kg92/id/scheme/rsa>\n?s ?p ?o", "is not an absolute http(s) IRI"),
    ("figures-about", "subject", "javascript:alert(1)", "is not an absolute http(s) IRI"),
    ("timeline", "actor", "https://w3id.org/kg92/id/actor/prefet-92> . ?s ?p ?o", "is not an absolute http(s) IRI"),
    ("timeline", "actor", "https://w3id.org/kg92/id/actor/prefet-92#')", "is not one of the actor values"),
    ("timeline", "from", '2019-01-01"^^<http://www.w3.org/2001/XMLSchema#date> ) } UNION { ?s ?p ?o } #',
     "is not a date (YYYY-MM-DD)"),
    ("timeline", "to", "2019-12-31\n} LIMIT 1 #", "is not a date (YYYY-MM-DD)"),
    ("timeline", "from", "'; DROP ALL", "is not a date (YYYY-MM-DD)"),
    ("timeline", "from", "2019-02-30", "is not a date (YYYY-MM-DD)"),
])
def test_hostile_iri_and_date_values_are_a_400(client, name, param, value, detail):
    resp = client.get(f"/api/{name}", query_string={param: value}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 400
    assert resp.get_json()["error"]["detail"] == f"{param}: {value!r} {detail}"


def test_a_well_formed_but_hostile_iri_is_bound_as_an_iri(client):
    # ' ; ) # are legal in an IRI: the value is one IRI term, absent from the graph: exactly no rows
    value = "https://w3id.org/kg92/id/scheme/rsa';DROP(ALL)#"
    resp = client.get("/api/figures-about", query_string={"subject": value}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.data
    assert resp.get_json()["results"]["bindings"] == []


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
    assert [p["name"] for p in params] == ["group", "theme", "lang", "format"]
    assert params[2]["schema"] == {"type": "string", "enum": ["fr", "en"], "default": "fr"}   # the labels' language
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
    assert "Ouvrir dans l&#39;éditeur" in page and "<pre id=\"sparql\" tabindex=\"0\" aria-label=\"SPARQL\">" in page
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
    assert done.returncode == 0 and done.stdout.splitlines()[0] == "scheme,label,groups,lang"
    # the labels in English (the schemes' @en prefLabels), the lang column echoes the parameter
    done = subprocess.run([str(exe), "query", "schemes-cited-by-every-group", "--param", "lang=en", "--format", "csv"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.splitlines() == [
        "scheme,label,groups,lang", f"{S}premieres-heures,Premières Heures (first hours of work),3,en",
        f"{S}tzcld,Zero Long-Term Unemployment Territory,3,en", f"{S}ase,child welfare,3,en",
        f"{S}logement-social,social housing,3,en"]
    done = subprocess.run([str(exe), "query", "schemes-cited-by-every-group", "--param", "lang=de"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "lang: 'de' is not a language of the site (fr, en)" in done.stderr
    # the two pairs of schemes named together in two commitments (see test_queries_results.test_co_citation)
    done = subprocess.run([str(exe), "query", "co-citation", "--param", "min=2", "--format", "csv"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["min,scheme,a,b,commitments", *CO_CITED_CSV]
    done = subprocess.run([str(exe), "query", "quote-search", "--param", "text"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2 and "--param expects name=value, not 'text'" in done.stderr


@pytest.mark.parametrize("args, message", [
    # a value of the wrong type, an unknown parameter, a value not in its list: the API's 400, as one line
    (["timeline", "--param", "from=2019-13-01"], "from: '2019-13-01' is not a date (YYYY-MM-DD)"),
    (["timeline", "--param", "frm=2019-01-01"], "unknown parameter(s): frm"),
    (["positions-on-scheme", "--param", "scheme=https://w3id.org/kg92/id/scheme/nope"],
     "scheme: 'https://w3id.org/kg92/id/scheme/nope' is not one of the scheme values"),
    (["figures-disagree", "--param", "undated=yes"], "undated: 'yes' is not a boolean (true or false)"),
    # a format the query's form cannot give (the API would fall back to its first format without a word)
    (["scheme-graph", "--format", "csv"], "scheme-graph is a CONSTRUCT query: --format one of ttl, nt, jsonld, rdf, not 'csv'"),
    (["co-citation", "--format", "ttl"], "co-citation is a SELECT query: --format one of json, xml, csv, tsv, table, not 'ttl'"),
    (["--query", "ASK { ?s ?p ?o }", "--format", "nt"], "this query's results do not come as --format nt; one of json, xml, csv, tsv, table"),
    (["--file", "/nonexistent/q.rq"], "cannot read /nonexistent/q.rq: No such file or directory"),
])
def test_cli_usage_errors_exit_2_with_one_line(args, message):
    exe = Path(sys.executable).with_name("kg92")
    done = subprocess.run([str(exe), "query", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"kg92 query: {message}\n")


def test_cli_unknown_canned_query_lists_the_names():
    exe = Path(sys.executable).with_name("kg92")
    done = subprocess.run([str(exe), "query", "nope"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    names = ", ".join(sorted(p.stem for p in (ROOT / "queries").glob("*.rq")))
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"kg92 query: no canned query named 'nope'; one of {names}\n")


def test_cli_default_table_format_of_a_construct_is_turtle():
    exe = Path(sys.executable).with_name("kg92")
    done = subprocess.run([str(exe), "query", "scheme-graph", "--param", f"scheme={S}pdalhpd"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert triples(done.stdout.encode(), ox.RdfFormat.TURTLE) == PDALHPD_GRAPH


def test_the_query_docs_are_generated_from_the_headers():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "query_docs.py"), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    for path in (ROOT / "queries").glob("*.rq"):
        assert f"## `{path.stem}`" in text


def test_result_links_go_only_to_http_iris():
    from kg92.web.canned import iri_href
    assert iri_href("https://w3id.org/kg92/id/scheme/rsa") == "/id/scheme/rsa"
    assert iri_href("http://qudt.org/vocab/unit/M") == "http://qudt.org/vocab/unit/M"
    for iri in ("javascript:alert(1)", "urn:isbn:123", "mailto:x@example.org", "file:///etc/passwd"):
        assert iri_href(iri) is None


# co-citation with min=2: 001 Q5 / 003 §5 (placement familial and foyers) and 000 §3 / §6 (ActivitY' and the SPIE)
S = "https://w3id.org/kg92/id/scheme/"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
CO_CITED = [(S + "accueil-familial", S + "foyers-accueil"), (S + "activity", S + "spie")]
CO_CITED_CSV = [f"2,,{a},{b},2" for a, b in CO_CITED]


def test_select_twins_json_tsv_xml_csv(client):
    integer = {"type": "literal", "value": "2", "datatype": XSD_INTEGER}
    resp = client.get("/queries/co-citation.json?min=2")
    assert resp.status_code == 200 and resp.mimetype == "application/sparql-results+json"
    assert resp.get_json() == {"head": {"vars": ["min", "scheme", "a", "b", "commitments"]}, "results": {"bindings": [
        {"min": integer, "a": {"type": "uri", "value": a}, "b": {"type": "uri", "value": b}, "commitments": integer}
        for a, b in CO_CITED]}}

    resp = client.get("/queries/co-citation.tsv?min=2")
    assert resp.status_code == 200 and resp.mimetype == "text/tab-separated-values"
    assert resp.get_data(as_text=True).splitlines() == ["?min\t?scheme\t?a\t?b\t?commitments",
                                                       *(f"2\t\t<{a}>\t<{b}>\t2" for a, b in CO_CITED)]

    resp = client.get("/queries/co-citation.xml?min=2")
    assert resp.status_code == 200 and resp.mimetype == "application/sparql-results+xml"
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(resp.get_data())
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["min", "scheme", "a", "b", "commitments"]
    got = [{b.get("name"): (b[0].tag.split("}")[1], b[0].text, b[0].get("datatype")) for b in res.findall("r:binding", ns)}
           for res in root.findall("r:results/r:result", ns)]
    assert got == [{"min": ("literal", "2", XSD_INTEGER), "a": ("uri", a, None), "b": ("uri", b, None),
                    "commitments": ("literal", "2", XSD_INTEGER)} for a, b in CO_CITED]

    resp = client.get("/queries/co-citation.csv?min=2")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.get_data(as_text=True).splitlines() == ["min,scheme,a,b,commitments", *CO_CITED_CSV]
    # the same through the API, by format= and by Accept
    assert client.get("/api/co-citation?min=2&format=tsv").get_data() == client.get("/queries/co-citation.tsv?min=2").get_data()
    assert client.get("/api/co-citation?min=2", headers={"Accept": "application/sparql-results+xml"}).get_data() == \
        client.get("/queries/co-citation.xml?min=2").get_data()


KG = "https://w3id.org/kg92/def#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
OA = "http://www.w3.org/ns/oa#"


def triples(body: bytes, fmt: ox.RdfFormat) -> Counter:
    """The triples of a CONSTRUCT answer in N-Triples notation, blank nodes written `_:` (their labels vary)."""
    def term(t):
        return "_:" if isinstance(t, ox.BlankNode) else str(t)
    return Counter((term(q.subject), term(q.predicate), term(q.object)) for q in ox.parse(body, format=fmt))


# The PDALHPD's graph: the scheme, the one statement naming it in a group's answer (001 Q4 "Oui, bien sûr, au
# déploiement du plan PDALHPD."), its quote and its author
PDALHPD_GRAPH = Counter({
    (f"<{S}pdalhpd>", f"<{RDF_TYPE}>", f"<{KG}Scheme>"): 1,
    (f"<{S}pdalhpd>", f"<{SKOS_PREF}>",
     '"Plan départemental d\'action pour le logement et l\'hébergement des personnes défavorisées"@fr'): 1,
    (f"<{S}pdalhpd>", f"<{SKOS_PREF}>",   # the labels in every language (labels-en.ttl), as for rdfs:label below
     '"Departmental action plan for the housing and shelter of disadvantaged people"@en'): 1,
    (f"<{ID}statement/001-q4-pdalhpd>", f"<{RDF_TYPE}>", f"<{KG}Commitment>"): 1,
    (f"<{ID}statement/001-q4-pdalhpd>", f"<{KG}concerns>", f"<{S}pdalhpd>"): 1,
    (f"<{ID}statement/001-q4-pdalhpd>", f"<{KG}statedBy>", f"<{ID}group/groupe-001>"): 1,
    (f"<{ID}statement/001-q4-pdalhpd>", "<http://www.w3.org/2000/01/rdf-schema#label>", '"Oui au déploiement du plan PDALHPD"@fr'): 1,
    (f"<{ID}statement/001-q4-pdalhpd>", "<http://www.w3.org/2000/01/rdf-schema#label>",
     '"Yes to the roll-out of the PDALHPD plan"@en'): 1,     # its English label (labels-en.ttl): a graph has every language
    (f"<{ID}statement/001-q4-pdalhpd>", f"<{KG}stance>", f"<{ID}stance/supports>"): 1,
    (f"<{ID}statement/001-q4-pdalhpd>", f"<{KG}evidence>", f"<{ID}quote/001-7262-7308>"): 1,
    (f"<{ID}quote/001-7262-7308>", f"<{OA}hasSource>", f"<{ID}document/001>"): 1,
    (f"<{ID}quote/001-7262-7308>", f"<{OA}hasSelector>", "_:"): 1,
    ("_:", f"<{OA}exact>", '"Oui, bien sûr, au déploiement du plan PDALHPD."'): 1,
    (f"<{ID}group/groupe-001>", f"<{SKOS_PREF}>", '"groupe de candidats non nommé du document 001"@fr'): 1,
    (f"<{ID}group/groupe-001>", f"<{SKOS_PREF}>", '"unnamed group of candidates of document 001"@en'): 1,
})
GRAPH_FORMATS = {"ttl": ("text/turtle", ox.RdfFormat.TURTLE), "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
                 "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES), "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML)}


@pytest.mark.parametrize("suffix", sorted(GRAPH_FORMATS))
def test_construct_twins_ttl_jsonld_nt_rdf(client, suffix):
    media, fmt = GRAPH_FORMATS[suffix]
    resp = client.get(f"/queries/scheme-graph.{suffix}?scheme={S}pdalhpd")
    assert resp.status_code == 200 and resp.mimetype == media
    assert triples(resp.get_data(), fmt) == PDALHPD_GRAPH
    api = client.get(f"/api/scheme-graph?scheme={S}pdalhpd", headers={"Accept": media})
    assert api.status_code == 200 and triples(api.get_data(), fmt) == PDALHPD_GRAPH


def test_construct_query_fsl_graph_and_its_negotiation(client, real_app):
    # The FSL (the default scheme): 3 statements name it — 000 §1 the 2020 reform, with "+ 45%" and "+ 150%" for
    # January/February 2021 (claim), 001 Q8 "accès aux démarches, ex FSL, MDPH" (commitment, involves the MDPH),
    # 002 l.292 "4 114 demandes … (contre 4 426, en 2008), soit 69%" (claim) — with 5 figures, 2 periods, 3 quotes
    # and 4 actors; the Département implements the FSL (000 §1 "les services et prestations du Département. A titre
    # d'exemple, la refonte du FSL"; 002 is its own report): 3 + (7 + 7 + 8) + (8 + 8 + 7 + 8 + 6) + 2×2 + 3×3 + 4
    # = 79 triples (the two 000 figures, the number of aids and the amounts, carry their
    # indicators since issue 17: told apart by data, not only by kg:measure), + 1: 002's 69 %, a share of the requests,
    # carries indicator/part-demandes-fsl-accordees (issue 17, item 2: every figure has a population or an indicator)
    # = 80, + the English label of the 3 statements and the English measure of the 5 figures (labels-en.ttl) = 88,
    # + the English labels of the scheme and its 4 actors (skos:prefLabel in every language, as rdfs:label) = 93,
    # each produced once
    resp = client.get("/api/scheme-graph?format=nt")
    assert resp.status_code == 200 and resp.mimetype == "application/n-triples"
    lines = resp.get_data(as_text=True).splitlines()
    assert len(lines) == len(set(lines)) == 93 and resp.headers["X-KG92-Rows"] == "93"
    got = triples(resp.get_data(), ox.RdfFormat.N_TRIPLES)
    assert sum(got.values()) == 93
    per_predicate = Counter(p.strip("<>").replace(KG, "kg:").replace(OA, "oa:").rsplit("/", 1)[-1] for _, p, _ in got.elements())
    assert per_predicate == Counter({
        "22-rdf-syntax-ns#type": 9, "core#prefLabel": 10, "kg:implementedBy": 1, "kg:concerns": 3, "kg:statedBy": 3,
        "rdf-schema#label": 6, "kg:stance": 1, "kg:involves": 1, "kg:evidence": 8, "kg:figure": 5, "value": 5, "hasUnit": 5,
        "kg:asStated": 5, "kg:measure": 10, "temporal": 2, "kg:counts": 2, "kg:indicator": 3, "kg:refDate": 1, "dcat#startDate": 2,
        "dcat#endDate": 2, "oa:hasSource": 3, "oa:hasSelector": 3, "oa:exact": 3})
    values = sorted((s, o) for s, p, o in got.elements() if p == "<http://qudt.org/schema/qudt/value>")
    assert values == sorted((f"<{ID}figure/{f}>", f'"{v}"^^<{XSD_INTEGER}>') for f, v in [
        ("000-fsl-evolution-montants-2021-01-02", 150), ("000-fsl-evolution-nombre-aides-2021-01-02", 45),
        ("002-fsl-demandes-accordees", 4114), ("002-fsl-demandes-accordees-2008", 4426), ("002-fsl-part-demandes-accordees", 69)])
    # a CONSTRUCT has graph twins only; its page offers them; the index and the OpenAPI document say so
    assert client.get("/queries/scheme-graph.json").status_code == 406
    assert client.get("/queries/scheme-graph.csv").status_code == 406
    page = client.get("/queries/scheme-graph").get_data(as_text=True)
    for suffix in GRAPH_FORMATS:
        assert f'href="/queries/scheme-graph.{suffix}' in page
    index = {q["name"]: q for q in client.get("/queries.json").get_json()["queries"]}
    assert index["scheme-graph"]["form"] == "CONSTRUCT" and index["co-citation"]["form"] == "SELECT"
    op = client.get("/api/openapi.json").get_json()["paths"]["/api/scheme-graph"]["get"]
    assert set(op["responses"]["200"]["content"]) == {"text/turtle", "application/ld+json", "application/n-triples"}
    assert [p["name"] for p in op["parameters"]] == ["scheme", "format"]
    assert client.get("/api/scheme-graph?scheme=https://w3id.org/kg92/id/scheme/nope").status_code == 400


def test_cli_runs_a_construct_query():
    exe = Path(sys.executable).with_name("kg92")
    done = subprocess.run([str(exe), "query", "scheme-graph", "--param", f"scheme={S}pdalhpd", "--format", "nt"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert triples(done.stdout.encode(), ox.RdfFormat.N_TRIPLES) == PDALHPD_GRAPH


def test_boolean_parameters_are_typed(client):
    from kg92.queries.binding import Param, ParamError, bind_value
    p = Param("flag", "boolean", "a flag", default="false")
    assert [bind_value(p, v, None).value for v in ("true", "1", "false", "0")] == ["true", "true", "false", "false"]
    assert bind_value(p, "true", None).datatype.value == "http://www.w3.org/2001/XMLSchema#boolean"
    with pytest.raises(ParamError, match="'yes' is not a boolean"):
        bind_value(p, "yes", None)
    assert client.get("/api/figures-disagree?undated=oui").status_code == 400
    spec = client.get("/api/openapi.json").get_json()
    param = next(p for p in spec["paths"]["/api/figures-disagree"]["get"]["parameters"] if p["name"] == "undated")
    assert param["schema"] == {"type": "boolean", "default": False}
    page = client.get("/queries/figures-disagree?undated=true").get_data(as_text=True)
    assert ('<select id="p-undated" name="undated"><option value="false">false</option>'
            '<option value="true" selected>true</option></select>') in page


def test_api_answers_carry_an_etag_and_a_matching_if_none_match_is_a_304(client):
    url = "/api/schemes-cited-by-every-group"
    first = client.get(url, query_string={"format": "csv"})
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and len(etag) == 34       # a strong tag: 32 hex digits
    again = client.get(url, query_string={"format": "csv"}, headers={"If-None-Match": etag})
    assert (again.status_code, again.get_data(), again.headers["ETag"]) == (304, b"", etag)
    other = client.get(url, query_string={"format": "json"})
    assert other.status_code == 200 and other.headers["ETag"] != etag                  # another representation
    assert client.get(url, query_string={"format": "csv"}, headers={"If-None-Match": '"x"'}).get_data() == first.get_data()
    # the twin /queries/<name>.csv is the same answer, with the same validator; the HTML page ignores validators
    twin = client.get("/queries/schemes-cited-by-every-group.csv", headers={"If-None-Match": etag})
    assert (twin.status_code, twin.headers["ETag"]) == (304, etag)
    page = client.get("/queries/schemes-cited-by-every-group", headers={"If-None-Match": "*"})
    assert page.status_code == 200 and "Territoire Zéro Chômeur de Longue Durée" in page.get_data(as_text=True)
