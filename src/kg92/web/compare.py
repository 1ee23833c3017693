"""Blueprint: the comparison views /compare/stances and /compare/citations, as HTML, JSON (.json) and CSV (.csv).

Their filters and sorting are query-string parameters (so a filtered view is a link, and works without JavaScript;
the twins take the same ones): ``/compare/citations?cited=all|one|several&sort=label|total|groups|<group slug>``
(``-`` before a sort key reverses it), ``/compare/stances?only=disagreements&sort=number|label``. An unknown
parameter or value is a 400 naming the accepted ones. Each view links the research queries that compute it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, jsonify, request

from kg92.errors import bad_request
from kg92.web import http
from kg92.web.i18n import t
from kg92.web.matrix import (
    CITED,
    ONLY,
    citation_matrix,
    citation_sorts,
    filter_citations,
    filter_stances,
    stance_matrix,
)
from kg92.web.render import labels, page
from kg92.web.resources import registry

bp = Blueprint("compare", __name__)
STANCE_SORTS = ("number", "-number", "label", "-label")
# the research queries (queries/*.rq) that compute each table, or the part of it its filters show
QUERIES = {"citations": ("schemes-cited-by-every-group", "schemes-cited-per-group", "co-citation"),
           "stances": ("stance-matrix", "disagreements", "positions-on-scheme")}


def argument(name: str, allowed, default: str | None = None) -> str | None:
    """A parameter of the view, checked: one of ``allowed`` (else 400), given once."""
    values = request.args.getlist(name)
    if len(values) > 1:
        raise bad_request(f"{name} is given more than once")
    if values and values[0] not in allowed:
        raise bad_request(f"{name} must be one of {', '.join(allowed)}, not {values[0]!r}")
    return values[0] if values else default


def known_only(*names: str) -> None:
    for name in request.args:
        if name not in (*names, "lang"):
            raise bad_request(f"unknown parameter {name!r}: this view takes {', '.join(names)} (and lang)")


def research(view: str) -> list[dict]:
    reg, lang = registry(current_app), g.get("lang", "fr")
    return [{"name": n, "title": reg.get(n).title(lang), "href": f"/queries/{n}"} for n in QUERIES[view] if reg.get(n)]


def qs(**change) -> str:
    """This request's query string with parameters changed (None removes one): a filter or sort link."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in change]
    args += [(k, v) for k, v in change.items() if v is not None]
    return "?" + urlencode(args) if args else ""


def sort_options(m) -> list[tuple[str, str]]:
    """(value, text) of each sort order of the citation matrix, in the interface language."""
    names = {"label": t("sort_label"), "total": t("sort_total"), "groups": t("sort_groups")}
    names |= {c["iri"].rsplit("/", 1)[1]: c["label"] for c in m.columns}
    return [(value, names[value.lstrip("-")] + (f" ({t('sort_reverse')})" if value.startswith("-") else ""))
            for value in citation_sorts(m)]


def table_response(m, template: str, suffix: str | None, media: str, view: str) -> Response:
    if media == "application/json":
        resp = jsonify(m.to_json())
    elif media == "text/csv":
        body = m.to_csv("stance") if m.kind == "ask" else m.to_csv("statements", empty="0")
        resp = Response(body, content_type="text/csv; charset=utf-8")
    else:
        return page(template, m=m, queries=research(view), qs=qs, sorts=sort_options(m) if view == "citations" else [])
    resp.vary.update(("Accept", "Accept-Language", "Cookie"))
    return resp


@bp.get("/compare/stances", defaults={"suffix": None})
@bp.get("/compare/stances.<suffix>")
def stances(suffix: str | None) -> Response:
    media = http.negotiate("table", suffix).media_type      # no Accept header: the HTML page
    known_only("only", "sort")
    only, sort = argument("only", ONLY), argument("sort", STANCE_SORTS, "number")
    return table_response(filter_stances(stance_matrix(labels()), only, sort), "stances.html", suffix, media, "stances")


@bp.get("/compare/citations", defaults={"suffix": None})
@bp.get("/compare/citations.<suffix>")
def citations(suffix: str | None) -> Response:
    media = http.negotiate("table", suffix).media_type
    known_only("cited", "sort")
    m = citation_matrix(labels())
    cited, sort = argument("cited", tuple(CITED)), argument("sort", citation_sorts(m), "label")
    return table_response(filter_citations(m, cited, sort), "citations.html", suffix, media, "citations")
