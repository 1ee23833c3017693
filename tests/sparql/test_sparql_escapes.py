"""SERVICE through every escape route of the SPARQL lexical grammar: refused with 403 (or 400 when the text is
malformed), and no connection ever reaches a listener on 127.0.0.1 — even though pyoxigraph itself, unguarded,
really does connect for most of these texts (the first test proves each route is real)."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest
from support import Listener, make_app

from kg92 import lexer as sparqllex
from kg92.sparql.safety import NO_SERVICE, UNSURE, check, code_tokens

U = "http://127.0.0.1:{port}/"
BREAK_RDFLIB = 'BIND("\\u0022" AS ?z)'      # rdflib decodes the escape before parsing and fails: the scan decides
ROUTES = {
    "the issue's reproducer": 'SELECT * WHERE { BIND("\\u0022" AS ?z) BIND(<http://a/\\u0041#> AS ?x) '
                              'SERVICE <{U}> { ?s ?p ?o } }',
    "\\U escapes": 'SELECT * WHERE { BIND("\\U00000022" AS ?z) BIND(<http://a/\\U00000041#> AS ?x) '
                   'SERVICE <{U}> { ?s ?p ?o } }',
    "long strings with escaped quotes": "SELECT * WHERE { BIND('''\\u0027''' AS ?z) BIND(\"\"\"a\\\"\"\"\" AS ?y) "
                                        "BIND(<http://a/\\u0041#> AS ?x) SERVICE <{U}> { ?s ?p ?o } }",
    "CR and tab, a comment with <x>": 'SELECT * WHERE {\r\t' + BREAK_RDFLIB + '\r# <x>\rSERVICE\t<{U}>\t{ ?s ?p ?o } }',
    "mixed case, SILENT, VALUES endpoint": "SELECT * WHERE { " + BREAK_RDFLIB + " VALUES ?u { <{U}> } "
                                           "sErViCe SILENT ?u { ?s ?p ?o } }",
    "after an escaped apostrophe in a name": "PREFIX e: <http://e/> SELECT * WHERE { " + BREAK_RDFLIB +
                                             " ?s e:a\\' ?o . SERVICE <{U}> { ?s ?p ?o } } #'",
    "less-than read as an IRI, then '#'": "SELECT * WHERE { " + BREAK_RDFLIB + " BIND(1 AS ?x) BIND(2 AS ?y) "
                                          "FILTER(?x<?y#>\"\"\"\n) SERVICE <{U}> { ?s ?p ?o } } #\"\"\"",
    "less-than read as an IRI hiding SERVICE": "SELECT * WHERE { " + BREAK_RDFLIB + " BIND(<{U}> AS ?u) "
                                               "FILTER(1<2)SERVICE?u#>\n{ ?s ?p ?o } }",
    "less-than read as an IRI, then a string": "SELECT * WHERE { " + BREAK_RDFLIB +
                                               " FILTER(1<'a>' ) SERVICE <{U}> { ?s ?p ?o } } #'",
    "quotes that only the spec's decoding closes": 'SELECT * WHERE { BIND("\\u0022 SERVICE <{U}> { ?s ?p ?o } '
                                                   '\\u0022" AS ?z) }',
    "triple term (rdflib lacks it)": "SELECT * WHERE { " + BREAK_RDFLIB + " SERVICE <{U}> { ?s ?p <<( ?a ?b ?c )>> } }",
}
CONNECTS_UNGUARDED = {"the issue's reproducer", "\\U escapes", "long strings with escaped quotes",
                      "CR and tab, a comment with <x>", "less-than read as an IRI, then '#'",
                      "triple term (rdflib lacks it)"}


def _text(name: str, port: int) -> str:
    return ROUTES[name].replace("{U}", U.format(port=port))


@pytest.fixture()
def listener():
    lst = Listener()
    yield lst
    lst.close()


def test_the_routes_are_real_pyoxigraph_unguarded_connects(listener):
    store = ox.Store()
    for name in sorted(CONNECTS_UNGUARDED):
        with pytest.raises(OSError):
            list(store.query(_text(name, listener.port)))
    time.sleep(0.3)
    assert len(listener.received) == len(CONNECTS_UNGUARDED)


@pytest.mark.parametrize("name", ROUTES)
def test_every_escape_route_is_refused_by_the_check(name):
    verdict = check(_text(name, 9))
    assert verdict.refusal is not None and verdict.status == 403
    assert verdict.refusal == NO_SERVICE or verdict.refusal.startswith(UNSURE)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("escapes"), cache_entries=0)
    yield app
    app.extensions["kg92.sparql"].close()


def test_no_route_makes_a_connection_through_the_endpoint(app, listener):
    client, answers = app.test_client(), []
    for name in ROUTES:
        text = _text(name, listener.port)
        answers.append(client.get("/sparql", query_string={"query": text}).status_code)
        answers.append(client.post("/sparql", data={"query": text}).status_code)
        answers.append(client.post("/sparql", data=text.encode(),
                                   headers={"Content-Type": "application/sparql-query"}).status_code)
    time.sleep(0.5)
    assert answers == [403] * (3 * len(ROUTES))
    assert listener.received == []


def test_refusals_name_the_cause(app):
    client = app.test_client()
    hidden = client.get("/sparql", query_string={"query": _text("less-than read as an IRI hiding SERVICE", 9)})
    assert hidden.get_json()["error"]["detail"] == (
        "the query cannot be checked for SERVICE and is refused: the word SERVICE inside <…>, which could also be "
        "read as a less-than operator at line 1, column 81; write the comparison with spaces around '<'")
    broken = client.get("/sparql", query_string={"query": 'SELECT * WHERE { ?s ?p "abc }'})
    assert (broken.status_code, broken.get_json()["error"]["detail"]) == (
        400, "SPARQL syntax error: a quote that does not open a well-formed string literal at line 1, column 24")


@pytest.mark.parametrize(("text", "tokens"), [
    ('SELECT * { ?s <http://a/\\u0041#> "\\u0022" } # SERVICE\nLIMIT 1', "SELECT * { ?s <> \"\" } LIMIT 1"),
    ("ASK { ?s ?p '''a''b''' , \"\"\"x\"y\"\"\" , 'it\\'s' }", "ASK { ?s ?p \"\" , \"\" , \"\" }"),
    ("ASK { FILTER(?x<2&&?x>0) }", "ASK { FILTER ( ?x <> 0 ) }"),   # harmless: no ) nor SERVICE inside
    ("ASK { ?s e:a\\#b ?o . ?s ?p 1.5 }", "ASK { ?s e:a \\# b ?o . ?s ?p 1 . 5 }"),
])
def test_the_scanner_reads_what_pyoxigraph_reads(text, tokens):
    assert code_tokens(text) == tokens


@pytest.mark.parametrize("text", [
    "SELECT ?service WHERE { ?s <http://e/SERVICE> ?service }",
    "PREFIX service: <http://e/> SELECT * WHERE { ?s service:SERVICE ?o }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> { }" } # SERVICE',
    'SELECT * WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> "l\'a"@fr . FILTER(?s < ?o) }',
    'SELECT * WHERE { BIND("\\u0022" AS ?quote) }',
])
def test_harmless_texts_pass(text):
    assert check(text).refusal is None


def test_decoding_follows_the_spec():
    assert sparqllex.decode_escapes("\\u0022 \\U0001F600 \\uD800 \\U00110000") == '" 😀 \\uD800 \\U00110000'
