"""Read-only and offline: updates and SERVICE are refused whatever the spelling, before pyoxigraph sees them; no
outbound connection is ever made (a local listener proves it); FROM clauses are never fetched; the store never
changes."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest
import requests
from rdflib.plugins.sparql.parser import parseQuery
from support import SRJ, Listener, bindings, live_server, make_app

from kg92.sparql.safety import NO_SERVICE, READ_ONLY, _walk, check, code_tokens


@pytest.fixture()
def listener():
    lst = Listener()
    yield lst
    lst.close()


U = "http://127.0.0.1:9/sparql"
SERVICE_SPELLINGS = {
    "plain": f"SELECT * WHERE {{ SERVICE <{U}> {{ ?s ?p ?o }} }}",
    "lower case": f"select * where {{ service <{U}> {{ ?s ?p ?o }} }}",
    "mixed case, silent": f"SELECT * WHERE {{ SeRvIcE SILENT <{U}> {{ ?s ?p ?o }} }}",
    "comments and newlines": f"SELECT * WHERE {{ # a comment\n SERVICE# another\n<{U}> {{ ?s ?p ?o }} }}",
    "tabs, no spaces": f"SELECT * WHERE {{\tSERVICE\t<{U}>{{?s ?p ?o}}}}",
    "variable endpoint": f"SELECT * WHERE {{ BIND(<{U}> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    "prefixed endpoint": "PREFIX e: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
    "relative endpoint with BASE": "BASE <http://127.0.0.1:9/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    "escaped IRI": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/\\u0073parql> { ?s ?p ?o } }",
    "sub-query": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{U}> {{ ?s ?p ?o }} }} }} }}",
    "inside EXISTS": f"ASK {{ FILTER EXISTS {{ SERVICE <{U}> {{ ?s ?p ?o }} }} }}",
    "inside MINUS": f"SELECT * WHERE {{ ?a ?b ?c MINUS {{ SERVICE <{U}> {{ ?a ?b ?c }} }} }}",
    "inside OPTIONAL and UNION": f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ OPTIONAL {{ SERVICE <{U}> {{ ?a ?b ?c }} }} }} }}",
    "CONSTRUCT": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{U}> {{ ?s ?p ?o }} }}",
    "DESCRIBE": f"DESCRIBE ?s WHERE {{ SERVICE <{U}> {{ ?s ?p ?o }} }}",
    "after a dot": f"SELECT * WHERE {{ ?s ?p ?o.SERVICE <{U}> {{ ?s ?p ?o }} }}",
    "after an escaped # in a name": f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ex:a\\#b ?o . SERVICE <{U}> {{ ?s ?p ?o }} }}",
    "after a string with quotes": f'SELECT * WHERE {{ ?s ?p "a \\" SERVICE" . SERVICE <{U}> {{ ?s ?p ?o }} }}',
    "syntax rdflib lacks (triple term)": f"SELECT * WHERE {{ SERVICE <{U}> {{ ?s ?p <<( ?a ?b ?c )>> }} }}",
}
HARMLESS = {
    "in a string": 'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }" }',
    "in a long string": "SELECT * WHERE { ?s ?p '''x '' SERVICE <http://x/> {}''' }",
    "in a comment": "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/> { }",
    "in an IRI": "SELECT * WHERE { ?s <http://e/SERVICE> ?o }",
    "a variable": "SELECT ?service WHERE { ?s ?p ?service }",
    "a prefixed name": "PREFIX service: <http://e/> SELECT * WHERE { ?s service:SERVICE ?o }",
}


@pytest.mark.parametrize("name", SERVICE_SPELLINGS)
def test_service_is_refused_whatever_the_spelling(name):
    assert check(SERVICE_SPELLINGS[name]).refusal == NO_SERVICE


@pytest.mark.parametrize("name", HARMLESS)
def test_the_word_service_elsewhere_is_not_a_service_call(name):
    verdict = check(HARMLESS[name])
    assert (verdict.refusal, verdict.form) == (None, "SELECT")


def test_both_analyses_find_service_on_their_own():
    nested = SERVICE_SPELLINGS["inside OPTIONAL and UNION"]
    names: set[str] = set()
    _walk(parseQuery(nested), names)                       # rdflib's parse tree
    assert "ServiceGraphPattern" in names
    assert "SERVICE" in code_tokens(SERVICE_SPELLINGS["syntax rdflib lacks (triple term)"]).split()   # the scan
    assert code_tokens('SELECT * { ?s <http://e/#x> "#no" } # SERVICE\nLIMIT 1').split() == [
        "SELECT", "*", "{", "?s", "<>", '""', "}", "LIMIT", "1"]


@pytest.mark.parametrize("text", [
    "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
    "PREFIX ex: <http://e/> DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL",
    "drop silent graph <http://e/g>",
    "WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "BASE <http://e/> PREFIX ex: <x#> CREATE GRAPH <g>",
    "PREFIX ex: <http://e/> DELETE WHERE { ?s ?p }",          # a malformed update is still an update
])
def test_updates_sent_as_queries_are_recognised(text):
    assert check(text).refusal == READ_ONLY


def test_query_dataset_clauses_are_seen():
    assert check("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }").has_dataset
    assert check("SELECT * FROM NAMED <http://e/g> WHERE { GRAPH ?g { ?s ?p ?o } }").has_dataset
    assert not check("SELECT ?from WHERE { ?s <http://e/from> ?from }").has_dataset


def test_pyoxigraph_never_fetches_from_graphs(listener, tmp_path):
    """The library fact the endpoint relies on: FROM / FROM NAMED only select graphs of the store."""
    secret = tmp_path / "secret.ttl"
    secret.write_text("<http://e/s> <http://e/p> <http://e/o> .\n")
    store = ox.Store()
    remote = f"http://127.0.0.1:{listener.port}/data.ttl"
    assert list(store.query(f"SELECT * FROM <{remote}> FROM NAMED <{remote}> WHERE {{ ?s ?p ?o }}")) == []
    assert list(store.query(f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}")) == []
    time.sleep(0.3)
    assert listener.received == []


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with live_server(make_app(tmp_path_factory.mktemp("safety"))) as base:
        yield base


def _count(base: str) -> int:
    resp = requests.get(f"{base}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                        headers={"Accept": SRJ}, timeout=10)
    return int(bindings(resp.json())[0]["n"])


def test_service_to_a_local_listener_never_connects(server, listener):
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    answers = [
        requests.get(f"{server}/sparql", params={"query": query}, timeout=10),
        requests.post(f"{server}/sparql", data={"query": query}, timeout=10),
        requests.post(f"{server}/sparql", data=query.encode(), headers={"Content-Type": "application/sparql-query"},
                      timeout=10),
        requests.get(f"{server}/sparql", params={"query": query.replace("SERVICE", "service SILENT")}, timeout=10),
    ]
    assert [(r.status_code, r.json()["error"]["detail"]) for r in answers] == [(403, NO_SERVICE)] * 4
    time.sleep(0.5)
    assert listener.received == []


def test_from_a_remote_or_local_file_reads_nothing(server, listener):
    remote = f"http://127.0.0.1:{listener.port}/data.ttl"
    for source in (remote, "file:///etc/passwd"):
        resp = requests.get(f"{server}/sparql", params={"query": f"SELECT * FROM <{source}> WHERE {{ ?s ?p ?o }}"},
                            headers={"Accept": SRJ}, timeout=10)
        assert (resp.status_code, resp.json()["results"]["bindings"]) == (200, [])
    time.sleep(0.3)
    assert listener.received == []


INSERT = "INSERT DATA { <http://e/canary> <http://e/p> \"must never be stored\" }"


@pytest.mark.parametrize(("method", "path", "kwargs"), [
    ("POST", "/sparql", {"data": {"update": INSERT}}),
    ("POST", "/sparql", {"data": INSERT.encode(), "headers": {"Content-Type": "application/sparql-update"}}),
    ("POST", "/update", {"data": INSERT.encode(), "headers": {"Content-Type": "application/sparql-update"}}),
    ("POST", "/", {"data": {"update": INSERT}}),
    ("POST", "/sparql/update", {"data": {"update": "LOAD <http://127.0.0.1:9/x.ttl>"}}),
    ("GET", "/sparql", {"params": {"update": INSERT}}),
    ("GET", "/sparql", {"params": {"query": INSERT}}),
    ("POST", "/sparql", {"data": {"query": "DROP ALL"}}),
    ("POST", "/sparql", {"data": {"query": "ASK {}", "update": "CLEAR ALL"}}),
])
def test_updates_are_refused_on_every_path_and_change_nothing(server, method, path, kwargs):
    before = _count(server)
    resp = requests.request(method, server + path, timeout=10, **kwargs)
    assert resp.status_code == 403, resp.text
    assert resp.json() == {"error": {"status": 403, "title": "Forbidden", "detail": READ_ONLY}}
    assert _count(server) == before == 7
