"""The query pool under heavy queries: a query past query_heavy_after is niced and replaced by a normal worker (simple
queries keep full-priority workers), at most query_heavy_workers run at once, the wait for a worker counts against
query_timeout. Outcomes and workers are asserted, never timings (the figures are in bench/loaded_latency.py)."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from support import CARTESIAN, make_build

from kg92.sparql.pool import HEAVY_NICE, Job, QueryPool

TIMEOUT_503 = ("the query ran longer than the limit of 3 s (query_timeout) and was stopped; make it more selective "
               "(LIMIT, fewer joins) or use the dumps at /dumps/")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return str(make_build(tmp_path_factory.mktemp("pool") / "build") / "store")


def _pool(store_path: str, **kwargs) -> QueryPool:
    pool = QueryPool(store_path, **kwargs)
    _wait(lambda: len(pool.pids()) == pool.size and not pool.status()["starting"])
    return pool


def _wait(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def _in_background(pool: QueryPool, text: str, timeout: float) -> tuple[threading.Thread, dict]:
    result: dict = {}
    thread = threading.Thread(target=lambda: result.update(outcome=pool.run(Job(text), timeout)))
    thread.start()
    return thread, result


def test_a_heavy_query_is_niced_and_replaced_while_simple_ones_use_normal_workers(store_path):
    pool = _pool(store_path, size=1, heavy_after=0.2, max_heavy=2)
    try:
        (first,) = pool.pids()
        thread, result = _in_background(pool, CARTESIAN, 3.0)
        _wait(lambda: pool.status()["heavy"] == 1 and len(pool.pids()) == 2 and not pool.status()["starting"])
        assert os.getpriority(os.PRIO_PROCESS, first) == HEAVY_NICE
        (normal,) = pool.pids() - {first}
        assert os.getpriority(os.PRIO_PROCESS, normal) == 0
        simple = pool.run(Job("ASK { ?s ?p ?o }"), 3.0)
        assert (simple.status, simple.body) == (200, b'{"head":{},"boolean":true}')
        thread.join(10)
        assert (result["outcome"].status, result["outcome"].detail) == (503, TIMEOUT_503)
        assert pool.pids() == {normal} and pool.status()["heavy"] == 0      # the niced worker is gone, not replaced
    finally:
        pool.close()


def test_beyond_the_cap_a_new_heavy_query_gets_503_busy(store_path):
    pool = _pool(store_path, size=2, heavy_after=0.2, max_heavy=1)
    try:
        thread, result = _in_background(pool, CARTESIAN, 3.0)
        _wait(lambda: pool.status()["heavy"] == 1)
        second = pool.run(Job(CARTESIAN.replace("COUNT(*)", "COUNT(?s0)")), 3.0)
        assert (second.status, second.detail) == (503, "1 long-running queries are already running "
                                                       "(query_heavy_workers); try again later or make the query more selective")
        thread.join(10)
        assert result["outcome"].status == 503
    finally:
        pool.close()


def test_waiting_for_a_worker_counts_against_the_timeout(store_path):
    pool = _pool(store_path, size=1, max_heavy=0)                  # no heavy workers: the one worker stays taken
    try:
        thread, result = _in_background(pool, CARTESIAN, 3.0)
        time.sleep(0.3)
        waiting = pool.run(Job("ASK { ?s ?p ?o }"), 1.0)
        assert (waiting.status, waiting.detail) == (503, "all 1 query workers stayed busy for the whole query_timeout "
                                                         "(1 s); try again later")
        thread.join(10)
        assert (result["outcome"].status, result["outcome"].detail) == (503, TIMEOUT_503)
    finally:
        pool.close()


@pytest.mark.parametrize(("sig", "status", "detail"), [
    (signal.SIGSEGV, 500, "the query worker died"),                                   # an engine crash: a fault
    (signal.SIGKILL, 503, "the query worker was stopped by the system (most likely out of memory); make the query "
                          "more selective"),                                          # the OOM killer's signal
])
def test_a_worker_that_dies_during_a_query(store_path, sig, status, detail):
    pool = _pool(store_path, size=1, max_heavy=0)
    try:
        (pid,) = pool.pids()
        thread, result = _in_background(pool, CARTESIAN, 5.0)
        time.sleep(0.5)
        os.kill(pid, sig)
        thread.join(10)
        assert (result["outcome"].status, result["outcome"].detail) == (status, detail)
        assert pool.status()["deaths"] == 1
        _wait(lambda: len(pool.pids()) == 1 and pid not in pool.pids())              # replaced
    finally:
        pool.close()
