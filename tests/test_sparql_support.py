"""Helpers of the SPARQL tests (imported by tests/test_sparql_*.py and tests/w3c_protocol.py): a build directory
made from the W3C protocol fixture (or any N-Quads), an application over it with small limits, a live server on
port 0. Plus the tests of the fixture itself."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from conftest import PROTOCOL_DATA
from werkzeug.serving import make_server

K = "http://kasei.us/2009/09/sparql/data/"
EX = "http://example.org/protocol-fixture#"
SRJ, SRX = "application/sparql-results+json", "application/sparql-results+xml"


def make_build(dest: Path, nq: bytes | None = None) -> Path:
    """A build directory as `kg92 build` writes it (store/, kg.nq, dumps/, manifest.json with conforms true)."""
    from kg92.build.dumps import write_dumps
    nq = nq if nq is not None else (PROTOCOL_DATA / "protocol.nq").read_bytes()
    dest.mkdir(parents=True)
    (dest / "kg.nq").write_bytes(nq)
    dumps = write_dumps(nq, dest / "dumps")
    store = ox.Store(str(dest / "store"))
    store.bulk_load(path=str(dest / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    quads = list(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
    graphs = Counter(q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode))
    manifest = {"input_hash": "test-fixture", "release": dest.name, "built_at": "2025-01-02T03:04:05+00:00",
                "conforms": True, "graphs": dict(sorted(graphs.items())), "triples": len(quads),
                "kg_nq_sha256": hashlib.sha256(nq).hexdigest(), "dumps": dumps, "validation": {}}
    (dest / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return dest


def make_app(tmp: Path, nq: bytes | None = None, **settings):
    """An application over a fixture build in ``tmp`` (no canned queries), with test-sized limits."""
    from kg92.web.app import create_app
    (tmp / "root" / "queries").mkdir(parents=True)
    build = make_build(tmp / "build", nq)
    conf = {"build_dir": str(build), "root": str(tmp / "root"), "query_timeout": 2.0, "query_workers": 2, **settings}
    app = create_app(conf)
    app.testing = True
    return app


@contextmanager
def live_server(app) -> Iterator[str]:
    """Serve ``app`` with a threaded werkzeug server on 127.0.0.1:0; yields the base URL."""
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.port}"
    finally:
        srv.shutdown()
        thread.join(10)
        app.extensions["kg92.sparql"].close()


def bindings(doc: dict) -> list[dict[str, str]]:
    """SPARQL JSON results → rows of {variable: value}."""
    return [{k: v["value"] for k, v in row.items()} for row in doc["results"]["bindings"]]


# --- the fixture itself -----------------------------------------------------------------------------------------------

def test_fixture_build_is_accepted_and_matches_its_manifest(tmp_path):
    from kg92.store import load_build
    build = load_build(make_build(tmp_path / "b"))
    assert build.manifest["graphs"] == {"http://example/addresses": 2, "http://example/people": 1,
                                        K + "data1.rdf": 1, K + "data2.rdf": 1, K + "data3.rdf": 1}
    assert build.manifest["triples"] == 7
    assert sorted(build.manifest["dumps"]) == ["kg.jsonld", "kg.jsonld.gz", "kg.nq", "kg.nq.gz", "kg.trig",
                                               "kg.trig.gz", "kg.ttl", "kg.ttl.gz"]


def test_fixture_app_answers_through_the_query_workers(tmp_path):
    app = make_app(tmp_path)
    try:
        resp = app.test_client().get("/sparql", query_string={"query": f"SELECT ?o WHERE {{ <{EX}fixture> ?p ?o }}"},
                                     headers={"Accept": SRJ})
        assert resp.status_code == 200, resp.data
        assert bindings(resp.get_json()) == [{"o": "protocol test fixture, default graph canary"}]
    finally:
        app.extensions["kg92.sparql"].close()
