"""Browse pages /id/{kind}/ (web/browse.py, web/facets.py, web/listing.py): every resource of a kind with counts,
facets, sort and paging, the same listing as JSON and CSV; hostile parameters get a 400 naming them.

Expected totals and facet counts are computed here by independent SPARQL on the store (or read from the
comparison matrix), so the tests hold the pages to the graph; the sort order is checked against Python's own
folding of the labels the page shows.
"""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest

from kg92.namespaces import ID, PREFIXES, sparql_prologue

KG = PREFIXES["kg"]
YEAR_2019 = "?x a kg:Statement . { ?x kg:refDate ?d } UNION { ?x dcterms:temporal/dcat:startDate ?d } FILTER(YEAR(?d) = 2019)"


def count(app, where: str) -> int:
    q = f"{sparql_prologue()}SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"
    return int(next(iter(app.extensions["kg92"].store.query(q, use_default_graph_as_union=True)))["n"].value)


def under(kind: str, cls: str) -> str:
    return f'?x a {cls} . FILTER(STRSTARTS(STR(?x), "{ID}{kind}/"))'


def get_json(client, url: str) -> dict:
    resp = client.get(url)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.mimetype == "application/json"
    return resp.get_json()


def fold(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return "".join(c for c in text.replace("œ", "oe") if c not in "«»\"'’(").lstrip()


def facet(doc: dict, name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for f in doc["facets"] if f["name"] == name for v in f["values"]}


# ---------------------------------------------------------------- kinds and classes, from the data

@pytest.mark.parametrize("kind, cls", [
    ("scheme", "kg:Scheme"), ("actor", "kg:Actor"), ("statement", "kg:Statement"), ("figure", "qudt:QuantityValue"),
    ("event", "kg:Event"), ("position", "kg:Position"), ("quote", "oa:SpecificResource"), ("group", "kg:CandidateGroup"),
])
def test_each_kind_lists_every_resource_of_its_class(client, real_app, kind, cls):
    doc = get_json(client, f"/id/{kind}.json?size=500")
    prefix, local = cls.split(":")
    assert doc["class"]["iri"] == PREFIXES[prefix] + local
    assert doc["path"] == f"/id/{kind}/" and doc["kind"] == kind
    rows, url = [], f"/id/{kind}.json?size=500"
    while url:   # every page, by the links the listing gives
        page = get_json(client, url)
        rows, url = rows + page["rows"], page["next"]
    assert doc["total"] == count(real_app, under(kind, cls)) == len(rows) == len({r["iri"] for r in rows})
    assert all(r["iri"].startswith(f"{ID}{kind}/") for r in rows)


def test_the_index_lists_every_kind_with_its_class_count_and_facets(client, real_app):
    kinds = {k["kind"]: k for k in get_json(client, "/id.json")["kinds"]}
    expected = {r["kind"].value for r in real_app.extensions["kg92"].store.query(
        f'SELECT DISTINCT ?kind WHERE {{ ?s a ?c BIND(STRBEFORE(STRAFTER(STR(?s), "{ID}"), "/") AS ?kind) FILTER(?kind != "") }}',
        use_default_graph_as_union=True)}
    assert set(kinds) == expected and len(kinds) == 30
    assert kinds["scheme"] == {"kind": "scheme", "path": "/id/scheme/", "class": {"iri": KG + "Scheme", "label": "dispositif"},
                               "total": 212, "facets": ["kind", "group", "document"], "json": "/id/scheme.json",
                               "csv": "/id/scheme.csv"}
    body = client.get("/id/?lang=fr").get_data(as_text=True)
    assert '<tr id="kind-scheme"><th scope="row"><a href="/id/scheme/">/id/scheme/</a></th>' in body
    assert body.count('<tr id="kind-') == 30 and '<a href="/id/">Parcourir le graphe</a>' in client.get("/").get_data(as_text=True)
    assert client.get("/id.csv").status_code == 406 and client.get("/id.xyz").status_code == 404


def test_an_unknown_kind_is_a_404_that_lists_the_browse_pages(client):
    resp = client.get("/id/nothing/", headers={"Accept": "application/json"})
    assert resp.status_code == 404
    detail = resp.get_json()["error"]["detail"]
    assert detail.startswith("no resources under /id/nothing/: the browse pages are /id/actor/, ")
    assert "/id/scheme/" in detail and "/id/statement/" in detail


# ---------------------------------------------------------------- rows, sort and paging

def test_schemes_sorted_by_label_then_paged_without_a_cut(client, real_app):
    total = count(real_app, "?x a kg:Scheme")
    assert total == 212
    first = get_json(client, "/id/scheme.json?lang=fr")
    assert (first["total"], first["page"], first["size"], first["pages"]) == (total, 1, 100, 3)
    assert [r["label"] for r in first["rows"][:3]] == ["accompagnement global", "accompagnement social lié au logement",
                                                       "Action éducative en milieu ouvert"]
    pages = [first] + [get_json(client, f"/id/scheme.json?lang=fr&page={n}") for n in (2, 3)]
    assert [len(p["rows"]) for p in pages] == [100, 100, 12]
    labels = [r["label"] for p in pages for r in p["rows"]]
    assert labels == sorted(labels, key=fold)
    assert len({r["iri"] for p in pages for r in p["rows"]}) == total
    assert (pages[2]["next"], pages[2]["previous"]) == (None, "/id/scheme.json?lang=fr&page=2")
    assert first["next"] == "/id/scheme.json?lang=fr&page=2" and first["previous"] is None


def test_english_labels_and_a_reversed_sort(client):
    doc = get_json(client, "/id/scheme.json?lang=en&size=3")
    assert doc["class"]["label"] == "scheme" and doc["lang"] == "en"
    assert [r["label"] for r in doc["rows"]] == [
        "2014-2020 PDALHPD (departmental action plan for the housing and shelter of disadvantaged people)",
        "360° diagnoses", "A supported response for all"]
    last = get_json(client, "/id/scheme.json?lang=fr&sort=-label&size=212")
    forward = get_json(client, "/id/scheme.json?lang=fr&size=212")
    assert [r["iri"] for r in last["rows"]] == [r["iri"] for r in reversed(forward["rows"])]


def test_sort_by_mentions_puts_the_most_cited_first(client, real_app):
    doc = get_json(client, "/id/scheme.json?sort=-mentions&size=5")
    top = doc["rows"][0]
    assert top["iri"] == ID + "scheme/siosms-autonomie" and top["mentions"] == 54
    assert top["mentions"] == count(real_app, f"<{top['iri']}> ^!rdf:type ?x . ?x kg:evidence ?e")
    mentions = [r["mentions"] for r in doc["rows"]]
    assert mentions == sorted(mentions, reverse=True)


def test_events_sorted_by_date(client):
    doc = get_json(client, "/id/event.json?sort=date&size=3&lang=fr")
    assert [r["cells"]["year"][0]["label"] for r in doc["rows"]] == ["1984", "2005", "2005"]
    assert "date" in doc["sort"] and doc["columns"] == ["iri", "label", "mentions", "kind", "theme", "scheme", "place",
                                                         "document", "year"]


def test_figures_sorted_by_value(client, real_app):
    doc = get_json(client, "/id/figure.json?sort=-value&size=2&lang=fr")
    assert [r["label"] for r in doc["rows"]] == ["1200 millions d’euros", "909 millions €"]
    assert [c["value"] for c in doc["rows"][0]["cells"]["unit"]] == ["unit:CCY_EUR"]
    top = next(iter(real_app.extensions["kg92"].store.query(
        f"{sparql_prologue()}SELECT ?f WHERE {{ ?f a qudt:QuantityValue ; qudt:value ?v }} ORDER BY DESC(?v) LIMIT 1",
        use_default_graph_as_union=True)))["f"].value
    assert doc["rows"][0]["iri"] == top


def test_paging_boundaries(client):
    past = client.get("/id/scheme.json?page=4")
    assert past.status_code == 200 and past.get_json()["rows"] == [] and past.get_json()["total"] == 212
    assert past.get_json()["previous"] == "/id/scheme.json?page=3" and past.get_json()["next"] is None
    far = get_json(client, "/id/scheme.json?page=1000000000")
    assert (far["rows"], far["previous"], far["next"]) == ([], None, None)
    one = client.get("/id/scheme.json?size=1&page=212")
    assert len(one.get_json()["rows"]) == 1
    assert one.headers["Link"] == '</id/scheme.json?size=1&page=211>; rel="prev"' and one.headers["X-Total-Count"] == "212"
    assert client.get("/id/scheme/?size=1&page=2").headers["Link"] == (
        '</id/scheme/?size=1&page=3>; rel="next", </id/scheme/?size=1&page=1>; rel="prev", '
        '</id/scheme.json?size=1&page=2>; rel="alternate"; type="application/json", '
        '</id/scheme.csv?size=1&page=2>; rel="alternate"; type="text/csv"')
    assert client.get("/id/scheme.json?size=500").get_json()["pages"] == 1


# ---------------------------------------------------------------- facets and filters

def test_statement_facets_count_like_the_graph(client, real_app):
    doc = get_json(client, "/id/statement.json?size=1")
    assert facet(doc, "type") == {"kg:Claim": count(real_app, "?x a kg:Claim"),
                                  "kg:Commitment": count(real_app, "?x a kg:Commitment"),
                                  "kg:Forecast": count(real_app, "?x a kg:Forecast")} == {
        "kg:Claim": 441, "kg:Commitment": 193, "kg:Forecast": 11}
    assert facet(doc, "year")["2019"] == count(real_app, YEAR_2019) == 81
    assert facet(doc, "theme")["theme/insertion"] == count(real_app, f"?x a kg:Statement ; kg:theme <{ID}theme/insertion>")
    assert [f["name"] for f in doc["facets"]] == ["type", "theme", "stance", "group", "author", "scheme", "place",
                                                  "document", "year"]
    schemes = next(f for f in doc["facets"] if f["name"] == "scheme")
    assert len(schemes["values"]) == schemes["distinct"] == count(real_app, "?s a kg:Statement ; kg:concerns ?x . ?x a kg:Scheme")
    body = client.get("/id/statement/").get_data(as_text=True).split('id="facet-scheme"')[1].split("</section>")[0]
    assert body.count("<li>") == schemes["distinct"]   # every value on the page: 30, then the others behind "more"
    assert f"<summary>… et {schemes['distinct'] - 30} autres valeurs</summary>" in body


def test_filters_combine_and_every_value_links_to_its_filter(client, real_app):
    doc = get_json(client, "/id/statement.json?type=kg:Commitment&theme=theme/insertion&size=500")
    expected = count(real_app, f"?x a kg:Commitment ; kg:theme <{ID}theme/insertion>")
    assert doc["total"] == len(doc["rows"]) == expected
    assert [(f["facet"], f["value"], f["iri"]) for f in doc["filters"]] == [
        ("type", "kg:Commitment", KG + "Commitment"), ("theme", "theme/insertion", ID + "theme/insertion")]
    assert doc["filters"][0]["remove"] == "/id/statement.json?theme=theme/insertion&size=500"
    active = next(v for f in doc["facets"] if f["name"] == "type" for v in f["values"])
    assert active["active"] and active["count"] == expected and active["href"] == doc["filters"][0]["remove"]
    stance = next(v for f in doc["facets"] if f["name"] == "stance" for v in f["values"] if v["value"] == "stance/supports")
    assert stance["href"] == "/id/statement.json?type=kg:Commitment&theme=theme/insertion&size=500&stance=stance/supports"


def test_schemes_cited_by_every_group_are_those_of_the_citation_matrix(client):
    matrix = client.get("/compare/citations.json").get_json()
    groups = [c["iri"] for c in matrix["columns"]]
    cited: dict[str, set] = {}
    for cell in matrix["cells"]:
        cited.setdefault(cell["row"], set()).add(cell["column"])
    by_all = {s for s, g in cited.items() if g == set(groups)}
    doc = get_json(client, "/id/scheme.json?" + "&".join(f"group={g[len(ID):]}" for g in groups))
    assert len(by_all) == 4 and {r["iri"] for r in doc["rows"]} == by_all and doc["total"] == 4
    per_group = facet(get_json(client, "/id/scheme.json?size=1"), "group")
    assert per_group == {g[len(ID):]: sum(1 for gs in cited.values() if g in gs) for g in groups}


def test_facets_count_within_the_filtered_resources(client, real_app):
    """A filter's own variables never meet the facet's: under group=A the group facet counts the schemes A and B
    both cite; under year=2019 the theme facet counts the 2019 statements of each theme."""
    matrix = client.get("/compare/citations.json").get_json()
    cited: dict[str, set] = {}
    for cell in matrix["cells"]:
        cited.setdefault(cell["row"], set()).add(cell["column"][len(ID):])
    doc = get_json(client, "/id/scheme.json?size=1&group=group/majorite-departementale")
    both = {g: sum(1 for gs in cited.values() if {g, "group/majorite-departementale"} <= gs)
            for g in ("group/majorite-departementale", "group/groupe-001", "group/colombes-2")}
    assert facet(doc, "group") == both and both["group/groupe-001"] > 0 and both["group/colombes-2"] > 0
    themes = facet(get_json(client, "/id/statement.json?size=1&year=2019"), "theme")
    assert len(themes) > 1
    for theme, n in themes.items():
        assert n == count(real_app, f"{YEAR_2019} ?x kg:theme <{ID}{theme}>"), theme
    sorted_by_mentions = get_json(client, "/id/scheme.json?size=500&group=group/colombes-2&sort=-mentions")
    assert sorted_by_mentions["total"] == len(sorted_by_mentions["rows"]) == sum(1 for gs in cited.values() if "group/colombes-2" in gs)


def test_a_filter_value_that_names_nothing_is_an_empty_page(client):
    doc = get_json(client, "/id/statement.json?type=kg:Nothing")
    assert (doc["total"], doc["rows"], doc["pages"]) == (0, [], 1)
    assert [f["name"] for f in doc["facets"]] == ["type"] and doc["facets"][0]["values"] == []


# ---------------------------------------------------------------- CSV and HTML twins

def test_csv_has_a_header_labels_iris_and_zero_counts(client):
    resp = client.get("/id/scheme.csv?lang=fr&size=2")
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True))))
    assert rows[0] == ["iri", "label", "mentions", "kind", "kind_iri", "group", "group_iri", "document", "document_iri"]
    assert rows[1] == [ID + "scheme/accompagnement-global", "accompagnement global", "1", "programme ou action",
                       ID + "scheme-kind/programme", "", "", "Rapport d'activité du Département des Hauts-de-Seine : "
                       "pilier solidarités (action sociale)", ID + "document/002"]
    assert len(rows) == 3
    quotes = list(csv.DictReader(io.StringIO(client.get("/id/quote.csv?size=500&sort=mentions").get_data(as_text=True))))
    assert all(q["mentions"].isdigit() for q in quotes) and quotes[0]["mentions"] == "0"
    assert client.get("/id/scheme.csv?page=3").get_data(as_text=True).count("\r\n") == 13   # header + 12 rows


def test_html_page_shows_counts_facets_filters_sort_and_pager(client):
    resp = client.get("/id/statement/?type=kg:Commitment&lang=fr")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert '<p class="lead" id="browse-count">193 ressources sous /id/statement/' in body
    assert ('<a class="remove" href="/id/statement/?lang=fr" aria-label="Retirer le filtre engagement">×</a>') in body
    assert '<a href="/id/statement/?type=kg:Commitment&amp;lang=fr&amp;stance=stance/supports">' in body
    assert '<a rel="next" href="/id/statement/?type=kg:Commitment&amp;lang=fr&amp;page=2">' in body
    assert "Page 1 sur 2" in body and "<caption>Ressources 1 à 100 sur 193</caption>" in body
    assert '<a href="/id/statement.json?type=kg:Commitment&amp;lang=fr">JSON</a>' in body
    assert body.count('<tr><th scope="row">') == 100
    # in the table a document is its number, its title in the title attribute
    assert body.count('<a href="/id/document/003" title="Réponses de David Mbanza (EELV) et Anne-Gaëlle Courty Ahmed (PS), '
                      'canton de Colombes 2">003</a>') == 23


def test_accept_negotiation_and_suffixes(client):
    for accept, media in [("application/json", "application/json"), ("text/csv", "text/csv"), ("*/*", "text/html"),
                          ("text/html;q=0.5, application/json", "application/json")]:
        resp = client.get("/id/scheme/?size=1", headers={"Accept": accept})
        assert resp.status_code == 200 and resp.mimetype == media, accept
        assert "Accept" in resp.headers["Vary"]
    refused = client.get("/id/scheme/", headers={"Accept": "text/turtle"})
    assert refused.status_code == 406
    assert refused.get_json()["error"]["detail"] == "offered media types: text/html, application/json, text/csv"
    assert client.get("/id/scheme.ttl").status_code == 406
    unknown = client.get("/id/scheme.xyz")
    assert unknown.status_code == 404
    assert unknown.get_json()["error"]["detail"] == "no representation with the suffix .xyz (unknown format)"


def test_the_bare_kind_redirects_and_resource_pages_are_untouched(client):
    resp = client.get("/id/scheme?lang=en")
    assert resp.status_code == 308 and resp.headers["Location"] == "/id/scheme/?lang=en"
    assert client.get("/id/scheme/rsa").status_code == 200
    assert client.get("/id/scheme/rsa.ttl").mimetype == "text/turtle"
    assert client.get("/id/nothing-at-all").status_code == 404


def test_home_tiles_link_to_their_browse_pages(client):
    body = client.get("/?lang=fr").get_data(as_text=True)
    for key, url, n in [("schemes", "/id/scheme/", 212), ("groups", "/id/group/", 3), ("statements", "/id/statement/", 645),
                        ("commitments", "/id/statement/?type=kg:Commitment", 193), ("quotes", "/id/quote/", 675)]:
        tile = body.split(f'<div id="stat-{key}">')[1].split("</div>")[0]
        assert f'<dt><a href="{url}">' in tile and f"<dd>{n}</dd>" in tile, key
        json_url = url.replace("/?", ".json?") if "?" in url else url.rstrip("/") + ".json"
        assert get_json(client, json_url)["total"] == n, key


# ---------------------------------------------------------------- hostile input

@pytest.mark.parametrize("query, detail", [
    ("page=abc", "page must be an integer from 1 to 1000000000, not 'abc'"),
    ("page=0", "page must be from 1 to 1000000000, not 0"),
    ("page=-1", "page must be an integer from 1 to 1000000000, not '-1'"),
    ("page=99999999999", "page must be from 1 to 1000000000, not 99999999999"),
    ("page=1&page=2", "page is given more than once"),
    ("size=-5", "size must be an integer from 1 to 500, not '-5'"),
    ("size=0", "size must be from 1 to 500, not 0"),
    ("size=501", "size must be from 1 to 500, not 501"),
    ("size=1e3", "size must be an integer from 1 to 500, not '1e3'"),
    ("sort=bogus", "sort must be one of label, -label, date, -date, mentions, -mentions, not 'bogus'"),
    ("sort=value", "sort must be one of label, -label, date, -date, mentions, -mentions, not 'value'"),
    ("colour=red", "unknown parameter 'colour' for /id/statement/: its facets are type, theme, stance, group, author, "
                   "scheme, place, document, year; the other parameters page, size, sort, lang"),
    ("unit=unit:NUM", "unknown parameter 'unit' for /id/statement/: its facets are type, theme, stance, group, author, "
                      "scheme, place, document, year; the other parameters page, size, sort, lang"),
    ('theme=x" } DROP', """theme: 'x" } DROP' is not an IRI, a CURIE (kg:Claim) or a path under id/ (theme/insertion)"""),
    ("theme=theme/a>b", "theme: 'theme/a>b' is not a valid IRI (Invalid IRI code point '>')"),
    ('theme=theme/x"}+UNION+{', """theme: 'theme/x"} UNION {' is not an IRI, a CURIE (kg:Claim) or a path under id/ (theme/insertion)"""),
    ("theme=https://a/b%3Ec", "theme: 'https://a/b>c' is not a valid IRI (Invalid IRI code point '>')"),
    ("theme=%3Chttps://a%3E", "theme: '<https://a>' is not an IRI, a CURIE (kg:Claim) or a path under id/ (theme/insertion)"),
    ("year=2019abc", "year: '2019abc' is not a year (up to four digits)"),
    ("year=2019)+||+true", "year: '2019) || true' is not a year (up to four digits)"),
    ("type=" + "a" * 501, "type: a value of 501 characters (at most 500)"),
    ("&".join(["year=2019"] * 13), "at most 12 filters in one request, not 13"),
])
def test_hostile_parameters_are_a_400_naming_them(client, query, detail):
    resp = client.get("/id/statement/?" + query, headers={"Accept": "application/json"})
    assert resp.status_code == 400, resp.get_data(as_text=True)
    assert resp.get_json()["error"]["detail"] == detail


def test_a_filter_value_is_bound_not_pasted(client, real_app):
    """A valid IRI made of SPARQL syntax is one term: it matches nothing, the query around it is unchanged."""
    doc = get_json(client, "/id/statement.json?theme=https://x/a');DROP*(%23x")
    assert doc["total"] == 0
    assert get_json(client, "/id/statement.json?year=2019")["total"] == count(
        real_app, YEAR_2019)


# ---------------------------------------------------------------- scheme and actor pages (issue 16, item 5)

def mentioned(body: str) -> list[tuple[str, int, str]]:
    """(document, mentions, first quote's IRI) of the page's "mentioned in documents" table."""
    table = body.split('<table class="mentions">')[1].split("</table>")[0]
    return [(r.split('<a href="/id/document/')[1].split('"')[0], int(r.split('<td class="num">')[1].split("<")[0]),
             r.split('<blockquote cite="/id/quote/')[1].split('"')[0]) for r in table.split("<tr><th scope=\"row\">")[1:]]


def test_a_scheme_page_says_which_documents_mention_it_with_the_first_quote(client, real_app):
    body = client.get("/id/scheme/fsl?lang=fr").get_data(as_text=True)
    assert mentioned(body) == [("000", 2, "000-4564-4992"), ("001", 1, "001-12955-13215"), ("002", 1, "002-36726-37037")]
    for doc, n, _ in mentioned(body):
        assert n == count(real_app, f"<{ID}scheme/fsl> ^!rdf:type ?x . ?x kg:evidence/oa:hasSource <{ID}document/{doc}>")
    assert '<a href="/id/event/000-refonte-fsl-2020">Refonte du FSL (télé-formulaires, simplification des critères)</a>' in body
    research = body.split('id="research"')[1].split("</aside>")[0]
    assert [c.split("</code>")[0] for c in research.split("<code>")[1:]] == [
        "co-citation", "figures-about", "positions-on-scheme", "scheme-graph", "scheme-lifecycle"]
    assert '<a href="/queries/positions-on-scheme?scheme=https%3A%2F%2Fw3id.org%2Fkg92%2Fid%2Fscheme%2Ffsl&amp;lang=fr">' in research
    assert '<a href="/editor?query=DESCRIBE+%3Chttps%3A%2F%2Fw3id.org%2Fkg92%2Fid%2Fscheme%2Ffsl%3E">' in research


def test_an_actor_page_has_its_documents_events_and_queries(client, real_app):
    body = client.get("/id/actor/etat?lang=en").get_data(as_text=True)
    assert [(d, n) for d, n, _ in mentioned(body)] == [("000", 5), ("001", 3), ("002", 3), ("003", 3), ("004", 62)]
    events = body.split('id="events"')[1].split("</section>")[0]
    assert events.count("<li>") == count(real_app, f"?x a kg:Event ; kg:concerns|kg:participant <{ID}actor/etat>") == 1
    research = body.split('id="research"')[1].split("</aside>")[0]
    assert [c.split("</code>")[0] for c in research.split("<code>")[1:]] == ["actor-relations", "figures-about", "timeline"]
    assert '<a href="/queries/timeline?actor=https%3A%2F%2Fw3id.org%2Fkg92%2Fid%2Factor%2Fetat&amp;lang=en">' in research
    linked = client.get("/queries/actor-relations?actor=" + ID + "actor/etat")
    assert linked.status_code == 200


def test_other_pages_do_not_get_these_sections(client):
    body = client.get("/id/statement/002-rsa-espaces-insertion").get_data(as_text=True)
    assert 'id="mentioned"' not in body and 'id="research"' not in body
