"""One page of a browse listing (no Flask, no request): the resources of a kind that pass the filters, sorted and
cut in SPARQL (ORDER BY, then LIMIT/OFFSET: only the page's rows are labelled and described), their count and the
count of each facet value (GROUP BY), as a ``Listing`` with its JSON and CSV forms.

Sort keys: ``label`` (the label in the interface language, else French, else any; for a figure the value as
printed, for a quote its text; accents and case folded), ``date`` (the earliest ``kg:refDate`` or start date; rows
without one last), ``value`` (a figure's ``qudt:value``), ``mentions`` (how many resources with evidence link to
it); ``-key`` reverses. Ties are broken by IRI, so pages never overlap.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg92.web.facets import Facet, Kind, token, where
from kg92.web.labels import Labels, select

FOLD = [("[àâä]", "a"), ("[éèêë]", "e"), ("[îï]", "i"), ("[ôö]", "o"), ("[ùûü]", "u"), ("ç", "c"), ("œ", "oe"),
        ("[«»\"'’(]", ""), ("^\\s+", "")]
LABELS = "skos:prefLabel|rdfs:label|schema:name|dcterms:title|foaf:name"
NONE = '"\\uFFFF"'   # after every label: a MIN over it and the labels that qualify is the label, if any
KEYS = {   # sort key → (optional pattern, aggregates of ?s, the sort key from them, what sorts first)
    # one OPTIONAL over every label property: the label in ?lang, else in French, else any label or printed text
    "label": (f"OPTIONAL {{ ?s {LABELS}|kg:asStated|oa:hasSelector/oa:exact ?l }}",
              f'(MIN(IF(LANG(?l) = ?lang, STR(?l), {NONE})) AS ?k1) (MIN(IF(LANG(?l) = "fr", STR(?l), {NONE})) AS ?k2) '
              "(MIN(STR(?l)) AS ?k3)",
              f"COALESCE(IF(?k1 != {NONE}, ?k1, IF(?k2 != {NONE}, ?k2, ?k3)), STR(?s))", None),
    "date": ("OPTIONAL { ?s kg:refDate|dcterms:temporal/dcat:startDate ?x }", "(MIN(STR(?x)) AS ?k1)", "?k1", "(!BOUND(?key))"),
    "value": ("OPTIONAL { ?s qudt:value ?x }", "(MIN(?x) AS ?k1)", "?k1", "(!BOUND(?key))"),
    "mentions": ("OPTIONAL { ?s ^!rdf:type ?x . ?x kg:evidence ?e }", "(COUNT(DISTINCT ?x) AS ?k1)", "?k1", None),
}
MENTIONS = """SELECT ?s (COUNT(DISTINCT ?x) AS ?n) WHERE { VALUES ?s { %s } OPTIONAL { ?s ^!rdf:type ?x . ?x kg:evidence ?e } }
  GROUP BY ?s"""


def folded(expr: str) -> str:
    for pattern, repl in FOLD:
        expr = f"REPLACE({expr}, {ox.Literal(pattern)}, {ox.Literal(repl)})"
    return expr


@dataclass
class Listing:
    kind: Kind
    cls_label: str
    lang: str
    total: int
    page: int
    size: int
    sort: str
    filters: list[dict]                        # facet, value (URL token), label, iri
    facets: list[dict]                         # name, label, values [{value, label, iri, count, active}], distinct
    columns: list[Facet]
    rows: list[dict] = field(default_factory=list)   # iri, label, mentions, cells {facet: [{value, label, iri}]}

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    def to_json(self) -> dict:
        return {"kind": self.kind.name, "class": {"iri": self.kind.cls.value, "label": self.cls_label},
                "path": self.kind.path, "lang": self.lang, "total": self.total, "page": self.page, "size": self.size,
                "pages": self.pages, "sort": self.sort, "filters": self.filters, "facets": self.facets,
                "columns": ["iri", "label", "mentions", *[c.name for c in self.columns]], "rows": self.rows}

    def to_csv(self) -> str:
        """One row per resource: IRI, label, mentions (0, never empty), then each facet column's labels and IRIs
        (several values joined by `` | ``; a year has no IRI column)."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        keys = [(c, k) for c in self.columns for k in (("label",) if c.year else ("label", "iri"))]
        w.writerow(["iri", "label", "mentions", *[c.name if k == "label" else f"{c.name}_iri" for c, k in keys]])
        for r in self.rows:
            cells = [" | ".join(str(v[k]) for v in r["cells"][c.name]) for c, k in keys]
            w.writerow([r["iri"], r["label"], r["mentions"], *cells])
        return out.getvalue()


class Browse:
    """The queries of one listing: ``kind`` filtered by ``filters`` ((facet, term) pairs, all must hold)."""

    def __init__(self, store: ox.Store, kind: Kind, filters: list[tuple[Facet, ox.NamedNode | ox.Literal]],
                 label: Labels):
        self.store, self.kind, self.filters, self.label = store, kind, filters, label
        self.body = where(kind, filters)

    def count(self) -> int:
        return int(select(self.store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {self.body} }}")[0]["n"].value)

    def facet_counts(self, facet: Facet) -> tuple[list[dict], int]:
        """Every value of ``facet`` among the filtered resources, the most frequent first, and how many."""
        found = select(self.store, f"""SELECT ?v (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {self.body}
  {facet.pattern} }} GROUP BY ?v ORDER BY DESC(?n) ?v""")
        found = [r for r in found if not (facet.name == "type" and r["v"] in self.kind.shared)]
        values = [{"value": token(r["v"]), "label": self.value_label(r["v"]), "iri": self.iri(r["v"]),
                   "count": int(r["n"].value)} for r in found]
        return values, len(found)

    def value_label(self, term) -> str:
        return term.value if isinstance(term, ox.Literal) else self.label(term)

    @staticmethod
    def iri(term) -> str | None:
        return term.value if isinstance(term, ox.NamedNode) else None

    def page(self, sort: str, offset: int, size: int) -> list[ox.NamedNode]:
        """The IRIs of one page, sorted in SPARQL (``sort``: a key of KEYS, ``-`` first for descending)."""
        key = sort.lstrip("-")
        pattern, aggregates, expression, first = KEYS[key]
        order = folded("LCASE(?key)") if key == "label" else "?key"
        direction = f"DESC({order})" if sort.startswith("-") else order
        lang = values_lang(self.label.lang) if key == "label" else ""
        found = select(self.store, f"""SELECT ?s ?key WHERE {{ {{ SELECT ?s {aggregates} WHERE {{ {self.body}
  {lang} {pattern} }} GROUP BY ?s }} BIND({expression} AS ?key) }}
  ORDER BY {first or ""} {direction} STR(?s) LIMIT {size} OFFSET {offset}""")
        return [r["s"] for r in found]

    def rows(self, nodes: list[ox.NamedNode], columns: list[Facet]) -> list[dict]:
        """Label, mentions and the value of every column of each resource of the page."""
        if not nodes:
            return []
        listed = " ".join(str(n) for n in nodes)
        mentions = {r["s"]: int(r["n"].value) for r in select(self.store, MENTIONS % listed)}
        cells: dict = {(n, c.name): [] for n in nodes for c in columns}
        for c in columns:
            for r in select(self.store, f"SELECT DISTINCT ?s ?v WHERE {{ VALUES ?s {{ {listed} }} {c.pattern} }} ORDER BY ?v"):
                if not (c.name == "type" and r["v"] in self.kind.shared):
                    cells[r["s"], c.name].append({"value": token(r["v"]), "label": self.value_label(r["v"]),
                                                  "iri": self.iri(r["v"])})
        return [{"iri": n.value, "label": self.label(n), "mentions": mentions.get(n, 0),
                 "cells": {c.name: cells[n, c.name] for c in columns}} for n in nodes]


def values_lang(lang: str) -> str:
    return f"VALUES ?lang {{ {ox.Literal(lang)} }}"


def listing(store: ox.Store, kind: Kind, facets: tuple[Facet, ...], filters: list[tuple[Facet, ox.NamedNode | ox.Literal]],
            label: Labels, sort: str, page: int, size: int, cls_label: str) -> Listing:
    """One page of ``kind`` (``page`` from 1): the count first, so that a page past the end runs no row query."""
    b = Browse(store, kind, filters, label)
    total = b.count()
    shown = [{"facet": f.name, "value": token(t), "label": b.value_label(t), "iri": b.iri(t)} for f, t in filters]
    out = Listing(kind, cls_label, label.lang, total, page, size, sort, shown, [], list(facets))
    for f in facets:
        values, distinct = b.facet_counts(f) if total else ([], 0)
        for v in values:
            v["active"] = any(x["facet"] == f.name and x["value"] == v["value"] for x in shown)
        if values or any(x["facet"] == f.name for x in shown):
            out.facets.append({"name": f.name, "label": f.label(label.lang), "values": values, "distinct": distinct})
    offset = (page - 1) * size
    out.rows = b.rows(b.page(sort, offset, size), out.columns) if offset < total else []
    return out
