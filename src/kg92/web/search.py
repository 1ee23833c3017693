"""Blueprint: /search (and /search.json) over every label and quote, accent- and case-folded; a full IRI of the
graph redirects to its page."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, redirect, request

from kg92 import urls
from kg92.errors import not_found
from kg92.namespaces import PREFIXES
from kg92.web.labels import Labels, fold
from kg92.web.render import head, labels, page
from kg92.web.resources import search_index

bp = Blueprint("search", __name__)
EVIDENCE = ox.NamedNode(PREFIXES["kg"] + "evidence")


def search(q: str, label: Labels, limit: int = 50) -> list[dict]:
    words = fold(q)[0].split()
    if not words:
        return []
    hits = []
    for iri, kind, text, folded, where in search_index(current_app):
        if all(w in folded for w in words):
            at = folded.find(words[0])
            start, end = where[at], where[at + len(words[0]) - 1] + 1
            lo, hi = max(0, start - 80), min(len(text), end + 80)
            rank = (kind != "label", not folded.startswith(words[0]), len(text))
            cited_by = [q.subject for q in label.store.quads_for_pattern(None, EVIDENCE, ox.NamedNode(iri), None)] if kind == "quote" else []
            hits.append((rank, {"iri": iri, "href": urls.href(iri), "kind": kind, "label": label(ox.NamedNode(iri)),
                                "cited_by": [head(s, label) for s in dict.fromkeys(cited_by)][:5],
                                "before": ("…" if lo else "") + text[lo:start], "match": text[start:end],
                                "after": text[end:hi] + ("…" if hi < len(text) else "")}))
    hits.sort(key=lambda h: h[0])
    seen, out = set(), []
    for _, hit in hits:
        if (hit["iri"], hit["kind"]) not in seen:
            seen.add((hit["iri"], hit["kind"]))
            out.append(hit)
    return out[:limit]


@bp.get("/search", defaults={"suffix": None})
@bp.get("/search.<suffix>")
def search_page(suffix: str | None) -> Response:
    q = request.args.get("q", "").strip()[:200]
    if urls.local_path(q) and suffix is None:      # a full IRI of the graph: straight to its page
        return redirect(urls.local_path(q), 303)
    hits = search(q, labels())
    if suffix == "json":
        return jsonify(q=q, hits=[{**{k: v for k, v in h.items() if k != "href"}, "cited_by": [c["iri"] for c in h["cited_by"]]}
                                  for h in hits])
    if suffix is not None:
        raise not_found(f"/search.{suffix}: only /search and /search.json exist")
    return page("search.html", q=q, hits=hits)
