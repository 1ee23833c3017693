"""Statements and events whose own quote names a scheme they are not linked to (tools/named_links.py, issue 17 items
1 and 8): each left is a use of the words in another sense, listed here with its reason (read in the source)."""

from __future__ import annotations

import sys

import pyoxigraph as ox
import pytest
from support import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import connectivity  # noqa: E402
import named_links  # noqa: E402

# Names of a scheme that the sources also use as common words: never a link by themselves.
GENERIC = {
    # the altLabel of 004's heading "L'emploi" (the plan's employment theme); elsewhere "accès à l'emploi", "retour à
    # l'emploi"… are the words, not the theme of the 2016 plan
    ("scheme/plan-pauvrete-2016-emploi", "l'emploi"),
    # 002's "dispositif d'accompagnement global" with Pôle emploi (statement/002-rsa-accompagnement-global…); elsewhere
    # "un accompagnement global et individualisé", "permettre un accompagnement global" describe a way of working
    ("scheme/accompagnement-global", "accompagnement global"),
    # the altLabel of the "foyers d'accueil" (ASE homes); elsewhere households ("30 038 foyers sont allocataires du
    # RSA"), "foyers de jeunes travailleurs" (scheme/fjt) or "jeunes travailleurs en foyers"
    ("scheme/foyers-accueil", "foyers"),
}

# Nodes whose quote names a scheme in another sense or as what the node is not about.
NOT_ABOUT = {
    # 000 §5 "un cahier des charges très strict, similaire aux résidences sociales": a comparison
    ("event/000-lancement-dispositif-accueil-transitoire", "scheme/residences-sociales"),
    # 002 §2.1.1.2: the event is the launch, in 2013, of the plan de restructuration des locaux (linked); the pôles
    # sociaux and their "satellites" (Centres de PMI, CPEF, Espaces Insertion) are what its statement is about
    ("event/002-lancement-plan-restructuration-locaux", "scheme/cpef"),
    ("event/002-lancement-plan-restructuration-locaux", "scheme/espaces-insertion"),
    ("event/002-lancement-plan-restructuration-locaux", "scheme/pmi"),
    ("event/002-lancement-plan-restructuration-locaux", "scheme/poles-sociaux"),
    # 002 PAM 92 "Le marché en cours a pris fin en mars 2019": the end of the old contract; the social clauses'
    # increase belongs to the new one (statement/002-pam-92-marche-commun concerns them)
    ("event/002-pam-92-fin-marche", "scheme/clauses-sociales"),
    # 002 "lors du salon E-Tonomy": the trade show, not the social Lab E-Tonomy (kg:note of event/002-salon-e-tonomy)
    ("event/002-publication-question-de-famille", "scheme/social-lab-e-tonomy"),
    ("event/002-salon-e-tonomy", "scheme/social-lab-e-tonomy"),
    ("statement/002-question-de-famille", "scheme/social-lab-e-tonomy"),
    # 004 "réunion « plan pauvreté » en date du 13 novembre 2015": the departmental plan of 2016 (linked), not the
    # State's strategy of 2017 whose altLabel is "plan pauvreté"
    ("event/004-reunion-2015-11-13", "scheme/strategie-pauvrete"),
    ("statement/004-reunion-2015-11-13", "scheme/strategie-pauvrete"),
    # 000 §4 "met à disposition des organismes HLM et des communes un outil financier": the social landlords
    # (kg:involves actor/bailleurs-sociaux), not social housing as a scheme
    ("statement/000-q4-outil-financier", "scheme/logement-social"),
}


@pytest.fixture(scope="module")
def found() -> dict[tuple[str, str], str]:
    return named_links.named_unlinked(connectivity.turtle_store())


def test_every_scheme_a_quote_names_is_linked_or_listed_with_its_reason(found):
    left = {pair for pair, name in found.items() if (pair[1], name) not in GENERIC}
    assert left == NOT_ABOUT
    assert len(found) == 37        # 12 listed + 25 generic uses (18 "l'emploi", 4 "accompagnement global", 3 "foyers")
    # the two conventions events of 002 §2.1.8.2 concern the protection sociale complémentaire their quote names
    assert ("event/002-approbation-conventions-participation", "scheme/protection-sociale-complementaire-agents") not in found


def test_a_name_counts_as_a_whole_word_and_a_link_silences_it():
    store = ox.Store()
    store.load("""@prefix kg: <https://w3id.org/kg92/def#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix oa: <http://www.w3.org/ns/oa#> . @prefix s: <https://w3id.org/kg92/id/scheme/> .
        @prefix st: <https://w3id.org/kg92/id/statement/> .
        s:pmi a kg:Scheme ; skos:prefLabel "protection maternelle et infantile"@fr ; kg:acronym "PMI" .
        st:a a kg:Statement ; kg:evidence [ oa:hasSelector [ oa:exact "les centres de PMI ouvrent" ] ] .
        st:b a kg:Statement ; kg:evidence [ oa:hasSelector [ oa:exact "les PMIS et la PMIX" ] ] .
        st:c a kg:Statement ; kg:concerns s:pmi ; kg:evidence [ oa:hasSelector [ oa:exact "la PMI" ] ] .
        st:d a kg:Statement ; kg:evidence [ oa:hasSelector [ oa:exact "la protection maternelle et infantile" ] ] .
        """, format=ox.RdfFormat.TURTLE)
    assert named_links.named_unlinked(store) == {("statement/a", "scheme/pmi"): "PMI",
                                                 ("statement/d", "scheme/pmi"): "protection maternelle et infantile"}


def test_the_script_prints_the_pairs(capsys):
    assert named_links.main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "statements and events whose quote names a scheme they are not linked to: 37"
    assert "  event/002-salon-e-tonomy — scheme/social-lab-e-tonomy ('E-Tonomy')" in lines
