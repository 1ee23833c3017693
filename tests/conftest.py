"""Shared fixtures: the real build (made by `make build` before the tests) and small throw-away repositories."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from kg92 import settings

ROOT = Path(__file__).resolve().parents[1]
# the source texts: settings `sources_dir` (KG92_SOURCES_DIR, default ../shared/sources beside the repository).
# Without them, the tests that read them skip, saying so (`make test` prints the reasons: pytest -rs).
SOURCES = Path(settings.load({"root": str(ROOT)})["sources_dir"])
HAVE_SOURCES = SOURCES.is_dir()
NO_SOURCES = f"the source texts are absent ({SOURCES}; point KG92_SOURCES_DIR at them)"
needs_sources = pytest.mark.skipif(not HAVE_SOURCES, reason=NO_SOURCES)
PROTOCOL_DATA = ROOT / "tests" / "fixtures" / "protocol"   # the W3C SPARQL protocol fixture: three tiny graphs
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
