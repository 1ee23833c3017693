"""The resources of one application, created by the factory, and their typed accessors: ``resources(app)``
(settings, build, store), ``registry``, ``members``, ``contexts``, ``texts``, ``jsonld_context``, ``search_index`` (loaded at
start-up), ``engine``, and the values computed once on first use (``statistics``, ``example_sparql``). Blueprints
reach them here, never by importing the factory (web/app.py)."""

from __future__ import annotations

import os
import threading
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from flask import Flask, request

from kg92 import urls
from kg92.sparql import remote
from kg92.store import Build, freshness, open_store, statistics
from kg92.web.facets import Facet, Kind, applicable, kinds

if TYPE_CHECKING:
    from kg92.build.texts import Text
    from kg92.queries.registry import Registry
    from kg92.sparql.engine import Engine
    from kg92.web.searching import Index


class Resources:
    """Settings, build and store of one application. The store is opened per process, lazily: a gunicorn worker
    never uses a RocksDB handle inherited through fork(). The values computed on first use (``cached_property``)
    are computed under the same lock, once: a second thread waits, then reads the value."""

    def __init__(self, settings: MappingProxyType, build: Build):
        self.settings, self.build = settings, build
        self._store: ox.Store | remote.RemoteStore | None = None
        self._pid = 0
        self._lock = threading.RLock()   # reentrant: a value computed under it opens the store
        self.store_warning = ""         # over store_url: why the engine's build may not be this one
        self.validating = threading.Lock()   # POST /validate: one validation at a time (a second one gets 503)

    @property
    def store(self) -> ox.Store | remote.RemoteStore:
        """The embedded store, or the engine at ``store_url`` (sparql/remote.py: checked once per process to hold
        this build, RuntimeError otherwise unless ``store_allow_other_build``)."""
        with self._lock:
            if self._store is None or self._pid != os.getpid():
                self._store = self._remote() if self.settings["store_url"] else open_store(self.build)
                self._pid = os.getpid()
            return self._store

    def _remote(self) -> remote.RemoteStore:
        store = remote.connect(self.settings, self.build)
        self.store_warning = remote.check_build(store, self.build, self.settings["store_allow_other_build"])
        return store

    @cached_property
    def statistics(self) -> dict[str, Any]:
        """The counts VoID and the service description publish (store.statistics), of the read-only store."""
        return self._once("statistics", lambda: statistics(self.store))

    @cached_property
    def catalogue(self) -> dict[str, tuple[Kind, tuple[Facet, ...]]]:
        """{kind: (Kind, facets)} of the browse pages (web/facets.py), read from the read-only store once."""
        return self._once("catalogue", lambda: {k: (v, applicable(self.store, v)) for k, v in kinds(self.store).items()})

    @cached_property
    def example_sparql(self) -> dict[tuple[str, str], str | None]:
        """The canned queries' ready-to-run texts by (name, language), filled by web/canned.py under ``lock``."""
        return {}

    @cached_property
    def term_labels(self) -> dict[str, dict[str, str | None]]:
        """The editor's labels of IRIs by language, filled by web/termlabels.py (bounded there)."""
        return self._once("term_labels", dict)

    def _once(self, name: str, compute):
        """``compute()`` stored as attribute ``name`` under the lock: computed once, whichever thread asks first."""
        with self._lock:
            if name not in self.__dict__:
                self.__dict__[name] = compute()
            return self.__dict__[name]

    @property
    def lock(self) -> threading.RLock:
        return self._lock

    def freshness(self) -> dict[str, Any]:
        """The release served, and whether ``build_dir`` now points to a newer build (see store.freshness)."""
        return freshness(self.build, Path(self.settings["build_dir"]))


def resources(app: Flask) -> Resources:
    return app.extensions["kg92"]


def registry(app: Flask) -> Registry:
    """The canned queries, parsed and checked once at start-up."""
    return app.extensions["kg92.queries"]


def members(app: Flask) -> dict:
    """The members of each list a canned query's parameter may take (read from the store at start-up)."""
    return app.extensions["kg92.lists"]


def contexts(app: Flask) -> dict[str, str]:
    """The sentence around each quote, as the build wrote it ({} without contexts.json)."""
    return app.extensions.get("kg92.contexts", {})


def texts(app: Flask) -> dict[str, Text]:
    """The source texts the build published ({} without them)."""
    return app.extensions.get("kg92.texts", {})


def jsonld_context(app: Flask) -> dict:
    """The JSON-LD context published at /context.jsonld (build/context.jsonld, loaded at start-up)."""
    return app.extensions["kg92.jsonld"]


def engine(app: Flask) -> Engine:
    """The SPARQL engine, created when the /sparql blueprint is registered."""
    return app.extensions["kg92.sparql"]


def statistics_of(app: Flask) -> dict[str, Any]:
    """The store's statistics (VoID, service description), computed once per application."""
    return resources(app).statistics


def search_index(app: Flask) -> Index:
    """What /search looks in: the release's search.sqlite, opened at start-up and read on disk (computed then without it)."""
    return app.extensions["kg92.search"]


def example_sparql(app: Flask) -> dict[tuple[str, str], str | None]:
    """The memo of the canned queries' ready-to-run texts (web/canned.py's ``example_sparql``)."""
    return resources(app).example_sparql


def public_url(app: Flask) -> str:
    """The base of every absolute URL the server writes (no final slash): ``public_url`` (or host:port), the
    request's Host only when ``trust_host_header`` says a proxy sets it: a client's Host never reaches a cached body."""
    conf = resources(app).settings
    return request.host_url.rstrip("/") if conf["trust_host_header"] else urls.public_base(conf)
