"""The ontology page's view of the data (issue 16, item 7): controlled values with IRI and definition, counts per
class linked to the browse pages, the properties from other vocabularies per class, linked class names, the
build-time SVG diagram, and a howto without the maintainers' lines (kg92/build/ontostats.py, diagram.py, ontodoc.py)."""

from __future__ import annotations

import re

import pytest
import rdflib
from support import ROOT

from kg92.build import ontostats
from kg92.build.diagram import edges, svg
from kg92.build.ontodoc import terms

DEF = "https://w3id.org/kg92/def#"
ID = "https://w3id.org/kg92/id/"


@pytest.fixture(scope="module")
def stats(release_store) -> dict:
    return ontostats.compute(release_store)


@pytest.fixture()
def docs(client) -> str:
    return client.get("/ontology").get_data(as_text=True)


def section(html: str, name: str) -> str:
    return html.split(f'<section class="term" id="{name}">', 1)[1].split("</section>", 1)[0]


def test_every_controlled_value_with_its_iri_and_definition(stats, docs):
    by_scheme = {cs["iri"].removeprefix(ID): cs for cs in stats["controlled"]}
    assert sorted(by_scheme) == ["concept-scheme/actor-kinds", "concept-scheme/event-kinds",
                                 "concept-scheme/figure-qualifiers", "concept-scheme/indicators",
                                 "concept-scheme/relation-kinds", "concept-scheme/scheme-kinds",
                                 "concept-scheme/stances", "concept-scheme/themes", "concept-scheme/year-parts"]
    stances = by_scheme["concept-scheme/stances"]["concepts"]
    assert [c["iri"].removeprefix(ID) for c in stances] == ["stance/conditional", "stance/no-position",
                                                             "stance/opposes", "stance/supports"]
    assert stances[0]["label"] == {"fr": "conditionnel", "en": "conditional"}
    assert stances[0]["definition"]["fr"] == "Le groupe soutient sous une condition, écrite dans kg:condition."
    assert all(c["definition"].keys() == {"fr", "en"} for cs in stats["controlled"] for c in cs["concepts"])
    assert {k: len(by_scheme[k]["concepts"]) for k in ("concept-scheme/scheme-kinds", "concept-scheme/themes")} == {
        "concept-scheme/scheme-kinds": 13, "concept-scheme/themes": 19}
    values = docs.split('<section class="vocabulary" id="values-stances">', 1)[1].split("</section>", 1)[0]
    assert "<h3>Positions / <span lang=\"en\">Stances</span> (4)</h3>" in values
    assert values.count("<tr><td>") == 4
    assert ('<a href="/id/stance/conditional"><code>stance/conditional</code></a></td><td>conditionnel<br>'
            '<span lang="en">conditional</span></td><td>Le groupe soutient sous une condition') in values


def test_counts_per_class_link_the_browse_pages_that_list_them(stats, docs, client):
    counts = stats["counts"]
    assert counts[DEF + "Scheme"] == {"count": 212, "browse": [("/id/scheme/", "scheme", 212)]}
    assert counts[DEF + "Claim"] == {"count": 441, "browse": [("/id/statement/?type=kg:Claim", "statement", 441)]}
    assert counts[DEF + "Stance"]["count"] == 4
    assert "<dt>Ressources / resources</dt><dd>212 (<a href=\"/id/scheme/\">/id/scheme/</a>)</dd>" in section(docs, "Scheme")
    links = sorted({href for c in counts.values() for href, _, _ in c["browse"]})
    for href in links:       # every link lands on a browse page that has exactly that many resources
        resp = client.get(href.replace("/?", ".json?") if "?" in href else href[:-1] + ".json")
        assert resp.status_code == 200, href
    claims = client.get("/id/statement.json?type=kg:Claim").get_json()
    assert claims["total"] == 441


def test_outside_properties_per_class_come_from_the_data(stats, docs):
    quote = dict(((p, q), n) for p, q, n in stats["outside"]["http://www.w3.org/ns/oa#SpecificResource"])
    oa = "http://www.w3.org/ns/oa#"
    assert quote[(oa + "hasSource", None)] == quote[(oa + "hasSelector", oa + "exact")] == 675
    figure = {p for p, _, _ in stats["outside"]["http://qudt.org/schema/qudt/QuantityValue"]}
    assert "http://qudt.org/schema/qudt/value" in figure
    assert "<code>skos:prefLabel</code> (212)" in section(docs, "Scheme")
    assert "<code>oa:hasSelector / oa:exact</code> (675)" in docs and "<code>qudt:value</code>" in docs


def test_domain_and_range_name_classes_as_links(docs):
    table = docs.split('<div class="scroll" tabindex="0" id="connection-table">', 1)[1].split("</table>", 1)[0]
    assert '<tr><td><a href="#Position">kg:Position</a></td><td><a href="#heldBy">kg:heldBy</a></td><td>' \
           '<a href="#CandidateGroup">kg:CandidateGroup</a></td></tr>' in table
    assert "<td>kg:" not in table


def test_the_diagram_is_svg_drawn_by_the_build_linking_each_class():
    onto = terms(rdflib.Graph().parse(ROOT / "ontology" / "kg92.ttl"))
    links = edges(onto)
    assert links[("Position", "CandidateGroup")] == ["heldBy"] and ("Position", "Stance") in links
    drawing = svg(onto)
    names = sorted({n for pair in links for n in pair})
    assert drawing.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and drawing.count("<line ") == len(links)
    assert re.findall(r'<a href="#(\w+)">', drawing) == names
    assert "style=" not in drawing and "<script" not in drawing     # the CSP allows no inline style or script


def test_the_diagram_is_on_the_page(docs):
    assert '<h2 id="diagram">' in docs and docs.count("<svg ") == 1
    assert "<title>kg:Position → kg:heldBy → kg:CandidateGroup</title>" in docs


def test_the_howto_shows_no_maintainer_lines(client):
    html = client.get("/ontology/howto").get_data(as_text=True)
    assert "#+" not in html and "tests/" not in html and ".py" not in html
    assert len(re.findall(r"<section id=\"\d\d-", html)) == 10
    first = html.split("<pre tabindex=\"0\"><code>", 1)[1].split("</code>", 1)[0]
    assert first.startswith("PREFIX ")


def test_outside_properties_are_the_solutions_of_the_select(release_store):
    """The one-pass count gives OUTSIDE's solutions (the SELECT it replaced), class by class, on the real data; and
    on a store with the cases: a blank node with and without properties, a triple in two graphs, a kg: property."""
    import pyoxigraph as ox

    def by_select(store):
        out: dict = {}
        for r in ontostats._query(store, ontostats.OUTSIDE):
            if isinstance(r["class"], ox.NamedNode):
                out.setdefault(r["class"].value, []).append((r["p"].value, r["q"].value if r["q"] else None, int(r["n"].value)))
        return {c: sorted(v, key=lambda x: (-x[2], x[0], x[1] or "")) for c, v in sorted(out.items())}

    got = ontostats.outside_properties(release_store)
    assert got == by_select(release_store)
    assert len(got) == 51 and sum(len(v) for v in got.values()) == 216
    text = b"""<http://e.org/s1> a <http://e.org/C> ; <http://e.org/p> _:b1 , <http://e.org/o> ; <https://w3id.org/kg92/def#x> 1 .
_:b1 <http://e.org/q> 1 ; a <http://e.org/B> .
<http://e.org/s2> a <http://e.org/C> , <http://e.org/D> ; <http://e.org/p> _:b2 .
_:b2 a <http://e.org/B> .
_:b3 a <http://e.org/B> ; <http://e.org/q> "x" .
"""
    store = ox.Store()
    store.load(text, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://e.org/g1"))
    store.load(text, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://e.org/g2"))
    store.load(text, format=ox.RdfFormat.TURTLE)
    assert ontostats.outside_properties(store) == by_select(store)
