"""Absolute URLs come from the configured public base, never from the request's Host (issue 12, item 10)."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from support import ROOT

from kg92.urls import public_base

EVIL = {"Host": "evil.example"}
RDF = {"text/turtle": "turtle", "application/ld+json": "json-ld"}
ABSOLUTE = [   # (path, Accept): every body that holds absolute URLs of this server
    ("/dumps/", "text/html"), ("/dumps/", "application/json"), ("/dumps/index.json", None),
    ("/.well-known/void", "text/turtle"), ("/.well-known/void", "application/ld+json"),
    ("/sparql", "text/turtle"), ("/api/openapi.json", None), ("/", "text/html"),
]


@pytest.mark.parametrize("settings, base", [
    ({"public_url": "", "host": "127.0.0.1", "port": 8000}, "http://127.0.0.1:8000"),
    ({"public_url": "", "host": "0.0.0.0", "port": 9000}, "http://127.0.0.1:9000"),
    ({"public_url": "", "host": "::", "port": 8000}, "http://127.0.0.1:8000"),
    ({"public_url": "", "host": "::1", "port": 8001}, "http://[::1]:8001"),
    ({"public_url": "", "host": "kg92.lan", "port": 80}, "http://kg92.lan:80"),
    ({"public_url": "https://kg92.example.org/", "host": "0.0.0.0", "port": 8000}, "https://kg92.example.org"),
    ({"public_url": "https://example.org/kg92", "host": "127.0.0.1", "port": 8000}, "https://example.org/kg92"),
])
def test_public_base(settings, base):
    assert public_base(settings) == base


@pytest.mark.parametrize("path, accept", ABSOLUTE)
def test_a_foreign_host_header_changes_nothing_in_a_body(client, path, accept):
    headers = {"Accept": accept} if accept else {}
    plain = client.get(path, headers=headers)
    evil = client.get(path, headers={**headers, **EVIL})
    assert (plain.status_code, evil.status_code) == (200, 200)
    assert "evil.example" not in evil.get_data(as_text=True)
    if plain.mimetype in RDF:   # the descriptions' blank nodes are labelled afresh per response: the same graph
        assert isomorphic(*(Graph().parse(data=r.get_data(as_text=True), format=RDF[plain.mimetype]) for r in (plain, evil)))
    else:
        assert evil.get_data() == plain.get_data()
    assert evil.headers.get("ETag") == plain.headers.get("ETag")
    assert "http://127.0.0.1:8000" in plain.get_data(as_text=True)   # the default public base: host and port


@pytest.fixture(scope="module")
def configured(tmp_path_factory):
    from kg92.web.app import create_app
    app = create_app({"build_dir": str(ROOT / "build"), "public_url": "https://kg92.example.org/"})
    app.testing = True
    return app.test_client()


def test_the_configured_public_url_is_the_base_of_every_absolute_url(configured, real_app):
    body = configured.get("/dumps/index.json", headers=EVIL).get_json()
    assert body["sha256sums"] == "https://kg92.example.org/dumps/SHA256SUMS"
    names = sorted(real_app.extensions["kg92"].build.manifest["dumps"])
    assert [(d["name"], d["url"]) for d in body["dumps"]] == [(n, f"https://kg92.example.org/dumps/{n}") for n in names]
    void = configured.get("/.well-known/void", headers={"Accept": "application/n-triples", **EVIL}).get_data(as_text=True)
    assert "<https://kg92.example.org/sparql>" in void and "evil.example" not in void
    assert configured.get("/api/openapi.json", headers=EVIL).get_json()["servers"] == [{"url": "https://kg92.example.org"}]


def test_the_host_header_is_used_only_when_trusted(tmp_path):
    from kg92.web.app import create_app
    app = create_app({"build_dir": str(ROOT / "build"), "trust_host_header": True})
    body = app.test_client().get("/dumps/index.json", headers={"Host": "kg92.proxy.example"}).get_json()
    assert body["sha256sums"] == "http://kg92.proxy.example/dumps/SHA256SUMS"


def test_a_relative_iri_in_a_query_resolves_against_the_public_base_not_the_host(client):
    query = {"query": "SELECT ?x WHERE { BIND(<rel> AS ?x) }"}
    resp = client.get("/sparql", query_string=query, headers={"Accept": "application/sparql-results+json", **EVIL})
    assert resp.get_json()["results"]["bindings"] == [{"x": {"type": "uri", "value": "http://127.0.0.1:8000/rel"}}]
