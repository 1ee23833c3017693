"""Reading the graph for people, on a store given as argument (no request, no app): readable labels of terms in
one language (``Labels``), SELECT solutions with bound terms (``select``) and the last path segment of an IRI
(``slug``); accent- and case-folding (``fold``) is the search index's (build/search.py), imported here for the pages."""

from __future__ import annotations

import pyoxigraph as ox

from kg92 import urls
from kg92.build.search import fold  # noqa: F401  (re-exported: the pages sort and match with it)
from kg92.inline import values_text
from kg92.namespaces import PREFIXES, sparql_prologue

SKOS, RDFS, OA, KG = PREFIXES["skos"], PREFIXES["rdfs"], PREFIXES["oa"], PREFIXES["kg"]
LABEL_PREDICATES = [ox.NamedNode(SKOS + "prefLabel"), ox.NamedNode(RDFS + "label"), ox.NamedNode(PREFIXES["schema"] + "name"),
                    ox.NamedNode(PREFIXES["dcterms"] + "title"), ox.NamedNode(PREFIXES["foaf"] + "name")]


class Labels:
    """Readable labels of graph terms in one language, memoised for one request."""

    def __init__(self, store: ox.Store, lang: str):
        self.store, self.lang, self.memo = store, lang, {}

    def pick(self, literals: list[ox.Literal]) -> ox.Literal | None:
        for want in (self.lang, "fr", None):
            for lit in literals:
                if lit.language == want:
                    return lit
        return literals[0] if literals else None

    def values(self, node, pred: str) -> list:
        return [q.object for q in self.store.quads_for_pattern(node, ox.NamedNode(pred), None, None)]

    def __call__(self, term) -> str:
        if isinstance(term, ox.Literal):
            return term.value
        if term not in self.memo:
            self.memo[term] = self._compute(term)
        return self.memo[term]

    def name(self, term) -> str | None:
        """The label of ``term`` from its label properties (skos:prefLabel, rdfs:label…) in the chosen language,
        else French, else any; None when it has none (no fallback to a quote or a CURIE)."""
        if isinstance(term, str):
            try:
                term = ox.NamedNode(term)
            except ValueError:
                return None
        if ("name", term) not in self.memo:
            self.memo["name", term] = next((self.pick(lits).value for lits in (
                [q.object for q in self.store.quads_for_pattern(term, pred, None, None) if isinstance(q.object, ox.Literal)]
                for pred in LABEL_PREDICATES) if lits), None)
        return self.memo["name", term]

    def _compute(self, term) -> str:
        named = self.name(term)
        if named is not None:
            return named
        stated = self.values(term, KG + "asStated")
        if stated:
            return stated[0].value
        for sel in self.values(term, OA + "hasSelector"):
            exact = self.values(sel, OA + "exact")
            if exact:
                text = exact[0].value
                return "« " + (text if len(text) <= 90 else text[:88].rstrip() + "…") + " »"
        return urls.curie(term.value) if isinstance(term, ox.NamedNode) else "[ ]"


def select(store: ox.Store, query: str, via: str = "values", **bind) -> list[dict]:
    """Solutions of a SELECT as dicts; ``bind`` values (IRIs as str, or terms) are typed terms, never spliced text:
    by default in one VALUES block at the head of the WHERE group (kg92.inline, written by pyoxigraph), or, with
    ``via="substitutions"``, as pyoxigraph's substitutions (every bound variable then in the SELECT clause). A
    VALUES block does not reach into a sub-select, nor a FILTER in a nested group: no bound page query has one.
    Chosen per query by measurement at N=100 (bench/scale.py's data): the block for most (the most cited scheme's
    "mentioned in documents" 3.4 s with substitutions, whose plan does not know the variable is bound, 0.75 s with
    the block; ABOUT_SCHEME 3,555 -> 150 ms; a document's SCHEMES over 45 s -> 3.7 s), substitutions for a group's
    answers (web/describe.py's ANSWERS 102 vs 228 ms, ANSWER_STATEMENTS 2,197 vs 2,819 ms)."""
    terms = {ox.Variable(k): (v if not isinstance(v, str) else ox.NamedNode(v)) for k, v in bind.items()}
    if via == "substitutions":
        result = store.query(sparql_prologue() + query, substitutions=terms, use_default_graph_as_union=True)
    else:
        result = store.query(sparql_prologue() + values_text(query, terms), use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: sol[n] for n in names} for sol in result]


def slug(iri) -> str:
    return str(iri.value if hasattr(iri, "value") else iri).rstrip("/").rsplit("/", 1)[-1]
