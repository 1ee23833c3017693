"""Comparability of figures (issue 17, item 2): figures told apart by data, qualifiers where the quote qualifies a
figure, dates at the precision printed, relative dates resolved or marked unanchored."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

PREFIXES = """PREFIX kg: <https://w3id.org/kg92/def#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
"""
ID = "https://w3id.org/kg92/id/"


@pytest.fixture(scope="module")
def store(release_store) -> ox.Store:
    return release_store


def select(store: ox.Store, query: str) -> list[dict[str, str | None]]:
    solutions = store.query(PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in solutions]


def local(iri: str | None) -> str | None:
    return iri[len(ID):] if iri and iri.startswith(ID) else iri


# The words that qualify a printed figure, looked for around it in its quote (45 characters before, the printed form
# itself, 25 after: "7 % d'heures d'insertion minimum").
QUALIFIER_WORDS = {
    "approximate": r"environ|près de|près d’|de l'ordre de|de l’ordre de|(dizaine|quinzaine|vingtaine|trentaine|"
                   r"quarantaine|cinquantaine|centaine|millier)s?\b",
    "at-least": r"plus de|plus d’|plus d'|au moins|minimum",
    "at-most": r"moins de|moins d’|moins d'|jusqu'à|jusqu’à|maximum",
}
# 28 (figure, qualifier word) pairs, every one with its qualifier but one, a neighbour's word. Words that are not
# bounds have none: "seulement 275 places" (000 §5) is a restriction, not "at most"; ranges ("de 6 à 12 mois",
# "de 39 à 75%") have no word and carry at-least / at-most by their ends (test_the_qualified_figures).
CHECKED = 28
NOT_QUALIFYING = {
    # 000 §1 "recruter sur les 3 derniers mois une quarantaine de travailleurs sociaux": "une quarantaine" qualifies
    # the number of social workers (figure/000-travailleurs-sociaux-recrutes-3-mois), not the 3 months
    ("figure/000-periode-recrutement-travailleurs-sociaux", "approximate"),
}


def figures_and_quotes(store):
    return select(store, """
        SELECT ?f ?as ?quote (GROUP_CONCAT(STR(?q); separator=" ") AS ?quals) WHERE {
          ?f a qudt:QuantityValue ; kg:asStated ?as ; kg:evidence/oa:hasSelector/oa:exact ?quote .
          OPTIONAL { ?f kg:qualifier ?q } } GROUP BY ?f ?as ?quote ORDER BY ?f""")


def test_every_qualifier_word_around_a_figure_has_its_qualifier(store):
    missing, checked = [], 0
    for r in figures_and_quotes(store):
        at = r["quote"].find(r["as"])
        assert at >= 0, r["f"]
        window = r["quote"][max(0, at - 45):at + len(r["as"]) + 25]
        have = {local(q).split("/")[1] for q in (r["quals"] or "").split()}
        for qual, pattern in QUALIFIER_WORDS.items():
            if re.search(pattern, window):
                checked += 1
                if qual not in have and (local(r["f"]), qual) not in NOT_QUALIFYING:
                    missing.append((local(r["f"]), qual, window))
    assert (checked, missing) == (CHECKED, [])


def test_the_qualified_figures(store):
    got = select(store, """SELECT ?f ?q WHERE { ?f kg:qualifier ?q } ORDER BY ?q ?f""")
    by = {}
    for r in got:
        by.setdefault(local(r["q"]), []).append(local(r["f"]))
    # 002 l.1015 "un soutien global de plus d’1 million d’euros": a lower bound, no longer an exact 1 000 000
    assert "figure/002-ijs-soutien-global" in by["qualifier/at-least"]
    assert {k: len(v) for k, v in by.items()} == {
        "qualifier/approximate": 14, "qualifier/at-least": 14, "qualifier/at-most": 10, "qualifier/derived": 3}
    # the numbers the source does not print, each with its calculation
    assert by["qualifier/derived"] == ["figure/002-numero-departemental-amplitude-horaire",
                                       "figure/002-pole-social-chatillon-amplitude-horaire",
                                       "figure/002-rapt-part-reponse-adaptee"]
    assert select(store, "SELECT ?f WHERE { ?f kg:qualifier <https://w3id.org/kg92/id/qualifier/derived> "
                         "FILTER NOT EXISTS { ?f kg:calculation ?c } }") == []


def test_ordinals_are_not_figures(store):
    # "troisième pôle", "18ème saisine", "deuxième année consécutive", "4ème mois": ranks, not quantities
    got = select(store, """SELECT ?f WHERE { ?f a qudt:QuantityValue ; kg:asStated ?as
                           FILTER (REGEX(?as, "(ème|ième)( |$)")) }""")
    assert got == []


def test_no_day_precise_period_where_the_source_prints_a_semester(store):
    # 002 "Les travaux pourront démarrer au deuxième semestre 2020": the year and its semester, no invented days
    got = select(store, """SELECT ?date ?part WHERE {
        <https://w3id.org/kg92/id/statement/002-accessibilite-travaux-2020> kg:refDate ?date ; kg:yearPart ?part }""")
    assert got == [{"date": "2020", "part": ID + "year-part/semester-2"}]
    # and the seasons printed without days: 002 "au printemps 2019" (ViaTrajectoire), "à l'été 2018" (Emmaüs Connect);
    # 000 "à l'automne 2020" (the FSL's overhaul), "l'automne 2021" (the FAM for autistic adults)
    got = select(store, """SELECT ?x ?date ?code WHERE { ?x kg:yearPart ?part ; kg:refDate ?date .
        ?part <http://www.w3.org/2004/02/skos/core#notation> ?code FILTER (?code != "41") } ORDER BY ?x""")
    assert [(local(r["x"]), r["date"], r["code"]) for r in got] == [
        ("event/000-refonte-fsl-2020", "2020", "23"), ("event/002-debut-mission-emmaus-connect", "2018", "22"),
        ("event/002-mise-en-service-via-trajectoire", "2019", "21"), ("statement/000-q2-fam-adultes-autistes", "2021", "23"),
        ("statement/002-via-trajectoire", "2019", "21")]
    # no figure, statement or event has a day-precise date or period whose day is not printed in its quote: of the
    # 60 with a day, one exception
    rows = select(store, """SELECT DISTINCT ?x ?quote WHERE {
        ?x kg:evidence/oa:hasSelector/oa:exact ?quote .
        { ?x dcterms:temporal/(dcat:startDate|dcat:endDate) ?day } UNION { ?x kg:refDate ?day }
        FILTER (DATATYPE(?day) = <http://www.w3.org/2001/XMLSchema#date>) }""")
    months = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    unprinted = [local(r["x"]) for r in rows
                 if not re.search(rf"\b(1er|1<sup>er</sup>|\d{{1,2}}) ({months})|\d{{2}}/\d{{2}}/\d{{4}}", r["quote"])]
    # the one exception: the days are printed, in another passage of 002 (the E-Tonomy fair "les 9 et 10 octobre 2019",
    # its kg:note), not in the quote of the event that took place during the fair
    assert (len(rows), unprinted) == (60, ["event/002-publication-question-de-famille"])


def test_relative_dates_are_resolved_against_their_document_or_marked_unanchored(store):
    got = select(store, """SELECT ?x ?words ?date ?anchor ?unanchored WHERE { ?x kg:relativeDate ?words
        OPTIONAL { ?x kg:refDate ?date } OPTIONAL { ?x kg:dateAnchor ?anchor } OPTIONAL { ?x kg:dateUnanchored ?unanchored } }
        ORDER BY ?x""")
    assert [(local(r["x"]), r["words"], r["date"], local(r["anchor"]), r["unanchored"]) for r in got] == [
        ("event/000-lancement-pass-numerique", "depuis le début de l'année", "2021", "document/000", None),
        ("event/000-publication-rapport-cnle", "le 12 mai", None, None, "true"),
        ("event/000-signature-convention-irts", "en mars", "2021-03", "document/000", None),
        # 000 §1 "désormais recrutés sur la base d'un contrat de 3 ans (et non plus 1 an comme c'était le cas auparavant)"
        ("figure/000-duree-contrat-non-titulaires", "désormais", "2021", "document/000", None),
        ("figure/000-duree-contrat-non-titulaires-avant", "auparavant", None, None, "true"),
        # 000 §1 "qui ont permis de recruter sur les 3 derniers mois une quarantaine de travailleurs sociaux": the three
        # months before a writing date known only to lie between April and September 2021
        ("figure/000-travailleurs-sociaux-recrutes-3-mois", "sur les 3 derniers mois", None, None, "true"),
        # 001 Q2 "Actuellement 55% du budget…" and 003 §2 "Cette année l’excédent est retombé à 560 millions": the
        # corpus does not date 001 or 003 (only the elections they answer, whose date it does not print)
        ("figure/001-part-budget-social-actuelle", "Actuellement", None, None, "true"),
        # 002 (the report on 2019, written in the first half of 2020): "Actuellement, 4 ERP ont été traités", "9 CPOM
        # sont signés à ce jour", "ces derniers peuvent désormais télécharger", "Actuellement la régénération des
        # cacaoyers", "Aujourd’hui, ces produits … sont très bien valorisés"
        ("figure/002-accessibilite-erp-traites", "Actuellement", "2020", "document/002", None),
        ("figure/002-accessibilite-rayon-metres", "Actuellement", "2020", "document/002", None),
        ("figure/002-cpom-handicap-modes-accueil", "à ce jour", "2020", "document/002", None),
        ("figure/002-cpom-handicap-total", "à ce jour", "2020", "document/002", None),
        # 002 "au cours des 3 prochaines années": from the agency's creation (not dated there) or the report's writing
        ("figure/002-strategie-insertion-duree", "au cours des 3 prochaines années", None, None, "true"),
        ("figure/003-effort-crise-sanitaire", "Cette année", None, None, "true"),
        ("figure/003-excedent-cette-annee", "Cette année", None, None, "true"),
        # 004 "créées depuis la rentrée 2014": the start is printed (dcterms:temporal), the end (the date of 004) is not
        ("figure/004-classes-moins-trois-ans", "depuis la rentrée 2014", None, None, "true"),
        # 000 §2 "sera bien évidemment confirmée au cours de la prochaine mandature": the mandate after the 2021
        # elections, whose dates the corpus does not print
        ("statement/000-q2-confirmer-dynamique", "au cours de la prochaine mandature", None, None, "true"),
        ("statement/000-q3-contractualisation-septembre", "en septembre prochain", "2021-09", "document/000", None),
        # 000 §5 "Le projet de loi qui doit être présenté à l'Assemblée nationale en juillet": July 2021 or 2022
        ("statement/000-q5-projet-de-loi-hotel", "en juillet", None, None, "true"),
        ("statement/001-q2-part-budget-actuelle", "Actuellement", None, None, "true"),
        ("statement/002-accessibilite-erp-traites", "Actuellement", "2020", "document/002", None),
        ("statement/002-coop-haiti-regeneration", "Actuellement", "2020", "document/002", None),
        ("statement/002-cpom-handicap-total", "à ce jour", "2020", "document/002", None),
        ("statement/002-demarches-en-ligne-formulaires", "désormais", "2020", "document/002", None),
        ("statement/002-siem-reap-valorisation", "Aujourd’hui", "2020", "document/002", None),
        ("statement/003-q2-excedent-cette-annee", "Cette année", None, None, "true"),
        ("statement/004-scolarisation-precoce", "depuis la rentrée 2014", None, None, "true")]
    # the words are the quote's
    assert select(store, """SELECT ?x WHERE { ?x kg:relativeDate ?w ; kg:evidence/oa:hasSelector/oa:exact ?q
                            FILTER (!CONTAINS(?q, STR(?w))) }""") == []
    # the anchor: document 000's writing period, from what it prints (April 2021 study, "à l'automne 2021" ahead)
    assert select(store, """SELECT ?s ?e WHERE { <https://w3id.org/kg92/id/document/000> dcterms:temporal [ dcat:startDate ?s ; dcat:endDate ?e ] }""") == [{"s": "2021-04", "e": "2021-09"}]
    # document 002's: "La réflexion s’est poursuivie en 2020" (not before 2020), "Les travaux pourront démarrer au
    # deuxième semestre 2020" (before its second half)
    assert select(store, """SELECT ?s ?e WHERE { <https://w3id.org/kg92/id/document/002> dcterms:temporal [ dcat:startDate ?s ; dcat:endDate ?e ] }""") == [{"s": "2020-01", "e": "2020-06"}]


def test_the_shares_of_the_budget_are_split_by_denominator(store):
    got = select(store, """SELECT ?f ?ind ?where WHERE { ?f kg:indicator ?ind
        FILTER (STRSTARTS(STR(?ind), "https://w3id.org/kg92/id/indicator/part-") && CONTAINS(STR(?ind), "action-sociale")
                || STRENDS(STR(?ind), "ase-budget")) OPTIONAL { ?f dcterms:spatial ?where } } ORDER BY ?ind ?f""")
    assert [(local(r["f"]), local(r["ind"]), local(r["where"])) for r in got] == [
        ("figure/001-part-budget-social-actuelle", "indicator/part-budget-action-sociale", None),
        ("figure/001-part-budget-social-objectif", "indicator/part-budget-action-sociale", None),
        ("figure/003-part-action-sociale-objectif", "indicator/part-fonctionnement-action-sociale", None),
        ("figure/003-part-hauts-de-seine", "indicator/part-fonctionnement-ase-budget", "place/hauts-de-seine"),
        ("figure/003-part-maximale-departements", "indicator/part-fonctionnement-ase-budget", "place/france"),
        ("figure/003-part-minimale-departements", "indicator/part-fonctionnement-ase-budget", "place/france"),
        ("figure/003-part-moyenne-france", "indicator/part-fonctionnement-ase-budget", "place/france"),
        ("figure/003-part-social-investissement", "indicator/part-investissement-action-sociale", None)]


def test_every_figure_of_a_multi_figure_statement_is_told_apart_by_data(store):
    # what tells two figures of one statement apart: unit, population, indicator, date or period, territory, qualifiers
    # (issue 17: "seniors / childhood / disabled persons", "investment / operating", "France / Île-de-France /
    # Hauts-de-Seine" were told apart only by the free text of kg:measure)
    rows = select(store, """
        SELECT ?s ?f ?u ?pop ?ind ?d ?ps ?pe (GROUP_CONCAT(DISTINCT STR(?sp); separator=" ") AS ?where)
               (GROUP_CONCAT(DISTINCT STR(?q); separator=" ") AS ?quals) WHERE {
          ?s kg:figure ?f . ?f qudt:hasUnit ?u .
          OPTIONAL { ?f kg:counts ?pop } OPTIONAL { ?f kg:indicator ?ind } OPTIONAL { ?f dcterms:spatial ?sp }
          OPTIONAL { ?f kg:qualifier ?q } OPTIONAL { ?f kg:refDate ?d }
          OPTIONAL { ?f dcterms:temporal ?t OPTIONAL { ?t dcat:startDate ?ps } OPTIONAL { ?t dcat:endDate ?pe } }
          { SELECT ?s WHERE { ?s kg:figure ?x } GROUP BY ?s HAVING (COUNT(?x) > 1) }
        } GROUP BY ?s ?f ?u ?pop ?ind ?d ?ps ?pe""")
    keys: dict[tuple, list[str]] = {}
    for r in rows:
        key = (r["s"], r["u"], r["pop"], r["ind"], r["d"], r["ps"], r["pe"],
               " ".join(sorted((r["where"] or "").split())), " ".join(sorted((r["quals"] or "").split())))
        keys.setdefault(key, []).append(local(r["f"]))
    alike = sorted(f for fs in keys.values() if len(fs) > 1 for f in fs)
    assert (len(rows), alike) == (206, [])


# Figures that say by data neither what they count (kg:counts) nor what quantity they are a value of (kg:indicator):
# none since issue 17 (item 2); an exception would be listed here with its reason.
UNCLASSIFIED: dict[str, str] = {}


def test_every_figure_has_a_population_or_an_indicator(store):
    got = select(store, """
        SELECT ?f WHERE { ?f a qudt:QuantityValue
          FILTER NOT EXISTS { ?f kg:counts ?c } FILTER NOT EXISTS { ?f kg:indicator ?i } } ORDER BY ?f""")
    assert [local(r["f"]) for r in got] == sorted(UNCLASSIFIED)


def test_the_indicators_shared_across_documents(store):
    got = select(store, """
        SELECT ?i (COUNT(DISTINCT ?doc) AS ?docs) WHERE { ?f kg:indicator ?i ; kg:evidence/oa:hasSource ?doc }
        GROUP BY ?i HAVING (COUNT(DISTINCT ?doc) > 1) ORDER BY ?i""")
    # the SRU legal rate (000's "seuil de 25%", 003's "les 25% légaux") joins the social-action budget and the MNA
    assert [(local(r["i"]), r["docs"]) for r in got] == [
        ("indicator/budget-action-sociale", "2"), ("indicator/mna-ase", "2"), ("indicator/taux-legal-logements-sociaux", "2")]
