"""Helpers of the tests (not collected: pytest collects test_*.py only; importable as ``support`` because
pyproject.toml's [tool.pytest.ini_options] puts tests/ on ``pythonpath``; tests/w3c_protocol.py, run as a script, sees
it beside itself). Fixtures stay in tests/conftest.py.

- where things are: ROOT, SOURCES (the source texts, with HAVE_SOURCES / NO_SOURCES / needs_sources), PROTOCOL_DATA;
- small throw-away repositories: make_mini_root (the ontology, shapes and the shared data files only);
- the SPARQL fixture: make_build (a build directory from the W3C protocol fixture or any N-Quads), make_app (an
  application over it with test-sized limits), live_server (a threaded werkzeug server on port 0), bindings;
- servers: free_port, served (`kg92 serve` on a free port), Listener (records every connection it gets);
- expected values read from the sources that several files check: STANCES (group × ask → stance).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
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
# the invalid fixtures whose results (all or some) compare quotes with the document texts
INVALID_NEEDING_SOURCES = {"core__offsets-start-not-before-end", "provenance__ambiguous-quote", "provenance__quote-offsets-shifted",
                           "provenance__quote-one-character-off", "provenance__quote-prefix-mismatch"}
SHARED_DATA = ("vocab", "actors", "schemes", "documents", "questionnaire")

# the SPARQL fixture's namespaces and the two result media types
K = "http://kasei.us/2009/09/sparql/data/"
EX = "http://example.org/protocol-fixture#"
SRJ, SRX = "application/sparql-results+json", "application/sparql-results+xml"
# a cartesian product of the whole store with itself, twelve times over: 7^12 ≈ 1.4e10 rows to count (the limits
# and the query pool tests)
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(12)) + " }"


def require_build() -> None:
    """Fail (not skip) when the real build is missing: `make test` builds before pytest."""
    if not (ROOT / "build" / "manifest.json").exists():
        pytest.fail("build/ is missing: run `make build` (make test does it before pytest)")


# The query time limit of the tests' applications over the real build: far above any real query's time, so that a
# loaded machine (`make test` runs a test process per core, and a query past query_heavy_after runs at nice 19) slows a
# test down instead of failing it. The tests of the limits themselves build applications with limits of their own.
TEST_QUERY_TIMEOUT = 60.0


def real_build_app(**conf):
    """An application from the factory over the real build in build/ (``conf``: settings to override; the query
    timeout is TEST_QUERY_TIMEOUT unless given)."""
    from kg92.web.app import create_app
    require_build()
    app = create_app({"build_dir": str(ROOT / "build"), "query_timeout": TEST_QUERY_TIMEOUT, **conf})
    app.testing = True
    return app


def make_mini_root(dest: Path) -> Path:
    """A small repository: the real ontology and shapes, and only the shared data files (fast to validate)."""
    shutil.copytree(ROOT / "ontology", dest / "ontology")
    shutil.copytree(ROOT / "shapes", dest / "shapes")
    (dest / "data" / "ttl").mkdir(parents=True)
    for name in SHARED_DATA:
        shutil.copy(ROOT / "data" / "ttl" / f"{name}.ttl", dest / "data" / "ttl" / f"{name}.ttl")
    return dest


def make_build(dest: Path, nq: bytes | None = None) -> Path:
    """A build directory as `kg92 build` writes it (store/, kg.nq, dumps/, manifest.json with conforms true)."""
    from kg92.build.dumps import write_dumps
    nq = nq if nq is not None else (PROTOCOL_DATA / "protocol.nq").read_bytes()
    dest.mkdir(parents=True)
    (dest / "kg.nq").write_bytes(nq)
    dumps = write_dumps(nq, dest / "dumps")
    store = ox.Store(str(dest / "store"))
    store.bulk_load(path=str(dest / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    quads = list(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
    graphs = Counter(q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode))
    manifest = {"input_hash": "test-fixture", "release": dest.name, "built_at": "2025-01-02T03:04:05+00:00",
                "conforms": True, "graphs": dict(sorted(graphs.items())), "triples": len(quads),
                "kg_nq_sha256": hashlib.sha256(nq).hexdigest(), "dumps": dumps, "validation": {}}
    (dest / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return dest


def make_app(tmp: Path, nq: bytes | None = None, **settings):
    """An application over a fixture build in ``tmp`` (no canned queries), with test-sized limits; with a
    ``store_url``, the build is first published into that engine (the remote backend)."""
    from kg92.web.app import create_app
    (tmp / "root" / "queries").mkdir(parents=True)
    build = make_build(tmp / "build", nq)
    if settings.get("store_url"):
        publish_build(settings["store_url"], build)
    conf = {"build_dir": str(build), "root": str(tmp / "root"), "query_timeout": 2.0, "query_workers": 2, **settings}
    app = create_app(conf)
    app.testing = True
    return app


def live_server(app):
    """Serve ``app`` with a threaded werkzeug server on 127.0.0.1:0; yields the base URL, then stops it and the app's
    engine (tools/screenshots.py's server, which the browser tests use too)."""
    sys.path.insert(0, str(ROOT / "tools"))
    from screenshots import serving
    return serving(app)


def bindings(doc: dict) -> list[dict[str, str]]:
    """SPARQL JSON results → rows of {variable: value}."""
    return [{k: v["value"] for k, v in row.items()} for row in doc["results"]["bindings"]]


class Listener:
    """A TCP listener on 127.0.0.1:0 that records every connection it receives."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(4096) or b"<connected>")
                except OSError:
                    self.received.append(b"<connected>")

    def close(self):
        self._stop = True
        self._thread.join(2)
        self.sock.close()


def rdf_triples(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    """The triples of an RDF answer; a compacted JSON-LD answer is read with the build's published context
    (build/context.jsonld, what /context.jsonld serves) put in place of its reference (pyoxigraph loads none)."""
    doc = json.loads(body) if fmt == ox.RdfFormat.JSON_LD else None
    if isinstance(doc, dict) and isinstance(doc.get("@context"), str):
        from kg92.jsonld import expand_with
        body = expand_with(body, json.loads((ROOT / "build" / "context.jsonld").read_text("utf-8")))
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(build_dir: Path, root: Path = ROOT, kg92: Path | None = None, cwd: Path | None = None,
             env: dict[str, str] | None = None) -> Iterator[str]:
    """`kg92 serve` (its default server, one worker) on 127.0.0.1 and a free port; yields the base URL, stops it on exit.
    ``env``: more environment variables for the server."""
    port = free_port()
    exe = kg92 or Path(sys.executable).with_name("kg92")
    env = {**os.environ, "KG92_ROOT": str(root), "KG92_BUILD_DIR": str(build_dir), **(env or {})}
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
            assert time.monotonic() < deadline, "kg92 serve did not answer /-/health in 60 s"
            time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


# --- expected values shared by several test files -------------------------------------------------------------------

# group → ask → stance (000, 001, 003), judged from each answer (see the kg:note of each position for the reading):
STANCES = {
    "q1-remedier-sst": ("supports", "supports", "supports"),
    # 000 "nous voulons améliorer encore cet accompagnement de proximité" (uncertain: no "droit" in the answer);
    # 001 "l’inconditionnalité de leur accueil"; 003 "faire appel aux services sociaux … est un droit"
    "q1-garantir-acces-travailleur-social": ("supports", "supports", "supports"),
    "q1-recruter-travailleurs-sociaux": ("supports", "supports", "supports"),
    "q1-acces-telephone-sur-place": ("supports", "supports", "supports"),
    # 000 §2 gives the 909 M€ budget but no share; 001 "environ 65%"; 003 "70% des frais de fonctionnement"
    "q2-part-budget-action-sociale": ("no-position", "supports", "supports"),
    "q2-augmenter-budget-action-sociale": ("supports", "supports", "supports"),
    # 001 "Les 10% supplémentaires seraient affectés à … Services sociaux territoriaux, … aide sociale à l’enfance,
    # … PMI, … crèches départementales …"; 000 only breaks down the past (2015-2021 increases by public);
    # 003 gives a share of the operating costs, no breakdown
    "q2-decomposer-budget-action-sociale": ("no-position", "supports", "no-position"),
    # 001 "Une évaluation de ce qui est proposé actuellement devra être conduite"; neither 000 nor 003 promises one
    "q2-evaluations-actions-publiques": ("no-position", "supports", "no-position"),
    "q3-contractualiser-plan-pauvrete": ("supports", "supports", "supports"),
    # 000 §4 never names the PDALHPD; 001 "Oui, bien sûr, au déploiement du plan PDALHPD."; 003 "hors la loi"
    "q4-adopter-nouveau-pdalhpd": ("no-position", "supports", "supports"),
    # 000 keeps the existing PLAI aid; 001 answers with quota contracts instead; 003 "en privilégiant les PLAI"
    "q4-aides-pierre-logements-tres-sociaux": ("no-position", "no-position", "supports"),
    # 000 "le recours à l'hôtel restait malheureusement la seule solution"; 001 "mettre fin aux hébergements à
    # l’hôtel"; 003 "Nous planifierons la fin des accueils en hôtel."
    "q5-fin-hebergements-hotel": ("no-position", "supports", "supports"),
    "q5-solutions-alternatives": ("supports", "supports", "supports"),
    # 000: support "dans le cadre du déploiement du SPIE" / "en fonction de l'avancée de ce projet"
    "q6-soutenir-premieres-heures": ("conditional", "supports", "supports"),
    "q6-soutenir-tzcld": ("conditional", "supports", "supports"),
    # 001 "en fonction des possibilités dans les communes"; 000 speaks of canteens, not PAT
    "q7-soutenir-pat": ("no-position", "conditional", "supports"),
    # 000 describes the existing portal; 001 "Oui, le site internet doit permettre…"; 003 open data site
    "q8-transformer-site-internet": ("no-position", "supports", "supports"),
}


def oxigraph_binary() -> Path | None:
    """The `oxigraph` server of PyPI's `oxigraph` package (the test extra), beside this interpreter, or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = beside if beside.is_file() else shutil.which("oxigraph")
    return Path(found) if found else None


@contextmanager
def oxigraph_server(location: Path, *extra: str) -> Iterator[str]:
    """`oxigraph serve` on 127.0.0.1 and a free port, storing in ``location``; yields its query URL
    (http://127.0.0.1:PORT/query), stops it on exit. Skips the test when the binary is not installed."""
    exe = oxigraph_binary()
    if exe is None:
        pytest.skip("the `oxigraph` server is not installed (pip install -e '.[test]')")
    port = free_port()
    proc = subprocess.Popen([str(exe), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2)
                break
            except requests.ConnectionError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "oxigraph did not answer in 30 s"
                time.sleep(0.05)
        yield f"{base}/query"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def publish_build(store_url: str, build_dir: Path = ROOT / "build") -> None:
    """`kg92 publish` of ``build_dir`` into the engine at ``store_url`` (in process)."""
    import io

    from kg92 import settings
    from kg92.cli.publish import publish
    conf = settings.load({"build_dir": str(build_dir), "root": str(ROOT), "store_url": store_url})
    out = io.StringIO()
    assert publish(conf, out=out) == 0, out.getvalue()
