"""One real thing, one fact (issue 17, item 3): the nodes that two passages give for one event or one figure are
linked by kg:sameFactAs (symmetric, stated both ways), a step of an event is dcterms:isPartOf it, and the places the
questionnaire names are nodes. Exact rows, read from the build."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

ID = "https://w3id.org/kg92/id/"
PREFIXES = """PREFIX kg: <https://w3id.org/kg92/def#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


@pytest.fixture(scope="module")
def store(release_store) -> ox.Store:
    return release_store


def select(store: ox.Store, query: str) -> list[tuple[str | None, ...]]:
    solutions = store.query(PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [tuple((s[n].value.removeprefix(ID) if s[n] is not None else None) for n in names) for s in solutions]


def test_the_same_facts_are_linked_both_ways_and_nothing_else(store):
    # 000 "La réforme des services sociaux départementaux engagée en septembre 2019" and 002 "En 2019, … le
    # Département … s’est engagé dans un projet de réorganisation de ses services sociaux (Pôle Solidarités)": one
    # reform; 002 prints the Châtillon experiment's "210 rendez-vous d’ouverture des droits" and its "trois niveaux
    # d’accompagnement au numérique" twice (l.52-57, and again in the passage on Emmaüs Connect / WeTechCare, l.77
    # "3. Le troisième niveau d’accompagnement au numérique … 210 rendez-vous d’ouverture des droits")
    got = select(store, "SELECT ?a ?b WHERE { ?a kg:sameFactAs ?b } ORDER BY ?a ?b")
    pairs = [("event/000-reforme-services-sociaux-2019", "event/002-reorganisation-services-sociaux"),
             ("figure/002-chatillon-niveaux-accompagnement-numerique", "figure/002-chatillon-niveaux-accompagnement-numerique-emmaus"),
             ("figure/002-chatillon-rdv-ouverture-droits-2019", "figure/002-chatillon-rdv-ouverture-droits-2019-emmaus")]
    assert got == sorted(pairs + [(b, a) for a, b in pairs])


def test_the_twice_printed_figures_have_one_value_and_two_quotes(store):
    got = select(store, """SELECT ?f ?value ?quote WHERE { ?f kg:sameFactAs ?other ; qudt:value ?value ; kg:evidence ?quote }
                           ORDER BY ?f""")
    assert got == [
        ("figure/002-chatillon-niveaux-accompagnement-numerique", "3", "quote/002-7801-7991"),
        ("figure/002-chatillon-niveaux-accompagnement-numerique-emmaus", "3", "quote/002-11997-12145"),
        ("figure/002-chatillon-rdv-ouverture-droits-2019", "210", "quote/002-9148-9303"),
        ("figure/002-chatillon-rdv-ouverture-droits-2019-emmaus", "210", "quote/002-12834-12989")]
    quotes = dict(select(store, """SELECT ?f ?exact WHERE { ?f kg:sameFactAs ?o ; kg:evidence/oa:hasSelector/oa:exact ?exact
                                     FILTER (CONTAINS(STR(?f), "rdv")) }"""))
    assert all("Entre juin et décembre 2019, 210 rendez-vous d’ouverture des droits ont été réalisés" in q
               for q in quotes.values()), quotes


def test_the_adoption_of_the_new_organisation_is_part_of_the_2019_reform(store):
    # 002 "La nouvelle organisation du pôle Solidarités a été adoptée le 19 mars 2019": a step of the reorganisation
    # (same-fact with 000's reform), dated to the day; the reform itself is dated as printed (000 "septembre 2019",
    # 002 "En 2019")
    got = select(store, """SELECT ?e ?whole ?date WHERE { ?e a kg:Event ; kg:refDate ?date
                             OPTIONAL { ?e dcterms:isPartOf ?whole }
                             VALUES ?e { <https://w3id.org/kg92/id/event/000-reforme-services-sociaux-2019>
                                         <https://w3id.org/kg92/id/event/002-reorganisation-services-sociaux>
                                         <https://w3id.org/kg92/id/event/002-adoption-organisation-pole-solidarites> } }
                           ORDER BY ?e""")
    assert got == [("event/000-reforme-services-sociaux-2019", None, "2019-09"),
                   ("event/002-adoption-organisation-pole-solidarites", "event/002-reorganisation-services-sociaux", "2019-03-19"),
                   ("event/002-reorganisation-services-sociaux", None, "2019")]


def test_the_towns_of_question_6_are_places_of_both_copies(store):
    # question 6 "Plusieurs territoires des Hauts-de-Seine (ex : à Asnières, Antony, Colombes) se sont engagés dans la
    # candidature à l'habilitation Territoire Zéro Chômeur de Longue Durée": 000's copy and the questionnaire (001's
    # text) each name the three towns, in their quotes
    got = select(store, """SELECT ?q ?place WHERE { ?q dcterms:spatial ?place
                             VALUES ?q { <https://w3id.org/kg92/id/question/000-q6> <https://w3id.org/kg92/id/question/ccf92-2021-q6> } }
                           ORDER BY ?q ?place""")
    assert got == [(q, "place/" + t) for q in ("question/000-q6", "question/ccf92-2021-q6")
                   for t in ("antony", "asnieres", "colombes")]
    quotes = select(store, """SELECT ?q ?exact WHERE { ?q kg:evidence/oa:hasSelector/oa:exact ?exact
                               VALUES ?q { <https://w3id.org/kg92/id/question/000-q6> <https://w3id.org/kg92/id/question/ccf92-2021-q6> } }""")
    assert len(quotes) == 2 and all("(ex : à Asnières, Antony, Colombes)" in e for _, e in quotes), quotes


def test_a_copy_of_the_questionnaire_is_never_a_statement_of_a_group(store):
    # 000 prints each question before its answer (question/000-q1 … q8, kg:QuestionCopy): question text, so no
    # kg:statedBy, no stance, never a kg:Statement; 8 copies, each kg:copyOf its question
    got = select(store, """SELECT ?copy ?question WHERE { ?copy a kg:QuestionCopy ; kg:copyOf ?question
                             FILTER NOT EXISTS { ?copy kg:statedBy|kg:stance ?x } FILTER NOT EXISTS { ?copy a kg:Statement } }
                           ORDER BY ?copy""")
    assert got == [(f"question/000-q{n}", f"question/ccf92-2021-q{n}") for n in range(1, 9)]


def test_items_of_a_list_point_at_their_lead_in(store):
    # 000 §3 "… pour permettre de contractualiser autour de 3 axes principaux :" and its three axes; 000 §4 "Trois
    # exemples récents illustrent cette politique en faveur du développement du parc de logements très social dans les
    # Hauts-de-Seine :" and its Rueil-Malmaison, Meudon and Boulogne-Billancourt examples
    got = select(store, """SELECT ?item ?lead WHERE { ?item kg:listItemOf ?lead
                             VALUES ?lead { <https://w3id.org/kg92/id/statement/000-q3-travail-delegation-interministerielle>
                                            <https://w3id.org/kg92/id/statement/000-q4-exemples-logement-tres-social> } }
                           ORDER BY ?lead ?item""")
    assert got == [
        ("statement/000-q3-axe-1-jeunes", "statement/000-q3-travail-delegation-interministerielle"),
        ("statement/000-q3-axe-2-rsa-spie", "statement/000-q3-travail-delegation-interministerielle"),
        ("statement/000-q3-axe-3-travailleurs-sociaux", "statement/000-q3-travail-delegation-interministerielle"),
        ("statement/000-q4-exemple-boulogne-billancourt", "statement/000-q4-exemples-logement-tres-social"),
        ("statement/000-q4-exemple-meudon", "statement/000-q4-exemples-logement-tres-social"),
        ("statement/000-q4-exemple-rueil-malmaison", "statement/000-q4-exemples-logement-tres-social")]


def test_partnerships_point_at_the_scheme_they_serve(store):
    # 000 §6 "dans le cadre du déploiement du SPIE, service public de l'insertion et de l'emploi, pour lequel le
    # Département a candidaté avec l'agence interdépartementale ACTIVITY"; 002 "Un nouveau marché commun avec le
    # Département des Yvelines a été mis en œuvre …" (the PAM 92 of the section: the partnership and the statement)
    got = select(store, """SELECT ?x ?agent ?target ?scheme WHERE { ?x kg:concerns ?scheme
                             OPTIONAL { ?x kg:agent ?agent ; kg:target ?target }
                             VALUES ?x { <https://w3id.org/kg92/id/relationship/000-departement-92-partenaire-activity-spie>
                                         <https://w3id.org/kg92/id/relationship/002-departement-partenaire-yvelines-transport>
                                         <https://w3id.org/kg92/id/statement/002-pam-92-marche-commun> } }
                           ORDER BY ?x ?scheme""")
    assert got == [
        ("relationship/000-departement-92-partenaire-activity-spie", "actor/departement-92", "actor/activity", "scheme/spie"),
        ("relationship/002-departement-partenaire-yvelines-transport", "actor/departement-92", "actor/departement-78",
         "scheme/pam-92"),
        ("statement/002-pam-92-marche-commun", None, None, "scheme/clauses-sociales"),
        ("statement/002-pam-92-marche-commun", None, None, "scheme/pam-92")]
