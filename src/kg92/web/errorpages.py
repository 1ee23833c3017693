"""The application's error handlers: every ``ApiError``, HTTP exception and unhandled fault rendered in the one
error shape, as JSON, HTML (templates/error.html, in the site's layout and language) or plain text by negotiation."""

from __future__ import annotations

import html
import logging

from flask import Flask, Response, g, json, render_template, request
from markupsafe import Markup
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import HTTPException

from kg92.errors import ApiError, error_body
from kg92.formats import JSON_DOC, NotAcceptable, choose
from kg92.web.i18n import pick_lang

log = logging.getLogger("kg92")


def _format() -> str:
    """The error body's media type: JSON, unless the client prefers HTML or plain text to JSON (strictly: a tie,
    a client that asked for SPARQL results or RDF, or an Accept nothing matches get JSON; browsers get HTML)."""
    # media type parameters (charset=…) do not lower a type's quality: the registry's rule (formats.choose)
    accept = MIMEAccept([(value.split(";", 1)[0].strip(), q) for value, q in request.accept_mimetypes])
    try:
        media = choose("error", accept).media_type
    except NotAcceptable:
        return JSON_DOC.media_type
    return media if media == JSON_DOC.media_type or accept[media] > accept[JSON_DOC.media_type] else JSON_DOC.media_type


def render(err: ApiError) -> Response:
    media = _format()
    if media == "text/html":
        resp = Response(_html(err), err.status, mimetype="text/html")
        resp.headers["Content-Language"] = g.get("lang", "fr")
        resp.vary.update(("Accept-Language", "Cookie"))
    elif media == "text/plain":
        resp = Response(f"{err.status} {err.title}\n{err.detail}\n", err.status, mimetype="text/plain")
    else:
        resp = Response(json.dumps(error_body(err.status, err.title, err.detail), ensure_ascii=False), err.status,
                        mimetype="application/json")
    resp.vary.add("Accept")
    for k, v in err.headers.items():
        resp.headers[k] = v
    return resp


def _html(err: ApiError) -> str:
    """The error page in the site's layout and the request's language (templates/error.html); the bare page when
    the layout itself cannot be rendered (the error may come from there)."""
    try:
        if "lang" not in g:
            g.lang = pick_lang()
        return render_template("error.html", err=err, detail=Markup(html.escape(err.detail)))   # escaped as before
    except Exception:   # noqa: BLE001 - an error page must never fail
        log.exception("the error page could not be rendered")
        return (f"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{err.status} {html.escape(err.title)}</title>"
                f"<link rel=\"stylesheet\" href=\"/static/kg92.css\"></head><body><main><h1>{err.status} {html.escape(err.title)}</h1>"
                f"<pre class=\"error\" tabindex=\"0\">{html.escape(err.detail)}</pre><p><a href=\"/\">kg92</a></p></main></body></html>")


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api(err: ApiError) -> Response:
        return render(err)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        headers = {}
        if exc.code == 405 and exc.valid_methods:
            headers["Allow"] = ", ".join(exc.valid_methods)
        return render(ApiError(exc.code or 500, exc.name, exc.description or "", headers))

    @app.errorhandler(Exception)
    def _fault(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render(ApiError(500, "Internal Server Error", "the server failed; the error was logged"))
