"""The comparison views' filters, sorting, totals and links (issue 16, item 4): /compare/citations?cited=…&sort=…,
/compare/stances?only=disagreements, their CSV with group labels and 0, position pages titled from labels."""

from __future__ import annotations

import csv
import io
import re

import pytest

ID = "https://w3id.org/kg92/id/"
GROUP_LABELS = ["candidats de la majorité départementale", "groupe de candidats non nommé du document 001",
                "Ensemble pour des Hauts-de-Seine durables et solidaires (Colombes 2)"]
# the schemes every group's own answer names (the research query schemes-cited-by-every-group gives the same four)
EVERY_GROUP = ["scheme/ase", "scheme/logement-social", "scheme/premieres-heures", "scheme/tzcld"]


def rows(client, url: str) -> list[str]:
    return [r["iri"].removeprefix(ID) for r in client.get(url).get_json()["rows"]]


def table(client, url: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(client.get(url).get_data(as_text=True))))


def test_cited_by_all_one_or_several_groups(client):
    assert rows(client, "/compare/citations.json?cited=all") == EVERY_GROUP      # by label: aide sociale…, logement…
    research = client.get("/api/schemes-cited-by-every-group", headers={"Accept": "application/sparql-results+json"})
    assert sorted(b["scheme"]["value"].removeprefix(ID) for b in research.get_json()["results"]["bindings"]) == EVERY_GROUP
    counts = {c: len(rows(client, f"/compare/citations.json?cited={c}")) for c in ("all", "one", "several")}
    assert counts == {"all": 4, "one": 60, "several": 17} and len(rows(client, "/compare/citations.json")) == 77
    m = client.get("/compare/citations.json?cited=all").get_json()
    assert m["filters"] == {"cited": "all", "sort": "label"} and m["totals"]["unfiltered"] == 77
    assert m["totals"]["statements"]["all"] == 35
    assert [m["totals"]["statements"]["columns"][c["iri"]] for c in m["columns"]] == [16, 8, 11]
    assert m["totals"]["statements"]["rows"][ID + "scheme/logement-social"] == 13


def test_sorting_by_total_by_a_group_and_reversed(client):
    assert rows(client, "/compare/citations.json?cited=all&sort=total") == [
        "scheme/logement-social", "scheme/ase", "scheme/tzcld", "scheme/premieres-heures"]      # 13, 12, 6, 4
    assert rows(client, "/compare/citations.json?cited=all&sort=colombes-2") == [
        "scheme/ase", "scheme/logement-social", "scheme/tzcld", "scheme/premieres-heures"]      # 4, 3, 3 (by label), 1
    assert rows(client, "/compare/citations.json?cited=all&sort=-label") == EVERY_GROUP[::-1]
    assert rows(client, "/compare/citations.json?cited=all&sort=-total")[0] == "scheme/premieres-heures"
    several = client.get("/compare/citations.json?cited=several&sort=groups").get_json()
    assert [r["iri"].removeprefix(ID) for r in several["rows"][:4]] == ["scheme/logement-social", "scheme/ase",
                                                                          "scheme/tzcld", "scheme/premieres-heures"]


def test_the_citations_csv_has_group_labels_totals_and_zeros(client):
    got = table(client, "/compare/citations.csv?cited=all&sort=total")
    assert got[0] == ["scheme", "label", *GROUP_LABELS, "total"]
    assert got[1] == [ID + "scheme/logement-social", "logement social", "6", "4", "3", "13"]
    one = table(client, "/compare/citations.csv?cited=one")
    assert len(one) == 61 and all(r[2:5].count("0") == 2 and r[5] != "0" for r in one[1:])
    assert "" not in (cell for r in table(client, "/compare/citations.csv") for cell in r)
    assert table(client, "/compare/stances.csv")[0] == ["ask", "label", *GROUP_LABELS]


def test_the_filters_are_links_and_the_page_links_its_research_queries(client):
    body = client.get("/compare/citations?cited=all", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    expected = ('<strong aria-current="page">cités par tous les groupes</strong>',
                '<a href="/compare/citations?cited=one">cités par un seul groupe</a>',
                '<a href="/compare/citations?cited=several">cités par au moins deux groupes</a>',
                '<a href="/compare/citations.csv?cited=all">CSV</a>',
                '<a href="/compare/citations?cited=all&amp;sort=total">Total</a>')
    assert [e for e in expected if e not in body] == []
    assert body.count('<th scope="row"><a href="/id/scheme/') == 4
    assert '<p class="count">4 lignes sur 77</p>' in body
    assert re.search(r'<td class="num total">35</td>', body)
    assert '<a href="/queries/schemes-cited-by-every-group">Dispositifs cités par tous les groupes de candidats</a>' in body
    stances = client.get("/compare/stances", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<a href="/compare/stances?only=disagreements">' in stances and 'href="/queries/disagreements"' in stances


def test_only_disagreements_keeps_the_asks_with_two_stances_or_more(client):
    m = client.get("/compare/stances.json?only=disagreements").get_json()
    research = client.get("/api/disagreements", headers={"Accept": "application/sparql-results+json"}).get_json()
    asks = sorted(r["iri"] for r in m["rows"])
    assert len(asks) == 10 and asks == sorted(b["ask"]["value"] for b in research["results"]["bindings"])
    assert m["totals"]["stances"]["all"] == {"conditional": 3, "no-position": 11, "supports": 16}
    full = client.get("/compare/stances.json").get_json()
    assert full["totals"]["stances"]["all"] == {"conditional": 3, "no-position": 11, "supports": 37}
    assert full["totals"]["unfiltered"] == len(full["rows"]) == 17
    labels = [r["label"].casefold() for r in client.get("/compare/stances.json?sort=label").get_json()["rows"]]
    assert labels == sorted(labels)


@pytest.mark.parametrize(("url", "detail"), [
    ("/compare/citations?cited=most", "cited must be one of all, one, several, not 'most'"),
    ("/compare/citations?cited=all&cited=one", "cited is given more than once"),
    ("/compare/citations.csv?sort=nobody", "sort must be one of label, -label, total, -total, groups, -groups, "
                                           "majorite-departementale, -majorite-departementale, groupe-001, -groupe-001, "
                                           "colombes-2, -colombes-2, not 'nobody'"),
    ("/compare/stances?only=agreements", "only must be one of disagreements, not 'agreements'"),
    ("/compare/stances.json?group=x", "unknown parameter 'group': this view takes only, sort (and lang)"),
])
def test_a_bad_parameter_is_a_400_naming_what_is_accepted(client, url, detail):
    resp = client.get(url, headers={"Accept": "application/json"})
    assert (resp.status_code, resp.get_json()["error"]["detail"]) == (400, detail)


def test_a_position_page_is_titled_by_its_label_and_links_back_to_its_cell(client):
    fr = client.get("/id/position/000-q6-soutenir-tzcld", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert ("<h1>Majorité départementale — conditionnel — soutenir et contribuer au financement de la "
            "candidature TZCLD</h1>") in fr
    assert '<a href="/compare/stances#q6-soutenir-tzcld--majorite-departementale">' in fr
    en = client.get("/id/position/000-q6-soutenir-tzcld?lang=en").get_data(as_text=True)
    assert "<h1>Departmental majority — conditional — support and co-fund the TZCLD application</h1>" in en
    matrix = client.get("/compare/stances").get_data(as_text=True)
    assert '<td id="q6-soutenir-tzcld--majorite-departementale" class="stance-conditional">' in matrix
