"""Every canned query and every competency question, run on the real data, against expectations written from
reading the sources (each expectation names the passage it comes from). Every assertion is on the exact rows:
no subset checks."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from support import ROOT, SOURCES, STANCES

ID = "https://w3id.org/kg92/id/"
KG = "https://w3id.org/kg92/def#"
G000, G001, G003 = ID + "group/majorite-departementale", ID + "group/groupe-001", ID + "group/colombes-2"


@pytest.fixture()
def client(backend_app):
    """Every test of this module runs over the embedded store and over an Oxigraph server (store_url)."""
    return backend_app.test_client()


def rows(client, name: str, **params) -> list[dict[str, str | None]]:
    resp = client.get(f"/api/{name}", query_string=params, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    return [{v: (b[v]["value"] if v in b else None) for v in body["head"]["vars"]} for b in body["results"]["bindings"]]


def cq_rows(client, number: str) -> list[dict[str, str | None]]:
    path = next((ROOT / "ontology" / "cq").glob(f"{number}-*.rq"))
    resp = client.post("/sparql", data=path.read_text(encoding="utf-8").encode(),
                       headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    return [{v: (b[v]["value"] if v in b else None) for v in body["head"]["vars"]} for b in body["results"]["bindings"]]


def short(iri: str | None) -> str | None:
    return iri.rsplit("/", 1)[1] if iri else iri


def local(iri: str | None) -> str | None:
    """``statement/001-q4-pdalhpd`` for one of our IRIs, ``kg:Commitment`` for a term of the ontology."""
    if iri is None:
        return None
    return iri.replace(ID, "").replace(KG, "kg:")


# Read from the three answer documents (the question texts repeated in 000, 001 and 003 do not count):
# - ASE: 000 §5 "près de 5 100 enfants sont suivis par l'ASE"; 001 Q1 "services sociaux de territoire et aide
#   sociale à l’enfance"; 003 §1 "la mort d'un jeune suivi par l'ASE".
# - TZCLD: 000 §6 (the TZCLD experimentation "Territoire zéro chômeur"); 001 Q6 "territoires Zéro Chômeurs";
#   003 §3 "Le dispositif TZCLD un autre", §6 "l’intégration dans le dispositif TZCLD".
# - Premières Heures: 000 §6 "dispositif « Premières Heures »"; 001 Q6 "« Premières heures »"; 003 §6.
# - logement social: 000 §4 "production de logements sociaux"; 001 Q4 "offre de logements sociaux"; 003 §4.
# Not PAT: 000's answer to question 7 never names the PAT (only the italic question does).
# Not the Département's website: 000 §8 and 001 Q8 name it, but 003 §8 only says "l’accessibilité de nos sites"
# (plural, never named, and the same answer promises new sites); the site is named only in the text of
# question 8 that 003 repeats (l.67), which is not the group's statement.
CITED_BY_EVERY_GROUP = {"ase", "tzcld", "premieres-heures", "logement-social"}


def test_schemes_cited_by_every_group(client):
    got = rows(client, "schemes-cited-by-every-group")
    assert sorted((short(r["scheme"]), r["groups"]) for r in got) == sorted((s, "3") for s in CITED_BY_EVERY_GROUP)


def test_competency_question_10_agrees(client):
    assert sorted(short(r["scheme"]) for r in cq_rows(client, "10")) == sorted(CITED_BY_EVERY_GROUP)


def test_stance_matrix(client):
    got = rows(client, "stance-matrix")
    matrix = sorted((short(r["ask"]), r["group"], short(r["stance"])) for r in got)
    assert matrix == sorted((ask, g, s) for ask, stances in STANCES.items()
                            for g, s in zip((G000, G001, G003), stances, strict=True))
    conditions = sorted((short(r["ask"]), short(r["group"]), r["condition"]) for r in got if r["condition"])
    # 001 Q7; 000 §6 "pourra faire l'objet d'un soutien … dans le cadre du déploiement du SPIE" and TZCLD
    # "en fonction de l'avancée de ce projet"
    assert [(a, g) for a, g, _ in conditions] == [("q6-soutenir-premieres-heures", "majorite-departementale"),
                                                  ("q6-soutenir-tzcld", "majorite-departementale"),
                                                  ("q7-soutenir-pat", "groupe-001")]
    assert conditions[2][2] == "en fonction des possibilités dans les communes"


def test_disagreements_are_the_asks_with_more_than_one_stance(client):
    got = rows(client, "disagreements")
    expected = sorted(ask for ask, stances in STANCES.items() if len(set(stances)) > 1)
    assert [short(r["ask"]) for r in got] == expected
    by_ask = {short(r["ask"]): (r["stances"], sorted(r["positions"].split())) for r in got}
    assert by_ask == {ask: (str(len(set(stances))),
                            sorted(f"{short(g)}={s}" for g, s in zip((G000, G001, G003), stances, strict=True)))
                      for ask, stances in STANCES.items() if len(set(stances)) > 1}


def test_group_commitments_by_theme(client):
    # 001, question 7 (lines 74-76): PAT (conditional), short circuits for canteens, partnerships with farmers
    got = rows(client, "group-commitments-by-theme", group=G001, theme=ID + "theme/alimentation")
    assert [r["quote"] for r in got] == [
        "Oui nous soutiendrons la mise en œuvre des PAT, en fonction des possibilités dans les communes.",
        "Nous soutiendrons la mise en place de circuits courts et cuisines centrales pour les cantines scolaires, EHPAD et autres collectivités sous la responsabilité du département.",
        "Nous développerons des partenariats avec les agriculteurs des départements limitrophes",
    ]
    assert [short(r["stance"]) for r in got] == ["conditional", "supports", "supports"]


def test_positions_on_scheme_pdalhpd(client):
    # The ask "Adopter rapidement un nouveau PDALHPD" (question 4) is about the PDALHPD: every group's position on
    # it, then the statements naming the plan. 000 §4 never names it (no-position: "La politique du logement est
    # pilotée à l'échelle nationale…"); 001 "Oui, bien sûr, au déploiement du plan PDALHPD." (position and
    # commitment, same quote); 003 §4 "Il n'est pas pensable qu'un département soit hors la loi." (supports,
    # without naming it: no statement). Groups in the order of their French labels (Ensemble…, candidats…, groupe…).
    got = rows(client, "positions-on-scheme", scheme=ID + "scheme/pdalhpd")
    assert [(local(r["group"]), local(r["kind"]), local(r["node"]), local(r["ask"]), local(r["stance"]), r["condition"])
            for r in got] == [
        ("group/colombes-2", "kg:Position", "position/003-q4-adopter-nouveau-pdalhpd", "ask/q4-adopter-nouveau-pdalhpd",
         "stance/supports", None),
        ("group/majorite-departementale", "kg:Position", "position/000-q4-adopter-nouveau-pdalhpd",
         "ask/q4-adopter-nouveau-pdalhpd", "stance/no-position", None),
        ("group/groupe-001", "kg:Position", "position/001-q4-adopter-nouveau-pdalhpd", "ask/q4-adopter-nouveau-pdalhpd",
         "stance/supports", None),
        ("group/groupe-001", "kg:Commitment", "statement/001-q4-pdalhpd", None, "stance/supports", None)]
    assert [r["quote"] for r in got] == [
        "Il  n'est pas pensable qu'un département soit hors la loi.",
        "La politique du logement est pilotée à l'échelle nationale. Les décisions prises par le Gouvernement en matière de logement social, en particulier celles sur la Réduction de loyer de solidarité (RLS), ont eu des conséquences majeures sur la production de logements sociaux à l'échelle nationale (-17 % de 2019 à 2020), de l'Île-de-France (-19%) et des Hauts-de-Seine (-48%). L'échec de la politique gouvernementale concerne tous les types de produits (PLS, PLUS et PLAI).",
        "Oui, bien sûr, au déploiement du plan PDALHPD.", "Oui, bien sûr, au déploiement du plan PDALHPD."]


def test_positions_on_scheme_a_group_that_never_mentions_it(client):
    # No ask is about the RSA. 000: §2 "allocations individuelles de solidarité (APA, RSA, PCH) devrait croître…
    # 314 millions €" (forecast), "Ces augmentations liées essentiellement à la progression du RSA" (claim), §3
    # "les bénéficiaires du RSA" in the 2017 strategy (claim) and axis 2 "parcours d'accès à l'emploi en direction
    # des bénéficiaires du RSA" (commitment); 001 Q2 "L’accompagnement des allocataires du RSA doit être renforcé" and
    # the next sentence "Une évaluation de ce qui est proposé actuellement devra être conduite" (the RSA support of
    # the sentence before: a link resolved from context); 003 never names the RSA: one "not mentioned" row.
    got = rows(client, "positions-on-scheme", scheme=ID + "scheme/rsa")
    assert [(local(r["group"]), local(r["kind"]), local(r["node"]), local(r["stance"])) for r in got] == [
        ("group/colombes-2", None, None, "not mentioned"),
        ("group/majorite-departementale", "kg:Forecast", "statement/000-q2-ais-314-millions", None),
        ("group/majorite-departementale", "kg:Claim", "statement/000-q2-politique-volontariste-2015-2021", None),
        ("group/majorite-departementale", "kg:Claim", "statement/000-q3-strategie-2017-publics", None),
        ("group/majorite-departementale", "kg:Commitment", "statement/000-q3-axe-2-rsa-spie", "stance/supports"),
        ("group/groupe-001", "kg:Commitment", "statement/001-q2-accompagnement-rsa", "stance/supports"),
        ("group/groupe-001", "kg:Commitment", "statement/001-q2-evaluation-accompagnement", "stance/supports")]


# 000 §1 l.37 (the majority's answer): the FSL reform, "+ 45% en janvier/février 2021 par rapport à
# janvier/février 2020" (number of aids) and "+ 150% sur la même période" (amounts)
FSL_000 = ("A titre d'exemple, la refonte du FSL (Fonds de solidarité pour le logement) mise en place à l'automne 2020, "
           "marquée par la mise en place de télé-formulaires pour faciliter les démarches des demandeurs et une "
           "simplification des critères, a entraîné une forte augmentation du nombre d'aides accordées (+ 45% en "
           "janvier/février 2021 par rapport à janvier/février 2020) et surtout des montants accordés (+ 150% sur la "
           "même période).")
# 002 l.292 (the Département's report): "4 114 demandes d’aides financières accordées (contre 4 426, en 2008), soit
# 69% des demandes" — the 4 114 and the 69% are printed without a year, the 4 426 with 2008
FSL_002 = ("L’accès et le maintien dans le logement des ménages en difficultés se traduisent par deux dispositifs : les "
           "aides financières du Fonds de solidarité logement (FSL) avec 4 114 demandes d’aides financières accordées "
           "(contre 4 426, en 2008), soit 69% des demandes et l’accompagnement social lié au logement (ASLL).")


def test_figures_about_the_fsl(client):
    # Every column: the two percentages of 000 count no population (they are changes), the two counts of 002 count
    # FSL aid requests granted; who states each is the author of its document (000: the majority's candidates,
    # 002: the Département). Rows in figure IRI order.
    got = rows(client, "figures-about", subject=ID + "scheme/fsl")
    assert [(local(r["subject"]), local(r["figure"]), r["value"], short(r["unit"]), local(r["counts"]), r["measure"],
             r["asStated"], r["date"], r["start"], r["end"], local(r["statedBy"]), r["quote"]) for r in got] == [
        ("scheme/fsl", "figure/000-fsl-evolution-montants-2021-01-02", "150", "PERCENT", None,
         "évolution des montants d'aides FSL accordés en janvier/février 2021 par rapport à janvier/février 2020",
         "+ 150%", None, "2021-01", "2021-02", "group/majorite-departementale", FSL_000),
        ("scheme/fsl", "figure/000-fsl-evolution-nombre-aides-2021-01-02", "45", "PERCENT", None,
         "évolution du nombre d'aides FSL accordées en janvier/février 2021 par rapport à janvier/février 2020",
         "+ 45%", None, "2021-01", "2021-02", "group/majorite-departementale", FSL_000),
        ("scheme/fsl", "figure/002-fsl-demandes-accordees", "4114", "NUM", "population/demandes-aides-fsl-accordees",
         "demandes d'aides financières du FSL accordées", "4 114", None, None, None, "actor/departement-92", FSL_002),
        ("scheme/fsl", "figure/002-fsl-demandes-accordees-2008", "4426", "NUM", "population/demandes-aides-fsl-accordees",
         "demandes d'aides financières du FSL accordées (année de comparaison)", "4 426", "2008", None, None,
         "actor/departement-92", FSL_002),
        ("scheme/fsl", "figure/002-fsl-part-demandes-accordees", "69", "PERCENT", None,
         "part des demandes d'aides financières du FSL accordées", "69%", None, None, None, "actor/departement-92",
         FSL_002)]


# Schemes that the sentence carrying their figures names only by anaphora ("le fonds", "cette aide", "ce
# dispositif", "la démarche") or leaves to the heading of its section: figures-about reaches them through the link
# resolved from context (kg:resolvedFromContext, the passage that names the scheme). Every figure 002 gives for each.
FIGURES_ABOUT_RESOLVED = {
    # 2.1.6 "le FS2I créé par les sept Départements" (the sentence names it), then "le fonds a été abondé à hauteur
    # de 62 M€ … sur un total de plus de 150 M€" and "En retour, le Département a reçu une aide de 2 M€"
    "fs2i": [("002-fs2i-abondement-92", "62000000", "62 M€"), ("002-fs2i-abondement-total", "150000000", "150 M€"),
             ("002-fs2i-aide-recue-92", "2000000", "2 M€"), ("002-fs2i-departements-fondateurs", "7", "sept")],
    # 2.1.5.1 heading "APA Habitat"; "En 2019, 29 personnes ont pu, grâce à cette aide, … s’élève à 87 K€"
    "apa-habitat": [("002-apa-habitat-beneficiaires-2019", "29", "29"), ("002-apa-habitat-montant-2019", "87000", "87 K€")],
    # 2.1.4.3 heading "… Travail d’intérêt général (TIG)"; "Depuis 10 ans, … 352 tigistes au sein de 20 postes …, dont
    # 21 en 2019"
    "tig": [("002-tig-duree-accueil", "10", "10 ans"), ("002-tig-postes", "20", "20"), ("002-tig-tigistes-2019", "21", "21"),
            ("002-tig-tigistes-accueillis-10-ans", "352", "352")],
    # 2.1.5.4 "Les ateliers adaptés sont organisés à la ferme des Chanteraines"; "28 ateliers de jardinage, 26 ateliers
    # de médiation animale et 28 ateliers nature …, soit un total de 82 ateliers composés de 8 participants"
    "ferme-des-chanteraines": [
        ("002-chanteraines-ateliers-jardinage-2019", "28", "28 ateliers de jardinage"),
        ("002-chanteraines-ateliers-mediation-animale-2019", "26", "26"),
        ("002-chanteraines-ateliers-nature-2019", "28", "28 ateliers nature"), ("002-chanteraines-ateliers-total-2019", "82", "82"),
        ("002-chanteraines-participants-par-atelier-2019", "8", "8 participants")],
    # 2.1.3.2 "gère le programme départemental d’appui aux politiques locales de prévention"; "ce dispositif a soutenu
    # 27 programmations communales et 42 programmations associatives pour … 720 K€ … et 74,2 K€ en investissement"
    "programme-appui-prevention-delinquance": [
        ("002-prevention-montant-fonctionnement-2019", "720000", "720 K€"),
        ("002-prevention-montant-investissement-2019", "74200", "74,2 K€"),
        ("002-prevention-programmations-associatives-2019", "42", "42"),
        ("002-prevention-programmations-communales-2019", "27", "27")],
    # 2.1.7.2: "dans le cadre du dispositif Initiatives Jeunes Solidaires. 397 projets … dans 35 pays … plus d’1 million
    # d’euros"; "En 2019, 23 initiatives portées par 96 jeunes … 83 000 €"; "4 initiatives … : 1 au Cambodge et 3 au
    # Bénin"; "Les autres projets concernent la Bolivie (1), …"; "4 exemples de projets soutenus en 2019"
    "initiatives-jeunes-solidaires": [
        ("002-ijs-anciennete", "10", "dix ans"), ("002-ijs-exemples-2019", "4", "4"),
        ("002-ijs-initiatives-2019", "23", "23"), ("002-ijs-initiatives-benin-2019", "3", "3"),
        ("002-ijs-initiatives-bolivie-2019", "1", "1"), ("002-ijs-initiatives-cambodge-2019", "1", "1"),
        ("002-ijs-initiatives-inde-2019", "1", "1"), ("002-ijs-initiatives-madagascar-2019", "6", "6"),
        ("002-ijs-initiatives-nepal-2019", "1", "1"), ("002-ijs-initiatives-pays-cibles-2019", "4", "4"),
        ("002-ijs-initiatives-perou-2019", "3", "3"), ("002-ijs-initiatives-philippines-2019", "1", "1"),
        ("002-ijs-initiatives-vietnam-2019", "5", "5"), ("002-ijs-initiatives-zambie-2019", "1", "1"),
        ("002-ijs-jeunes-2019", "96", "96"), ("002-ijs-montant-2019", "83000", "83 000 €"),
        ("002-ijs-pays-total", "35", "35"), ("002-ijs-projets-soutenus-total", "397", "397"),
        ("002-ijs-soutien-global", "1000000", "1 million d’euros")],
    # 2.1.3.1 "peuvent bénéficier notamment d’une Aide éducative à domicile (AED) ou d’une Action éducative en milieu
    # ouvert (AEOM)"; "En 2019, 3 112 mineurs et majeurs … dans le cadre d’une mesure d’aide éducative"
    "aed": [("002-jeunes-aide-educative-2019", "3112", "3 112")],
    # the same sentence names the AEOM beside the AED: the 3 112 are reached from either (the heading "Mesures
    # d’actions éducatives" is not the one on the ASE's measures, so no link to scheme/ase is resolved)
    "aemo": [("002-jeunes-aide-educative-2019", "3112", "3 112")],
    # 2.1.5.3 "la démarche « Une réponse accompagnée pour tous »"; "Cette démarche … plus d’une centaine de
    # sollicitations en 2019"; "un tiers ont trouvé une réponse adaptée"; "215 000 € par an pour 5 ans … trois personnes"
    "reponse-accompagnee-pour-tous": [
        ("002-rapt-financement-annuel", "215000", "215 000 €"), ("002-rapt-financement-duree", "5", "5 ans"),
        ("002-rapt-part-reponse-adaptee", "33.3", "un tiers"), ("002-rapt-personnes-recrutees", "3", "trois"),
        ("002-rapt-sollicitations-mdph-2019", "100", "plus d’une centaine")],
    # 2.1.5.5 "Le social Lab E-Tonomy …": "(une trentaine) … un accompagnement de 4 mois"; "Pitch day … validé leur
    # soutien financier à 17 projets"
    "social-lab-e-tonomy": [
        ("002-e-tonomy-candidats-retenus", "30", "une trentaine"), ("002-e-tonomy-duree-accompagnement", "4", "4 mois"),
        ("002-e-tonomy-projets-soutenus-2019", "17", "17")],
}


@pytest.mark.parametrize("scheme", sorted(FIGURES_ABOUT_RESOLVED))
def test_figures_about_a_scheme_named_by_context(client, scheme):
    got = rows(client, "figures-about", subject=ID + "scheme/" + scheme)
    assert [(local(r["figure"]).split("/", 1)[1], r["value"], r["asStated"]) for r in got] == FIGURES_ABOUT_RESOLVED[scheme]


def test_figures_about_an_actor_who_states_them(client):
    # 001, question 5 (l.53): "Dans un rapport de décembre 2020 … l’Inspection Générale des Affaires Sociales (IGAS)
    # indique dans sa synthèse : “Le risque le plus lourd résulte de l’accueil de 600 jeunes confiés à l’ASE dans des
    # hôtels prestataires du département. … à 70 % mineurs, est défaillant.”" — the IGAS states both figures (the
    # questionnaire quotes it), dated by the report (December 2020); the 600 counts young people in hotels
    igas = ("Le risque le plus lourd résulte de l’accueil de 600 jeunes confiés à l’ASE dans des hôtels prestataires du "
            "département. Les conditions d’hébergement y apparaissent médiocres, et le suivi par l’ASE de ces jeunes, à "
            "70 % mineurs, est défaillant.")
    got = rows(client, "figures-about", subject=ID + "actor/igas")
    assert [(local(r["subject"]), local(r["figure"]), r["value"], short(r["unit"]), local(r["counts"]), r["measure"],
             r["asStated"], r["date"], r["start"], r["end"], local(r["statedBy"]), r["quote"]) for r in got] == [
        ("actor/igas", "figure/001-question-5-igas-jeunes-hotels", "600", "NUM", "population/jeunes-ase-hotels-prestataires",
         "jeunes confiés à l'ASE accueillis dans des hôtels prestataires du département, selon l'IGAS", "600", "2020-12",
         None, None, "actor/igas", igas),
        ("actor/igas", "figure/001-question-5-igas-part-mineurs", "70", "PERCENT", None,
         "part des mineurs parmi les jeunes confiés à l'ASE accueillis à l'hôtel, selon l'IGAS", "70 %", "2020-12",
         None, None, "actor/igas", igas)]


def test_timeline_2015_2016(client):
    # 004: meeting of 13 November 2015; meeting and signature of 2 June 2016; 002: CFPPA created in 2016, the law
    # "du … 16 mars 2016" (l.207, as printed), TGD agreement signed on 11 May 2016
    got = rows(client, "timeline", **{"from": "2015-01-01", "to": "2016-12-31"})
    assert [(short(r["event"]), r["date"]) for r in got] == [
        ("004-reunion-2015-11-13", "2015-11-13"), ("002-creation-cfppa", "2016"),
        ("002-loi-2016-03-16", "2016-03-16"), ("002-signature-convention-tgd", "2016-05-11"), ("004-reunion-2016-06-02", "2016-06-02"),
        ("004-signature-strategie-2016-06-02", "2016-06-02")]


def test_timeline_2015_2016_in_english(client):
    # the same six events, labelled in English (data/ttl/labels-en.ttl: the kg92 team's translations)
    got = rows(client, "timeline", **{"from": "2015-01-01", "to": "2016-12-31", "lang": "en"})
    assert [(short(r["event"]), r["label"], r["lang"]) for r in got] == [
        ("004-reunion-2015-11-13", "« Plan pauvreté » (poverty plan) meeting of 13 November 2015", "en"),
        ("002-creation-cfppa", "Setting up of the Conference of funders for the prevention of loss of autonomy (CFPPA) "
                               "under the ASV Act", "en"),
        ("002-loi-2016-03-16", "Act of 16 March 2016 (date as printed) setting the preventive approach to child protection", "en"),
        ("002-signature-convention-tgd", "Signature of the agreement setting up the Serious-danger tele-protection (TGD) scheme", "en"),
        ("004-reunion-2016-06-02", "Meeting of the partners of the poverty plan chaired by the Prefect", "en"),
        ("004-signature-strategie-2016-06-02", "Signature of the departmental strategy against poverty and for social inclusion", "en")]


def test_disagreements_in_english(client):
    # the asks' @en prefLabels (questionnaire.ttl), same asks and order as in French
    got = rows(client, "disagreements", lang="en")
    assert [(short(r["ask"]), r["askLabel"]) for r in got] == [
        ("q2-decomposer-budget-action-sociale", "Break the social-action budget down by type of aid or action and by type of public"),
        ("q2-evaluations-actions-publiques", "Evaluate the actions carried out and make the evaluations known to the public"),
        ("q2-part-budget-action-sociale", "State the share of the budget allocated to social action for the next 6 years"),
        ("q4-adopter-nouveau-pdalhpd", "Swiftly adopt a new PDALHPD"),
        ("q4-aides-pierre-logements-tres-sociaux",
         "Ease access to building subsidies for very social housing (PLAI, ANAH très social) in scattered housing"),
        ("q5-fin-hebergements-hotel", "End long-term hotel stays of young people in child welfare"),
        ("q6-soutenir-premieres-heures", "Support and resource the Premières Heures scheme"),
        ("q6-soutenir-tzcld", "Support and co-fund the TZCLD application"),
        ("q7-soutenir-pat", "Support the emergence of territorial food projects (PAT)"),
        ("q8-transformer-site-internet", "Transform the Département's website to give access to information on social action")]


def test_a_label_without_english_falls_back_to_french(client):
    # PLS, PLUS and RIFSSEEP have only a French prefLabel (the acronym as printed, 000 §4 and §1): in English the
    # query gives the French literal rather than no row or an empty label
    resp = client.get("/api/schemes-cited-per-group", query_string={"group": G000, "lang": "en"},
                      headers={"Accept": "application/sparql-results+json"})
    by_scheme = {b["scheme"]["value"].rsplit("/", 1)[1]: (b["label"]["value"], b["label"]["xml:lang"], b["groupLabel"]["value"])
                 for b in resp.get_json()["results"]["bindings"]}
    assert {s: by_scheme[s] for s in ("pls", "plus", "rifsseep", "rsa")} == {
        "pls": ("PLS", "fr", "candidates of the departmental majority"),
        "plus": ("PLUS", "fr", "candidates of the departmental majority"),
        "rifsseep": ("RIFSSEEP", "fr", "candidates of the departmental majority"),
        "rsa": ("earned income supplement (RSA)", "en", "candidates of the departmental majority")}
    assert client.get("/api/schemes-cited-per-group", query_string={"lang": "de"}).status_code == 400


def test_timeline_actor_filter(client):
    # 004 l.11 "réunion du 2 juin 2016 présidée par le Préfet … et signature le 2 juin 2016 de la stratégie … par le
    # Préfet, le Président du Conseil Départemental et le Collectif"; the 13 November 2015 meeting was chaired by
    # the Sous-préfet Ville (l.9), not the Préfet
    got = rows(client, "timeline", **{"from": "2015-01-01", "to": "2016-12-31", "actor": ID + "actor/prefet-92"})
    assert [(short(r["event"]), r["date"], r["actor"]) for r in got] == [
        ("004-reunion-2016-06-02", "2016-06-02", ID + "actor/prefet-92"),
        ("004-signature-strategie-2016-06-02", "2016-06-02", ID + "actor/prefet-92")]
    assert [sorted(short(p) for p in r["participants"].split()) for r in got] == [
        ["prefet-92"], ["ccf92", "prefet-92", "president-departement-92"]]


def test_timeline_includes_events_dated_by_a_period(client):
    # 000 §5 "en 2018, 2019 et 2020, plusieurs appels à projets ont été lancés" (a period, dcterms:temporal
    # 2018/2020, overlapping June–November 2020); 000 §1 "la refonte du FSL … mise en place à l'automne 2020"
    # (printed as 2020); 002 l.447 "dispositif intégré handicap », à compter de 2020"
    got = rows(client, "timeline", **{"from": "2020-06-01", "to": "2020-11-30"})
    assert [(short(r["event"]), r["date"], r["start"], r["end"]) for r in got] == [
        ("000-appels-a-projets-places-ase-2018-2020", None, "2018", "2020"),
        ("000-refonte-fsl-2020", "2020", None, None),
        ("002-dispositif-integre-handicap-demarrage", "2020", None, None)]
    # 002 l.465: the E-Tonomy fair "les 9 et 10 octobre 2019" (a period of two days): in on the 10th, out after
    assert "002-salon-e-tonomy" in {short(r["event"]) for r in rows(client, "timeline", **{"from": "2019-10-10", "to": "2019-10-10"})}
    assert "002-salon-e-tonomy" not in {short(r["event"]) for r in rows(client, "timeline", **{"from": "2019-10-11", "to": "2019-10-31"})}


def test_actor_relations_of_the_drihl(client):
    # 004 l.13 "détermination des 3 thématiques prioritaires : logement et l'hébergement (DRIHL), …": the DRIHL
    # leads the housing-shelter priority theme; it is a State directorate (org:unitOf, no quote of its own)
    got = rows(client, "actor-relations", actor=ID + "actor/drihl")
    assert [(local(r["actor"]), local(r["agent"]), local(r["relation"]), local(r["target"]), r["quote"]) for r in got] == [
        ("actor/drihl", "actor/drihl", "relation-kind/leads", "scheme/plan-pauvrete-2016-logement-hebergement",
         "détermination des 3 thématiques prioritaires : logement et l'hébergement (DRIHL), l'emploi (DIRECCTE), la "
         "cohésion sociale (incluant la lutte contre le non recours et l'accès aux droits) (DDCS)."),
        ("actor/drihl", "actor/drihl", "relation-kind/unit-of", "actor/etat", None)]


def test_actor_relations_of_the_prefet(client):
    # 004 l.11 "réunion du 2 juin 2016 présidée par le Préfet … et signature le 2 juin 2016 de la stratégie
    # départementale … par le Préfet, le Président du Conseil Départemental et le Collectif" (chairs the meeting,
    # signs the plan); l.19 "co-présidé par le Préfet et par le Président du Conseil Départemental, un comité de
    # pilotage assurera le suivi … de ce plan" (co-chairs the steering committee, the node the source names: the
    # relationship points at actor/copil-plan-pauvrete-2016, not at the plan). Not the 13 November 2015 meeting,
    # chaired by the Sous-préfet Ville (l.9). Full rows, by relation then target.
    l11 = ("réunion du 2 juin 2016 présidée par le Préfet réunissant l'ensemble des partenaires et signature le 2 juin "
           "2016 de la stratégie départementale de lutte contre la pauvreté et pour l'inclusion sociale par le Préfet, "
           "le Président du Conseil Départemental et le Collectif Citoyens Fraternelles qui regroupe une quinzaine "
           "d'associations.")
    l19 = ("co-présidé par le Préfet et par le Président du Conseil Départemental, un comité de pilotage assurera le "
           "suivi de la mise en œuvre opérationnelle de ce plan et des propositions des groupes de travail, dont il "
           "pourra orienter les réflexions.")
    got = rows(client, "actor-relations", actor=ID + "actor/prefet-92")
    assert [(local(r["actor"]), local(r["agent"]), local(r["relation"]), local(r["target"]), r["quote"]) for r in got] == [
        ("actor/prefet-92", "actor/prefet-92", "relation-kind/chairs", "event/004-reunion-2016-06-02", l11),
        ("actor/prefet-92", "actor/prefet-92", "relation-kind/co-chairs", "actor/copil-plan-pauvrete-2016", l19),
        ("actor/prefet-92", "actor/prefet-92", "relation-kind/signs", "scheme/plan-pauvrete-2016", l11)]


def test_actor_relations_memberships_of_david_mbanza(client):
    # 003 l.2, the title of the answers: "RÉPONSES DE DAVID MBANZA (EELV) ET ANNE-GAËLLE COURTY AHMED (PS) –
    # CANDIDATS AUX ÉLECTIONS DÉPARTEMENTALES, CANTON COLOMBES 2.«ENSEMBLE POUR DES HAUTS-DE-SEINE DURABLES ET
    # SOLIDAIRES»": a member of EELV and a candidate of the Colombes 2 group (two org:Membership), both backed by
    # that line
    title = ("RÉPONSES DE DAVID MBANZA (EELV) ET ANNE-GAËLLE COURTY AHMED (PS) – CANDIDATS AUX ÉLECTIONS "
             "DÉPARTEMENTALES, CANTON COLOMBES 2.«ENSEMBLE POUR DES HAUTS-DE-SEINE DURABLES ET SOLIDAIRES»")
    got = rows(client, "actor-relations", actor=ID + "person/david-mbanza")
    assert [(local(r["actor"]), local(r["agent"]), local(r["relation"]), local(r["target"]), r["quote"]) for r in got] == [
        ("person/david-mbanza", "person/david-mbanza", "relation-kind/member-of", "actor/eelv", title),
        ("person/david-mbanza", "person/david-mbanza", "relation-kind/member-of", "group/colombes-2", title)]
    # seen from the group: its two candidates, the same line
    got = rows(client, "actor-relations", actor=G003)
    assert [(local(r["agent"]), local(r["relation"]), local(r["target"]), r["quote"]) for r in got] == [
        ("person/anne-gaelle-courty-ahmed", "relation-kind/member-of", "group/colombes-2", title),
        ("person/david-mbanza", "relation-kind/member-of", "group/colombes-2", title)]


def test_figures_that_disagree_on_the_real_data(client):
    # The only indicators with figures from several sources are the social-action budget and its share:
    # 000 §2 "909 millions € (contre 834 millions € inscrits au BP 2020)" — 2021 and 2020, two different years;
    # 003 §2 "On passerait alors de 909 millions à 1200 millions" — undated, and the 1200 is a target;
    # 001 Q2 "Actuellement 55%… environ 65%", 003 §2 "La part des Hauts-de-Seine est de 52%", "70%" — undated
    # (and 65% / 70% are targets). No two DATED figures of the same indicator, date and kind from different sources:
    # by default (undated=false, or no value at all) nothing is compared.
    assert rows(client, "figures-disagree") == []
    assert rows(client, "figures-disagree", undated="false") == []
    # undated=true compares the undated figures of one indicator, unit, territory and kind, and there are none left to
    # compare: the shares are split by denominator (issue 17). 001 Q2 l.26 "Actuellement 55% du budget est consacré à la
    # politique sociale" and its target "pour atteindre environ 65%" are shares of the whole budget
    # (indicator/part-budget-action-sociale); 003 §2 l.20 "La part des Hauts-de-Seine est de 52%" continues "Les
    # dépenses de fonctionnement de l’aide sociale à l’enfance pèsent 64% dans le budget départemental"
    # (indicator/part-fonctionnement-ase-budget, territory hauts-de-seine, against the France-wide 64 %); 003 l.26
    # "à hauteur de 70% des frais de fonctionnement" is a share of operating costs
    # (indicator/part-fonctionnement-action-sociale). Comparing 55 with 52, or 65 with 70, compared an interpretation.
    assert rows(client, "figures-disagree", undated="true") == []


FIGURES = """
@prefix kg: <https://w3id.org/kg92/def#> . @prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix unit: <http://qudt.org/vocab/unit/> . @prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix ex: <https://example.org/> .
@prefix qualifier: <https://w3id.org/kg92/id/qualifier/> .
# budget 2020: group A (doc A) says 834 M€, group B (doc B) says 850 M€ -> a disagreement
ex:s1 a kg:Statement , kg:Claim ; kg:statedBy ex:groupA ; kg:figure ex:f1 .
ex:f1 qudt:value 834000000 ; qudt:hasUnit unit:CCY_EUR ; kg:asStated "834 M€" ; kg:indicator ex:budget ;
      kg:refDate "2020"^^xsd:gYear ; kg:evidence ex:qA .
ex:s2 a kg:Statement , kg:Claim ; kg:statedBy ex:groupB ; kg:figure ex:f2 , ex:f3 .
ex:f2 qudt:value 850000000 ; qudt:hasUnit unit:CCY_EUR ; kg:asStated "850 M€" ; kg:indicator ex:budget ;
      kg:refDate "2020"^^xsd:gYear ; kg:evidence ex:qB .
# budget 2021 (another year), a 2020 target (a commitment) and an undated figure: compared with none of the above
ex:f3 qudt:value 909000000 ; qudt:hasUnit unit:CCY_EUR ; kg:asStated "909 M€" ; kg:indicator ex:budget ;
      kg:refDate "2021"^^xsd:gYear ; kg:evidence ex:qB .
ex:s3 a kg:Statement , kg:Commitment ; kg:statedBy ex:groupC ; kg:figure ex:f4 .
ex:f4 qudt:value 1200000000 ; qudt:hasUnit unit:CCY_EUR ; kg:asStated "1,2 Md€" ; kg:indicator ex:budget ;
      kg:refDate "2020"^^xsd:gYear ; kg:evidence ex:qC .
ex:s4 a kg:Statement , kg:Claim ; kg:statedBy ex:groupC ; kg:figure ex:f5 .
ex:f5 qudt:value 700000000 ; qudt:hasUnit unit:CCY_EUR ; kg:asStated "700 M€" ; kg:indicator ex:budget ; kg:evidence ex:qC .
# a share over January-February 2021: two values from one source (D) and one from E -> a disagreement (period)
ex:s5 a kg:Statement , kg:Claim ; kg:statedBy ex:groupD ; kg:figure ex:f6 , ex:f7 .
ex:f6 qudt:value 45 ; qudt:hasUnit unit:PERCENT ; kg:asStated "45 %" ; kg:indicator ex:share ; kg:evidence ex:qD ;
      dcterms:temporal [ dcat:startDate "2021-01"^^xsd:gYearMonth ; dcat:endDate "2021-02"^^xsd:gYearMonth ] .
ex:f7 qudt:value 50 ; qudt:hasUnit unit:PERCENT ; kg:asStated "50 %" ; kg:indicator ex:share ; kg:evidence ex:qD ;
      dcterms:temporal [ dcat:startDate "2021-01"^^xsd:gYearMonth ; dcat:endDate "2021-02"^^xsd:gYearMonth ] .
ex:s6 a kg:Statement , kg:Claim ; kg:statedBy ex:groupE ; kg:figure ex:f8 .
ex:f8 qudt:value 45 ; qudt:hasUnit unit:PERCENT ; kg:asStated "45%" ; kg:indicator ex:share ; kg:evidence ex:qE ;
      dcterms:temporal [ dcat:startDate "2021-01"^^xsd:gYearMonth ; dcat:endDate "2021-02"^^xsd:gYearMonth ] .
# two values from ONE source for the same date (a correction, not a disagreement between sources), and two
# sources agreeing on a count: not flagged
ex:s7 a kg:Statement , kg:Claim ; kg:statedBy ex:groupA ; kg:figure ex:f9 , ex:f10 .
ex:f9 qudt:value 100 ; qudt:hasUnit unit:NUM ; kg:asStated "100" ; kg:indicator ex:count ; kg:refDate "2019"^^xsd:gYear ; kg:evidence ex:qA .
ex:f10 qudt:value 120 ; qudt:hasUnit unit:NUM ; kg:asStated "120" ; kg:indicator ex:count ; kg:refDate "2019"^^xsd:gYear ; kg:evidence ex:qA .
ex:s8 a kg:Statement , kg:Claim ; kg:statedBy ex:groupB ; kg:figure ex:f11 .
ex:f11 qudt:value 300 ; qudt:hasUnit unit:NUM ; kg:asStated "300" ; kg:indicator ex:other ; kg:refDate "2019"^^xsd:gYear ; kg:evidence ex:qB .
ex:s9 a kg:Statement , kg:Claim ; kg:statedBy ex:groupC ; kg:figure ex:f12 .
ex:f12 qudt:value 300 ; qudt:hasUnit unit:NUM ; kg:asStated "300" ; kg:indicator ex:other ; kg:refDate "2019"^^xsd:gYear ; kg:evidence ex:qC .
# one indicator and year, three territories (France, a region, a département; the last from two sources): only the
# two figures of one territory are compared
ex:s10 a kg:Statement , kg:Claim ; kg:statedBy ex:groupA ; kg:figure ex:f13 , ex:f14 .
ex:f13 qudt:value -17 ; qudt:hasUnit unit:PERCENT ; kg:asStated "-17 %" ; kg:indicator ex:housing ; kg:refDate "2020"^^xsd:gYear ;
      dcterms:spatial ex:france ; kg:evidence ex:qA .
ex:f14 qudt:value -48 ; qudt:hasUnit unit:PERCENT ; kg:asStated "-48%" ; kg:indicator ex:housing ; kg:refDate "2020"^^xsd:gYear ;
      dcterms:spatial ex:hds ; kg:evidence ex:qA .
ex:s11 a kg:Statement , kg:Claim ; kg:statedBy ex:groupB ; kg:figure ex:f15 , ex:f16 .
ex:f15 qudt:value -19 ; qudt:hasUnit unit:PERCENT ; kg:asStated "-19%" ; kg:indicator ex:housing ; kg:refDate "2020"^^xsd:gYear ;
      dcterms:spatial ex:idf ; kg:evidence ex:qB .
ex:f16 qudt:value -40 ; qudt:hasUnit unit:PERCENT ; kg:asStated "-40%" ; kg:indicator ex:housing ; kg:refDate "2020"^^xsd:gYear ;
      dcterms:spatial ex:hds ; kg:evidence ex:qB .
# one year, two semesters (EDTF 40 and 41) and the whole year, three sources: nothing is compared
ex:s12 a kg:Statement , kg:Claim ; kg:statedBy ex:groupC ; kg:figure ex:f17 .
ex:f17 qudt:value 12 ; qudt:hasUnit unit:NUM ; kg:asStated "12" ; kg:indicator ex:works ; kg:refDate "2020"^^xsd:gYear ;
      kg:yearPart ex:semester1 ; kg:evidence ex:qC .
ex:s13 a kg:Statement , kg:Claim ; kg:statedBy ex:groupD ; kg:figure ex:f18 .
ex:f18 qudt:value 15 ; qudt:hasUnit unit:NUM ; kg:asStated "15" ; kg:indicator ex:works ; kg:refDate "2020"^^xsd:gYear ;
      kg:yearPart ex:semester2 ; kg:evidence ex:qD .
ex:s14 a kg:Statement , kg:Claim ; kg:statedBy ex:groupE ; kg:figure ex:f19 .
ex:f19 qudt:value 27 ; qudt:hasUnit unit:NUM ; kg:asStated "27" ; kg:indicator ex:works ; kg:refDate "2020"^^xsd:gYear ;
      kg:evidence ex:qE .
ex:semester1 <http://www.w3.org/2004/02/skos/core#notation> "40" . ex:semester2 <http://www.w3.org/2004/02/skos/core#notation> "41" .
# qualifiers (kg:qualifier): D's "plus de 900 M€" for the 2020 budget is a lower bound, never set against A's and B's
# exact 834 / 850; "environ 100" (A) and an exact "120" (B) staff are not compared, two orders of magnitude from two
# sources ("environ 100", "environ 150") are; "plus d'une centaine" (approximate and at least) is not compared with
# "au moins 90" (at least only); a number we computed (derived) is not compared with a printed one
ex:s15 a kg:Statement , kg:Claim ; kg:statedBy ex:groupD ; kg:figure ex:f20 .
ex:f20 qudt:value 900000000 ; qudt:hasUnit unit:CCY_EUR ; kg:asStated "plus de 900 M€" ; kg:indicator ex:budget ;
      kg:refDate "2020"^^xsd:gYear ; kg:qualifier qualifier:at-least ; kg:evidence ex:qD .
ex:s16 a kg:Statement , kg:Claim ; kg:statedBy ex:groupA ; kg:figure ex:f21 , ex:f23 , ex:f25 .
ex:f21 qudt:value 100 ; qudt:hasUnit unit:NUM ; kg:asStated "environ 100" ; kg:indicator ex:staff ; kg:refDate "2019"^^xsd:gYear ;
      kg:qualifier qualifier:approximate ; kg:evidence ex:qA .
ex:f23 qudt:value 100 ; qudt:hasUnit unit:NUM ; kg:asStated "plus d'une centaine" ; kg:indicator ex:cases ; kg:refDate "2019"^^xsd:gYear ;
      kg:qualifier qualifier:approximate , qualifier:at-least ; kg:evidence ex:qA .
ex:f25 qudt:value 8 ; qudt:hasUnit unit:HR ; kg:asStated "de 9h à 17h" ; kg:indicator ex:hours ; kg:refDate "2019"^^xsd:gYear ;
      kg:qualifier qualifier:derived ; kg:evidence ex:qA .
ex:s17 a kg:Statement , kg:Claim ; kg:statedBy ex:groupB ; kg:figure ex:f22 , ex:f24 , ex:f26 .
ex:f22 qudt:value 120 ; qudt:hasUnit unit:NUM ; kg:asStated "120" ; kg:indicator ex:staff ; kg:refDate "2019"^^xsd:gYear ; kg:evidence ex:qB .
ex:f24 qudt:value 90 ; qudt:hasUnit unit:NUM ; kg:asStated "au moins 90" ; kg:indicator ex:cases ; kg:refDate "2019"^^xsd:gYear ;
      kg:qualifier qualifier:at-least ; kg:evidence ex:qB .
ex:f26 qudt:value 9 ; qudt:hasUnit unit:HR ; kg:asStated "9 heures" ; kg:indicator ex:hours ; kg:refDate "2019"^^xsd:gYear ; kg:evidence ex:qB .
ex:s18 a kg:Statement , kg:Claim ; kg:statedBy ex:groupC ; kg:figure ex:f27 .
ex:f27 qudt:value 150 ; qudt:hasUnit unit:NUM ; kg:asStated "environ 150" ; kg:indicator ex:staff ; kg:refDate "2019"^^xsd:gYear ;
      kg:qualifier qualifier:approximate ; kg:evidence ex:qC .
"""


def test_figures_disagree_finds_a_real_disagreement():
    quotes = "".join(f'ex:q{d} oa:hasSource ex:doc{d} ; oa:hasSelector [ oa:exact "quote {d}" ] .\n' for d in "ABCDE")
    store = ox.Store()
    store.load(FIGURES + quotes, format=ox.RdfFormat.TURTLE)
    text = (ROOT / "queries" / "figures-disagree.rq").read_text(encoding="utf-8")
    got = [(short(r["indicator"].value), r["when"].value, short(r["where"].value) if r["where"].value else "",
            r["qualifier"].value, r["kind"].value.replace(KG, ""), r["value"].value,
            short(r["statedBy"].value), short(r["document"].value), short(r["figure"].value), r["quote"].value)
           for r in store.query(text)]
    assert got == [
        ("budget", "2020", "", "exact", "Claim", "834000000", "groupA", "docA", "f1", "quote A"),
        ("budget", "2020", "", "exact", "Claim", "850000000", "groupB", "docB", "f2", "quote B"),
        ("housing", "2020", "hds", "exact", "Claim", "-48", "groupA", "docA", "f14", "quote A"),
        ("housing", "2020", "hds", "exact", "Claim", "-40", "groupB", "docB", "f16", "quote B"),
        ("share", "2021-01/2021-02", "", "exact", "Claim", "45", "groupD", "docD", "f6", "quote D"),
        ("share", "2021-01/2021-02", "", "exact", "Claim", "45", "groupE", "docE", "f8", "quote E"),
        ("share", "2021-01/2021-02", "", "exact", "Claim", "50", "groupD", "docD", "f7", "quote D"),
        ("staff", "2019", "", "approximate", "Claim", "100", "groupA", "docA", "f21", "quote A"),
        ("staff", "2019", "", "approximate", "Claim", "150", "groupC", "docC", "f27", "quote C")]


def test_figures_disagree_keys_every_qualifier_of_the_vocabulary():
    # the query builds its qualifier key from the controlled values one by one: each value of the figure-qualifiers
    # scheme (data/ttl/vocab.ttl) is in it, so that no qualified figure is ever keyed "exact" (once: the groups list
    # their figures, whose keys are not computed a second time)
    store = ox.Store()
    store.load(path=ROOT / "data" / "ttl" / "vocab.ttl", format=ox.RdfFormat.TURTLE)
    values = sorted(s["q"].value.removeprefix(ID + "qualifier/") for s in store.query(
        f"SELECT ?q WHERE {{ ?q a <{KG}Qualifier> }}"))
    assert values == ["approximate", "at-least", "at-most", "derived"]
    text = (ROOT / "queries" / "figures-disagree.rq").read_text(encoding="utf-8")
    for value in values:
        assert text.count(f"kg:qualifier qualifier:{value} BIND (\"{value} \" AS ") == 1, value


def _in_source(quote_iri: str, exact: str) -> None:
    """The quote's text is at its offsets in its source file (when the sources are at hand)."""
    doc, start, end = re.fullmatch(r".*/quote/(\d{3})-(\d+)-(\d+)", quote_iri).groups()
    if SOURCES.is_dir():
        text = next(SOURCES.glob(f"{doc}_*.txt")).read_text(encoding="utf-8")
        assert text[int(start):int(end)] == exact


def test_quote_search_is_accent_and_case_insensitive(client):
    # 001 l.39: "Développer les moyens du Samu Social pour les personnes isolées…", the quote of one statement
    # and of the two competence relationships it states (State: isolated people; Département: families)
    for text in ("samu social", "SAMU SOCIAL", "developper les moyens du samu"):
        got = rows(client, "quote-search", text=text)
        assert [(local(r["quote"]), local(r["node"])) for r in got] == [
            ("quote/001-5630-5761", "relationship/001-departement-competence-samu-social-familles"),
            ("quote/001-5630-5761", "relationship/001-etat-competence-samu-social-isoles"),
            ("quote/001-5630-5761", "statement/001-q3-samu-social")], text


# Every quote of the graph with "hôtel(s)" in it (any case, with or without the accent), and what each backs:
HOTEL = [
    # 000's copy of question 5 (the IGAS synthesis "600 jeunes confiés à l'ASE dans des hôtels prestataires" and
    # "Prévoyez-vous de mettre fin à ces hébergements durables en hôtels ?")
    ("quote/000-20366-21049", "question/000-q5"),
    # 000 §5 "La part des hébergements à l'hôtel représente donc environ 10% des prises en charge…": the answer's
    # opening, the MNA counts (350 in 2015, 1 278 in 2020, + 265%), the 10% share and the statement
    ("quote/000-21199-21561", "answer/000-q5"), ("quote/000-21199-21561", "figure/000-evolution-mna-2015-2020"),
    ("quote/000-21199-21561", "figure/000-mna-accueillis-2015"), ("quote/000-21199-21561", "figure/000-mna-accueillis-2020"),
    ("quote/000-21199-21561", "figure/000-part-hotel-prises-en-charge-ase"), ("quote/000-21199-21561", "statement/000-q5-hotel-mna"),
    # 000 §5 "pour sortir ces jeunes de l'hôtel : en 2018, 2019 et 2020, plusieurs appels à projets"
    ("quote/000-21563-21832", "event/000-appels-a-projets-places-ase-2018-2020"),
    ("quote/000-21563-21832", "statement/000-q5-appels-a-projets"),
    # 000 §5 "le recours à l'hôtel restait malheureusement la seule solution"
    ("quote/000-22162-22351", "position/000-q5-fin-hebergements-hotel"), ("quote/000-22162-22351", "statement/000-q5-recours-hotel"),
    # 000 §5 "maintenir la possibilité de recourir à l'hôtel"
    ("quote/000-22352-22552", "statement/000-q5-projet-de-loi-hotel"),
    # 001: the text of question 5 ("hébergements durables en hôtels") and the IGAS synthesis it quotes ("600 jeunes
    # confiés à l’ASE dans des hôtels prestataires", "à 70 % mineurs")
    ("quote/001-8011-8728", "question/ccf92-2021-q5"),
    ("quote/001-8248-8491", "figure/001-question-5-igas-jeunes-hotels"),
    ("quote/001-8248-8491", "figure/001-question-5-igas-part-mineurs"),
    ("quote/001-8248-8491", "statement/001-question-5-igas-jeunes-hotels"),
    # 001 Q5 "de mettre fin aux hébergements à l’hôtel"
    ("quote/001-9041-9204", "position/001-q5-fin-hebergements-hotel"), ("quote/001-9041-9204", "statement/001-q5-fin-hotel"),
    # 002: Siem Reap "hôtels-restaurants" (l.560) and "hôtels restaurants" (l.575)
    ("quote/002-60322-60546", "statement/002-coop-cambodge-maraichage"),
    ("quote/002-61962-62204", "statement/002-siem-reap-circuits-courts"),
    # 003 §5 "les hébergements en hôtels sont devenus pratique courante", "la fin des accueils en hôtel",
    # "jeunes placés à l’hôtel"
    ("quote/003-11601-11701", "statement/003-q5-fermeture-foyers"),
    ("quote/003-11821-11868", "position/003-q5-fin-hebergements-hotel"), ("quote/003-11821-11868", "statement/003-q5-fin-accueils-hotel"),
    ("quote/003-11869-12173", "statement/003-q5-service-educatif-quotidien"),
    # 003 §2 "tourner définitivement le dos aux accueils généralisés en hôtels"
    ("quote/003-5958-6139", "position/003-q2-decomposer-budget-action-sociale"),
    ("quote/003-5958-6139", "statement/003-q2-augmenter-investissement"),
    # 003 §4 "avec des hôtels qui en développent un véritable business de la misère"
    ("quote/003-9927-10131", "statement/003-q4-hotels-business-misere"),
]


def test_quote_search_hotel(client):
    got = rows(client, "quote-search", text="HOTEL")
    assert [(local(r["quote"]), local(r["node"])) for r in got] == HOTEL
    for r in got:
        assert "hôtel" in r["exact"].lower() and r["text"] == "HOTEL"
        assert r["document"] == ID + "document/" + short(r["quote"])[:3]
        _in_source(r["quote"], r["exact"])


def test_quote_search_folds_no_break_spaces(client):
    # 003 l.20 "le département le plus riche de France ; le compte n’y est pas." is printed with a no-break space
    # (U+00A0) before the semicolon: typed with an ordinary space, the phrase finds it
    got = rows(client, "quote-search", text="France ; le compte")
    assert [(local(r["quote"]), local(r["node"])) for r in got] == [
        ("quote/003-4992-5175", "figure/003-part-hauts-de-seine"), ("quote/003-4992-5175", "statement/003-q2-part-hauts-de-seine")]
    assert "France\u00a0; le compte" in got[0]["exact"]
    _in_source(got[0]["quote"], got[0]["exact"])
    # 003 l.64 "Le dispositif «\u00a0premières heures\u00a0»" (no-break spaces inside the guillemets) and 001 Q6
    # "« Premières heures »" (ordinary spaces): one search, typed either way, finds both, and 000 §6
    for typed in ("« premieres heures »", "«\u00a0premieres heures\u202f»"):
        got = rows(client, "quote-search", text=typed)
        assert sorted({local(r["quote"]) for r in got}) == ["quote/000-25865-26246", "quote/001-10898-11244",
                                                            "quote/003-14575-14959"], typed
    # the search term's own no-break space folds too: "Samu\u00a0Social" finds 001 l.39's ordinary space
    assert {local(r["quote"]) for r in rows(client, "quote-search", text="Samu\u00a0Social")} == {"quote/001-5630-5761"}


# The schemes that document 003 (Colombes 2's answers) talks about, with how many of its statements name each and
# in how many of the five documents each is named:
SCHEMES_OF_003 = [
    # §3 "Le revenu de base en est un", §6 "l’expérimentation d’un revenu de base" and the next sentence "A terme, il
    # pourrait être élargi à tous les publics" (« il »: the revenu de base, resolved from that sentence), the one
    # after "Un tel dispositif permet d’aborder autrement l’action sociale" (resolved from the same passage), and the
    # group's position beyond the asks on it (§6 "Notre proposition phare": position/003-revenu-de-base, supports)
    ("revenu-de-base", "5", "1"),
    # §1 "la mort d'un jeune suivi par l'ASE", §2 "Les dépenses de fonctionnement de l’aide sociale à l’enfance", and
    # the two sentences that follow it about that share ("cette partie varie de 39 à 75%", "La part des Hauts-de-Seine
    # est de 52%": linked to the ASE resolved from context, the passage being the sentence before); in all five documents
    ("ase", "4", "5"),
    # §6 "le développement d’une économie sociale et solidaire", "fait pleinement place à l’ESS", and "une approche
    # globale et systémique de ces sujets" (« ces sujets »: the ESS of the sentence before, resolved from context)
    ("ess", "3", "1"),
    # §4 "le logement social ne bénéficie pas…", "une part de logement social", "de logement social, ambitieuse";
    # also 000 §4, 001 Q4 and 002 §2.1.8.2 ("un taux de libération des logements sociaux qui diminue", the 49 homes
    # allotted to the Département's staff)
    ("logement-social", "3", "4"),
    # §1 "l’ancien projet … de fusion entre les Hauts-de-Seine et les Yvelines", §3 "par leur projet de fusion", and the
    # group's position beyond the asks on it (§1 "unilatéral et antidémocratique": position/003-fusion-92-78, opposes)
    ("projet-fusion-92-78", "3", "1"),
    # §3 "Le dispositif TZCLD un autre", §6 "l’intégration dans le dispositif TZCLD", "Le dispositif TZCLD est
    # aujourd’hui solide"; also 000 §6 and 001 Q6
    ("tzcld", "3", "3"),
    # §5 "Des foyers d’accueil ont fermé", "réouverture de foyers départementaux"; also 001 Q5 "foyers"
    ("foyers-accueil", "2", "2"),
    # §5 "accueils familiaux (famille d’accueil …)"; also 001 Q5 "placement familial"
    ("accueil-familial", "1", "2"),
    # §8 "chèques numériques"
    ("cheques-numeriques", "1", "1"),
    # §3 "Une conférence des acteurs de la solidarité"
    ("conference-acteurs-solidarite", "1", "1"),
    # §5 "généralisation du contrat jeune majeur"; also 001 Q5
    ("contrats-jeunes-majeurs", "1", "2"),
    # §8 "code des relations entre le public et l’administration (CRPA)"
    ("crpa", "1", "1"),
    # §8 "espaces insertion"; also 002 (Espaces Insertion of the DST)
    ("espaces-insertion", "1", "2"),
    # §5 "Maisons Familiales Rurales"
    ("maisons-familiales-rurales", "1", "1"),
    # §7 "les pactes alimentaires territoriaux"; also 001 Q7, and 000's copy of question 7 ("Les Projets Alimentaires
    # Territoriaux (PAT) ont pour objectif…", question/000-q7: question text, not a citation by the majority)
    ("pat", "1", "3"),
    # §4 "en privilégiant les PLAI"; also 000 §4
    ("plai", "1", "2"),
    # §1 "un plan des risques psycho-sociaux"
    ("plan-risques-psycho-sociaux", "1", "1"),
    # §6 "Le dispositif « premières heures »"; also 000 §6 and 001 Q6
    ("premieres-heures", "1", "3"),
    # §8 "un répertoire des informations publiques"
    ("repertoire-informations-publiques", "1", "1"),
    # §5 "un véritable service éducatif du quotidien"
    ("service-educatif-quotidien", "1", "1"),
    # §8 "un site en données ouvertes (open data)"
    ("site-open-data", "1", "1"),
]


def test_schemes_per_document_003(client):
    got = rows(client, "schemes-per-document", document=ID + "document/003")
    assert [(short(r["document"]), short(r["scheme"]), r["mentions"], r["documents"]) for r in got] == [
        ("003", s, m, d) for s, m, d in SCHEMES_OF_003]


def test_schemes_in_one_document_003(client):
    got = rows(client, "schemes-in-one-document", document=ID + "document/003")
    assert [(short(r["scheme"]), short(r["document"])) for r in got] == [
        (s, "003") for s, _, d in sorted(SCHEMES_OF_003) if d == "1"]
    assert [r["label"] for r in got] == [
        "chèques numériques", "conférence des acteurs de la solidarité",
        "code des relations entre le public et l'administration", "économie sociale et solidaire", "Maisons Familiales Rurales",
        "plan des risques psycho-sociaux", "projet de fusion entre les Hauts-de-Seine et les Yvelines",
        "répertoire des informations publiques", "revenu de base", "service éducatif du quotidien",
        "site en données ouvertes"]


def test_the_two_scheme_document_queries_agree(client):
    # without a parameter: the schemes in one document are exactly the per-document rows counting 1 document
    per_doc = rows(client, "schemes-per-document")
    single = rows(client, "schemes-in-one-document")
    assert sorted((r["scheme"], r["document"]) for r in single) == sorted(
        (r["scheme"], r["document"]) for r in per_doc if r["documents"] == "1")
    assert [r for r in per_doc if short(r["document"]) == "003"] == rows(client, "schemes-per-document", document=ID + "document/003")
    one = {short(r["scheme"]): short(r["document"]) for r in single}
    # 001 l.39 "Samu Social"; 002's SIOSMS; TZCLD and RSA are named in several documents, and so is the PDALHPD:
    # 001 Q4 "au déploiement du plan PDALHPD" and 000's copy of question 4 ("Vous engagez-vous à adopter rapidement
    # un nouveau PDALHPD", question/000-q4)
    assert (one["samu-social"], one["siosms"]) == ("001", "002")
    assert "tzcld" not in one and "rsa" not in one and "pdalhpd" not in one


def test_co_citation(client):
    # 001 Q5 "placement familial, foyers, …" and 003 §5 "accueils familiaux … réouverture de foyers
    # départementaux": two commitments name both; 000 §3 axis 2 "bénéficiaires du RSA … SPIE … avec Activity" and
    # 000 §6 "« Premières Heures » … dans le cadre du déploiement du SPIE … avec l'agence interdépartementale
    # ACTIVITY": two commitments name ActivitY' and the SPIE
    got = rows(client, "co-citation", min="2")
    assert [(short(r["a"]), short(r["b"]), r["commitments"], r["min"]) for r in got] == [
        ("accueil-familial", "foyers-accueil", "2", "2"), ("activity", "spie", "2", "2")]
    # the SPIE's pairs: the two commitments above (ActivitY' twice, Premières Heures and the RSA once each)
    got = rows(client, "co-citation", scheme=ID + "scheme/spie")
    assert [(short(r["a"]), short(r["b"]), r["commitments"]) for r in got] == [
        ("activity", "spie", "2"), ("premieres-heures", "spie", "1"), ("rsa", "spie", "1")]
    # claims do not count: 002 names the Espaces Insertion with the RSA, the PMI, the CPEF, the NOTRe law… in
    # claims only; 003 §8 pledges "chèques numériques ; … espaces insertion"
    assert rows(client, "co-citation", scheme=ID + "scheme/espaces-insertion", min="1") == [
        {"min": "1", "scheme": ID + "scheme/espaces-insertion", "a": ID + "scheme/cheques-numeriques",
         "b": ID + "scheme/espaces-insertion", "commitments": "1"}]


def test_scheme_lifecycle(client):
    # 004 l.9 meeting of 13 November 2015 on the plan; l.11 meeting and signature on 2 June 2016 "par le Préfet,
    # le Président du Conseil Départemental et le Collectif Citoyens Fraternelles"; l.13 "co-présidé par le Préfet
    # et par le Président du Conseil Départemental, un comité de pilotage assurera le suivi" (the two co-chair the
    # comité, actor/copil-plan-pauvrete-2016, which pilots the plan: they are not the plan's relationships); the plan is the
    # State's and the Département's (title: "partenariat entre l'État … et le Conseil départemental")
    got = rows(client, "scheme-lifecycle", scheme=ID + "scheme/plan-pauvrete-2016")
    assert [(r["step"], local(r["other"]), local(r["relation"]), r["date"]) for r in got] == [
        ("event", "event/004-reunion-2015-11-13", "event-kind/meeting", "2015-11-13"),
        ("event", "event/004-reunion-2016-06-02", "event-kind/meeting", "2016-06-02"),
        ("event", "event/004-signature-strategie-2016-06-02", "event-kind/signature", "2016-06-02"),
        ("relationship", "actor/ccf92", "relation-kind/signs", None),
        ("relationship", "actor/copil-plan-pauvrete-2016", "relation-kind/pilots", None),
        ("relationship", "actor/prefet-92", "relation-kind/signs", None),
        ("relationship", "actor/president-departement-92", "relation-kind/signs", None),
        ("implemented-by", "actor/departement-92", None, None),
        ("implemented-by", "actor/etat", None, None)]
    assert [r["otherLabel"] for r in got][:3] == ["Réunion « plan pauvreté » du 13 novembre 2015",
                                                  "Réunion des partenaires du plan pauvreté présidée par le Préfet",
                                                  "Signature de la stratégie départementale de lutte contre la pauvreté et pour l'inclusion sociale"]
    # 000 l.106 "Le PDALHPD qui aurait dû succéder au PDALHPD 2014-2020"; 004 l.38 names the older PDALPD: the
    # PDALHPD succeeds the PDALPD, and the PDALPD's successor is the PDALHPD
    assert [(r["step"], local(r["other"])) for r in rows(client, "scheme-lifecycle", scheme=ID + "scheme/pdalhpd")] == [
        ("predecessor", "scheme/pdalpd")]
    assert [(r["step"], local(r["other"])) for r in rows(client, "scheme-lifecycle", scheme=ID + "scheme/pdalpd")] == [
        ("successor", "scheme/pdalhpd")]


def test_schemes_cited_per_group(client):
    # Colombes 2 (document 003): the schemes of SCHEMES_OF_003 (all named in its answers), with the number of its
    # statements naming each and how many of them are commitments: logement social §4 (the PLAI share is the
    # pledge; "ne bénéficie pas à ceux qui en ont le plus besoin" is a claim, the office conversions a forecast);
    # TZCLD §3 "dispositifs originaux" and §6 "l’intégration dans le dispositif TZCLD" pledged, "aujourd’hui
    # solide" a claim; ASE §1 and §2 claims; foyers: "ont fermé" (claim), "réouverture" (pledge); the merger
    # project: two claims; revenu de base §3 and §6 pledged, §6 "Un tel dispositif" a claim; Premières Heures "est également intéressant" and the
    # PAT "c’est ça que doivent promouvoir les pactes" are claims; every other scheme is named in one pledge
    got = rows(client, "schemes-cited-per-group", group=G003)
    assert {r["group"] for r in got} == {G003}
    claims_only = {"ase", "projet-fusion-92-78", "pat", "premieres-heures"}
    # nodes of SCHEMES_OF_003 that are positions (beyond the asks), not statements
    positions = {"projet-fusion-92-78": 1, "revenu-de-base": 1}
    expected = {s: (str(int(m) - positions.get(s, 0)), {"logement-social": "1", "tzcld": "2", "foyers-accueil": "1",
                                                         "revenu-de-base": "2"}.get(s, "0" if s in claims_only else m))
                for s, m, _ in SCHEMES_OF_003}
    assert [(short(r["scheme"]), r["statements"], r["commitments"]) for r in got] == [
        (s, m, c) for s, (m, c) in sorted(expected.items(), key=lambda kv: (-int(kv[1][0]), kv[0]))]

    # without a parameter, every group; the schemes all three groups cite are those of schemes-cited-by-every-group
    every = rows(client, "schemes-cited-per-group")
    assert [r for r in every if r["group"] == G003] == got
    per_scheme: dict[str, set[str]] = {}
    for r in every:
        per_scheme.setdefault(short(r["scheme"]), set()).add(r["group"])
    assert {s for s, groups in per_scheme.items() if len(groups) == 3} == CITED_BY_EVERY_GROUP


def test_theme_comparison_food(client):
    # Question 7 (food). 000: commitments "approche plus directe du soutien aux agriculteurs", "un critère de
    # sélection des futurs opérateurs", "aller au-delà des obligations légales imposées par la loi EGALIM"; claims
    # "la restauration scolaire … constitue un levier fondamental", "une approche interdépartementale … prend tout
    # son sens"; no position on the PAT. 001: the three commitments of l.74-76 (PAT, short circuits for the
    # canteens and EHPAD, farmers), PAT conditional. 003: five pledges (urban agriculture, "soutenir une
    # agriculture périurbaine", "réintroduire des modèles agricoles périurbains", organic catering, Île-de-France
    # synergies) and seven findings; "les pactes alimentaires territoriaux" names the PAT; supports the PAT.
    got = rows(client, "theme-comparison", theme=ID + "theme/alimentation")
    assert [(short(r["group"]), r["commitments"], r["claims"], r["forecasts"], r["schemes"], r["stances"]) for r in got] == [
        ("colombes-2", "5", "7", "0", "pat", "q7-soutenir-pat=supports"),
        ("majorite-departementale", "3", "2", "0", "loi-egalim", "q7-soutenir-pat=no-position"),
        ("groupe-001", "3", "0", "0", "ehpad pat", "q7-soutenir-pat=conditional")]
    assert {r["themeLabel"] for r in got} == {"Accès à l'alimentation"}


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "queries").glob("*.rq")))
def test_every_query_runs_with_its_example(client, real_app, name):
    q = real_app.extensions["kg92.queries"].get(name)
    if q.form == "CONSTRUCT":
        resp = client.get(f"/api/{name}", query_string=q.example(), headers={"Accept": "application/n-triples"})
        assert resp.status_code == 200 and resp.get_data(as_text=True).strip()
    else:
        rows(client, name, **q.example())   # 200 and SPARQL JSON results


def test_cq_01_groups_answered_the_eight_questions(client):
    assert sorted((short(r["group"]), short(r["document"]), r["questions"]) for r in cq_rows(client, "01")) == [
        ("colombes-2", "003", "8"), ("groupe-001", "001", "8"), ("majorite-departementale", "000", "8")]


def test_cq_02_questions_in_order(client):
    # asks per question, from the questionnaire (the text of each question in 001): Q1 remedy, guarantee access to
    # a social worker, recruit, phone and on-site access; Q2 share, breakdown, evaluations, increase; …
    assert [(r["number"], short(r["theme"]), r["asks"]) for r in cq_rows(client, "02")] == [
        ("1", "acces-aux-droits", "4"), ("2", "budget-action-sociale", "4"), ("3", "plan-pauvrete", "1"),
        ("4", "logement", "2"), ("5", "protection-enfance", "2"), ("6", "insertion", "2"),
        ("7", "alimentation", "1"), ("8", "communication", "1")]


def test_cq_03_conditional_positions(client):
    assert [(short(r["group"]), short(r["ask"])) for r in cq_rows(client, "03")] == [
        ("groupe-001", "q7-soutenir-pat"), ("majorite-departementale", "q6-soutenir-premieres-heures"),
        ("majorite-departementale", "q6-soutenir-tzcld")]


def test_cq_04_quote_offsets_match_the_source(client):
    (row,) = cq_rows(client, "04")
    assert row["file"] == "001_4f98e95b9ea0c605.txt"
    if SOURCES.is_dir():
        text = (SOURCES / row["file"]).read_text(encoding="utf-8")
        assert text[int(row["start"]):int(row["end"])] == row["exact"]
    assert row["exact"] == "Oui nous soutiendrons la mise en œuvre des PAT, en fonction des possibilités dans les communes."


def test_cq_05_budget_figures(client):
    assert [(short(r["statedBy"]), r["value"]) for r in cq_rows(client, "05")] == [
        ("colombes-2", "909000000"), ("colombes-2", "1200000000"),
        ("majorite-departementale", "834000000"), ("majorite-departementale", "909000000")]


def test_cq_06_child_welfare_counts(client):
    # 000 §5 "près de 5 100 enfants" (undated); "350 en 2015 ; 1 278 en 2020"; 002 l.198-199 "1 336 … en 2019
    # (contre 874 jeunes MNA en 2018)", "Au 31 décembre 2019, 6 391 jeunes bénéficient d’une mesure"; the IGAS
    # synthesis quoted in question 5 (report of December 2020) "l’accueil de 600 jeunes confiés à l’ASE dans des
    # hôtels prestataires"; 000 §5 "alors que nous avons obtenu 575 places avec les différents appels à projets,
    # seulement 275 places étaient réellement attribuées début 2021" (the ASE's places: the answer names the ASE two
    # sentences before, "près de 5 100 enfants sont suivis par l'ASE", resolved from context); undated (575 has a
    # period, 2018-2021, not a date) first, then by date
    assert [(r["asStated"], short(r["population"]), r["date"]) for r in cq_rows(client, "06")] == [
        ("575", "places-accueil-ase", None), ("5 100", "enfants-suivis-ase", None), ("350", "mineurs-non-accompagnes-ase", "2015"),
        ("874", "mineurs-non-accompagnes-ase", "2018"), ("1 336", "mineurs-non-accompagnes-ase", "2019"),
        ("6 391", "jeunes-mesure-ase", "2019-12-31"), ("1 278", "mineurs-non-accompagnes-ase", "2020"),
        ("600", "jeunes-ase-hotels-prestataires", "2020-12"), ("275", "places-accueil-ase", "2021")]


def test_cq_07_events_dated_to_the_day(client):
    # with their participants: 002 l.410 "loi handicap du 11 février 2005" (none); 004 l.9 "13 novembre 2015
    # présidée par le Sous-préfet Ville, avec le Conseil départemental, la DDCS et la MCI" (4); 002 l.207 "les lois
    # du 05 mars 2017 et 16 mars 2016" (dated as printed, probable misprints; none); 002 l.102 TGD
    # "signée le 11 mai 2016 entre le Département, la Préfecture, le TGI de Nanterre, le Procureur de la
    # République, les services de police, les sociétés Orange, Mondial Assistance et l’association L’Escale" (8);
    # 004 l.11 the 2 June 2016 meeting "présidée par le Préfet" (1) and signature by the Préfet, the Président
    # and the Collectif (3); 002 l.6 "Le 28 septembre 2018, le Département, en coopération avec les Yvelines, a
    # adopté le SIOSMS" (2); l.24 "adoptée le 19 mars 2019" (the Département, its pôle Solidarités); l.325 "le 28
    # mars … JOB78-JOB92 par les Départements des Hauts-de-Seine et des Yvelines" (2); l.39 "inauguré le 26
    # septembre 2019" (1); l.466 "« Pitch day », le 11 octobre 2019, … la Conférence des financeurs des deux
    # Départements" (2); l.312 "ont adopté, le 18 octobre 2019" (the two Départements); l.186 "inauguré le 26
    # novembre 2019" (1); l.631 "ont pris effet le 1er janvier 2020" (1); l.79 "conférence-débat le 9 janvier
    # 2020, par les membres du Conseil de Développement Durable Interdépartemental" (2); 000 l.27 "depuis le 1er
    # janvier 2021" and l.152 "Effectif depuis le 1er février 2021" (the Département)
    assert [(short(r["event"]), r["date"], r["participants"]) for r in cq_rows(client, "07")] == [
        ("002-loi-handicap-2005", "2005-02-11", "0"), ("004-reunion-2015-11-13", "2015-11-13", "4"),
        ("002-loi-2016-03-16", "2016-03-16", "0"),
        ("002-signature-convention-tgd", "2016-05-11", "8"), ("004-reunion-2016-06-02", "2016-06-02", "1"),
        ("004-signature-strategie-2016-06-02", "2016-06-02", "3"), ("002-loi-2017-03-05", "2017-03-05", "0"),
        ("002-adoption-siosms", "2018-09-28", "2"),
        ("002-adoption-organisation-pole-solidarites", "2019-03-19", "2"),
        ("002-lancement-job78-job92", "2019-03-28", "2"), ("002-inauguration-pole-social-chatillon", "2019-09-26", "1"),
        ("002-e-tonomy-pitch-day", "2019-10-11", "2"), ("002-adoption-activity", "2019-10-18", "2"),
        ("002-inauguration-bus-sante-femmes", "2019-11-26", "1"),
        ("002-prise-effet-conventions-participation", "2020-01-01", "1"),
        ("002-conference-debat-cddi-2020", "2020-01-09", "2"),
        ("000-revalorisation-regime-indemnitaire-2021", "2021-01-01", "1"),
        ("000-lancement-dispositif-accueil-transitoire", "2021-02-01", "1")]


# Every scheme with an acronym, as printed where the sources spell it out, with its kind (the definitions of
# vocab.ttl: allowance = allocation, aid or assisted loan; measure = benefit delivered to a person; law = law or
# regulatory regime; …). In code-point order of the acronym, so "ASV" sorts before "Ad’AP".
ACRONYMS = [
    ("ACTP", "allowance"),        # 002 l.370 "allocation compensatrice pour tierce personne (ACTP)"
    ("AED", "measure"),           # 002 l.208 "Aide éducative à domicile (AED)"
    ("AEEH", "allowance"),        # 002 l.133 "Allocation d’Education de l’Enfant Handicapé (AEEH)"
    ("AEOM", "measure"),          # 002 l.208 "Action éducative en milieu ouvert (AEOM)" (as printed; usually AEMO)
    ("ALF", "allowance"),         # 004 l.67 "allocation logement familial (ALF)"
    ("APA", "allowance"),         # 000 §2 l.60 "allocations individuelles de solidarité (APA, RSA, PCH)"
    ("APA Habitat", "allowance"),  # 002 l.386 "Allocation personnalisée d’autonomie Habitat : APA Habitat"
    ("APAD", "allowance"),        # 002 l.369 "Allocation Personnalisée d’Autonomie à domicile (APAD)"
    ("ASE", "service"),           # 000 l.7 "l'ASE"; 001 Q1 "aide sociale à l’enfance"
    ("ASLL", "measure"),          # 002 l.292 "l’accompagnement social lié au logement (ASLL)"
    ("ASV", "law"),               # 002 l.374 "dans le cadre de la loi ASV"
    ("Ad’AP", "plan"),            # 002 l.412 "l’Agenda d’accessibilité programmée (Ad’AP) d’Ile-de-France Mobilités"
    ("CER", "contract"),          # 002 l.286 "Contrats d’engagement réciproque (CER)"
    ("CIP", "service"),           # 001 Q6 l.70 "des CIP, conseillers en insertion"
    ("CLS", "contract"),          # 004 l.79 "contrats locaux de santé (CLS)"
    ("CPEF", "facility"),         # 002 l.28 "Centres de PMI, CPEF, Espaces Insertion"
    ("CPOM", "contract"),         # 002 l.86 "Contrats pluriannuels d’objectifs et de moyens (CPOM)"
    ("CRPA", "law"),              # 003 §8 l.69 "code des relations entre le public et l’administration (CRPA)"
    ("DEMOS", "programme"),       # 004 l.61 "DEMOS (dispositif d'éducation musicale …)"
    ("EAJE", "facility"),         # 002 l.134 "établissements d’accueil du jeune enfant (EAJE)"
    ("EGALIM", "law"),            # 000 l.189 "les obligations légales imposées par la loi EGALIM" (issue 17)
    ("EHPAD", "facility"),        # 000 l.71 "places d'hébergement temporaires en EHPAD"
    ("EPN", "measure"),           # 002 l.141 "l’entretien post-natal (EPN)"
    ("EPP", "measure"),           # 002 l.141 "l’entretien prénatal précoce (EPP)"
    ("ESS", "programme"),         # 003 §6 l.54 "une économie sociale et solidaire", "l’ESS"
    ("FJT", "facility"),          # 001 Q5 l.59 "structures de semi autonomie, FJT, lieux de vie"
    ("FS2I", "fund"),             # 002 l.475 "fonds de solidarité interdépartemental d’investissement (FS2I)"
    ("FSL", "fund"),              # 000 §1 l.37 "FSL (Fonds de solidarité pour le logement)"
    ("FVV 92", "service"),        # 002 l.100 "dispositif inter-associatif Femmes Victimes de Violences (FVV 92)"
    ("GRC", "platform"),
    ("HLM", "programme"),         # 000 §4 l.118 "des organismes HLM" (logement social, "logements sociaux")          # 002 l.110 "Une Gestion de Relation Citoyen (GRC) unifiée pour la PMI"
    ("MAPTAM", "law"),            # 002 l.300 "Lois MAPTAM et NOTRe"
    ("NOTRe", "law"),
    ("PAG", "measure"),           # 002 l.431 "plans d’accompagnement global (PAG)"
    ("PAM 92", "service"),        # 002 l.400 "Pour aider à la mobilité 92 (PAM 92)"
    ("PAS", "measure"),           # 002 l.601 "l’impact du PAS sur la gestion des budgets"
    ("PAT", "programme"),         # 000 l.187 "Les Projets Alimentaires Territoriaux (PAT)"
    ("PCH", "allowance"),         # 000 §2 l.60 "(APA, RSA, PCH)"
    ("PCPE", "service"),          # 002 l.431 "pôles de compétences et de prestations externalisées (PCPE)"
    ("PDAFI", "programme"),       # 002 l.290 "Programme départemental des aides financières (PDAFI)"
    ("PDALHPD", "plan"),          # 000 l.106 "Plan Départemental d'Action pour le Logement et l'Hébergement … (PDALHPD)"
    ("PDALPD", "plan"),           # 004 l.38 "les PDALPD"
    ("PDI-RE", "programme"),      # 002 l.287 "Programme départemental d’insertion et de retour à l’emploi (PDI-RE)"
    ("PLAI", "allowance"),        # 000 §4 l.106 "subventions d'aide à la pierre … (PLAI et ANAH très social)";
    ("PLS", "allowance"),         # l.108 "tous les types de produits (PLS, PLUS et PLAI)" (assisted loans)
    ("PLUS", "allowance"),
    ("PMI", "service"),           # 001 Q2 l.26 "de la PMI"
    ("RIE", "facility"),          # 002 l.613 "le restaurant inter-entreprises (RIE) de l’Aréna"
    ("RIFSSEEP", "law"),          # 000 l.25 "régime indemnitaire … (avec le passage au RIFSSEEP)"
    ("RLS", "measure"),           # 000 l.108 "Réduction de loyer de solidarité (RLS)"
    ("RSA", "allowance"),         # 000 §2 l.60 "(APA, RSA, PCH)"
    ("SAVU 92", "service"),       # 002 l.237 "service d’aide aux victimes en urgence (SAVU 92)"
    ("SIOSMS", "plan"),           # 002 l.4 "Le Schéma interdépartemental d’organisation sociale et médico-sociale … (SIOSMS)"
    ("SPIE", "service"),          # 000 l.101 "service public de l'insertion et de l'emploi (SPIE)"
    ("SRU", "law"),               # 000 l.120 "le seuil de 25% fixé par la loi SRU" (issue 17)
    ("TGD", "service"),           # 002 l.102 "Dispositif de Télé protection grave danger (TGD)"
    ("TIG", "measure"),           # 002 l.336 "une peine de Travail d’intérêt général (TIG)"
    ("TZCLD", "experimentation"),  # 000 l.167 "Territoire Zéro Chômeur de Longue Durée (TZCLD)"
]


def test_cq_08_schemes_with_acronyms(client):
    assert [(r["acronym"], short(r["kind"])) for r in cq_rows(client, "08")] == ACRONYMS


def test_cq_09_units_of_the_departement(client):
    # 002: the pôle Solidarités and its DST ("La Direction des solidarités territoriales (DST) … regroupe tous les
    # services recevant du public"), the 13 SST and their three units ("une unité « Accueil, Relation au public et
    # support »", "« Evaluation »", "« Accompagnement et suivi du public »", l.31-33), the SIAA and the CESSEC
    # (interdepartmental, l.170), the unité prévention de la délinquance et citoyenneté (l.229), the service de
    # l’Insertion, de l’emploi et des actions sociales, the service d’accompagnement social du personnel et
    # handicap, the CHSCT and the Assemblée départementale
    assert [short(r["unit"]) for r in cq_rows(client, "09")] == [
        "assemblee-departementale", "cessec", "chsct-92", "dst", "pole-solidarites",
        "service-accompagnement-social-personnel-handicap", "service-insertion-emploi-actions-sociales", "siaa",
        "sst", "sst-unite-accompagnement", "sst-unite-accueil", "sst-unite-evaluation",
        "unite-prevention-delinquance-citoyennete"]
