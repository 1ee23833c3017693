"""Blueprint: /search (HTML, or JSON by ``Accept: application/json``) and /search.json over every label and quote
of the graph (the build's search index, web/searching.py for the syntax and ranking); a full IRI of the graph
redirects to its page. Parameters: ``q`` (cut at 200 characters), ``type``, ``group``, ``document`` (one value
each: a facet filter; a value the index does not hold is a 400), ``page`` (1 to 1000) and ``size`` (1 to 100,
default 50). The hits are ranked first; labels and the statements a quote is evidence of (``cited_by``) are looked
up for the hits of the page only."""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, redirect, request

from kg92 import urls
from kg92.errors import bad_request, service_unavailable
from kg92.namespaces import PREFIXES
from kg92.web import http
from kg92.web.i18n import t
from kg92.web.labels import Labels, slug
from kg92.web.render import head, labels, page
from kg92.web.resources import resources, search_index
from kg92.web.searching import FACETS, MAX_PAGE, MAX_PAGE_SIZE, MAX_QUERY, PAGE_SIZE, Result, parse, snippet

bp = Blueprint("search", __name__)
EVIDENCE = ox.NamedNode(PREFIXES["kg"] + "evidence")


def number(name: str, default: int, top: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 8 and 1 <= int(raw) <= top):
        raise bad_request(f"{name}= must be a whole number from 1 to {top} (got {raw[:20]!r})")
    return int(raw)


def arguments() -> tuple[str, dict[str, str], int, int]:
    """q, the facet filters (facet → value), page and size of this request; 400 on a bad value."""
    filters = {f: request.args[f] for f in FACETS if request.args.get(f)}
    return request.args.get("q", "").strip()[:MAX_QUERY], filters, number("page", 1, MAX_PAGE), \
        number("size", PAGE_SIZE, MAX_PAGE_SIZE)


def link(q: str, filters: dict[str, str], **change) -> str:
    """/search with q, the filters and paging, ``change`` applied (a None value removes that parameter)."""
    args = {"q": q, **filters, **change}
    return "/search?" + urlencode({k: v for k, v in args.items() if v not in (None, "")})


def type_label(kind: str, label: Labels) -> str:
    cls = search_index(current_app).classes.get(kind)
    return label(ox.NamedNode(cls)) if cls else t("hit_" + kind)


def facet_label(facet: str, value: str, label: Labels) -> str:
    return type_label(value, label) if facet == "type" else label(ox.NamedNode(value))


def details(result: Result, label: Labels) -> list[dict]:
    """The hits of the page, with their labels, snippet and (for a quote) the statements it is evidence of."""
    out = []
    for e in result.hits:
        cited = dict.fromkeys(q.subject for q in label.store.quads_for_pattern(None, EVIDENCE, ox.NamedNode(e.iri), None)) \
            if e.kind == "quote" else {}
        out.append({"iri": e.iri, "href": urls.href(e.iri), "kind": e.kind, "type": e.type, "label": label(ox.NamedNode(e.iri)),
                    "text": e.text, "type_label": type_label(e.type, label), "snippet": snippet(e.text, result.query),
                    "cited_by": [head(s, label) for s in cited][:5], "documents": list(e.documents), "groups": list(e.groups)})
    return out


def facets(result: Result, q: str, filters: dict[str, str], label: Labels) -> dict[str, list[dict]]:
    """Each facet's values with their count, label and the link that adds (or, when chosen, removes) the filter."""
    return {f: [{"value": v, "count": n, "label": facet_label(f, v, label), "selected": filters.get(f) == v,
                 "href": link(q, filters, **{f: None if filters.get(f) == v else v, "page": None})}
                for v, n in result.facets[f]] for f in FACETS}


def as_json(q: str, filters: dict[str, str], result: Result, hits: list[dict], found: dict) -> Response:
    for h in hits:
        h["cited_by"] = [c["iri"] for c in h["cited_by"]]
        h["snippet"] = [{"text": t, "match": m} for t, m in h.pop("snippet")]
        del h["href"]
    resp = jsonify(q=q, query={"words": list(result.query.words), "phrases": list(result.query.phrases)},
                   filters=filters, total=result.total, page=result.page, size=result.size, pages=result.pages,
                   facets={f: [{k: v[k] for k in ("value", "label", "count")} for v in vs] for f, vs in found.items()},
                   hits=hits)
    return http.vary(resp, "Accept", "Accept-Language", "Cookie")


@bp.get("/search", defaults={"suffix": None})
@bp.get("/search.<suffix>")
def search_page(suffix: str | None) -> Response:
    q, filters, number_of_page, size = arguments()
    if urls.local_path(q) and suffix is None:      # a full IRI of the graph: straight to its page
        return redirect(urls.local_path(q), 303)
    fmt = http.negotiate("index", suffix)          # HTML, or JSON (.json or Accept): unknown suffix 404, else 406
    try:
        result = search_index(current_app).search(parse(q), filters, number_of_page, size,
                                                  timeout=float(resources(current_app).settings["query_timeout"]))
    except ValueError as exc:
        raise bad_request(str(exc)) from exc
    except TimeoutError as exc:
        raise service_unavailable(f"{exc} (query_timeout)") from exc
    label = labels()
    hits, found = details(result, label), facets(result, q, filters, label)
    if fmt.key == "json":
        return as_json(q, filters, result, hits, found)
    pager = {"prev": link(q, filters, page=result.page - 1, size=size) if result.page > 1 else None,
             "next": link(q, filters, page=result.page + 1, size=size) if result.page < result.pages else None}
    return page("search.html", q=q, result=result, hits=hits, facets=found, pager=pager, slug=slug,
                json_href=link(q, filters, page=number_of_page if number_of_page > 1 else None).replace("/search?", "/search.json?", 1))
