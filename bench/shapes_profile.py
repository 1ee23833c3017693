#!/usr/bin/env python3
"""Which shapes cost most: the per-graph validation run inline (one process, every unit in turn, no cache) with
each pySHACL constraint component's ``evaluate`` timed, the time of a nested evaluation (a qualified value shape's,
an ``sh:or`` member's…) counted in the top-level constraint that started it.

    .venv/bin/python bench/shapes_profile.py                    # the repository's data (with the source texts)
    .venv/bin/python bench/shapes_profile.py --root /tmp/kg92-scale/n10 --no-sources --top 25

Prints the validation's wall time, the units' and pySHACL's (``pyshacl.validate`` calls, the shapes'
meta-validation excluded), then per (node shape and path, constraint component) the seconds, their share of pySHACL
and how many top-level evaluations; then per component kind. With ``kgsh:part`` (shapes/core.ttl) a part's
constraints count in its named shape. Each figure is wall time on this machine: compare runs side by side.
A benchmark prints figures; it is not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="the project (data/ttl, ontology, shapes)")
    ap.add_argument("--no-sources", action="store_true", help="validate without the source texts")
    ap.add_argument("--top", type=int, default=20, help="rows of the per-constraint table")
    args = ap.parse_args()

    import pyshacl
    from pyshacl.constraints import CONSTRAINT_PARAMETERS_MAP
    from pyshacl.constraints.core.shape_based_constraints import PropertyConstraintComponent as Property
    from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
    from rdflib import BNode

    from kg92 import settings
    from kg92.build import shard
    from kg92.build.lineindex import owner
    from kg92.build.report import SH, compact
    from kg92.build.sources import discover, read_all
    from kg92.build.validate import validate

    spent: dict[tuple[str, str], float] = defaultdict(float)
    calls: dict[tuple[str, str], int] = defaultdict(int)
    depth = [0]
    names: dict = {}
    shapes_graph = [None]

    def name_of(shape) -> str:
        node = shape.node
        if node not in names:
            g = shapes_graph[0]
            named = owner(g, node) if isinstance(node, BNode) else node
            label = compact(str(named)) if named is not None else "-"
            path = g.value(node, SH.path)
            names[node] = f"{label} {compact(str(path))}" if path is not None else label
        return names[node]

    def timed(cls):
        inner = cls.evaluate

        def evaluate(self, *a, **kw):
            if depth[0] or shapes_graph[0] is None or cls is Property:   # nested, meta-validation, sh:property
                return inner(self, *a, **kw)
            depth[0] += 1
            t0 = time.perf_counter()
            try:
                return inner(self, *a, **kw)
            finally:
                depth[0] -= 1
                key = (name_of(self.shape), cls.__name__)
                spent[key] += time.perf_counter() - t0
                calls[key] += 1
        cls.evaluate = evaluate

    for cls in {*CONSTRAINT_PARAMETERS_MAP.values(), SPARQLBasedConstraint}:
        if "evaluate" in cls.__dict__:
            timed(cls)

    total = [0.0]
    real = pyshacl.validate

    def validate_timed(*a, **kw):
        shapes_graph[0] = shard._STATE.get("shapes")
        t0 = time.perf_counter()
        try:
            return real(*a, **kw)
        finally:
            total[0] += time.perf_counter() - t0
            shapes_graph[0] = None
    pyshacl.validate = validate_timed
    units = [0.0, 0]
    real_unit = shard.run_unit

    def unit_timed(*a, **kw):
        t0 = time.perf_counter()
        try:
            return real_unit(*a, **kw)
        finally:
            units[0] += time.perf_counter() - t0
            units[1] += 1
    shard.run_unit = unit_timed

    sources = None if args.no_sources else Path(settings.load({"root": str(args.root)})["sources_dir"])
    files = read_all(discover(args.root))
    t0 = time.perf_counter()
    report = validate(files, sources if sources and sources.is_dir() else None, None, workers=1)
    wall = time.perf_counter() - t0
    print(f"validation {wall:.1f} s (inline, no cache): {units[1]} units {units[0]:.1f} s (inline, each also builds "
          f"the base graph the build's forked workers inherit), of which pySHACL {total[0]:.1f} s; "
          f"{len(report.results)} results, counts {report.counts()}")
    ranked = sorted(spent.items(), key=lambda kv: -kv[1])
    print("\n| shape | component | s | share of pySHACL | top-level evaluations |\n|---|---|---|---|---|")
    for (shape, comp), s in ranked[:args.top]:
        print(f"| {shape} | {comp} | {s:.2f} | {100 * s / total[0]:.1f} % | {calls[(shape, comp)]} |")
    kinds: dict[str, float] = defaultdict(float)
    for (_, comp), s in spent.items():
        kinds[comp] += s
    print("\n| component | s | share of pySHACL |\n|---|---|---|")
    for comp, s in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"| {comp} | {s:.2f} | {100 * s / total[0]:.1f} % |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
