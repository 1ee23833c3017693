"""The repository stands on its own: kg92 finds its project from --root / KG92_ROOT / the current directory (not from
where it is installed), a non-editable `pip install .` works, and a fresh `git clone` of HEAD with nothing beside it
builds, passes the tests that used to need ../shared, and serves.

Installing is made fast and offline: the new virtual environments get the dependencies of this one through a ``.pth``
file (``venv --without-pip`` + ``pip --python … install --no-deps --no-build-isolation``: seconds instead of the
minute of a full install)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from support import ROOT, free_port, make_mini_root

from kg92 import settings

# --no-build-isolation: the build backend (setuptools, a test dependency) comes from this venv, nothing is downloaded
PIP_QUIET = ["--quiet", "--disable-pip-version-check", "--no-warn-script-location", "--no-build-isolation"]
# the tests run in the clone (a subset: the whole suite twice would take too long on CI): every test that read
# ../shared before (the SPARQL tests over the protocol fixture, a shapes test), and those that skip without the source
# texts (their reasons must be printed); the rest of the suite never touched ../shared
CLONE_TESTS = ["tests/web/test_sparql_http.py", "tests/web/test_sparql_formats.py", "tests/sparql/test_sparql_limits.py",
               "tests/sparql/test_sparql_safety.py", "tests/web/test_sparql_clients.py", "tests/sparql/test_sparql_fixture.py",
               "tests/build/test_texts.py", "tests/data/test_data_reports.py", "tests/data/test_ontology.py",
               "tests/build/test_shapes.py::test_cli_validate_exit_codes_formats_and_languages"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any KG92_ setting (a new user's shell)."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("KG92_")}, **extra}


def venv_sharing_our_dependencies(dest: Path) -> Path:
    """A virtual environment whose only own package will be kg92; the rest comes from this one (a .pth file)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(dest)], check=True, timeout=120)
    python = dest / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # every site-packages this interpreter sees (this venv's, and those it borrows itself when it is such a venv)
    ours = [p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir() and p != purelib]
    Path(purelib, "kg92-dependencies.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    return python


def pip_install(python: Path, *args: str, cwd: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", *PIP_QUIET, "--no-deps", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


# ---------------------------------------------------------------- finding the project

def test_the_root_is_found_from_the_current_directory_or_its_parents(tmp_path, monkeypatch):
    root = make_mini_root(tmp_path / "repo")
    (root / "queries").mkdir()
    (root / "data" / "ttl" / "deep").mkdir()
    monkeypatch.delenv("KG92_ROOT", raising=False)
    monkeypatch.delenv("KG92_BUILD_DIR", raising=False)
    monkeypatch.delenv("KG92_SOURCES_DIR", raising=False)
    monkeypatch.chdir(root / "data" / "ttl" / "deep")
    conf = settings.load()
    assert (conf["root"], conf["build_dir"], conf["sources_dir"]) == (
        str(root), str(root / "build"), str(tmp_path / "shared" / "sources"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=r"^no kg92 project in .* or its parents \(a folder with ontology/, data/ttl/, "
                                         r"shapes/, queries/\): run from inside the repository, or give --root PATH / KG92_ROOT$"):
        settings.load()
    explicit = settings.load({"root": str(root), "build_dir": str(tmp_path / "b")})
    assert (explicit["root"], explicit["build_dir"]) == (str(root), str(tmp_path / "b"))
    monkeypatch.setenv("KG92_ROOT", str(root))
    assert settings.load()["build_dir"] == str(root / "build")


def test_pip_install_non_editable_then_kg92_root_build_from_another_directory(tmp_path):
    started = time.perf_counter()
    python = venv_sharing_our_dependencies(tmp_path / "venv")
    pip_install(python, str(ROOT), cwd=tmp_path)
    installed = subprocess.run([str(python), "-c", "import kg92; print(kg92.__file__)"], capture_output=True, text=True,
                               cwd=tmp_path, check=True).stdout.strip()
    assert Path(installed).is_relative_to(tmp_path / "venv"), installed     # not the source tree: a real install
    root = make_mini_root(tmp_path / "project")
    (root / "queries").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    kg92 = tmp_path / "venv" / "bin" / "kg92"
    env = clean_env(KG92_SOURCES_DIR=str(tmp_path / "no-sources"))
    done = subprocess.run([str(kg92), "--root", str(root), "build"], capture_output=True, text=True, cwd=elsewhere,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("built ") and f"→ {root / 'build'} (" in done.stdout
    assert (root / "build" / "manifest.json").is_file() and not (elsewhere / "build").exists()
    # templates and static files come from the installed package
    page = subprocess.run([str(kg92), "--root", str(root), "get", "/id/document/000"], capture_output=True, cwd=elsewhere,
                          env=env, timeout=120)
    assert page.returncode == 0 and b'<p class="not-published">' in page.stdout, page.stderr
    lost = subprocess.run([str(kg92), "build"], capture_output=True, text=True, cwd=elsewhere, env=env, timeout=120)
    assert (lost.returncode, lost.stderr.split(":")[0]) == (2, "kg92")
    assert "no kg92 project in" in lost.stderr
    print(f"venv + pip install . + kg92 build: {time.perf_counter() - started:.1f} s")


# ---------------------------------------------------------------- a fresh clone with nothing beside it

def link_npm_packages(clone: Path) -> None:
    """The clone's node_modules: links to this checkout's packages, stamped as installed (no npm ci again)."""
    if not (ROOT / "node_modules").is_dir():
        return   # no npm here either: the clone builds with the plain editor, as documented
    (clone / "node_modules").mkdir()
    for entry in (ROOT / "node_modules").iterdir():
        if not entry.name.startswith("."):
            (clone / "node_modules" / entry.name).symlink_to(entry)
    (clone / "node_modules" / ".kg92-installed").touch()


@pytest.mark.clone
def test_a_fresh_clone_builds_tests_and_serves_with_nothing_beside_it(tmp_path):
    started = time.perf_counter()
    clone = tmp_path / "kg92"
    done = subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "shared").exists()
    python = venv_sharing_our_dependencies(clone / ".venv")
    pip_install(python, "-e", str(clone), cwd=clone)
    (clone / ".venv" / ".installed").touch()   # what `make install` leaves: make does not install again
    link_npm_packages(clone)
    env = clean_env()
    build = subprocess.run(["make", "build"], capture_output=True, text=True, cwd=clone, env=env, timeout=300)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "quotes not checked (source texts absent)" in (clone / "build" / "validation.txt").read_text(encoding="utf-8")
    installed = time.perf_counter() - started

    tests = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *CLONE_TESTS],
                           capture_output=True, text=True, cwd=clone, env=env, timeout=600)
    out = tests.stdout
    assert tests.returncode == 0, out[-5000:] + tests.stderr[-2000:]
    reason = f"the source texts are absent ({tmp_path / 'shared' / 'sources'}; point KG92_SOURCES_DIR at them)"
    assert "SKIPPED [9] tests/data/test_data_reports.py:" in out and reason in out, out[-3000:]
    assert "shared/tools" not in out and " failed" not in out.splitlines()[-1]   # nothing looks outside the clone
    tested = time.perf_counter() - started - installed

    port = free_port()
    serve = subprocess.Popen(["make", "serve", f"PORT={port}"], cwd=clone, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = requests.get(f"http://127.0.0.1:{port}/-/health", timeout=5)
                break
            except requests.ConnectionError:
                assert serve.poll() is None and time.monotonic() < deadline, serve.stdout.read().decode()
                time.sleep(0.3)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        text = requests.get(f"http://127.0.0.1:{port}/id/document/000.txt", timeout=5)
        assert text.status_code == 404     # built without the sources: nothing published, and the server says so
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
    shutil.rmtree(clone, ignore_errors=True)
    print(f"clone + install + build {installed:.1f} s, tests {tested:.1f} s, total {time.perf_counter() - started:.1f} s")
