#!/usr/bin/env python3
"""Simple-query latency with and without pathological clients, over HTTP on the real build (figures, not pass/fail).

Starts `kg92 serve` (granian, or gunicorn with KG92_SERVER=gunicorn; default settings unless KG92_* variables say otherwise) on a free port, then:
unloaded — simple queries one after the other; loaded — the same while four clients send, in a loop, a query that
runs until `query_timeout` (a cartesian product). Prints p50/p99 of the simple queries and the status counts of
both. Each simple query differs (a comment with its number) so the response cache does not answer it.

    .venv/bin/python bench/loaded_latency.py [--seconds 20] [--clients 4]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
SIMPLE = "SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} GROUP BY ?p ORDER BY DESC(?n) LIMIT 5 # {i}"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " } # {i}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "kg92"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/-/health", timeout=2).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not become healthy in 90 s")


def ask(base: str, text: str) -> tuple[int, float]:
    t0 = time.perf_counter()
    try:
        status = requests.get(f"{base}/sparql", params={"query": text},
                              headers={"Accept": "application/sparql-results+json"}, timeout=120).status_code
    except requests.RequestException:
        status = 0
    return status, time.perf_counter() - t0


def simple_queries(base: str, seconds: float, start: int) -> tuple[list[float], Counter]:
    times, statuses, i, end = [], Counter(), start, time.monotonic() + seconds
    while time.monotonic() < end:
        status, elapsed = ask(base, SIMPLE.format(i=i))
        statuses[status] += 1
        times.append(elapsed)
        i += 1
    return times, statuses


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000 if len(values) > 1 else float("nan")


def report(label: str, times: list[float], statuses: Counter) -> None:
    print(f"{label:>9}: simple queries n={len(times)} p50={pct(times, 50):.1f} ms p99={pct(times, 99):.1f} ms "
          f"max={max(times) * 1000:.1f} ms statuses={dict(sorted(statuses.items()))}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        simple_queries(base, 2, 0)                                        # warm up both server workers
        report("unloaded", *simple_queries(base, args.seconds / 2, 10_000))
        stop, heavy = threading.Event(), Counter()

        def pathological(n: int) -> None:
            i = n * 1_000_000
            while not stop.is_set():
                heavy[ask(base, HEAVY.replace("{i}", str(i)))[0]] += 1
                i += 1

        clients = [threading.Thread(target=pathological, args=(n,), daemon=True) for n in range(args.clients)]
        for thread in clients:
            thread.start()
        time.sleep(1.0)
        report("loaded", *simple_queries(base, args.seconds, 20_000))
        stop.set()
        print(f"{'':>9}  {args.clients} pathological clients: statuses={dict(sorted(heavy.items()))}", flush=True)
    finally:
        server.terminate()
        server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
