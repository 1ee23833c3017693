"""The query pool of the remote backend: the same ``run(job, timeout)`` and ``status()`` as
:class:`kg92.sparql.pool.QueryPool`, over threads that wait for the remote engine (nothing runs here but the text
checks, the negotiation and the serialisation of :func:`kg92.sparql.job.execute`).

``query_timeout`` is enforced on our side: the request gets 503 at the deadline whether the engine answered or not;
the thread still waiting is abandoned (its reads stop at the same deadline, see remote._Body) and keeps its slot
until then, so at most ``size`` requests wait for the engine at once and the others get 503 busy, never a queue
without end."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from kg92.sparql.job import Job, Outcome, execute
from kg92.sparql.remote import RemoteStore


class RemotePool:
    def __init__(self, store: RemoteStore, size: int):
        self.store, self.size = store, max(1, size)
        self._slots = threading.BoundedSemaphore(self.size)
        self._threads = ThreadPoolExecutor(self.size, thread_name_prefix="kg92-remote-query")
        self.abandoned = 0                 # requests answered 503 at the deadline while the engine was still busy
        self.protection = "remote engine (store_url): SERVICE, updates and LOAD refused before forwarding"

    def status(self) -> dict:
        return {"workers": self.size, "starting": 0, "size": self.size, "heavy": 0, "deaths": 0,
                "last_start_error": "", "protection": self.protection, "abandoned": self.abandoned}

    def _execute(self, job: Job, deadline: float) -> Outcome:
        try:
            return execute(self.store.until(deadline), job)
        finally:
            self._slots.release()

    def run(self, job: Job, timeout: float) -> Outcome:
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=timeout):
            return Outcome(503, detail=f"all {self.size} connections to the SPARQL engine stayed busy for the whole "
                                       f"query_timeout ({timeout:g} s); try again later")
        future = self._threads.submit(self._execute, job, deadline)
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            self.abandoned += 1
            return Outcome(503, detail=f"the query ran longer than the limit of {timeout:g} s (query_timeout) and was "
                                       "abandoned; make it more selective (LIMIT, fewer joins) or use the dumps at /dumps/")

    def pids(self) -> set[int]:
        return set()

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
