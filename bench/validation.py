#!/usr/bin/env python3
"""Validation time of the real data: SPARQL targets resolved by Oxigraph (what the build does) against pySHACL
resolving them itself (rdflib's SPARQL engine), side by side in one run. Prints medians and the ratio.

    python bench/validation.py [--runs N]      (default 3; the baseline takes about half a minute a run)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kg92 import settings  # noqa: E402
from kg92.build.sources import discover  # noqa: E402
from kg92.build.validate import meta_check, validate_files  # noqa: E402


def real_data() -> dict:
    """The arguments of validate_files for the repository's own data (also used by bench/validate_service.py)."""
    inputs = discover(ROOT)
    sources = Path(settings.load({"root": str(ROOT)})["sources_dir"])   # KG92_SOURCES_DIR, kg92.toml, or ../shared
    return dict(data_files=[i.path for i in inputs if i.kind == "data"],
                ontology_files=[i.path for i in inputs if i.kind == "ontology"], shapes_dir=ROOT / "shapes",
                sources_dir=sources if sources.is_dir() else None, root=ROOT)


def runs(doc: str) -> int:
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    return ap.parse_args().runs


def main() -> int:
    kwargs = real_data()
    args = argparse.Namespace(runs=runs(__doc__))
    started = time.perf_counter()
    from kg92.build.sources import as_input, read_all
    from kg92.build.validate import load_shapes
    shapes = read_all([as_input(p, ROOT, "shapes") for p in sorted((ROOT / "shapes").glob("*.ttl"))])
    meta_check(load_shapes(shapes), shapes, None)
    meta = time.perf_counter() - started
    times: dict[str, list[float]] = {"oxigraph targets": [], "pyshacl targets": []}
    results: dict[str, tuple] = {}
    for _ in range(args.runs):
        for name, resolve in (("oxigraph targets", True), ("pyshacl targets", False)):
            t = time.perf_counter()
            report = validate_files(**kwargs, resolve_targets=resolve)
            times[name].append(time.perf_counter() - t)
            results[name] = tuple(sorted(report.results, key=lambda r: r.sort_key()))
    same = results["oxigraph targets"] == results["pyshacl targets"]
    print(f"real data: {len(kwargs['data_files'])} data files + ontology; {args.runs} runs each; meta-validation of the shapes "
          f"(cached after the first run) {meta:.2f} s")
    for name, ts in times.items():
        print(f"  {name:18} median {statistics.median(ts):7.2f} s   (min {min(ts):.2f}, max {max(ts):.2f})")
    ratio = statistics.median(times["pyshacl targets"]) / statistics.median(times["oxigraph targets"])
    print(f"  ratio pyshacl/oxigraph targets: {ratio:.1f}x; identical results: {same} "
          f"({len(results['oxigraph targets'])} results)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
