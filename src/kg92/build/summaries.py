"""Materialised summaries (issue 18): the aggregates the site's pages show over the whole graph — the home page's
counts and its documents, the schemes × groups citation counts of /compare/citations — computed once by the build
from its store and written to the release as ``summaries.json``, so that a page reads a few rows instead of counting
every statement of the graph on each request (at 2 M triples: seconds per page).

Each summary is the SELECT the page used to run (QUERIES, one place for both), its solutions stored term by term
(an IRI as ``{"iri": …}``, a literal as ``{"value": …, "datatype": …}`` or ``{"value": …, "lang": …}``, an unbound
variable as null) and read back as the same pyoxigraph terms (:func:`load`, :func:`rows`): the page gets the
rows the query gives. A release written without the file (an older build) gets None from :func:`load`, and the
pages run the query as before.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from kg92.namespaces import sparql_prologue

FILE = "summaries.json"
QUERIES = {
    "home-stats": """SELECT * WHERE {
  { SELECT (COUNT(DISTINCT ?a) AS ?actors) WHERE { ?a a kg:Actor } }
  { SELECT (COUNT(DISTINCT ?g) AS ?groups) WHERE { ?g a kg:CandidateGroup } }
  { SELECT (COUNT(DISTINCT ?s) AS ?schemes) WHERE { ?s a kg:Scheme } }
  { SELECT (COUNT(DISTINCT ?c) AS ?commitments) WHERE { ?c a kg:Commitment } }
  { SELECT (COUNT(DISTINCT ?st) AS ?statements) WHERE { ?st a kg:Statement } }
  { SELECT (COUNT(DISTINCT ?q) AS ?quotes) WHERE { ?q a oa:SpecificResource } } }""",
    "home-documents": """SELECT ?doc ?file (COUNT(DISTINCT ?q) AS ?quotes) WHERE {
  ?doc a kg:SourceDocument ; dcterms:identifier ?file . OPTIONAL { ?q oa:hasSource ?doc } } GROUP BY ?doc ?file ORDER BY ?doc""",
    "citations": """SELECT ?scheme ?group (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?group a kg:CandidateGroup . ?s kg:statedBy ?group ; kg:concerns ?scheme . ?scheme a kg:Scheme .
} GROUP BY ?scheme ?group ORDER BY ?scheme ?group""",
}


def _term(term) -> dict | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"iri": term.value}
    if term.language:
        return {"value": term.value, "lang": term.language}
    return {"value": term.value, "datatype": term.datatype.value}


def _back(data: dict | None):
    if data is None:
        return None
    if "iri" in data:
        return ox.NamedNode(data["iri"])
    if "lang" in data:
        return ox.Literal(data["value"], language=data["lang"])
    return ox.Literal(data["value"], datatype=ox.NamedNode(data["datatype"]))


def run(store: ox.Store, name: str) -> list[dict]:
    """The solutions of summary ``name`` on ``store``, as dicts of terms (what the pages read)."""
    result = store.query(sparql_prologue() + QUERIES[name], use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: sol[n] for n in names} for sol in result]


def write(release: Path, store: ox.Store) -> None:
    """Every summary computed on the release's store, into ``release/summaries.json``."""
    data = {name: [{k: _term(v) for k, v in row.items()} for row in run(store, name)] for name in QUERIES}
    (release / FILE).write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")


def load(release: Path) -> dict[str, list[dict]] | None:
    """The release's summaries as rows of terms, or None when the release has none."""
    path = release / FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: [{k: _back(v) for k, v in row.items()} for row in rows] for name, rows in data.items()}
