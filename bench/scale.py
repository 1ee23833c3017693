#!/usr/bin/env python3
"""Scale benchmark (issue 18): a deterministic synthetic scale-up of the data, then build, server and queries at N.

Generator. A data file that holds one source document's answers (``data/ttl/doc-NNN.ttl``) is copied N times; copy 0
is the file itself, copy k (k ≥ 1) is ``doc-NNN-ck.ttl`` where every *document-local* IRI (an IRI of a statement,
quote, figure, relationship, event, position, answer, question copy or membership that is a subject of that file) is
suffixed ``-ck`` (``id:statement/000-foo`` → ``id:statement/000-foo-c7``), by text substitution, so lines and
file:line stay those of the original. A quote's IRI follows from its document and offsets (kgsh:QuoteIriShape): a
copy's quotes are shifted by k × SHIFT characters instead (``id:quote/001-807-894`` and its ``oa:start 807 ;
oa:end 894`` → ``id:quote/001-10000807-10000894`` …), offsets no text has, never checked since the sources are
absent. Shared files (actors, schemes, vocabulary, questionnaire, labels, documents) and
the shared terms a document file declares (actors, schemes, populations…) are kept once: every copy cites the same
schemes, actors, groups, asks and documents, as a hundred départements answering the same questionnaire would. The
result is valid against the shapes at N=1 and N=2 (``kg92 validate``, sources absent: the quotes are not checked
against the texts); N=1 is the real data.

Measures, for each N (``--n 1,10,50,100``):
  * triples; build phases parse / validate / write (``kg92 build``'s own timings) and its peak RSS; store and dump
    sizes; a one-file rebuild (one copy file changed: its validation time and how many validation units the
    manifest says were revalidated, the others coming from the per-graph cache); cold server start (``kg92 serve`` until ``/-/health``
    answers) — all skipped with ``--skip-build``;
  * every canned query (queries/*.rq) with its example parameters and its worst case (bench/canned_queries.py's
    WORST), median and p90 through the app's engine (kg92.sparql.pool.execute: safety check, query, serialisation
    with the max_rows limit), bound the way its header says (``#+ binding:``) and, side by side, with the other
    binding (pyoxigraph substitutions / an inline typed VALUES block).
``--store-only`` skips the build: the generated Turtle is parsed (with the build's rdfs:label entailment) and bulk
loaded straight into an on-disk pyoxigraph store, without validation, to time the queries at N=100.

    .venv/bin/python bench/scale.py --n 1,10            # `make bench-scale` (N=1 and 10, everything)
    .venv/bin/python bench/scale.py --n 100 --store-only --runs 7
    .venv/bin/python bench/scale.py --n 100 --store-only --reuse --only quote --queries ../main/queries  # before/after
    .venv/bin/python bench/scale.py --n 100 --store-only --reuse --no-queries --pages     # the web pages at N

``--reuse`` (with ``--store-only``) times the store a previous run left in --work, without generating or loading it
again; ``--only TEXT`` times the queries whose name holds TEXT; ``--queries DIR`` another tree's canned queries.
``--pages`` (bench/scale_pages.py) also times the pages issue 18 names through the app, without the fast path: with
``--store-only`` over a release made from the bulk-loaded store (the search index computed as the build computes it;
the validation report, ontology pages and manifest are the repository's own build's, N=1).

A benchmark prints figures; it is not a test. Work files go to --work (default /tmp/kg92-scale), one folder per N.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from canned_queries import ID, WORST  # noqa: E402  (the worst cases of the real data, one list for both benches)
from scale_pages import pages_table, print_pages, release_of  # noqa: E402

from kg92.build.entailment import with_labels  # noqa: E402
from kg92.build.sources import Input, graph_iri, parse  # noqa: E402
from kg92.queries.registry import Registry  # noqa: E402
from kg92.sparql.pool import Job, execute  # noqa: E402

KG92 = Path(sys.executable).with_name("kg92")
DOC_FILE = re.compile(r"doc-\d{3}\.ttl")
SHIFT = 10_000_000    # the offsets of copy k's quotes: + k × SHIFT
QUOTE_IRI = re.compile(r"(<" + re.escape(ID) + r"quote/\d{3}-)(\d+)-(\d+)>")
POSITIONS = re.compile(r"oa:start (\d+) ; oa:end (\d+)")
LOCAL_KINDS = ("statement", "figure", "relationship", "event", "position", "answer", "question", "membership")
LOCAL_IRI = re.compile(r"<(" + re.escape(ID) + r"(?:" + "|".join(LOCAL_KINDS) + r")/[^>\s]+)>")
BUDGET_MS, WORST_BUDGET_MS = 100.0, 500.0
ACCEPT = {"CONSTRUCT": "application/n-triples"}
SOLUTIONS = "application/sparql-results+json"


# ---------------------------------------------------------------- generator

def local_iris(path: Path) -> set[str]:
    """The document-local IRIs of a document file: the subjects of the file of one of LOCAL_KINDS."""
    subjects = {t.subject.value for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
                if isinstance(t.subject, ox.NamedNode)}
    return {iri for iri in subjects if LOCAL_IRI.fullmatch(f"<{iri}>")}


def generate(n: int, out: Path) -> Path:
    """A project folder with the data scaled N times (ontology/, shapes/, queries/ linked to the repository's)."""
    if out.exists():
        shutil.rmtree(out)
    ttl = out / "data" / "ttl"
    ttl.mkdir(parents=True)
    for folder in ("ontology", "shapes", "queries"):
        (out / folder).symlink_to(ROOT / folder)
    for path in sorted((ROOT / "data" / "ttl").glob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        (ttl / path.name).write_text(text, encoding="utf-8")
        if not DOC_FILE.fullmatch(path.name):
            continue     # shared: once
        local = local_iris(path)
        for k in range(1, n):
            copy = LOCAL_IRI.sub(lambda m, k=k, local=local: f"<{m[1]}-c{k}>" if m[1] in local else m[0], text)
            copy = QUOTE_IRI.sub(lambda m, k=k: f"{m[1]}{int(m[2]) + k * SHIFT}-{int(m[3]) + k * SHIFT}>", copy)
            copy = POSITIONS.sub(lambda m, k=k: f"oa:start {int(m[1]) + k * SHIFT} ; oa:end {int(m[2]) + k * SHIFT}", copy)
            (ttl / f"{path.stem}-c{k}.ttl").write_text(copy, encoding="utf-8")
    return out


def env(project: Path) -> dict[str, str]:
    return {**os.environ, "KG92_ROOT": str(project), "KG92_BUILD_DIR": str(project / "build"),
            "KG92_SOURCES_DIR": str(project / "no-sources"), "KG92_CACHE_ENTRIES": "0"}


# ---------------------------------------------------------------- build, rebuild, server

CPU: dict[str, float] = {}   # CPU seconds (user + system, the process and its children) of the last run_measured


def run_measured(cmd: list[str], project: Path) -> tuple[int, float, float, str]:
    """(exit code, wall s, peak RSS MB of the largest process, its output); its CPU seconds in ``CPU["last"]``
    (on a shared machine the wall time depends on the load, the CPU time much less)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env(project), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    CPU["last"] = usage.ru_utime + usage.ru_stime
    return proc.returncode, time.perf_counter() - t0, usage.ru_maxrss / 1024, out


def du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6 if path.exists() else 0.0


def build(project: Path) -> dict:
    import json
    code, wall, rss, out = run_measured([str(KG92), "build", "--force"], project)
    if code != 0:
        raise SystemExit(f"kg92 build failed at {project} (exit {code}):\n{out[-3000:]}")
    manifest = json.loads((project / "build" / "manifest.json").read_text(encoding="utf-8"))
    t = manifest["timings_s"]
    row = {"triples": manifest["triples"], "build_s": wall, "parse_s": t["parse"], "validate_s": t["validate"],
           "write_s": t["write"], "rss_mb": rss, "store_mb": du_mb(project / "build" / "store"),
           "dumps_mb": du_mb(project / "build" / "dumps"), "cpu_s": CPU["last"],
           "write_parts": {k[len("write_"):]: v for k, v in t.items() if k.startswith("write_")}}
    one = sorted((project / "data" / "ttl").glob("doc-000*.ttl"))[-1]     # one file changes: a comment appended
    with one.open("a", encoding="utf-8") as fh:
        fh.write(f"# scale benchmark: one-file change {time.time()}\n")
    code, wall, _, out = run_measured([str(KG92), "build"], project)
    if code != 0:
        raise SystemExit(f"one-file rebuild failed (exit {code}):\n{out[-3000:]}")
    row["rebuild_s"] = wall
    row["rebuild_cpu_s"] = CPU["last"]
    again = json.loads((project / "build" / "manifest.json").read_text(encoding="utf-8"))
    units = again.get("validation_units") or {}
    row["rebuild_validate_s"] = again["timings_s"]["validate"]
    row["rebuild_write_s"] = again["timings_s"]["write"]
    row["rebuild_units"] = f"{units.get('revalidated', '?')} of {units.get('units', '?')}"
    row["start_s"] = cold_start(project)
    return row


def cold_start(project: Path, timeout: float = 120.0) -> float:
    """Seconds from `kg92 serve` to the first 200 of /-/health."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(KG92), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env(project),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - t0 < timeout:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/health", timeout=2) as resp:
                    if resp.status == 200:
                        return time.perf_counter() - t0
            except OSError:
                time.sleep(0.05)
        return float("nan")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def store_only(project: Path) -> tuple[Path, dict]:
    """The generated Turtle, parsed as the build parses it (rdfs:label entailed), bulk loaded without validation."""
    path = project / "store-only"
    if path.exists():
        shutil.rmtree(path)
    t0 = time.perf_counter()
    store = ox.Store(str(path))
    triples = 0
    for ttl in sorted((project / "data" / "ttl").glob("*.ttl")) + sorted((ROOT / "ontology").glob("*.ttl")):
        kind = "ontology" if ttl.parent.name == "ontology" else "data"
        quads = with_labels(parse(Input(ttl, ttl.name, kind, graph_iri("ontology" if kind == "ontology" else ttl.stem))))
        store.bulk_extend(quads)
        triples += len(quads)
    store.optimize()
    store.flush()
    del store
    return path, {"triples": triples, "load_s": time.perf_counter() - t0, "store_mb": du_mb(path)}


# ---------------------------------------------------------------- queries

def timed(store: ox.Store, job: Job, runs: int, budget_s: float) -> tuple[int, float, float, int]:
    """(rows, median ms, p90 ms, runs done): at most ``runs``, fewer once ``budget_s`` is spent (slow cases)."""
    execute(store, job)   # warm-up (caches, first-use costs), not counted
    times: list[float] = []
    rows = 0
    while len(times) < runs and (not times or sum(times) / 1000 < budget_s):
        t0 = time.perf_counter()
        out = execute(store, job)
        times.append((time.perf_counter() - t0) * 1000)
        if out.status != 200:
            raise SystemExit(f"query failed ({out.status}): {out.detail}\n{job.text[:300]}")
        rows = out.rows
    return rows, statistics.median(times), sorted(times)[int(0.9 * (len(times) - 1))], len(times)


def query_table(store_path: Path, runs: int, budget_s: float, max_rows: int = 10_000, only: str = "",
                queries: Path = ROOT / "queries") -> list[dict]:
    reg = Registry.load(queries)
    store = ox.Store.read_only(str(store_path))
    from kg92.queries.binding import list_members
    lists = list_members(store)
    out = []
    for name, q in sorted(reg.queries.items()):
        if only not in name:
            continue
        for case, given in (("example", q.example()), ("worst", WORST.get(name, q.example()))):
            row = {"query": name, "case": case, "binding": q.binding}
            for binding in ("substitutions", "values"):
                text, subs = reg.prepare(q, given, lists, binding=binding)
                job = Job(text, substitutions=tuple(sorted((k.value, v) for k, v in subs.items())),
                          accept=ACCEPT.get(q.form, SOLUTIONS), max_rows=max_rows)
                row[binding] = timed(store, job, runs, budget_s)
            out.append(row)
            chosen = row[q.binding]
            print(f"  {name:30} {case:7} rows {chosen[0]:>6}  {q.binding[:5]} median {chosen[1]:8.1f} ms  "
                  f"(subst {row['substitutions'][1]:8.1f} / values {row['values'][1]:8.1f})", file=sys.stderr, flush=True)
    return out


# ---------------------------------------------------------------- report

def print_build(rows: dict[int, dict]) -> None:
    print("\n| N | triples | build s (parse / validate / write) | CPU s | peak RSS MB | store MB | dumps MB | one-file "
          "rebuild s (validate s, write s, units revalidated) | its CPU s | cold start s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n, r in rows.items():
        if "build_s" in r:
            print(f"| {n} | {r['triples']:,} | {r['build_s']:.1f} ({r['parse_s']:.1f} / {r['validate_s']:.1f} / "
                  f"{r['write_s']:.1f}) | {r['cpu_s']:.1f} | {r['rss_mb']:.0f} | {r['store_mb']:.0f} | "
                  f"{r['dumps_mb']:.0f} | {r['rebuild_s']:.1f} ({r['rebuild_validate_s']:.1f}, {r['rebuild_write_s']:.1f}, "
                  f"{r['rebuild_units']}) | {r['rebuild_cpu_s']:.1f} | {r['start_s']:.1f} |")
        else:
            print(f"| {n} | {r['triples']:,} | skipped (store-only: bulk load {r['load_s']:.1f} s) | — | — | "
                  f"{r['store_mb']:.0f} | — | — | — | — |")
    for n, r in rows.items():
        if r.get("write_parts"):
            print(f"N={n} write phase: " + ", ".join(f"{k} {v:.1f} s" for k, v in r["write_parts"].items()))


def print_queries(n: int, rows: list[dict]) -> None:
    print(f"\nN = {n}: canned queries through the engine, median / p90 ms (runs); the chosen binding first, "
          "then substitutions | values medians")
    print("| query | case | rows | binding | median | p90 | substitutions | values | budget |")
    print("|---|---|---|---|---|---|---|---|---|")
    over = 0
    for r in rows:
        rows_, med, p90, done = r[r["binding"]]
        limit = BUDGET_MS if r["case"] == "example" else WORST_BUDGET_MS
        flag = "" if med <= limit else f"OVER {limit:.0f}"
        over += bool(flag)
        print(f"| {r['query']} | {r['case']} | {rows_} | {r['binding']} | {med:.1f} | {p90:.1f} ({done}) | "
              f"{r['substitutions'][1]:.1f} | {r['values'][1]:.1f} | {flag or 'ok'} |")
    print(f"{over} of {len(rows)} cases over budget (example {BUDGET_MS:.0f} ms, worst case {WORST_BUDGET_MS:.0f} ms, median)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", default="1,10,50,100", help="comma-separated copy counts (default 1,10,50,100)")
    ap.add_argument("--runs", type=int, default=9, help="runs per query and binding (fewer past --budget-s)")
    ap.add_argument("--budget-s", type=float, default=10.0, help="stop repeating a query case after this many seconds")
    ap.add_argument("--skip-build", action="store_true", help="no build, rebuild or server start: queries on the store only")
    ap.add_argument("--store-only", action="store_true", help="bulk load the generated Turtle (no validation) and time the queries")
    ap.add_argument("--no-queries", action="store_true", help="build figures only")
    ap.add_argument("--pages", action="store_true",
                    help="also time the web pages (comparisons, home, search, validation, most cited scheme and actor)")
    ap.add_argument("--work", default="/tmp/kg92-scale", help="where the generated projects go")
    ap.add_argument("--reuse", action="store_true",
                    help="with --store-only: reuse the project and the store a previous run left in --work (no generation, no load)")
    ap.add_argument("--only", default="", help="time only the canned queries whose name contains this text")
    ap.add_argument("--queries", default=str(ROOT / "queries"),
                    help="the folder of canned queries to time (another tree's, to compare before / after)")
    args = ap.parse_args()
    ns = [int(x) for x in args.n.split(",") if x.strip()]
    builds: dict[int, dict] = {}
    for n in ns:
        project = Path(args.work) / f"n{n}"
        if args.reuse and args.store_only and (project / "store-only").is_dir():
            store_path = project / "store-only"
            builds[n] = {"triples": len(ox.Store.read_only(str(store_path))), "load_s": 0.0, "store_mb": du_mb(store_path)}
            if not args.no_queries:
                print_queries(n, query_table(store_path, args.runs, args.budget_s, only=args.only, queries=Path(args.queries)))
            if args.pages:
                print_pages(n, pages_table(release_of(project, store_path), args.runs))
            continue
        project = generate(n, project)
        print(f"N={n}: generated {len(list((project / 'data' / 'ttl').glob('*.ttl')))} files in {project}",
              file=sys.stderr, flush=True)
        if args.store_only or args.skip_build:
            store_path, builds[n] = store_only(project)
        else:
            builds[n] = build(project)
            store_path = project / "build" / "store"
        print(f"N={n}: {builds[n]}", file=sys.stderr, flush=True)
        if not args.no_queries:
            print_queries(n, query_table(store_path, args.runs, args.budget_s, only=args.only, queries=Path(args.queries)))
        if args.pages:
            release = release_of(project, store_path) if args.store_only or args.skip_build else project / "build"
            print_pages(n, pages_table(release, args.runs))
    print_build(builds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
