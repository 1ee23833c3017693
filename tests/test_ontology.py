"""The ontology: every term labelled and defined in French and English, documented at /ontology."""

from __future__ import annotations

import re

import pytest
import rdflib
import rdflib.compare
from conftest import ROOT
from rdflib import OWL, RDF, RDFS, SKOS

DEF = "https://w3id.org/kg92/def#"


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ROOT / "ontology" / "kg92.ttl")


def kg_terms(g: rdflib.Graph) -> list[rdflib.URIRef]:
    return sorted({s for s in g.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(DEF)})


def test_the_ontology_declares_the_expected_core_classes(onto):
    classes = {str(s)[len(DEF):] for s in onto.subjects(RDF.type, OWL.Class) if str(s).startswith(DEF)}
    assert {"Actor", "CandidateGroup", "Scheme", "Theme", "Stance", "Questionnaire", "Question", "Ask", "Answer",
            "Statement", "Commitment", "Claim", "Forecast", "Position", "Population", "Indicator", "Event",
            "Relationship", "SourceDocument"} <= classes


def test_every_term_has_french_and_english_labels_and_definitions(onto):
    terms = kg_terms(onto)
    assert len(terms) >= 60
    for term in terms:
        for prop in (RDFS.label, SKOS.definition):
            langs = sorted(o.language for o in onto.objects(term, prop))
            assert langs == ["en", "fr"], f"{term} {prop}: {langs}"
        assert (term, RDFS.isDefinedBy, rdflib.URIRef(DEF[:-1])) in onto, term


def test_every_term_specialises_or_is_typed_by_a_standard_term(onto):
    standard = ("http://www.w3.org/ns/org#", "https://schema.org/", "http://www.w3.org/2004/02/skos/core#",
                "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/", "http://www.w3.org/ns/oa#",
                "http://xmlns.com/foaf/0.1/", "http://www.w3.org/2000/01/rdf-schema#")
    for cls in onto.subjects(RDF.type, OWL.Class):
        parents = [str(p) for p in onto.transitive_objects(cls, RDFS.subClassOf) if p != cls]
        assert any(p.startswith(standard) for p in parents), f"{cls} extends no standard class"


def test_the_docs_page_lists_every_class_and_property(client, onto):
    html = client.get("/ontology").get_data(as_text=True)
    for term in kg_terms(onto):
        name = str(term)[len(DEF):]
        assert f'<section class="term" id="{name}">' in html, name
    assert html.count('<section class="term"') == len(kg_terms(onto))


def test_the_ontology_is_served_as_turtle_by_negotiation_and_suffix(client, onto):
    for resp in (client.get("/ontology", headers={"Accept": "text/turtle"}), client.get("/ontology.ttl")):
        assert resp.status_code == 200
        assert resp.content_type == "text/turtle; charset=utf-8"
        served = rdflib.Graph().parse(data=resp.get_data(as_text=True), format="turtle")
        assert rdflib.compare.isomorphic(served, onto)
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


def test_the_howto_page_shows_ten_tested_competency_questions(client):
    html = client.get("/ontology/howto").get_data(as_text=True)
    assert len(re.findall(r"<section id=\"\d\d-", html)) == 10
