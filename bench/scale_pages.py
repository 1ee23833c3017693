"""The web pages of the scale benchmark (bench/scale.py --pages): a release over the generated store, then the
pages issue 18 names (comparisons, home, search, validation, the most cited scheme and actor) timed through the app.
A benchmark prints figures; it is not a test."""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
KG = "https://w3id.org/kg92/def#"
PAGE_BUDGET_MS = 300.0


def release_of(project: Path, store_path: Path) -> Path:
    """A release over the bulk-loaded store (--store-only): the N=1 build's manifest, reports and ui/ (``--real-build``,
    the repository's build/), the store linked, the search index computed from the store as the build computes it."""
    import json

    from kg92.build import mentions, search, summaries
    real = (ROOT / "build").resolve()
    release = project / "release"
    if release.exists():
        shutil.rmtree(release)
    release.mkdir()
    (release / "store").symlink_to(store_path.resolve())
    (release / "kg.nq").write_bytes(b"")
    for name in ("validation.txt", "validation.fr.txt", "validation.json", "validation.ttl", "ontology.html", "howto.html"):
        if (real / name).is_file():
            shutil.copy(real / name, release / name)
    if (real / "ui").is_dir():
        shutil.copytree(real / "ui", release / "ui")
    store = ox.Store.read_only(str(store_path))
    manifest = json.loads((real / "manifest.json").read_text(encoding="utf-8"))
    manifest |= {"triples": len(store), "dumps": {}, "texts": {}, "quote_contexts": 0}
    manifest |= search.write(release, search.compute(store))
    summaries.write(release, store)        # the pages' aggregates, as the build writes them
    mentions.build(release, store)   # the scheme and actor pages' index, as the build writes it
    (release / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return release


MOST_CITED = """SELECT ?x (COUNT(?s) AS ?n) WHERE { ?x a <%s> . ?s ?p ?x } GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1"""


def page_requests(store: ox.Store) -> list[tuple[str, str]]:
    """(name, path) of the pages timed: comparisons, home, search, validation and the pages of the most cited
    scheme and actor (the most triples pointing at them)."""
    out = [("home", "/"), ("compare/stances", "/compare/stances"), ("compare/citations", "/compare/citations"),
           ("search logement", "/search?q=logement"), ("validation", "/validation")]
    for kind, cls in (("scheme", "Scheme"), ("actor", "Actor")):
        row = next(iter(store.query(MOST_CITED % (KG + cls), use_default_graph_as_union=True)), None)
        if row is not None:
            out.append((f"{kind} page (most cited)", "/" + row["x"].value.removeprefix("https://w3id.org/kg92/")))
    return out


def pages_table(release: Path, runs: int) -> list[dict]:
    """Median / p90 ms of each page through the app (Flask test client, no fast path: every request rendered),
    after one warm-up; and the time create_app takes (what a worker does before its first answer)."""
    from kg92.web.app import create_app
    t0 = time.perf_counter()
    app = create_app({"root": str(ROOT), "build_dir": str(release), "page_cache_entries": 0, "cache_entries": 0},
                     release=release)
    out = [{"page": "create_app (start-up)", "path": "", "status": 0, "bytes": 0,
            "median": (time.perf_counter() - t0) * 1000, "p90": 0.0}]
    client = app.test_client()
    for name, path in page_requests(app.extensions["kg92"].store):
        first = client.get(path, headers={"Accept": "text/html"})
        times = []
        for _ in range(runs):
            t1 = time.perf_counter()
            resp = client.get(path, headers={"Accept": "text/html"})
            size = len(resp.get_data())
            times.append((time.perf_counter() - t1) * 1000)
        out.append({"page": name, "path": path, "status": first.status_code, "bytes": size,
                    "median": statistics.median(times), "p90": sorted(times)[int(0.9 * (len(times) - 1))]})
        print(f"  {name:28} {first.status_code} {size:>10} B  median {out[-1]['median']:8.1f} ms", file=sys.stderr, flush=True)
    return out


def print_pages(n: int, rows: list[dict]) -> None:
    print(f"\nN = {n}: pages through the app (no fast path), median / p90 ms; budget {PAGE_BUDGET_MS:.0f} ms")
    print("| page | path | status | bytes | median | p90 | budget |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        flag = "ok" if r["median"] <= PAGE_BUDGET_MS or not r["path"] else f"OVER {PAGE_BUDGET_MS:.0f}"
        print(f"| {r['page']} | {r['path']} | {r['status']} | {r['bytes']:,} | {r['median']:.1f} | {r['p90']:.1f} | {flag} |")


