"""Shared fixtures: the real build (made by `make build` before the tests) and small throw-away repositories."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

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
    from kg92.web.app import create_app
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


@contextmanager
def gunicorn(build_dir: Path, root: Path = ROOT, kg92: Path | None = None, cwd: Path | None = None) -> Iterator[str]:
    """`kg92 serve` (gunicorn, one worker) on 127.0.0.1 and a free port; yields the base URL, stops it on exit."""
    port = free_port()
    exe = kg92 or Path(sys.executable).with_name("kg92")
    env = {**os.environ, "KG92_ROOT": str(root), "KG92_BUILD_DIR": str(build_dir)}
    proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                            cwd=cwd or root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                            env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/-/health", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, "gunicorn did not answer /-/health in 60 s"
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
