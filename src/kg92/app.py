"""Application factory: settings → build → store → blueprints → error handlers."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pyoxigraph as ox
from flask import Flask

from . import errors, settings, texts
from .queries import Registry, list_members
from .store import Build, load_build, open_store, pin


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


def create_app(config: dict[str, Any] | None = None) -> Flask:
    conf = settings.load(config)
    build = load_build(Path(conf["build_dir"]))   # BuildError: refuse to start on a missing or failed build
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = conf["max_body_bytes"]
    app.json.ensure_ascii = False
    pin(build)   # this process uses the release: `kg92 build` will not prune it
    app.extensions["kg92"] = Resources(conf, build)
    contexts = build.path / "contexts.json"   # the sentence around each quote (written by the build)
    app.extensions["kg92.contexts"] = json.loads(contexts.read_text("utf-8")) if contexts.is_file() else {}
    app.extensions["kg92.texts"] = texts.load(build.path)   # the source texts the build published ({} without them)
    store = app.extensions["kg92"].store   # opened now: a broken store stops start-up (BuildError)
    # canned queries: parsed and checked once; a bad file stops start-up naming it (QueryFileError)
    app.extensions["kg92.queries"] = Registry.load(Path(conf["root"]) / "queries")
    app.extensions["kg92.lists"] = list_members(store)
    from . import docpages, docs, pages, querypages, shaclservice, sparql, ui, web
    app.register_blueprint(web.bp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(querypages.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(sparql.service.bp)   # service description helpers, /.well-known/void, /dumps/
    app.register_blueprint(shaclservice.bp)   # POST /validate: the SHACL service
    app.register_blueprint(ui.bp)      # home, editor, comparisons, search, validation; i18n for every page
    app.register_blueprint(docpages.bp)   # /id/document/NNN: the text (.txt) and the page with every quote in it
    app.register_blueprint(pages.bp)   # linked-data pages: /id/…, /graph/…, /def
    errors.register(app)
    return app


def resources(app: Flask) -> Resources:
    return app.extensions["kg92"]
