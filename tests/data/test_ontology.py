"""The ontology: every term labelled and defined in French and English, documented at /ontology."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import rdflib
import rdflib.compare
from rdflib import OWL, RDF, RDFS, SKOS
from support import ROOT

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


def test_the_docs_show_domain_includes_and_see_also():
    from kg92.build.ontodoc import render
    REPO = ROOT
    html = render(sorted((REPO / "ontology").glob("*.ttl")), REPO / "ontology" / "cq")["ontology.html"]
    onto = rdflib.Graph().parse(REPO / "ontology" / "kg92.ttl")
    sdo = rdflib.Namespace("https://schema.org/")
    with_includes = sorted({s for s in onto.subjects(sdo.domainIncludes, None)}, key=str)
    with_see_also = sorted({s for s, o in onto.subject_objects(rdflib.RDFS.seeAlso) if isinstance(o, rdflib.URIRef)}, key=str)
    assert with_includes and with_see_also
    for prop in with_includes:
        section = html.split(f'<section class="term" id="{str(prop)[len(DEF):]}">', 1)[1].split("</section>", 1)[0]
        assert "schema:domainIncludes" in section, prop
    for prop in with_see_also:
        section = html.split(f'<section class="term" id="{str(prop)[len(DEF):]}">', 1)[1].split("</section>", 1)[0]
        assert "Voir aussi / see also" in section, prop


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


# --- properties: labelled, defined, and specialising a standard term (or an explicit, justified exception) ------------

STANDARD = ("http://www.w3.org/ns/org#", "https://schema.org/", "http://www.w3.org/2004/02/skos/core#",
            "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/", "http://www.w3.org/ns/oa#",
            "http://xmlns.com/foaf/0.1/", "http://www.w3.org/2000/01/rdf-schema#", "http://qudt.org/schema/qudt/",
            "http://www.w3.org/ns/dcat#")

# No standard term means the same thing; each reason is written out in ontology/README.md ("Properties without a
# standard parent"), and the nearest standard term, where there is one, is given with rdfs:seeAlso.
NO_STANDARD_PARENT = {
    "agent": "end of a qualified relationship; rdf:subject needs rdf:Statement, prov:agent a prov:AgentInfluence",
    "target": "other end of the same relationship; rdf:object needs rdf:Statement",
    "stance": "no standard vocabulary for a political stance (schema:position is an ordinal)",
    "condition": "the condition of a conditional stance, in the source's words",
    "standsIn": "no candidacy property in ORG or schema.org",
    "implementedBy": "schema:provider fits services, not the plans and strategies this property also links",
    "figure": "qudt:quantityValue gives the value of a quantity; a statement is not a quantity",
    "counts": "schema:populationType belongs to schema:StatisticalVariable and takes a class",
    "indicator": "schema:variableMeasured belongs to datasets and observations",
    "asStated": "oa:exact belongs to oa:TextQuoteSelector",
    "socialAction": "an editorial flag of this project on themes",
    "labelPrinted": "an editorial flag of this project on a label (skos:editorialNote is free text, not a flag)",
    "qualifier": "no standard term says that a value is approximate, a bound or computed (QUDT has none)",
    "yearPart": "no standard term for a semester of a year (EDTF codes it, as a literal syntax, not a property)",
    "relativeDate": "the printed words of a relative date: no standard counterpart",
    "dateAnchor": "prov:wasDerivedFrom belongs to prov:Entity; events are prov:Activity",
    "dateUnanchored": "an editorial flag of this project on relative dates",
    "resolvedFromContext": "prov:qualifiedInfluence needs a prov:Influence, the influence of one entity on another",
    "referent": "the object end of a link resolved from context; rdf:object needs rdf:Statement",
}
SCHEMA = rdflib.Namespace("https://schema.org/")


def kg_properties(g: rdflib.Graph) -> list[rdflib.URIRef]:
    return sorted({s for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for s in g.subjects(RDF.type, kind)
                   if str(s).startswith(DEF)})


def test_every_property_is_labelled_defined_and_specialises_a_standard_term(onto):
    props = kg_properties(onto)
    assert len(props) >= 37
    without = set()
    for prop in props:
        for p in (RDFS.label, SKOS.definition):
            langs = sorted(o.language for o in onto.objects(prop, p))
            assert langs == ["en", "fr"], f"{prop} {p}: {langs}"
        parents = [str(o) for o in onto.transitive_objects(prop, RDFS.subPropertyOf) if o != prop]
        if not any(p.startswith(STANDARD) for p in parents):
            without.add(str(prop)[len(DEF):])
    assert without == set(NO_STANDARD_PARENT), "a property without a standard parent must be a listed exception, " \
                                               "and a listed exception must still lack one"


def test_the_exceptions_are_explained_in_the_modeling_note():
    note = (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")
    section = note.split("### Properties without a standard parent", 1)[1].split("**Domains and ranges.**", 1)[0]
    for name in NO_STANDARD_PARENT:
        assert f"| `kg:{name}` |" in section, name


def test_domains_ranges_and_include_lists_name_declared_classes(onto):
    for prop in kg_properties(onto):
        domains = list(onto.objects(prop, RDFS.domain))
        assert len(domains) <= 1, f"{prop}: several rdfs:domain mean their intersection"
        for o in domains + list(onto.objects(prop, RDFS.range)):
            assert isinstance(o, rdflib.URIRef), f"{prop}: the domain/range must be a named class (kgsh:DomainShape)"
        includes = list(onto.objects(prop, SCHEMA.domainIncludes))
        assert not (domains and includes), f"{prop}: rdfs:domain or schema:domainIncludes, not both"
        for o in includes + list(onto.objects(prop, SCHEMA.rangeIncludes)):
            if str(o).startswith(DEF):
                assert (o, RDF.type, OWL.Class) in onto, f"{prop}: {o} is not a class of the ontology"


# --- the modeling note cites only real things ----------------------------------------------------------------------

ID = "https://w3id.org/kg92/id/"


@pytest.fixture(scope="module")
def data() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in sorted((ROOT / "data" / "ttl").glob("*.ttl")):
        g.parse(path)
    return g


def readme() -> str:
    return (ROOT / "ontology" / "README.md").read_text(encoding="utf-8")


def iri_types(g: rdflib.Graph) -> set[str]:
    return {str(t)[len(ID):].split("/", 1)[0] for t in g.all_nodes()
            if isinstance(t, rdflib.URIRef) and str(t).startswith(ID)}


def test_every_iri_cited_in_the_modeling_note_exists_in_the_data(data):
    text, types = readme(), iri_types(data)
    cited = set(re.findall(r"https://w3id\.org/kg92/id/[^\s>`)\"',{]+", text))    # not the {type}/{slug} pattern
    short = re.findall(r"`(?:id/)?([a-z-]+/[a-z0-9-]+)`", text)       # `id/scheme/fsl`, `scheme/rsa`
    cited |= {ID + s for s in short if s.split("/")[0] in types}
    assert len(cited) > 30
    missing = sorted(i for i in cited if (rdflib.URIRef(i), RDF.type, None) not in data)
    assert not missing, f"ontology/README.md cites IRIs that data/ttl/ does not describe: {missing}"


def test_every_triple_of_the_modeling_note_examples_is_in_the_data(data):
    block = readme().split("```turtle\n", 1)[1].split("```", 1)[0]
    example = rdflib.Graph().parse(data=block, format="turtle")
    assert len(example) > 50
    absent = sorted(t for t in example if t not in data)
    assert not absent, f"examples of ontology/README.md not in data/ttl/: {absent}"


def test_the_modeling_note_lists_the_iri_types_in_use(data):
    sentence = readme().split("Types in use:", 1)[1].split(".\n", 1)[0]
    assert set(re.findall(r"`([a-z-]+)`", sentence)) == iri_types(data)


# --- the controlled vocabularies: bilingual labels and definitions ----------------------------------------------------

VOCABULARIES = ("stances", "themes", "scheme-kinds", "actor-kinds", "event-kinds", "relation-kinds", "indicators")


def test_every_controlled_vocabulary_concept_has_french_and_english_labels_and_definitions(data):
    vocab = rdflib.Graph().parse(ROOT / "data" / "ttl" / "vocab.ttl")
    concepts = set(vocab.subjects(RDF.type, SKOS.Concept))      # every concept described in vocab.ttl …
    for name in VOCABULARIES:                                    # … and every concept of its schemes, wherever described
        members = set(data.subjects(SKOS.inScheme, rdflib.URIRef(f"{ID}concept-scheme/{name}")))
        assert members, name
        concepts |= members
    assert len(concepts) >= 90
    for concept in sorted(concepts):
        for p in (SKOS.prefLabel, SKOS.definition):
            langs = sorted(o.language for o in data.objects(concept, p))
            assert langs == ["en", "fr"], f"{concept} {p}: {langs}"


# --- the Département's services and the PDALHPD plans (data/ttl/schemes.ttl, explained in ontology/README.md) -------

KG = rdflib.Namespace(DEF)
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
D92, D78 = rdflib.URIRef(ID + "actor/departement-92"), rdflib.URIRef(ID + "actor/departement-78")


def test_the_departements_services_and_allowances_are_implemented_by_it(data):
    # 002 §2.1.2 "les services de PMI des deux Départements"; §2.1.3.3 the two Départements "qui assurent les missions
    # de protection de l’enfance sur leur territoire"; 001 Q1 "services du département: services sociaux de territoire
    # et aide sociale à l’enfance"; 002 §2.1.5.1 "l’attribution et le financement de plusieurs prestations
    # individuelles" (APA, PCH); 000 Q2 "financement des allocations individuelles de solidarité (APA, RSA, PCH)";
    # 000 Q1 the FSL as an example of the "services et prestations du Département"
    expected = {"ase": {D92, D78}, "pmi": {D92, D78}, "apa": {D92}, "pch": {D92}, "rsa": {D92}, "fsl": {D92}}
    for slug, actors in expected.items():
        scheme = rdflib.URIRef(ID + "scheme/" + slug)
        assert set(data.objects(scheme, KG.implementedBy)) == actors, slug
        assert (scheme, KG.note, None) in data, f"{slug}: the note gives the passages"
    for slug in ("ase", "pmi"):
        assert (rdflib.URIRef(ID + "scheme/" + slug), KG.schemeKind, rdflib.URIRef(ID + "scheme-kind/service")) in data
    # the units of the organisation stay actors with org:unitOf; the MDPH is a partner, not a unit (002 l.433
    # "le Département, la MDPH et ses partenaires")
    assert set(data.objects(rdflib.URIRef(ID + "actor/pole-solidarites"), ORG.unitOf)) == {D92}
    assert set(data.objects(rdflib.URIRef(ID + "actor/sst"), ORG.unitOf)) == {rdflib.URIRef(ID + "actor/pole-solidarites")}
    assert not set(data.objects(rdflib.URIRef(ID + "actor/mdph"), ORG.unitOf))


def test_the_awaited_pdalhpd_succeeds_the_2014_2020_plan(data):
    # 000 question 4: "Le PDALHPD qui aurait dû succéder au PDALHPD 2014-2020 n'est toujours pas en place"
    def s(slug: str) -> rdflib.URIRef:
        return rdflib.URIRef(ID + "scheme/" + slug)
    succeeds = {(a, b) for a, b in data.subject_objects(KG.succeeds)
                if {a, b} & {s("pdalhpd"), s("pdalpd"), s("pdalhpd-2014-2020"), s("pdalhpd-nouveau")}}
    assert succeeds == {(s("pdalhpd"), s("pdalpd")), (s("pdalhpd-nouveau"), s("pdalhpd-2014-2020"))}
    for plan in ("pdalhpd-2014-2020", "pdalhpd-nouveau"):
        assert set(data.objects(s(plan), SKOS.broader)) == {s("pdalhpd")}, plan
        assert (s(plan), RDF.type, KG.Scheme) in data and (s(plan), KG.schemeKind, rdflib.URIRef(ID + "scheme-kind/plan")) in data
        assert {o.language for o in data.objects(s(plan), SKOS.prefLabel)} == {"fr", "en"}, plan


# --- the docs pages: the site header, and wide tables in scrolling containers -----------------------------------------

def header_links(html: str) -> list[str]:
    header = html.split('<header class="site">', 1)[1].split("</header>", 1)[0]
    return [h for h in re.findall(r'href="([^"{]*)', header) if h]      # not base.html's {{ other_lang_url }}


class _Tables(HTMLParser):
    """For every <table>: the classes and ids of the elements that enclose it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[dict[str, str]] = []
        self.tables: list[list[dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("meta", "link", "br", "input", "img", "hr", "col"):
            return
        if tag == "table":
            self.tables.append(list(self.stack))
        self.stack.append({"tag": tag, **{k: v or "" for k, v in attrs}})

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break


@pytest.mark.parametrize("path", ["/ontology", "/ontology/howto"])
def test_the_docs_pages_have_the_site_header(client, path):
    base = (ROOT / "src" / "kg92" / "templates" / "base.html").read_text(encoding="utf-8")
    site_nav = header_links(base)           # the brand, then the main navigation, in base.html's order
    assert site_nav == ["/", "/editor", "/queries", "/compare/stances", "/compare/citations", "/ontology", "/validation"]
    html = client.get(path).get_data(as_text=True)
    links = header_links(html)
    assert [h for h in links if not h.startswith("?")] == site_nav
    assert links[-2:] == ["?lang=fr", "?lang=en"]        # bilingual page: the links set the other pages' language
    assert 'hreflang="en"' in html and "bilingual page" in html
    assert '<form class="search" role="search" action="/search">' in html
    current = "page" if path == "/ontology" else "true"      # the how-to page is part of the ontology section
    assert f'<a href="/ontology" aria-current="{current}">' in html and html.count("aria-current") == 1
    assert '<main id="main">' in html and '<a class="skip" href="#main">' in html


def test_the_wide_tables_of_the_docs_scroll_inside_their_container(client):
    parser = _Tables()
    parser.feed(client.get("/ontology").get_data(as_text=True))
    # the prefixes, the nine controlled vocabularies (issue 16, item 7), the classes of other vocabularies, the domains
    vocabularies = ["actor-kinds", "event-kinds", "figure-qualifiers", "indicators", "relation-kinds", "scheme-kinds",
                    "stances", "themes", "year-parts"]
    assert len(parser.tables) == 12
    for ancestors in parser.tables:
        assert any(a["tag"] == "div" and "scroll" in a.get("class", "").split() for a in ancestors), ancestors
    assert [next(a["id"] for a in reversed(anc) if a.get("id")) for anc in parser.tables] == [
        "prefix-table", *(f"values-{v}-table" for v in vocabularies), "other-classes-table", "connection-table"]


def test_every_term_the_data_uses_is_documented(data):
    # every predicate and every class of data/ttl/ is named in ontology/README.md: as a CURIE (`schema:url`), or a
    # kg: term by its local name in the tables (`concerns`)
    from kg92.namespaces import PREFIXES
    text = readme()

    def curie(iri: str) -> str:
        prefix, ns = max(((p, n) for p, n in PREFIXES.items() if iri.startswith(n)), key=lambda pn: len(pn[1]))
        return f"{prefix}:{iri[len(ns):]}"

    used = {str(p) for p in data.predicates()} | {str(o) for o in data.objects(None, RDF.type)}
    undocumented = sorted(c for c in map(curie, used)
                          if f"`{c}`" not in text and c not in text.replace("`", " ").split()
                          and not (c.startswith("kg:") and f"`{c[3:]}`" in text))
    assert undocumented == []


def test_the_two_selector_trap_query_of_the_modeling_note_gives_its_row():
    import pyoxigraph as ox
    query = readme().split("## Traps, with a worked query", 1)[1].split("```sparql\n", 1)[1].split("```", 1)[0]
    store = ox.Store()
    for path in sorted((ROOT / "data" / "ttl").glob("*.ttl")):
        store.load(path=path, format=ox.RdfFormat.TURTLE)
    got = [(s["quote"].value[:32], s["start"].value, s["end"].value) for s in store.query(query)]
    assert got == [("Mettant en œuvre une péréquation", "58260", "58490")]
    # the natural one-node pattern finds nothing: the trap the note warns about
    trap = "PREFIX oa: <http://www.w3.org/ns/oa#> ASK { ?sel oa:exact ?q ; oa:start ?s }"
    assert not bool(store.query(trap))


def test_the_distinguished_rule_query_of_the_modeling_note_gives_its_rows():
    # the worked query under "The distinguished rule": 000's social-housing production, one indicator, told apart by
    # the place node of each figure
    import pyoxigraph as ox
    query = readme().split("*The distinguished rule*", 1)[1].split("```sparql\n", 1)[1].split("```", 1)[0]
    store = ox.Store()
    for path in sorted((ROOT / "data" / "ttl").glob("*.ttl")):
        store.load(path=path, format=ox.RdfFormat.TURTLE)
    short = lambda t: t.value.rsplit("/", 1)[1] if t is not None else None  # noqa: E731
    got = sorted(tuple(short(s[v]) for v in ("figure", "pop", "ind", "date", "place", "end")) for s in store.query(query))
    assert got == [(f"000-production-logements-sociaux-{w}-2019-2020", None, "evolution-production-logements-sociaux",
                    None, place, None) for w, place in (("92", "hauts-de-seine"), ("france", "france"),
                                                        ("idf", "ile-de-france"))]
