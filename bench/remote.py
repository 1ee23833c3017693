#!/usr/bin/env python3
"""Benchmark: the remote store backend (store_url → `oxigraph serve`) against the embedded store, side by side in
one run, in process (Flask's test client), every cache off (``cache_entries = 0``, ``page_cache_entries = 0``) so
that every request reaches the backend: the per-request overhead of asking an engine over HTTP.

Prints, per request, the median ms of each backend over N runs (after one warm-up), interleaved (embedded, remote,
embedded …) so that the machine's load weighs on both alike, and the ratio remote / embedded.

    .venv/bin/python bench/remote.py [--runs 20] [--build-dir build]

Needs the `oxigraph` server (the test extra); it is started on 127.0.0.1 and a free port, loaded with
`kg92 publish`, and stopped at the end.
"""

from __future__ import annotations

import argparse
import io
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import requests

from kg92 import settings
from kg92.cli.publish import publish
from kg92.web.app import create_app
from kg92.web.resources import engine

ROOT = Path(__file__).resolve().parents[1]
SRJ = "application/sparql-results+json"
REQUESTS: list[tuple[str, str, dict[str, str]]] = [
    ("sparql ASK", "/sparql?query=" + quote("ASK { ?s ?p ?o }"), {"Accept": SRJ}),
    ("sparql SELECT … LIMIT 10", "/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 10"), {"Accept": SRJ}),
    ("sparql count-by-class", "/sparql?query=" + quote("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"),
     {"Accept": SRJ}),
    ("api schemes-cited-by-every-group", "/api/schemes-cited-by-every-group", {"Accept": SRJ}),
    ("api timeline", "/api/timeline", {"Accept": SRJ}),
    ("api stance-matrix", "/api/stance-matrix", {"Accept": SRJ}),
    ("api quote-search text=logement", "/api/quote-search?text=logement", {"Accept": SRJ}),
    ("scheme page (html)", "/id/scheme/rsa", {"Accept": "text/html"}),
    ("scheme page (turtle)", "/id/scheme/rsa", {"Accept": "text/turtle"}),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_oxigraph(location: str) -> tuple[subprocess.Popen, str]:
    exe = Path(sys.executable).with_name("oxigraph")
    port = free_port()
    proc = subprocess.Popen([str(exe), "serve", "--location", location, "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(300):
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=2)
            return proc, url
        except requests.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("oxigraph did not start")


def once(client, path: str, headers: dict[str, str]) -> float:
    t0 = time.perf_counter()
    resp = client.get(path, headers=headers)
    resp.get_data()
    assert resp.status_code == 200, (path, resp.status_code, resp.get_data(as_text=True)[:300])
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--build-dir", default=str(ROOT / "build"))
    args = ap.parse_args()
    no_cache = {"build_dir": args.build_dir, "root": str(ROOT), "cache_entries": 0, "page_cache_entries": 0,
                "query_timeout": 60.0, "query_heavy_workers": 0}   # time the answers, not the limits nor the nicing
    with tempfile.TemporaryDirectory() as location:
        proc, url = start_oxigraph(location)
        try:
            t0 = time.perf_counter()
            assert publish(settings.load({**no_cache, "store_url": url}), out=io.StringIO()) == 0
            print(f"kg92 publish into oxigraph serve: {time.perf_counter() - t0:.2f} s")
            apps = {"embedded": create_app(no_cache), "remote": create_app({**no_cache, "store_url": url})}
            clients = {k: a.test_client() for k, a in apps.items()}
            print(f"{'request':40} {'embedded ms':>12} {'remote ms':>10} {'ratio':>6}")
            for name, path, headers in REQUESTS:
                times: dict[str, list[float]] = {k: [] for k in clients}
                for c in clients.values():
                    once(c, path, headers)                   # warm-up: the engine's and the OS's caches
                for _ in range(args.runs):
                    for k, c in clients.items():
                        times[k].append(once(c, path, headers))
                emb, rem = (statistics.median(times[k]) for k in ("embedded", "remote"))
                print(f"{name:40} {emb:12.2f} {rem:10.2f} {rem / emb:6.2f}")
            for app in apps.values():
                engine(app).close()
        finally:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
