#!/usr/bin/env python3
"""Benchmark: the browse pages /id/{kind}/ (web/browse.py) on the real build, through the app.

Prints, per URL, the median and the slowest of N runs (after one warm-up request that also reads the kinds and
their facets, timed apart), the total and the rows of the page: every kind at the default size, the largest kinds
at the largest size, and filtered, sorted and far pages.
Run after `make build`:  .venv/bin/python bench/browse.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kg92.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ["/id/statement.json?size=500", "/id/quote.json?size=500&page=2", "/id/statement.json?sort=-mentions",
         "/id/statement.json?type=kg:Commitment&theme=theme/insertion", "/id/scheme.json?group=group/colombes-2"
         "&group=group/groupe-001&group=group/majorite-departementale", "/id/event.json?sort=date",
         "/id/figure.json?sort=-value", "/id/statement.csv?size=500", "/id/statement/?size=500"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    app = create_app({"build_dir": str(ROOT / "build")})
    client = app.test_client()
    t0 = time.perf_counter()
    kinds = client.get("/id/nothing.json").get_json()["error"]["detail"].split("are ", 1)[1].split(", ")
    print(f"kinds and facets read once: {(time.perf_counter() - t0) * 1000:.0f} ms ({len(kinds)} kinds)")
    print(f"{'url':78} {'median ms':>9} {'max ms':>7} {'total':>6} {'rows':>5}")
    for url in [k.rstrip("/") + ".json" for k in kinds] + EXTRA:
        times, resp = [], None
        for _ in range(args.runs):
            t = time.perf_counter()
            resp = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        assert resp.status_code == 200, (url, resp.status_code)
        total = resp.headers["X-Total-Count"]
        rows = len(resp.get_json()["rows"]) if resp.is_json else resp.get_data(as_text=True).count("<tr><th scope=\"row\">") \
            if resp.mimetype == "text/html" else resp.get_data(as_text=True).count("\r\n") - 1
        print(f"{url:78} {statistics.median(times):9.1f} {max(times):7.1f} {total:>6} {rows:5}")


if __name__ == "__main__":
    main()
