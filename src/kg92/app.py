"""Application factory: settings → build → store → blueprints → error handlers."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pyoxigraph as ox
from flask import Flask, current_app, request

from . import errors, headers, settings, texts, urls
from .queries import Registry, list_members
from .store import Build, freshness, load_build, open_store, pin


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


def create_app(config: dict[str, Any] | None = None, release: Path | None = None) -> Flask:
    """The application over ``release`` (a release directory, as ``kg92 serve`` resolves it once at the gunicorn
    master so that every worker, even one restarted after a rebuild, serves the same build), else over the release
    ``build_dir`` points to now."""
    conf = settings.load(config)
    build = load_build(release or Path(conf["build_dir"]))   # BuildError: refuse to start on a missing or failed build
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
    app.jinja_env.globals["public_url"] = lambda: public_url(current_app)
    app.after_request(headers.add)   # CSP, nosniff, no framing: every response, error pages included
    return app


def resources(app: Flask) -> Resources:
    return app.extensions["kg92"]


def public_url(app: Flask) -> str:
    """The base of every absolute URL the server writes (no final slash): ``public_url`` (or host:port), the
    request's Host only when ``trust_host_header`` says a proxy sets it: a client's Host never reaches a cached body."""
    conf = resources(app).settings
    return request.host_url.rstrip("/") if conf["trust_host_header"] else urls.public_base(conf)
