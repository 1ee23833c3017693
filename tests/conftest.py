"""Shared fixtures: the real build (made by `make build` before the tests) and small throw-away repositories."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"
SHARED_DATA = ("vocab", "actors", "schemes", "documents", "questionnaire")


@pytest.fixture(scope="session")
def real_app():
    """The application over the real build in build/ (run `make build` first; `make test` does)."""
    from kg92.app import create_app
    if not (ROOT / "build" / "manifest.json").exists():
        pytest.fail("build/ is missing: run `make build` (make test does it before pytest)")
    app = create_app({"build_dir": str(ROOT / "build")})
    app.testing = True
    return app


@pytest.fixture()
def client(real_app):
    return real_app.test_client()


def make_mini_root(dest: Path) -> Path:
    """A small repository: the real ontology and shapes, and only the shared data files (fast to validate)."""
    shutil.copytree(ROOT / "ontology", dest / "ontology")
    shutil.copytree(ROOT / "shapes", dest / "shapes")
    (dest / "data" / "ttl").mkdir(parents=True)
    for name in SHARED_DATA:
        shutil.copy(ROOT / "data" / "ttl" / f"{name}.ttl", dest / "data" / "ttl" / f"{name}.ttl")
    return dest


@pytest.fixture()
def mini_root(tmp_path) -> Path:
    return make_mini_root(tmp_path / "repo")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
