"""`#+ paging: N` (kg92.queries.registry): a paged query takes ``limit`` (default N) and ``offset`` (default 0),
written as ``LIMIT n OFFSET m`` after its ORDER BY; a page is the slice of the whole answer; out-of-range values
are a 400; the paging parameters cannot be declared by hand."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from support import ROOT

from kg92.queries.registry import QueryFileError, Registry, parse_file

QUOTE_SEARCH = ROOT / "queries" / "quote-search.rq"


def api_rows(client, name: str, **params) -> list[dict]:
    resp = client.get(f"/api/{name}", query_string=params, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()["results"]["bindings"]


def test_paging_adds_limit_and_offset_written_after_the_query(tmp_path):
    q = parse_file(QUOTE_SEARCH)
    assert [(p.name, p.type, p.default) for p in q.params] == [
        ("text", "string", "hôtel"), ("limit", "integer", "2000"), ("offset", "integer", "0")]
    text, subs = Registry({}).prepare(q, {"text": "rsa", "limit": "7", "offset": "21"}, None)
    assert text == q.sparql + "\nLIMIT 7 OFFSET 21\n"
    assert subs == {ox.Variable("text"): ox.Literal("rsa")}     # limit and offset are never substitutions
    text, _ = Registry({}).prepare(q, {}, None, binding="values")
    assert text.endswith("\nLIMIT 2000 OFFSET 0\n") and 'VALUES (?text) { ("hôtel") }' in text


@pytest.mark.parametrize("header, error", [
    ("#+ paging: 0\n", "is not a page size between 1 and 100000"),
    ("#+ paging: lots\n", "is not a page size"),
    ("#+ param: limit integer — by hand\n", "limit and offset are the paging parameters"),
])
def test_a_bad_paging_header_stops_start_up(tmp_path, header, error):
    bad = tmp_path / "bad.rq"
    bad.write_text(QUOTE_SEARCH.read_text(encoding="utf-8").replace("#+ paging: 2000\n", header), encoding="utf-8")
    with pytest.raises(QueryFileError, match=error):
        parse_file(bad)


def test_a_page_is_the_slice_of_the_whole_answer(client):
    whole = api_rows(client, "timeline")
    assert len(whole) == 61          # every dated event of the real data: under the default page (1000)
    assert api_rows(client, "timeline", limit="5", offset="3") == whole[3:8]
    assert api_rows(client, "timeline", limit="10", offset="60") == whole[60:]


@pytest.mark.parametrize("params, detail", [
    ({"limit": "0"}, "limit: 0 is not between 1 and 100000"),
    ({"limit": "100001"}, "limit: 100001 is not between 1 and 100000"),
    ({"offset": "-1"}, "offset: -1 is not between 0 and 1000000000"),
    ({"limit": "ten"}, "limit: 'ten' is not an integer"),
])
def test_paging_values_out_of_range_are_a_400(client, params, detail):
    resp = client.get("/api/timeline", query_string=params, headers={"Accept": "application/json"})
    assert resp.status_code == 400
    assert detail in resp.get_json()["error"]["detail"]


def test_the_bound_text_of_a_paged_query_ends_with_its_page(client):
    resp = client.get("/queries/timeline.rq", query_string={"from": "2019-01-01", "limit": "4", "offset": "2"})
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    assert text.endswith("\nLIMIT 4 OFFSET 2\n")
    assert 'VALUES (?from ?lang) { ("2019-01-01"^^<http://www.w3.org/2001/XMLSchema#date> "fr") }' in text
