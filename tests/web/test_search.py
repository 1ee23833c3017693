"""/search: the index the build writes (build/search.py), the query syntax (words, "phrases"), the highlight, the
ranking, the facets, paging, JSON by suffix or Accept, and hostile input (web/searching.py, web/search.py)."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest
from support import ROOT

from kg92.build import search as index_file
from kg92.web.labels import fold
from kg92.web.resources import resources, search_index
from kg92.web.searching import Index, Query, parse, snippet

PREFIX = "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX kg: <https://w3id.org/kg92/def#> "
LABELS = "skos:prefLabel|skos:altLabel|rdfs:label|schema:name|dcterms:title|kg:acronym"
ID = "https://w3id.org/kg92/id/"


def hits(client, **args) -> dict:
    resp = client.get("/search.json", query_string=args)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def norm(text: str) -> str:
    """An independent folding (not the index's): NFKD without marks, casefold, œ/æ spelt out, ’ → ', one space."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae").replace("’", "'").replace("‘", "'")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return " ".join(text.split())


def texts(client) -> list[tuple[str, str, str]]:
    """(iri, kind, text) of every label of an IRI and every quote, read through /sparql."""
    query = PREFIX + f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
      PREFIX schema: <https://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/>
      SELECT DISTINCT ?s ?kind ?text WHERE {{ {{ ?s {LABELS} ?text FILTER(isIRI(?s)) BIND("label" AS ?kind) }}
        UNION {{ ?s oa:hasSelector/oa:exact ?text BIND("quote" AS ?kind) }} }}"""
    resp = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200
    return [(b["s"]["value"], b["kind"]["value"], b["text"]["value"]) for b in resp.get_json()["results"]["bindings"]]


# ---------------------------------------------------------------- folding and the query syntax

@pytest.mark.parametrize("text, folded", [
    ("Élève", "eleve"), ("CŒUR", "coeur"), ("l’accès", "l'acces"), ("1\xa0000", "1 000"), ("Ça", "ca"),
    ("logement\n  social", "logement social"), ("a\u202f:\tb", "a : b"),
])
def test_fold_is_accent_and_case_insensitive(text, folded):
    assert fold(text)[0] == folded


def test_fold_keeps_the_original_positions():
    folded, where = fold("Cœur à")
    assert folded == "coeur a" and where == [0, 1, 1, 2, 3, 4, 5]
    assert fold("a \n b") == ("a b", [0, 1, 4])


@pytest.mark.parametrize("q, words, phrases, whole", [
    ('Logement  SOCIAL', ("logement", "social"), (), "logement social"),
    ('"logement social" Colombes', ("colombes",), ("logement social",), "logement social colombes"),
    ('rsa "accès aux', ("rsa",), ("acces aux",), "rsa acces aux"),             # a quote left open runs to the end
    ('" ! " ... -- ?', (), (), ""),                                             # punctuation only: nothing to find
    ("lo\x00ge\x1bment\u200b", ("logement",), (), "logement"),                   # control and format characters dropped
    ('rsa rsa "rsa"', ("rsa",), ("rsa",), "rsa rsa rsa"),
])
def test_parse(q, words, phrases, whole):
    assert parse(q) == Query(words, phrases, whole)


def test_parse_keeps_200_characters():
    assert parse("a" * 199 + "bcd").words == ("a" * 199 + "b",)


# ---------------------------------------------------------------- the index is the build's

def test_the_build_writes_the_index_and_the_app_loads_it(real_app):
    res = resources(real_app)
    entries = index_file.load(res.build.path)
    assert search_index(real_app).source == "release" and search_index(real_app).entries == entries
    listed = res.build.manifest["search_index"]
    assert listed["file"] == "search.sqlite" and listed["entries"] == len(entries) == len({(e.iri, e.kind, e.text) for e in entries})
    assert listed["sha256"] == hashlib.sha256((res.build.path / "search.sqlite").read_bytes()).hexdigest()
    assert entries == index_file.compute(res.store)    # the same entries, in the same order, from the store


def test_a_release_without_the_index_computes_it_at_start_up(real_app, tmp_path):
    res = resources(real_app)
    computed = Index.of(tmp_path, res.store)           # a release written before search.sqlite existed
    assert computed.source == "computed" and computed.entries == search_index(real_app).entries
    (tmp_path / index_file.FILE).write_text('{"version": 0}', encoding="utf-8")   # not an SQLite file
    assert Index.of(tmp_path, res.store).source == "computed"   # an index of another version is not read


def test_an_app_over_a_release_without_the_index_starts_and_searches(monkeypatch):
    from kg92.web import searching
    from kg92.web.app import create_app
    monkeypatch.setattr(searching, "release_index", lambda release: None)     # as for a release built before search.sqlite
    app = create_app({"build_dir": str(ROOT / "build")})
    assert search_index(app).source == "computed"                    # at start-up, before any request
    assert app.test_client().get("/search.json", query_string={"q": "rsa"}).get_json()["total"] == 47


def test_an_index_in_another_order_answers_the_same(real_app):
    ours = search_index(real_app)
    shuffled = Index.from_entries(sorted(ours.entries, key=lambda e: (e.text, e.iri), reverse=True), "test")
    for q, filters in (('"logement social"', {}), ("rsa", {"type": "scheme"}), ("e", {})):
        a, b = ours.search(parse(q), filters, size=100), shuffled.search(parse(q), filters, size=100)
        assert (a.total, a.hits, a.facets) == (b.total, b.hits, b.facets) and a.total > 0


def test_the_index_folds_as_the_highlight_does(real_app):
    entries = search_index(real_app).entries
    assert [e for e in entries if e.folded != fold(e.text)[0]] == [] and len(entries) == 4277
    assert [e for e in entries if e.folded.strip() != norm(e.text)] == []   # the independent folding agrees


def test_the_index_holds_every_label_and_quote(client, real_app):
    expected = {(s, kind, text) for s, kind, text in texts(client)}
    assert {(e.iri, e.kind, e.text) for e in search_index(real_app).entries} == expected


def test_an_entry_carries_its_type_documents_and_groups(real_app):
    by_key = {(e.iri, e.kind): e for e in search_index(real_app).entries}
    quote = by_key[ID + "quote/003-10219-10454", "quote"]
    assert (quote.type, quote.documents, quote.groups) == ("quote", (ID + "document/003",), (ID + "group/colombes-2",))
    statement = by_key[ID + "statement/003-q4-logement-social-mal-cible", "label"]
    assert (statement.type, statement.documents, statement.groups) == ("statement", (ID + "document/003",), (ID + "group/colombes-2",))
    scheme = by_key[ID + "scheme/logement-social", "label"]
    assert (scheme.type, scheme.documents, scheme.groups) == ("scheme", (), ())
    assert by_key[ID + "group/colombes-2", "label"].type == "candidategroup"
    assert by_key["https://w3id.org/kg92/def#Scheme", "label"].type == "term"
    assert by_key[ID + "statement/002-rsa-espaces-insertion", "label"].groups == ()   # document 002: the Département's


# ---------------------------------------------------------------- words and phrases

def test_a_quoted_phrase_finds_exactly_the_texts_holding_it(client):
    found = hits(client, q='"logement social"', size=100)
    expected = {(s, kind) for s, kind, text in texts(client) if "logement social" in norm(text)}
    assert len(expected) == 15 and found["total"] == 15
    assert {(h["iri"], h["kind"]) for h in found["hits"]} == expected
    assert found["query"] == {"words": [], "phrases": ["logement social"]}
    assert found["hits"][0]["iri"] == ID + "scheme/logement-social"     # the exact label first
    assert ID + "quote/003-10219-10454" in {h["iri"] for h in found["hits"]}


def test_words_match_in_any_order_and_a_phrase_does_not(client):
    words = {h["iri"] for h in hits(client, q="logement social", size=100)["hits"]}
    phrase = {h["iri"] for h in hits(client, q='"logement social"', size=100)["hits"]}
    expected = {s for s, kind, text in texts(client) if "logement" in norm(text) and "social" in norm(text)}
    assert words == expected and len(words) == 47
    assert ID + "scheme/asll" in words and ID + "scheme/asll" not in phrase   # « accompagnement social lié au logement »
    assert phrase < words


def test_the_highlight_is_the_whole_phrase(client):
    for h in hits(client, q='"logement social"', size=100)["hits"]:
        marked = [p["text"] for p in h["snippet"] if p["match"]]
        assert marked and {norm(m) for m in marked} == {"logement social"}, h["iri"]
        assert "".join(p["text"] for p in h["snippet"]).strip("…") in h["text"]


def test_every_word_is_highlighted_in_the_snippet(client):
    hit = next(h for h in hits(client, q="territoriale SOLIDARITE acces")["hits"]
               if h["iri"] == ID + "question/ccf92-2021-q1")
    assert hit["snippet"] == [{"text": "Services de ", "match": False}, {"text": "Solidarité", "match": True},
                              {"text": " ", "match": False}, {"text": "Territoriale", "match": True},
                              {"text": " et ", "match": False}, {"text": "accès", "match": True},
                              {"text": " aux droits", "match": False}]
    assert hit["label"] == hit["text"] == "Services de Solidarité Territoriale et accès aux droits"


def test_the_snippet_is_centred_on_the_first_match():
    text = "x" * 500 + "logement social" + "y" * 500
    pieces = snippet(text, parse('"logement social"'))
    assert pieces[0] == ("…", False) and pieces[-1] == ("…", False)
    assert [p for p, m in pieces if m] == ["logement social"]
    before, after = len(pieces[1][0]), len(pieces[3][0])
    assert abs(before - after) <= 1 and before + after + len("logement social") == 240
    words = snippet("un " * 200 + "logement social" + " deux" * 200, parse('"logement social"'))
    assert words[1][0].startswith("un ") and words[3][0].endswith(" deux") and words[2] == ("logement social", True)
    assert len("".join(p for p, _ in words[1:4])) <= 240


def test_quotes_lead_to_their_pages_and_say_what_they_are_evidence_of(client):
    body = client.get("/search", query_string={"q": "dematerialisation des demarches"}, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<a href="/id/quote/001-49-805">' in body
    assert "<mark>dématérialisation</mark> <mark>des</mark> <mark>démarches</mark> renforce" in body
    found = hits(client, q="dematerialisation des demarches")
    hit = next(h for h in found["hits"] if h["iri"] == ID + "quote/001-49-805")
    assert hit["kind"] == hit["type"] == "quote" and hit["cited_by"] == [ID + "question/ccf92-2021-q1"]
    assert '<a href="/id/question/ccf92-2021-q1">Services de Solidarité Territoriale et accès aux droits</a>' in body
    assert '<span class="badge type-quote">citation</span>' in body


# ---------------------------------------------------------------- ranking

def test_ranking_exact_label_then_prefix_then_labels_then_shorter_then_iri(client):
    found = hits(client, q="rsa", size=100)
    assert found["total"] == 47 and found["hits"][0]["iri"] == ID + "scheme/rsa" and found["hits"][0]["text"] == "RSA"

    def key(h):
        folded, label = norm(h["text"]), h["kind"] == "label"
        return (not (label and folded == "rsa"), not (label and folded.startswith("rsa")), not label, len(h["text"]), h["iri"])
    assert [h["iri"] for h in found["hits"]] == [h["iri"] for h in sorted(found["hits"], key=key)]
    assert [h["iri"] for h in found["hits"][:2]] == [ID + "scheme/rsa", ID + "scheme/rsa-majore"]


def test_one_hit_per_subject_and_kind(client):
    found = hits(client, q="rsa", size=100)
    assert len({(h["iri"], h["kind"]) for h in found["hits"]}) == len(found["hits"]) == found["total"]


# ---------------------------------------------------------------- facets and paging

def test_facet_counts_sum_to_the_total_and_filters_narrow(client):
    found = hits(client, q='"logement social"')
    facets = found["facets"]
    assert sum(v["count"] for v in facets["type"]) == found["total"] == 15
    assert {v["value"]: v["count"] for v in facets["type"]} == {"quote": 6, "statement": 5, "scheme": 2, "indicator": 1, "event": 1}
    assert {v["value"]: v["count"] for v in facets["group"]} == {ID + "group/colombes-2": 6, ID + "group/majorite-departementale": 4,
                                                                 ID + "group/groupe-001": 2}
    assert {v["value"]: v["count"] for v in facets["document"]} == {ID + "document/003": 6, ID + "document/000": 4,
                                                                    ID + "document/001": 2}
    for facet in ("type", "group", "document"):
        for v in facets[facet]:
            narrowed = hits(client, q='"logement social"', **{facet: v["value"]})
            assert narrowed["total"] == v["count"] and narrowed["filters"] == {facet: v["value"]}
    both = hits(client, q='"logement social"', type="quote", group=ID + "group/colombes-2")
    assert both["total"] == 3 and {h["iri"] for h in both["hits"]} == {
        ID + "quote/003-11066-11265", ID + "quote/003-10219-10454", ID + "quote/003-10455-10771"}


def test_facet_links_add_and_remove_their_filter(client):
    body = client.get("/search", query_string={"q": '"logement social"', "type": "quote"}, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<li class="selected"><a href="/search?q=%22logement+social%22" aria-current="true"' in body   # removes it
    assert '<a href="/search?q=%22logement+social%22&amp;type=quote&amp;group=https%3A%2F%2Fw3id.org%2Fkg92%2Fid%2Fgroup%2Fcolombes-2">' in body
    assert body.count('<span class="badge type-quote">quote</span>') == 6
    assert '<a class="json-twin" href="/search.json?q=%22logement+social%22&amp;type=quote" type="application/json">' in body


def test_paging(client):
    everything = [h["iri"] for h in hits(client, q="rsa", size=100)["hits"]]
    pages = [hits(client, q="rsa", size=10, page=p) for p in range(1, 6)]
    assert [p["pages"] for p in pages] == [5] * 5 and [len(p["hits"]) for p in pages] == [10, 10, 10, 10, 7]
    assert [h["iri"] for p in pages for h in p["hits"]] == everything
    assert hits(client, q="rsa", page=2)["hits"] == [] and hits(client, q="rsa", page=2)["total"] == 47
    body = client.get("/search", query_string={"q": "rsa", "size": 10, "page": 2}).get_data(as_text=True)
    assert '<a rel="prev" href="/search?q=rsa&amp;page=1&amp;size=10">' in body and '<ol class="hits" start="11">' in body
    assert '<a rel="next" href="/search?q=rsa&amp;page=3&amp;size=10">' in body


# ---------------------------------------------------------------- formats

def test_json_by_accept_is_the_json_twin(client):
    twin = client.get("/search.json", query_string={"q": "rsa"})
    by_accept = client.get("/search", query_string={"q": "rsa"}, headers={"Accept": "application/json"})
    assert by_accept.status_code == 200 and by_accept.mimetype == "application/json"
    assert by_accept.get_json() == twin.get_json()
    assert {"Accept", "Accept-Language"} <= set(by_accept.vary)
    html = client.get("/search", query_string={"q": "rsa"}, headers={"Accept": "text/html,application/json;q=0.9"})
    assert html.mimetype == "text/html" and "Accept" in html.vary
    assert '<link rel="alternate" type="application/json" href="/search.json?q=rsa">' in html.get_data(as_text=True)


@pytest.mark.parametrize("path, headers, status, detail", [
    ("/search.csv?q=rsa", {}, 406, "offered media types: text/html, application/json"),
    ("/search?q=rsa", {"Accept": "text/csv"}, 406, "offered media types: text/html, application/json"),
    ("/search.xyz?q=rsa", {}, 404, "no representation with the suffix .xyz (unknown format)"),
])
def test_other_formats_are_refused(client, path, headers, status, detail):
    resp = client.get(path, headers=headers)
    assert resp.status_code == status and resp.get_json()["error"]["detail"] == detail


def test_empty_search_has_no_hits(client):
    assert hits(client, q="")["hits"] == [] and hits(client, q="")["total"] == 0
    assert client.get("/search", query_string={"q": "zzzzqqq"}).status_code == 200


def test_searching_a_full_iri_opens_its_page(client):
    resp = client.get("/search", query_string={"q": " https://w3id.org/kg92/id/scheme/rsa "})
    assert resp.status_code == 303 and resp.headers["Location"] == "/id/scheme/rsa"


# ---------------------------------------------------------------- hostile input

@pytest.mark.parametrize("q, total", [
    ("rsa " * 5000, 47),                 # cut at 200 characters: still "rsa"
    ('"logement social', 15),            # the quote left open: the phrase to the end
    ('""""', 0), ("!!! ??? ...", 0), ("\x00\x07\x1b", 0),
])
def test_hostile_queries_get_an_answer(client, q, total):
    for path in ("/search", "/search.json"):
        resp = client.get(path, query_string={"q": q})
        assert resp.status_code == 200, path
    assert hits(client, q=q)["total"] == total


@pytest.mark.parametrize("args, detail", [
    ({"page": "0"}, "page= must be a whole number from 1 to 1000 (got '0')"),
    ({"page": "99999999999999999999"}, "page= must be a whole number from 1 to 1000 (got '99999999999999999999')"),
    ({"page": "1001"}, "page= must be a whole number from 1 to 1000 (got '1001')"),
    ({"page": "²"}, "page= must be a whole number from 1 to 1000 (got '²')"),
    ({"size": "101"}, "size= must be a whole number from 1 to 100 (got '101')"),
    ({"size": "-1"}, "size= must be a whole number from 1 to 100 (got '-1')"),
    ({"type": "zzz"}, "type='zzz' is not a value of the search index's type facet"),
    ({"group": "colombes-2"}, "group='colombes-2' is not a value of the search index's group facet"),
])
def test_bad_parameters_are_a_400(client, args, detail):
    for path in ("/search", "/search.json"):
        resp = client.get(path, query_string={"q": "rsa", **args})
        assert resp.status_code == 400 and resp.get_json()["error"]["detail"] == detail


def test_a_search_is_stopped_at_its_deadline(real_app):
    index = search_index(real_app)
    with pytest.raises(TimeoutError, match=r"^the search did not finish within 0 s$"):
        index.search(parse("e"), {}, timeout=0.0)          # SQLite's progress handler stops the statement
    assert index.search(parse("e"), {}, timeout=None).total == index.search(parse("e"), {}, timeout=60).total > 2000


def test_a_search_past_query_timeout_is_a_503():
    from kg92.web.app import create_app
    app = create_app({"build_dir": str(ROOT / "build"), "query_timeout": 1e-9})
    resp = app.test_client().get("/search.json", query_string={"q": "e"})
    assert resp.status_code == 503 and resp.get_json()["error"]["detail"] == (
        "the search did not finish within 1e-09 s (query_timeout)")


@pytest.mark.parametrize("q", ["logement", '"logement social"', "rsa", "e", "l'aide", "20 %", "oeuvre", "ile-de-france",
                               "1 000", "€", "a b", '"de la"', "prestation compensation handicap", "zzzzqx"])
def test_the_trigram_index_finds_what_a_scan_of_every_entry_finds(real_app, q):
    # the reference: every (subject, kind) with an entry holding every folded term, read from the entries themselves
    index, query = search_index(real_app), parse(q)
    expected = {(e.iri, e.kind) for e in index.entries if query.terms and all(t in e.folded for t in query.terms)}
    got = index.search(query, {}, size=100)
    assert got.total == len(expected)
    pages = [got.hits] + [index.search(query, {}, page=p, size=100).hits for p in range(2, got.pages + 1)]
    assert {(e.iri, e.kind) for hits in pages for e in hits} == expected


def test_an_sqlite_without_the_trigram_tokenizer_gives_the_same_hits(real_app, monkeypatch):
    # an SQLite without FTS5's trigram tokenizer (before 3.34) writes and reads the index without the prefilter
    ours = search_index(real_app)
    monkeypatch.setattr(index_file, "trigram_available", lambda db: False)
    plain = Index.from_entries(ours.entries, "test")
    assert ours.trigram and not plain.trigram
    for q in ("logement", '"logement social"', "rsa", "e", "zzzzqx"):
        a, b = ours.search(parse(q), {}, size=100), plain.search(parse(q), {}, size=100)
        assert (a.total, a.hits, a.facets) == (b.total, b.hits, b.facets)
