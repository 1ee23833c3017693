"""Blueprint: a browse page for every kind of resource under ``/id/`` (``/id/scheme/``, ``/id/actor/``,
``/id/statement/`` …), in the manner of Datasette's table view: the resources with their labels in the interface
language, counts, facets (each value a link that adds the filter; active filters removable), sort, paging, and
the same listing as JSON (``/id/scheme.json``) and CSV (``/id/scheme.csv``) or by ``Accept``.

``/id/`` (``/id.json``) lists the kinds, each with its class, count and facets.

Parameters: one per facet (``?theme=theme/insertion``; repeated or combined, every filter must hold), ``sort``
(``label``, ``-label``, ``mentions`` …, see web/listing.py), ``page`` (from 1) and ``size`` (1 to ``MAX_SIZE``).
Anything else, a value that is not an integer or out of range, or a filter value that is not an IRI/year → 400
naming the parameter; a page past the end is an empty page (200). The kinds and their facets are read from the
data once per application (web/facets.py); the listing is computed per request (web/listing.py).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, redirect, request

from kg92 import formats
from kg92.errors import bad_request, not_found
from kg92.web import http
from kg92.web.facets import BadValue, Facet, Kind, parse_value
from kg92.web.listing import KEYS, Listing, listing
from kg92.web.render import labels, page
from kg92.web.resources import resources

bp = Blueprint("browse", __name__)
SIZE, MAX_SIZE = 100, 500      # rows per page: the default and the cap
MAX_FILTERS = 12               # filter values in one request (each is one FILTER EXISTS)
MAX_PAGE = 10**9
FACET_SHOWN = 30               # values of a facet listed on the page; the others are behind a "more" disclosure
OWN = ("page", "size", "sort", "lang")
TWIN_TYPES = {"json": formats.JSON, "csv": formats.CSV.media_type}


def catalogue() -> dict:
    """{kind: (Kind, facets)} for this application's store, computed once (Resources.catalogue)."""
    return resources(current_app).catalogue


def kind_of(name: str) -> tuple[Kind, tuple[Facet, ...]]:
    known = catalogue()
    if name not in known:
        raise not_found(f"no resources under /id/{name}/: the browse pages are " + ", ".join(f"/id/{k}/" for k in known))
    return known[name]


def integer(name: str, default: int, low: int, high: int | None) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.strip().isdigit() or len(raw) > 12:
        raise bad_request(f"{name} must be an integer from {low}" + (f" to {high}" if high else "") + f", not {raw!r}")
    value = int(raw)
    if value < low or (high is not None and value > high):
        raise bad_request(f"{name} must be from {low}" + (f" to {high}" if high else "") + f", not {value}")
    return value


def sorts(facets: tuple[Facet, ...]) -> list[str]:
    names = {f.name for f in facets}
    keys = [k for k in KEYS if (k != "date" or "year" in names) and (k != "value" or "unit" in names)]
    return [s for k in keys for s in (k, "-" + k)]


def arguments(kind: Kind, facets: tuple[Facet, ...]) -> dict:
    """The request's parameters, checked: 400 for anything unknown, repeated, malformed or out of range."""
    by_name = {f.name: f for f in facets}
    for name in request.args:
        if name not in OWN and name not in by_name:
            raise bad_request(f"unknown parameter {name!r} for {kind.path}: its facets are {', '.join(by_name) or 'none'}; "
                              f"the other parameters {', '.join(OWN)}")
        if name in OWN and len(request.args.getlist(name)) > 1:
            raise bad_request(f"{name} is given more than once")
    filters = [(by_name[n], v) for n, v in request.args.items(multi=True) if n in by_name]
    if len(filters) > MAX_FILTERS:
        raise bad_request(f"at most {MAX_FILTERS} filters in one request, not {len(filters)}")
    try:
        terms = [(f, parse_value(f, v)) for f, v in filters]
    except BadValue as exc:
        raise bad_request(str(exc)) from exc
    sort = request.args.get("sort", "label")
    if sort not in sorts(facets):
        raise bad_request(f"sort must be one of {', '.join(sorts(facets))}, not {sort!r}")
    return {"filters": terms, "sort": sort, "page": integer("page", 1, 1, MAX_PAGE), "size": integer("size", SIZE, 1, MAX_SIZE)}


def link(path: str, drop: tuple[str, str] | None = None, add: tuple[str, str] | None = None, **change) -> str:
    """This request's URL on ``path`` with one filter dropped or added (back to page 1) or parameters changed."""
    args = [(k, v) for k, v in request.args.items(multi=True) if (k, v) != drop and k not in change]
    if drop or add:
        args = [(k, v) for k, v in args if k != "page"]
    args += [add] if add else []
    args += [(k, str(v)) for k, v in change.items() if v is not None]
    return path + ("?" + urlencode(args, safe="/:") if args else "")


def paging(lst: Listing, path: str) -> dict:
    prev = link(path, page=lst.page - 1) if 1 < lst.page <= lst.pages + 1 else None
    return {"next": link(path, page=lst.page + 1) if lst.page < lst.pages else None, "previous": prev}


def machine(lst: Listing, path: str) -> dict:
    """The JSON twin: the listing, with the links a client follows (paging, each facet value's filter)."""
    doc = lst.to_json() | paging(lst, path)
    for f in doc["facets"]:
        for v in f["values"]:
            v["href"] = link(path, drop=(f["name"], v["value"])) if v["active"] else link(path, add=(f["name"], v["value"]))
    for f in doc["filters"]:
        f["remove"] = link(path, drop=(f["facet"], f["value"]))
    return doc


def twins(name: str) -> list[tuple[str, str]]:
    """(suffix, URL) of the page's JSON and CSV twins, with this request's parameters."""
    return [(s, link(f"/id/{name}.{s}")) for s in TWIN_TYPES]


def answer(lst: Listing, media: str, name: str) -> Response:
    if media == "application/json":
        resp = jsonify(machine(lst, f"/id/{name}.json"))
    elif media == "text/csv":
        resp = Response(lst.to_csv(), content_type="text/csv; charset=utf-8")
        resp.headers["Content-Disposition"] = f'inline; filename="{name}-{lst.page}.csv"'
    else:
        resp = page("browse.html", L=lst, link=link, paging=paging(lst, lst.kind.path), sorts=sorts(lst.columns), shown=FACET_SHOWN,
                    sizes=(50, SIZE, MAX_SIZE), twins=twins(name))
    nav = paging(lst, request.path)
    links = [f'<{u}>; rel="{r}"' for r, u in (("next", nav["next"]), ("prev", nav["previous"])) if u]
    if media == formats.HTML:
        links += [f'<{u}>; rel="alternate"; type="{TWIN_TYPES[s]}"' for s, u in twins(name)]
    resp.headers["Link"] = ", ".join(links)
    resp.headers["X-Total-Count"] = str(lst.total)
    return http.vary(resp, "Accept", "Accept-Language", "Cookie")


def browse(name: str, suffix: str | None) -> Response:
    (kind, facets), media = kind_of(name), http.negotiate("table", suffix).media_type
    args, label = arguments(kind, facets), labels()
    lst = listing(resources(current_app).store, kind, facets, args["filters"], label, args["sort"], args["page"],
                  args["size"], label(kind.cls))
    return answer(lst, media, name)


def index(suffix: str | None) -> Response:
    """Every kind with its class, count and facets: the browse pages' table of contents."""
    media, label = http.negotiate("index", suffix).media_type, labels()
    kinds = [{"kind": k.name, "path": k.path, "class": {"iri": k.cls.value, "label": label(k.cls)}, "total": k.total,
              "facets": [f.name for f in facets], "json": f"/id/{k.name}.json", "csv": f"/id/{k.name}.csv"}
             for k, facets in catalogue().values()]
    resp = jsonify(kinds=kinds) if media == "application/json" else page("browse_index.html", kinds=kinds)
    return http.vary(resp, "Accept", "Accept-Language", "Cookie")


@bp.get("/id/", defaults={"suffix": None})
@bp.get("/id.<suffix>")
def kinds_index(suffix: str | None) -> Response:
    return index(suffix)


@bp.get("/id/<name>/")
def html_or_accept(name: str) -> Response:
    return browse(name, None)


@bp.get("/id/<name>.<suffix>")
def twin(name: str, suffix: str) -> Response:
    return browse(name, suffix)


@bp.get("/id/<name>")
def bare(name: str) -> Response:
    """``/id/scheme`` → ``/id/scheme/`` (the browse page); any other single segment is what linkeddata says of it."""
    if name in catalogue():
        return redirect(link(f"/id/{name}/"), 308)
    from kg92.web.linkeddata import resource
    return resource(name)
