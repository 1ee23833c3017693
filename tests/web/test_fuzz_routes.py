"""Route fuzzing (issue 12): a few thousand generated requests over every route of the app, no 5xx.

Seeded and bounded (the same requests on every run, a few seconds through the test client): the routes come from
``app.url_map``, each argument is filled with a real value, a hostile fragment or a mix, followed by a random
suffix; the query string, ``Accept`` and ``Accept-Language`` are drawn from hostile tables too. A failure prints
the request to replay.
"""

from __future__ import annotations

import random
import re

import pytest

SEED, REQUESTS = 12, 3000
REAL = ["scheme/rsa", "actor/ps", "vocab", "doc-002", "kg.trig", "SHA256SUMS", "kg92.css", "ttl", "json", "csv",
        "figures-about", "actor-relations", "stance-matrix", "yasgui.min.js", "", "a", "x/y/z"]
HOSTILE = ['"', "<", ">", "{", "}", "\\", "%", "%zz", "%u0041", "%c0%ae", "%00", "%0a", "%0d%0a", "%20", " ", "%7F",
           "%ff%fe", "%e2%80%ae", "..", "../..", "%2e%2e%2f", "%2F", "//", "#", "?", "é", "%C3%A9", "\u202e", "'", "`",
           "$(id)", "<script>alert(1)</script>", "javascript:alert(1)", "http://evil.example/", "*", "|", "^", "~",
           "\t", "%09", "%E0%A4%A", "%%", "x" * 300, "😀", "%F0%9F%98%80", "%ed%a0%80", "a.b.c", ".ttl", ".json.csv"]
SUFFIXES = ["", ".ttl", ".jsonld", ".nt", ".rdf", ".html", ".json", ".csv", ".txt", ".xml", ".", ".%00", ".TTL", "/"]
PARAMS = ["query", "q", "lang", "format", "iri", "file", "limit", "offset", "default-graph-uri", "named-graph-uri",
          "group", "scheme", "question", "undated", "ask", "actor", "x", "%", "query[]", ""]
VALUES = ["", "en", "fr", "xx", "json", "ttl", "-1", "0", "99999999999999999999", "1e9", "NaN", "true", "ASK{?s?p?o}",
          "SELECT * WHERE {", "https://w3id.org/kg92/id/scheme/rsa", "urn:x", "{", "%", "%zz", "%c0%ae", "%00",
          "<script>", "\"'", "data/ttl/vocab.ttl", "../../etc/passwd", "é", "x" * 2000, "https://w3id.org/kg92/id/%zz",
          "https://w3id.org/kg92/id/a%", "http://x/%u0041", "2021-02-30", "+1", "9" * 30]
ACCEPT = [None, "*/*", "text/html", "application/json", "text/turtle", "application/sparql-results+json", "text/csv",
          "image/png", "text/*;q=0.1, */*;q=0", "application/ld+json;q=abc", ";;;", "text/html;q=2", "\u00e9/\u00e9",
          "application/rdf+xml, text/plain;q=0.5", "text/plain"]
LANGS = [None, "en", "fr", "de", "en-GB,fr;q=0.5", "*", ";q=", "zz-" + "x" * 100, "é"]


def _fill(rng: random.Random) -> str:
    parts = [rng.choice(REAL if rng.random() < 0.4 else HOSTILE) for _ in range(rng.randint(1, 3))]
    raw = rng.choice(["", "/"]).join(parts) + rng.choice(SUFFIXES)
    return raw.replace("?", "%3F").replace("#", "%23")   # as a client sends them in a path


def _route(rule: str, rng: random.Random) -> str:
    return re.sub(r"<(?:[a-z]+:)?[a-z_]+>", lambda _: _fill(rng), rule)


def _query(rng: random.Random, params: list[str]) -> str:
    pairs = [f"{rng.choice(params)}={rng.choice(VALUES if rng.random() < 0.6 else HOSTILE)}"
             for _ in range(rng.randint(0, 3))]
    return "&".join(pairs)


def generated(app, n: int = REQUESTS, seed: int = SEED) -> list[tuple[str, str, str, dict]]:
    """(method, path, query string, headers) of ``n`` requests, the same for a given seed."""
    rng = random.Random(seed)
    rules = sorted((r.rule, sorted(r.methods - {"OPTIONS"})) for r in app.url_map.iter_rules())
    canned = sorted({p.name for q in app.extensions["kg92.queries"].queries.values() for p in q.params})
    params = PARAMS + canned   # the canned queries' own parameters too
    out = []
    for i in range(n):
        rule, methods = rules[i % len(rules)]
        headers = {k: v for k, v in (("Accept", rng.choice(ACCEPT)), ("Accept-Language", rng.choice(LANGS))) if v}
        out.append((rng.choice(methods), _route(rule, rng), _query(rng, params), headers))
    return out


def test_the_generator_covers_every_route_and_is_reproducible(real_app):
    first = generated(real_app, 200)
    assert first == generated(real_app, 200)
    static = {r.rule for r in real_app.url_map.iter_rules() if not r.arguments}
    assert len(static) >= 15 and static <= {path for _, path, _, _ in first}


@pytest.mark.parametrize("chunk", range(4))
def test_no_generated_request_gets_a_5xx(real_app, chunk):
    client = real_app.test_client()
    requests = generated(real_app)[chunk::4]
    failures = []
    for method, path, query, headers in requests:
        resp = client.open(path, method=method, query_string=query, headers=headers)
        if resp.status_code >= 500:
            failures.append(f"{method} {path}?{query} {headers} → {resp.status_code} {resp.get_data(as_text=True)[:300]}")
    assert failures == [], f"{len(failures)} of {len(requests)} requests got a 5xx:\n" + "\n".join(failures[:20])
