"""The remote store backend's guarantees (sparql/remote.py, sparql/remotepool.py), against a scripted engine on
127.0.0.1 (it answers, hangs, fails or lies as each test says) and the session's real Oxigraph server: refusals
before anything is forwarded, the deadline on our side, the engine's failures as 503, the build check."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pyoxigraph as ox
import pytest
from support import make_build

from kg92.sparql import remote
from kg92.sparql.job import Job, execute
from kg92.sparql.remotepool import RemotePool

TRUE = json.dumps({"head": {}, "boolean": True}).encode()


class Engine:
    """A scripted SPARQL endpoint: ``answer(fields) → (status, content type, body)`` or sleeps; records the forms."""

    def __init__(self):
        self.forms: list[list[tuple[str, str]]] = []
        self.answer = lambda fields: (200, "application/sparql-results+json", TRUE)
        engine = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                fields = parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode())
                engine.forms.append(fields)
                status, media, body = engine.answer(fields)
                self.send_response(status)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/query"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def engine():
    e = Engine()
    yield e
    e.close()


def store(url: str, **kw) -> remote.RemoteStore:
    return remote.RemoteStore(url, ["http://example.org/g"], kw.pop("timeout", 2.0), **kw)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "ASK { { SELECT * WHERE { service <http://example.org/x> { ?s ?p ?o } } } }",
    "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }",
    "LOAD <http://example.org/data.ttl>",
    "DROP ALL",
])
def test_service_updates_and_load_are_refused_before_anything_is_forwarded(engine, text):
    outcome = execute(store(engine.url), Job(text))
    assert outcome.status == 403 and ("SERVICE" in outcome.detail or "read-only" in outcome.detail)
    assert engine.forms == []


def test_a_syntax_error_is_the_embedded_parsers_and_is_not_forwarded(engine):
    outcome = execute(store(engine.url), Job("SELECT ?x WHERE { ?x ?y }"))
    assert outcome.status == 400 and outcome.detail.startswith("SPARQL syntax error:")
    assert engine.forms == []


def test_an_engine_pragma_is_not_standard_sparql_and_is_not_forwarded(engine):
    outcome = execute(store(engine.url), Job('DEFINE get:soft "replace" SELECT * FROM <http://e/> WHERE { ?s ?p ?o }'))
    assert outcome.status in (400, 403) and engine.forms == []


def test_the_query_gets_the_builds_graphs_as_its_dataset_and_the_timeout_parameter(engine):
    outcome = execute(store(engine.url, timeout_param="timeout"), Job("ASK { ?s ?p ?o }"))
    assert outcome.status == 200 and outcome.body == TRUE.replace(b'{"head": {}, "boolean": true}', b'{"head":{},"boolean":true}')
    fields = engine.forms[0]
    assert [v for k, v in fields if k == "default-graph-uri"] == ["http://example.org/g", remote.DEFAULT_GRAPH]
    assert [v for k, v in fields if k == "named-graph-uri"] == ["http://example.org/g"]
    assert 0 < int(dict(fields)["timeout"]) <= 2000


def test_substitutions_are_one_values_block_and_blank_nodes_skolem_iris(engine):
    job = Job("SELECT ?x WHERE { ?x ?p ?o }", substitutions=(("o", ox.BlankNode("b1")), ("p", ox.NamedNode("http://e/p"))))
    engine.answer = lambda fields: (200, "application/sparql-results+json", json.dumps(
        {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": remote.GENID + "b2"}}]}}).encode())
    outcome = execute(store(engine.url), job)
    assert json.loads(outcome.body)["results"]["bindings"] == [{"x": {"type": "bnode", "value": "b2"}}]
    sent = dict(engine.forms[0])["query"]
    assert f"VALUES (?o ?p) {{ (<{remote.GENID}b1> <http://e/p>) }}" in sent


@pytest.mark.parametrize(("status", "media", "body", "detail"), [
    (500, "text/plain", b"boom", "answered HTTP 500"),
    (200, "application/sparql-results+json", b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": 1', "malformed"),
    (200, "application/sparql-results+json", b"<html>", "not valid"),
    (200, "text/html", b"<html></html>", "unexpected media type 'text/html'"),
])
def test_an_engine_failure_or_a_bad_answer_is_503(engine, status, media, body, detail):
    engine.answer = lambda fields: (status, media, body)
    outcome = execute(store(engine.url), Job("SELECT ?x WHERE { ?x ?p ?o }"))
    assert outcome.status == 503 and detail in outcome.detail, outcome


def test_an_engine_that_is_down_is_503_with_a_clear_message():
    from support import free_port
    outcome = execute(store(f"http://127.0.0.1:{free_port()}/query"), Job("ASK {}"))
    assert (outcome.status, outcome.detail) == (503, "the SPARQL engine behind this site cannot be reached; try again later")


def test_the_deadline_is_ours_and_other_queries_keep_flowing(engine):
    def answer(fields):
        if "slow" in dict(fields)["query"]:
            time.sleep(6)
        return 200, "application/sparql-results+json", TRUE
    engine.answer = answer
    pool = RemotePool(store(engine.url), 2)
    try:
        slow = threading.Thread(target=lambda: results.append(pool.run(Job("ASK { ?slow ?p ?o }"), 0.5)))
        results: list = []
        started = time.monotonic()
        slow.start()
        time.sleep(0.1)
        quick = pool.run(Job("ASK { ?s ?p ?o }"), 2.0)     # answered while the slow one waits
        assert quick.status == 200                    # while the slow one still waits for the engine
        slow.join(5)
        assert time.monotonic() - started < 4.0       # 503 at the deadline (0.5 s), not when the engine answers (6 s)
        assert results[0].status == 503 and "query_timeout" in results[0].detail
        assert pool.status()["abandoned"] == 1
    finally:
        pool.close()


def test_the_server_refuses_an_engine_that_holds_another_build(engine, tmp_path, caplog):
    record = {"head": {"vars": ["b"]}, "results": {"bindings": [{"b": {"type": "literal", "value": "0123456789abcdef"}}]}}
    nothing = {"head": {"vars": ["s", "p", "o", "g", "x", "cls"]}, "results": {"bindings": []}}
    engine.answer = lambda fields: (200, "application/sparql-results+json", json.dumps(
        record if remote.RECORD_GRAPH in dict(fields)["query"] else nothing).encode())
    from kg92.web.app import create_app
    (tmp_path / "root" / "queries").mkdir(parents=True)
    conf = {"build_dir": str(make_build(tmp_path / "build")), "root": str(tmp_path / "root"), "store_url": engine.url}
    with pytest.raises(RuntimeError, match="holds build 0123456789abcdef, not this server's build"):
        create_app(conf)
    assert remote.check_build(store(engine.url), type("B", (), {"id": "other"})(), allow_other=True).startswith(
        "the SPARQL engine at store_url holds build 0123456789abcdef")


def test_publish_records_the_build_and_deletes_the_graphs_the_new_one_has_not(tmp_path):
    import requests
    from support import PROTOCOL_DATA, oxigraph_server, publish_build

    from kg92.store import load_build
    nq = (PROTOCOL_DATA / "protocol.nq").read_bytes()
    first = load_build(make_build(tmp_path / "first", nq))
    kept = b"".join(line + b"\n" for line in nq.splitlines() if line.strip() and b"data3.rdf" not in line)
    second = load_build(make_build(tmp_path / "second", kept))
    with oxigraph_server(tmp_path / "oxigraph") as url:
        publish_build(url, first.path)
        assert remote.RemoteStore(url, [], 5.0).build_id() == first.id
        publish_build(url, second.path)
        assert remote.RemoteStore(url, [], 5.0).build_id() == second.id
        held = requests.post(url, data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
                             headers={"Accept": "application/sparql-results+json"}, timeout=10).json()
        assert sorted(b["g"]["value"] for b in held["results"]["bindings"]) == sorted(
            [*second.manifest["graphs"], remote.RECORD_GRAPH, remote.DEFAULT_GRAPH])
        assert "http://kasei.us/2009/09/sparql/data/data3.rdf" in first.manifest["graphs"]


def test_an_ask_answered_as_one_row_is_a_boolean_again(engine):
    """Virtuoso answers ASK with one row of ``__ASK_RETVAL`` (1 or 0) where JSON results are acceptable."""
    for value, expected in (("1", True), ("0", False)):
        engine.answer = lambda fields, v=value: (200, "application/sparql-results+json", json.dumps(
            {"head": {"vars": ["__ASK_RETVAL"]}, "results": {"bindings": [{"__ASK_RETVAL": {
                "type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": v}}]}}).encode())
        outcome = execute(store(engine.url), Job("ASK { ?s ?p ?o }"))
        assert (outcome.status, outcome.kind, json.loads(outcome.body)) == (200, "boolean", {"head": {}, "boolean": expected})
