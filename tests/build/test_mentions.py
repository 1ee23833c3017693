"""build/mentions.py: the build writes where each scheme and actor is mentioned to mentions.sqlite; read back, each
resource's documents are those its page's query gives on the store, and a page read from the file is byte for
byte the page that runs the query (a release written without the file)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from support import ROOT, real_build_app

from kg92.build import mentions
from kg92.web.labels import select
from kg92.web.resources import engine

ID = "https://w3id.org/kg92/id/"


def short(found):
    return [(d.value.rsplit("/", 1)[1], n, q.value.rsplit("/", 1)[1] if q else None) for d, n, q in found]


def test_every_scheme_and_actor_has_the_documents_of_its_query(release_store):
    index = mentions.open_index((ROOT / "build").resolve())
    assert index is not None
    nodes = {q.subject for c in mentions.CLASSES for q in release_store.quads_for_pattern(None, mentions.TYPE, ox.NamedNode(c), None)}
    assert len(nodes) == 354
    with_rows = 0
    for node in nodes:
        live = mentions.group(select(release_store, mentions.QUERY, this=node))
        assert index.documents(node) == live, node
        with_rows += bool(live)
    assert with_rows == 354
    assert short(index.documents(ox.NamedNode(ID + "scheme/rsa"))) == [
        ("000", 4, "000-7642-7910"), ("001", 2, "001-4186-4341"), ("002", 7, "002-35170-35382"), ("004", 2, "004-5617-5951")]
    assert short(index.documents(ox.NamedNode(ID + "actor/departement-92"))) == [
        ("000", 50, "000-926-1274"), ("001", 12, "001-936-1085"), ("002", 386, "002-0-124"), ("003", 20, "003-254-335"),
        ("004", 68, "004-130-253")]
    assert index.documents(ox.NamedNode(ID + "nothing-links-here")) == []


def test_compute_is_the_query_grouped(release_store):
    computed = mentions.compute(release_store)
    assert len(computed) == 354 and sum(len(v) for v in computed.values()) == 433
    for iri, found in computed.items():
        assert found == mentions.group(select(release_store, mentions.QUERY, this=ox.NamedNode(iri))), iri


def test_a_release_without_the_index_or_of_another_version_has_none(tmp_path):
    assert mentions.open_index(tmp_path) is None
    (tmp_path / mentions.FILE).write_bytes(b"not a database")
    assert mentions.open_index(tmp_path) is None
    mentions.write(tmp_path, {})
    assert mentions.open_index(tmp_path) is not None
    import sqlite3
    db = sqlite3.connect(tmp_path / mentions.FILE)
    db.execute("UPDATE meta SET value = 0 WHERE key = 'version'")
    db.commit()
    db.close()
    assert mentions.open_index(tmp_path) is None


@pytest.mark.parametrize("path", ["/id/scheme/rsa", "/id/actor/departement-92", "/id/scheme/siosms-autonomie?lang=en",
                                  "/id/group/groupe-001"])
def test_pages_read_from_the_index_are_the_pages_that_query(real_app, path):
    assert real_app.extensions["kg92.mentions"] is not None
    queried = real_build_app(page_cache_entries=0)
    queried.extensions["kg92.mentions"] = None      # as over a release written before mentions.sqlite
    try:
        a = real_app.test_client().get(path, headers={"Accept": "text/html"})
        b = queried.test_client().get(path, headers={"Accept": "text/html"})
    finally:
        engine(queried).close()
    assert a.status_code == b.status_code == 200
    assert a.get_data() == b.get_data()
    node = ox.NamedNode(ID + path.split("?")[0].removeprefix("/id/"))
    listed = real_app.extensions["kg92.mentions"].documents(node)
    body = a.get_data(as_text=True)
    assert listed and all(f'href="/id/document/{d.value.rsplit("/", 1)[1]}"' in body for d, _, _ in listed)



def test_a_hub_property_shows_its_count_and_its_first_resources_in_the_store_order(real_app, monkeypatch):
    """Over INCOMING_HUB links (none in the real data: 387 at most), a property is not read whole: the page shows
    its first INCOMING_CAP resources in the store's order, sorted by label, and how many more there are."""
    from kg92.web import describe
    from kg92.web.render import labels
    node = ox.NamedNode(ID + "actor/departement-92")
    store = real_app.extensions["kg92"].store
    stated = {q.subject for q in store.quads_for_pattern(None, ox.NamedNode("https://w3id.org/kg92/def#statedBy"), node, None)}
    assert len(stated) == 387
    with real_app.test_request_context("/"):
        from flask import g
        g.lang = "fr"
        whole = {r.prop.iri: r for r in describe.incoming(node, labels())}
        blank_only = ox.NamedNode(ID + "scheme/cooperation-internationale-92")   # kg:referent from blank nodes only
        whole_blank = {r.prop.iri for r in describe.incoming(blank_only, labels())}
        monkeypatch.setattr(describe, "INCOMING_HUB", 5)      # its 10 kg:referent links: a hub of blank nodes
        assert {r.prop.iri for r in describe.incoming(blank_only, labels())} == whole_blank
        monkeypatch.setattr(describe, "INCOMING_HUB", 10)
        hub = {r.prop.iri: r for r in describe.incoming(node, labels())}
        assert "https://w3id.org/kg92/def#referent" not in whole_blank
    assert set(whole) == set(hub)
    for key, row in hub.items():
        assert row.more + len(row.values) == whole[key].more + len(whole[key].values), key   # the same totals
    statedby = hub["https://w3id.org/kg92/def#statedBy"]
    assert len(statedby.values) == describe.INCOMING_CAP and statedby.more == 387 - describe.INCOMING_CAP
    assert {v.iri for v in statedby.values} <= {s.value for s in stated}
    shown = [v.text for v in statedby.values]
    assert shown == sorted(shown, key=str.casefold)
    assert whole["https://w3id.org/kg92/def#statedBy"].more == 387 - describe.INCOMING_CAP


def test_every_scheme_and_actor_has_the_events_of_its_query(release_store):
    index = mentions.open_index((ROOT / "build").resolve())
    computed = mentions.compute_events(release_store)
    assert len(computed) == 78 and sum(len(v) for v in computed.values()) == 146
    nodes = {q.subject for c in mentions.CLASSES for q in release_store.quads_for_pattern(None, mentions.TYPE, ox.NamedNode(c), None)}
    for node in nodes:
        live = mentions.group_events(select(release_store, mentions.EVENTS, this=node))
        assert computed.get(node.value, []) == live, node
        assert index.events(node, 1000) == (live, len(live)), node
    first, total = index.events(ox.NamedNode(ID + "actor/departement-92"), 3)
    assert total == 45
    assert [(e.value.rsplit("/", 1)[1], date, kind.value.rsplit("/", 1)[1], roles) for e, date, kind, roles in first] == [
        ("000-appels-a-projets-places-ase-2018-2020", None, "launch", ("participant",)),
        ("002-publication-question-de-famille", None, "publication", ("participant",)),
        ("002-salon-e-tonomy", None, "meeting", ("participant",))]


@pytest.mark.parametrize("indexed", [True, False])
def test_a_long_event_list_shows_its_first_events_and_how_many_more(real_app, monkeypatch, indexed):
    from kg92.web import mentions as page
    monkeypatch.setattr(page, "EVENTS_CAP", 5)       # the Département has 45 events; the cap is 100
    if not indexed:
        real_app.extensions["kg92.mentions"] = None
    body = real_app.test_client().get("/id/actor/departement-92", headers={"Accept": "text/html"}).get_data(as_text=True)
    events = body[body.index('id="h-events"'):body.index('id="h-research"')]
    assert events.count("<li>") == 5
    assert "… et 40 autres (voir l&#39;éditeur SPARQL)" in events
    from urllib.parse import unquote
    link = unquote(events[events.index('<li class="more"><a href="/editor?query=') + 40:].split('"', 1)[0])
    every = list(real_app.extensions["kg92"].store.query(link.replace("&amp;", "&"), use_default_graph_as_union=True))
    assert len(every) == 45 and len({r["event"] for r in every}) == 45   # the link's query lists them all



def test_the_index_on_edge_cases_is_the_query(tmp_path):
    """A resource of both classes, a quote without text before one with text, a blank-node linking resource with
    two predicates, a quote without a start, a blank-node quote in another graph, events with two dates, two kinds
    and both roles, a blank-node event with a blank-node kind: the index gives what the queries give."""
    KG, OA = "https://w3id.org/kg92/def#", "http://www.w3.org/ns/oa#"
    s = ox.Store()
    ttl = f"""
    @prefix kg: <{KG}> . @prefix oa: <{OA}> . @prefix id: <{ID}> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    id:both a kg:Scheme, kg:Actor .
    id:s2 a kg:Scheme .
    # quote without text first by position, then a quote with text
    id:x1 kg:concerns id:both ; kg:evidence id:qA, id:qB .
    id:qA oa:hasSource id:doc1 ; oa:hasSelector [ oa:start 5 ] .
    id:qB oa:hasSource id:doc1 ; oa:hasSelector [ oa:start 10 ], [ oa:exact "hello" ] .
    # blank-node linking resource, two predicates
    [] kg:concerns id:both ; kg:statedBy id:both ; kg:evidence id:qC .
    id:qC oa:hasSource id:doc2 ; oa:hasSelector [ oa:start 9 ; oa:exact "x" ] .
    id:qD oa:hasSource id:doc2 ; oa:hasSelector [ oa:start 10 ; oa:exact "y" ] .
    id:x3 kg:concerns id:both ; kg:evidence id:qD .
    # quote with no start
    id:x4 kg:concerns id:s2 ; kg:evidence id:qE . id:qE oa:hasSource id:doc1 ; oa:hasSelector [ oa:exact "z" ] .
    id:x5 kg:concerns id:s2 ; kg:evidence id:qF . id:qF oa:hasSource id:doc1 ; oa:hasSelector [ oa:start 1 ; oa:exact "w" ] .
    # events: several dates, kinds, both roles
    id:e1 a kg:Event ; kg:concerns id:both ; kg:participant id:both ; kg:refDate "2020-01-01"^^xsd:date, "2019-01-01"^^xsd:date ;
      kg:eventKind id:kb, id:ka .
    id:e2 a kg:Event ; kg:participant id:both ; kg:eventKind id:ka .
    """
    s.load(ttl.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:g1"))
    # a blank-node quote in another graph; a blank-node event; a blank-node kind
    ttl2 = f"""@prefix kg: <{KG}> . @prefix oa: <{OA}> . @prefix id: <{ID}> .
    id:x6 kg:concerns id:s2 ; kg:evidence [ oa:hasSource id:doc3 ; oa:hasSelector [ oa:start 3 ; oa:exact "b" ] ] .
    [] a kg:Event ; kg:concerns id:s2 ; kg:eventKind [ a kg:EventKind ] .
    id:x1 kg:concerns id:both .
    id:x7 kg:concerns id:both ; kg:evidence id:qG . id:qG oa:hasSelector [ oa:start 1 ; oa:exact "c" ] .
    """
    s.load(ttl2.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:g2"))
    # a blank-node document whose id sorts after "https://…" as text: SPARQL puts blank nodes before IRIs all the same
    s.add(ox.Quad(ox.NamedNode(ID + "qG"), ox.NamedNode(OA + "hasSource"), ox.BlankNode("zzz"), ox.NamedNode("urn:g2")))
    nodes = [ox.NamedNode(ID + "both"), ox.NamedNode(ID + "s2")]
    documents, events = mentions.compute(s), mentions.compute_events(s)
    mentions.write(tmp_path, documents, events)
    index = mentions.open_index(tmp_path)
    for node in nodes:
        live = mentions.group(select(s, mentions.QUERY, this=node))
        assert documents[node.value] == live and index.documents(node) == live, node
        live_events = mentions.group_events(select(s, mentions.EVENTS, this=node))
        assert events[node.value] == live_events and index.events(node, 100) == (live_events, len(live_events)), node
    both = index.documents(nodes[0])
    assert both[0] == (ox.BlankNode("zzz"), 1, ox.NamedNode(ID + "qG"))   # blank nodes sort first
    assert [(d.value.rsplit("/", 1)[1], n, q.value.rsplit("/", 1)[1]) for d, n, q in both[1:]] == [("doc1", 1, "qB"), ("doc2", 2, "qC")]
    blank_quote = index.documents(nodes[1])[-1]
    assert blank_quote[0].value == ID + "doc3" and isinstance(blank_quote[2], ox.BlankNode)
    assert any(isinstance(e, ox.BlankNode) and isinstance(kind, ox.BlankNode) for e, _, kind, _ in index.events(nodes[1], 100)[0])
    assert [roles for e, _, _, roles in index.events(nodes[0], 100)[0] if e.value == ID + "e1"] == [("concerns", "participant")]
