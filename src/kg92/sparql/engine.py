"""The SPARQL engine of one application: the response cache in front of the query pool, started lazily once per
server process, and the sandbox check at start-up. Knows settings and a build, not Flask."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import threading
from collections.abc import Mapping

from kg92.formats import TABLES, NotAcceptable, choose
from kg92.sparql import remote, sandbox
from kg92.sparql.cache import ResponseCache
from kg92.sparql.job import Job, Outcome
from kg92.sparql.pool import QueryPool
from kg92.sparql.remotepool import RemotePool
from kg92.store import Build

log = logging.getLogger("kg92.sparql")


class Engine:
    """Per application: the response cache and the query pool, started lazily once per server process."""

    def __init__(self, settings: Mapping, build: Build):
        self.settings, self.build = settings, build
        self._lock = threading.Lock()
        self._pool: QueryPool | RemotePool | None = None
        self._pid = 0
        self.protection = self._check_sandbox()
        self.cache = ResponseCache(self.settings["cache_entries"], self.settings["cache_max_bytes"])

    def _check_sandbox(self) -> str:
        """Fail closed at start-up: the server does not start where the query workers' sandbox cannot be set up,
        unless allow_unsandboxed_queries accepts the risk (then what /-/health reports). Over a remote engine
        (store_url) no query runs here: there is no worker to sandbox."""
        if self.settings["store_url"]:
            return "remote engine (store_url): SERVICE, updates and LOAD refused before forwarding"
        reason = sandbox.probe()
        if not reason:
            return sandbox.SECCOMP
        if not self.settings["allow_unsandboxed_queries"]:
            raise RuntimeError(f"the query workers' network sandbox cannot be set up ({reason}); "
                               "set allow_unsandboxed_queries = true to serve queries without it")
        log.warning("query workers run WITHOUT the network sandbox: %s", reason)
        return f"{sandbox.NONE}: {reason}"

    def pool(self) -> QueryPool | RemotePool:
        with self._lock:
            if self._pool is None or self._pid != os.getpid():    # first use, or a forked gunicorn worker
                self._pool = self._remote_pool() if self.settings["store_url"] else QueryPool(str(self.build.store_path), self.settings["query_workers"],
                                       self.settings["query_memory_mb"], self.settings["allow_unsandboxed_queries"],
                                       self.settings["query_heavy_after"], self.settings["query_heavy_workers"])
                self._pid = os.getpid()
                self.cache.clear()
            return self._pool

    def _remote_pool(self) -> RemotePool:
        """Threads waiting for the engine at store_url: as many as a server process has request threads."""
        return RemotePool(remote.connect(self.settings, self.build),
                          max(self.settings["query_workers"], self.settings["threads"]))

    def run(self, job: Job) -> Outcome:
        key = (self.build.id, cache_key(job))
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        outcome = self.pool().run(job, self.settings["query_timeout"])
        if outcome.status == 200:
            self.cache.put(key, outcome, len(outcome.body))
        return outcome

    def etag(self, job: Job, lang: str | None = None) -> str:
        """The strong ETag of the job's answer; an HTML page is in the site's language ``lang``: one tag each."""
        key = cache_key(job)
        tag = hashlib.sha256(repr((self.build.id, key)).encode("utf-8")).hexdigest()[:32]
        return f'"{tag}-{lang}"' if lang and "html" in key[1] else f'"{tag}"'

    def close(self) -> None:
        with self._lock:
            if self._pool is not None and self._pid == os.getpid():
                self._pool.close()
            self._pool = None


def cache_key(job: Job) -> tuple:
    """The job with its Accept header and format= replaced by what they negotiate for each kind of result:
    two requests that get the same bytes share one cache entry, however their Accept headers are spelled."""
    negotiated = []
    for kind in TABLES:
        try:
            negotiated.append(choose(kind, job.accept, job.fmt).key)
        except NotAcceptable:
            negotiated.append(None)
    return (dataclasses.replace(job, accept=None, fmt=None), tuple(negotiated))
