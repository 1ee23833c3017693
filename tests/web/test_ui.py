"""Home, editor, comparison views, validation report and the interface language (search: test_search.py)."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pyoxigraph as ox
import pytest
from markupsafe import escape
from support import ROOT, SOURCES, STANCES

from kg92.build import assets

DOCUMENT_FILES = ["000_66c95bee9ef0392c.txt", "001_4f98e95b9ea0c605.txt", "002_18dea572f57406ad.txt",
                  "003_62b61e6d52b9878c.txt", "004_85e770bdd5806140.txt"]
GROUPS = ["https://w3id.org/kg92/id/group/majorite-departementale", "https://w3id.org/kg92/id/group/groupe-001",
          "https://w3id.org/kg92/id/group/colombes-2"]
PREFIX = ("PREFIX kg: <https://w3id.org/kg92/def#> PREFIX oa: <http://www.w3.org/ns/oa#> "
          "PREFIX dcterms: <http://purl.org/dc/terms/> ")
STANCE_KINDS = {"supports", "opposes", "conditional", "no-position"}


def select(client, query: str) -> list[dict]:
    resp = client.post("/sparql", data={"query": PREFIX + query}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return [{k: v["value"] for k, v in row.items()} for row in resp.get_json()["results"]["bindings"]]


def count(client, where: str) -> int:
    return int(select(client, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}")[0]["n"])


def fr(client, path, **kw):
    return client.get(path, headers={"Accept-Language": "fr"}, **kw).get_data(as_text=True)


def asks_of_the_questionnaire() -> set[str]:
    quads = ox.parse(path=ROOT / "data" / "ttl" / "questionnaire.ttl", format=ox.RdfFormat.TURTLE)
    return {q.subject.value for q in quads if q.object.value == "https://w3id.org/kg92/def#Ask"}


# ---------------------------------------------------------------- home

def test_home_says_what_the_graph_is_with_live_statistics(client, real_app):
    body = fr(client, "/")
    assert "<h1>kg92 — engagements de politique sociale dans les Hauts-de-Seine</h1>" in body
    expected = {"actors": count(client, "?x a kg:Actor"), "groups": count(client, "?x a kg:CandidateGroup"),
                "schemes": count(client, "?x a kg:Scheme"), "commitments": count(client, "?x a kg:Commitment"),
                "statements": count(client, "?x a kg:Statement"), "quotes": count(client, "?x a oa:SpecificResource"),
                "triples": real_app.extensions["kg92"].build.manifest["triples"]}
    assert expected["groups"] == 3
    for key, n in expected.items():
        shown = f"{n:,}".replace(",", "\u202f")
        assert f'<div id="stat-{key}"><dt>' in body and f"</dt><dd>{shown}</dd></div>" in body.split(f'id="stat-{key}"')[1][:200], key


def test_home_lists_the_five_documents_and_links_everything(client):
    body = fr(client, "/")
    for i, name in enumerate(DOCUMENT_FILES):
        assert f'<a href="/id/document/00{i}">00{i}</a>' in body and f"<code>{name}</code>" in body
    assert "Rapport d&#39;activité du Département des Hauts-de-Seine : pilier solidarités (action sociale)" in body
    for href in ("/editor", "/queries", "/ontology", "/ontology/howto", "/compare/stances", "/compare/citations",
                 "/validation", "/sparql", "/.well-known/void", "/dumps/kg.ttl.gz", "/dumps/SHA256SUMS", "/search"):
        assert f'href="{href}"' in body or f'action="{href}"' in body, href
    for href in ("/editor", "/queries", "/ontology", "/compare/stances", "/compare/citations", "/validation"):
        assert client.get(href).status_code == 200, href


# ---------------------------------------------------------------- interface language

def test_french_by_default_english_by_accept_language_or_lang_parameter(client):
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)
    en = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in en.get_data(as_text=True) and en.headers["Content-Language"] == "en"
    assert "<h1>kg92 — social-policy commitments in the Hauts-de-Seine</h1>" in en.get_data(as_text=True)
    chosen = client.get("/compare/stances?lang=en", headers={"Accept-Language": "fr"})
    assert "<h1>Group stances</h1>" in chosen.get_data(as_text=True)
    assert "lang=en" in chosen.headers["Set-Cookie"]
    assert "<h1>Group stances</h1>" in client.get("/compare/stances", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    back = client.get("/?lang=fr", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr">' in back and '<a class="lang" href="/?lang=en" hreflang="en" lang="en">English</a>' in back


def test_every_message_has_french_and_english():
    messages = json.loads((ROOT / "src" / "kg92" / "templates" / "messages.json").read_text("utf-8"))
    assert all(set(m) == {"fr", "en"} and m["fr"] and m["en"] for m in messages.values())


# ---------------------------------------------------------------- editor

def test_editor_loads_yasgui_from_the_release_with_prefixes_and_examples(client, real_app):
    release = real_app.extensions["kg92"].build.path
    body = fr(client, "/editor")
    config = json.loads(body.split('<script type="application/json" id="kg92-config">')[1].split("</script>")[0])
    assert config["endpoint"] == "/sparql"
    assert config["prefixes"]["kg"] == "https://w3id.org/kg92/def#" and config["prefixes"]["oa"] == "http://www.w3.org/ns/oa#"
    assert config["default"].startswith("PREFIX kg: <https://w3id.org/kg92/def#>\n")
    assert [e["name"] for e in config["examples"]] == ["documents", "questions", "stances"]
    if assets.installed(release):
        assert '<script src="/ui/yasgui.min.js"></script>' in body and '<link rel="stylesheet" href="/ui/yasgui.min.css">' in body
        js = client.get("/ui/yasgui.min.js")
        assert js.status_code == 200 and js.mimetype in ("text/javascript", "application/javascript")
        charts = ["ui/chart.umd.min.js"] if assets.charts(release) else []   # Chart.js: optional beside YASGUI
        assert real_app.extensions["kg92"].build.manifest["ui_assets"] == ["ui/yasgui.min.js", "ui/yasgui.min.css", *charts]
    assert client.get("/static/editor.js").status_code == 200


def test_editor_without_assets_is_a_plain_editor_and_keeps_the_query_from_the_url(client, monkeypatch):
    monkeypatch.setattr(assets, "installed", lambda release: False)
    body = fr(client, "/editor", query_string={"query": "ASK { ?s ?p ?o }"})
    assert "yasgui.min.js" not in body
    assert '<textarea id="plain-query" name="query" rows="16" spellcheck="false">ASK { ?s ?p ?o }</textarea>' in body
    assert '<form id="plain-editor" class="plain-editor" action="/sparql" method="get" >' in body
    assert '<a id="plain-share" href="/editor?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D">' in body


def test_the_starter_examples_run_and_give_the_expected_rows(client, real_app):
    from kg92.namespaces import sparql_prologue
    from kg92.web.editor import EXAMPLES
    by_name = {e["name"]: e["sparql"] for e in EXAMPLES}
    docs = select(client, sparql_prologue() + by_name["documents"])
    assert [r["file"] for r in docs] == DOCUMENT_FILES
    questions = select(client, sparql_prologue() + by_name["questions"])
    assert [int(r["number"]) for r in questions] == list(range(1, 9))
    assert questions[0]["label"] == "Services de Solidarité Territoriale et accès aux droits"
    expected = select(client, "SELECT (COUNT(*) AS ?n) WHERE { ?p a kg:Position ; kg:heldBy ?g ; kg:onAsk ?a ; kg:stance ?s "
                              "OPTIONAL { ?p kg:evidence ?q } }")[0]["n"]
    assert len(select(client, sparql_prologue() + by_name["stances"])) == int(expected)


def test_install_assets_copies_yasgui_or_nothing(tmp_path):
    root, release = tmp_path / "repo", tmp_path / "release"
    release.mkdir()
    assert assets.install_assets(release, root) == [] and not assets.installed(release)
    assert assets.fingerprint(root) == "@zazuko/yasgui=absent"
    dist = root / "node_modules" / "@zazuko" / "yasgui"
    (dist / "build").mkdir(parents=True)
    (dist / "package.json").write_text('{"name": "@zazuko/yasgui", "version": "4.6.2"}')
    for name in assets.FILES:
        (dist / "build" / name).write_text(f"/* {name} */")
    assert assets.install_assets(release, root) == ["ui/yasgui.min.js", "ui/yasgui.min.css"]
    assert assets.installed(release) and (release / "ui" / "yasgui.min.js").read_text() == "/* yasgui.min.js */"
    assert assets.fingerprint(root) == "@zazuko/yasgui=4.6.2"


def test_package_json_pins_yasgui_and_the_lock_agrees():
    pkg = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    pinned = pkg["dependencies"]["@zazuko/yasgui"]
    assert pinned[0].isdigit(), "pin an exact version"
    assert lock["packages"]["node_modules/@zazuko/yasgui"]["version"] == pinned


# ---------------------------------------------------------------- comparison views

def test_stance_matrix_json_has_every_ask_every_group_and_cells_backed_by_positions(client):
    m = client.get("/compare/stances.json").get_json()
    assert [c["iri"] for c in m["columns"]] == GROUPS
    assert {r["iri"] for r in m["rows"]} == asks_of_the_questionnaire()
    numbers = [r["number"] for r in m["rows"]]
    assert numbers == sorted(numbers)
    positions = select(client, "SELECT ?p ?g ?a ?s WHERE { ?p a kg:Position ; kg:heldBy ?g ; kg:onAsk ?a ; kg:stance ?s }")
    expected = sorted((p["p"], p["a"], p["g"], p["s"].rsplit("/", 1)[1]) for p in positions)
    assert sorted((c["position"], c["row"], c["column"], c["stance"]) for c in m["cells"]) == expected
    assert {c["stance"] for c in m["cells"]} <= STANCE_KINDS


def test_stance_matrix_html_colours_each_cell_and_links_to_its_evidence(client):
    m = client.get("/compare/stances.json").get_json()
    body = fr(client, "/compare/stances")
    assert '<caption>Position de chaque groupe de candidats sur chaque demande du questionnaire CCF92 2021</caption>' in body
    # the asks' column, one per group, the totals' column; one row per ask and the totals' row
    assert body.count('<th scope="col">') == 2 + len(m["columns"]) and body.count('<th scope="row">') == len(m["rows"]) + 1
    for c in m["cells"]:
        assert f'<a class="stance stance-{c["stance"]}" href="/id/{c["position"].split("/id/")[1]}">' in body
    assert client.get("/compare/stances", headers={"Accept": "application/json"}).get_json() == m


def test_stance_matrix_csv_is_the_same_matrix(client):
    m = client.get("/compare/stances.json").get_json()
    resp = client.get("/compare/stances.csv")
    assert resp.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(resp.get_data(as_text=True))))
    assert table[0] == ["ask", "label", *[c["label"] for c in m["columns"]]]
    assert [r[0] for r in table[1:]] == [r["iri"] for r in m["rows"]]
    cells: dict[tuple[str, str], set[str]] = {}
    for c in m["cells"]:
        cells.setdefault((c["row"], c["column"]), set()).add(c["stance"])
    for row in table[1:]:
        for group, value in zip(GROUPS, row[2:], strict=True):
            assert set(value.split()) == cells.get((row[0], group), set())


def test_citation_matrix_counts_each_groups_statements_about_each_scheme(client):
    m = client.get("/compare/citations.json").get_json()
    rows = select(client, "SELECT ?scheme ?g (COUNT(DISTINCT ?s) AS ?n) WHERE { ?g a kg:CandidateGroup . "
                          "?s kg:statedBy ?g ; kg:concerns ?scheme . ?scheme a kg:Scheme } GROUP BY ?scheme ?g")
    assert {(c["row"], c["column"]): c["statements"] for c in m["cells"]} == {(r["scheme"], r["g"]): int(r["n"]) for r in rows}
    assert [c["iri"] for c in m["columns"]] == GROUPS
    table = list(csv.reader(io.StringIO(client.get("/compare/citations.csv").get_data(as_text=True))))
    assert table[0] == ["scheme", "label", *[c["label"] for c in m["columns"]], "total"] and len(table) == len(m["rows"]) + 1
    body = fr(client, "/compare/citations")
    for c in m["cells"]:
        assert f'<a href="/id/{c["row"].split("/id/")[1]}#by-{c["column"].rsplit("/", 1)[1]}"' in body


def test_stance_matrix_cells_are_the_stances_read_from_the_sources(client):
    # STANCES (tests/support.py) is the group × ask table judged from the three answer documents,
    # each stance with the passage it comes from: the view shows exactly it, one cell per ask and group
    m = client.get("/compare/stances.json").get_json()
    ask = "https://w3id.org/kg92/id/ask/"
    assert sorted(r["iri"] for r in m["rows"]) == sorted(ask + a for a in STANCES)
    assert sorted((c["row"], c["column"], c["stance"]) for c in m["cells"]) == sorted(
        (ask + a, group, stance) for a, stances in STANCES.items() for group, stance in zip(GROUPS, stances, strict=True))
    # 000 §6 "en fonction de l'avancée de ce projet et de ses résultats dans les villes engagées dans cette
    # phase-pilote" (TZCLD); 001 Q7 "Oui nous soutiendrons la mise en œuvre des PAT, en fonction des possibilités
    # dans les communes"
    conditions = {(c["row"].rsplit("/", 1)[1], c["column"].rsplit("/", 1)[1]): c["condition"] for c in m["cells"] if c["condition"]}
    assert conditions["q6-soutenir-tzcld", "majorite-departementale"] == (
        "en fonction de l'avancée de ce projet et de ses résultats dans les villes engagées dans cette phase-pilote")
    assert conditions["q7-soutenir-pat", "groupe-001"] == "en fonction des possibilités dans les communes"
    assert sorted(conditions) == [("q6-soutenir-premieres-heures", "majorite-departementale"),
                                  ("q6-soutenir-tzcld", "majorite-departementale"), ("q7-soutenir-pat", "groupe-001")]


# How many statements of each group's own answer are about the TZCLD and the ASE, read from the sources (the
# text of the questions, which 000 and 001 repeat, does not count: 000 l.167, 001 l.65 name TZCLD in question 6)
CITATIONS = {
    ("tzcld", "majorite-departementale"): 2,
    # 000 §6 l.173 "Le Département participe aux instances de suivi et de déploiement de l'expérimentation
    # « Territoires Zéro Chômeur de Longue Durée » et, en fonction de l'avancée de ce projet …, le Département
    # étudiera les modalités du soutien": one sentence, two statements (a claim and a conditional commitment)
    ("tzcld", "groupe-001"): 1,
    # 001 Q6 l.66 "Oui au soutien du dispositif des territoires Zéro Chômeurs, sous la forme d'un soutien
    # logistique et d'une contribution financière"
    ("tzcld", "colombes-2"): 3,
    # 003 §3 l.34 "Le revenu de base en est un. Le dispositif TZCLD un autre."; §6 l.54 "Notre programme défend à
    # la fois l'intégration dans le dispositif TZCLD…" and "Le dispositif TZCLD est aujourd'hui solide…"
    ("ase", "majorite-departementale"): 6,
    # 000 §3 l.96 "les jeunes de l'ASE, les bénéficiaires du RSA" (the 2017 strategy), l.100 "dispositif relevant de
    # l'aide sociale à l'enfance"; §5 l.146 "près de 5 100 enfants sont suivis par l'ASE" (two statements: the
    # count, and the hotel share among them); and the two sentences of §5 about the places and the hotel that
    # follow ("un manque structurel de places dans ce type d'établissements", "le recours à l'hôtel restait … la seule
    # solution pour … la mise à l'abri immédiate des jeunes confiés"), linked to the ASE resolved from that sentence
    ("ase", "groupe-001"): 2,
    # 001 Q1 l.12 "services sociaux de territoire et aide sociale à l'enfance"; Q2 l.26 "Les 10% supplémentaires
    # seraient affectés à … l'aide sociale à l'enfance"
    ("ase", "colombes-2"): 4,
    # 003 §1 l.6 "a conduit au drame de la mort d'un jeune suivi par l'ASE"; §2 l.20 "Les dépenses de
    # fonctionnement de l'aide sociale à l'enfance pèsent 64% dans le budget départemental", and the two sentences
    # about that share that follow ("cette partie varie de 39 à 75%", "La part des Hauts-de-Seine est de 52%"),
    # linked to the ASE resolved from context (the group's own sentence before names it)
}


def test_citation_matrix_cells_are_the_counts_read_from_the_sources(client):
    m = client.get("/compare/citations.json").get_json()
    cells = {(c["row"].rsplit("/", 1)[1], c["column"].rsplit("/", 1)[1]): c["statements"] for c in m["cells"]}
    assert {k: v for k, v in cells.items() if k[0] in ("tzcld", "ase")} == CITATIONS
    if SOURCES.is_dir():     # the passages are in the sources, as quoted above
        text = {d: next(SOURCES.glob(f"{d}_*.txt")).read_text(encoding="utf-8").splitlines() for d in ("000", "001", "003")}
        assert "Territoires Zéro Chômeur de Longue Durée" in text["000"][172] and "TZCLD" not in text["000"][172]
        assert text["001"][65].startswith("Oui au soutien du dispositif des territoires Zéro Chômeurs")
        assert "Le dispositif TZCLD un autre." in text["003"][33] and text["003"][53].count("TZCLD") == 2
        assert "l'ASE" in text["000"][95] and "l'aide sociale à l'enfance" in text["000"][99] and "l'ASE" in text["000"][145]
        assert "aide sociale à l’enfance" in text["001"][11] and "aide sociale à l’enfance" in text["001"][25]
        assert "suivi par l'ASE" in text["003"][5] and "l’aide sociale à l’enfance pèsent 64%" in text["003"][19]
    body = fr(client, "/compare/citations")
    assert ('<a href="/id/scheme/tzcld#by-colombes-2" aria-label="3 · Énoncés de Ensemble pour des Hauts-de-Seine durables et '
            'solidaires (Colombes 2) sur Territoire Zéro Chômeur de Longue Durée">3</a>') in body


def test_comparison_twins_refuse_unknown_suffixes(client):
    assert client.get("/compare/stances.xml").status_code == 406
    assert client.get("/compare/citations", headers={"Accept": "image/png"}).status_code == 406


# ---------------------------------------------------------------- validation report

def test_validation_page_shows_the_builds_report_by_file(client, real_app):
    release = real_app.extensions["kg92"].build.path
    report = json.loads((release / "validation.json").read_text("utf-8"))
    body = fr(client, "/validation")
    assert "Les données sont conformes aux formes SHACL." in body
    for severity, n in report["counts"].items():
        assert f'<div id="count-{severity.lower()}"><dt>' in body and f"<dd>{n}</dd>" in body.split(f'id="count-{severity.lower()}"')[1][:120]
    assert body.count('<tr class="sev-') == len(report["results"])
    for r in report["results"]:
        assert str(escape(r["message_fr"])) in body
    assert client.get("/validation.json").get_json() == report
    assert client.get("/validation.ttl").status_code == 200
    assert client.get("/validation.txt?lang=en").get_data() == (release / "validation.txt").read_bytes()
    assert client.get("/validation.xml").status_code == 404


# ---------------------------------------------------------------- the gallery's ready-to-run text (issue 9, audit)

def gallery_rows(client, q: dict) -> tuple[int, int]:
    """(rows of the server's own run with the example values, rows of /sparql running ``example_sparql``)."""
    args = {k: v for k, v in q["example"].items() if v}
    if q["form"] == "CONSTRUCT":
        own = client.get(f"/queries/{q['name']}.nt", query_string=args).get_data(as_text=True).splitlines()
        ran = client.post("/sparql", data={"query": q["example_sparql"]}, headers={"Accept": "application/n-triples"})
        assert ran.status_code == 200, ran.get_data(as_text=True)
        return len(own), len(ran.get_data(as_text=True).splitlines())
    own = client.get(f"/queries/{q['name']}.json", query_string=args).get_json()["results"]["bindings"]
    ran = client.post("/sparql", data={"query": q["example_sparql"]}, headers={"Accept": "application/sparql-results+json"})
    assert ran.status_code == 200, (q["name"], ran.get_data(as_text=True))
    return len(own), len(ran.get_json()["results"]["bindings"])


def test_every_gallery_query_has_a_ready_to_run_text_giving_the_servers_rows(client):
    gallery = client.get("/queries.json").get_json()["queries"]
    assert {"actor-relations", "co-citation", "quote-search", "group-commitments-by-theme", "timeline"} <= {q["name"] for q in gallery}
    differ = {}
    for q in gallery:
        assert q["example_sparql"], q["name"]
        assert q["example_url"].startswith(f"/queries/{q['name']}")
        own, ran = gallery_rows(client, q)
        if own != ran:
            differ[q["name"]] = (own, ran)
    assert differ == {}, f"(server, example_sparql) rows: {differ}"


def test_the_example_values_are_one_values_block_at_the_top_of_the_where_clause(client):
    by_name = {q["name"]: q for q in client.get("/queries.json").get_json()["queries"]}
    timeline = by_name["timeline"]["example_sparql"]
    head, body = timeline.split("WHERE {", 1)
    assert body.lstrip().startswith('VALUES (?from ?to ?lang) { ("2019-01-01"^^<http://www.w3.org/2001/XMLSchema#date> '
                                     '"2019-12-31"^^<http://www.w3.org/2001/XMLSchema#date> "fr") }')
    assert timeline.count("VALUES") == 1
    cocitation = by_name["co-citation"]["example_sparql"]          # the HAVING sees ?min: 2 shared statements
    assert 'VALUES (?min) { ("2"^^<http://www.w3.org/2001/XMLSchema#integer>) }' in cocitation
    assert cocitation.index("VALUES") < cocitation.index("GROUP BY")
    quote = by_name["quote-search"]["example_sparql"]
    assert 'VALUES (?text) { ("Premieres heures") }' in quote


@pytest.mark.parametrize("text, inside", [
    ("SELECT * WHERE { ?s ?p ?o }", " ?s ?p ?o "),
    ("SELECT * { ?s ?p ?o }", " ?s ?p ?o "),
    ("# a comment with WHERE { in it\nSELECT ?x WHERE { ?x ?p \"WHERE { }\" }", ' ?x ?p "WHERE { }" '),
    ("SELECT (EXISTS { ?a ?b ?c } AS ?e) WHERE { ?x ?p ?o }", " ?x ?p ?o "),
    ("SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } } FILTER(?x != <urn:a> && ?x != '}') }",
     " { SELECT ?x WHERE { ?x ?p ?o } } FILTER(?x != <urn:a> && ?x != '}') "),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o . ?s ?q '''}''' }", " ?s ?p ?o . ?s ?q '''}''' "),
    ("PREFIX where: <http://e/> SELECT ?where WHERE { ?where where:p ?o }", " ?where where:p ?o "),
])
def test_where_group_finds_the_outermost_group(text, inside):
    from kg92.queries.binding import where_group
    start, end = where_group(text)
    assert text[start:end] == inside


def test_bind_text_writes_typed_terms_and_copes_with_a_bind_of_a_parameter(tmp_path):
    from kg92.queries.binding import Param, bind_value
    from kg92.queries.registry import parse_file
    from kg92.web.canned import bind_text
    path = tmp_path / "q.rq"
    path.write_text("#+ title_fr: t\n#+ title_en: t\n#+ description_fr: d\n#+ description_en: d\n"
                    "#+ param: text string — t\n#+ param: doc iri — d\n#+ example: text=x\n"
                    "SELECT ?text ?doc ?o WHERE {\n  ?s ?p ?o . BIND (?o AS ?doc)\n  FILTER (CONTAINS(STR(?o), ?text))\n}\n")
    q = parse_file(path)
    terms = {ox.Variable("text"): bind_value(Param("text", "string", ""), 'a "quoted" } text\\', None),
             ox.Variable("doc"): bind_value(Param("doc", "iri", ""), "https://e.org/d", None)}
    text = bind_text(q, terms)
    # a VALUES before `BIND (… AS ?doc)` is not SPARQL: the block closes the group instead (FILTER is group-wide)
    assert text.rstrip().endswith('VALUES (?text ?doc) { ("a \\"quoted\\" } text\\\\" <https://e.org/d>) }   # parameters / paramètres\n}')
    assert ox.Store().query(text) is not None                      # valid SPARQL: the quotes are escaped
    store = ox.Store()
    for o in (ox.NamedNode("https://e.org/d"), ox.NamedNode("https://e.org/other"), ox.Literal("https://e.org/d")):
        store.add(ox.Quad(ox.NamedNode("https://e.org/s"), ox.NamedNode("https://e.org/p"), o))
    terms[ox.Variable("text")] = ox.Literal("e.org")
    # the FILTER sees ?text and the BIND's ?doc joins with the parameter: only the document itself
    assert [s["o"] for s in store.query(bind_text(q, terms))] == [ox.NamedNode("https://e.org/d")]
    assert bind_text(q, {}) == q.sparql


def test_the_bound_text_of_a_query_is_served_as_rq(client):
    resp = client.get("/queries/timeline.rq", query_string={"from": "2020-01-01"})
    assert resp.status_code == 200 and resp.mimetype == "application/sparql-query"
    assert 'VALUES (?from ?lang) { ("2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> "fr") }' in resp.get_data(as_text=True)
    assert client.get("/queries/timeline.rq", query_string={"from": "2020-13-45"}).status_code == 400
    assert client.get("/queries/timeline.rq", query_string={"from": '2020") } DROP ALL #'}).status_code == 400
    page = fr(client, "/queries/timeline?from=2020-01-01")
    assert 'href="/queries/timeline.rq?from=2020-01-01&amp;lang=fr"' in page      # the labels in the page's language
    assert "/editor?query=" in page and "VALUES%20%28%3Ffrom%20%3Flang%29" in page   # "open in the editor": bound


# ---------------------------------------------------------------- language and site header on every page

def test_query_gallery_and_query_pages_follow_the_sites_language(client):
    en = client.get("/queries", headers={"Accept-Language": "en"})
    body = en.get_data(as_text=True)
    assert '<html lang="en">' in body and "<h1>Research queries</h1>" in body and en.headers["Content-Language"] == "en"
    assert '<header class="site">' in body and 'hreflang="fr"' in body                        # site header, language switch
    assert "<h1>Requêtes de recherche</h1>" in fr(client, "/queries")
    client.get("/queries?lang=en")                                                             # remembered in a cookie
    assert "<h1>Research queries</h1>" in client.get("/queries", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    page = client.get("/queries/timeline").get_data(as_text=True)
    assert '<html lang="en">' in page and "Open in the editor" in page and '<header class="site">' in page


def test_sparql_html_page_follows_the_sites_language_with_the_site_header(client):
    query = {"query": "SELECT ?g WHERE { ?g a <https://w3id.org/kg92/def#CandidateGroup> }"}
    html = {"Accept": "text/html"}
    en = client.get("/sparql", query_string=query, headers={**html, "Accept-Language": "en"})
    body = en.get_data(as_text=True)
    assert '<html lang="en">' in body and '<header class="site">' in body and "<caption>3 rows</caption>" in body
    assert en.headers["Content-Language"] == "en" and "Accept-Language" in en.headers["Vary"]
    french = client.get("/sparql", query_string=query, headers={**html, "Accept-Language": "fr"})
    assert '<html lang="fr">' in french.get_data(as_text=True) and "<caption>3 lignes</caption>" in french.get_data(as_text=True)
    assert french.headers["ETag"] != en.headers["ETag"]                     # one validator per language version
    form = client.get("/sparql", headers={**html, "Accept-Language": "fr"})
    assert '<textarea id="query" name="query"' in form.get_data(as_text=True) and "Requête" in form.get_data(as_text=True)
    assert client.get("/sparql", query_string=query, headers={"Accept": "application/sparql-results+json"}).headers["Vary"] == "Accept"


# ---------------------------------------------------------------- links, editor without JavaScript, root conneg

def test_only_web_iris_are_links_on_pages(real_app):
    from kg92 import urls
    from kg92.web.describe import Value
    assert urls.href("javascript:alert(1)") is None and urls.href("urn:isbn:1") is None
    assert urls.href("http://example.org/x") == "http://example.org/x"
    with real_app.test_request_context("/"):
        from flask import render_template_string
        html = render_template_string('{% from "_macros.html" import value %}{{ value(v) }}',
                                      v=Value("iri", "x", urls.href("javascript:alert(1)"), "javascript:alert(1)"))
    assert "<a" not in html and "&lt;javascript:alert(1)&gt;" in html


def test_editor_examples_are_links_that_work_without_javascript(client):
    body = fr(client, "/editor")
    assert "<noscript>" in body
    config = json.loads(body.split('<script type="application/json" id="kg92-config">')[1].split("</script>")[0])
    for ex in config["examples"]:
        assert f'<a class="example" href="{escape(ex["href"])}" data-name="{ex["name"]}">' in body
        assert ex["href"].startswith("/editor?query=") and client.get(ex["href"]).status_code == 200
    names = [q["name"] for q in client.get("/queries.json").get_json()["queries"]]
    assert [ex["name"] for ex in config["gallery"]] == names
    for ex in config["gallery"]:
        assert f'href="{escape(ex["href"])}" data-name="{ex["name"]}" data-gallery="1"' in body
        assert client.get(ex["href"]).status_code == 200


def test_the_root_sends_rdf_clients_to_the_void_description(client):
    for accept in ("text/turtle", "application/ld+json", "text/turtle;q=1, text/html;q=0.5"):
        resp = client.get("/", headers={"Accept": accept})
        assert resp.status_code == 303 and resp.headers["Location"] == "/.well-known/void", accept
    assert client.get("/.well-known/void", headers={"Accept": "text/turtle"}).mimetype == "text/turtle"
    for accept in ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "*/*", None):
        assert client.get("/", headers={"Accept": accept} if accept else {}).status_code == 200, accept


# ---------------------------------------------------------------- query forms in the page's language (issue 9, re-audit)

def test_query_form_options_and_help_are_labels_in_the_chosen_language(client):
    # the three candidate groups (data/ttl/actors.ttl, skos:prefLabel @fr/@en), sorted by label; values stay IRIs
    g = "https://w3id.org/kg92/id/group/"
    expected = {
        "fr": [(g + "majorite-departementale", "candidats de la majorité départementale"),
               (g + "colombes-2", "Ensemble pour des Hauts-de-Seine durables et solidaires (Colombes 2)"),
               (g + "groupe-001", "groupe de candidats non nommé du document 001")],
        "en": [(g + "majorite-departementale", "candidates of the departmental majority"),
               (g + "colombes-2", "Together for a sustainable and caring Hauts-de-Seine (Colombes 2)"),
               (g + "groupe-001", "unnamed group of candidates of document 001")],
    }
    helps = {"fr": ("le groupe de candidats", "le thème"), "en": ("the candidate group", "the theme")}
    for lang, options in expected.items():
        body = client.get("/queries/group-commitments-by-theme", query_string={"lang": lang}).get_data(as_text=True)
        select = body.split('<select id="p-group" name="group">')[1].split("</select>")[0]
        got = re.findall(r'<option value="([^"]*)"(?: selected)?>([^<]*)</option>', select)
        assert [(v, html.unescape(text)) for v, text in got] == [("", "—"), *options], lang
        assert f'<option value="{g}groupe-001" selected>' in select                       # the default
        group_help, theme_help = helps[lang]
        assert f'<label for="p-group">{group_help} <small>(<code>group</code>)</small></label>' in body
        assert f'<label for="p-theme">{theme_help} <small>(<code>theme</code>)</small></label>' in body
        assert " / " not in body.split('class="query-params"')[1].split("</form>")[0]
    # theme options: labels too, never slugs
    body = client.get("/queries/group-commitments-by-theme", query_string={"lang": "en"}).get_data(as_text=True)
    assert ('<option value="https://w3id.org/kg92/id/theme/acces-aux-droits">Territorial social services and access '
            'to rights</option>') in body
    # documents: number, then title
    body = client.get("/queries/schemes-in-one-document", query_string={"lang": "fr"}).get_data(as_text=True)
    assert ('<option value="https://w3id.org/kg92/id/document/003">003 — Réponses de David Mbanza (EELV) et '
            'Anne-Gaëlle Courty Ahmed (PS), canton de Colombes 2</option>') in body


def test_query_result_iris_show_their_labels_in_the_chosen_language(client):
    # 001 Q6 l.66 "Oui au soutien du dispositif des territoires Zéro Chômeurs…": a commitment that supports
    args = {"group": "https://w3id.org/kg92/id/group/groupe-001", "theme": "https://w3id.org/kg92/id/theme/insertion"}
    # the statement's label (its link and the query's ?label column) in the page's language too (labels-en.ttl)
    for lang, stance, group, label in (
            ("fr", "soutient", "groupe de candidats non nommé du document 001",
             "Soutenir le dispositif des territoires Zéro Chômeurs par un soutien logistique et une contribution financière"),
            ("en", "supports", "unnamed group of candidates of document 001",
             "Support the Zero Unemployment Territories scheme with logistical support and a financial contribution")):
        body = client.get("/queries/group-commitments-by-theme", query_string={**args, "lang": lang}).get_data(as_text=True)
        row = next(r for r in body.split("<tr>") if "/id/statement/001-q6-tzcld" in r)
        assert f'<td><a href="/id/group/groupe-001" title="https://w3id.org/kg92/id/group/groupe-001">{group}</a></td>' in row
        assert f'<td><a href="/id/stance/supports" title="https://w3id.org/kg92/id/stance/supports">{stance}</a></td>' in row
        assert ('<a href="/id/statement/001-q6-tzcld" title="https://w3id.org/kg92/id/statement/001-q6-tzcld">'
                f'{label}</a></td><td>{label}</td>') in row
        assert f"<td>{lang}</td></tr>" in row


def test_param_help_picks_the_language_of_a_two_language_help():
    from kg92.queries.binding import Param
    from kg92.web.canned import param_help
    both = Param("min", "integer", "nombre minimal / minimum number")
    assert (param_help(both, "fr"), param_help(both, "en")) == ("nombre minimal", "minimum number")
    one = Param("x", "string", "a / b / c")
    assert param_help(one, "en") == "a / b / c"


# ---------------------------------------------------------------- /dumps/ is a page of the site (issue 9, re-audit)

def test_dumps_page_has_the_site_header_and_follows_the_language(client, real_app):
    build = real_app.extensions["kg92"].build
    en = client.get("/dumps/", headers={"Accept-Language": "en"})
    body = en.get_data(as_text=True)
    assert en.headers["Content-Language"] == "en" and "Accept-Language" in en.headers["Vary"] and "Accept" in en.headers["Vary"]
    assert '<html lang="en">' in body and '<header class="site">' in body and "<h1>Full dumps</h1>" in body
    assert f"The whole dataset of build {build.id}, written at build time." in body
    nq = build.manifest["dumps"]["kg.nq"]
    assert (f'<tr><th scope="row"><a href="http://127.0.0.1:8000/dumps/kg.nq">kg.nq</a></th><td data-label="Media type">application/n-quads</td><td data-label="Compression">—</td>'
            f'<td class="num" data-label="Bytes">{nq["bytes"]:,}</td><td data-label="SHA-256"><code class="sha256">{nq["sha256"]}</code></td></tr>') in body
    french = fr(client, "/dumps/")
    assert '<html lang="fr">' in french and "<h1>Exports complets</h1>" in french
    assert f'<td class="num" data-label="Octets">{nq["bytes"]:,}</td>'.replace(",", "\u202f") in french
    assert client.get("/dumps/", headers={"Accept": "application/json"}).get_json()["build"] == build.id


def test_an_html_results_page_is_revalidated_with_its_own_etag_in_each_language(client):
    """The language is in the tag before the conditional check: a browser that sends back the tag it got gets 304
    (the tag was rewritten after the check before, so an HTML page never got one); the other language's tag is 200."""
    query = {"query": "SELECT ?g WHERE { ?g a <https://w3id.org/kg92/def#CandidateGroup> }"}
    for lang, other in (("fr", "en"), ("en", "fr")):
        headers = {"Accept": "text/html", "Accept-Language": lang}
        first = client.get("/sparql", query_string=query, headers=headers)
        etag = first.headers["ETag"]
        assert first.status_code == 200 and etag.endswith(f'-{lang}"')
        again = client.get("/sparql", query_string=query, headers={**headers, "If-None-Match": etag})
        assert (again.status_code, again.headers["ETag"], again.get_data()) == (304, etag, b"")
        theirs = client.get("/sparql", query_string=query, headers={"Accept": "text/html", "Accept-Language": other,
                                                                    "If-None-Match": etag})
        assert theirs.status_code == 200 and theirs.headers["ETag"] == etag[:-4] + f'-{other}"'
    plain = client.get("/sparql", query_string=query, headers={"Accept": "application/sparql-results+json"})
    assert not plain.headers["ETag"].endswith(('-fr"', '-en"'))   # a results document is the same in every language
