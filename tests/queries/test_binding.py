"""The two bindings of a canned query's parameters (pyoxigraph substitutions, an inline typed VALUES block): the same
rows on the real data for every canned query, a hostile value stays one term, and the `#+ binding:` header."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from support import ROOT

from kg92.lexer import iri_is_readable, scan
from kg92.queries.binding import BINDINGS, Param, bind_value, list_members, values_text
from kg92.queries.registry import QueryFileError, Registry, parse_file
from kg92.sparql.pool import Job, execute

REG = Registry.load(ROOT / "queries")
ID = "https://w3id.org/kg92/id/"
# the cases the canned queries are run with: the example, the defaults alone, and the worst case of the benchmarks
CASES = {
    "figures-about": [{"subject": ID + "actor/departement-92"}],
    "quote-search": [{"text": "e"}],
    "scheme-graph": [{"scheme": ID + "scheme/rsa"}],
    "positions-on-scheme": [{"scheme": ID + "scheme/ase"}],
    "group-commitments-by-theme": [{"group": ID + "group/groupe-001", "theme": ID + "theme/acces-aux-droits"}],
    "timeline": [{"from": "2019-01-01", "to": "2019-12-31", "actor": ID + "actor/departement-92"}],
}


@pytest.fixture(scope="module")
def store(release_store):
    return release_store


def run(store, text: str, subs: dict) -> list:
    """The result rows as comparable values, from the engine's own N-Triples or SPARQL JSON, sorted (rows that tie
    under a query's ORDER BY come in any order, even from one text run twice)."""
    import json
    job = Job(text, substitutions=tuple(sorted((k.value, v) for k, v in subs.items())),
              accept="application/n-triples" if "CONSTRUCT" in text.split("WHERE")[0] else "application/sparql-results+json")
    out = execute(store, job)
    assert out.status == 200, out.detail
    if out.media_type == "application/n-triples":
        return sorted(out.body.decode().splitlines())
    return sorted(json.dumps(row, sort_keys=True) for row in json.loads(out.body)["results"]["bindings"])


@pytest.mark.parametrize("name", sorted(REG.queries))
def test_both_bindings_give_the_same_rows(store, name):
    q = REG.get(name)
    lists = list_members(store)
    for given in (q.example(), {}, *CASES.get(name, [])):
        rows = {b: run(store, *REG.prepare(q, given, lists, binding=b)) for b in BINDINGS}
        assert rows["values"] == rows["substitutions"], (name, given)
        assert rows["values"] or name in ("figures-disagree", "scheme-lifecycle") or given == {}, (name, given)


def test_prepare_follows_the_header_and_values_carry_no_substitution():
    q = REG.get("group-commitments-by-theme")
    text, subs = REG.prepare(q, q.example(), lists=None, binding="values")
    assert subs == {}
    assert ("VALUES (?group ?theme ?lang) { (<https://w3id.org/kg92/id/group/colombes-2> "
            "<https://w3id.org/kg92/id/theme/insertion> \"fr\") }") in text
    text, subs = REG.prepare(q, q.example(), lists=None, binding="substitutions")
    assert text == q.sparql and set(subs) == {ox.Variable("group"), ox.Variable("theme"), ox.Variable("lang")}
    assert REG.prepare(q, q.example(), lists=None)[0] == (q.sparql if q.binding == "substitutions" else
                                                         REG.prepare(q, q.example(), None, binding="values")[0])


def test_a_hostile_value_stays_one_term(store):
    q = REG.get("quote-search")
    hostile = 'x" } ?quote ?p ?o . FILTER(true) } #\n<http://evil/> {'
    text, subs = REG.prepare(q, {"text": hostile}, lists=None, binding="values")
    assert subs == {}
    [block] = [line for line in text.splitlines() if line.strip().startswith("VALUES")]
    assert block.strip() == 'VALUES (?text) { ("x\\" } ?quote ?p ?o . FILTER(true) } #\\n<http://evil/> {") }'
    result = store.query(text, use_default_graph_as_union=True)
    assert list(result) == []                     # no quote contains it: the value was searched for, not run
    term = bind_value(Param("text", "string", "h"), hostile, None)
    assert [row["text"] for row in ox.Store().query(values_text("SELECT ?text WHERE { }", {ox.Variable("text"): term}))] == [term]


def test_the_binding_header_is_checked(tmp_path):
    good = (ROOT / "queries" / "quote-search.rq").read_text(encoding="utf-8")
    path = tmp_path / "q.rq"
    path.write_text(good.replace("#+ tags: search\n", "#+ tags: search\n#+ binding: values\n"), encoding="utf-8")
    assert parse_file(path).binding == "values"
    path.write_text(good.replace("#+ tags: search\n", "#+ tags: search\n#+ binding: inline\n"), encoding="utf-8")
    with pytest.raises(QueryFileError, match="binding 'inline' is not one of substitutions, values"):
        parse_file(path)
    binds = ("#+ title_fr: t\n#+ title_en: t\n#+ description_fr: d\n#+ description_en: d\n#+ param: doc iri — d\n"
             "#+ example: doc=https://e.org/d\n{}SELECT ?doc WHERE {{ ?s ?p ?o . BIND (?o AS ?doc) }}\n")
    path.write_text(binds.format(""), encoding="utf-8")
    assert parse_file(path).binding == "substitutions"     # a query that BINDs a parameter keeps substitutions
    path.write_text(binds.format("#+ binding: values\n"), encoding="utf-8")
    with pytest.raises(QueryFileError, match="cannot be bound in a VALUES block"):
        parse_file(path)
    with pytest.raises(ValueError, match="no WHERE"):
        values_text("# WHERE {\nASK", {ox.Variable("x"): ox.Literal("1")})
    # a WHERE in a comment is not the group: the block lands in ASK's group (WHERE is optional there)
    assert values_text("# WHERE {\nASK {}", {ox.Variable("x"): ox.Literal("1")}) == '# WHERE {\nASK {\n  VALUES (?x) { ("1") }\n}'


@pytest.mark.parametrize("iri, readable", [
    ("https://w3id.org/kg92/id/scheme/rsa", True),
    ("https://example.org/services/social", True),        # SERVICE inside a word: never the keyword
    ("https://example.org/a)SERVICE", False),              # the keyword where pyoxigraph could read it
    ("https://example.org/l'aide", False),                 # an apostrophe could open a string
    ("https://example.org/page#part", False),              # a '#' could start a comment
])
def test_an_iri_is_written_into_the_text_only_when_the_lexer_reads_it_as_one(iri, readable):
    assert iri_is_readable(iri) is readable
    text = f"SELECT ?x WHERE {{ VALUES ?x {{ <{iri}> }} }}"
    if readable:
        assert scan(text).unsure == ""                    # the endpoint's check vouches for the text
    q = REG.get("figures-about")
    terms = {ox.Variable("subject"): ox.NamedNode(iri), ox.Variable("lang"): ox.Literal("fr")}
    text, subs = REG.bound(q, terms, binding="values")
    assert (subs == {}) is readable and (f"<{iri}>" in text) is readable
