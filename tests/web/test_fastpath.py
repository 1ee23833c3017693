"""The fast path (web/fastpath.py): a repeated GET answered from memory before Flask routes it, byte for byte the
answer Flask gave, under every request input a view reads; what must not be kept is not kept."""

from __future__ import annotations

import re

import pytest
from support import real_build_app

from kg92.web.fastpath import FastPath, lang_cookie
from kg92.web.resources import engine

SRJ = "application/sparql-results+json"
ASK = "/sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D"
# (path, headers): pages, twins, the endpoint, canned queries, in several languages and formats
REQUESTS = [
    ("/", {}),
    ("/", {"Accept": "text/turtle"}),                      # a 303 to VoID: not kept, and not the HTML
    ("/id/scheme/rsa", {"Accept": "text/html"}),
    ("/id/scheme/rsa", {"Accept": "text/html", "Accept-Language": "en"}),
    ("/id/scheme/rsa", {"Accept": "text/html", "Cookie": "lang=en"}),
    ("/id/scheme/rsa", {"Accept": "text/turtle"}),
    ("/id/scheme/rsa.jsonld", {}),
    ("/compare/stances", {}),
    ("/compare/citations.csv", {}),
    ("/search?q=logement", {}),
    ("/search?q=logement&lang=en", {}),                    # sets the cookie: not kept
    (ASK, {"Accept": SRJ}),
    (ASK, {"Accept": "text/csv"}),
    ("/api/timeline", {"Accept": SRJ}),
    ("/.well-known/void", {"Accept": "text/turtle"}),
    ("/queries/timeline", {}),
    ("/no-such-page", {}),                                 # a 404: not kept
]


@pytest.fixture()
def apps():
    """The same build twice: with the fast path and without it (page_cache_entries = 0)."""
    fast, slow = real_build_app(), real_build_app(page_cache_entries=0)
    yield fast, slow
    for app in (fast, slow):
        engine(app).close()


def get(client, path: str, headers: dict[str, str]):
    return client.get(path, headers=headers)


def clients(*apps):
    """Test clients without a cookie jar: a Cookie header goes to the application as sent (a jar would replace it)."""
    return [app.test_client(use_cookies=False) for app in apps]


def answer(resp) -> tuple:
    """Status, headers and body; without what is dated when sent (Date, a cookie's Expires: a second may pass)."""
    headers = sorted((k, re.sub(r"Expires=[^;]*; ", "", v) if k == "Set-Cookie" else v)
                     for k, v in resp.headers if k not in ("X-KG92-Cache", "Date"))
    return resp.status_code, headers, resp.get_data()


def test_a_repeat_is_the_same_answer_as_flask_gives(apps):
    fast, slow = clients(*apps)
    for path, headers in REQUESTS:
        expected = answer(get(slow, path, headers))
        first, second = get(fast, path, headers), get(fast, path, headers)
        assert answer(first) == expected == answer(second), (path, headers)
        assert "X-KG92-Cache" not in first.headers, path
        kept = expected[0] == 200 and "lang=" not in path
        assert second.headers.get("X-KG92-Cache") == ("hit" if kept else None), (path, headers)


def test_the_inputs_of_a_view_are_in_the_key(apps):
    [fast] = clients(apps[0])
    fr = fast.get("/id/scheme/rsa", headers={"Accept": "text/html"})
    en = fast.get("/id/scheme/rsa", headers={"Accept": "text/html", "Accept-Language": "en"})
    cookie = get(fast, "/id/scheme/rsa", {"Accept": "text/html", "Cookie": "theme=dark; lang=en"})
    turtle = fast.get("/id/scheme/rsa", headers={"Accept": "text/turtle"})
    assert '<html lang="fr">' in fr.get_data(as_text=True) and '<html lang="en">' in en.get_data(as_text=True)
    assert cookie.get_data() == en.get_data() and cookie.headers.get("X-KG92-Cache") is None   # a key of its own
    assert turtle.mimetype == "text/turtle"
    assert get(fast, "/id/scheme/rsa", {"Accept": "text/html", "Cookie": "lang=en; x=1"}).headers[
        "X-KG92-Cache"] == "hit"                                 # only the lang cookie counts
    head = fast.head("/id/scheme/rsa", headers={"Accept": "text/html"})
    assert (head.status_code, head.get_data(), head.headers["X-KG92-Cache"]) == (200, b"", "hit")
    assert head.headers["Content-Length"] == str(len(fr.get_data()))


def test_conditional_and_operations_requests_go_to_flask():
    app = real_build_app(page_cache_max_bytes=8_000_000)    # keeps no answer over 1 MB
    fast = app.test_client()
    first = fast.get(ASK, headers={"Accept": SRJ})
    again = fast.get(ASK, headers={"Accept": SRJ, "If-None-Match": first.headers["ETag"]})
    assert (again.status_code, again.headers.get("X-KG92-Cache")) == (304, None)   # Flask's own 304
    for _ in range(2):
        health = fast.get("/-/health")
        assert health.status_code == 200 and "X-KG92-Cache" not in health.headers
    post = fast.post("/sparql", data={"query": "ASK{?s ?p ?o}"}, headers={"Accept": SRJ})
    assert post.status_code == 200 and "X-KG92-Cache" not in post.headers
    dump = fast.get("/dumps/kg.nq")                       # larger than an eighth of the budget: streamed, not kept
    assert dump.status_code == 200 and len(dump.get_data()) > 1_000_000
    assert "X-KG92-Cache" not in fast.get("/dumps/kg.nq").headers
    engine(app).close()


def test_bounded_by_its_budget_and_off_at_zero_entries():
    calls = []

    def app(environ, start_response):
        calls.append(environ["PATH_INFO"])
        body = environ["PATH_INFO"].encode() * 10
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]

    def get(wsgi, path):
        env = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": ""}
        return b"".join(wsgi(env, lambda status, headers, exc_info=None: None))

    fast = FastPath(app, entries=2, max_bytes=10_000)
    for path in ("/a", "/b", "/a", "/c", "/b"):
        assert get(fast, path) == path.encode() * 10
    assert calls == ["/a", "/b", "/c", "/b"]              # /a kept; /c evicts /b (least recently used)
    assert fast.cache.stats()["entries"] == 2
    off = FastPath(app, entries=0, max_bytes=10_000)
    calls.clear()
    get(off, "/a")
    get(off, "/a")
    assert calls == ["/a", "/a"]


@pytest.mark.parametrize(("header", "lang"), [("", ""), ("lang=en", "en"), ("a=1; lang=fr", "fr"),
                                              ("langue=x", ""), ('lang="en"', "en")])
def test_the_lang_cookie_of_a_request(header, lang):
    assert lang_cookie({"HTTP_COOKIE": header}) == lang
