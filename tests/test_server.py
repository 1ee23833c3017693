"""The server over the real build: health, about, a SPARQL ASK; and gunicorn serving it for real."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from conftest import ROOT, SOURCES, free_port


def test_health_names_the_build(client, real_app):
    resp = client.get("/-/health")
    assert resp.status_code == 200
    body = resp.get_json()
    assert (body["status"], body["build"]) == ("ok", real_app.extensions["kg92"].build.id)
    assert body["query_workers"]["size"] == 2 and body["query_workers"]["workers"] + body["query_workers"]["starting"] >= 1


def test_health_is_degraded_when_no_query_worker_can_start(tmp_path, mini_root):
    """The store removed under a server (what pruning a live release used to do): 503 with the cause."""
    import shutil

    from kg92.app import create_app
    from kg92.build import run
    from kg92.sparql import engine
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


def test_about_shows_manifest_and_effective_limits(client):
    body = client.get("/-/about.json").get_json()
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


def test_gunicorn_serves_the_graph_on_loopback(tmp_path):
    port = free_port()
    exe = Path(sys.executable).with_name("kg92")
    proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                            env={**os.environ, "KG92_BUILD_DIR": str(ROOT / "build")})
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        deadline = time.monotonic() + 30
        while True:
            try:
                resp = requests.get(url, params={"query": "ASK{?s?p?o}"}, headers={"Accept": "application/sparql-results+json"}, timeout=5)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start in 30 s"
                time.sleep(0.2)
        assert resp.status_code == 200
        assert resp.json() == {"head": {}, "boolean": True}
        # the README's first command, as curl sends it
        assert "curl -g 'http://127.0.0.1:8000/sparql?query=ASK{?s?p?o}'" in (ROOT / "README.md").read_text()
        done = subprocess.run(["curl", "-sg", f"http://127.0.0.1:{port}/sparql?query=ASK{{?s?p?o}}"],
                              capture_output=True, text=True, timeout=30)
        assert json.loads(done.stdout) == {"head": {}, "boolean": True}
        assert "gunicorn" in requests.get(f"http://127.0.0.1:{port}/-/health", timeout=5).headers.get("Server", "")
        # a GET query line longer than gunicorn's default 4094 bytes still fits (limit_request_line 8190)
        long_query = "ASK {" + " " * 6000 + "?s ?p ?o }"
        assert requests.get(url, params={"query": long_query}, headers={"Accept": "application/sparql-results+json"},
                            timeout=10).json() == {"head": {}, "boolean": True}
        too_long = requests.get(url, params={"query": "ASK {" + " " * 9000 + "}"}, timeout=10)
        assert too_long.status_code == 414   # beyond max_request_line: gunicorn refuses; POST has no such limit
        assert requests.post(url, data={"query": "ASK {" + " " * 9000 + "?s ?p ?o }"},
                             headers={"Accept": "application/sparql-results+json"}, timeout=10).json()["boolean"] is True
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    log = proc.stdout.read().decode()
    assert proc.returncode == 0, log
    # workers open the store after the fork: a clean stop, no worker killed by SIGABRT (RocksDB threads)
    assert "SIGABRT" not in log and "terminate called" not in log, log
    assert "Shutting down: Master" in log and "Control socket" not in log


def test_serve_refuses_to_start_without_a_build(tmp_path):
    exe = Path(sys.executable).with_name("kg92")
    done = subprocess.run([str(exe), "serve", "--port", str(free_port())], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "KG92_ROOT": str(ROOT), "KG92_BUILD_DIR": str(tmp_path / "missing")}, timeout=60)
    assert done.returncode == 2
    assert "does not exist: run `kg92 build`" in done.stderr
