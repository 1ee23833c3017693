"""The built store: opened once, read-only. The only module that opens pyoxigraph stores for serving."""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg92.namespaces import ID


class BuildError(Exception):
    """build/ is missing, incomplete or did not conform: the server must not start."""


@dataclass(frozen=True)
class Build:
    path: Path            # the resolved release directory
    manifest: dict[str, Any]

    @property
    def store_path(self) -> Path:
        return self.path / "store"

    @property
    def id(self) -> str:
        return self.manifest["kg_nq_sha256"][:16]


def load_build(build_dir: Path) -> Build:
    if not build_dir.exists():
        raise BuildError(f"{build_dir} does not exist: run `kg92 build` (or `make build`) first")
    real = build_dir.resolve()
    try:
        manifest = json.loads((real / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(f"{build_dir}/manifest.json is missing or unreadable ({exc}): run `kg92 build`") from exc
    if manifest.get("conforms") is not True:
        raise BuildError(f"the build in {build_dir} did not conform to the shapes: fix the data and run `kg92 build`")
    if not (real / "store").is_dir() or not (real / "kg.nq").is_file():
        raise BuildError(f"{build_dir} is incomplete (no store/ or kg.nq): run `kg92 build --force`")
    return Build(real, manifest)


def freshness(build: Build, build_dir: Path) -> dict[str, Any]:
    """What a server serves against what ``build_dir`` points to now: a server keeps its build until it restarts,
    so after ``kg92 build`` a newer one may be ready (its id), served by the next start."""
    try:
        current = build_dir.resolve()
        newer = load_build(build_dir) if current != build.path else None
    except (OSError, BuildError):   # being replaced or broken: nothing newer to start on
        newer = None
    return {"release": build.path.name, "newer_build_ready": newer is not None, "newer_build": newer.id if newer else None}


def open_store(build: Build) -> ox.Store:
    try:
        return ox.Store.read_only(str(build.store_path))
    except OSError as exc:
        raise BuildError(f"cannot open the store {build.store_path}: {exc}") from exc


IN_USE = ".in-use"
_pins: dict[Path, int] = {}


def pin(build: Build) -> None:
    """Mark the release as in use by this process for as long as it lives: a shared ``flock`` on
    ``<release>/.in-use`` (the kernel drops it when the process ends, however it ends). ``kg92 build`` never
    prunes a release that some process holds, so a server keeps its store and dumps across any number of rebuilds."""
    if build.path in _pins:
        return
    try:
        fd = os.open(build.path / IN_USE, os.O_RDONLY | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_SH)
        _pins[build.path] = fd
    except OSError:
        pass   # a read-only release directory: nothing to protect it from either


def in_use(release: Path) -> bool:
    """True if a live process holds the release (see :func:`pin`)."""
    try:
        fd = os.open(release / IN_USE, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def _ints(store: ox.Store, query: str) -> list[tuple]:
    rows = store.query(query, use_default_graph_as_union=True)
    return [tuple(int(t.value) if isinstance(t, ox.Literal) else t for t in row) for row in rows]


def statistics(store: ox.Store) -> dict[str, Any]:
    """The counts VoID and the service description publish: quads, distinct subjects, properties, objects,
    entities (our IRIs as subjects), classes, and the triples per graph, per class, per property."""
    one = _ints(store, "SELECT (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) "
                       "(COUNT(DISTINCT ?o) AS ?objects) WHERE { ?s ?p ?o }")[0]
    entities = _ints(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
                            f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}")) }}')[0][0]
    return {
        "quads": len(store), "subjects": one[0], "properties": one[1], "objects": one[2], "entities": entities,
        "classes": _ints(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")[0][0],
        "graphs": _ints(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"),
        "by_class": _ints(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"),
        "by_property": _ints(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"),
    }
