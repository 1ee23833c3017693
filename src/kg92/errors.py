"""One error shape for the whole application (``ApiError`` and its constructors); web/errorpages.py renders it as
JSON, HTML or plain text by negotiation."""

from __future__ import annotations


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
