"""The comparison tables, built from the graph: asks × candidate groups (``stance_matrix``, also on the pages of a
question and an ask) and schemes × groups (``citation_matrix``), with their JSON and CSV forms."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from kg92 import urls
from kg92.web.labels import Labels, slug
from kg92.web.render import head, rows, summary_rows

GROUPS = "SELECT ?group WHERE { ?group a kg:CandidateGroup . OPTIONAL { ?group dcterms:source ?doc } } ORDER BY ?doc ?group"
ASKS = """SELECT ?ask ?question ?n WHERE { ?ask a kg:Ask ; kg:inQuestion ?question .
  OPTIONAL { ?question kg:questionNumber ?n } } ORDER BY ?n ?ask"""
POSITIONS = """SELECT ?position ?group ?ask ?question ?stance ?condition ?quote WHERE {
  ?position a kg:Position ; kg:heldBy ?group ; kg:onAsk ?ask . ?ask kg:inQuestion ?question .
  OPTIONAL { ?position kg:stance ?stance } OPTIONAL { ?position kg:condition ?condition }
  OPTIONAL { ?position kg:evidence ?quote } }"""   # sorted here: Oxigraph's ORDER BY reads every IRI it compares
POSITION_ORDER = ("ask", "group", "position")      # (2.2 of 3.7 s for 5,100 positions at N=100)


@dataclass
class Matrix:
    """Rows × columns of cells (lists of dicts); heads are dicts with iri, label, href."""
    kind: str
    rows: list[dict]
    columns: list[dict]
    cells: dict[tuple[str, str], list[dict]] = field(default_factory=dict)

    def to_json(self) -> dict:
        cells = [{"row": r, "column": c, **cell} for (r, c), items in self.cells.items() for cell in items]
        strip = [{k: v for k, v in h.items() if k != "href"} for h in self.rows]
        return {"kind": self.kind, "rows": strip, "columns": [{k: v for k, v in h.items() if k != "href"} for h in self.columns],
                "cells": [{k: v for k, v in c.items() if k != "href"} for c in cells]}

    def to_csv(self, key: str) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow([self.kind, "label", *[c["iri"] for c in self.columns]])
        for r in self.rows:
            w.writerow([r["iri"], r["label"], *[" ".join(str(x[key]) for x in self.cells.get((r["iri"], c["iri"]), []))
                                                  for c in self.columns]])
        return out.getvalue()


def stance_matrix(label: Labels, **bind) -> Matrix:
    """Asks × candidate groups; ``bind`` narrows to one ``question`` or one ``ask``."""
    groups = [head(r["group"], label) for r in rows(GROUPS)]
    asks = [head(r["ask"], label, question=r["question"].value, question_label=label(r["question"]),
                 number=int(r["n"].value) if r["n"] else None) for r in rows(ASKS, **bind)]
    m = Matrix("ask", asks, groups)
    for r in sorted(rows(POSITIONS, **bind), key=lambda r: tuple(r[k].value for k in POSITION_ORDER)):
        stance = r["stance"]
        m.cells.setdefault((r["ask"].value, r["group"].value), []).append({
            "position": r["position"].value, "href": urls.href(r["position"].value),
            "stance": slug(stance) if stance else "", "stance_label": label(stance) if stance else "",
            "condition": r["condition"].value if r["condition"] else None,
            "evidence": r["quote"].value if r["quote"] else None})
    return m


def citation_matrix(label: Labels) -> Matrix:
    found = summary_rows("citations")   # build/summaries.py: counted once by the build
    groups = [head(r["group"], label) for r in rows(GROUPS)]
    schemes = sorted({r["scheme"] for r in found}, key=lambda s: label(s).casefold())
    m = Matrix("scheme", [head(s, label) for s in schemes], groups)
    for r in found:
        m.cells[(r["scheme"].value, r["group"].value)] = [{
            "statements": int(r["n"].value), "href": urls.href(r["scheme"].value) + "#by-" + slug(r["group"])}]
    return m
