#!/usr/bin/env python3
"""Benchmark: every canned query on the real build, through the app (typed bindings, serialisation included).

Prints, per query, the median and the 90th percentile over N runs, and flags any median over the 100 ms budget
(rows: solutions of a SELECT, triples of a CONSTRUCT).
Run after `make build`:  .venv/bin/python bench/canned_queries.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

from kg92.app import create_app

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MS = 100.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    app = create_app({"build_dir": str(ROOT / "build"), "cache_entries": 0})
    client = app.test_client()
    reg = app.extensions["kg92.queries"]
    print(f"{'query':34} {'rows':>6} {'median ms':>10} {'p90 ms':>8}")
    over = 0
    for name, q in sorted(reg.queries.items()):
        url = f"/api/{name}?{urlencode(q.example())}"
        # a CONSTRUCT answers triples (N-Triples: one per line), the others solutions (SPARQL JSON)
        accept = "application/n-triples" if q.form == "CONSTRUCT" else "application/sparql-results+json"
        times, rows = [], 0
        for _ in range(args.runs):
            t0 = time.perf_counter()
            resp = client.get(url, headers={"Accept": accept})
            times.append((time.perf_counter() - t0) * 1000)
            assert resp.status_code == 200, (name, resp.data[:300])
            rows = (len(resp.get_data().splitlines()) if q.form == "CONSTRUCT"
                    else len(resp.get_json()["results"]["bindings"]))
        med = statistics.median(times)
        p90 = sorted(times)[int(0.9 * (len(times) - 1))]
        over += med > BUDGET_MS
        print(f"{name:34} {rows:>6} {med:>10.1f} {p90:>8.1f}{'  OVER BUDGET' if med > BUDGET_MS else ''}")
    print(f"{len(reg.queries)} queries, {over} over the {BUDGET_MS:.0f} ms budget (median of {args.runs} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
