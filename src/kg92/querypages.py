"""Blueprint: the canned-query library — /queries (index), /queries/<name> (form, results, SPARQL),
/api/<name> (typed REST API) and /api/openapi.json."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from . import urls
from .errors import bad_request, not_acceptable, not_found
from .queries import CannedQuery, ParamError
from .querydoc import openapi

bp = Blueprint("queries", __name__)
SOLUTION_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                  "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
               "rdf": "application/rdf+xml"}


@bp.app_template_filter("iri_href")
def iri_href(iri: str) -> str | None:
    """A result IRI's link: its local page for ours, the IRI itself for other http(s) IRIs, none for the rest
    (``urn:``, ``mailto:``, ``javascript:``… are shown as text, never linked)."""
    return urls.href(iri) if iri.startswith(("http://", "https://")) else None


def _query(name: str) -> CannedQuery:
    q = current_app.extensions["kg92.queries"].get(name)
    if q is None:
        raise not_found(f"no canned query named {name!r}; see /queries")
    return q


def _lang() -> str:
    return "en" if request.args.get("lang") == "en" else "fr"


def _bindings(q: CannedQuery) -> dict:
    given = {k: v for k, v in request.args.items() if k not in ("lang", "format")}
    try:
        return current_app.extensions["kg92.queries"].bindings(q, given, current_app.extensions["kg92.lists"])
    except ParamError as exc:
        raise bad_request(str(exc)) from exc


def _media(q: CannedQuery, suffix: str | None) -> str:
    table = GRAPH_TYPES if q.form == "CONSTRUCT" else SOLUTION_TYPES
    if suffix is not None:
        if suffix not in table:
            raise not_acceptable([f".{s}" for s in table])
        return table[suffix]
    best = request.accept_mimetypes.best_match(list(table.values()), default=next(iter(table.values())))
    if best is None:
        raise not_acceptable(list(table.values()))
    return best


def _run(q: CannedQuery, bindings: dict, media: str) -> Response:
    """Through the SPARQL endpoint's worker pool: the same timeout, row limit, cache and headers as /sparql."""
    from .sparql import result_response, run_query
    return result_response(run_query(current_app, q.sparql, substitutions=bindings, fmt=media))


@bp.get("/queries")
def index() -> str:
    reg = current_app.extensions["kg92.queries"]
    return render_template("queries.html", queries=list(reg.queries.values()), lang=_lang())


@bp.get("/queries.json")
def index_json() -> Response:
    return jsonify(queries=[q.to_json() for q in current_app.extensions["kg92.queries"].queries.values()])


@bp.get("/queries/<name>")
def page(name: str) -> str:
    q = _query(name)
    values = {p.name: request.args.get(p.name, p.default or "") for p in q.params}
    result = None
    if q.form != "CONSTRUCT":
        resp = _run(q, _bindings(q), SOLUTION_TYPES["json"])
        result = resp.get_json() if resp.status_code == 200 else None
    lists = current_app.extensions["kg92.lists"]
    return render_template("query.html", q=q, values=values, result=result, lang=_lang(), lists=lists)


@bp.get("/queries/<name>.<suffix>")
def page_twin(name: str, suffix: str) -> Response:
    q = _query(name)
    return _run(q, _bindings(q), _media(q, suffix))


@bp.get("/api/<name>")
def api(name: str) -> Response:
    q = _query(name)
    return _run(q, _bindings(q), _media(q, request.args.get("format")))


@bp.get("/api/openapi.json")
def openapi_json() -> Response:
    reg = current_app.extensions["kg92.queries"]
    return jsonify(openapi(list(reg.queries.values()), current_app.extensions["kg92.lists"], request.host_url))
