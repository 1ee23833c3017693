#!/usr/bin/env python3
"""Benchmark: kg92's /sparql (`kg92 serve`: granian or gunicorn, query worker processes) against `oxigraph
serve-read-only` on the same store.

For a few queries, several client processes send requests on keep-alive connections for a fixed time; prints
requests/s, median and p90 latency per server, and the ratio kg92 / oxigraph. kg92 is measured twice: with its
caches (repeated queries are answered by the fast path, web/fastpath.py) and without (cache_entries=0 and
page_cache_entries=0: every request goes through Flask and runs in a query worker), under each HTTP server of
``--servers`` (default both: granian, `kg92 serve`'s default, labelled kg92; gunicorn, its gthread workers, labelled
gunicorn), each server measured back to back with the others on every query.
A benchmark, not a test: figures depend on the machine.

    .venv/bin/python bench/sparql_endpoint.py                    # on build/ (run `make build` first)
    .venv/bin/python bench/sparql_endpoint.py --unvalidated-data # a throw-away build of data/ttl, SHACL skipped
    .venv/bin/python bench/sparql_endpoint.py --nq file.nq --seconds 3 --clients 4
    .venv/bin/python bench/sparql_endpoint.py --against ../kg92-old   # also serve another checkout's code (A/B)
    .venv/bin/python bench/sparql_endpoint.py --servers granian       # only `kg92 serve`'s default server

``--against DIR`` serves, beside this tree's kg92, the code of another checkout (its ``src/``, e.g. a ``git worktree``
of an older commit, over its own ``build/`` made by its own code) with the same settings, and prints the ratio of
this tree's rate to that one's: a before/after comparison of the endpoint in one run, each pair measured back to back.

Needs the `oxigraph` command (PyPI package `oxigraph`, the Rust server: `pip install -e '.[bench]'`). Without it
the comparison is against pyoxigraph in-process (query + serialisation, no HTTP), and the output says so.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SRJ = "application/sparql-results+json"
QUERIES = {   # name → (query, Accept); all meaningful on any data (the default graph is the union of all graphs)
    "ask": ("ASK { ?s ?p ?o }", SRJ),
    "select-10": ("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10", SRJ),
    "count-by-class": ("SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)", SRJ),
    "label-search": ("SELECT ?s ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l "
                     'FILTER(CONTAINS(LCASE(STR(?l)), "logement")) } LIMIT 50', SRJ),
    "construct-200": ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 200", "application/n-triples"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, path: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on port {port} exited: {proc.stdout.read().decode() if proc.stdout else ''}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not start in {timeout:.0f} s")


def _client(args: tuple[int, str, str, float]) -> list[float]:
    port, path, accept, seconds = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.perf_counter()
        conn.request("GET", path, headers={"Accept": accept})
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status} for {path}")
        latencies.append(time.perf_counter() - t0)
    conn.close()
    return latencies


def load(port: int, endpoint: str, query: str, accept: str, seconds: float, clients: int) -> dict[str, float]:
    path = f"{endpoint}?{urlencode({'query': query})}"
    with get_context("spawn").Pool(clients) as pool:
        pool.map(_client, [(port, path, accept, 1.0)] * clients)         # warm-up: every server process, caches
        t0 = time.monotonic()
        parts = pool.map(_client, [(port, path, accept, seconds)] * clients)
        elapsed = time.monotonic() - t0
    lat = sorted(x for part in parts for x in part)
    return {"rps": len(lat) / elapsed, "p50": statistics.median(lat) * 1000,
            "p90": lat[int(len(lat) * 0.9) - 1] * 1000 if len(lat) >= 10 else lat[-1] * 1000}


def in_process(store_path: Path, query: str, seconds: float) -> dict[str, float]:
    import pyoxigraph as ox
    store, lat = ox.Store.read_only(str(store_path)), []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.perf_counter()
        result = store.query(query, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            result.serialize(format=ox.RdfFormat.N_TRIPLES)
        else:
            result.serialize(format=ox.QueryResultsFormat.JSON)
        lat.append(time.perf_counter() - t0)
    lat.sort()
    return {"rps": len(lat) / seconds, "p50": statistics.median(lat) * 1000, "p90": lat[int(len(lat) * 0.9) - 1] * 1000}


def unvalidated_build(dest: Path) -> Path:
    """A build of ontology/ + data/ttl/ as `kg92 build` lays it out, without the SHACL step (benchmark only)."""
    import hashlib

    import pyoxigraph as ox

    from kg92.build.dumps import canonical_nquads
    from kg92.build.sources import discover, parse
    quads = [q for inp in discover(ROOT) if inp.kind in ("ontology", "data") for q in parse(inp)]
    nq = canonical_nquads(quads)
    dest.mkdir(parents=True)
    (dest / "kg.nq").write_bytes(nq)
    store = ox.Store(str(dest / "store"))
    store.bulk_load(path=str(dest / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    manifest = {"conforms": True, "note": "benchmark only: not validated", "triples": len(nq.splitlines()),
                "kg_nq_sha256": hashlib.sha256(nq).hexdigest(), "graphs": {}, "dumps": {}}
    (dest / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return dest


def nq_build(nq_file: Path, dest: Path) -> Path:
    import hashlib

    import pyoxigraph as ox
    dest.mkdir(parents=True)
    shutil.copy(nq_file, dest / "kg.nq")
    store = ox.Store(str(dest / "store"))
    store.bulk_load(path=str(dest / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    nq = (dest / "kg.nq").read_bytes()
    manifest = {"conforms": True, "note": "benchmark only", "triples": len(nq.splitlines()),
                "kg_nq_sha256": hashlib.sha256(nq).hexdigest(), "graphs": {}, "dumps": {}}
    (dest / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return dest


def start_kg92(build: Path, port: int, workers: int, cache: bool, tmp: Path, code: Path | None = None,
               server: str = "granian") -> subprocess.Popen:
    """`kg92 serve` on ``build``; ``code``: another checkout whose ``src/`` is imported instead of this tree's."""
    env = {**os.environ, "KG92_BUILD_DIR": str(build), "KG92_CACHE_ENTRIES": "256" if cache else "0",
           "KG92_PAGE_CACHE_ENTRIES": "1024" if cache else "0", "KG92_QUERY_TIMEOUT": "30", "KG92_SERVER": server}
    (tmp / "root" / "queries").mkdir(parents=True, exist_ok=True)
    env["KG92_ROOT"] = str(tmp / "root")
    command = [str(BIN / "kg92")]
    if code is not None:
        env["PYTHONPATH"] = str(code / "src")
        command = [sys.executable, "-c", "import sys; from kg92.cli import main; sys.exit(main())"]
    proc = subprocess.Popen([*command, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers",
                             str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    wait_ready(port, "/-/health", proc)
    return proc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--build", type=Path, default=ROOT / "build", help="a build directory (default build/)")
    src.add_argument("--unvalidated-data", action="store_true", help="build data/ttl in a temp dir, SHACL skipped")
    src.add_argument("--nq", type=Path, help="an N-Quads file to load into a temp build")
    ap.add_argument("--seconds", type=float, default=4.0, help="seconds of load per query and server")
    ap.add_argument("--clients", type=int, default=8, help="concurrent client processes")
    ap.add_argument("--workers", type=int, default=2, help="server workers of kg92 (each with its query pool)")
    ap.add_argument("--servers", default="granian,gunicorn", help="HTTP servers of kg92 to measure, comma-separated "
                    "(granian is labelled kg92, as `kg92 serve` runs it by default)")
    ap.add_argument("--against", type=Path, help="another checkout (over its own build/) to serve side by side")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kg92-bench-"))
    procs: list[subprocess.Popen] = []
    try:
        build = (unvalidated_build(tmp / "build") if args.unvalidated_data else
                 nq_build(args.nq, tmp / "build") if args.nq else args.build.resolve())
        manifest = json.loads((build / "manifest.json").read_text())
        oxigraph = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
        print(f"# store: {build} ({manifest['triples']} quads); {args.clients} client processes, {args.seconds:g} s per run; "
              f"kg92: {args.workers} workers × 4 threads, query_workers per server process from settings; "
              "+cache: its caches on (repeats from the fast path), else off")
        servers: dict[str, tuple[int, str]] = {}
        for cache, http in ((c, h) for c in (True, False) for h in args.servers.split(",")):
            label = ("kg92" if http == "granian" else http) + ("+cache" if cache else "")
            port = free_port()
            procs.append(start_kg92(build, port, args.workers, cache, tmp, server=http))
            servers[label] = (port, "/sparql")
            if args.against and http == "granian":
                port = free_port()
                procs.append(start_kg92(args.against.resolve() / "build", port, args.workers, cache, tmp, args.against))
                servers[label.replace("kg92", "before")] = (port, "/sparql")
        if args.against:
            print(f"# before: the code of {args.against.resolve()} over its own build/ (same settings); "
                  "'× before' is this tree's rate over that one's")
        if oxigraph:
            port = free_port()
            procs.append(subprocess.Popen([oxigraph, "serve-read-only", "--location", str(build / "store"), "--bind",
                                           f"127.0.0.1:{port}", "--union-default-graph"], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.STDOUT, start_new_session=True))
            wait_ready(port, "/query?query=ASK%7B%7D", procs[-1])
            servers["oxigraph"] = (port, "/query")
            version = subprocess.run([oxigraph, "--version"], capture_output=True, text=True).stdout.strip()
            print(f"# reference: {version} serve-read-only --union-default-graph (HTTP, same store)")
        else:
            print("# reference: NO `oxigraph` command found (pip install oxigraph): comparing with pyoxigraph "
                  "in-process (no HTTP, one thread) instead")
        ref = "oxigraph" if oxigraph else "pyoxigraph"
        print(f"\n{'query':16} {'server':14} {'req/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'× ' + ref:>12}"
              + (f" {'× before':>9}" if args.against else ""))
        for name, (query, accept) in QUERIES.items():
            results = {label: load(port, path, query, accept, args.seconds, args.clients)
                       for label, (port, path) in servers.items()}
            if not oxigraph:
                results["pyoxigraph"] = in_process(build / "store", query, args.seconds)
            for label, r in results.items():
                ratio = r["rps"] / results[ref]["rps"]
                before = results.get(label.replace("kg92", "before")) if label.startswith("kg92") else None
                versus = f" {r['rps'] / before['rps']:9.2f}" if args.against and before else ""
                print(f"{name:16} {label:14} {r['rps']:9.0f} {r['p50']:8.2f} {r['p90']:8.2f} {ratio:12.2f}{versus}")
        return 0
    finally:
        for proc in procs:
            try:
                os.killpg(proc.pid, 15)
                proc.wait(20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, 9)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
