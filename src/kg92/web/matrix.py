"""The comparison tables, built from the graph: asks × candidate groups (``stance_matrix``, also on the pages of a
question and an ask) and schemes × groups (``citation_matrix``), with their totals, filters, sorting, and their
JSON and CSV forms; the title of a position and its cell in the stance matrix (``position_heading``)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from kg92 import urls
from kg92.web.labels import Labels, slug
from kg92.web.render import head, rows

GROUPS = "SELECT ?group WHERE { ?group a kg:CandidateGroup . OPTIONAL { ?group dcterms:source ?doc } } ORDER BY ?doc ?group"
ASKS = """SELECT ?ask ?question ?n WHERE { ?ask a kg:Ask ; kg:inQuestion ?question .
  OPTIONAL { ?question kg:questionNumber ?n } } ORDER BY ?n ?ask"""
POSITIONS = """SELECT ?position ?group ?ask ?question ?stance ?condition ?quote WHERE {
  ?position a kg:Position ; kg:heldBy ?group ; kg:onAsk ?ask . ?ask kg:inQuestion ?question .
  OPTIONAL { ?position kg:stance ?stance } OPTIONAL { ?position kg:condition ?condition }
  OPTIONAL { ?position kg:evidence ?quote } } ORDER BY ?ask ?group ?position"""
CITATIONS = """SELECT ?scheme ?group (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?group a kg:CandidateGroup . ?s kg:statedBy ?group ; kg:concerns ?scheme . ?scheme a kg:Scheme .
} GROUP BY ?scheme ?group ORDER BY ?scheme ?group"""


# /compare/citations?cited=…: how many groups cite the scheme (n) of how many groups there are (total)
CITED = {"all": lambda n, total: n == total, "one": lambda n, total: n == 1, "several": lambda n, total: n >= 2}
# /compare/stances?only=disagreements: asks on which the groups' positions hold at least two different stances
ONLY = ("disagreements",)


@dataclass
class Matrix:
    """Rows × columns of cells (lists of dicts); heads are dicts with iri, label, href. ``totals``: per row, per
    column and overall (citations: statements; stances: a count per stance), computed over the rows shown."""
    kind: str
    rows: list[dict]
    columns: list[dict]
    cells: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)
    totals: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        shown = {r["iri"] for r in self.rows}
        cells = [{"row": r, "column": c, **cell} for (r, c), items in self.cells.items() if r in shown for cell in items]
        strip = [{k: v for k, v in h.items() if k != "href"} for h in self.rows]
        return {"kind": self.kind, "filters": self.filters, "rows": strip,
                "columns": [{k: v for k, v in h.items() if k != "href"} for h in self.columns],
                "cells": [{k: v for k, v in c.items() if k != "href"} for c in cells], "totals": self.totals}

    def to_csv(self, key: str, empty: str = "") -> str:
        """A header row (the kind, ``label``, each column's label, ``total`` when there are totals), then per row
        its IRI, label and each cell's ``key`` (several joined by a space; ``empty`` for none)."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        total = "statements" in self.totals
        w.writerow([self.kind, "label", *[c["label"] for c in self.columns], *(["total"] if total else [])])
        for r in self.rows:
            w.writerow([r["iri"], r["label"], *[" ".join(str(x[key]) for x in self.cells.get((r["iri"], c["iri"]), []))
                                                  or empty for c in self.columns],
                        *([self.totals["statements"]["rows"][r["iri"]]] if total else [])])
        return out.getvalue()

    def count(self, row: str, column: str) -> int:
        return sum(x.get("statements", 0) for x in self.cells.get((row, column), []))

    def stances(self, row: str) -> Counter:
        return Counter(x["stance"] for c in self.columns for x in self.cells.get((row, c["iri"]), []) if x["stance"])


def citation_totals(m: Matrix) -> dict:
    rows = {r["iri"]: sum(m.count(r["iri"], c["iri"]) for c in m.columns) for r in m.rows}
    groups = {r["iri"]: sum(1 for c in m.columns if m.count(r["iri"], c["iri"])) for r in m.rows}
    columns = {c["iri"]: sum(m.count(r["iri"], c["iri"]) for r in m.rows) for c in m.columns}
    cited = {c["iri"]: sum(1 for r in m.rows if m.count(r["iri"], c["iri"])) for c in m.columns}
    return {"statements": {"rows": rows, "columns": columns, "all": sum(rows.values())},
            "groups": groups, "schemes": {"columns": cited, "all": len(m.rows)}}


def citation_sorts(m: Matrix) -> list[str]:
    keys = ["label", "total", "groups", *[slug(c["iri"]) for c in m.columns]]
    return [s for k in keys for s in (k, "-" + k)]


def filter_citations(m: Matrix, cited: str | None, sort: str) -> Matrix:
    """Keep the schemes ``cited`` by all, one or several groups; sort by ``label`` (A→Z), ``total`` (statements),
    ``groups`` (groups citing, then statements) or a group's slug (its statements), the most first; ``-`` reverses."""
    unfiltered = len(m.rows)
    if cited:
        n = len(m.columns)
        m.rows = [r for r in m.rows if CITED[cited](sum(1 for c in m.columns if m.count(r["iri"], c["iri"])), n)]
        m.filters["cited"] = cited
    key = sort.lstrip("-")
    by_slug = {slug(c["iri"]): c["iri"] for c in m.columns}
    m.rows.sort(key=lambda r: r["label"].casefold())   # ties by label (A→Z) whatever the order
    if key != "label":
        def number(r: dict) -> tuple:
            total = sum(m.count(r["iri"], c["iri"]) for c in m.columns)
            if key == "groups":
                return (sum(1 for c in m.columns if m.count(r["iri"], c["iri"])), total)
            return (total,) if key == "total" else (m.count(r["iri"], by_slug[key]),)
        m.rows.sort(key=number, reverse=not sort.startswith("-"))
    elif sort.startswith("-"):
        m.rows.reverse()
    m.filters["sort"] = sort
    m.totals = citation_totals(m) | {"unfiltered": unfiltered}
    return m


def stance_totals(m: Matrix) -> dict:
    rows = {r["iri"]: dict(sorted(m.stances(r["iri"]).items())) for r in m.rows}
    columns = {c["iri"]: dict(sorted(Counter(x["stance"] for r in m.rows for x in m.cells.get((r["iri"], c["iri"]), [])
                                              if x["stance"]).items())) for c in m.columns}
    return {"stances": {"rows": rows, "columns": columns,
                        "all": dict(sorted(sum((Counter(v) for v in rows.values()), Counter()).items()))}}


def filter_stances(m: Matrix, only: str | None, sort: str) -> Matrix:
    """Keep the asks with at least two different stances (``only=disagreements``); sort by question ``number``
    (default) or ``label``; ``-`` reverses."""
    unfiltered = len(m.rows)
    if only == "disagreements":
        m.rows = [r for r in m.rows if len(m.stances(r["iri"])) >= 2]
        m.filters["only"] = only
    if sort.lstrip("-") == "label":
        m.rows.sort(key=lambda r: r["label"].casefold())
    if sort.startswith("-"):
        m.rows.reverse()
    m.filters["sort"] = sort
    m.totals = stance_totals(m) | {"unfiltered": unfiltered}
    return m


def stance_matrix(label: Labels, **bind) -> Matrix:
    """Asks × candidate groups; ``bind`` narrows to one ``question`` or one ``ask``."""
    groups = [head(r["group"], label) for r in rows(GROUPS)]
    asks = [head(r["ask"], label, question=r["question"].value, question_label=label(r["question"]),
                 number=int(r["n"].value) if r["n"] else None) for r in rows(ASKS, **bind)]
    m = Matrix("ask", asks, groups)
    for r in rows(POSITIONS, **bind):
        stance = r["stance"]
        m.cells.setdefault((r["ask"].value, r["group"].value), []).append({
            "position": r["position"].value, "href": urls.href(r["position"].value),
            "stance": slug(stance) if stance else "", "stance_label": label(stance) if stance else "",
            "condition": r["condition"].value if r["condition"] else None,
            "evidence": r["quote"].value if r["quote"] else None})
    return m


def citation_matrix(label: Labels) -> Matrix:
    found = rows(CITATIONS)
    groups = [head(r["group"], label) for r in rows(GROUPS)]
    schemes = sorted({r["scheme"] for r in found}, key=lambda s: label(s).casefold())
    m = Matrix("scheme", [head(s, label) for s in schemes], groups)
    for r in found:
        m.cells[(r["scheme"].value, r["group"].value)] = [{
            "statements": int(r["n"].value), "href": urls.href(r["scheme"].value) + "#by-" + slug(r["group"])}]
    return m


POSITION = """SELECT ?position ?group ?ask ?stance WHERE { ?position kg:heldBy ?group ; kg:onAsk ?ask .
  OPTIONAL { ?position kg:stance ?stance } }"""


def cell_id(ask: str, group: str) -> str:
    """The id of a stance matrix cell (its anchor on /compare/stances)."""
    return f"{slug(ask)}--{slug(group)}"


def position_heading(node, label: Labels) -> dict | None:
    """A position's title, its own label in the page's language (data/ttl/labels-composed.ttl, made by
    tools/compose_labels.py from its group, stance and ask: « Majorité départementale — conditionnel — … »), and the
    link to its cell of the stance matrix; None for what is not a position."""
    found = rows(POSITION, position=node)
    if not found:
        return None
    r = found[0]
    return {"title": label(node), "cell": "/compare/stances#" + cell_id(r["ask"].value, r["group"].value),
            "group": head(r["group"], label), "ask": head(r["ask"], label)}
