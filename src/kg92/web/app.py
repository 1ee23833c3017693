"""Application factory: settings → build → store → blueprints → error handlers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from kg92 import jsonld, settings
from kg92.build import mentions, summaries, texts
from kg92.queries.binding import list_members
from kg92.queries.registry import Registry
from kg92.store import load_build, pin
from kg92.web import (
    browse,
    canned,
    compare,
    dataset,
    documents,
    editor,
    errorpages,
    headers,
    home,
    i18n,
    linkeddata,
    ontology,
    ops,
    protocol,
    search,
    termlabels,
    validation,
)
from kg92.web.fastpath import FastPath
from kg92.web.resources import Resources, public_url
from kg92.web.searching import Index

PACKAGE = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None, release: Path | None = None) -> Flask:
    """The application over ``release`` (a release directory, as ``kg92 serve`` resolves it once at the gunicorn
    master so that every worker, even one restarted after a rebuild, serves the same build), else over the release
    ``build_dir`` points to now."""
    conf = settings.load(config)
    build = load_build(release or Path(conf["build_dir"]))   # BuildError: refuse to start on a missing or failed build
    app = Flask(__name__, root_path=str(PACKAGE))   # templates/ and static/ of the kg92 package
    app.config["MAX_CONTENT_LENGTH"] = conf["max_body_bytes"]
    app.json.ensure_ascii = False
    pin(build)   # this process uses the release: `kg92 build` will not prune it
    app.extensions["kg92"] = Resources(conf, build)
    contexts = build.path / "contexts.json"   # the sentence around each quote (written by the build)
    app.extensions["kg92.contexts"] = json.loads(contexts.read_text("utf-8")) if contexts.is_file() else {}
    app.extensions["kg92.texts"] = texts.load(build.path)   # the source texts the build published ({} without them)
    app.extensions["kg92.summaries"] = summaries.load(build.path)   # the pages' aggregates (None: run the queries)
    app.extensions["kg92.mentions"] = mentions.open_index(build.path)   # where each scheme and actor is mentioned
    store = app.extensions["kg92"].store   # opened now: a broken store stops start-up (BuildError)
    app.extensions["kg92.jsonld"] = jsonld.load(build.path, store)   # /context.jsonld (the build's, or computed now)
    # canned queries: parsed and checked once; a bad file stops start-up naming it (QueryFileError)
    app.extensions["kg92.queries"] = Registry.load(Path(conf["root"]) / "queries")
    app.extensions["kg92.lists"] = list_members(store)
    app.extensions["kg92.search"] = Index.of(build.path, store)   # /search's index: the build's (or computed now)
    # one blueprint per module, named like it; the order is that of the before/after-request hooks
    for room in (ops, ontology, canned, protocol,
                 dataset,      # service description helpers, /.well-known/void, /dumps/
                 validation,   # /validation: the build's report; POST /validate: the SHACL service
                 i18n,         # the language of every page (before_app_request), its messages
                 home, editor, termlabels, compare, search,
                 browse,       # /id/{kind}/: every resource of a kind, with facets (and .json, .csv)
                 documents,    # /id/document/NNN: the text (.txt) and the page with every quote in it
                 linkeddata):  # linked-data pages: /id/…, /graph/…, /def
        app.register_blueprint(room.bp)
    errorpages.register(app)
    app.jinja_env.globals["public_url"] = lambda: public_url(current_app)
    app.after_request(headers.add)   # CSP, nosniff, no framing: every response, error pages included
    # repeated GETs answered from memory before Flask routes them (the build is immutable: see web/fastpath.py)
    app.wsgi_app = FastPath(app.wsgi_app, conf["page_cache_entries"], conf["page_cache_max_bytes"],
                            key_host=conf["trust_host_header"])
    return app
