"""Labels in every language of the site (issue 17, item 6), on the real build: every statement, event, position,
relationship and figure measure in English; rdfs:label wherever there is a skos:prefLabel; one label per language;
the translation graphs only label things described elsewhere."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest
from support import ROOT, SOURCES

from kg92.build.entailment import with_labels

PROLOGUE = """PREFIX kg: <https://w3id.org/kg92/def#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX qudt: <http://qudt.org/schema/qudt/>
"""
GRAPH, ID = "https://w3id.org/kg92/graph/", "https://w3id.org/kg92/id/"
# the translations (labels-en) and the labels composed by tools/compose_labels.py (labels-composed)
LABEL_GRAPHS = ("labels-en", "labels-composed")


@pytest.fixture(scope="module")
def store(release_store) -> ox.Store:
    return release_store


def select(store: ox.Store, query: str) -> list[tuple]:
    return [tuple(t.value if t is not None else None for t in row)
            for row in store.query(PROLOGUE + query, use_default_graph_as_union=True)]


@pytest.mark.parametrize("cls, total", [("kg:Statement", 645), ("kg:Event", 62), ("kg:Position", 56),
                                        ("kg:Relationship", 105)])
def test_every_node_of_the_class_has_a_label_in_french_and_in_english(store, cls, total):
    got = select(store, f"""SELECT (COUNT(DISTINCT ?s) AS ?all) (COUNT(DISTINCT ?fr) AS ?withFr) (COUNT(DISTINCT ?en) AS ?withEn)
        WHERE {{ ?s a {cls} OPTIONAL {{ ?s rdfs:label ?l FILTER (LANG(?l) = "fr") BIND (?s AS ?fr) }}
                 OPTIONAL {{ ?s rdfs:label ?m FILTER (LANG(?m) = "en") BIND (?s AS ?en) }} }}""")
    assert got == [(str(total), str(total), str(total))]     # 100 % in both languages


def test_every_figure_measure_has_its_english_translation(store):
    got = select(store, """SELECT (COUNT(DISTINCT ?f) AS ?figures) (COUNT(DISTINCT ?fr) AS ?withFr) (COUNT(DISTINCT ?en) AS ?withEn)
        WHERE { ?f a qudt:QuantityValue OPTIONAL { ?f kg:measure ?l FILTER (LANG(?l) = "fr") BIND (?f AS ?fr) }
                OPTIONAL { ?f kg:measure ?m FILTER (LANG(?m) = "en") BIND (?f AS ?en) } }""")
    assert got == [("280", "280", "280")]


def test_no_resource_has_a_preflabel_and_no_rdfs_label(store):
    assert select(store, "SELECT ?s WHERE { ?s skos:prefLabel ?l FILTER NOT EXISTS { ?s rdfs:label ?m } }") == []
    # and each prefLabel is also an rdfs:label in the same graph (the entailment the build materialises)
    assert select(store, """SELECT ?s ?l WHERE { GRAPH ?g { ?s skos:prefLabel ?l }
                                                FILTER NOT EXISTS { GRAPH ?g { ?s rdfs:label ?l } } }""") == []


@pytest.mark.parametrize("prop", ["rdfs:label", "skos:prefLabel", "kg:measure"])
def test_at_most_one_label_per_language_per_resource_and_property(store, prop):
    assert select(store, f"""SELECT ?s ?lang (COUNT(DISTINCT ?l) AS ?n)
        WHERE {{ ?s {prop} ?l }} GROUP BY ?s (LANG(?l) AS ?lang) HAVING (COUNT(DISTINCT ?l) > 1)""") == []


@pytest.mark.parametrize("graph", LABEL_GRAPHS)
def test_every_subject_of_a_label_graph_is_typed_in_another_graph(store, graph):
    got = select(store, f"""SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?typed) AS ?typedElsewhere)
        WHERE {{ GRAPH <{GRAPH}{graph}> {{ ?s ?p ?o }}
                 OPTIONAL {{ GRAPH ?other {{ ?s a ?type }} FILTER (?other != <{GRAPH}{graph}>) BIND (?s AS ?typed) }} }}""")
    # labels-en: 727 labelled nodes (with the 8 question copies of 000) + 280 figures; labels-composed: 56 positions
    # (5 beyond the asks) + 93 relationships
    assert got == [{"labels-en": ("1007", "1007"), "labels-composed": ("149", "149")}[graph]]
    assert not store.query(f"ASK {{ GRAPH <{GRAPH}{graph}> {{ ?s a ?type }} }}")   # no types of their own


def test_the_label_graphs_hold_only_labels_in_their_languages(store):
    per = select(store, f"""SELECT ?g ?p ?lang (COUNT(*) AS ?n) WHERE {{
        VALUES ?g {{ <{GRAPH}labels-en> <{GRAPH}labels-composed> }} GRAPH ?g {{ ?s ?p ?o }} }}
        GROUP BY ?g ?p (LANG(?o) AS ?lang) ORDER BY ?g ?p ?lang""")
    rdfs, kg = "http://www.w3.org/2000/01/rdf-schema#label", "https://w3id.org/kg92/def#measure"
    # labels-en: 645 statements + 62 events + 12 relationships labelled in their document + 8 question copies = 727,
    # and 280 measures; labels-composed: 56 positions + 93 relationships without a label = 149 nodes, in French and
    # in English
    assert per == [(f"{GRAPH}labels-composed", rdfs, "en", "149"), (f"{GRAPH}labels-composed", rdfs, "fr", "149"),
                   (f"{GRAPH}labels-en", rdfs, "en", "727"), (f"{GRAPH}labels-en", kg, "en", "280")]


def test_the_composed_labels_are_what_the_data_gives():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "compose_labels.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, "data/ttl/labels-composed.ttl is up to date\n"), done.stderr


@pytest.mark.parametrize("lang, title", [
    ("fr", "Majorité départementale — conditionnel — soutenir et doter de moyens le dispositif Premières Heures"),
    ("en", "Departmental majority — conditional — support and resource the Premières Heures scheme")])
def test_a_position_page_is_titled_by_its_label_in_the_page_language(client, lang, title):
    body = client.get(f"/id/position/000-q6-soutenir-premieres-heures?lang={lang}").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in body and f"<title>{title} — kg92</title>" in body


@pytest.mark.parametrize("path, lang, title", [
    ("statement/001-q4-pdalhpd", "fr", "Oui au déploiement du plan PDALHPD"),
    ("statement/001-q4-pdalhpd", "en", "Yes to the roll-out of the PDALHPD plan"),
    ("scheme/rsa", "fr", "revenu de solidarité active"),              # the prefLabel, not a copy of it, comes first
    ("scheme/rsa", "en", "earned income supplement (RSA)"),
    ("event/002-adoption-siosms", "en", "Adoption of the 2018-2022 SIOSMS by the Département, in cooperation with the Yvelines")])
def test_pages_pick_the_label_of_the_page_language(client, path, lang, title):
    body = client.get(f"/id/{path}?lang={lang}").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in body


def test_the_entailment_adds_rdfs_label_in_the_same_graph_once():
    s, g1, g2 = ox.NamedNode("https://w3id.org/kg92/id/x"), ox.NamedNode(GRAPH + "a"), ox.NamedNode(GRAPH + "b")
    pref, label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    fr, en = ox.Literal("x", language="fr"), ox.Literal("x", language="en")
    quads = [ox.Quad(s, pref, fr, g1), ox.Quad(s, pref, en, g2), ox.Quad(s, label, en, g2)]   # the English one is there
    assert with_labels(quads) == [*quads, ox.Quad(s, label, fr, g1)]
    assert with_labels([]) == []


# ---------------------------------------------------------------- acronyms, and labels the sources do not print

def printed(text: str) -> bool:
    """``text`` appears in a source document (apostrophes and no-break spaces as typed here, case folded)."""
    norm = lambda t: t.replace("\u2019", "'").replace("\u00a0", " ").casefold()  # noqa: E731
    return any(norm(text) in norm(p.read_text(encoding="utf-8")) for p in SOURCES.glob("0*.txt"))


# acronyms that the sources print and that are the kg:acronym of the concept they name (issue 17 item 6), e.g.
# 002 "les CDCA des deux Départements", 003 "David Mbanza (EELV)", 004 "Points Conseil Budget du PIMMS d'Antony",
# 000 "la loi EGALIM", "les communes dites SRU"
ADDED_ACRONYMS = {"actor/cdca": "CDCA", "actor/etp": "ETP", "actor/afed-92": "AFED 92", "actor/eelv": "EELV",
                  "actor/ps": "PS", "actor/pimms-antony": "PIMMS", "scheme/loi-egalim": "EGALIM", "scheme/loi-sru": "SRU",
                  # the upper-case tokens of the sources re-read (third pass): 000 "structures d'insertion par l'activité
                  # économique (SIAE)", "des organismes HLM" (logement social), 000/002 "MNA", 002 "gestionnaire d’offre
                  # de services (GOS)", "personnes à mobilité réduite (PMR), des établissements recevant du public (ERP) et
                  # des installations ouvertes au public (IOP)", 003 "une économie sociale et solidaire", "l’ESS"
                  "population/siae": "SIAE", "scheme/logement-social": "HLM", "population/mineurs-non-accompagnes-ase": "MNA",
                  "population/gestionnaires-offre-de-service": "GOS", "population/pmr": "PMR", "population/erp": "ERP",
                  "population/iop": "IOP", "scheme/ess": "ESS"}
# the French labels that spell out an acronym the sources print alone (001 "la CAF, CNAV, CPAM", "dans les CCAS";
# 000 "logements PLAI"; 004 "les diagnostics à 360° et les PDALPD"): kg:labelPrinted false
NOT_PRINTED = {"actor/ccas": "CCAS", "actor/cnav": "CNAV", "actor/cpam": "CPAM", "scheme/plai": "PLAI", "scheme/pdalpd": "PDALPD"}


@pytest.mark.skipif(not SOURCES.is_dir(), reason="needs the source texts")
def test_every_added_acronym_is_printed_and_is_the_acronym_of_its_concept(store):
    values = " ".join(f"<{ID}{s}>" for s in ADDED_ACRONYMS)
    got = dict(select(store, "SELECT ?s ?a WHERE { ?s kg:acronym ?a VALUES ?s { " + values + " } }"))
    assert {k.replace(ID, ""): v for k, v in got.items()} == ADDED_ACRONYMS
    assert all(printed(a) for a in ADDED_ACRONYMS.values())


@pytest.mark.skipif(not SOURCES.is_dir(), reason="needs the source texts")
def test_labels_not_printed_are_marked_and_really_not_printed(store):
    got = select(store, "SELECT ?s ?fr ?a WHERE { ?s kg:labelPrinted false ; kg:acronym ?a ; skos:prefLabel ?fr FILTER (LANG(?fr) = 'fr') }")
    assert {s.replace(ID, ""): a for s, _, a in got} == NOT_PRINTED
    for s, fr, acronym in got:
        assert printed(acronym) and not printed(fr), s
    # the flag is only ever false (absent means printed)
    assert select(store, "SELECT ?s WHERE { ?s kg:labelPrinted ?v FILTER (?v != false) }") == []
