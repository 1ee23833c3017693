"""Query worker processes: the only place where client SPARQL runs, and the hard stop behind ``query_timeout``.

pyoxigraph has no cancellation: a blocking operator (ORDER BY, a cartesian join …) runs inside one call. So each
query runs in a worker *process* that opened the store once with ``Store.read_only``; the worker checks the text
(:mod:`kg92.sparql.safety`), executes it, negotiates and serialises the result (QuerySolutions must be consumed on the
thread that made them) and sends bytes back. At the deadline the parent kills the worker (SIGKILL: the work
really stops) and starts a replacement in the background; the request gets 503 at once and other requests keep
being served by the other workers.

Processes come from the ``forkserver`` context (``spawn`` where unavailable), never a bare ``fork`` of a threaded
gunicorn worker; the pool is created lazily, once per server process (see ``kg92.sparql.engine.Engine``).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import resource
import signal
import threading
import time
import traceback
from dataclasses import dataclass

import pyoxigraph as ox

from kg92.sparql import sandbox
from kg92.sparql.job import Job, Outcome, execute

log = logging.getLogger("kg92.querypool")
START_TIMEOUT = 60.0     # seconds a new worker may take to import and open the store
HEAVY_NICE = 19          # the CPU priority of a worker whose query has run longer than query_heavy_after


def _protect(allow_unsandboxed: bool) -> str:
    """Install the network sandbox (after the store is open); what /-/health reports, or SandboxError."""
    try:
        return sandbox.install()
    except sandbox.SandboxError as exc:
        if not allow_unsandboxed:
            raise
        return f"{sandbox.NONE}: {exc}"


def _worker_main(store_path: str, conn, memory_mb: int = 0, allow_unsandboxed: bool = False) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the server process decides when workers stop
    store = ox.Store.read_only(store_path)
    if memory_mb > 0:                                 # an allocation beyond it aborts this process, not the server
        limit = memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    try:
        protection = _protect(allow_unsandboxed)
    except sandbox.SandboxError as exc:               # fail closed: this worker never runs a query
        conn.send(("refused", f"{exc}; set allow_unsandboxed_queries to run queries without it"))
        return
    conn.send(("ready", os.getpid(), protection))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):                   # the server process went away
            return
        try:
            outcome = execute(store, job)
        except Exception:   # noqa: BLE001 - a server fault: reported as 500 with its traceback, never as 4xx
            outcome = Outcome(500, detail="the query worker failed", fault=traceback.format_exc())
        conn.send(outcome)


class PoolError(OSError):
    """No query worker could be started (the store cannot be opened): a server fault."""


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: object

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _context():
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["kg92.sparql.pool"])   # rdflib, pyoxigraph, werkzeug imported once
    return ctx


class QueryPool:
    """``size`` worker processes on one store; :meth:`run` returns an :class:`Outcome` (503 on the deadline).

    ``query_timeout`` bounds the whole request, the wait for a free worker included. A query still running after
    ``heavy_after`` seconds is *heavy*: its worker is niced (19) and a normal worker is started in its place, so
    simple queries keep ``size`` workers at full priority; at most ``max_heavy`` heavy queries run at once (a query
    that would be one more is stopped: 503 busy); a heavy worker is retired after its query."""

    def __init__(self, store_path: str, size: int, memory_mb: int = 0, allow_unsandboxed: bool = False,
                 heavy_after: float = 0.5, max_heavy: int = 2):
        self.store_path, self.size, self.memory_mb = store_path, max(1, size), memory_mb
        self.heavy_after, self.max_heavy = heavy_after, max_heavy     # max_heavy 0: no heavy workers at all
        self._heavy = 0
        self.deaths = 0                                # workers that died during a query (not stopped by the pool)
        self.allow_unsandboxed = allow_unsandboxed
        self.protection = ""                           # what the last started worker reported (sandbox.SECCOMP …)
        self._ctx = _context()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._starting = 0
        self._workers: set[_Worker] = set()
        self._closed = False
        self.last_start_error = ""
        for _ in range(self.size):
            self._replace()

    def pids(self) -> set[int]:
        with self._lock:
            return {w.process.pid for w in self._workers if w.process.pid}

    def status(self) -> dict:
        """Alive and starting workers and the last start error: what /-/health reports."""
        with self._lock:
            alive, starting, heavy = sum(1 for w in self._workers if w.process.is_alive()), self._starting, self._heavy
        return {"workers": alive, "starting": starting, "size": self.size, "heavy": heavy, "deaths": self.deaths,
                "last_start_error": self.last_start_error, "protection": self.protection}

    def _replace(self) -> None:
        with self._lock:
            self._starting += 1
        threading.Thread(target=self._start_one, name="kg92-query-worker-start", daemon=True).start()

    def _start_one(self) -> None:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main, args=(self.store_path, child, self.memory_mb, self.allow_unsandboxed),
                                 name="kg92-query-worker", daemon=True)
        worker = _Worker(proc, parent)
        try:
            proc.start()
            child.close()
            if not parent.poll(START_TIMEOUT):
                raise PoolError(f"a query worker did not start in {START_TIMEOUT:.0f} s")
            message = parent.recv()
            if message[0] != "ready":
                raise PoolError(f"a query worker refused to start: {message[1]}")
            self.protection = message[2]
        except (OSError, EOFError) as exc:
            proc.join(1)
            reason = str(exc) or (f"the worker process exited with code {proc.exitcode} while opening the store"
                                  if proc.exitcode is not None else type(exc).__name__)
            if not self._closed:   # a pool being closed (process exit) stops its starting workers: not an error
                log.error("cannot start a query worker on %s: %s", self.store_path, reason)
            self.last_start_error = reason
            worker.stop()
            with self._lock:
                self._starting -= 1
            return
        with self._lock:
            self._starting -= 1
            if self._closed:
                worker.stop()
                return
            self._workers.add(worker)
        self._idle.put(worker)

    def _retire(self, worker: _Worker, replace: bool) -> None:
        with self._lock:
            self._workers.discard(worker)
        worker.process.kill()                     # immediately: the deadline has passed
        threading.Thread(target=worker.stop, daemon=True).start()
        if replace and not self._closed:
            self._replace()

    def _acquire(self, deadline: float) -> _Worker | None:
        """An idle worker, waiting until ``deadline`` (longer while the only workers are still starting)."""
        while True:
            with self._lock:
                starting, alive = self._starting, len(self._workers)
            if not starting and not alive:
                raise PoolError(f"no query worker could be started: {self.last_start_error}")
            if time.monotonic() >= deadline + (0 if alive else START_TIMEOUT):
                return None
            try:
                return self._idle.get(timeout=0.05)
            except queue.Empty:
                continue

    def _make_heavy(self, worker: _Worker) -> bool:
        """The query has run ``heavy_after`` seconds: lower its worker's CPU priority and start a normal worker in
        its place (so ``size`` workers stay free for simple queries). False when ``max_heavy`` already run."""
        with self._lock:
            if self._heavy >= self.max_heavy:
                return False
            self._heavy += 1
        try:
            os.setpriority(os.PRIO_PROCESS, worker.process.pid, HEAVY_NICE)
        except OSError:                               # the worker just ended: its answer is in the pipe
            pass
        self._replace()
        return True

    def _finish_heavy(self, worker: _Worker) -> None:
        with self._lock:
            self._heavy -= 1
        self._retire(worker, replace=False)           # niced for good (raising priority needs privileges)

    def _release(self, worker: _Worker, heavy: bool) -> None:
        """The query is answered: a normal worker goes back to the idle queue, a heavy (niced) one is retired."""
        if heavy:
            self._finish_heavy(worker)
        else:
            self._idle.put(worker)

    def _end(self, worker: _Worker, heavy: bool) -> None:
        """The worker is killed (deadline) or dead; a heavy one was replaced already, a normal one is now."""
        if heavy:
            self._finish_heavy(worker)
        else:
            self._retire(worker, replace=True)

    def run(self, job: Job, timeout: float) -> Outcome:
        """Run ``job``; ``timeout`` bounds the whole request: waiting for a worker, then running."""
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline)
        if worker is None:
            return Outcome(503, detail=f"all {self.size} query workers stayed busy for the whole query_timeout "
                                       f"({timeout:g} s); try again later")
        if time.monotonic() >= deadline:      # only after waiting for the pool's first workers (server start-up)
            deadline = time.monotonic() + timeout
        heavy = False
        try:
            worker.conn.send(job)
            quick = self.heavy_after if self.max_heavy > 0 else timeout
            if not worker.conn.poll(max(0.0, min(quick, deadline - time.monotonic()))) \
                    and time.monotonic() < deadline:
                if not self._make_heavy(worker):
                    self._retire(worker, replace=True)
                    return Outcome(503, detail=f"{self.max_heavy} long-running queries are already running "
                                               "(query_heavy_workers); try again later or make the query more selective")
                heavy = True
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                outcome = worker.conn.recv()
                self._release(worker, heavy)
                return outcome
        except (EOFError, OSError):
            return self._died(worker, heavy)
        self._end(worker, heavy)
        return Outcome(503, detail=f"the query ran longer than the limit of {timeout:g} s (query_timeout) and was "
                                   "stopped; make it more selective (LIMIT, fewer joins) or use the dumps at /dumps/")

    def _died(self, worker: _Worker, heavy: bool) -> Outcome:
        """The worker ended during a query. Killed by the memory limit or by the system (OOM killer): 503, the
        query was too big; any other death (a crash of the engine): 500, a server fault, logged."""
        worker.process.join(2)
        code = worker.process.exitcode
        self.deaths += 1
        self._end(worker, heavy)
        if code == -signal.SIGABRT and self.memory_mb:     # an allocation failed against query_memory_mb
            return Outcome(503, detail=f"the query needed more than {self.memory_mb} MiB of memory "
                                       "(query_memory_mb) and was stopped; make it more selective")
        if code == -signal.SIGKILL:
            return Outcome(503, detail="the query worker was stopped by the system (most likely out of memory); "
                                       "make the query more selective")
        return Outcome(500, detail="the query worker died",
                       fault=f"query worker {worker.process.pid} died (exit code {code})")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()
