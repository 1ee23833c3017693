#!/usr/bin/env python3
"""Benchmark: the site's pages and machine endpoints through the app, in process (Flask's test client: routing,
negotiation, the store, rendering and serialisation; no HTTP, no gunicorn).

Prints, per request, the median and the 90th percentile in ms over N runs after one warm-up (the warm-up fills the
per-application caches: the search index, the statistics, the SPARQL response cache). A benchmark, not a test:
figures depend on the machine; compare two trees side by side in one session.

    .venv/bin/python bench/pages.py [--runs 30] [--build-dir build] [--only search] [--no-fast-path]

With the fast path (web/fastpath.py, on by default) a repeat is answered from memory before Flask; with
--no-fast-path every request is routed, negotiated and rendered.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kg92.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
SRJ = "application/sparql-results+json"
REQUESTS: list[tuple[str, str, dict[str, str]]] = [   # (name, path, headers)
    ("home", "/", {}),
    ("scheme page (html)", "/id/scheme/rsa", {"Accept": "text/html"}),
    ("scheme page (turtle)", "/id/scheme/rsa", {"Accept": "text/turtle"}),
    ("actor page (html)", "/id/actor/departement-92", {"Accept": "text/html"}),
    ("compare/stances", "/compare/stances", {}),
    ("compare/citations", "/compare/citations", {}),
    ("compare/citations.csv", "/compare/citations.csv", {}),
    ("search logement", "/search?q=logement", {}),
    ("sparql ask (cached)", "/sparql?query=ASK%7B%3Fs%3Fp%3Fo%7D", {"Accept": SRJ}),
    ("sparql count-by-class", "/sparql?query=SELECT%20%3Fc%20(COUNT(%3Fs)%20AS%20%3Fn)%20WHERE%20%7B%3Fs%20a%20%3Fc%7D"
                              "%20GROUP%20BY%20%3Fc", {"Accept": SRJ}),
    ("api timeline", "/api/timeline", {"Accept": SRJ}),
    ("queries index", "/queries", {}),
    ("ontology", "/ontology", {}),
    ("validation", "/validation", {}),
    ("void", "/.well-known/void", {"Accept": "text/turtle"}),
    ("not found (json)", "/no-such-page", {"Accept": "application/json"}),
]


def measure(client, path: str, headers: dict[str, str], runs: int) -> tuple[int, float, float, float]:
    """(status, median ms, p90 ms, median CPU ms of this process) of ``runs`` GETs of ``path`` after one warm-up.
    The CPU time is steadier than the wall time on a shared machine, but leaves out the query worker processes
    (the /sparql and /api rows)."""
    status = client.get(path, headers=headers).status_code
    times, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        resp = client.get(path, headers=headers)
        resp.get_data()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return status, statistics.median(times), sorted(times)[int(0.9 * (len(times) - 1))], statistics.median(cpu)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--build-dir", default=str(ROOT / "build"))
    ap.add_argument("--only", help="the requests whose name contains this text")
    ap.add_argument("--no-fast-path", action="store_true",
                    help="page_cache_entries = 0: every request goes through Flask (what a first request costs)")
    args = ap.parse_args()
    app = create_app({"build_dir": args.build_dir, **({"page_cache_entries": 0} if args.no_fast_path else {})})
    client = app.test_client()
    print(f"{'request':<26} {'status':>6} {'median ms':>10} {'p90 ms':>8} {'cpu ms':>8}")
    for name, path, headers in REQUESTS:
        if args.only and args.only not in name:
            continue
        status, median, p90, cpu = measure(client, path, headers, args.runs)
        print(f"{name:<26} {status:>6} {median:>10.2f} {p90:>8.2f} {cpu:>8.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
