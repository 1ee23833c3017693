#!/usr/bin/env python3
"""/search in process (Flask's test client): start-up, the first request of a worker and then the median and p90
of each query, HTML and JSON. A benchmark prints figures; it is not a test.

    .venv/bin/python bench/search.py                       # the real build in build/
    .venv/bin/python bench/search.py --n 10                # bench/scale.py's data ×10 (store-only: no validation)

With ``--n`` the scaled Turtle (bench/scale.py's generator) is bulk loaded into a store and a release is assembled
around it in ``--work`` (the real build's manifest, the store, and the search index the build would write, timed
as "index build"), so the server starts on it as on a release. Only ``create_app`` and the test client are used,
so the same script times an older tree (``PYTHONPATH=/path/to/old/src``): there the index is computed by the
first request, which is why "first" is printed apart.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ("logement", '"logement social"', "rsa", "solidarite territoriale", "e")


def release_at(n: int, work: Path) -> Path:
    """A release over the data scaled ``n`` times: the real build's manifest, a store-only store, the index."""
    sys.path.insert(0, str(ROOT / "bench"))
    import scale  # the generator of the scale benchmark

    project = scale.generate(n, work / f"n{n}")
    store_path, loaded = scale.store_only(project)
    release = work / f"release-n{n}"
    shutil.rmtree(release, ignore_errors=True)
    release.mkdir()
    manifest = json.loads((ROOT / "build" / "manifest.json").read_text(encoding="utf-8"))
    (release / "manifest.json").write_text(json.dumps({**manifest, "triples": loaded["triples"]}), encoding="utf-8")
    (release / "store").symlink_to(store_path)
    (release / "kg.nq").touch()    # a release has one (dumps, SHA256SUMS); /search never reads it
    print(f"N={n}: {loaded['triples']:,} triples loaded in {loaded['load_s']:.1f} s")
    try:
        import pyoxigraph as ox

        from kg92.build import search
    except ImportError:      # an older tree: no build step for the index
        return release
    t0 = time.perf_counter()
    store = ox.Store.read_only(str(store_path))
    written = search.write(release, search.compute(store))
    del store
    print(f"index build: {written['search_index']['entries']:,} entries in {time.perf_counter() - t0:.2f} s, "
          f"{(release / search.FILE).stat().st_size / 1e6:.1f} MB")
    return release


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", type=Path, default=ROOT / "build", help="the build (or release) to serve")
    ap.add_argument("--n", type=int, help="scale the data N times (bench/scale.py) instead of using --build")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg92-search-bench"))
    args = ap.parse_args()
    build = release_at(args.n, args.work) if args.n else args.build

    from kg92.web.app import create_app
    t0 = time.perf_counter()
    # the fast path off: every request is a search, not a repeat answered from memory (web/fastpath.py)
    app = create_app({"build_dir": str(build), "root": str(ROOT), "page_cache_entries": 0})
    print(f"start-up (create_app): {ms(time.perf_counter() - t0)} ms, process RSS {rss_mb():.0f} MB")
    client = app.test_client()
    print("| query | format | hits | first ms | median ms | p90 ms |\n|---|---|---|---|---|---|")
    for q in QUERIES:
        for suffix in ("", ".json"):
            times = []
            for _ in range(args.runs + 1):
                t = time.perf_counter()
                resp = client.get("/search" + suffix, query_string={"q": q})
                times.append(time.perf_counter() - t)
                assert resp.status_code == 200, resp.status_code
            total = client.get("/search.json", query_string={"q": q}).get_json()
            found = total.get("total", len(total["hits"]))
            rest = sorted(times[1:])
            print(f"| {q} | {suffix or 'html'} | {found:,} | {ms(times[0])} | {ms(statistics.median(rest))} | "
                  f"{ms(rest[int(0.9 * (len(rest) - 1))])} |", flush=True)
    print(f"process RSS at the end: {rss_mb():.0f} MB")
    return 0


def rss_mb() -> float:
    """This process's resident set (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    sys.exit(main())
