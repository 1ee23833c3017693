"""Reading the graph for people, on a store given as argument (no request, no app): readable labels of terms in
one language (``Labels``), SELECT solutions with bound terms (``select``), accent- and case-folding (``fold``),
the last path segment of an IRI (``slug``) and the entries of the search index (``search_entries``)."""

from __future__ import annotations

import unicodedata

import pyoxigraph as ox

from kg92 import urls
from kg92.namespaces import PREFIXES, sparql_prologue

SKOS, RDFS, OA, KG = PREFIXES["skos"], PREFIXES["rdfs"], PREFIXES["oa"], PREFIXES["kg"]
LABEL_PREDICATES = [ox.NamedNode(SKOS + "prefLabel"), ox.NamedNode(RDFS + "label"), ox.NamedNode(PREFIXES["schema"] + "name"),
                    ox.NamedNode(PREFIXES["dcterms"] + "title"), ox.NamedNode(PREFIXES["foaf"] + "name")]
SEARCHED = "skos:prefLabel|skos:altLabel|rdfs:label|schema:name|dcterms:title|kg:acronym"
FOLD = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'", "‘": "'", "\xa0": " ", "\u202f": " "})


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


def select(store: ox.Store, query: str, **bind) -> list[dict]:
    """Solutions of a SELECT as dicts; ``bind`` values (IRIs as str, or terms) are substituted, never spliced.
    pyoxigraph substitutes only projected variables: every bound variable must be in the SELECT clause."""
    subs = {ox.Variable(k): (v if not isinstance(v, str) else ox.NamedNode(v)) for k, v in bind.items()}
    result = store.query(sparql_prologue() + query, substitutions=subs, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: sol[n] for n in names} for sol in result]


def slug(iri) -> str:
    return str(iri.value if hasattr(iri, "value") else iri).rstrip("/").rsplit("/", 1)[-1]


def fold(text: str) -> tuple[str, list[int]]:
    """Accent- and case-folded text, with the index in ``text`` of every folded character."""
    out, where = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKD", ch.translate(FOLD)):
            if not unicodedata.combining(c):
                out.append(c.casefold())
                where.append(i)
    return "".join(out), where


def search_entries(store: ox.Store) -> list[tuple[str, str, str, str, list[int]]]:
    """(iri, kind, text, folded, positions) of every label and quote: what /search looks in."""
    found = select(store, f"""SELECT DISTINCT ?s ?text ?kind WHERE {{
          {{ ?s {SEARCHED} ?text . FILTER(isIRI(?s)) BIND("label" AS ?kind) }}
          UNION {{ ?s oa:hasSelector/oa:exact ?text . BIND("quote" AS ?kind) }} }}""")
    return [(r["s"].value, r["kind"].value, r["text"].value, *fold(r["text"].value)) for r in found]
