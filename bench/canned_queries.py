#!/usr/bin/env python3
"""Benchmark: every canned query on the real build, through the app (typed bindings, serialisation included).

Prints, per query, the median and the 90th percentile over N runs with the example parameters of its header, then
the same with its worst-case parameters (WORST: the values that give the most rows on the real data, or no value
at all where a parameter only narrows the result), and flags any median over the 100 ms budget (rows: solutions
of a SELECT, triples of a CONSTRUCT).
Run after `make build`:  .venv/bin/python bench/canned_queries.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from urllib.parse import urlencode

from kg92.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MS = 100.0
ID = "https://w3id.org/kg92/id/"
# Worst cases on the real data (rows when written, for orientation; the benchmark prints the current count). A
# query without parameters, or whose parameters only filter, is at its worst with no value: {}.
WORST: dict[str, dict[str, str]] = {
    "actor-relations": {},                                              # every relation (~130 rows)
    "co-citation": {"min": "1"},                                        # every pair (~47)
    "disagreements": {},
    "figures-about": {"subject": ID + "actor/departement-92"},          # the author of 002's figures (~227)
    "figures-disagree": {"undated": "1"},                               # undated figures compared too
    "group-commitments-by-theme": {"group": ID + "group/groupe-001", "theme": ID + "theme/acces-aux-droits"},  # ~12
    "positions-on-scheme": {"scheme": ID + "scheme/ase"},               # the most-cited scheme (~14)
    "quote-search": {"text": "e"},                                      # nearly every quote (~1,180)
    "scheme-graph": {"scheme": ID + "scheme/rsa"},                      # the largest graph (~283 triples)
    "scheme-lifecycle": {"scheme": ID + "scheme/plan-pauvrete-2016"},   # ~11
    "schemes-cited-by-every-group": {},
    "schemes-cited-per-group": {},                                      # every group (~97)
    "schemes-in-one-document": {},                                      # every document (~184)
    "schemes-per-document": {},                                         # every document (~244)
    "stance-matrix": {},
    "theme-comparison": {},                                             # every theme (~42)
    "timeline": {},                                                     # every dated event (~61)
}


def measure(client, name: str, form: str, params: dict[str, str], runs: int) -> tuple[int, float, float]:
    """(rows, median ms, p90 ms) of ``runs`` requests of /api/NAME with ``params``."""
    url = f"/api/{name}?{urlencode(params)}"
    # a CONSTRUCT answers triples (N-Triples: one per line), the others solutions (SPARQL JSON)
    accept = "application/n-triples" if form == "CONSTRUCT" else "application/sparql-results+json"
    times, rows = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        resp = client.get(url, headers={"Accept": accept})
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200, (name, params, resp.data[:300])
        rows = (len(resp.get_data().splitlines()) if form == "CONSTRUCT"
                else len(resp.get_json()["results"]["bindings"]))
    return rows, statistics.median(times), sorted(times)[int(0.9 * (len(times) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    app = create_app({"build_dir": str(ROOT / "build"), "cache_entries": 0})
    client = app.test_client()
    reg = app.extensions["kg92.queries"]
    missing = sorted(set(reg.queries) - set(WORST))
    if missing:
        print(f"no worst-case parameters for {', '.join(missing)}: add them to WORST (their example is used)")
    print(f"{'':34} {'example':^26}   {'worst case':^26}")
    print(f"{'query':34} {'rows':>6} {'median ms':>10} {'p90 ms':>8}   {'rows':>6} {'median ms':>10} {'p90 ms':>8}  worst-case parameters")
    over = 0
    for name, q in sorted(reg.queries.items()):
        example = q.example()
        rows, med, p90 = measure(client, name, q.form, example, args.runs)
        worst = WORST.get(name, example)
        if worst == example:
            wrows, wmed, wp90 = rows, med, p90
        else:
            wrows, wmed, wp90 = measure(client, name, q.form, worst, args.runs)
        slow = [label for label, m in (("example", med), ("worst case", wmed)) if m > BUDGET_MS]
        over += bool(slow)
        shown = " ".join(f"{k}={v.removeprefix(ID)}" for k, v in worst.items()) or "(none)"
        print(f"{name:34} {rows:>6} {med:>10.1f} {p90:>8.1f}   {wrows:>6} {wmed:>10.1f} {wp90:>8.1f}  "
              f"{shown if worst != example else '(= example)'}{'  OVER BUDGET: ' + ', '.join(slow) if slow else ''}")
    print(f"{len(reg.queries)} queries, {over} over the {BUDGET_MS:.0f} ms budget (median of {args.runs} runs, "
          "example or worst case)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
