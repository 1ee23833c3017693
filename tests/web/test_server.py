"""The server over the real build: health, about, a SPARQL ASK; and granian and gunicorn serving it for real."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from support import ROOT, SOURCES, free_port


def test_health_names_the_build(client, real_app):
    resp = client.get("/-/health")
    assert resp.status_code == 200
    body = resp.get_json()
    assert (body["status"], body["build"]) == ("ok", real_app.extensions["kg92"].build.id)
    assert body["query_workers"]["size"] == 2 and body["query_workers"]["workers"] + body["query_workers"]["starting"] >= 1


def test_health_is_degraded_when_no_query_worker_can_start(tmp_path, mini_root):
    """The store removed under a server (what pruning a live release used to do): 503 with the cause."""
    import shutil

    from kg92.build import run
    from kg92.web.app import create_app
    from kg92.web.protocol import engine
    assert run(mini_root, mini_root / "build", SOURCES).code == 0
    app = create_app({"build_dir": str(mini_root / "build"), "query_workers": 1})
    try:
        assert app.extensions["kg92"].store is not None   # this process keeps its handle; new workers cannot open the store
        shutil.rmtree((mini_root / "build").resolve() / "store")
        deadline = time.monotonic() + 60
        while True:
            resp = app.test_client().get("/-/health")
            if resp.status_code == 503 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        body = resp.get_json()
        assert (resp.status_code, body["status"], body["query_workers"]["workers"]) == (503, "degraded", 0)
        assert body["query_workers"]["last_start_error"]
    finally:
        engine(app).close()


def test_about_shows_manifest_and_effective_limits():
    from kg92.web.app import create_app
    from kg92.web.protocol import engine
    app = create_app({"build_dir": str(ROOT / "build")})        # the default settings (not the tests' query timeout)
    try:
        body = app.test_client().get("/-/about.json").get_json()
    finally:
        engine(app).close()
    manifest = json.loads((ROOT / "build" / "manifest.json").read_text())
    assert body["manifest"]["input_hash"] == manifest["input_hash"]
    assert body["manifest"]["conforms"] is True
    assert body["limits"]["max_rows"] == 10_000
    assert body["limits"]["query_timeout"] == 10.0
    assert body["limits"]["max_request_line"] == 8190
    assert body["settings"]["port"]["help"] == "Port the server listens on."


def test_sparql_ask_answers_a_json_boolean(client):
    resp = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200
    assert resp.mimetype == "application/sparql-results+json"
    assert json.loads(resp.data) == {"head": {}, "boolean": True}


def test_every_graph_of_the_manifest_is_in_the_store(client):
    manifest = json.loads((ROOT / "build" / "manifest.json").read_text())
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    rows = json.loads(client.get("/sparql", query_string={"query": q},
                                 headers={"Accept": "application/sparql-results+json"}).data)["results"]["bindings"]
    assert {r["g"]["value"]: int(r["n"]["value"]) for r in rows} == manifest["graphs"]


@pytest.mark.parametrize("server", ["granian", "gunicorn"])
def test_the_server_serves_the_graph_on_loopback(tmp_path, server):
    port = free_port()
    exe = Path(sys.executable).with_name("kg92")
    proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
                             "--server", server],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                            # HTTP_* variables are not request headers (granian copies the environment into each
                            # request's environ: its workers drop them)
                            env={**os.environ, "KG92_BUILD_DIR": str(ROOT / "build"), "HTTP_IF_NONE_MATCH": "*",
                                 "HTTP_ACCEPT": "text/csv"})
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        deadline = time.monotonic() + 30
        while True:
            try:
                resp = requests.get(url, params={"query": "ASK{?s?p?o}"}, headers={"Accept": "application/sparql-results+json"}, timeout=5)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, f"{server} did not start in 30 s"
                time.sleep(0.2)
        assert resp.status_code == 200
        assert resp.json() == {"head": {}, "boolean": True}
        again = requests.get(url, params={"query": "ASK{?s?p?o}"}, timeout=5)   # no Accept: JSON, from the fast path
        assert (again.status_code, again.headers["Content-Type"], again.headers.get("X-KG92-Cache")) == (
            200, "application/sparql-results+json; charset=utf-8", None)
        assert requests.get(url, params={"query": "ASK{?s?p?o}"}, timeout=5).headers.get("X-KG92-Cache") == "hit"
        # the README's first command, as curl sends it
        assert "curl -g 'http://127.0.0.1:8000/sparql?query=ASK{?s?p?o}'" in (ROOT / "README.md").read_text()
        done = subprocess.run(["curl", "-sg", f"http://127.0.0.1:{port}/sparql?query=ASK{{?s?p?o}}"],
                              capture_output=True, text=True, timeout=30)
        assert json.loads(done.stdout) == {"head": {}, "boolean": True}
        assert server in requests.get(f"http://127.0.0.1:{port}/-/health", timeout=5).headers.get("Server", "")
        # a GET query line longer than gunicorn's default 4094 bytes still fits (max_request_line 8190)
        long_query = "ASK {" + " " * 6000 + "?s ?p ?o }"
        assert requests.get(url, params={"query": long_query}, headers={"Accept": "application/sparql-results+json"},
                            timeout=10).json() == {"head": {}, "boolean": True}
        too_long = requests.get(url, params={"query": "ASK {" + " " * 9000 + "}"}, timeout=10)
        assert too_long.status_code == 414   # beyond max_request_line: refused; POST has no such limit
        # the line as sent is counted, percent-encoding included: "GET " + target + " HTTP/1.1" of 8,190 bytes fits
        for target, status in (("/sparql?query=ASK{}&x=" + "a" * 8155, "200"), ("/sparql?query=ASK{}&x=" + "a" * 8156, "414"),
                               ("/no-such-" + "%C3%A9" * 1361 + "ab", "404"), ("/no-such-" + "%C3%A9" * 1361 + "abc", "414")):
            done = subprocess.run(["curl", "-sg", "-o", "/dev/null", "-w", "%{http_code}", f"http://127.0.0.1:{port}{target}"],
                                  capture_output=True, text=True, timeout=30)
            assert (len(f"GET {target} HTTP/1.1"), done.stdout) == (8190 + (status == "414"), status), target
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    log = proc.stdout.read().decode()
    assert proc.returncode == 0, log
    # workers open the store after the fork: a clean stop, no worker killed by SIGABRT (RocksDB threads)
    assert "SIGABRT" not in log and "terminate called" not in log, log
    if server == "gunicorn":
        assert "Shutting down: Master" in log and "Control socket" not in log
    else:   # (granian may warn that it kills a worker that has already exited: a race between its two joins)
        assert "Shutting down granian" in log and "Granian shutdown completed" in log, log
    assert '"GET /-/health HTTP/1.1" 200' in log, log   # an access-log line per request


def test_serve_refuses_to_start_without_a_build(tmp_path):
    exe = Path(sys.executable).with_name("kg92")
    done = subprocess.run([str(exe), "serve", "--port", str(free_port())], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "KG92_ROOT": str(ROOT), "KG92_BUILD_DIR": str(tmp_path / "missing")}, timeout=60)
    assert done.returncode == 2
    assert "does not exist: run `kg92 build`" in done.stderr


def test_serve_refuses_an_unknown_server():
    exe = Path(sys.executable).with_name("kg92")
    done = subprocess.run([str(exe), "serve", "--port", str(free_port())], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "KG92_SERVER": "waitress"}, timeout=60)
    assert (done.returncode, done.stderr) == (2, "kg92: setting server: 'waitress' is not one of granian, gunicorn\n")


def _workers(master: int, n: int, gone: int = 0) -> set[int] | None:
    """The master's ``n`` worker processes (none of them ``gone``), or None."""
    found = {int(c) for c in Path(f"/proc/{master}/task/{master}/children").read_text().split()}
    return found if len(found) == n and gone not in found else None


def _wait(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{what} within {seconds} s")


def test_every_worker_serves_the_build_the_server_started_with(tmp_path, mini_root):
    """Issue 12, item 6: build, serve (2 granian workers), rebuild with a changed input, SIGKILL one worker: the
    worker granian starts in its place serves the first build like its sibling (about.json, a SPARQL answer,
    SHA256SUMS), and /-/health says a newer build is ready, with its id."""
    from kg92.build import run
    from kg92.store import load_build
    build_dir, sources = mini_root / "build", SOURCES
    assert run(mini_root, build_dir, sources).code == 0
    first = load_build(build_dir)
    sums = (first.path / "dumps" / "SHA256SUMS").read_text()
    port, exe = free_port(), Path(sys.executable).with_name("kg92")
    proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                            env={**os.environ, "KG92_BUILD_DIR": str(build_dir), "KG92_ROOT": str(mini_root),
                                 "KG92_QUERY_WORKERS": "1"})
    url = f"http://127.0.0.1:{port}"
    ask = {"query": 'ASK { ?s <http://www.w3.org/2004/02/skos/core#altLabel> "Rebuilt"@fr }'}

    def answers() -> tuple:
        about = requests.get(f"{url}/-/about.json", timeout=10).json()
        sparql = requests.get(f"{url}/sparql", params=ask, headers={"Accept": "application/sparql-results+json"},
                              timeout=10).json()["boolean"]
        return about["build"], about["manifest"]["kg_nq_sha256"][:16], sparql, requests.get(f"{url}/dumps/SHA256SUMS",
                                                                                           timeout=10).text

    def up() -> bool:
        try:
            return requests.get(f"{url}/-/health", timeout=5).status_code == 200
        except requests.ConnectionError:
            assert proc.poll() is None, proc.stdout.read().decode()
            return False
    try:
        _wait(up, 60, "kg92 serve did not start")
        workers = _wait(lambda: _workers(proc.pid, 2), 30, "two workers did not start")
        assert answers() == (first.id, first.id, False, sums)
        actors = mini_root / "data" / "ttl" / "actors.ttl"
        actors.write_text(actors.read_text("utf-8").replace('skos:altLabel "Yvelines"@fr .',
                                                            'skos:altLabel "Yvelines"@fr , "Rebuilt"@fr .'), "utf-8")
        assert run(mini_root, build_dir, sources).code == 0
        second = load_build(build_dir)
        assert second.id != first.id and first.path.is_dir()   # the served release is pinned: not pruned
        victim = sorted(workers)[0]
        os.kill(victim, signal.SIGKILL)
        _wait(lambda: _workers(proc.pid, 2, gone=victim), 60, "granian did not replace the killed worker")
        _wait(up, 60, "the server did not answer after the restart")
        seen = [answers() for _ in range(30)]
        assert set(seen) == {(first.id, first.id, False, sums)}
        health = requests.get(f"{url}/-/health", timeout=10).json()
        assert (health["build"], health["release"], health["newer_build_ready"], health["newer_build"]) == (
            first.id, first.path.name, True, second.id)
        about = requests.get(f"{url}/-/about.json", timeout=10).json()
        assert (about["build"], about["newer_build_ready"], about["newer_build"]) == (first.id, True, second.id)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    log = proc.stdout.read().decode()
    assert f"kg92 serving build {first.id} (release {first.path.name})" in log, log


def test_health_says_no_newer_build_when_the_link_is_the_served_release(client, real_app):
    body = client.get("/-/health").get_json()
    release = real_app.extensions["kg92"].build.path.name
    assert (body["release"], body["newer_build_ready"], body["newer_build"]) == (release, False, None)


def test_every_setting_has_a_default_and_a_help_listed_at_about(client, real_app):
    from kg92.settings import SETTINGS
    listed = client.get("/-/about.json").get_json()["settings"]
    effective = real_app.extensions["kg92"].settings
    paths = {"root", "build_dir", "sources_dir"}   # local paths: not shown
    assert set(listed) == {s.name for s in SETTINGS} - paths
    for s in SETTINGS:
        assert s.default is not None and len(s.help) > 20 and s.help.endswith("."), s.name
        if s.name not in paths:
            assert listed[s.name] == {"value": effective[s.name], "help": s.help}, s.name
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in ("validate_timeout", "validate_memory_mb", "public_url", "trust_host_header"):   # issue 12's settings
        assert f"`{name}`" in readme or f"KG92_{name.upper()}" in readme, name


STOPPED_DURING_START = """
import signal, sys, time
from pathlib import Path
import kg92.cli.serve as serve
signal.signal(signal.SIGTERM, lambda *_: None)   # what a granian worker inherits from its master: a flag, no exit
serve.create_app = lambda overrides, release: time.sleep(30)   # an app that takes long to create
print("starting", flush=True)
serve.worker_app({}, Path("."), 8190)
print("still here", flush=True)
"""


def test_a_granian_worker_stopped_while_it_creates_the_app_ends_at_once():
    # granian calls worker_app in the forked worker before it installs its own signal handlers: a SIGTERM then (a
    # stop right after a start, under load) was lost, and the master killed the worker only query_timeout + 30 s later
    proc = subprocess.Popen([sys.executable, "-c", STOPPED_DURING_START], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    try:
        assert proc.stdout.readline() == "starting\n"
        time.sleep(0.3)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == -signal.SIGTERM and time.monotonic() - started < 5
        assert proc.stdout.read() == ""
    finally:
        proc.kill()
