"""The application's error handlers: every ``ApiError``, HTTP exception and unhandled fault rendered in the one
error shape, as JSON, HTML or plain text by negotiation."""

from __future__ import annotations

import html
import logging

from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException

from kg92.errors import ApiError, error_body

log = logging.getLogger("kg92")


def render(err: ApiError) -> Response:
    best = request.accept_mimetypes.best_match(["application/json", "text/html", "text/plain"], default="application/json")
    # a client that asked for SPARQL results or RDF gets JSON errors; browsers get HTML
    if best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]:
        body = (f"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{err.status} {html.escape(err.title)}</title>"
                f"<link rel=\"stylesheet\" href=\"/static/kg92.css\"></head><body><main><h1>{err.status} {html.escape(err.title)}</h1>"
                f"<pre class=\"error\">{html.escape(err.detail)}</pre><p><a href=\"/\">kg92</a></p></main></body></html>")
        resp = Response(body, err.status, mimetype="text/html")
    elif best == "text/plain" and request.accept_mimetypes["text/plain"] > request.accept_mimetypes["application/json"]:
        resp = Response(f"{err.status} {err.title}\n{err.detail}\n", err.status, mimetype="text/plain")
    else:
        resp = Response(json.dumps(error_body(err.status, err.title, err.detail), ensure_ascii=False), err.status,
                        mimetype="application/json")
    resp.vary.add("Accept")
    for k, v in err.headers.items():
        resp.headers[k] = v
    return resp


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
