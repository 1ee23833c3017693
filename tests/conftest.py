"""Shared fixtures: the real build (made by `make build` before the tests) and small throw-away repositories.
The helpers the tests import (paths, builders, servers) are in tests/support.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import ROOT, make_mini_root


@pytest.fixture(scope="session")
def real_app():
    """The application over the real build in build/ (run `make build` first; `make test` does)."""
    from kg92.web.app import create_app
    if not (ROOT / "build" / "manifest.json").exists():
        pytest.fail("build/ is missing: run `make build` (make test does it before pytest)")
    app = create_app({"build_dir": str(ROOT / "build")})
    app.testing = True
    return app


@pytest.fixture()
def client(real_app):
    return real_app.test_client()


@pytest.fixture()
def mini_root(tmp_path) -> Path:
    return make_mini_root(tmp_path / "repo")
