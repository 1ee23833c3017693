"""One error shape for the whole application, rendered as JSON, HTML or plain text by negotiation."""

from __future__ import annotations

import html
import logging

from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("kg92")


class ApiError(Exception):
    def __init__(self, status: int, title: str, detail: str = "", headers: dict[str, str] | None = None):
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.headers = status, title, detail, headers or {}


def bad_request(detail: str) -> ApiError:
    return ApiError(400, "Bad Request", detail)


def not_found(detail: str) -> ApiError:
    return ApiError(404, "Not Found", detail)


def not_acceptable(offered: list[str]) -> ApiError:
    return ApiError(406, "Not Acceptable", "offered media types: " + ", ".join(offered))


def forbidden(detail: str) -> ApiError:
    return ApiError(403, "Forbidden", detail)


def unsupported_media_type(detail: str) -> ApiError:
    return ApiError(415, "Unsupported Media Type", detail)


def server_fault(detail: str) -> ApiError:
    """A 500 whose cause was already logged (e.g. a query worker's traceback)."""
    return ApiError(500, "Internal Server Error", detail)


def payload_too_large(limit: int, what: str = "request body") -> ApiError:
    return ApiError(413, "Payload Too Large", f"the {what} exceeds the limit of {limit} bytes")


def service_unavailable(detail: str) -> ApiError:
    return ApiError(503, "Service Unavailable", detail)


def error_body(status: int, title: str, detail: str) -> dict:
    return {"error": {"status": status, "title": title, "detail": detail}}


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
    resp.headers["Vary"] = "Accept"
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
