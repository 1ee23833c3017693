"""Two servers over one build answer byte for byte the same, with the same ETags (issue 15: several kg92 servers
behind one load balancer or one shared cache). Each is a real `kg92 serve`, one under granian (its default server),
one under gunicorn, each with its own hash seed, so nothing may depend on a process or on the HTTP server: not a
random blank node, not the iteration order of a set."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

import requests
from support import ROOT, served

from kg92.queries.registry import Registry

SRJ = "application/sparql-results+json"
PUBLIC = "https://kg92.example.org"
# (path, Accept): the machine endpoints, the pages with an RDF or table twin, the canned queries' API
REQUESTS = [
    ("/sparql", "text/turtle"),                                  # the service description
    ("/.well-known/void", "text/turtle"),
    ("/.well-known/void", "application/ld+json"),
    ("/sparql?query=SELECT%20%3Fc%20(COUNT(%3Fs)%20AS%20%3Fn)%20WHERE%20%7B%3Fs%20a%20%3Fc%7D%20GROUP%20BY%20%3Fc"
     "%20ORDER%20BY%20%3Fc", SRJ),
    ("/api/schemes-cited-by-every-group", SRJ),
    ("/api/openapi.json", "application/json"),
    ("/queries.json", "application/json"),
    ("/id/scheme/rsa", "text/turtle"),
    ("/id/scheme/rsa", "text/html"),
    ("/id/actor/departement-92", "application/ld+json"),
    ("/compare/stances.json", "application/json"),
    ("/compare/citations.csv", "text/csv"),
    ("/search.json?q=logement", "application/json"),
    ("/ontology.ttl", "text/turtle"),
    ("/dumps/index.json", "application/json"),
    ("/validation.json", "application/json"),
] + [   # every canned query with its example parameters (ties under ORDER BY must not reorder rows)
    (f"/api/{q.name}?{urlencode({k: v for k, v in q.example().items() if v})}",
     "application/n-triples" if q.form == "CONSTRUCT" else SRJ)
    for q in Registry.load(ROOT / "queries").queries.values()
]


def answers(base: str) -> list[tuple[int, str | None, str]]:
    out = []
    for path, accept in REQUESTS:
        resp = requests.get(base + path, headers={"Accept": accept}, timeout=30)
        out.append((resp.status_code, resp.headers.get("ETag"), hashlib.sha256(resp.content).hexdigest()))
    return out


def test_two_servers_over_one_build_give_the_same_bytes_and_etags():
    build = (ROOT / "build").resolve()
    # behind one load balancer the servers share one public URL (absolute URLs are written from it, not the port)
    with (served(build, env={"PYTHONHASHSEED": "1", "KG92_PUBLIC_URL": PUBLIC}) as one,
          served(build, env={"PYTHONHASHSEED": "2", "KG92_PUBLIC_URL": PUBLIC, "KG92_SERVER": "gunicorn"}) as two):
        first, second = answers(one), answers(two)
    assert [status for status, _, _ in first] == [200] * len(REQUESTS)
    differ = [(path, accept) for (path, accept), a, b in zip(REQUESTS, first, second, strict=True) if a != b]
    assert differ == []
    # the machine endpoints carry ETags: a shared cache may serve one server's answer for the other's
    assert all(etag for (path, _), (_, etag, _) in zip(REQUESTS, first, strict=True)
               if path.startswith(("/sparql", "/.well-known")))
