"""Linked-data pages: every IRI of the graph dereferences (HTML and RDF), conneg and suffixes agree, unknown IRIs 404.

Exact content is checked on the stable shared files (vocab, actors, schemes, questionnaire, documents); the
document files that curators are still writing are covered by structural invariants only.
"""

from __future__ import annotations

import html
import re

import pyoxigraph as ox
import pytest
from support import ROOT, SOURCES, rdf_triples

from kg92 import urls

ID = "https://w3id.org/kg92/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS, SKOS = "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2004/02/skos/core#"
FORMATS = {"ttl": ("text/turtle", ox.RdfFormat.TURTLE), "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
           "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES), "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML)}
Q1_QUOTE = "quote/001-49-805"


def triples(quads) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads}


def shared_triples(name: str) -> set[ox.Triple]:
    return triples(ox.parse(path=ROOT / "data" / "ttl" / f"{name}.ttl", format=ox.RdfFormat.TURTLE))


def parsed(resp, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return rdf_triples(resp.data, fmt)


def ground(triples: set[ox.Triple]) -> set[ox.Triple]:
    """The triples without blank nodes (blank-node labels differ between two serialisations)."""
    return {t for t in triples if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)}


def text_of(resp) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", resp.get_data(as_text=True)))


@pytest.fixture()
def real_app(backend_app):
    """The page tests run over the embedded store and over an Oxigraph server (store_url): conftest.backend_app;
    the tests marked ``embedded_only`` (paths that never reach the data: an error page's layout, a path that makes
    no IRI) run over the embedded store alone (conftest deselects their remote case)."""
    return backend_app


@pytest.fixture(scope="module")
def graph_iris(release_store) -> list[str]:
    """Every IRI under the base that the store mentions: subjects, objects and graph names."""
    found: set[str] = set()
    for q in release_store.quads_for_pattern(None, None, None, None):
        for term in (q.subject, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(urls.BASE):
                found.add(term.value)
    return sorted(found)


# ---------------------------------------------------------------- urls.py, table-driven

@pytest.mark.parametrize("rest, expected", [
    ("scheme/rsa", ("scheme/rsa", None)),
    ("scheme/rsa.ttl", ("scheme/rsa", "ttl")),
    ("scheme/rsa.jsonld", ("scheme/rsa", "jsonld")),
    ("scheme/rsa.html", ("scheme/rsa", "html")),
    ("quote/001-49-805.nt", ("quote/001-49-805", "nt")),
    ("scheme/rsa.xml", ("scheme/rsa.xml", None)),       # not a suffix we serve: part of the (unknown) IRI
    ("scheme/rsa.", ("scheme/rsa.", None)),
])
def test_split_suffix(rest, expected):
    assert urls.split_suffix(rest) == expected


@pytest.mark.parametrize("iri, path", [
    (ID + "scheme/rsa", "/id/scheme/rsa"),
    (ID + "quote/001-49-805", "/id/quote/001-49-805"),
    ("https://w3id.org/kg92/graph/doc-000", "/graph/doc-000"),
    ("https://w3id.org/kg92/def#Commitment", "/def#Commitment"),
    ("https://w3id.org/kg92/def", "/def"),
    ("https://w3id.org/kg92/", "/"),
    ("https://w3id.org/kg92/id/", None),
    ("http://www.w3.org/ns/oa#SpecificResource", None),
])
def test_local_path_maps_the_base_and_nothing_else(iri, path):
    assert urls.local_path(iri) == path
    assert urls.href(iri) == (path or iri)


@pytest.mark.parametrize("iri, short", [
    ("http://www.w3.org/2004/02/skos/core#prefLabel", "skos:prefLabel"),
    ("https://w3id.org/kg92/def#evidence", "kg:evidence"),
    (ID + "scheme/rsa", "scheme/rsa"),
    ("http://qudt.org/vocab/unit/CCY_EUR", "unit:CCY_EUR"),
    ("http://example.org/a/b", "http://example.org/a/b"),
])
def test_curie(iri, short):
    assert urls.curie(iri) == short


def test_href_with_suffix():
    assert urls.href(ID + "scheme/rsa", "ttl") == "/id/scheme/rsa.ttl"
    assert urls.href("https://w3id.org/kg92/def#Scheme", "ttl") == "/def#Scheme"
    assert [u for _, _, u in urls.twins("/id/x/y")] == ["/id/x/y.ttl", "/id/x/y.jsonld", "/id/x/y.nt", "/id/x/y.rdf"]


# ---------------------------------------------------------------- every IRI dereferences

def test_every_iri_of_the_graph_answers_200_in_html_and_in_turtle(client, real_app, graph_iris):
    shared = {t.subject.value for name in ("vocab", "actors", "schemes", "questionnaire", "documents")
              for t in shared_triples(name) if isinstance(t.subject, ox.NamedNode)}
    assert shared <= set(graph_iris), "the walk covers the shared files at least"
    failures = []
    # over the remote backend (a round trip per label: minutes for the whole walk) one IRI in 40, every kind
    walk = graph_iris[::40] if real_app.extensions["kg92"].settings["store_url"] else graph_iris
    for iri in walk:
        path = urls.local_path(iri)
        assert path is not None, iri
        if path.startswith("/def"):
            continue   # ontology terms: their own test below
        page = client.get(path, headers={"Accept": "text/html"})
        turtle = client.get(path, headers={"Accept": "text/turtle"})
        if page.status_code != 200 or page.mimetype != "text/html" or f"<code>{iri}</code>" not in page.get_data(as_text=True):
            failures.append((path, "html", page.status_code))
        if turtle.status_code != 200 or turtle.mimetype != "text/turtle":
            failures.append((path, "turtle", turtle.status_code))
        elif path.startswith("/id/"):
            node = ox.NamedNode(iri)
            if not any(t.subject == node or t.object == node for t in parsed(turtle, ox.RdfFormat.TURTLE)):
                failures.append((path, "turtle does not mention the IRI", 200))
    assert failures == []


def test_ontology_terms_dereference_to_their_section_of_the_docs(client, graph_iris):
    terms = [i for i in graph_iris if i.startswith("https://w3id.org/kg92/def#")]
    assert "https://w3id.org/kg92/def#Commitment" in terms
    assert urls.href("https://w3id.org/kg92/def#Commitment") == "/def#Commitment"
    resp = client.get("/def")
    assert resp.status_code == 303 and resp.headers["Location"] == "/ontology"   # the browser keeps #Commitment
    assert client.get("/def.ttl").headers["Location"] == "/ontology.ttl"
    docs = client.get("/ontology").get_data(as_text=True)
    for term in terms:
        assert f'id="{term.split("#")[1]}"' in docs, term


def test_html_page_lists_types_labels_outgoing_and_incoming_links_with_labels(client):
    body = client.get("/id/group/colombes-2", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "<h1>Ensemble pour des Hauts-de-Seine durables et solidaires (Colombes 2)</h1>" in body
    assert '<a class="type" href="/def#CandidateGroup" title="https://w3id.org/kg92/def#CandidateGroup">groupe de candidats</a>' in body
    assert '<a href="/id/place/canton-colombes-2" title="https://w3id.org/kg92/id/place/canton-colombes-2">' in body
    assert '<a href="/id/document/003" title="https://w3id.org/kg92/id/document/003">' in body
    assert '<span class="literal" lang="en">Together for a sustainable and caring Hauts-de-Seine (Colombes 2)</span>' in body
    # incoming: the document 003 names the group as its creator
    doc = client.get("/id/document/003").get_data(as_text=True)
    incoming = doc.split('id="h-in"')[1]
    assert '<a href="/id/group/colombes-2" title="https://w3id.org/kg92/id/group/colombes-2">Ensemble pour des Hauts-de-Seine' in incoming


@pytest.fixture()
def selector_client(real_app, monkeypatch):
    """The real build as served when it was built without the source texts: no sentence contexts, so pages
    show the published context (oa:prefix/oa:suffix)."""
    monkeypatch.setitem(real_app.extensions, "kg92.contexts", {})
    return real_app.test_client()


def test_the_quote_is_highlighted_in_its_published_context_with_document_and_offsets(selector_client):
    client = selector_client
    exact = next(t.object.value for t in shared_triples("questionnaire") if t.predicate.value.endswith("#exact")
                 and t.object.value.startswith("Les Services de Solidarité Territoriale"))
    for path in ("/id/question/ccf92-2021-q1", "/id/" + Q1_QUOTE):
        body = client.get(path, headers={"Accept-Language": "fr"}).get_data(as_text=True)
        # oa:prefix "collectif citoyens\nQuestion 1 :\n" and oa:suffix "\n\nNous partageons ces constats e": whole
        # words only ("collectif" may be cut: it goes; "e" is cut: it goes), "…" where the document goes on
        assert (f'<span class="context" title="oa:prefix">…citoyens\nQuestion 1\xa0:\n</span><mark>{html.escape(exact)}</mark>'
                '<span class="context" title="oa:suffix">\n\nNous partageons ces constats…</span>') in body
        assert '<a href="/id/document/001">Document 001</a> (<code>001_4f98e95b9ea0c605.txt</code>)' in body
        assert "caractères 49–805 · <span class=\"context-note\">en gris : contexte (oa:prefix/oa:suffix)</span>" in body


def test_the_context_of_a_quote_is_cut_at_word_boundaries(selector_client):
    client = selector_client
    # 001 Q6 l.70: "… mais nous ne nous déchargerons pas de cette tâche sur le département et développerons un
    # conventionnement avec les associations … de soutenir leurs initiatives." then "Question 7 :alimentation" and
    # "Les Projets Alimentaires…": the 32 characters kept on each side are "tte tâche sur le département et " and
    # " \nQuestion 7 :alimentation\nLes P"; the page drops the cut words ("tte", "P")
    body = client.get("/id/statement/001-q6-conventionnement-iae", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    quote = body.split('<figure class="quote">')[1].split("</figure>")[0]
    assert quote == (
        '\n  <blockquote cite="/id/quote/001-11364-11566"><p><span class="context" title="oa:prefix">…tâche sur le '
        'département et </span><mark>développerons un conventionnement avec les associations qui interviennent dans le '
        'champ de l’insertion par l’activité économique afin de nous appuyer sur leur expertise et de soutenir leurs '
        'initiatives.</mark><span class="context" title="oa:suffix"> \nQuestion 7\xa0:alimentation\nLes…</span></p>'
        '</blockquote>\n  <figcaption><a href="/id/document/001">Document 001</a> (<code>001_4f98e95b9ea0c605.txt</code>),'
        '\n    caractères 11364–11566 · <span class="context-note">en gris : contexte (oa:prefix/oa:suffix)</span> · '
        '<a href="/id/quote/001-11364-11566">la citation</a></figcaption>\n')
    if SOURCES.is_dir():     # what is shown is the text around the quote in the source, whole words
        text = next(SOURCES.glob("001_*.txt")).read_text(encoding="utf-8")
        assert text[11364 - 32:11364] == "tte tâche sur le département et " and text[11364 - 34:11364 - 29] == "cette"
        assert text[11566:11566 + 32] == " \nQuestion 7\xa0:alimentation\nLes P" and text[11566 + 27:11566 + 38] == "Les Projets"
    en = client.get("/id/quote/001-11364-11566", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "characters 11364–11566 · <span class=\"context-note\">in grey: context (oa:prefix/oa:suffix)</span>" in en


def test_the_quote_is_shown_in_its_sentence_when_the_build_had_the_sources(client, real_app):
    if not real_app.extensions["kg92.contexts"]:
        pytest.skip("build/ was made without ../shared/sources: no sentence contexts (pages show oa:prefix/oa:suffix)")
    # 001 l.70: "Nous apporterons notre soutien au travail des CIP, conseillers en insertion dédiés à cette tâche sur
    # le département et développerons un conventionnement … de soutenir leurs initiatives." — the quote starts
    # mid-sentence and ends it: the page shows the sentence's beginning before it and nothing after it
    body = client.get("/id/statement/001-q6-conventionnement-iae", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    quote = body.split('<figure class="quote">')[1].split("</figure>")[0]
    assert ('<p><span class="context" title="la phrase de la source autour de la citation">Nous apporterons notre '
            'soutien au travail des CIP, conseillers en insertion dédiés à cette tâche sur le département et </span>'
            '<mark>développerons un conventionnement') in quote
    assert "initiatives.</mark></p>" in quote
    assert '<span class="context-note">en gris : la phrase autour de la citation, dans la source</span>' in quote
    if SOURCES.is_dir():
        text = next(SOURCES.glob("001_*.txt")).read_text(encoding="utf-8")
        assert text[11364 - 119:11364].startswith("Nous apporterons notre soutien")


@pytest.mark.parametrize("text, start, end, shown", [
    ("Une phrase. Avant la citation ici, après. Suite.", 30, 33, ("Avant la citation ", ", après.")),
    ("Titre\n- puce citée entière.\nAutre", 8, 27, ("- ", "")),
    ("Début du texte citation fin", 15, 23, ("Début du texte ", " fin")),
])
def test_sentence_around(text, start, end, shown):
    from kg92.build.contexts import sentence_around
    assert sentence_around(text, start, end) == shown


@pytest.mark.parametrize("prefix, start, shown", [
    ("tte tâche sur le département et ", 11364, "…tâche sur le département et "),
    (" sur le département et la suite ", 500, "…sur le département et la suite "),      # cut at a space
    ("Question 1 :\n", 13, "Question 1 :\n"),                                         # the document's start
    ("x" * 32, 32, "x" * 32),                                                          # also the start
    ("x" * 32, 40, ""),                                                                # one cut word: nothing
])
def test_context_before(prefix, start, shown):
    from kg92.web.describe import context_before
    assert context_before(prefix, start) == shown


@pytest.mark.parametrize("suffix, shown", [
    (" \nQuestion 7 :alimentation\nLes P", " \nQuestion 7 :alimentation\nLes…"),
    ("\n\nNous partageons ces constats e", "\n\nNous partageons ces constats…"),
    ("la fin.\n", "la fin.\n"),                                                         # the document's end
    ("y" * 32, ""),
])
def test_context_after(suffix, shown):
    from kg92.web.describe import context_after
    assert context_after(suffix) == shown


def test_labels_follow_the_chosen_language(client):
    fr = client.get("/id/question/ccf92-2021-q1", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    en = client.get("/id/question/ccf92-2021-q1?lang=en").get_data(as_text=True)
    assert "<h1>Services de Solidarité Territoriale et accès aux droits</h1>" in fr
    assert "<h1>Territorial social services and access to rights</h1>" in en
    assert "characters 49–805" in en and '<html lang="en">' in en


# ---------------------------------------------------------------- RDF: conneg and suffixes agree

@pytest.mark.parametrize("path", ["/id/scheme/rsa", "/id/group/colombes-2", "/id/question/ccf92-2021-q1",
                                  "/id/" + Q1_QUOTE, "/id/stance/supports", "/graph/vocab"])
def test_accept_and_suffix_give_the_same_description(client, path):
    for suffix, (media, fmt) in FORMATS.items():
        by_accept = client.get(path, headers={"Accept": media})
        by_suffix = client.get(f"{path}.{suffix}")
        for resp in (by_accept, by_suffix):
            assert resp.status_code == 200 and resp.mimetype == media, (path, suffix)
        assert by_accept.headers["Content-Location"] == f"{path}.{suffix}"
        assert "Accept" in by_accept.headers["Vary"]
        a, b = parsed(by_accept, fmt), parsed(by_suffix, fmt)
        assert ground(a) == ground(b) and len(a) == len(b)
    main = [r.get_data(as_text=True).split("<main")[1] for r in
            (client.get(path + ".html"), client.get(path, headers={"Accept": "text/html"}))]
    assert main[0] == main[1]
    assert client.get(path, headers={"Accept": "*/*"}).mimetype == "text/html"
    link = client.get(path).headers["Link"]
    assert f'<{path}.ttl>; rel="alternate"; type="text/turtle"' in link


def test_description_holds_every_triple_of_the_shared_file_and_the_incoming_links(client):
    stance = ox.NamedNode(ID + "stance/supports")
    mine = {t for t in shared_triples("vocab") if t.subject == stance}
    got = parsed(client.get("/id/stance/supports.ttl"), ox.RdfFormat.TURTLE)
    assert mine and mine <= got
    assert ox.Triple(stance, RDF_TYPE, ox.NamedNode("https://w3id.org/kg92/def#Stance")) in got
    assert all(t.subject == stance or t.object == stance for t in got)
    # the quote of question 1: its selectors (blank nodes) come along, the question points to it
    quote = parsed(client.get("/id/" + Q1_QUOTE + ".nt"), ox.RdfFormat.N_TRIPLES)
    starts = [t.object.value for t in quote if t.predicate.value == "http://www.w3.org/ns/oa#start"]
    assert starts == ["49"]
    assert ox.Triple(ox.NamedNode(ID + "question/ccf92-2021-q1"), ox.NamedNode("https://w3id.org/kg92/def#evidence"),
                     ox.NamedNode(ID + Q1_QUOTE)) in quote


def test_a_named_graph_dereferences_to_its_triples(client, real_app):
    manifest = real_app.extensions["kg92"].build.manifest
    triples = parsed(client.get("/graph/vocab.nt"), ox.RdfFormat.N_TRIPLES)
    authored = shared_triples("vocab")   # + the rdfs:label that each skos:prefLabel entails (kg92.entailment)
    entailed = {ox.Triple(t.subject, ox.NamedNode(RDFS + "label"), t.object) for t in authored
                if t.predicate.value == SKOS + "prefLabel"}
    # the 62 indicators of issue 17 (item 2) add 62 × 7 authored triples (2 types, inScheme, 2 prefLabels, 2
    # definitions) and 62 × 2 entailed rdfs:label: 252 + 124 = 376 entailed, 1115 + 434 + 124 = 1673 triples;
    # the later indicators and populations of issue 17 (9 concepts, 2 prefLabels each) make 394 entailed, 1758
    assert triples == authored | entailed and len(entailed) == 394
    assert len(triples) == manifest["graphs"]["https://w3id.org/kg92/graph/vocab"] == 1758
    page = client.get("/graph/vocab", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<code>data/ttl/vocab.ttl</code>" in page
    assert f"This named graph holds {len(triples)} triples" in page


# ---------------------------------------------------------------- unknown IRIs

def test_unknown_iri_gets_a_helpful_404_page(client):
    resp = client.get("/id/scheme/rsaa", headers={"Accept": "text/html", "Accept-Language": "fr"})
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    body = resp.get_data(as_text=True)
    assert "<h1>Ressource inconnue</h1>" in body and "<code>https://w3id.org/kg92/id/scheme/rsaa</code>" in body
    assert '<li><a href="/id/scheme/rsa">revenu de solidarité active</a>' in body       # the close match first
    assert '<a href="/search?q=rsaa">' in body


@pytest.mark.parametrize("path", ["/id/scheme/no-such-scheme", "/id/nothing", "/graph/no-such-file", "/id/scheme/rsa.xml"])
def test_unknown_iris_404_in_every_format(client, path):
    assert client.get(path, headers={"Accept": "text/html"}).status_code == 404
    resp = client.get(path, headers={"Accept": "text/turtle"})
    assert resp.status_code == 404 and resp.get_json()["error"]["status"] == 404


@pytest.mark.embedded_only
def test_unacceptable_media_type_is_406_naming_the_offers(client):
    resp = client.get("/id/scheme/rsa", headers={"Accept": "image/png"})
    assert resp.status_code == 406
    assert "text/turtle" in resp.get_json()["error"]["detail"]


def test_resolve_maps_a_full_iri_to_its_page(client):
    resp = client.get("/-/resolve", query_string={"iri": ID + "scheme/rsa"})
    assert resp.status_code == 303 and resp.headers["Location"] == "/id/scheme/rsa"
    assert client.get("/-/resolve", query_string={"iri": "http://example.org/x"}).status_code == 400


# ---------------------------------------------------------------- what scheme, group and question pages add

def select(client, query: str) -> list[dict]:
    resp = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return [{k: v["value"] for k, v in row.items()} for row in resp.get_json()["results"]["bindings"]]


PREFIX = "PREFIX kg: <https://w3id.org/kg92/def#> PREFIX qudt: <http://qudt.org/schema/qudt/> "


def test_a_scheme_page_shows_every_groups_statements_and_every_figure_about_it(client):
    cited = select(client, PREFIX + "SELECT ?scheme (COUNT(?s) AS ?n) WHERE { ?s kg:statedBy ?g ; kg:concerns ?scheme . "
                                    "?g a kg:CandidateGroup } GROUP BY ?scheme ORDER BY DESC(?n) ?scheme LIMIT 1")
    if not cited:
        pytest.skip("no group cites a scheme yet")
    scheme = cited[0]["scheme"]
    body = client.get(urls.href(scheme)).get_data(as_text=True)
    about = select(client, PREFIX + f"SELECT ?s ?actor WHERE {{ ?s kg:concerns <{scheme}> ; kg:statedBy ?actor }}")
    for row in about:
        assert f'id="by-{row["actor"].rsplit("/", 1)[1]}"' in body
        assert f'<a href="{urls.href(row["s"])}">' in body
    figures = select(client, PREFIX + f"SELECT DISTINCT ?f WHERE {{ ?s kg:concerns <{scheme}> ; kg:figure ?f . ?f qudt:value ?v }}")
    for row in figures:
        assert f'<a href="{urls.href(row["f"])}">' in body


def test_the_tzcld_page_shows_exactly_the_groups_and_statements_of_the_sources(client):
    # Who says what about the TZCLD in their own answers (the question 6 text that 000 and 001 repeat does not
    # count; 002 and 004 never name it): 000 §6 l.173 (one sentence: the claim that the Département sits on the
    # experiment's bodies and the conditional commitment to study its support); 001 Q6 l.66 "Oui au soutien du
    # dispositif des territoires Zéro Chômeurs…"; 003 §3 l.34 "Le dispositif TZCLD un autre.", §6 l.54 "Notre
    # programme défend à la fois l'intégration dans le dispositif TZCLD…" and "Le dispositif TZCLD est aujourd'hui
    # solide…". Groups in the order of their French labels; statements in the order of their IRIs.
    body = client.get("/id/scheme/tzcld", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    about = body.split('id="h-about"')[1].split('id="h-figures"')[0]
    sections = re.findall(r'<section class="by-actor" id="by-([^"]+)".*?<h3[^>]*><a href="([^"]+)">([^<]+)</a> '
                          r'<small>\((\d+)\)</small></h3>(.*?)</section>', about, re.S)
    got = [(anchor, href, name, int(n), re.findall(
        r'<li class="statement">\s*<p><a href="/id/statement/([^"]+)">[^<]*</a> <small class="kind kind-(\w+)">([^<]+)</small>'
        r'\s*(?:<span class="stance stance-([\w-]+)">)?', part)) for anchor, href, name, n, part in sections]
    assert got == [
        ("majorite-departementale", "/id/group/majorite-departementale", "candidats de la majorité départementale", 2,
         [("000-q6-tzcld-instances", "Claim", "affirmation", ""),
          ("000-q6-tzcld-soutien", "Commitment", "engagement", "conditional")]),
        ("colombes-2", "/id/group/colombes-2", "Ensemble pour des Hauts-de-Seine durables et solidaires (Colombes 2)", 3,
         [("003-q3-dispositifs-originaux", "Commitment", "engagement", "supports"),
          ("003-q6-tzcld-conditions", "Claim", "affirmation", ""),
          ("003-q6-tzcld-ess", "Commitment", "engagement", "supports")]),
        ("groupe-001", "/id/group/groupe-001", "groupe de candidats non nommé du document 001", 1,
         [("001-q6-tzcld", "Commitment", "engagement", "supports")]),
    ]
    # each statement with its quote: 000's two statements share one; 001's is l.66 (offsets 10542–10672)
    assert re.findall(r'<blockquote cite="/id/quote/([^"]+)">', about) == [
        "000-25542-25861", "000-25542-25861", "003-8845-9082", "003-13215-13423", "003-13085-13213", "001-10542-10672"]
    assert "(condition\xa0: « en fonction de l&#39;avancée de ce projet et de ses résultats dans les villes engagées dans " \
           "cette phase-pilote »)" in about
    if SOURCES.is_dir():
        text = next(SOURCES.glob("001_*.txt")).read_text(encoding="utf-8")
        assert text[10542:10672].startswith("Oui au soutien du dispositif des territoires Zéro Chômeurs")
    figures = body.split('id="h-figures"')[1].split("</section>")[0]
    assert "<p>Aucun chiffre sur ce dispositif.</p>" in figures            # no figure about the TZCLD in any source


def test_a_group_page_shows_its_answers_by_question(client):
    body = client.get("/id/group/colombes-2").get_data(as_text=True)
    answered = select(client, PREFIX + "SELECT DISTINCT ?q WHERE { ?a kg:statedBy <https://w3id.org/kg92/id/group/colombes-2> ; kg:answers ?q }")
    section = body.split('id="h-answers"')[1].split('id="h-out"')[0]
    for row in answered:
        assert f'<a href="{urls.href(row["q"])}">' in section


def test_a_question_page_shows_every_groups_answer_side_by_side(client):
    body = client.get("/id/question/ccf92-2021-q6", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    side = body.split('class="side-by-side"')[1]
    for group in ("majorite-departementale", "groupe-001", "colombes-2"):
        assert f'<a href="/id/group/{group}">' in side
    positions = select(client, PREFIX + "SELECT ?p WHERE { ?p kg:onAsk ?ask . ?ask kg:inQuestion "
                                        "<https://w3id.org/kg92/id/question/ccf92-2021-q6> }")
    for row in positions:
        assert f'href="{urls.href(row["p"])}"' in body
    assert '<th scope="row"><span class="qnum">Q6</span> <a href="/id/ask/q6-soutenir-tzcld">' in body


def test_long_incoming_lists_are_capped_with_a_link_to_the_full_list(client):
    # documents list all their quotes in full (tests/build/test_texts.py); the cap holds for every other page
    n = int(select(client, "PREFIX kg: <https://w3id.org/kg92/def#> SELECT (COUNT(DISTINCT ?s) AS ?n) "
                           "WHERE { ?s kg:stance <https://w3id.org/kg92/id/stance/supports> }")[0]["n"])
    assert n > 100
    body = client.get("/id/stance/supports", headers={"Accept-Language": "en"}).get_data(as_text=True)
    row = body.split('id="h-in"')[1].split("</tr>")
    row = next(r for r in row if "kg:stance" in r)
    assert row.count('<li><a href="/id/') == 100
    assert f"… and {n - 100} more (see the SPARQL editor)</a></li>" in row
    assert '<li class="more"><a href="/editor?query=SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20%3Chttps%3A//w3id.org/kg92/def%23stance%3E' in row


# ---------------------------------------------------------------- paths that make no valid IRI (issue 12, item 4)

ID, GRAPH = "https://w3id.org/kg92/id/", "https://w3id.org/kg92/graph/"
INVALID = "no resource can have the IRI {iri!r}: Invalid IRI {why}"


@pytest.mark.embedded_only
@pytest.mark.parametrize("path, iri, why", [
    ("/id/%22", ID + '"', "code point '\"'"),
    ("/id/%3Cx%3E", ID + "<x>", "code point '<'"),
    ("/id/%7Bx%7D", ID + "{x}", "code point '{'"),
    ("/id/a%5Cb", ID + "a\\b", "code point '\\'"),
    ("/id/%", ID + "%", "percent encoding '%'"),
    ("/id/scheme/%zz", ID + "scheme/%zz", "percent encoding '%zz'"),
    ("/id/%u0041", ID + "%u0041", "percent encoding '%u0'"),
    ("/id/a%20b", ID + "a b", "code point ' '"),
    ("/id/a%01b", ID + "a\x01b", "code point '\\x01'"),
    ("/id/a%7Fb", ID + "a\x7fb", "code point '\\x7f'"),
    ("/id/scheme/%7B.ttl", ID + "scheme/{", "code point '{'"),
    ("/graph/%7Bvocab%7D", GRAPH + "{vocab}", "code point '{'"),
    ("/graph/%", GRAPH + "%", "percent encoding '%'"),
    ("/graph/a%22b.nt", GRAPH + 'a"b', "code point '\"'"),
])
def test_a_path_that_makes_no_valid_iri_is_404_naming_the_cause(client, path, iri, why):
    resp = client.get(path, headers={"Accept": "application/json"})
    assert resp.status_code == 404, resp.get_data(as_text=True)
    assert resp.get_json() == {"error": {"status": 404, "title": "Not Found",
                                         "detail": INVALID.format(iri=iri, why=why)}}

@pytest.mark.embedded_only

def test_percent_encoded_bytes_that_are_not_utf8_are_404_naming_the_cause(client):
    resp = client.get("/id/%c0%ae", headers={"Accept": "application/json"})
    assert resp.status_code == 404
    assert resp.get_json()["error"]["detail"] == (f"no resource can have the IRI {ID + chr(0xfffd) * 2!r}: "
                                                  "the percent-encoded bytes of the path are not UTF-8")

@pytest.mark.embedded_only

def test_an_invalid_iri_path_is_a_404_page_for_browsers(client):
    resp = client.get("/id/%7Bx%7D", headers={"Accept": "text/html"})
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    assert ("<pre class=\"error\" tabindex=\"0\">no resource can have the IRI &#x27;https://w3id.org/kg92/id/{x}&#x27;: "
            "Invalid IRI code point &#x27;{&#x27;</pre>") in resp.get_data(as_text=True)

@pytest.mark.embedded_only

def test_an_error_page_is_a_page_of_the_site_in_the_chosen_language(client):
    """Error pages extend the site's layout (header, navigation, search, footer) in the request's language."""
    resp = client.get("/nowhere?lang=en", headers={"Accept": "text/html"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    assert resp.headers["Content-Language"] == "en"
    assert {"Accept", "Accept-Language", "Cookie"} <= set(resp.vary)
    assert body.startswith('<!doctype html>\n<html lang="en">')
    assert "<title>404 Not Found — kg92</title>" in body
    assert '<nav aria-label="Main navigation">' in body and '<form class="search" role="search" action="/search" aria-label="Search labels and quotes">' in body
    assert "<h1>404 Not Found</h1>" in body
    assert '<p><a href="/">Home</a> · <a href="/editor">Query editor</a>' in body
    fr = client.get("/nowhere?lang=fr", headers={"Accept": "text/html"})
    assert fr.headers["Content-Language"] == "fr" and '<html lang="fr">' in fr.get_data(as_text=True)
    assert '<p><a href="/">Accueil</a> · <a href="/editor">Éditeur de requêtes</a>' in fr.get_data(as_text=True)

@pytest.mark.embedded_only

def test_an_error_page_that_cannot_be_laid_out_is_still_answered(client, monkeypatch):
    """When the layout itself fails, the bare error page is sent (never a second fault)."""
    from kg92.web import errorpages

    def broken(*args, **kwargs):
        raise RuntimeError("layout broken")
    monkeypatch.setattr(errorpages, "render_template", broken)
    resp = client.get("/id/%7Bx%7D", headers={"Accept": "text/html"})
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    assert ("<pre class=\"error\" tabindex=\"0\">no resource can have the IRI &#x27;https://w3id.org/kg92/id/{x}&#x27;: "
            "Invalid IRI code point &#x27;{&#x27;</pre>") in resp.get_data(as_text=True)
