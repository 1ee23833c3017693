"""Shared fixtures: the real build (made by `make build` before the tests) and small throw-away repositories.
The helpers the tests import (paths, builders, servers) are in tests/support.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import ROOT, make_mini_root, oxigraph_server, publish_build, real_build_app, require_build


@pytest.fixture()
def real_app():
    """A fresh application from the factory over the real build in build/ (run `make build` first; `make test`
    does), for each test: nothing one test computes or caches reaches another. Its query workers are stopped after
    the test."""
    from kg92.web.resources import engine
    app = real_build_app()
    yield app
    engine(app).close()


@pytest.fixture(scope="session")
def release_store():
    """The real build's read-only store, for the tests that read the data (no application, no request)."""
    from kg92.store import load_build, open_store
    require_build()
    return open_store(load_build(ROOT / "build"))


@pytest.fixture()
def client(real_app):
    return real_app.test_client()


@pytest.fixture()
def mini_root(tmp_path) -> Path:
    return make_mini_root(tmp_path / "repo")


@pytest.fixture(scope="session")
def remote_store_url(tmp_path_factory):
    """A real Oxigraph server (`oxigraph serve`, PyPI `oxigraph`) on 127.0.0.1, holding the real build as
    `kg92 publish` loads it: one per test session, for every test over the remote backend (store_url). With
    KG92_TEST_STORE_URL, that engine instead (it must hold the build already: tools/virtuoso.sh)."""
    require_build()
    if os.environ.get("KG92_TEST_STORE_URL"):   # another engine, started and loaded by `make test-virtuoso`
        yield os.environ["KG92_TEST_STORE_URL"]
        return
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        publish_build(url)
        yield url


def pytest_collection_modifyitems(config, items):
    """A test marked ``embedded_only`` (it never reaches the data) runs over the embedded store alone: its remote
    case of ``backend_app`` is deselected (reported as deselected, not skipped)."""
    remote = [item for item in items if item.get_closest_marker("embedded_only")
              and getattr(item, "callspec", None) and item.callspec.params.get("backend_app") == "remote"]
    if remote:
        config.hook.pytest_deselected(items=remote)
        items[:] = [item for item in items if item not in remote]


@pytest.fixture(params=["embedded", "remote"])
def backend_app(request):
    """A fresh application over the real build, once over the embedded store and once over the Oxigraph server
    of ``remote_store_url`` (store_url): a module runs its tests over both backends by taking its ``client``
    from this fixture (see tests/web/test_pages.py)."""
    from kg92.web.resources import engine
    conf = {"store_url": request.getfixturevalue("remote_store_url")} if request.param == "remote" else {}
    app = real_build_app(**conf)
    yield app
    engine(app).close()
