"""The query worker's network sandbox holds on its own: with the SERVICE check bypassed, the worker's execute path
cannot reach a listener on 127.0.0.1; the pool and /-/health report it; without it the server does not start
unless allow_unsandboxed_queries says so."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from support import Listener, make_app, make_build

from kg92.sparql import pool as querypool
from kg92.sparql import sandbox
from kg92.web import protocol as sparql

# run in a fresh interpreter: open the store, sandbox (or not), bypass the SERVICE check, execute as the worker does
BYPASS = """
import json, sys
import pyoxigraph as ox
from kg92.sparql import pool as querypool
from kg92.sparql import safety
store = ox.Store.read_only(sys.argv[1])
protection = querypool._protect(False) if sys.argv[3] == "sandboxed" else "none"
safety.check = lambda text: safety.Verdict()          # the scanner and rdflib are out of the way
job = querypool.Job("SELECT * WHERE { SERVICE <http://127.0.0.1:%s/sparql> { ?s ?p ?o } }" % sys.argv[2])
outcome = querypool.execute(store, job)
print(json.dumps({"protection": protection, "status": outcome.status, "detail": outcome.detail}))
"""


@pytest.fixture()
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    return str(make_build(tmp_path_factory.mktemp("sandbox") / "build") / "store")


def _bypass(store_path: str, port: int, mode: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", BYPASS, store_path, str(port), mode], capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(proc.stdout)


def test_with_the_check_bypassed_the_sandboxed_worker_cannot_connect(store_path, listener):
    result = _bypass(store_path, listener.port, "sandboxed")
    time.sleep(0.3)
    assert result == {"protection": sandbox.SECCOMP, "status": 403, "detail": (
        "SERVICE (federated query) is not allowed on this endpoint: it never contacts other servers. Query each "
        "endpoint separately, or download the dumps at /dumps/ (the engine tried to open a connection: "
        "Permission denied (os error 13))")}
    assert listener.received == []


def test_without_the_sandbox_the_same_bypass_does_connect(store_path, listener):
    """The control: the bypass is real, so the test above proves the sandbox and nothing else."""
    result = _bypass(store_path, listener.port, "unsandboxed")
    time.sleep(0.3)
    assert (result["protection"], result["status"]) == ("none", 403)
    assert len(listener.received) == 1 and listener.received[0].startswith(b"POST /sparql HTTP/1.1")


SOCKETS = """
import socket
from kg92.sparql import sandbox
print(sandbox.install())
a, b = socket.socketpair(); a.send(b"unix"); print(b.recv(4).decode())
for family, kind in ((socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET6, socket.SOCK_STREAM),
                     (socket.AF_INET, socket.SOCK_DGRAM), (socket.AF_PACKET, socket.SOCK_RAW)):
    try:
        socket.socket(family, kind)
        print("opened")
    except OSError as exc:
        print(exc.errno)
"""


def test_only_unix_sockets_can_be_created_under_the_sandbox():
    proc = subprocess.run([sys.executable, "-c", SOCKETS], capture_output=True, text=True, timeout=60, check=True)
    assert proc.stdout.split("\n") == [sandbox.SECCOMP, "unix", "13", "13", "13", "13", ""]


def test_the_pool_and_health_report_the_sandbox(tmp_path):
    app = make_app(tmp_path)
    try:
        client = app.test_client()
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
        health = client.get("/-/health").get_json()
        assert (health["query_protection"], health["query_workers"]["protection"]) == (sandbox.SECCOMP,) * 2
        assert client.get("/-/about.json").get_json()["query_protection"] == sandbox.SECCOMP
    finally:
        app.extensions["kg92.sparql"].close()


def test_without_a_sandbox_the_server_does_not_start_unless_allowed(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "probe", lambda: "seccomp(SECCOMP_SET_MODE_FILTER) failed: Invalid argument")
    with pytest.raises(RuntimeError) as err:
        make_app(tmp_path / "refused")
    assert str(err.value) == ("the query workers' network sandbox cannot be set up (seccomp(SECCOMP_SET_MODE_FILTER) "
                              "failed: Invalid argument); set allow_unsandboxed_queries = true to serve queries "
                              "without it")
    app = make_app(tmp_path / "allowed", allow_unsandboxed_queries=True)
    assert sparql.engine(app).protection == ("none (allow_unsandboxed_queries): seccomp(SECCOMP_SET_MODE_FILTER) "
                                             "failed: Invalid argument")


def test_a_worker_without_its_sandbox_refuses_unless_allowed(monkeypatch):
    def fails():
        raise sandbox.SandboxError("no seccomp sandbox on linux/riscv64 (Linux x86_64 or aarch64 only)")
    monkeypatch.setattr(sandbox, "install", fails)
    with pytest.raises(sandbox.SandboxError):
        querypool._protect(False)
    assert querypool._protect(True) == ("none (allow_unsandboxed_queries): no seccomp sandbox on linux/riscv64 "
                                        "(Linux x86_64 or aarch64 only)")
