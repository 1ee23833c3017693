"""The connectivity figures of issue 17 (tools/connectivity.py), held at their targets.

This file asserts the reachability figures only (the label and comparability figures belong to their own work);
the script prints them all: `python tools/connectivity.py --list`.
"""

from __future__ import annotations

import sys

import pyoxigraph as ox
import pytest
from support import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import connectivity  # noqa: E402

ID = "https://w3id.org/kg92/id/"

# The figures that nothing the source names reaches, each with the reason (read in the source).
UNREACHED = {
    # 001 Q2 l.27 "revenu de solidarité pour les moins de 25 ans a titre expérimental, transports en commun gratuits
    # pour les moins de 18 ans": a proposed measure that the graph has no scheme for, and no actor is named
    "figure/001-age-transports-gratuits": "statement/001-q2-transports-gratuits",
    # 002 §2.1.8.2 "Le budget consacré à la restauration reste le principal poste de dépenses …": the agents'
    # catering as a whole (the paragraph names the RIE de l'Aréna and the titres-restaurant as parts of it, neither
    # is the whole)
    "figure/002-agents-budget-restauration": "statement/002-agents-budget-restauration",
    # 002 box "Le numéro départemental 01.47.91.48.44 Du lundi au vendredi de 9h30 à 17h30": the source does not say
    # which service answers it (kg:note of the statement)
    "figure/002-numero-departemental-amplitude-horaire": "statement/002-numero-departemental-horaires",
}


@pytest.fixture(scope="module")
def figures() -> dict:
    return connectivity.measure(connectivity.turtle_store())


def test_figures_reachable_from_what_they_are_about_at_least_98_percent(figures):
    assert figures["reachable_pct"] >= 98.0, connectivity.report(figures, listing=True)
    assert (figures["figures"], figures["reachable"]) == (280, 277)


def test_the_figures_reached_by_nothing_are_the_listed_exceptions(figures):
    assert {f[len(ID):]: [h[len(ID):] for h in holders] for f, holders in figures["unreached"].items()} == {
        f: [h] for f, h in UNREACHED.items()}


def test_links_resolved_from_context_are_counted(figures):
    # figures reached through a statement whose link to its scheme or actor is resolved from context (FS2I, APA
    # Habitat, TIG, IJS, the prevention programme, the RAPT, E-Tonomy, PAM 92, the budget shares of 001 and 003…)
    # + 5 from the pass over all statements (item 2 of the second pass): the 1 195 EAJE places created in 2018 (the
    # EAJE named by the sentence before), the SIAA's child deceased and babies adopted (the SIAA named by the sentence
    # before), the 12 detainees of the workshops (the SPIP named by the sentence before), the two occupational
    # psychologists (the heading "La médecine professionnelle et préventive"), the 130 places for women victims of
    # violence (axis 3 of the programme named by the lead-in), 000 §5's 575 places obtained and 275 attributed (the
    # ASE named two sentences before): 72 → 81, 256 → 265, 218 → 223; then the five adoption projects in progress (the
    # SIAA named by the sentences before) and the 226 defibrillators (the heading "La médecine professionnelle et
    # préventive"): 81 → 83, 265 → 267, 223 → 224; then 000 §3's "3 axes principaux" of the contractualisation (the
    # stratégie pauvreté that the answer's first sentence names, "une contractualisation dans le cadre de la stratégie
    # territorialisée de lutte contre la pauvreté"): 83 → 84, 224 → 225; and 002's 49 homes allotted to the staff,
    # whose quote names the social housing (not from context): 267 → 268, 225 → 226
    assert figures["reached_by_context"] == 84
    assert (figures["reachable_from_scheme_or_actor"], figures["reachable_from_scheme"]) == (268, 226)
    assert ID + "figure/000-axes-contractualisation-pauvrete" not in figures["without_scheme"]


def test_statements_and_events_reachable_from_what_they_are_about(figures):
    # every statement, with or without figures: 213 statements had no kg:concerns / kg:involves before the pass over
    # the statements without figures (issue 17, item 2 of the second pass), 131 after; 34 of those are the items of a
    # plan (004's orientations, dcterms:isPartOf) or of a list; the rest are about no scheme, actor or population
    # that their document names (the Département's own staff, general statements of the groups' programmes…).
    # The third pass (re-reading the 131 against the sources) linked 9 more: 002's five adoption projects (the SIAA of
    # the sentences before), "Cet échange" (the CDDI's conference-debate of the sentence before), the partnerships of
    # 2018 (the SIOSMS of the sentence before and of the heading 2.1.1.6), the two items of the Siem Reap list (the
    # local authorities of the lead-in, kg:listItemOf it), the headings 2.1.1.3 and 2.1.2.5 (the pôle social de
    # Châtillon and the Bus Santé Femmes of their "ACTION PHARE" title), 003's two sentences that name the ESS and
    # "ces sujets" (the ESS of the sentence before); and 7 of the Département's staff and organisation: "Cela" (the
    # participation agreements of the sentence before), the defibrillators and the new software (the heading "La
    # médecine professionnelle et préventive"), the 2019 prevention work (the heading "… à travers le document
    # unique"), the reorganisation's aim and stake (the Pôle Solidarités of the sentence before), 003 §1 "Des
    # formations informatiques y seront proposées" (« y »: the CCAS of the sentence before). 000 §2's three policies
    # are kg:listItemOf their lead-in; 002's "plusieurs prestations individuelles" (the APAD, aide-ménagère, PCH and
    # ACTP that the next two sentences name). Then 002's 49 homes allotted to the staff (the social housing its quote
    # names, "un taux de libération des logements sociaux qui diminue"). Left: 113, of which 34 items of 004's plan (reached through
    # dcterms:isPartOf the orientation their heading names, and statedBy the État and the Département) or of a list;
    # a scheme named only by the question text a group repeats (003's "5. Accompagnement mineurs Aide Sociale à
    # l’Enfance", 001's copy of question 5) does not count as the group citing it, so their hotel sentences stay bare.
    # Events: 2 (the two child-protection laws of 002) → 0.
    assert (len(figures["bare_statements"]), figures["bare_statements_part_of"]) == (113, 34)
    assert figures["bare_events"] == []
    for reached in ("statement/002-tig-objectif-reinsertion", "statement/002-job78-job92-objectif-recrutements",
                    "statement/002-centre-psychotraumatisme-equipe-projet", "statement/000-q4-reflexion-intervention",
                    "statement/002-siaa-projets-adoption", "statement/002-cddi-enjeux-numeriques",
                    "statement/002-partenariats-2018-poursuivis", "statement/002-coop-cambodge-maraichage",
                    "statement/003-q6-approche-globale-systemique"):
        assert ID + reached not in figures["bare_statements"]


def test_dated_milestones_are_counted(figures):
    # events and figures with a date or period (kg:refDate, printed or resolved against the writing period of their
    # document, or dcterms:temporal): the one undated event is 000's CNLE report "publié le 12 mai" (2020 or 2021,
    # kg:dateUnanchored); a figure keeps no date where its own passage prints none (kg:note says so)
    assert figures["dated"] == {"events": (61, 62), "figures": (133, 280)}


def test_the_store_and_the_turtle_files_give_the_same_figures(figures):
    assert connectivity.measure(connectivity.built_store()) == figures


def test_the_script_prints_the_figures(capsys):
    assert connectivity.main(["--list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "figures reachable from a scheme, actor or population (or place): 277/280 (98.9 %)"
    assert [line.split(" ← ")[0].strip()[len(ID):] for line in out.splitlines() if line.startswith("  " + ID)] == list(UNREACHED)
    # and, last, the figures that the distinguished rule does not tell apart: none
    assert out.splitlines()[-1] == "figures of a multi-figure statement not distinguished by the rule (figure ← statement):"
    assert ("statements with no kg:concerns or kg:involves: 113 (of which items of a plan or a list: 34);"
            " events with no kg:concerns, kg:involves or kg:participant: 0") in out.splitlines()


def test_the_figures_of_a_statement_are_told_apart_by_data(capsys):
    # issue 17, item 2: every figure of a multi-figure statement differs from its neighbours in unit, population,
    # indicator, date or period, territory or qualifier (206 of 206); the strict reading "by a population or an
    # indicator alone" holds for 154 of them since every figure has one (102, then 144 before): the 18 M€ of aid next
    # to its 66 000 recipients, the +37,8 % next to the 600 000 people aged 65 and over, the 575 places obtained next
    # to the 275 allocated, the old and new PAM 92 contracts' 1 333 and 9 006 hours a year, and the "15 jours à 3
    # semaines" of the post-natal interview (two units, so two indicators) became indicators of their own; the other
    # 52 are one quantity observed at another date, period or territory, or the two ends of a printed range (one
    # indicator per quantity across documents: -17 % France / -19 % Île-de-France / -48 % Hauts-de-Seine, the CPOM of
    # 2018 and 2019, "de 6 à 12 mois"…), told apart by their date, period, territory or qualifier
    m = connectivity.measure(connectivity.built_store())
    assert (m["multi_keyed"], m["multi_told_apart"]) == (206, 206)
    assert (m["multi_figures"], m["multi_alone"]) == (206, 154)
    # the "Done when" figure, by the DISTINGUISHED rule (a population or indicator, with the date or period, place
    # node or range end that tells a series or a range apart): 154 → 206 of 206, nothing left
    assert (m["multi_distinct"], m["multi_distinct_pct"], m["multi_not_distinct"]) == (206, 100.0, [])
    # the 52: 25 by territory (France / Île-de-France / Hauts-de-Seine, the SIAA's two départements and the 92 alone,
    # the IJS countries, the three rings' farmland), 19 by date or period (the CPOM, MNA, surpluses, budgets of two
    # years…), 8 by the end of a printed range (at-least / at-most: "de 100 à 140€", "de 6 à 12 mois", "de 39 à 75%")
    assert m["multi_series_axes"] == {"territory": 25, "date or period": 19, "range end or qualifier": 8, "unit": 0,
                                      "none": 0}
    connectivity.main([])
    lines = capsys.readouterr().out.splitlines()
    assert "  told apart by data (unit, population, indicator, date or period, territory, qualifier): 206/206 (100.0 %)" in lines
    assert ("figures of a multi-figure statement with a distinguishing population or indicator (with its date or"
            " period, place or range end): 206/206 (100.0 %)") in lines
    assert "  by population or indicator alone: 154/206 (74.8 %)" in lines
    assert ("  sharing a population and indicator with a neighbour, told apart by: territory 25, date or period 19,"
            " range end or qualifier 8, unit 0, none 0") in lines


# ------------------------------------------------------------------ the DISTINGUISHED rule on a statement of our own

RULE_DATA = """@prefix kg: <https://w3id.org/kg92/def#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix qudt: <http://qudt.org/schema/qudt/> . @prefix unit: <http://qudt.org/vocab/unit/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix id: <https://w3id.org/kg92/id/> .
@prefix f: <https://w3id.org/kg92/id/figure/> . @prefix i: <https://w3id.org/kg92/id/indicator/> .
@prefix q: <https://w3id.org/kg92/id/qualifier/> . @prefix pl: <https://w3id.org/kg92/id/place/> .
pl:a a kg:Place . pl:b a kg:Place .
<https://w3id.org/kg92/id/statement/s> a kg:Statement ; kg:figure f:y2018, f:y2019, f:here, f:there,
    f:low, f:high, f:about1, f:about2, f:eur, f:pct,
    f:notplace1, f:notplace2, f:bare .
f:y2018 kg:indicator i:i1 ; kg:refDate "2018"^^xsd:gYear .
f:y2019 kg:indicator i:i1 ; kg:refDate "2019"^^xsd:gYear .
f:here kg:indicator i:i2 ; dcterms:spatial pl:a .
f:there kg:indicator i:i2 ; dcterms:spatial pl:b .
f:low kg:counts <https://w3id.org/kg92/id/population/p> ; kg:qualifier q:at-least, q:approximate .
f:high kg:counts <https://w3id.org/kg92/id/population/p> ; kg:qualifier q:at-most, q:approximate .
f:about1 kg:indicator i:i3 ; kg:qualifier q:approximate .
f:about2 kg:indicator i:i3 .
f:eur kg:indicator i:i4 ; qudt:hasUnit unit:CCY_EUR .
f:pct kg:indicator i:i4 ; qudt:hasUnit unit:PERCENT .
f:notplace1 kg:indicator i:i5 ; dcterms:spatial id:thing-x .
f:notplace2 kg:indicator i:i5 ; dcterms:spatial id:thing-y .
f:bare kg:measure "prose only"@fr .
"""


def test_the_distinguished_rule_counts_a_date_a_place_node_or_a_range_end_and_nothing_else():
    store = ox.Store()
    store.load(RULE_DATA, format=ox.RdfFormat.TURTLE)
    m = connectivity.measure(store)
    statement = ID + "statement/s"
    # told apart by date (2018/2019), by a place node (a/b), by a range end (at-least/at-most, the approximate
    # qualifier they share notwithstanding): 6; not by an approximate qualifier, a unit (two units are two
    # indicators), a territory that is no kg:Place, nor by prose (a figure with no population or indicator): 7; by
    # population or indicator alone, none (each is shared); by the wide reading (unit, any qualifier, any territory), 13
    assert m["multi_not_distinct"] == [(statement, ID + f"figure/{f}") for f in
                                       ("about1", "about2", "bare", "eur", "notplace1", "notplace2", "pct")]
    assert (m["multi_figures"], m["multi_distinct"], m["multi_alone"], m["multi_told_apart"]) == (13, 6, 0, 13)
