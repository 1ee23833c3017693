"""Reports on the data itself, run on the real build (build/, made by `kg92 build`): every section of the two
institutional documents (002, 004) and every paragraph of the three answer documents (000, 001, 003) is covered by
the graph, the things several documents name are one IRI each, and every quote is the source text at its offsets
(issues 4 and 5, "Done when")."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from support import NO_SOURCES, SOURCES

ID = "https://w3id.org/kg92/id/"
PREFIXES = """PREFIX kg: <https://w3id.org/kg92/def#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX qudt: <http://qudt.org/schema/qudt/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
"""
DOCUMENTS = ("000", "001", "002", "003", "004")


@pytest.fixture(scope="module")
def store(release_store) -> ox.Store:
    return release_store


def select(store: ox.Store, query: str, **bindings: str) -> list[dict[str, str | None]]:
    """Rows of a SELECT over the union of the named graphs; keyword arguments bind variables to IRIs (pyoxigraph
    substitutes only projected variables: a bound variable must be in the SELECT clause)."""
    solutions = store.query(PREFIXES + query, use_default_graph_as_union=True,
                            substitutions={ox.Variable(k): ox.NamedNode(v) for k, v in bindings.items()})
    names = [v.value for v in solutions.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in solutions]


def source_text(doc: str) -> str | None:
    found = sorted(SOURCES.glob(f"{doc}_*.txt")) if SOURCES.is_dir() else []
    return found[0].read_text(encoding="utf-8") if found else None


def need_sources() -> None:
    if not SOURCES.is_dir():
        pytest.skip(f"{NO_SOURCES}: this test reads them to check offsets and quotes")


# ---------------------------------------------------------------------------------------------------------------
# a. Section headings of 002 and 004: (offset in the source text, heading as printed). A section runs from the end
#    of its heading to the next heading; "container" headings are directly followed by a sub-heading (no body text
#    of their own) and are listed in CONTAINERS, with a comment.
# ---------------------------------------------------------------------------------------------------------------

HEADINGS = {
    "002": [
        (0, ""),  # the two introductory sentences, before the first heading
        (332, "2.1.1. Le Schéma interdépartemental d’organisation sociale et médico-sociale Yvelines/Hauts-de-Seine (SIOSMS)"),
        (1444, "2.1.1.1. La réorganisation des services sociaux"),
        (4447, "2.1.1.2. Une action sociale territorialisée pour assurer l’accès de tous à un service public efficace"),
        (5641, "2.1.1.3. Favoriser l’accès aux services sociaux dans des structures adaptées"),
        (5720, "ACTION PHARE :\xa0Un nouveau pôle social départemental à Châtillon"),
        (6846, "2.1.1.4. Favoriser l’accès aux services sociaux par l’inclusion numérique"),
        (9305, "2.1.1.5. Le développement des démarches en ligne"),
        (9870, "2.1.1.6. Un renforcement des partenariats pour faciliter la mise en œuvre du SIOSMS"),
        (17122, "2.1.2. La protection maternelle et infantile, la planification familiale et l’accueil de la petite enfance"),
        (17230, "2.1.2.1. Une Gestion de Relation Citoyen (GRC) unifiée pour la PMI"),
        (18666, "2.1.2.2. Faciliter le choix du mode de garde des enfants en bas âge"),
        (19678, "2.1.2.3. Assurer la prévention de la santé dès le plus jeune âge"),
        (22936, "2.1.2.4. L’adoption des enfants pupilles de l’Etat et l’accompagnement des candidats dans un projet d’adoption social"),
        (25419, "2.1.2.5. Prévention santé et accompagnement des femmes"),
        (25475, "ACTION PHARE :\xa0Le Bus Santé Femmes"),
        (26479, "2.1.3. La prévention et la protection enfance - jeunesse"),
        (26537, "2.1.3.1. Assurer la protection des enfants et des jeunes, tout en soutenant la fonction éducative des parents"),
        (29707, "2.1.3.2. Prévenir de la délinquance et aider les victimes"),
        (32167, "2.1.3.3. Projet de création d’un centre de lutte contre les psycho-traumatismes des enfants et des jeunes"),
        (34460, "2.1.4. L’insertion, la lutte contre la pauvreté et l’inclusion sociale"),
        (35093, "2.1.4.1. Favoriser l’insertion socio-professionnelle et l’inclusion sociale"),
        (37775, "2.1.4.2. Une stratégie commune pour l’insertion et le retour à l’emploi"),
        (37849, "ACTION PHARE :\xa0ActivitY', premier groupement d'intérêt public interdépartemental de l'insertion en France"),
        (41026, "2.1.4.3. L’accueil de personnes condamnées à une peine de Travail d’intérêt général (TIG)"),
        (42177, "2.1.4.4. La réinsertion des sortants de prison"),
        (43231, "2.1.4.5. Des ateliers d’éducation artistique et culturelle à destination des personnes détenues"),
        (43938, "2.1.5. Prévention et maintien de l’autonomie en direction des personnes en situation de handicap et des personnes du Grand Age"),
        (44066, "2.1.5.1. Assurer l’autonomie des personnes"),
        (47795, "2.1.5.2. Assurer la mobilité des personnes"),
        (47839, "2.1.5.2.1. Aider à la mobilité"),
        (48452, "2.1.5.2.2. L’accessibilité des moyens de déplacement aux usagers en fauteuil roulant et personnes à mobilité réduite"),
        (51104, "2.1.5.3. Une réponse accompagnée pour tous, à destination des personnes en situation de handicap"),
        (54509, "2.1.5.4. Des ateliers pour les personnes âgées et/ou en situation de handicap à la Ferme des Chanteraines"),
        (55937, "2.1.5.5. Une stratégie commune pour l’autonomie des personnes âgées ou atteintes d’un handicap"),
        (57863, "2.1.6. Le fonds de solidarité interdépartemental d’investissement (FS2I)"),
        (57939, "ACTION PHARE : Le FS2I : une solidarité interdépartementale renforcée pour réduire les inégalités territoriales"),
        (58920, "2.1.7. La solidarité internationale"),
        (58957, "2.1.7.1. L’ouverture vers l’international"),
        (61012, "ACTION PHARE :\xa0Produire et consommer des produits sains à Siem Reap au Cambodge"),
        (65277, "2.1.7.2. L’appel à projets « Initiatives Jeunes Solidaires » : la lutte contre la malnutrition et l’extrême pauvreté"),
        (69484, "2.1.8. Une administration exemplaire : le soutien et la protection des agents départementaux"),
        (69578, "2.1.8.1. L’accompagnement social des agents"),
        (70846, "2.1.8.2. La politique sociale à destination des agents"),
        (72789, "ACTION PHARE :\xa0La protection sociale complémentaire pour les agents"),
        (74040, "2.1.8.3. La médecine professionnelle et préventive"),
        (75460, "2.1.8.4. La prévention des risques au travail à travers le document unique"),
    ],
    "004": [
        (2, "<p>Le plan départemental de lutte contre la pauvreté et pour l'inclusion sociale dans le département des Hauts-de-Seine</p>"),
        (127, "1. Le plan départemental de lutte contre la pauvreté et pour l'inclusion sociale : une démarche opérationnelle et partenariale"),
        (255, "1.1 Cadre général"),
        (1556, "1.2 Pilotage"),
        (2577, "1.3 Mode opératoire"),
        (3223, "2. Les grandes orientations de la stratégie départementale : un chantier ambitieux de lutte contre la pauvreté"),
        (3335, "2.1 Prévenir les difficultés et les ruptures"),
        (3381, "Logement-hébergement : sortir de l'hébergement et développer des solutions pérennes de logement"),
        (3784, "Accès aux droits"),
        (4124, "Prévention du surendettement"),
        (4389, "Favoriser la réussite scolaire"),
        (5092, "Accompagner l'accès à la culture et l'éducation aux médias"),
        (5458, "2.2 Mieux accompagner les personnes en difficulté et les encourager dans un parcours d'insertion"),
        (5556, "Promouvoir l'accompagnement comme sixième principe du plan"),
        (5953, "Favoriser l'emploi et l'insertion afin de limiter l'emploi des publics fragiles"),
        (6632, "Renforcer le soutien aux familles pauvres avec enfant et notamment les familles monoparentales"),
        (7042, "Améliorer l'accès à la santé"),
        (7479, "Lutter contre l'insécurité alimentaire et contre le gaspillage"),
        (8118, "Renforcer l'accompagnement des jeunes les plus vulnérables"),
        (9085, "2.3 Agir ensemble, au plus près des territoires et des personnes"),
        (9151, "Appuyer les initiatives associatives et les engagements citoyens"),
    ],
}

CONTAINERS = {
    "002": {
        5641,   # 2.1.1.3: directly followed by its ACTION PHARE (the pôle social of Châtillon)
        17122,  # 2.1.2 (PMI, planification familiale, petite enfance): directly followed by 2.1.2.1
        25419,  # 2.1.2.5: directly followed by its ACTION PHARE (the Bus Santé Femmes)
        26479,  # 2.1.3 (prévention et protection enfance - jeunesse): directly followed by 2.1.3.1
        37775,  # 2.1.4.2: directly followed by its ACTION PHARE (ActivitY')
        43938,  # 2.1.5 (autonomie): directly followed by 2.1.5.1
        47795,  # 2.1.5.2 (mobilité): directly followed by 2.1.5.2.1
        57863,  # 2.1.6 (FS2I): directly followed by its ACTION PHARE
        58920,  # 2.1.7 (solidarité internationale): directly followed by 2.1.7.1
        69484,  # 2.1.8 (administration exemplaire): directly followed by 2.1.8.1
    },
    "004": {
        2,      # the document's title: followed by part 1
        127,    # part 1 (une démarche opérationnelle et partenariale): directly followed by 1.1
        3223,   # part 2 (les grandes orientations): directly followed by 2.1
        3335,   # 2.1 (prévenir les difficultés et les ruptures): directly followed by "Logement-hébergement : …"
        5458,   # 2.2 (mieux accompagner … parcours d'insertion): directly followed by "Promouvoir l'accompagnement …"
        9085,   # 2.3 (agir ensemble …): directly followed by "Appuyer les initiatives associatives …"
    },
}

# the numbered headings a regular expression finds in the text (the list above must hold every one of them);
# the unnumbered sub-headings of 004's part 2 and the "ACTION PHARE" headings of 002 are listed by hand
NUMBERED = {"002": r"(?m)^[ \xa0]*(2\.1(?:\.\d+)+\. |ACTION PHARE)", "004": r"(?m)^(\d\.(?:\d )? ?)\S"}


def sections(doc: str, length: int | None = None) -> list[tuple[int, str, int, int]]:
    """(offset, heading, body start, body end) for each heading of the document; the last body ends at `length`
    (the end of the text; unbounded when the text is not at hand)."""
    heads = HEADINGS[doc]
    ends = [o for o, _ in heads[1:]] + [length if length is not None else 10**12]
    return [(o, h, o + len(h), end) for (o, h), end in zip(heads, ends, strict=True)]


@pytest.mark.parametrize("doc", ["002", "004"])
def test_section_headings_are_where_the_list_says(doc):
    need_sources()
    text = source_text(doc)
    assert text is not None, f"no source text for {doc} in {SOURCES}"
    offsets = [o for o, _ in HEADINGS[doc]]
    assert offsets == sorted(offsets)
    for offset, heading, body_start, body_end in sections(doc, len(text)):
        assert text[offset:body_start] == heading, (offset, text[offset:body_start + 20])
        assert offset == 0 or text[offset - 1] in "\n \xa0", f"{heading!r} does not start a line"
        body = text[body_start:body_end].strip(" \n\xa0")
        if offset in CONTAINERS[doc]:
            assert body == "", f"{heading!r} is listed as a container but has text of its own: {body[:80]!r}"
        else:
            assert body, f"{heading!r} has no text of its own: list it in CONTAINERS"
    found = {m.start(1) for m in re.finditer(NUMBERED[doc], text)}
    assert found - set(offsets) == set(), f"headings missing from HEADINGS[{doc!r}]: {sorted(found - set(offsets))}"


@pytest.fixture(scope="module")
def evidence_starts(store) -> dict[str, list[tuple[int, str]]]:
    """For each document, (oa:start, node) of every node whose evidence is a quote of that document."""
    rows = select(store, """
        SELECT DISTINCT ?doc ?start ?node WHERE {
          ?node kg:evidence ?quote . ?quote oa:hasSource ?doc ; oa:hasSelector/oa:start ?start .
        }""")
    starts: dict[str, list[tuple[int, str]]] = {d: [] for d in DOCUMENTS}
    for r in rows:
        starts[r["doc"].rsplit("/", 1)[1]].append((int(r["start"]), r["node"]))
    return starts


@pytest.mark.parametrize(("doc", "offset", "heading"), [
    pytest.param(doc, offset, heading, id=f"{doc}-{offset}")
    for doc, heads in HEADINGS.items() for offset, heading in heads if offset not in CONTAINERS[doc]])
def test_every_section_with_text_has_a_node(evidence_starts, doc, offset, heading):
    (_, _, body_start, body_end), = [s for s in sections(doc) if s[0] == offset]
    inside = [node for start, node in evidence_starts[doc] if body_start <= start < body_end]
    assert inside, f"{doc} [{body_start}, {body_end}) {heading!r}: no node has its evidence in this section"


# ---------------------------------------------------------------------------------------------------------------
# b. Cross-document identity: a scheme or actor named in several documents is one IRI, cited (a node of the
#    document has it as a value and its evidence in that document) by exactly these documents. The passages that
#    name each are given (line numbers of the source files); question texts repeated in 000 and 001 do not count.
# ---------------------------------------------------------------------------------------------------------------

SHARED = {
    # FSL: 000 l.37 "la refonte du FSL (Fonds de solidarité pour le logement)"; 001 l.82 "ex FSL, MDPH"; 002 l.292
    "scheme/fsl": {"000", "001", "002"},
    # RSA: 000 l.60 "(APA, RSA, PCH)"; 001 l.29; 002 l.285 "30 038 foyers sont allocataires du … (RSA)"; 004 l.67, 71
    "scheme/rsa": {"000", "001", "002", "004"},
    # ASE: 000 l.140; 001 l.12, 53; 002 l.196-203; 003 l.20 "un jeune suivi par l'ASE"; 004 l.87
    "scheme/ase": {"000", "001", "002", "003", "004"},
    # Solibail: 001 l.61 "dispositif solibail"; 004 l.37 "renforcer le dispositif Solibail"
    "scheme/solibail": {"001", "004"},
    # PMI: 001 l.26 "de la PMI"; 002 l.28 "Centres de PMI" and section 2.1.2
    "scheme/pmi": {"001", "002"},
    # APA and PCH: 000 l.60 "(APA, RSA, PCH)"; 002 l.369-370 (APA à domicile, Prestation de compensation du handicap)
    "scheme/apa": {"000", "002"},
    "scheme/pch": {"000", "002"},
    # ActivitY' (scheme and GIP): 000 l.101 "le GIP Activity"; 002 l.310-314 (ACTION PHARE)
    "scheme/activity": {"000", "002"},
    "actor/activity": {"000", "002"},
    # EHPAD: 000 l.71; 001 l.75; 002 l.87
    "scheme/ehpad": {"000", "001", "002"},
    # TZCLD, Premières Heures: the three answer documents (question 6)
    "scheme/tzcld": {"000", "001", "003"},
    "scheme/premieres-heures": {"000", "001", "003"},
    # PAT: 001 l.74 "nous soutiendrons la mise en œuvre des PAT"; 003 l.61; 000 names it in its copy of question 7
    # (question/000-q7, question text: the majority does not cite it)
    "scheme/pat": {"000", "001", "003"},
    # PLAI: 000 l.114-126; 003 l.42 "en privilégiant les PLAI" (001 names it only in the question, l.46)
    "scheme/plai": {"000", "003"},
    # Espaces Insertion: 002 l.28, 288, 300; 003 l.72 "espaces insertion"
    "scheme/espaces-insertion": {"002", "003"},
    # the Département and the State: named in all five documents
    "actor/departement-92": set(DOCUMENTS),
    "actor/etat": set(DOCUMENTS),
    # the Yvelines: 000 l.88, 159, 191; 002 l.4 (SIOSMS), 79, 93; 003 l.6, 30 (001 names them only in question 3)
    "actor/departement-78": {"000", "002", "003"},
    # the SST: 000 (question 1 answer, the 2019 reform); 001 l.26; 002 l.22; 003 l.6
    "actor/sst": {"000", "001", "002", "003"},
    # Hauts-de-Seine Habitat: 000 l.110 "son opérateur social (Hauts-de-Seine habitat)"; 002 l.87
    "actor/hauts-de-seine-habitat": {"000", "002"},
    # Habitat et Humanisme: 000 l.126 "réalisé par Habitat et humanisme"; 001 l.50
    "actor/habitat-et-humanisme": {"000", "001"},
    # mission locale: 001 l.60; 002 l.352; 004 l.71 "Pôle emploi et la mission locale"
    "actor/missions-locales": {"001", "002", "004"},
    # MDPH: 001 l.82; 002 l.431-447
    "actor/mdph": {"001", "002"},
    # CAF and CPAM: 001 l.21, 42 "(la non ouverture des droits CAF, CPAM, CNAV)"; 002 l.19 "Caf", l.433
    "actor/caf": {"001", "002"},
    "actor/cpam": {"001", "002"},
    # Pôle emploi: 002 l.288, 300 "Pôle Emploi"; 004 l.71 "Pôle emploi"
    "actor/pole-emploi": {"002", "004"},
    # the President of the Département (the office): 002 l.374; 004 l.11, 19 (000 names the person, Georges Siffredi)
    "actor/president-departement-92": {"002", "004"},
    # the Préfet: 003 l.40 "avec les services de l’État, notamment du préfet"; 004 l.11 "présidée par le Préfet", l.19
    # "co-présidé par le Préfet" (004 l.9 "le Sous-préfet Ville" is another actor)
    "actor/prefet-92": {"003", "004"},
    # résidences sociales: 000 l.114 "de résidences sociales" (PLAI operations), l.152 "similaire aux résidences
    # sociales"; 004 l.37 "créer des places supplémentaires en résidence sociale"
    "scheme/residences-sociales": {"000", "004"},
    # very social housing: 000 l.110, 120, 122 "logements sociaux et très sociaux", "parc de logement très social";
    # 001 l.48 "une proportion significative de logements très sociaux"; 004 l.39 "développer l'offre de logement très
    # social" (000 l.106 and 001 l.46 also name it in the question, which does not count)
    "scheme/logement-tres-social": {"000", "001", "004"},
    # the Département's website: 000 l.197 "Le site internet du Département comprend un portail…"; 001 l.81 "Oui, le
    # site internet doit permettre…"; 002 l.61 "sur le site internet du département". 003 names it only in the text
    # of question 8 (l.67); its own answer speaks of a new open-data site and of "nos sites" (l.69, 71), not this one
    "scheme/site-internet-departement": {"000", "001", "002"},
    # unaccompanied minors (a population): 000 l.146 "nombre de MNA accueillis … (350 en 2015 ; 1 278 en 2020"; 002
    # l.198 "les Mineurs non accompagnés (MNA), dont 1 336 … (contre 874 jeunes MNA en 2018)"; 004 l.91 "Soutenir les
    # mineurs isolés étrangers" (000 l.48 names "MNA" among the Pass numérique's target public, without a node of its own)
    "population/mineurs-non-accompagnes-ase": {"000", "002", "004"},
    # the CCAS (communal social action centres in general): 000 l.17 "nos partenariats avec les communes et les CCAS";
    # 001 l.17 "dans les CCAS", l.48 "CCAS"; 003 l.11 "les CCAS des villes", l.32 "administratrice au CCAS", l.72 (004
    # l.49 names one of them, "le CCAS de Nanterre": actor/ccas-nanterre)
    "actor/ccas": {"000", "001", "003"},
}

KINDS = {"scheme": "kg:Scheme", "actor": "kg:Actor", "population": "kg:Population"}


@pytest.fixture(scope="module")
def cited_by(store) -> dict[str, set[str]]:
    rows = select(store, """
        SELECT DISTINCT ?iri ?doc WHERE {
          ?node ?p ?iri ; kg:evidence/oa:hasSource ?doc .
          FILTER (?p != kg:evidence && isIRI(?iri) && STRSTARTS(STR(?iri), "https://w3id.org/kg92/id/"))
        }""")
    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(r["iri"].removeprefix(ID), set()).add(r["doc"].rsplit("/", 1)[1])
    return found


@pytest.mark.parametrize("iri", sorted(SHARED))
def test_one_iri_shared_by_the_documents_that_name_it(store, cited_by, iri):
    assert cited_by.get(iri, set()) == SHARED[iri], iri
    kind = KINDS[iri.split("/", 1)[0]]
    assert select(store, f"SELECT ?x WHERE {{ ?x a {kind} }}", x=ID + iri), f"{iri} is not described as a {kind}"
    # no second IRI of the same kind carries one of its labels (which would be the same thing twice)
    twins = select(store, f"""
        SELECT DISTINCT ?x ?other WHERE {{
          ?x skos:prefLabel|skos:altLabel|kg:acronym ?label .
          ?other a {kind} ; skos:prefLabel|skos:altLabel|kg:acronym ?same .
          FILTER (?other != ?x && LCASE(STR(?same)) = LCASE(STR(?label)))
        }}""", x=ID + iri)
    assert twins == [], f"{iri} shares a label with {[r['other'] for r in twins]}"


def test_the_collectif_is_one_actor_across_documents(store, cited_by):
    # 004 l.11 "le Collectif Citoyens Fraternelles" (a spelling variant, an altLabel of actor/ccf92); 000 l.3 and
    # 001 l.1 are the Collectif's questionnaire, answered in 000, 001 and 003: the questionnaire is askedBy ccf92
    assert cited_by.get("actor/ccf92") == {"004"}
    rows = select(store, """
        SELECT DISTINCT ?ccf ?doc WHERE {
          ?questionnaire kg:askedBy ?ccf . ?question kg:inQuestionnaire ?questionnaire .
          ?answer kg:answers ?question ; kg:inDocument ?doc .
        }""", ccf=ID + "actor/ccf92")
    assert {r["doc"].rsplit("/", 1)[1] for r in rows} == {"000", "001", "003"}
    labels = select(store, "SELECT ?ccf ?l WHERE { ?ccf skos:altLabel ?l }", ccf=ID + "actor/ccf92")
    assert "Collectif Citoyens Fraternelles" in {r["l"] for r in labels}


# ---------------------------------------------------------------------------------------------------------------
# c. Quotes: every oa:exact is the source text at [oa:start, oa:end), for all five documents, and every figure's
#    kg:asStated (the figure as printed) is inside its quote.
# ---------------------------------------------------------------------------------------------------------------

def test_every_quote_is_the_source_text_at_its_offsets(store):
    need_sources()
    rows = select(store, """
        SELECT ?quote ?doc ?file ?exact ?start ?end WHERE {
          ?quote a oa:SpecificResource ; oa:hasSource ?doc ; oa:hasSelector ?qs , ?ps .
          ?qs a oa:TextQuoteSelector ; oa:exact ?exact .
          ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
          OPTIONAL { ?doc dcterms:identifier ?file }
        }""")
    texts = {f: (SOURCES / f).read_text(encoding="utf-8") for f in {r["file"] for r in rows if r["file"]}}
    per_doc = {d: 0 for d in DOCUMENTS}
    wrong = []
    for r in rows:
        doc = r["doc"].rsplit("/", 1)[1]
        per_doc[doc] = per_doc.get(doc, 0) + 1
        start, end = int(r["start"]), int(r["end"])
        got = texts[r["file"]][start:end] if r["file"] in texts else None
        if got != r["exact"] or r["quote"] != f"{ID}quote/{doc}-{start}-{end}":
            wrong.append(f"{r['quote']}: source has {got!r:.80}, oa:exact is {r['exact']!r:.80}")
    assert wrong == [], "\n".join(wrong[:20])
    assert all(per_doc[d] > 0 for d in DOCUMENTS), per_doc


def test_every_figure_as_printed_is_inside_its_quote(store):
    rows = select(store, """
        SELECT ?figure ?asStated ?exact WHERE {
          ?figure a qudt:QuantityValue .
          OPTIONAL { ?figure kg:asStated ?asStated }
          OPTIONAL { ?figure kg:evidence/oa:hasSelector/oa:exact ?exact }
        }""")
    assert len(rows) > 100
    wrong = [f"{r['figure']}: {r['asStated']!r} not in {r['exact']!r:.100}" for r in rows
             if r["asStated"] is None or r["exact"] is None or r["asStated"] not in r["exact"]]
    assert wrong == [], "\n".join(wrong[:20])


# ---------------------------------------------------------------------------------------------------------------
# d. The structure an audit of 002 and 004 found missing, kept from coming back.
# ---------------------------------------------------------------------------------------------------------------

def test_beyond_social_sections_of_002_are_classified(store):
    # 2.1.7 (international solidarity) and 2.1.8 (the Département's own staff) run to the end of 002: every node
    # there (statement, figure, event, relationship) has a theme, and only themes with kg:socialAction false
    start_2_1_7 = next(o for o, h in HEADINGS["002"] if h.startswith("2.1.7. "))
    rows = [r for r in select(store, """
        SELECT DISTINCT ?doc ?node ?start ?theme ?social WHERE {
          ?node kg:evidence ?quote . ?quote oa:hasSource ?doc ; oa:hasSelector/oa:start ?start .
          OPTIONAL { ?node kg:theme ?theme OPTIONAL { ?theme kg:socialAction ?social } }
        }""", doc=ID + "document/002") if int(r["start"]) >= start_2_1_7]
    assert len({r["node"] for r in rows}) > 100
    unclassified = sorted({r["node"] for r in rows if r["theme"] is None})
    assert unclassified == [], f"nodes of 2.1.7-2.1.8 without kg:theme: {unclassified[:10]}"
    social = sorted({(r["node"], r["theme"]) for r in rows if r["social"] != "false"})
    assert social == [], f"nodes of 2.1.7-2.1.8 with a social-action theme: {social[:10]}"


def test_statements_of_the_2016_plan_belong_to_its_orientations(store):
    # 004 part 2: each statement is part of (dcterms:isPartOf), or for an orientation's own heading concerns, the
    # orientation under which it is printed; each orientation is a part (skos:broader) of the plan
    bounds = [(o, h.split(" ", 1)[0]) for o, h in HEADINGS["004"] if re.match(r"2\.\d ", h)]
    rows = select(store, """
        SELECT ?plan ?doc ?statement ?start ?notation WHERE {
          ?statement a kg:Statement ; kg:evidence ?quote .
          ?quote oa:hasSource ?doc ; oa:hasSelector/oa:start ?start .
          OPTIONAL { ?statement dcterms:isPartOf|kg:concerns ?orientation .
                     ?orientation skos:broader ?plan ; skos:notation ?notation . }
        }""", plan=ID + "scheme/plan-pauvrete-2016", doc=ID + "document/004")
    placed: dict[str, set[str]] = {}
    for r in rows:
        if int(r["start"]) >= bounds[0][0]:
            placed.setdefault(r["statement"], set()).add(r["notation"])
    assert len(placed) > 40
    for statement, notations in placed.items():
        start = min(int(r["start"]) for r in rows if r["statement"] == statement)
        expected = [n for o, n in bounds if o <= start][-1]
        assert notations == {expected}, f"{statement} (at {start}) is placed under {notations}, not {expected}"


def test_siosms_orientations_and_the_units_of_the_sst(store):
    # 002 2.1.1: the roadmap's four orientations, parts of the SIOSMS, all named by the roadmap's quote
    rows = select(store, """
        SELECT ?siosms ?orientation ?label WHERE {
          ?orientation skos:broader ?siosms ; skos:altLabel ?label .
          <https://w3id.org/kg92/id/statement/002-siosms-feuille-de-route> kg:concerns ?orientation ;
              kg:evidence/oa:hasSelector/oa:exact ?exact .
          FILTER (CONTAINS(?exact, STR(?label)))
        }""", siosms=ID + "scheme/siosms")
    assert {r["orientation"].removeprefix(ID) for r in rows} == {
        "scheme/siosms-pmi-petite-enfance", "scheme/siosms-enfance-jeunesse", "scheme/siosms-insertion",
        "scheme/siosms-autonomie"}
    # 002 2.1.1.2: each of the 13 SST has the same three units
    units = select(store, "SELECT ?sst ?unit WHERE { ?unit a kg:Actor , org:OrganizationalUnit ; org:unitOf ?sst }",
                   sst=ID + "actor/sst")
    assert {r["unit"].removeprefix(ID) for r in units} == {
        "actor/sst-unite-accueil", "actor/sst-unite-evaluation", "actor/sst-unite-accompagnement"}



SIOSMS_SECTIONS = {  # 002 sections whose heading is the title of one of the four orientations of the SIOSMS roadmap
    "2.1.2.": "scheme/siosms-pmi-petite-enfance", "2.1.3.": "scheme/siosms-enfance-jeunesse",
    "2.1.4.": "scheme/siosms-insertion", "2.1.5.": "scheme/siosms-autonomie"}


def test_statements_of_002_belong_to_the_siosms_orientation_of_their_section(store):
    # 002 l.8-13 lists the four orientations of the SIOSMS roadmap; sections 2.1.2 to 2.1.5 carry their titles (with
    # articles added: "La prévention et la protection enfance - jeunesse" for "Prévention et protection enfance -
    # Jeunesse"): every statement printed there (sub-sections included) is dcterms:isPartOf that orientation, and no
    # statement elsewhere in 002 is part of an orientation
    def words(s: str) -> set[str]:
        return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", s)}
    heads = {h.split(" ", 1)[0]: (o, h.split(" ", 1)[1]) for o, h in HEADINGS["002"] if re.match(r"2\.1\.\d\. ", h)}
    bounds = []
    for number, orientation in SIOSMS_SECTIONS.items():
        offset, title = heads[number]
        label = select(store, "SELECT ?o ?l WHERE { ?o skos:altLabel ?l }", o=ID + orientation)
        assert [words(r["l"]) for r in label] == [words(title)], f"{number} {title!r} is not the title of {orientation}"
        bounds.append((offset, orientation))
    end = heads["2.1.6."][0]
    rows = select(store, """
        SELECT ?doc ?statement ?start ?part WHERE {
          ?statement a kg:Statement ; kg:evidence ?quote .
          ?quote oa:hasSource ?doc ; oa:hasSelector/oa:start ?start .
          OPTIONAL { ?statement dcterms:isPartOf ?part . ?part skos:broader <https://w3id.org/kg92/id/scheme/siosms> }
        }""", doc=ID + "document/002")
    placed: dict[str, set[str]] = {}
    for r in rows:
        placed.setdefault(r["statement"], set())
        if r["part"]:
            placed[r["statement"]].add(r["part"].removeprefix(ID))
    starts = {r["statement"]: int(r["start"]) for r in rows}
    inside = 0
    for statement, parts in sorted(placed.items()):
        start = starts[statement]
        expected: set[str] = set()
        if bounds[0][0] <= start < end:
            expected = {[o for s, o in bounds if s <= start][-1]}
            inside += 1
        assert parts == expected, f"{statement} (at {start}) is part of {parts or 'no orientation'}, not {expected}"
    assert inside > 100
    # 002 l.384 "(axe 2 du volet Autonomie du SIOSMS)": the statement names the orientation
    concerns = select(store, "SELECT ?s ?o WHERE { ?s kg:concerns ?o }", s=ID + "statement/002-appel-projets-interdepartemental")
    assert ID + "scheme/siosms-autonomie" in {r["o"] for r in concerns}


def test_dated_events_and_participants_an_audit_found_missing(store):
    # 002 l.207 "les lois du 05 mars 2017 et 16 mars 2016": two adoptions, dated as printed (probable misprints, noted)
    rows = select(store, """
        SELECT ?event ?kind ?date ?exact ?note WHERE {
          ?event a kg:Event ; kg:eventKind ?kind ; kg:refDate ?date ; kg:note ?note ;
                 kg:evidence/oa:hasSelector/oa:exact ?exact .
          FILTER (STRSTARTS(STR(?event), "https://w3id.org/kg92/id/event/002-loi-20"))
        }""")
    assert sorted((r["event"].removeprefix(ID), r["kind"].removeprefix(ID), r["date"]) for r in rows) == [
        ("event/002-loi-2016-03-16", "event-kind/adoption", "2016-03-16"),
        ("event/002-loi-2017-03-05", "event-kind/adoption", "2017-03-05")]
    assert all("lois du 05 mars 2017 et 16 mars 2016" in r["exact"] and "coquille" in r["note"] for r in rows)
    # 002 l.461-468, the social Lab E-Tonomy: the pitch training is part of the accompaniment "porté par Invie"; the
    # two Départements launched their "Question de famille" "lors du salon E-Tonomy"
    for event, participants, named in [
            ("event/002-e-tonomy-pitch-training", {"actor/invie"}, "porté par Invie"),
            ("event/002-salon-e-tonomy", {"actor/departement-92", "actor/departement-78"}, "les deux Départements")]:
        got = select(store, "SELECT ?e ?p ?exact WHERE { ?e kg:participant ?p ; kg:evidence/oa:hasSelector/oa:exact ?exact }",
                     e=ID + event)
        assert {r["p"].removeprefix(ID) for r in got} == participants, event
        assert all(named in r["exact"] for r in got), event


def test_debatable_readings_of_000_say_so(store):
    # 000 §4 (PLAI kept, no complement to the Anah), §5 ("la seule solution" … "malheureusement"), §8 (the existing
    # portal described, no yes or no): "no position", with a note that says the reading is uncertain and why
    for position in ("position/000-q4-aides-pierre-logements-tres-sociaux", "position/000-q5-fin-hebergements-hotel",
                     "position/000-q8-transformer-site-internet"):
        got = select(store, "SELECT ?p ?stance ?note WHERE { ?p kg:stance ?stance ; kg:note ?note }", p=ID + position)
        assert [(r["stance"].removeprefix(ID), r["note"].startswith("Lecture incertaine")) for r in got] == [
            ("stance/no-position", True)], position
    # 000 l.60 prints no year for the 12 % growth and the 314 M€ (only "par rapport à 2020"; "en 2021" is in l.58, for
    # the 909 M€ budget): no kg:refDate, and a note that says why
    for figure in ("figure/000-ais-croissance-2021", "figure/000-ais-montant-2021"):
        got = select(store, "SELECT ?f ?date ?note WHERE { ?f kg:note ?note OPTIONAL { ?f kg:refDate ?date } }",
                     f=ID + figure)
        assert [(r["date"], "par rapport à 2020" in r["note"] and "en 2021" in r["note"]) for r in got] == [(None, True)]

# ---------------------------------------------------------------------------------------------------------------
# e. Paragraphs of the three answer documents (000, 001, 003): every paragraph (a line of the source with body text)
#    has at least one node whose evidence lies in it (the quote covers part of the line: a quote may run over several
#    lines, a list lead-in with its items or a paragraph cut by a page break), and every word of the paragraph is
#    inside the quote of some node — except the passages listed below, each with its reason. Questions (kg:Question)
#    do not count: their quotes are the questionnaire's words, not the group's.
# ---------------------------------------------------------------------------------------------------------------

ANSWER_DOCS = ("000", "001", "003")

# (line number in the source, kind, passage): the passage is None for a whole line. Kinds: "title" (the document's
# first line), "heading" (question headings and the sub-headings of 000), "question" (the question texts the
# documents repeat before their answers: in italics in 000; 001 prints each after its heading; 003 only questions 7
# and 8), "lead-in" (the line that announces a list, whose items are the nodes), "aside" (a sentence or a few words
# with no commitment, figure, named scheme or checkable fact: rhetoric, or the words that join two quoted statements).
EXEMPT: dict[str, list[tuple[int, str, str | None]]] = {
    "000": [
        (3, "title", None),      # "Réponses des candidats de la majorité départementale … aux questions du Collectif …"
        (5, "heading", None),    # "1. Services de Solidarité Territoriale et accès aux droits"
        (7, "question", None),   # question 1 (italics): "Par manque de ressources humaines, les Services …"
        (9, "question", None),   # question 1: "Que prévoyez-vous pour y remédier ? …"
        (11, "question", None),  # question 1: "La dématérialisation des démarches renforce la précarité …"
        (15, "heading", None),   # "Rappel des objectifs de la réforme :"
        (21, "heading", None),   # "Un effort de recrutement sans précédent :"
        (35, "heading", None),   # "Accompagner la dématérialisation des démarches :"
        (52, "heading", None),   # "2. Budget pour l'action sociale"
        (54, "question", None),  # question 2 (italics): "Quelle part du budget …"
        (56, "question", None),  # question 2's example (italics): the link to the 2020 budget
        (84, "heading", None),   # "3. Contractualisation du plan pauvreté"
        (86, "question", None),  # question 3 (italics): "Le Plan Pauvreté 2016 avait fait l'objet …"
        (104, "heading", None),  # "4. L'accès au logement des personnes défavorisées"
        (106, "question", None),  # question 4 (italics), in 000's own wording
        (136, "heading", None),  # "5. Accompagnement mineurs Aide Sociale à l'Enfance"
        # question 5 (italics): l.138 introduces the IGAS report (quoted by event/000-rapport-igas-ase-2020-12, the
        # report's publication, which is not a statement of the group), l.140 the IGAS synthesis, l.142 the question,
        # l.144 the link to the report
        (138, "question", None), (140, "question", None), (142, "question", None), (144, "question", None),
        (163, "heading", None),  # "6. Insertion par l'activité économique"
        (165, "question", None), (167, "question", None), (169, "question", None),  # question 6 (italics)
        (185, "heading", None),  # "7. Accès à l'alimentation"
        (187, "question", None),  # question 7 (italics): the PAT
        (193, "heading", None),  # "8. Communication directe avec les citoyens"
        (195, "question", None),  # question 8 (italics): the website
    ],
    "001": [
        (1, "title", None),      # "Questionnaire du collectif citoyens"
        (2, "heading", None),    # "Question 1 :"
        (3, "question", None), (4, "question", None), (5, "question", None),  # question 1, six lines
        (6, "question", None), (7, "question", None), (8, "question", None),
        (11, "lead-in", None),   # "Cela s’incarnera sur le terrain par :" (the ten items of l.12-21 follow)
        (23, "heading", None),   # "Question 2 : BUDGET"
        (24, "question", None),
        (34, "heading", None),   # "Question 3 : plan pauvreté"
        (35, "question", None),
        (38, "lead-in", None),   # "Nos propositions pour y remédier :" (the six proposals of l.39-44 follow)
        (45, "heading", None),   # "Question 4 : logements"
        (46, "question", None),
        (52, "heading", None),   # "Question 5 : accompagnement mineurs ASE"
        # question 5 with the IGAS synthesis it quotes (its figures are nodes: statement/001-question-5-igas-…) and a
        # page footer ("CCF92 / Elections départementales 2021 3")
        (53, "question", None),
        (56, "lead-in", None),   # "Pour cela, nous envisageons :" (the six items of l.57-62 follow)
        (64, "heading", None),   # "Question 6 : activité économique"
        (65, "question", None),
        (71, "heading", None),   # "Question 7 :alimentation"
        (72, "question", None),
        (78, "heading", None),   # "Question 8 :communication"
        (79, "question", None),
    ],
    "003": [
        (1, "title", None),      # "COLOMBES 2" (l.2, the candidates and their parties, is quoted by the memberships)
        (3, "heading", None),    # "1. Services de Solidarité Territoriale et accès aux droits"
        # rhetoric: a maxim about society, no fact, commitment or scheme
        (4, "aside", "La société est plurielle, c'est sa richesse. Il n'y a aucune raison que les Hauts-de-Seine ne le soit pas."),
        # rhetoric: closes the statement on digital relays that must be as efficient as e-commerce platforms
        (14, "aside", "C'est la seule mission du numérique."),
        (19, "heading", None),   # "2. Budget pour l’action sociale"
        # the words between the 5 % figure (statement/003-q2-part-investissement) and the pledge to raise it
        # (statement/003-q2-augmenter-investissement): an aside, no figure
        (27, "aside", "nous manquons de comparatif national,mais"),
        (29, "heading", None),   # "3. Contractualisation du plan pauvreté"
        # rhetoric on wealth and responsibility, between the claim "le département le plus riche de France après
        # Paris" and the claim that the Hauts-de-Seine are deeply unequal (both are nodes)
        (31, "aside", "Cette situation n'est pas un privilège. Au contraire, être riche confère des responsabilités, une exigence de cohésion territoriale, d'équilibre, de soins des personnes fragiles."),
        # rhetoric: how fragile people feel their "décalage"; a judgement, no checkable fact
        (31, "aside", "Cette situation est d'autant plus cruelle que les personnes fragiles sentent leur \"décalage\" dans ce département et ont tendance à vivre encore plus mal leurs difficultés qui dénotent."),
        # a maxim and a rhetorical question around Anne-Gaëlle Courty Ahmed's remark on the lack of data (a node)
        (32, "aside", "Agir de manière bien informée est nécessaire pour agir concrètement et efficacement."),
        (32, "aside", "Comment alors mettre en place des actions en cohérence ?"),
        (38, "heading", None),   # "4. L’accès au logement des personnes défavorisées"
        (45, "heading", None),   # "5. Accompagnement mineurs Aide Sociale à l’Enfance"
        (53, "heading", None),   # "6. Insertion par l’activité économique"
        # a maxim closing the paragraph on a global, systemic approach (statement/003-q6-approche-globale-systemique)
        (55, "aside", "Une économie durable s’appuie nécessairement sur des équilibres économiques, sociaux et environnementaux."),
        (60, "heading", None),   # "7. Accès à l’alimentation"
        (61, "question", None),  # question 7 repeated (the only answer of 003 preceded by its question, with 67)
        # "mais" joins the farmland figures (statement/003-q7-terres-agricoles) to the periurban farming statement
        (62, "aside", "avant tout urbain, mais nous pouvons"),
        (66, "heading", None),   # "8. Communication directe avec les citoyens"
        (67, "question", None),  # question 8 repeated
        # rhetoric closing the paragraph on digital skills (statement/003-q8-competences-numeriques)
        (72, "aside", "C’est aussi une opportunité de liens sociaux et intergénérationnels formidables que celui de l’appui aux compétences numériques."),
    ],
}

# what a heading line looks like in each document (000: Markdown headings; 001: "Question n :"; 003: "n. Title")
HEADING_LINE = {"000": r"#{2,4} ", "001": r"Question ?\d", "003": r"\d\. \S"}
WORD = re.compile(r"\w")
# a run of unquoted text matters when it holds a digit or a word of three letters or more (not "et" or "à" left
# between two quotes)
MATTERS = re.compile(r"\d|[^\W\d_]{3,}")


def paragraphs(text: str) -> dict[int, tuple[int, int]]:
    """Line number (1-based) → [start, end) offsets of every line with body text (a letter or a digit)."""
    found, offset = {}, 0
    for number, line in enumerate(text.split("\n"), 1):
        if WORD.search(line):
            found[number] = (offset, offset + len(line))
        offset += len(line) + 1
    return found


def exempt_spans(doc: str, text: str) -> tuple[set[int], list[tuple[int, int]]]:
    """The whole lines exempted, and the [start, end) offsets of the exempted passages."""
    lines = paragraphs(text)
    whole = {n for n, _, passage in EXEMPT[doc] if passage is None}
    spans = []
    for number, _, passage in EXEMPT[doc]:
        if passage is not None:
            start, end = lines[number]
            spans.append((start + text[start:end].index(passage), start + text[start:end].index(passage) + len(passage)))
    return whole, spans


def uncovered(text: str, start: int, end: int, covers: list[tuple[int, int]]) -> list[str]:
    """The runs of text in [start, end) outside every span of `covers` that matter (MATTERS)."""
    inside = [False] * (end - start)
    for a, b in covers:
        for i in range(max(a, start), min(b, end)):
            inside[i - start] = True
    runs, current = [], ""
    for i, flag in enumerate(inside):
        if flag:
            runs.append(current)
            current = ""
        else:
            current += text[start + i]
    runs.append(current)
    return [r.strip() for r in runs if MATTERS.search(r)]


@pytest.fixture(scope="module")
def group_quotes(store) -> dict[str, list[tuple[int, int, str]]]:
    """For each document, ([start, end), node) of the evidence of every node other than a question."""
    rows = select(store, """
        SELECT DISTINCT ?doc ?start ?end ?node WHERE {
          ?node kg:evidence ?quote . ?quote oa:hasSource ?doc ; oa:hasSelector ?position .
          ?position oa:start ?start ; oa:end ?end .
          FILTER NOT EXISTS { ?node a kg:Question }
        }""")
    quotes: dict[str, list[tuple[int, int, str]]] = {d: [] for d in DOCUMENTS}
    for r in rows:
        quotes[r["doc"].rsplit("/", 1)[1]].append((int(r["start"]), int(r["end"]), r["node"]))
    return quotes


@pytest.mark.parametrize("doc", ANSWER_DOCS)
def test_answer_exemptions_are_what_the_list_says(store, group_quotes, doc):
    need_sources()
    text = source_text(doc)
    assert text is not None, f"no source text for {doc} in {SOURCES}"
    lines = paragraphs(text)
    listed = [(n, p) for n, _, p in EXEMPT[doc]]
    assert listed == sorted(listed, key=lambda x: x[0]) and len(set(listed)) == len(listed), "keep EXEMPT in line order"
    question_texts = [r["t"] for r in select(store, "SELECT ?t WHERE { ?q a kg:Question ; kg:questionText ?t }")]
    assert len(question_texts) == 8
    for number, kind, passage in EXEMPT[doc]:
        assert number in lines, f"{doc} l.{number} has no text"
        start, end = lines[number]
        line = text[start:end]
        if kind == "title":
            assert number == min(lines), f"{doc} l.{number} is not the document's first line"
        elif kind == "heading":
            assert re.match(HEADING_LINE[doc], line), f"{doc} l.{number} is not a heading: {line[:60]!r}"
        elif kind == "question" and doc == "000":
            assert line.startswith("*") and line.rstrip().endswith("*"), f"000 l.{number} is not in italics"
        elif kind == "question":
            assert any(line.strip() in q or q in line for q in question_texts), f"{doc} l.{number} is no question text"
        elif kind == "lead-in":
            assert line.strip().endswith(":") and len(line) < 60, f"{doc} l.{number} is no list lead-in: {line!r}"
        else:
            assert kind == "aside" and passage is not None, (number, kind)
        if passage is not None:
            assert line.count(passage) == 1, f"{doc} l.{number}: {passage!r} is not (once) in the line"
        if kind in ("lead-in", "aside"):
            # a judgement call must still be needed: some of its words are inside no node's quote
            a, b = (start, end) if passage is None else (start + line.index(passage), start + line.index(passage) + len(passage))
            assert uncovered(text, a, b, [(s, e) for s, e, _ in group_quotes[doc]]), \
                f"{doc} l.{number} {passage or line!r:.60} is quoted by a node now: drop it from EXEMPT"
    # every heading and (in 000) every italic line is listed, so that no answer text hides behind either
    whole = {n for n, k, p in EXEMPT[doc] if p is None and k in ("title", "heading", "question")}
    for number, (start, end) in lines.items():
        line = text[start:end]
        if re.match(HEADING_LINE[doc], line) or (doc == "000" and line.startswith("*") and line.rstrip().endswith("*")):
            assert number in whole, f"{doc} l.{number} looks like a heading or a question: {line[:60]!r}"


def answer_paragraph_params() -> list:
    params = []
    for doc in ANSWER_DOCS:
        text = source_text(doc)
        if text is None:
            params.append(pytest.param(doc, 0, id=f"{doc}-no-sources"))
            continue
        whole = {n for n, _, p in EXEMPT[doc] if p is None}
        params += [pytest.param(doc, n, id=f"{doc}-l{n}") for n in paragraphs(text) if n not in whole]
    return params


@pytest.mark.parametrize(("doc", "line"), answer_paragraph_params())
def test_every_answer_paragraph_has_a_node(group_quotes, doc, line):
    need_sources()
    text = source_text(doc)
    assert text is not None and line > 0, f"no source text for {doc} in {SOURCES}"
    start, end = paragraphs(text)[line]
    _, spans = exempt_spans(doc, text)
    nodes = sorted({node.removeprefix(ID) for s, e, node in group_quotes[doc] if s < end and e > start})
    assert nodes, f"{doc} l.{line} {text[start:end][:80]!r}: no node has its evidence in this paragraph"
    left = uncovered(text, start, end, [(s, e) for s, e, _ in group_quotes[doc]] + spans)
    assert left == [], f"{doc} l.{line}: words inside no node's quote (add a node, or list them in EXEMPT): {left}"


def test_one_rule_for_indirect_answers_and_positions_beyond_the_asks(store):
    # ontology/README.md "One rule for indirect answers", on the ask "favoriser l'accès aux subventions d'aide à la
    # pierre … pour les projets de créations de logements très sociaux (PLAI et ANAH très social) dans le diffus":
    # 003 "en privilégiant les PLAI, … oui de manière diffuse" pledges that outcome (rule 2, supports); 001 "contrats de
    # contingents avec les bailleurs sociaux" is another means (rule 3, no position); 000 keeps the PLAI aid but "le
    # Département n'intervient pas en complément de l'Anah" (rule 4, no position)
    got = select(store, """SELECT ?ask ?p ?stance ?note WHERE { ?p kg:onAsk ?ask ; kg:stance ?stance ; kg:note ?note }
                           ORDER BY ?p""", ask=ID + "ask/q4-aides-pierre-logements-tres-sociaux")
    assert [(r["p"].removeprefix(ID), r["stance"].removeprefix(ID), re.findall(r"Réponse indirecte \(règle (\d)", r["note"]))
            for r in got] == [
        ("position/000-q4-aides-pierre-logements-tres-sociaux", "stance/no-position", ["4"]),
        ("position/001-q4-aides-pierre-logements-tres-sociaux", "stance/no-position", ["3"]),
        ("position/003-q4-aides-pierre-logements-tres-sociaux", "stance/supports", ["2"])]
    # positions beyond the 17 asks: 000 §4 "L'échec de la politique gouvernementale concerne tous les types de
    # produits", after the Government's decisions "en particulier celles sur la Réduction de loyer de solidarité
    # (RLS)" (the RLS named by the sentence before: resolved from context), opposes; 003 §1 "l'ancien projet
    # unilatéral et antidémocratique de fusion entre les Hauts-de-Seine et les Yvelines", opposes; measures a group
    # argues for that no ask covers, all supports: 000 §3 the interdepartmental plan "que nous avons proposé
    # initialement avec le Département des Yvelines, afin de déployer une action concertée et efficace", 001 Q2 "il nous
    # parait essentiel de cibler les jeunes : revenu de solidarité pour les moins de 25 ans", 003 §6 "Notre proposition
    # phare est bien sur l’expérimentation d’un revenu de base"
    got = select(store, """SELECT ?p ?group ?topic ?stance WHERE {
                             ?p a kg:Position ; kg:heldBy ?group ; kg:concerns ?topic ; kg:stance ?stance
                             FILTER NOT EXISTS { ?p kg:onAsk ?ask } } ORDER BY ?p""")
    assert [tuple(r[k].removeprefix(ID) for k in ("p", "group", "topic", "stance")) for r in got] == [
        ("position/000-politique-logement-gouvernement", "group/majorite-departementale", "scheme/rls", "stance/opposes"),
        ("position/000-projet-plan-interdepartemental-pauvrete", "group/majorite-departementale",
         "scheme/projet-plan-interdepartemental-pauvrete", "stance/supports"),
        ("position/001-revenu-solidarite-jeunes", "group/groupe-001", "scheme/revenu-solidarite-jeunes", "stance/supports"),
        ("position/003-fusion-92-78", "group/colombes-2", "scheme/projet-fusion-92-78", "stance/opposes"),
        ("position/003-revenu-de-base", "group/colombes-2", "scheme/revenu-de-base", "stance/supports")]
