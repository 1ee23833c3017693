"""Security headers (issue 12, item 8): CSP, nosniff and no framing on every response of every route family."""

from __future__ import annotations

import pytest

from kg92.web.headers import CSP, EDITOR_CSP

STRICT = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
COMMON = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
          "Cross-Origin-Opener-Policy": "same-origin"}
ROUTES = [   # (method, path, Accept, expected status): one or more per blueprint, errors included
    ("GET", "/", "text/html", 200), ("GET", "/search?q=rsa", "text/html", 200), ("GET", "/search.json?q=rsa", None, 200),
    ("GET", "/compare/stances", "text/html", 200), ("GET", "/compare/citations.csv", None, 200),
    ("GET", "/validation", "text/html", 200), ("GET", "/validation.ttl", None, 200),
    ("GET", "/id/scheme/rsa", "text/html", 200), ("GET", "/id/scheme/rsa.ttl", None, 200),
    ("GET", "/id/scheme/rsa", "text/turtle", 200), ("GET", "/graph/vocab", "text/html", 200),
    ("GET", "/context.jsonld", None, 200), ("GET", "/def", None, 303), ("GET", "/-/resolve?iri=https://w3id.org/kg92/id/scheme/rsa", None, 303),
    ("GET", "/ontology", "text/html", 200), ("GET", "/ontology/howto", "text/html", 200), ("GET", "/ontology.ttl", None, 200),
    ("GET", "/queries", "text/html", 200), ("GET", "/queries/figures-about", "text/html", 200),
    ("GET", "/api/openapi.json", None, 200), ("GET", "/sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D", "application/sparql-results+json", 200),
    ("GET", "/sparql", "text/html", 200), ("GET", "/.well-known/void", "text/turtle", 200), ("GET", "/dumps/", "text/html", 200),
    ("GET", "/dumps/SHA256SUMS", None, 200), ("GET", "/-/health", None, 200), ("GET", "/-/about.json", None, 200),
    ("GET", "/static/kg92.css", None, 200), ("GET", "/ui/yasgui.min.js", None, 200),
    ("GET", "/id/no-such-thing", "text/html", 404), ("GET", "/id/%7Bx%7D", "application/json", 404),
    ("GET", "/id/scheme/rsa", "image/png", 406), ("GET", "/validate", None, 405), ("POST", "/validate", None, 400),
    ("GET", "/nowhere", "text/html", 404),
]


def test_the_policy_is_this_server_only_and_never_inline_scripts():
    assert CSP == STRICT
    assert EDITOR_CSP == STRICT.replace("style-src 'self'",
                                        "style-src 'self' 'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='")


@pytest.mark.parametrize("method, path, accept, status", ROUTES)
def test_every_route_family_sends_the_security_headers(client, method, path, accept, status):
    resp = client.open(path, method=method, headers={"Accept": accept} if accept else {})
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    assert {k: resp.headers.get(k) for k in ("Content-Security-Policy", *COMMON)} == {"Content-Security-Policy": STRICT,
                                                                                     **COMMON}


def test_the_editor_alone_allows_yasgui_s_one_style_element(client):
    resp = client.get("/editor", headers={"Accept": "text/html"})
    assert resp.status_code == 200
    assert resp.headers["Content-Security-Policy"] == EDITOR_CSP and "unsafe" not in EDITOR_CSP
    assert {k: resp.headers.get(k) for k in COMMON} == COMMON
