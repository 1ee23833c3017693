"""Linked-data conventions (issue 16, item 9): compacted JSON-LD with the published /context.jsonld, JSON-LD for
``Accept: application/json``, Turtle answers declaring only the prefixes they use (kg92/jsonld.py,
kg92/namespaces.py)."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest
from support import ROOT, make_app, rdf_triples

from kg92.jsonld import compact, context, expand_with
from kg92.namespaces import DEF, ID, PREFIXES, used_prefixes

XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]


def declared(body: str) -> list[str]:
    return re.findall(r"^@prefix (\w*): ", body, re.M)


def written(body: str) -> set[str]:
    """The prefixes the statements (not the declarations) use, as ``p:`` outside IRIs and strings."""
    statements = re.sub(r'"(?:[^"\\]|\\.)*"|<[^>]*>', "", re.sub(r"^@prefix .*\n", "", body, flags=re.M))
    return set(re.findall(r"(?<![\w:.-])(\w+):", statements)) - {"_"}   # _: starts a blank node


def test_the_published_context_is_the_build_s_and_cacheable(client):
    resp = client.get("/context.jsonld")
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "application/ld+json; charset=utf-8"
    assert resp.headers["Access-Control-Allow-Origin"] == "*" and resp.headers["Cache-Control"].startswith("public")
    ctx = resp.get_json()["@context"]
    assert resp.get_json() == json.loads((ROOT / "build" / "context.jsonld").read_text("utf-8"))
    # the 19 project prefixes and id:, then one term per kg: class (30) and property (36 object, 14 datatype)
    assert len(ctx) == 100 and ctx["id"] == ID and ctx["kg"] == DEF and ctx["skos"] == SKOS
    assert (ctx["Scheme"], ctx["acronym"]) == ("kg:Scheme", "kg:acronym")
    assert ctx["stance"] == {"@id": "kg:stance", "@type": "@id"}
    assert sum(isinstance(v, dict) for v in ctx.values()) == 36
    again = client.get("/context.jsonld", headers={"If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304


def test_a_release_without_the_context_file_gets_it_computed_at_start_up(tmp_path):
    from kg92.web.resources import engine
    app = make_app(tmp_path)          # a fixture release: no context.jsonld, no ontology graph
    try:
        assert not (tmp_path / "build" / "context.jsonld").exists()
        assert app.test_client().get("/context.jsonld").get_json() == {"@context": {"id": ID, **PREFIXES}}
    finally:
        engine(app).close()


def test_a_json_client_gets_the_compacted_json_ld_of_a_resource(client):
    resp = client.get("/id/scheme/rsa", headers={"Accept": "application/json"})
    assert resp.status_code == 200 and resp.mimetype == "application/ld+json"
    assert resp.headers["Content-Location"] == "/id/scheme/rsa.jsonld"
    doc = resp.get_json()
    assert doc["@context"] == "/context.jsonld"
    rsa = next(n for n in doc["@graph"] if n["@id"] == "id:scheme/rsa")
    assert rsa["@type"] == ["skos:Concept", "Scheme"]
    assert (rsa["acronym"], rsa["implementedBy"], rsa["schemeKind"]) == ("RSA", "id:actor/departement-92",
                                                                          "id:scheme-kind/allowance")
    assert {"@value": "revenu de solidarité active", "@language": "fr"} in rsa["skos:prefLabel"]
    assert rsa["skos:inScheme"] == {"@id": "id:concept-scheme/schemes"}
    # expanded with the context, the very triples of the N-Triples twin
    assert rdf_triples(resp.data, ox.RdfFormat.JSON_LD) == rdf_triples(client.get("/id/scheme/rsa.nt").data,
                                                                        ox.RdfFormat.N_TRIPLES)


def test_compaction_round_trips_every_kind_of_term():
    s, kg = ox.NamedNode(ID + "scheme/x"), lambda n: ox.NamedNode(DEF + n)
    triples = [
        ox.Triple(s, ox.NamedNode(PREFIXES["rdf"] + "type"), kg("Scheme")),
        ox.Triple(s, kg("stance"), ox.NamedNode(ID + "stance/supports")),              # typed @id: a string
        ox.Triple(s, kg("stance"), ox.Literal("plain")),                               # a string under it: {"@value"}
        ox.Triple(s, kg("acronym"), ox.Literal("X")),
        ox.Triple(s, kg("refDate"), ox.Literal("2021-06-20", datatype=ox.NamedNode(XSD + "date"))),
        ox.Triple(s, ox.NamedNode(SKOS + "prefLabel"), ox.Literal("x", language="fr")),
        ox.Triple(s, ox.NamedNode("urn:other:p"), ox.BlankNode("b1")),
        ox.Triple(ox.BlankNode("b1"), ox.NamedNode("http://example.org/p"), ox.NamedNode("http://example.org/o")),
    ]
    ctx = context(ox.parse(path=ROOT / "ontology" / "kg92.ttl", format=ox.RdfFormat.TURTLE))
    body = compact(triples, ctx)
    nodes = {n["@id"]: n for n in json.loads(body)["@graph"]}
    assert nodes["id:scheme/x"]["stance"] == [{"@value": "plain"}, "id:stance/supports"]   # in N-Triples order
    assert nodes["id:scheme/x"]["refDate"] == {"@value": "2021-06-20", "@type": "xsd:date"}
    assert nodes["_:b1"] == {"@id": "_:b1", "http://example.org/p": {"@id": "http://example.org/o"}}
    back = {ox.Triple(*(ox.BlankNode("b") if isinstance(x, ox.BlankNode) else x for x in t))
            for t in rdf_triples(expand_with(body, ctx), ox.RdfFormat.JSON_LD)}
    assert back == {ox.Triple(*(ox.BlankNode("b") if isinstance(x, ox.BlankNode) else x for x in t)) for t in triples}


@pytest.mark.parametrize("path", ["/id/scheme/rsa.ttl", "/id/quote/001-49-805.ttl", "/graph/vocab.ttl",
                                  "/ontology.ttl", "/id/document/000.ttl", "/.well-known/void"])
def test_turtle_answers_declare_only_the_prefixes_they_use(client, path):
    body = client.get(path, headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert declared(body) and set(declared(body)) == written(body), path


def test_the_prefixes_of_a_resource_and_of_a_construct_answer(client):
    assert declared(client.get("/id/scheme/rsa.ttl").get_data(as_text=True)) == ["rdfs", "skos", "kg"]
    query = "CONSTRUCT { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } WHERE { ?s a <" + DEF + \
            "Scheme> ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } LIMIT 3"
    resp = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/turtle"})
    assert resp.status_code == 200 and declared(resp.get_data(as_text=True)) == ["skos"]


def test_shorthand_literals_need_no_xsd_prefix():
    s, p = ox.NamedNode("https://schema.org/a"), ox.NamedNode("https://schema.org/p")
    short = [ox.Triple(s, p, ox.Literal(v, datatype=ox.NamedNode(XSD + d))) for v, d in
             (("3", "integer"), ("1.5", "decimal"), ("1e3", "double"), ("true", "boolean"), ("x", "string"))]
    assert list(used_prefixes(short)) == ["schema"]
    typed = short + [ox.Triple(s, p, ox.Literal("1", datatype=ox.NamedNode(XSD + "boolean")))]
    assert list(used_prefixes(typed)) == ["xsd", "schema"]
    assert used_prefixes([ox.Triple(ox.NamedNode("https://schema.org/a/b"), p, ox.Literal("x", language="fr"))]) == {
        "schema": "https://schema.org/"}
