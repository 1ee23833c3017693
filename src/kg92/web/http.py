"""HTTP helpers every blueprint uses, so that werkzeug does the HTTP: negotiation with the one rule (unknown
suffix → 404, nothing acceptable → 406 naming the offered media types), ``Vary`` added to (never overwritten),
ETags and conditional GET by ``set_etag`` + ``make_conditional`` (``If-None-Match`` with several tags or ``*``),
and CORS for the machine endpoints (/sparql, VoID, dumps)."""

from __future__ import annotations

from flask import Response, current_app, request
from werkzeug.http import is_resource_modified

from kg92.errors import not_acceptable, not_found
from kg92.formats import Format, NotAcceptable, UnknownSuffix
from kg92.formats import negotiate as _negotiate
from kg92.web.resources import resources

CORS_EXPOSED = "ETag, X-KG92-Rows, X-KG92-Truncated, X-KG92-Max-Rows"
CORS_HEADERS = "Accept, Accept-Language, Content-Type, If-None-Match, Cache-Control, X-Requested-With"


def negotiate(kind: str, suffix: str | None = None, fmt: str | None = None) -> Format:
    """The format of this request's answer for a result of ``kind`` (see :func:`kg92.formats.negotiate`)."""
    try:
        return _negotiate(kind, request.accept_mimetypes, suffix, fmt)
    except UnknownSuffix as exc:
        raise not_found(f"no representation with the suffix .{suffix} (unknown format)") from exc
    except NotAcceptable as exc:
        raise not_acceptable(exc.offered) from exc


def vary(resp: Response, *headers: str) -> Response:
    """Add request headers to ``Vary`` (what is there already stays)."""
    for name in headers:
        resp.vary.add(name)
    return resp


def _value(etag: str) -> str:
    return etag[1:-1] if etag.startswith('"') and etag.endswith('"') else etag


def not_modified(etag: str) -> bool:
    """Whether this GET/HEAD's ``If-None-Match`` matches ``etag`` (a quoted strong tag; ``*`` matches), checked
    before the answer is computed."""
    return request.method in ("GET", "HEAD") and not is_resource_modified(request.environ, etag=_value(etag))


def cacheable(resp: Response, etag: str) -> Response:
    """The ETag (strong), ``Cache-Control: public, max-age`` and ``Vary: Accept``; a 304 when ``If-None-Match``
    matches (werkzeug's ``make_conditional``)."""
    resp.set_etag(_value(etag))
    resp.headers["Cache-Control"] = f"public, max-age={resources(current_app).settings['http_max_age']}"
    vary(resp, "Accept")
    return resp.make_conditional(request)


def cors(resp: Response) -> Response:
    """Any origin may GET and POST (no credentials); preflights are answered by Flask's automatic OPTIONS."""
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED
    if request.method == "OPTIONS":
        resp.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        resp.headers["Access-Control-Allow-Headers"] = request.headers.get("Access-Control-Request-Headers", CORS_HEADERS)
        resp.headers["Access-Control-Max-Age"] = "86400"
    return resp
