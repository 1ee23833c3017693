"""The SPARQL tests' fixture itself (tests/support.py: make_build, make_app over the W3C protocol fixture)."""

from __future__ import annotations

from support import EX, SRJ, K, bindings, make_app, make_build


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
