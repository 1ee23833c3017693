"""The resources of one application (settings, build, store), created by the factory, and their accessors: the
blueprints reach them through ``resources(app)`` here, never by importing the factory."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pyoxigraph as ox
from flask import Flask, request

from kg92 import urls
from kg92.store import Build, freshness, open_store


class Resources:
    """Settings, build and store of one application. The store is opened per process, lazily: a gunicorn worker
    never uses a RocksDB handle inherited through fork()."""

    def __init__(self, settings: MappingProxyType, build: Build):
        self.settings, self.build = settings, build
        self._store: ox.Store | None = None
        self._pid = 0
        self._lock = threading.Lock()

    @property
    def store(self) -> ox.Store:
        with self._lock:
            if self._store is None or self._pid != os.getpid():
                self._store = open_store(self.build)
                self._pid = os.getpid()
            return self._store

    def freshness(self) -> dict[str, Any]:
        """The release served, and whether ``build_dir`` now points to a newer build (see store.freshness)."""
        return freshness(self.build, Path(self.settings["build_dir"]))



def resources(app: Flask) -> Resources:
    return app.extensions["kg92"]


def public_url(app: Flask) -> str:
    """The base of every absolute URL the server writes (no final slash): ``public_url`` (or host:port), the
    request's Host only when ``trust_host_header`` says a proxy sets it: a client's Host never reaches a cached body."""
    conf = resources(app).settings
    return request.host_url.rstrip("/") if conf["trust_host_header"] else urls.public_base(conf)
