"""Blueprint: the comparison views /compare/stances and /compare/citations, as HTML, JSON (.json) and CSV (.csv)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from kg92.web import http
from kg92.web.matrix import citation_matrix, stance_matrix
from kg92.web.render import labels, page

bp = Blueprint("compare", __name__)


def table_response(build, template: str, suffix: str | None) -> Response:
    media = http.negotiate("table", suffix).media_type      # no Accept header: the HTML page
    m = build(labels())
    if media == "application/json":
        resp = jsonify(m.to_json())
    elif media == "text/csv":
        resp = Response(m.to_csv("stance" if m.kind == "ask" else "statements"), content_type="text/csv; charset=utf-8")
    else:
        return page(template, m=m)
    resp.vary.update(("Accept", "Accept-Language", "Cookie"))
    return resp


@bp.get("/compare/stances", defaults={"suffix": None})
@bp.get("/compare/stances.<suffix>")
def stances(suffix: str | None) -> Response:
    return table_response(stance_matrix, "stances.html", suffix)


@bp.get("/compare/citations", defaults={"suffix": None})
@bp.get("/compare/citations.<suffix>")
def citations(suffix: str | None) -> Response:
    return table_response(citation_matrix, "citations.html", suffix)
