"""/sparql, /.well-known/void and /dumps/ over raw HTTP on a live server (W3C fixture data, small limits): every
format with its exact content, the dataset parameters, every error, conneg, CORS, ETag/304, cache, truncation."""

from __future__ import annotations

import gzip
import hashlib
import json

import pyoxigraph as ox
import pytest
import requests
from support import EX, SRJ, SRX, K, bindings, live_server, make_app, oxigraph_server

from kg92.errors import ApiError
from kg92.web.protocol import engine, run_query

FOAF = "http://xmlns.com/foaf/0.1/"
DOCS = f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s a <{FOAF}Document> }} }} ORDER BY ?g"
IN_GRAPH = f"CONSTRUCT {{ ?s <http://e/inGraph> ?g }} WHERE {{ GRAPH ?g {{ ?s a <{FOAF}Document> }} }}"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LIMITS = {"max_rows": 5, "max_body_bytes": 4000, "max_query_length": 2000}


@pytest.fixture(scope="module", params=["embedded", "remote"])
def app(request, tmp_path_factory):
    """The endpoint over the fixture build, in the embedded store, then in an Oxigraph server (store_url): every
    test of the module runs over both backends."""
    # absolute URLs (service description, VoID, dumps) follow the live server's address: the trusted-Host mode
    # (the default public_url mode and the Host-echo defence are tested in test_public_url.py)
    tmp = tmp_path_factory.mktemp("http")
    if request.param == "embedded":
        yield make_app(tmp, trust_host_header=True, **LIMITS)
        return
    with oxigraph_server(tmp / "oxigraph") as url:
        yield make_app(tmp, trust_host_header=True, store_url=url, **LIMITS)


@pytest.fixture()
def real_app(backend_app):
    """The tests over the real build run over both backends too (conftest.backend_app)."""
    return backend_app


@pytest.fixture(scope="module")
def base(app):
    with live_server(app) as url:
        yield url


def get(base, query, accept=None, **params):
    headers = {"Accept": accept, "Accept-Language": "en"} if accept else {"Accept-Language": "en"}
    return requests.get(f"{base}/sparql", params={"query": query, **params}, headers=headers, timeout=20)


def error(resp) -> tuple[int, str]:
    return resp.status_code, resp.json()["error"]["detail"]


# --- every format, exact content ----------------------------------------------------------------------------------------

DOC_ROWS = [{"g": K + f"data{i}.rdf", "s": K + f"data{i}.rdf"} for i in (1, 2, 3)]


def test_select_json_is_the_default(base):
    resp = get(base, DOCS)
    assert resp.headers["Content-Type"] == "application/sparql-results+json; charset=utf-8"
    assert resp.headers["Vary"] == "Accept"
    assert resp.json() == {"head": {"vars": ["g", "s"]}, "results": {"bindings": [
        {v: {"type": "uri", "value": row[v]} for v in ("g", "s")} for row in DOC_ROWS]}}


def test_select_xml(base):
    resp = get(base, DOCS, SRX)
    assert resp.headers["Content-Type"] == "application/sparql-results+xml; charset=utf-8"
    parsed = ox.parse_query_results(resp.content, format=ox.QueryResultsFormat.XML)
    assert [{v: s[v].value for v in ("g", "s")} for s in parsed] == DOC_ROWS


def test_select_csv_and_tsv(base):
    csv = get(base, DOCS, "text/csv")
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.text == "g,s\r\n" + "".join(f"{r['g']},{r['s']}\r\n" for r in DOC_ROWS)
    tsv = get(base, DOCS, "text/tab-separated-values")
    assert tsv.headers["Content-Type"] == "text/tab-separated-values; charset=utf-8"
    assert tsv.text == "?g\t?s\n" + "".join(f"<{r['g']}>\t<{r['s']}>\n" for r in DOC_ROWS)


def test_select_html_table_for_browsers(base):
    resp = get(base, DOCS, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
    html = resp.text
    assert "<caption>3 rows</caption>" in html
    assert "<th scope=\"col\">?g</th><th scope=\"col\">?s</th>" in html
    for row in DOC_ROWS:
        assert f'<td><a href="{row["g"]}">{row["g"]}</a></td>' in html
    assert "Truncated" not in html
    assert "ORDER BY ?g</textarea>" in html


def test_html_links_only_web_iris(base):
    html = get(base, 'SELECT ?x ?y WHERE { BIND(IRI("javascript:alert(1)") AS ?x) BIND(<https://w3id.org/kg92/id/a> AS ?y) }',
               "text/html").text
    assert "<td>&lt;javascript:alert(1)&gt;</td>" in html and 'href="javascript' not in html
    assert '<td><a href="/id/a">https://w3id.org/kg92/id/a</a></td>' in html


@pytest.mark.parametrize(("accept", "body"), [
    (SRJ, b'{"head":{},"boolean":true}'),
    (SRX, b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head></head>'
          b'<boolean>true</boolean></sparql>'),
    ("text/csv", b"true"),
    ("text/tab-separated-values", b"true"),
])
def test_ask_formats(base, accept, body):
    resp = get(base, f"ASK {{ <{EX}fixture> ?p ?o }}", accept)
    assert (resp.status_code, resp.headers["Content-Type"], resp.content) == (200, f"{accept}; charset=utf-8", body)
    assert "X-KG92-Truncated" not in resp.headers


IN_GRAPH_TRIPLES = {ox.Triple(ox.NamedNode(K + f"data{i}.rdf"), ox.NamedNode("http://e/inGraph"),
                              ox.NamedNode(K + f"data{i}.rdf")) for i in (1, 2, 3)}


@pytest.mark.parametrize(("accept", "fmt"), [
    (None, ox.RdfFormat.TURTLE),
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/trig", ox.RdfFormat.TRIG),
    ("application/n-quads", ox.RdfFormat.N_QUADS),
])
def test_construct_in_every_graph_format(base, accept, fmt):
    resp = get(base, IN_GRAPH, accept)
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"] == f"{fmt.media_type}; charset=utf-8"
    got = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(resp.content, format=fmt)}
    assert got == IN_GRAPH_TRIPLES
    assert (resp.headers["X-KG92-Rows"], resp.headers["X-KG92-Truncated"]) == ("3", "false")


def test_turtle_declares_the_project_prefixes_it_uses_and_describe_works(base):
    resp = get(base, "DESCRIBE <http://example/president25>", "text/turtle")
    # only foaf: is used (issue 16, item 9: no unused declaration; rdf:type is written `a`)
    assert [line for line in resp.text.splitlines() if line.startswith("@prefix")] == [
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> ."]
    got = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(resp.content, format=ox.RdfFormat.TURTLE)}
    p25 = ox.NamedNode("http://example/president25")
    assert got == {ox.Triple(p25, ox.NamedNode(FOAF + "givenName"), ox.Literal("Bill")),
                   ox.Triple(p25, ox.NamedNode(FOAF + "familyName"), ox.Literal("McKinley")),
                   ox.Triple(p25, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(FOAF + "Person"))}


def test_format_parameter_overrides_accept(base):
    resp = get(base, DOCS, SRJ, format="csv")
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert get(base, IN_GRAPH, "text/turtle", format="nt").headers["Content-Type"] == "application/n-triples; charset=utf-8"
    assert error(get(base, DOCS, format="yaml"))[0] == 400
    assert error(get(base, DOCS, format="yaml"))[1].startswith("unknown format 'yaml'; one of: csv, html, json,")


def test_not_acceptable_names_the_offered_types(base):
    assert error(get(base, DOCS, "text/turtle")) == (406, "offered media types: application/sparql-results+json, "
                                                          "application/sparql-results+xml, text/csv, "
                                                          "text/tab-separated-values, text/html")
    assert error(get(base, IN_GRAPH, "text/csv"))[1].startswith("offered media types: text/turtle, application/n-triples")
    assert error(get(base, IN_GRAPH, None, format="csv"))[0] == 406


# --- the dataset --------------------------------------------------------------------------------------------------------

def n(resp) -> int:
    assert resp.status_code == 200, resp.text
    return int(bindings(resp.json())[0]["n"])


def test_default_graph_is_the_union_and_every_source_graph_is_named(app, base):
    assert n(get(base, COUNT)) == 7
    rows = bindings(get(base, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").json())
    assert {r["g"]: int(r["n"]) for r in rows} == app.extensions["kg92"].build.manifest["graphs"]


def test_protocol_dataset_parameters(base):
    assert n(get(base, COUNT, **{"default-graph-uri": K + "data1.rdf"})) == 1
    assert n(requests.get(f"{base}/sparql", params=[("query", COUNT), ("default-graph-uri", K + "data1.rdf"),
                                                    ("default-graph-uri", "http://example/addresses")], timeout=10)) == 3
    named = get(base, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": K + "data2.rdf"})
    assert bindings(named.json()) == [{"g": K + "data2.rdf"}]
    assert n(get(base, COUNT, **{"named-graph-uri": K + "data2.rdf"})) == 0        # default graph: none given
    assert error(get(base, COUNT, **{"default-graph-uri": "not an IRI"}))[0] == 400


def test_query_dataset_clauses_and_their_override(base):
    assert n(get(base, f"SELECT (COUNT(*) AS ?n) FROM <{K}data1.rdf> WHERE {{ ?s ?p ?o }}")) == 1
    assert n(get(base, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{K}data1.rdf> WHERE {{ ?s ?p ?o }}")) == 0
    override = get(base, f"SELECT ?s FROM <{K}data3.rdf> WHERE {{ ?s a <{FOAF}Document> }}",
                   **{"default-graph-uri": K + "data1.rdf"})
    assert bindings(override.json()) == [{"s": K + "data1.rdf"}]


# --- errors --------------------------------------------------------------------------------------------------------------

def test_syntax_error_gives_the_parser_message_and_position(base):
    status, detail = error(get(base, "SELECT * WHERE { ?s ?p }"))
    assert status == 400
    assert detail.startswith("SPARQL syntax error: error at 1:25: expected ")
    assert error(get(base, "SELECT * WHERE { ?s undeclared:p ?o }"))[0] == 400


def test_one_error_shape_rendered_by_negotiation(base):
    html = get(base, "SELECT * WHERE { ?s ?p }", "text/html")
    assert html.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>400 Bad Request</h1>" in html.text and "SPARQL syntax error: error at 1:25" in html.text
    text = get(base, "SELECT * WHERE { ?s ?p }", "text/plain")
    assert text.text.startswith("400 Bad Request\nSPARQL syntax error: error at 1:25")


def test_oversized_body_and_query(base):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
    for resp in (requests.post(f"{base}/sparql", data={"query": big}, timeout=10),
                 requests.post(f"{base}/sparql", data=big.encode(), headers={"Content-Type": "application/sparql-query"},
                               timeout=10)):
        assert error(resp) == (413, "the request body exceeds the limit of 4000 bytes")
    long = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1972
    assert error(get(base, long)) == (413, "the query has 2001 characters; the limit is 2000 (max_query_length)")
    assert get(base, long[:-1]).status_code == 200


@pytest.mark.parametrize(("method", "kwargs", "status", "detail"), [
    ("POST", {"data": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415,
     "POST a query as application/x-www-form-urlencoded (query=…) or as application/sparql-query; got text/plain"),
    ("POST", {"data": b"query=ASK%7B%7D"}, 415,
     "POST a query as application/x-www-form-urlencoded (query=…) or as application/sparql-query; got no Content-Type"),
    ("POST", {"data": "ASK {}".encode("utf-16"), "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}},
     415, "charset utf-16 is not supported: send the query as UTF-8"),
    ("POST", {"data": "ASK { FILTER(\"café\" != \"\") }".encode("latin-1"),
              "headers": {"Content-Type": "application/sparql-query"}}, 400, None),
    ("POST", {"params": {"query": "ASK {}"}, "data": b"ASK {}", "headers": {"Content-Type": "application/sparql-query"}},
     400, "give the query exactly once: not several 'query' parameters, nor both in the URL and the body"),
    ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400,
     "give the query exactly once: not several 'query' parameters, nor both in the URL and the body"),
    ("GET", {"params": {"default-graph-uri": K + "data1.rdf"}}, 400,
     "missing 'query' parameter (GET ?query=…, POST form query=…, or POST application/sparql-query)"),
    ("POST", {"data": b"", "headers": {"Content-Type": "application/sparql-query"}}, 400, "the query is empty"),
    ("GET", {"params": {"query": "ASK { FILTER(\"\\xff\") }"}, "headers": {}}, 400, None),
])
def test_protocol_errors(base, method, kwargs, status, detail):
    resp = requests.request(method, f"{base}/sparql", timeout=10, **kwargs)
    assert resp.status_code == status, resp.text
    if detail is not None:
        assert resp.json() == {"error": {"status": status, "title": resp.json()["error"]["title"], "detail": detail}}


def test_other_methods_are_not_allowed(base):
    resp = requests.put(f"{base}/sparql", params={"query": "ASK {}"}, timeout=10)
    assert resp.status_code == 405
    assert set(resp.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_non_utf8_percent_encoding_is_refused(base):
    resp = requests.get(f"{base}/sparql?query=ASK%20%7B%7D%20%23%FF", timeout=10)
    assert resp.status_code == 400
    assert resp.json()["error"]["detail"].startswith("the URL parameters are not valid UTF-8 percent-encoding")


# --- HTTP caching, CORS, truncation -----------------------------------------------------------------------------------

def test_etag_304_and_the_response_cache(app, base):
    query = f"SELECT ?o WHERE {{ <{EX}fixture> ?p ?o }}"
    before = engine(app).cache.stats()
    first = get(base, query, SRJ)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = requests.get(f"{base}/sparql", params={"query": query}, headers={"Accept": SRJ, "If-None-Match": etag}, timeout=10)
    assert (again.status_code, again.content, again.headers["ETag"]) == (304, b"", etag)
    repeat = get(base, query, SRJ)     # the same request again: from the fast path, before Flask and the engine
    assert repeat.content == first.content and repeat.headers["ETag"] == etag
    assert repeat.headers["X-KG92-Cache"] == "hit"
    other = get(base, query, "text/csv")
    assert other.headers["ETag"] != etag
    # another spelling of an Accept header that negotiates the same format: same entry, same ETag
    spelled = get(base, query, "application/sparql-results+json;q=1.0, text/csv;q=0.5")
    assert spelled.headers["ETag"] == etag and spelled.content == first.content
    after = engine(app).cache.stats()
    assert (after["hits"] - before["hits"], after["misses"] - before["misses"]) == (1, 2)   # the spelled one hits


def test_cors_for_any_origin(base):
    resp = requests.get(f"{base}/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://yasgui.example"}, timeout=10)
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-KG92-Truncated" in resp.headers["Access-Control-Expose-Headers"]
    pre = requests.options(f"{base}/sparql", headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
                                                      "Access-Control-Request-Headers": "content-type, accept"}, timeout=10)
    assert pre.status_code == 200
    assert (pre.headers["Access-Control-Allow-Origin"], pre.headers["Access-Control-Allow-Methods"],
            pre.headers["Access-Control-Allow-Headers"]) == ("*", "GET, HEAD, POST, OPTIONS", "content-type, accept")
    posted = requests.post(f"{base}/sparql", data={"query": "ASK {}"}, headers={"Origin": "https://x.example"}, timeout=10)
    assert posted.headers["Access-Control-Allow-Origin"] == "*"


def test_rows_are_capped_and_truncation_is_signalled(base):
    resp = get(base, "SELECT * WHERE { ?s ?p ?o }", SRJ)
    assert len(resp.json()["results"]["bindings"]) == 5
    assert (resp.headers["X-KG92-Rows"], resp.headers["X-KG92-Truncated"], resp.headers["X-KG92-Max-Rows"]) == ("5", "true", "5")
    html = get(base, "SELECT * WHERE { ?s ?p ?o }", "text/html")
    assert "<strong>Truncated:</strong> only the first 5 rows are shown (limit max_rows)." in html.text
    graph = get(base, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert (len(graph.text.splitlines()), graph.headers["X-KG92-Truncated"]) == (5, "true")
    assert get(base, DOCS).headers["X-KG92-Truncated"] == "false"


def test_head_answers_the_headers_only(base):
    resp = requests.head(f"{base}/sparql", params={"query": DOCS}, headers={"Accept": "text/csv"}, timeout=10)
    assert (resp.status_code, resp.headers["Content-Type"], resp.content) == (200, "text/csv; charset=utf-8", b"")


# --- service description, VoID, dumps ---------------------------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


def parse(body: bytes, fmt: ox.RdfFormat) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]


def objects(triples, s, p) -> list:
    return sorted((t.object for t in triples if t.subject == s and t.predicate == ox.NamedNode(p)), key=str)


def test_bare_get_is_the_service_description_or_the_query_form(app, base):
    resp = requests.get(f"{base}/sparql", headers={"Accept": "text/turtle"}, timeout=10)
    assert resp.headers["Content-Type"] == "text/turtle; charset=utf-8"
    triples = parse(resp.content, ox.RdfFormat.TURTLE)
    endpoint = ox.NamedNode(f"{base}/sparql")
    assert objects(triples, endpoint, SD + "endpoint") == [endpoint]
    assert objects(triples, endpoint, SD + "supportedLanguage") == [ox.NamedNode(SD + "SPARQL11Query")]
    assert objects(triples, endpoint, SD + "defaultDataset") == [ox.NamedNode("https://w3id.org/kg92/")]
    assert objects(triples, endpoint, SD + "feature") == [ox.NamedNode(SD + "UnionDefaultGraph")]
    assert objects(triples, endpoint, "http://www.w3.org/2000/01/rdf-schema#seeAlso") == [ox.NamedNode(f"{base}/.well-known/void")]
    names = {t.object.value for t in triples if t.predicate == ox.NamedNode(SD + "name")}
    assert names == set(app.extensions["kg92"].build.manifest["graphs"])
    assert len(objects(triples, endpoint, SD + "resultFormat")) == 10
    page = requests.get(f"{base}/sparql", headers={"Accept": "text/html"}, timeout=10)
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<textarea id="query" name="query"' in page.text and "GROUP BY ?class" in page.text
    jsonld = requests.get(f"{base}/sparql", params={"format": "jsonld"}, timeout=10)
    assert jsonld.headers["Content-Type"] == "application/ld+json; charset=utf-8"
    assert requests.get(f"{base}/sparql", headers={"Accept": SRJ}, timeout=10).status_code == 406


def test_void_statistics(app, base):
    resp = requests.get(f"{base}/.well-known/void", timeout=10)
    assert resp.headers["Content-Type"] == "text/turtle; charset=utf-8"
    triples = parse(resp.content, ox.RdfFormat.TURTLE)
    ds = ox.NamedNode("https://w3id.org/kg92/")

    def count(s, p):
        return [int(o.value) for o in objects(triples, s, VOID + p)]

    assert {p: count(ds, p) for p in ("triples", "entities", "classes", "properties", "distinctSubjects", "distinctObjects")} == {
        "triples": [7], "entities": [0], "classes": [2], "properties": [4], "distinctSubjects": [5], "distinctObjects": [5]}
    assert objects(triples, ds, VOID + "sparqlEndpoint") == [ox.NamedNode(f"{base}/sparql")]
    manifest = app.extensions["kg92"].build.manifest
    assert {s.value: count(s, "triples")[0] for s in objects(triples, ds, VOID + "subset")} == manifest["graphs"]
    dumps = {o.value for o in objects(triples, ds, VOID + "dataDump")}
    assert dumps == {f"{base}/dumps/{name}" for name in manifest["dumps"]}
    sums = {t.object.value for t in triples if t.predicate == ox.NamedNode("http://spdx.org/rdf/terms#checksumValue")}
    assert sums == {d["sha256"] for d in manifest["dumps"].values()}
    nt = requests.get(f"{base}/.well-known/void", headers={"Accept": "application/n-triples"}, timeout=10)
    assert len(parse(nt.content, ox.RdfFormat.N_TRIPLES)) == len(triples)


def test_dumps_index_in_html_and_json(app, base):
    build = app.extensions["kg92"].build
    index = requests.get(f"{base}/dumps/index.json", timeout=10).json()
    assert index == {"build": build.id, "sha256sums": f"{base}/dumps/SHA256SUMS", "dumps": [
        {"name": name, "url": f"{base}/dumps/{name}", **info} for name, info in sorted(build.manifest["dumps"].items())]}
    assert requests.get(f"{base}/dumps/", headers={"Accept": "application/json"}, timeout=10).json() == index
    html = requests.get(f"{base}/dumps/", timeout=10).text
    for name, info in build.manifest["dumps"].items():
        assert f'<a href="{base}/dumps/{name}">{name}</a>' in html and info["sha256"] in html


def test_dump_files_match_their_checksums(app, base):
    build = app.extensions["kg92"].build
    dumps = build.manifest["dumps"]
    gz = requests.get(f"{base}/dumps/kg.nq.gz", timeout=10)
    assert (gz.headers["Content-Type"], gz.headers.get("Content-Encoding")) == ("application/gzip", None)
    assert hashlib.sha256(gz.content).hexdigest() == dumps["kg.nq.gz"]["sha256"]
    plain = requests.get(f"{base}/dumps/kg.nq", headers={"Accept-Encoding": "identity"}, timeout=10)
    assert (plain.headers["Content-Type"], plain.headers.get("Content-Encoding")) == ("application/n-quads; charset=utf-8", None)
    assert plain.content == (build.path / "kg.nq").read_bytes()
    assert hashlib.sha256(plain.content).hexdigest() == dumps["kg.nq"]["sha256"]
    encoded = requests.get(f"{base}/dumps/kg.ttl", headers={"Accept-Encoding": "gzip"}, stream=True, timeout=10)
    raw = encoded.raw.read()
    assert (encoded.headers["Content-Encoding"], encoded.headers["Vary"]) == ("gzip", "Accept-Encoding")
    assert hashlib.sha256(gzip.decompress(raw)).hexdigest() == dumps["kg.ttl"]["sha256"]
    sums = requests.get(f"{base}/dumps/SHA256SUMS", timeout=10).text
    assert sums == "".join(f"{v['sha256']}  {k}\n" for k, v in sorted(dumps.items()))
    assert requests.get(f"{base}/dumps/kg.nq.gz", headers={"If-None-Match": f'"{dumps["kg.nq.gz"]["sha256"]}"'},
                        timeout=10).status_code == 304
    assert requests.get(f"{base}/dumps/manifest.json", timeout=10).status_code == 404
    assert requests.get(f"{base}/dumps/..%2Fmanifest.json", timeout=10).status_code == 404


# --- the API for other blueprints ---------------------------------------------------------------------------------------

def test_run_query_binds_typed_substitutions(app):
    with app.app_context():
        out = run_query(app, f"SELECT ?s ?o WHERE {{ ?s <{FOAF}givenName> ?o }}",
                        substitutions={"s": ox.NamedNode("http://example/president25")}, fmt="csv")
        assert (out.status, out.media_type, out.body, out.rows, out.truncated) == (200, "text/csv", b"s,o\r\nhttp://example/president25,Bill\r\n", 1, False)
        ask = run_query(app, f"ASK {{ ?s <{FOAF}givenName> ?o }}", substitutions={"o": ox.Literal("William")})
        assert json.loads(ask.body) == {"head": {}, "boolean": False}
        with pytest.raises(ApiError) as refused:
            run_query(app, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        assert refused.value.status == 403
        with pytest.raises(ApiError) as not_acceptable:
            run_query(app, "SELECT * WHERE { ?s ?p ?o }", fmt="ttl")
        assert not_acceptable.value.status == 406


# --- the real build (made by `make build`; no exact counts: they change with the data) -----------------------------

def test_void_of_the_real_build_agrees_with_its_manifest(client, real_app):
    resp = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200
    triples = parse(resp.data, ox.RdfFormat.N_TRIPLES)
    ds, manifest = ox.NamedNode("https://w3id.org/kg92/"), real_app.extensions["kg92"].build.manifest
    subsets = {s.value: int(objects(triples, s, VOID + "triples")[0].value) for s in objects(triples, ds, VOID + "subset")}
    assert subsets == manifest["graphs"]
    assert [int(o.value) for o in objects(triples, ds, VOID + "triples")] == [manifest["triples"]]
    assert int(objects(triples, ds, VOID + "entities")[0].value) > 0


PROV, DCT, SPDX = "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/", "http://spdx.org/rdf/terms#"
RDF_TYPE, DATETIME = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2001/XMLSchema#dateTime"


def test_void_describes_the_build_as_a_prov_activity(client, real_app):
    """The build that produced the data, read from its manifest: start and end, every input file it used with its
    SHA-256, and the kg92 version that ran it."""
    from kg92 import __version__
    triples = parse(client.get("/.well-known/void", headers={"Accept": "application/n-triples"}).data,
                    ox.RdfFormat.N_TRIPLES)
    ds, manifest = ox.NamedNode("https://w3id.org/kg92/"), real_app.extensions["kg92"].build.manifest
    (build,) = objects(triples, ds, PROV + "wasGeneratedBy")
    assert objects(triples, build, RDF_TYPE) == [ox.NamedNode(PROV + "Activity")]
    assert objects(triples, build, DCT + "identifier") == [ox.Literal(manifest["release"])]
    stamp = ox.NamedNode(DATETIME)
    assert objects(triples, build, PROV + "startedAtTime") == [ox.Literal(manifest["started_at"], datatype=stamp)]
    assert objects(triples, build, PROV + "endedAtTime") == [ox.Literal(manifest["built_at"], datatype=stamp)]
    assert manifest["started_at"] <= manifest["built_at"]          # same format, same zone: comparable as text
    used = {}
    for entity in objects(triples, build, PROV + "used"):
        assert objects(triples, entity, RDF_TYPE) == [ox.NamedNode(PROV + "Entity")]
        (name,) = objects(triples, entity, DCT + "identifier")
        (checksum,) = objects(triples, entity, SPDX + "checksum")
        assert objects(triples, checksum, SPDX + "algorithm") == [ox.NamedNode(SPDX + "checksumAlgorithm_sha256")]
        (value,) = objects(triples, checksum, SPDX + "checksumValue")
        used[name.value] = value.value
    assert used == manifest["inputs"]
    assert {"ontology/kg92.ttl", "data/ttl/vocab.ttl", "shapes/core.ttl"} <= set(used)
    (agent,) = objects(triples, build, PROV + "wasAssociatedWith")
    assert objects(triples, agent, RDF_TYPE) == [ox.NamedNode(PROV + "SoftwareAgent")]
    assert objects(triples, agent, "https://schema.org/name") == [ox.Literal("kg92")]
    assert objects(triples, agent, "https://schema.org/softwareVersion") == [ox.Literal(__version__)]
    assert ox.Literal(f"pyshacl {manifest['versions']['pyshacl']}") in objects(
        triples, agent, "https://schema.org/softwareRequirements")


def test_void_build_activity_of_a_manifest_without_inputs_or_timings(base):
    """A manifest with only built_at (the fixture's): the activity has its end, and no invented start or inputs."""
    triples = parse(requests.get(f"{base}/.well-known/void", timeout=10).content, ox.RdfFormat.TURTLE)
    (build,) = objects(triples, ox.NamedNode("https://w3id.org/kg92/"), PROV + "wasGeneratedBy")
    assert objects(triples, build, PROV + "endedAtTime") == [
        ox.Literal("2025-01-02T03:04:05+00:00", datatype=ox.NamedNode(DATETIME))]
    assert objects(triples, build, PROV + "startedAtTime") == objects(triples, build, PROV + "used") == []
    (agent,) = objects(triples, build, PROV + "wasAssociatedWith")
    assert objects(triples, agent, "https://schema.org/softwareVersion") == []
