"""Blueprint: the canned-query library — /queries (index), /queries/<name> (form, results, SPARQL),
/queries/<name>.rq (the SPARQL text with its parameters bound), /api/<name> (typed REST API), /api/openapi.json.

Bound text (``/queries/<name>.rq``, ``example_sparql`` in ``/queries.json``, used by the editor's gallery). The
server runs a canned query bound as its ``#+ binding:`` header says (``Registry.bound``: pyoxigraph substitutions
or one VALUES block), a paged query with its ``LIMIT`` / ``OFFSET``: each parameter is bound for the whole
outermost group pattern. The editor needs the same query as plain SPARQL, so the values go into ONE block
``VALUES (?p1 ?p2) { (v1 v2) }`` placed as the FIRST element of the outermost group (right after the ``{`` that
opens the WHERE clause):

* a VALUES block inside the group joins with the whole pattern before FILTER, GROUP BY, HAVING and the select
  expressions are evaluated, so ``HAVING (COUNT(…) >= ?min)`` or ``FILTER (… ?from …)`` see the value, as with the
  server's substitution (a trailing VALUES clause is joined *after* HAVING and the select expressions: wrong
  results; one VALUES clause per parameter is not even valid SPARQL);
* the values are the registry's typed and checked terms (``bind_value``: http(s) IRI, integer, date, string),
  written by pyoxigraph's ``str()`` (``<iri>``, ``"text"`` with its escapes, ``"2019-01-01"^^<…#date>``): the
  request's text is never pasted into the query;
* a parameter without value nor default is left out, unbound, as on the server;
* the result is parsed again; when the group cannot be found or the text does not parse, there is no bound text
  (None) and the editor opens the query's own page instead, which runs it server-side.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, jsonify, request

from kg92 import urls
from kg92.errors import bad_request, not_found
from kg92.formats import CANNED_GRAPH, CANNED_SOLUTIONS
from kg92.queries.binding import Param, ParamError, values_block, where_group
from kg92.queries.openapi import openapi
from kg92.queries.registry import CannedQuery, paged
from kg92.web.http import negotiate
from kg92.web.labels import Labels, fold, slug
from kg92.web.render import labels
from kg92.web.render import (
    page as site_page,  # the site's pages: language picked by i18n (?lang=, cookie, Accept-Language)
)
from kg92.web.resources import example_sparql as example_memo
from kg92.web.resources import members, public_url, registry, resources

bp = Blueprint("canned", __name__)
# suffix → media type of a canned query's results (from the one format registry)
SOLUTION_TYPES = {f.key: f.media_type for f in CANNED_SOLUTIONS}
GRAPH_TYPES = {f.key: f.media_type for f in CANNED_GRAPH}


@bp.app_template_filter("iri_href")
def iri_href(iri: str) -> str | None:
    """A result IRI's link: its local page for ours, the IRI itself for other http(s) IRIs, none for the rest
    (``urn:``, ``mailto:``, ``javascript:``… are shown as text, never linked)."""
    return urls.href(iri)


# ---------------------------------------------------------------- the SPARQL text with its parameters bound

def bind_text(q: CannedQuery, bindings: dict) -> str | None:
    """``q``'s SPARQL with ``bindings`` (typed terms from the registry) in a VALUES block at the top of its WHERE
    group (at its end if the query BINDs a parameter itself, which a VALUES before it would forbid); the text
    itself when nothing is bound; None when neither can be done safely (see the module docs)."""
    bindings, page = paged(bindings)    # a paged query's LIMIT / OFFSET end the text
    if not bindings:
        return q.sparql + page
    span = where_group(q.sparql)
    if span is None:
        return None
    block = f"{values_block(bindings)}   # parameters / paramètres\n"
    for at, text in ((span[0], f"\n  {block}"), (span[1], f"  {block}")):
        bound = q.sparql[:at] + text + q.sparql[at:] + page
        try:
            ox.Store().query(bound)     # parses (and runs on an empty store): the block landed in a group pattern
        except (SyntaxError, RuntimeError, ValueError):
            continue
        return bound
    return None


def example_sparql(q: CannedQuery, lang: str = "fr") -> str | None:
    """The ready-to-run text of ``q`` with its example values (defaults for the other parameters; a ``lang``
    parameter gets ``lang``, the interface language). It depends only on the registry, the lists and ``lang``,
    fixed for the application's life: computed once per query and language, not per request."""
    memo = example_memo(current_app)
    with resources(current_app).lock:
        if (q.name, lang) not in memo:
            reg = registry(current_app)
            given = {**q.example(), **{p.name: lang for p in q.params if p.type == "lang"}}
            try:
                memo[q.name, lang] = bind_text(q, reg.bindings(q, given, members(current_app)))
            except ParamError:
                memo[q.name, lang] = None
        return memo[q.name, lang]


def gallery() -> list[dict]:
    """Every canned query as in /queries.json, with ``example_sparql`` (ready to run, example values bound) and
    ``example_url`` (its page with the example values: it runs the query server-side)."""
    out = []
    for q in registry(current_app).queries.values():
        example = {k: v for k, v in q.example().items() if v}
        out.append({**q.to_json(), "example_sparql": example_sparql(q, g.get("lang", "fr")),
                    "example_url": f"/queries/{q.name}" + ("?" + urlencode(example) if example else "")})
    return out


# ---------------------------------------------------------------- the form, in the page's language

def param_help(p: Param, lang: str) -> str:
    """A parameter's help in ``lang``: the registry writes it "français / English" (one ``" / "``); any other
    text is shown as written."""
    parts = p.help.split(" / ")
    if len(parts) != 2 or not all(x.strip() for x in parts):
        return p.help
    return parts[1 if lang == "en" else 0].strip()


def param_options(q: CannedQuery, label: Labels) -> dict[str, list[tuple[str, str]]]:
    """(value, text) of every option of each list parameter: the value is the IRI the query is run with, the text
    its label in the page's language (a document's number first), sorted by that text (accents and case folded)."""
    lists = members(current_app)
    out = {}
    for p in q.params:
        if p.list:
            options = []
            for iri in lists.get(p.list, ()):
                text = label.name(iri) or slug(iri)
                options.append((iri, f"{slug(iri)} — {text}" if p.list == "document" else text))
            out[p.name] = sorted(options, key=lambda o: (fold(o[1])[0], o[0]))
    return out


# ---------------------------------------------------------------- routes

def _query(name: str) -> CannedQuery:
    q = registry(current_app).get(name)
    if q is None:
        raise not_found(f"no canned query named {name!r}; see /queries")
    return q


def _bindings(q: CannedQuery, lang: str | None = None) -> dict:
    """The typed bindings of this request. ``?lang=`` is the site's language parameter: it also binds a query's
    ``lang`` parameter (the labels' language), as does ``lang`` (the interface language of a page)."""
    given = {k: v for k, v in request.args.items() if k not in ("lang", "format")}
    if lang or request.args.get("lang"):
        given.update({p.name: lang or request.args["lang"] for p in q.params if p.type == "lang"})
    try:
        return registry(current_app).bindings(q, given, members(current_app))
    except ParamError as exc:
        raise bad_request(str(exc)) from exc


def _media(q: CannedQuery, suffix: str | None) -> str:
    return negotiate("canned-graph" if q.form == "CONSTRUCT" else "canned-solutions", suffix).media_type


def _run(q: CannedQuery, bindings: dict, media: str, conditional: bool = True) -> Response:
    """Through the SPARQL endpoint's worker pool: the same timeout, row limit, cache, headers and ETag (a 304 for a
    matching If-None-Match, before the query runs) as /sparql; ``conditional=False``: the rows for a page of ours,
    whatever the request's validators."""
    from kg92.web.protocol import answer, make_job, result_response, run_query
    text, substitutions = registry(current_app).bound(q, bindings)    # as its `#+ binding:` header says
    if not conditional:
        return result_response(run_query(current_app, text, substitutions=substitutions, fmt=media))
    return answer(current_app, make_job(current_app, text, substitutions=substitutions, fmt=media))


@bp.get("/queries")
def index() -> Response:
    reg = registry(current_app)
    return site_page("queries.html", queries=list(reg.queries.values()))


@bp.get("/queries.json")
def index_json() -> Response:
    return jsonify(queries=gallery())


@bp.get("/queries/<name>")
def page(name: str) -> Response:
    q = _query(name)
    values = {p.name: g.lang if p.type == "lang" else request.args.get(p.name, p.default or "") for p in q.params}
    bindings = _bindings(q, g.lang)   # the labels in the page's language
    result = None
    if q.form != "CONSTRUCT":
        resp = _run(q, bindings, SOLUTION_TYPES["json"], conditional=False)
        result = resp.get_json() if resp.status_code == 200 else None
    label = labels()
    args = urlencode([(k, v) for k, v in request.args.items() if k not in ("lang", "format")]
                     + [("lang", g.lang) for p in q.params if p.type == "lang"])   # the downloads in that language
    return site_page("query.html", cq=q, values=values, result=result, options=param_options(q, label), label=label,
                     help={p.name: param_help(p, g.lang) for p in q.params}, bound=bind_text(q, bindings), args=args)


@bp.get("/queries/<name>.<suffix>")
def page_twin(name: str, suffix: str) -> Response:
    q = _query(name)
    if suffix == "rq":   # the SPARQL text with this request's parameters bound: for the editor or any client
        text = bind_text(q, _bindings(q))
        if text is None:
            raise bad_request(f"{name}: these parameters cannot be written into the query text; "
                              f"run it with /queries/{name}.json instead")
        return Response(text, content_type="application/sparql-query; charset=utf-8")
    return _run(q, _bindings(q), _media(q, suffix))


@bp.get("/api/<name>")
def api(name: str) -> Response:
    q = _query(name)
    return _run(q, _bindings(q), _media(q, request.args.get("format")))


@bp.get("/api/openapi.json")
def openapi_json() -> Response:
    reg = registry(current_app)
    return jsonify(openapi(list(reg.queries.values()), members(current_app), public_url(current_app)))
