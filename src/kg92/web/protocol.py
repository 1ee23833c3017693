"""Blueprint: the SPARQL 1.1 Protocol at /sparql — query operation only; read-only, offline, time-limited.

GET ``?query=``, POST ``application/x-www-form-urlencoded`` and POST ``application/sparql-query``; the query exactly
once; ``default-graph-uri`` / ``named-graph-uri`` honoured (they replace the query's FROM / FROM NAMED); without
them the default graph is the union of all graphs and each source's named graph is available to GRAPH. A bare GET
answers the service description (RDF by negotiation) or the query form (browsers). SPARQL Update is refused on
every path (403), SERVICE before the query reaches pyoxigraph (403); queries run in worker processes that are
killed at ``query_timeout`` (503).

For other blueprints (the canned-query API /api/<name>), the same pool, cache and limits:

    run_query(app, text, default_graphs=None, named_graphs=None, substitutions=None, fmt=None, accept=None)
        -> querypool.Outcome (status 200: .media_type, .format, .body bytes, .kind, .rows, .truncated)
      text            SPARQL query text (checked by kg92.sparql.safety in the worker; max_query_length → 413)
      default_graphs  iterable of IRI strings, the protocol default graph; None: the query's FROM, else the union
      named_graphs    iterable of IRI strings, the protocol named graphs; None: the query's FROM NAMED, else all
      substitutions   {variable name or ox.Variable: pyoxigraph term}: bound with Store.query(substitutions=); a
                      substituted variable must be projected by a SELECT (pyoxigraph's rule, else 500)
      fmt             a format name or media type of formats.py (wins over accept); accept: an Accept header value
      raises errors.ApiError: 400 syntax/value/max_query_depth/max_query_patterns, 403 update/SERVICE, 406 format, 413 length, 503 timeout/busy, 500
    result_response(outcome, text="") -> flask.Response   (Content-Type, Vary, X-KG92-* headers; HTML rendered)
    answer(app, job, text="", lang=None) -> flask.Response   (make_job's job run, with its strong ETag: a GET or
                      HEAD whose If-None-Match matches is a 304 before the query runs; a POST gets no validator)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, request
from flask import g as request_globals
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from kg92.errors import (
    ApiError,
    bad_request,
    forbidden,
    not_acceptable,
    payload_too_large,
    server_fault,
    service_unavailable,
    unsupported_media_type,
)
from kg92.formats import FORMAT_NAMES
from kg92.sparql import safety
from kg92.sparql.engine import Engine
from kg92.sparql.job import Job, Outcome
from kg92.sparql.safety import READ_ONLY
from kg92.web import dataset as service
from kg92.web.http import cacheable, cors, not_modified, vary
from kg92.web.resources import engine, public_url, resources

log = logging.getLogger("kg92.sparql")
bp = Blueprint("protocol", __name__)
FORM, SPARQL_QUERY, SPARQL_UPDATE = "application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"
DATASET = ("default-graph-uri", "named-graph-uri")


@bp.record_once
def _engine(state) -> None:
    res = resources(state.app)
    state.app.extensions["kg92.sparql"] = Engine(res.settings, res.build)


def make_job(app: Flask, text: str, default_graphs: Iterable[str] | None = None, named_graphs: Iterable[str] | None = None,
             substitutions: Mapping[str, object] | None = None, fmt: str | None = None, accept: str | None = None,
             base_iri: str | None = None) -> Job:
    """Validate the inputs of a query (400/413 before any work) and make the worker's job."""
    limits = resources(app).settings
    if not text.strip():
        raise bad_request("the query is empty")
    if len(text) > limits["max_query_length"]:
        raise ApiError(413, "Payload Too Large", f"the query has {len(text)} characters; the limit is "
                                                 f"{limits['max_query_length']} (max_query_length)")
    too_big = safety.limit_error(text, limits["max_query_depth"], limits["max_query_patterns"])
    if too_big:
        raise bad_request(too_big)
    if fmt and fmt.strip().lower() not in FORMAT_NAMES:
        raise bad_request(f"unknown format {fmt!r}; one of: " + ", ".join(sorted(n for n in FORMAT_NAMES if "/" not in n)))
    graphs = [tuple(g) if g is not None else None for g in (default_graphs, named_graphs)]
    for iri in (g for part in graphs if part for g in part):
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise bad_request(f"invalid graph IRI {iri!r}: {exc}") from exc
    subs = tuple(sorted(((k.value if isinstance(k, ox.Variable) else k), v) for k, v in (substitutions or {}).items()))
    return Job(text, graphs[0], graphs[1], subs, accept, fmt, limits["max_rows"], base_iri)


def outcome_or_raise(outcome: Outcome) -> Outcome:
    if outcome.status == 200:
        return outcome
    if outcome.status == 406:
        raise not_acceptable(list(outcome.offered))
    if outcome.status == 403:
        raise forbidden(outcome.detail)
    if outcome.status == 503:
        raise service_unavailable(outcome.detail)
    if outcome.status >= 500:
        log.error("query failed: %s\n%s", outcome.detail, outcome.fault)
        raise server_fault(outcome.detail)
    raise bad_request(outcome.detail)


def run_query(app: Flask, text: str, default_graphs: Iterable[str] | None = None, named_graphs: Iterable[str] | None = None,
              substitutions: Mapping[str, object] | None = None, fmt: str | None = None, accept: str | None = None) -> Outcome:
    job = make_job(app, text, default_graphs, named_graphs, substitutions, fmt, accept)
    return outcome_or_raise(engine(app).run(job))


def result_response(outcome: Outcome, text: str = "") -> Response:
    if outcome.format == "html":
        data = json.loads(outcome.body) if outcome.kind != "graph" else outcome.body.decode("utf-8")
        resp = service.query_page(text, outcome, data)
    else:
        resp = Response(outcome.body, content_type=f"{outcome.media_type}; charset=utf-8")
    vary(resp, "Accept")
    if outcome.kind != "boolean":
        resp.headers["X-KG92-Rows"] = str(outcome.rows)
        resp.headers["X-KG92-Truncated"] = "true" if outcome.truncated else "false"
        resp.headers["X-KG92-Max-Rows"] = str(resources(current_app).settings["max_rows"])
    return resp


# --- the protocol ------------------------------------------------------------------------------------------------

def _params(raw: bytes, where: str) -> MultiDict:
    """Strictly decoded parameters: UTF-8 percent-encoding, '+' for space; anything else is a 400."""
    try:
        return MultiDict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict",
                                   max_num_fields=1000))
    except (UnicodeDecodeError, ValueError) as exc:
        raise bad_request(f"the {where} parameters are not valid UTF-8 percent-encoding: {exc}") from exc


def _body() -> bytes:
    limit = resources(current_app).settings["max_body_bytes"]
    if request.content_length is not None and request.content_length > limit:
        raise payload_too_large(limit)
    try:
        return request.get_data(cache=True)
    except RequestEntityTooLarge as exc:
        raise payload_too_large(limit) from exc


def _utf8_only() -> None:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise unsupported_media_type(f"charset {charset} is not supported: send the query as UTF-8")


def protocol_request() -> tuple[str | None, MultiDict]:
    """(query text or None for a bare request, all parameters) of a SPARQL Protocol query request."""
    params = _params(request.query_string, "URL")
    texts = params.getlist("query")
    if request.method == "POST":
        if request.mimetype not in (FORM, SPARQL_QUERY):
            raise unsupported_media_type(f"POST a query as {FORM} (query=…) or as {SPARQL_QUERY}; got "
                                         f"{request.mimetype or 'no Content-Type'}")
        _utf8_only()
        if request.mimetype == SPARQL_QUERY:
            try:
                texts = texts + [_body().decode("utf-8")]
            except UnicodeDecodeError as exc:
                raise bad_request(f"the query body is not valid UTF-8: {exc}") from exc
        else:
            form = _params(_body(), "form")
            params = MultiDict(list(params.items(multi=True)) + list(form.items(multi=True)))
            texts = params.getlist("query")
    if "update" in params:
        raise forbidden(READ_ONLY)
    if len(texts) > 1:
        raise bad_request("give the query exactly once: not several 'query' parameters, nor both in the URL and the body")
    if not texts and request.method != "POST" and set(params) <= {"format"}:
        return None, params
    if not texts:
        raise bad_request("missing 'query' parameter (GET ?query=…, POST form query=…, or POST application/sparql-query)")
    return texts[0], params


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> Response:
    text, params = protocol_request()
    if text is None:
        return service.describe_service(params.get("format"))
    dataset = [params.getlist(p) if any(q in params for q in DATASET) else None for p in DATASET]
    job = make_job(current_app, text, *dataset, fmt=params.get("format"), accept=request.headers.get("Accept"),
                   base_iri=public_url(current_app) + "/sparql")
    return answer(current_app, job, text, lang=request_globals.lang)   # an HTML page: one validator per language


def answer(app: Flask, job: Job, text: str = "", lang: str | None = None) -> Response:
    """The job's answer with its strong ETag (Engine.etag: the build and the negotiated request); a GET or HEAD
    whose If-None-Match matches is a 304 before the query runs; a POST's answer carries no validator."""
    eng = engine(app)
    etag = eng.etag(job, lang=lang)
    if not_modified(etag):          # before the query runs
        return cacheable(Response(status=304), etag)
    resp = result_response(outcome_or_raise(eng.run(job)), text)
    return cacheable(resp, etag) if request.method != "POST" else resp


@bp.before_app_request
def refuse_updates() -> None:
    """SPARQL Update is refused on every path, before any view runs."""
    if request.mimetype == SPARQL_UPDATE:
        raise forbidden(READ_ONLY)
    if "update" in request.args and request.path.startswith("/sparql"):
        raise forbidden(READ_ONLY)
    if request.method == "POST" and request.mimetype == FORM:
        _body()          # size-checked and cached: parsing the form alone would consume it before the view
        if "update" in request.form:
            raise forbidden(READ_ONLY)


@bp.after_request
def _cors(resp: Response) -> Response:
    return cors(resp)
