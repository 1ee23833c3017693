"""The values the application computes once, on first use, on its one Resources object (web/resources.py)."""

from __future__ import annotations

import threading

from kg92.build.search import load
from kg92.store import statistics
from kg92.web.resources import Resources, example_sparql, resources, search_index, statistics_of


def test_the_values_are_computed_once_and_shared(real_app):
    res = resources(real_app)
    assert statistics_of(real_app) is statistics_of(real_app) is res.statistics
    assert search_index(real_app) is real_app.extensions["kg92.search"]   # loaded at start-up, not on first use
    assert example_sparql(real_app) is res.example_sparql


def test_statistics_and_search_index_are_those_of_the_store(real_app):
    res = resources(real_app)
    stats = statistics_of(real_app)
    assert stats == statistics(res.store)
    assert stats["quads"] == len(res.store) == res.build.manifest["triples"]
    assert sorted(stats) == ["by_class", "by_property", "classes", "entities", "graphs", "objects", "properties",
                             "quads", "subjects"]
    assert search_index(real_app).entries == load(res.build.path)   # the build's search.sqlite (tests/web/test_search.py)


def test_a_value_is_computed_once_when_threads_ask_together(real_app):
    res = Resources(resources(real_app).settings, resources(real_app).build)
    calls = []
    start = threading.Barrier(8)

    def compute():
        calls.append(1)
        return object()

    got = []

    def ask():
        start.wait()
        got.append(res._once("probe", compute))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(calls) == 1 and len({id(x) for x in got}) == 1


def test_the_example_texts_fill_the_memo(client, real_app):
    names = [q["name"] for q in client.get("/queries.json").get_json()["queries"]]
    memo = example_sparql(real_app)
    assert {(n, "fr") for n in names} <= set(memo)


def test_each_test_gets_a_fresh_application(real_app, client):
    """The fixture's application is new: nothing computed, no query worker, no cached answer, whatever ran before
    (the suite's earlier tests fill all of these on the applications they were given)."""
    from kg92.web.resources import engine
    res = resources(real_app)
    assert {"statistics", "catalogue", "example_sparql"}.isdisjoint(vars(res))
    assert real_app.wsgi_app.cache.stats()["entries"] == 0                 # the fast path keeps nothing yet
    assert engine(real_app)._pool is None
    assert engine(real_app).cache.stats() == {"entries": 0, "bytes": 0, "hits": 0, "misses": 0}
    assert client.get("/sparql?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"}).status_code == 200
    assert engine(real_app)._pool is not None and engine(real_app).cache.stats()["entries"] == 1
