"""formats.py: the negotiation tables (table-driven) and the serialisers, on exact bytes."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg92.formats import NotAcceptable, choose, solutions_json, term_json, write_solutions, write_triples

SRJ, SRX, CSV, TSV = "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize(("kind", "accept", "fmt", "expected"), [
    ("solutions", None, None, SRJ),                                  # no Accept: the table's default
    ("solutions", "", None, SRJ),
    ("solutions", "*/*", None, SRJ),
    ("solutions", "text/*", None, CSV),                              # first text/ type of the table
    ("solutions", f"{SRX};q=0.5, {SRJ};q=0.9", None, SRJ),         # q-values
    ("solutions", f"{SRX}, {SRJ};q=0.9", None, SRX),
    ("solutions", "text/csv; charset=utf-8", None, CSV),             # parameters are ignored for matching
    ("solutions", "application/json", None, SRJ),                    # alias → canonical type
    ("solutions", "application/xml", None, SRX),
    ("solutions", BROWSER, None, "text/html"),
    ("solutions", f"{TSV}", "json", SRJ),                            # format= wins over Accept
    ("solutions", None, "table", TSV),
    ("solutions", None, "text/csv", CSV),
    ("boolean", TSV, None, TSV),
    ("boolean", "*/*", None, SRJ),
    ("graph", None, None, "text/turtle"),
    ("graph", "*/*", None, "text/turtle"),
    ("graph", "application/rdf+xml", None, "application/rdf+xml"),
    ("graph", "application/n-triples;q=0.9, text/turtle;q=0.1", None, "application/n-triples"),
    ("graph", "application/json", None, "application/ld+json"),
    ("graph", "application/n-quads", None, "application/n-quads"),
    ("graph", BROWSER, None, "text/html"),
    ("graph", None, "xml", "application/rdf+xml"),
    ("graph", None, "trig", "application/trig"),
    ("graph", "text/csv", "nt", "application/n-triples"),
])
def test_choose_negotiates_by_table(kind, accept, fmt, expected):
    assert choose(kind, accept, fmt).media_type == expected


@pytest.mark.parametrize(("kind", "accept", "fmt", "offered"), [
    ("solutions", "text/turtle", None, [SRJ, SRX, CSV, TSV, "text/html"]),
    ("solutions", "image/png", None, [SRJ, SRX, CSV, TSV, "text/html"]),
    ("graph", "text/csv", None, ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
                                 "application/trig", "application/n-quads", "text/html"]),
    ("graph", None, "csv", ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
                            "application/trig", "application/n-quads", "text/html"]),
])
def test_choose_refuses_with_the_offered_types(kind, accept, fmt, offered):
    with pytest.raises(NotAcceptable) as info:
        choose(kind, accept, fmt)
    assert info.value.offered == offered
    assert str(info.value) == "offered media types: " + ", ".join(offered)


XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(("term", "expected"), [
    (ox.NamedNode("http://e/a"), {"type": "uri", "value": "http://e/a"}),
    (ox.BlankNode("b0"), {"type": "bnode", "value": "b0"}),
    (ox.Literal("x"), {"type": "literal", "value": "x"}),
    (ox.Literal("chat", language="fr"), {"type": "literal", "value": "chat", "xml:lang": "fr"}),
    (ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")), {"type": "literal", "value": "3", "datatype": XSD + "integer"}),
    (ox.Literal("x", language="ar", direction=ox.BaseDirection.RTL),
     {"type": "literal", "value": "x", "xml:lang": "ar", "its:dir": "rtl"}),
    (ox.Triple(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")),
     {"type": "triple", "value": {"subject": {"type": "uri", "value": "http://e/s"},
                                  "predicate": {"type": "uri", "value": "http://e/p"},
                                  "object": {"type": "literal", "value": "o"}}}),
])
def test_term_json(term, expected):
    assert term_json(term) == expected


@pytest.fixture()
def store():
    s = ox.Store()
    for i in range(5):
        s.add(ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("https://w3id.org/kg92/def#n"),
                      ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer"))))
    return s


Q = "SELECT ?s ?n ?unbound WHERE { ?s ?p ?n } ORDER BY ?n"


def test_solutions_json_caps_rows_and_says_so(store):
    body, rows, truncated = solutions_json(store.query(Q), 3)
    assert (rows, truncated) == (3, True)
    assert json.loads(body) == {"head": {"vars": ["s", "n", "unbound"]}, "results": {"bindings": [
        {"s": {"type": "uri", "value": f"http://e/s{i}"}, "n": {"type": "literal", "value": str(i), "datatype": XSD + "integer"}}
        for i in range(3)]}}
    assert solutions_json(store.query(Q), 5)[1:] == (5, False)


def test_other_result_formats_carry_the_same_capped_rows(store):
    csv = choose("solutions", "text/csv")
    assert write_solutions(store.query(Q), csv, 2) == (b"s,n,unbound\r\nhttp://e/s0,0,\r\nhttp://e/s1,1,\r\n", 2, True)
    tsv = choose("solutions", TSV)
    assert write_solutions(store.query(Q), tsv, 1)[0] == b"?s\t?n\t?unbound\n<http://e/s0>\t0\t\n"


def test_turtle_uses_the_project_prefixes_and_caps_triples(store):
    body, n, truncated = write_triples(store.query("CONSTRUCT WHERE { ?s ?p ?o }"), choose("graph", None), 4)
    assert (n, truncated) == (4, True)
    text = body.decode()
    assert "@prefix kg: <https://w3id.org/kg92/def#> ." in text
    assert len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) == 4
    assert " kg:n " in text
