"""The fast path for repeats: a WSGI layer in front of Flask that answers a repeated GET from memory, before any
routing, negotiation or rendering (issue 15).

An application serves one build, and nothing a request can do changes it: the same request gets the same
answer for the life of the process. So a successful answer is kept, whole (status, headers, body), under every
request input a view reads: the method, the path and the query string, the ``Accept``, ``Accept-Encoding`` and
``Accept-Language`` headers, the ``lang`` cookie, and the ``Host`` when ``trust_host_header`` lets it into
absolute URLs. More inputs than any one answer depends on, never fewer: two spellings of one ``Accept`` are two
entries, never one wrong answer.

What is never kept: anything but a GET (HEAD is answered from the GET's entry, without a body), an answer that is
not a 200, that sets a cookie, says ``no-store``, or has no ``Content-Length`` or a large one (a dump streams
from its file); the operations routes (``/-/``: health and freshness change while the process runs); a
conditional or partial request (``If-None-Match``, ``If-Modified-Since``, ``Range``…), which goes to Flask, whose
views answer 304 and ranges themselves. Bounded by ``page_cache_entries`` and ``page_cache_max_bytes`` (an LRU,
kg92.sparql.cache); 0 entries turns it off. ``X-KG92-Cache: hit`` marks an answer given from memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.http import parse_cookie

from kg92.sparql.cache import ResponseCache

BYPASS_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE",
                  "HTTP_IF_RANGE", "HTTP_RANGE", "HTTP_AUTHORIZATION")
UNCACHED_PREFIXES = ("/-/",)
HIT = ("X-KG92-Cache", "hit")


def lang_cookie(environ: dict[str, Any]) -> str:
    """The ``lang`` cookie of the request, the only cookie a view reads, parsed as Flask parses it ("" without it)."""
    raw = environ.get("HTTP_COOKIE", "")
    return parse_cookie(raw).get("lang", "") if "lang" in raw else ""


class FastPath:
    """WSGI middleware: ``app.wsgi_app = FastPath(app.wsgi_app, entries, max_bytes, key_host)``."""

    def __init__(self, wsgi: Callable, entries: int, max_bytes: int, key_host: bool = False):
        self.wsgi, self.key_host = wsgi, key_host
        self.cache = ResponseCache(entries, max_bytes)
        self.largest = self.cache.max_bytes // 8     # the LRU keeps no body over an eighth of its budget

    def key(self, environ: dict[str, Any]) -> tuple | None:
        """The entry of this request, or None when it must go to Flask (spelt out, without generators: it runs on
        every request; a whole hit costs about 1.3 µs in a loop over the WSGI callable, 2.0 µs before)."""
        method = environ.get("REQUEST_METHOD")
        if not self.cache.entries or (method != "GET" and method != "HEAD"):
            return None
        path = environ.get("PATH_INFO", "")
        if path.startswith(UNCACHED_PREFIXES):
            return None
        for header in BYPASS_HEADERS:
            if header in environ:
                return None
        get = environ.get
        return (get("SCRIPT_NAME", ""), path, get("QUERY_STRING", ""), get("HTTP_ACCEPT", ""),
                get("HTTP_ACCEPT_ENCODING", ""), get("HTTP_ACCEPT_LANGUAGE", ""),
                lang_cookie(environ) if "HTTP_COOKIE" in environ else "", get("HTTP_HOST", "") if self.key_host else "")

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        key = self.key(environ)
        if key is None:
            return self.wsgi(environ, start_response)
        hit = self.cache.get(key)
        if hit is not None:
            status, headers, body = hit       # headers: a tuple that ends with X-KG92-Cache: hit
            start_response(status, list(headers))
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        if environ["REQUEST_METHOD"] == "HEAD":     # no body to keep: Flask answers, the GET fills the entry
            return self.wsgi(environ, start_response)
        return self._miss(key, environ, start_response)

    def _miss(self, key: tuple, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info=None):
            seen.update(status=status, headers=list(headers), keep=exc_info is None and self._keepable(status, headers))
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        body = self.wsgi(environ, capture)
        if not seen.get("keep"):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        if len(data) == int(dict((k.lower(), v) for k, v in seen["headers"])["content-length"]):
            # without its Date: the server dates each answer when it sends it (a stored one would look stale)
            kept = (*((k, v) for k, v in seen["headers"] if k.lower() != "date"), HIT)
            self.cache.put(key, (seen["status"], kept, data), len(data))
        return [data]

    def _keepable(self, status: str, headers: list[tuple[str, str]]) -> bool:
        if not status.startswith("200 "):
            return False
        named = {k.lower(): v for k, v in headers}
        if "set-cookie" in named or "no-store" in named.get("cache-control", ""):
            return False
        try:
            return 0 <= int(named["content-length"]) <= self.largest
        except (KeyError, ValueError):
            return False
