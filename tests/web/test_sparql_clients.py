"""Real SPARQL clients against a live server: SPARQLWrapper (JSON, XML, CSV; GET and POST), rdflib's SPARQLStore,
and the `kg92 query` command (POST /sparql with Accept through the app)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, POSTDIRECTLY, XML, SPARQLWrapper
from support import EX, K, live_server, make_app

FOAF = "http://xmlns.com/foaf/0.1/"
DOCS = f"SELECT ?g ?s WHERE {{ GRAPH ?g {{ ?s a <{FOAF}Document> }} }} ORDER BY ?g"
EXPECTED = [(K + f"data{i}.rdf", K + f"data{i}.rdf") for i in (1, 2, 3)]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("clients"))


@pytest.fixture(scope="module")
def endpoint(app):
    with live_server(app) as base:
        yield f"{base}/sparql"


def wrapper(endpoint: str, query: str, fmt: str, method=None) -> SPARQLWrapper:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    if method:
        sw.setMethod(POST)
        sw.setRequestMethod(method)
    return sw


@pytest.mark.parametrize("method", [None, "urlencoded", POSTDIRECTLY])
def test_sparqlwrapper_json(endpoint, method):
    result = wrapper(endpoint, DOCS, JSON, method).query().convert()
    assert [(b["g"]["value"], b["s"]["value"]) for b in result["results"]["bindings"]] == EXPECTED


def test_sparqlwrapper_xml(endpoint):
    doc = wrapper(endpoint, DOCS, XML).query().convert()          # an xml.dom.minidom Document
    uris = [u.firstChild.data for u in doc.getElementsByTagName("uri")]
    assert list(zip(uris[::2], uris[1::2], strict=True)) == EXPECTED


def test_sparqlwrapper_csv(endpoint):
    body = wrapper(endpoint, DOCS, CSV).query().convert()
    assert body == ("g,s\r\n" + "".join(f"{g},{s}\r\n" for g, s in EXPECTED)).encode()


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")   # inside SPARQLWrapper
def test_sparqlwrapper_ask_and_construct(endpoint):
    assert wrapper(endpoint, f"ASK {{ <{EX}fixture> ?p ?o }}", JSON).query().convert() == {"head": {}, "boolean": True}
    sw = SPARQLWrapper(endpoint)
    sw.setQuery("CONSTRUCT WHERE { <http://example/president25> ?p ?o }")
    graph = sw.queryAndConvert()
    assert isinstance(graph, Graph)
    assert set(graph) == {(URIRef("http://example/president25"), URIRef(FOAF + "givenName"), Literal("Bill")),
                          (URIRef("http://example/president25"), URIRef(FOAF + "familyName"), Literal("McKinley")),
                          (URIRef("http://example/president25"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                           URIRef(FOAF + "Person"))}


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rdflib_sparqlstore(endpoint, method):
    store = SPARQLStore(endpoint, method=method)
    rows = [(str(r.g), str(r.s)) for r in store.query(DOCS)]
    assert rows == EXPECTED
    assert store.query(f"ASK {{ <{EX}fixture> ?p ?o }}").askAnswer is True
    graph = Graph(store=store)
    assert set(graph.triples((URIRef("http://example/president25"), URIRef(FOAF + "givenName"), None))) == {
        (URIRef("http://example/president25"), URIRef(FOAF + "givenName"), Literal("Bill"))}
    constructed = store.query(f"CONSTRUCT {{ ?s <http://e/in> ?g }} WHERE {{ GRAPH ?g {{ ?s a <{FOAF}Document> }} }}").graph
    assert {(str(s), str(o)) for s, _, o in constructed} == set(EXPECTED)


def test_kg92_query_command_goes_through_the_endpoint(app, tmp_path):
    build = app.extensions["kg92"].build.path
    env = {**os.environ, "KG92_BUILD_DIR": str(build), "KG92_ROOT": str(Path(build).parent / "root"),
           "KG92_QUERY_WORKERS": "1"}
    exe = Path(sys.executable).with_name("kg92")

    def kg92(*args):
        done = subprocess.run([str(exe), "query", *args], capture_output=True, env=env, cwd=tmp_path, timeout=120)
        return done.returncode, done.stdout.decode(), done.stderr.decode()

    code, out, err = kg92("--query", DOCS, "--format", "csv")
    assert (code, out) == (0, "g,s\r\n" + "".join(f"{g},{s}\r\n" for g, s in EXPECTED)), err
    assert kg92("--query", "ASK { ?s ?p ?o }")[:2] == (0, "true")
    code, out, err = kg92("--query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "--format", "json")
    assert code == 1 and out == "" and '"status": 403' in err
    code, out, err = kg92("--query", "SELECT * WHERE { ?s ?p }")
    assert code == 1 and out == "" and "SPARQL syntax error: error at 1:25" in err
