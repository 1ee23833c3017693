"""The gated build: parse → validate → write build/ atomically.

``build`` is a symlink to ``.builds/<release>``: a new release is written in full to a fresh directory, then the
symlink is swapped with one ``rename`` (atomic on POSIX). A failed build never touches the current release, and a
server that has the previous store open keeps serving it. Exit codes: 0 built (or up to date), 1 data does not
conform (report printed, build/ untouched), 2 tool or input error — a source text that is missing or does not match
the SHA-256 recorded for its document is an input error (checked before validation, the file named).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pyoxigraph as ox

from kg92 import __version__
from kg92.build.assets import fingerprint, install_assets
from kg92.build.contexts import FILE as CONTEXTS_FILE
from kg92.build.contexts import compute as compute_contexts
from kg92.build.dumps import write_dumps
from kg92.build.entailment import with_labels
from kg92.build.ontodoc import write_docs
from kg92.build.sources import Input, InputError, discover, parse
from kg92.store import in_use
from kg92.build.texts import TextError, sources_hash
from kg92.build.texts import check as check_texts
from kg92.build.texts import write as write_texts

KEEP_RELEASES = 3
LIBRARIES = ("pyoxigraph", "pyshacl", "rdflib", "flask", "gunicorn")


@dataclass
class Outcome:
    code: int
    message: str
    timings: dict[str, float] = field(default_factory=dict)


def versions() -> dict[str, str]:
    found = {"kg92": __version__, "python": platform.python_version()}
    for lib in LIBRARIES:
        try:
            found[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            found[lib] = "not installed"
    return found


def input_hash(inputs: list[Input], sources_dir: Path) -> str:
    h = hashlib.sha256()
    for inp in inputs:
        h.update(f"{inp.rel}\0{inp.sha256()}\n".encode())
    for name, ver in sorted(versions().items()):
        h.update(f"{name}={ver}\n".encode())
    h.update(f"sources={sources_hash(sources_dir) if sources_dir.is_dir() else 'absent'}\n".encode())
    h.update(f"code={code_hash()}\n".encode())   # the build's outputs (docs, dumps, report) come from this code too
    return h.hexdigest()


def code_hash() -> str:
    """SHA-256 of the package's own files (modules, templates, static): a code change rebuilds."""
    package = Path(__file__).resolve().parent.parent   # the whole kg92 package
    h = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def read_manifest(build_dir: Path) -> dict | None:
    try:
        return json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def canonical_nquads(quads: list[ox.Quad]) -> bytes:
    """Sorted, deterministic N-Quads: blank nodes relabelled by RDFC-1.0, lines sorted."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    text = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    lines = sorted(set(text.splitlines()))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run(root: Path, build_dir: Path, sources_dir: Path, force: bool = False) -> Outcome:
    from kg92.build.validate import validate_files  # the SHACL step (pyshacl is slow to import: only when building)

    timings: dict[str, float] = {}
    started = dt.datetime.now(dt.UTC)     # the build as a prov:Activity: started_at → built_at (see service.py)
    t0 = time.perf_counter()
    try:
        inputs = discover(root)
    except InputError as exc:
        return Outcome(2, str(exc))
    digest = input_hash(inputs, sources_dir)
    digest = hashlib.sha256(f"{digest}\n{fingerprint(root)}".encode()).hexdigest()  # the UI assets (npm) count too
    previous = read_manifest(build_dir)
    if not force and previous and previous.get("input_hash") == digest and previous.get("conforms"):
        return Outcome(0, f"build/ is up to date ({digest[:12]}); nothing to do")

    step = time.perf_counter()
    quads: list[ox.Quad] = []
    per_graph: Counter[str] = Counter()
    try:
        for inp in inputs:
            if inp.kind == "query":
                continue
            if inp.kind == "shapes":
                parse(inp)  # syntax check only: shapes are read again by the validator
                continue
            got = with_labels(parse(inp))   # + the rdfs:label each skos:prefLabel entails (entailment.py)
            quads.extend(got)
            per_graph[inp.graph] += len(got)
    except InputError as exc:
        return Outcome(2, str(exc))
    timings["parse"] = time.perf_counter() - step
    _log(f"parsed {len(inputs)} files, {len(quads)} triples in {timings['parse']:.2f} s")
    try:   # the texts the release publishes: each file checked against the SHA-256 recorded for its document
        texts = check_texts(quads, sources_dir) if sources_dir.is_dir() else []
    except TextError as exc:
        return Outcome(2, f"{exc}\nbuild/ left as it was: a source text does not match the data.")

    step = time.perf_counter()
    try:
        report = validate_files(
            data_files=[i.path for i in inputs if i.kind == "data"],
            ontology_files=[i.path for i in inputs if i.kind == "ontology"],
            shapes_dir=root / "shapes",
            sources_dir=sources_dir if sources_dir.is_dir() else None,
            root=root,
            cache_dir=build_dir.parent / ".builds" / ".cache",
        )
    except ValueError as exc:
        return Outcome(2, str(exc))
    timings["validate"] = time.perf_counter() - step
    counts = report.counts()
    _log(f"validated in {timings['validate']:.2f} s: {counts}")
    if not report.conforms:
        return Outcome(1, report.to_text("en") + "\nbuild/ left as it was: the data does not conform.", timings)

    step = time.perf_counter()
    releases = build_dir.parent / ".builds"
    releases.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    release = releases / f"{stamp}-{digest[:12]}"
    tmp = releases / f".tmp-{release.name}"
    try:
        tmp.mkdir()
        nq = canonical_nquads(quads)
        (tmp / "kg.nq").write_bytes(nq)
        dumps = write_dumps(nq, tmp / "dumps")
        ui_assets = install_assets(tmp, root)   # YASGUI from node_modules → build/ui/ ([] → the plain editor)
        store = ox.Store(str(tmp / "store"))
        store.bulk_load(path=str(tmp / "kg.nq"), format=ox.RdfFormat.N_QUADS)
        store.optimize()
        store.flush()
        del store
        write_docs(tmp, [i.path for i in inputs if i.kind == "ontology"], root / "ontology" / "cq")
        contexts = compute_contexts(quads, {t.file: t.body.decode("utf-8") for t in texts}) if texts else {}
        if contexts:   # the sentence around each quote, for the pages (the server never reads the sources)
            (tmp / CONTEXTS_FILE).write_text(json.dumps(contexts, ensure_ascii=False, indent=0), encoding="utf-8")
        published = write_texts(tmp, texts)   # build/texts/ + texts.json: served at /id/document/NNN.txt
        (tmp / "validation.txt").write_text(report.to_text("en"), encoding="utf-8")
        (tmp / "validation.fr.txt").write_text(report.to_text("fr"), encoding="utf-8")
        (tmp / "validation.json").write_text(json.dumps(report.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        (tmp / "validation.ttl").write_text(report.to_turtle(), encoding="utf-8")
        timings["write"] = time.perf_counter() - step
        timings["total"] = time.perf_counter() - t0
        manifest = {
            "input_hash": digest,
            "release": release.name,
            "started_at": started.isoformat(timespec="seconds"),
            "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "conforms": True,
            "sources_checked": report.sources_checked,
            "validation": counts,
            "inputs": {i.rel: i.sha256() for i in inputs},
            "graphs": dict(sorted(per_graph.items())),
            "triples": len(nq.splitlines()),
            "kg_nq_sha256": hashlib.sha256(nq).hexdigest(),
            "dumps": dumps,
            "ui_assets": ui_assets,
            "quote_contexts": len(contexts),
            "texts": published,
            "versions": versions(),
            "timings_s": {k: round(v, 3) for k, v in timings.items()},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.rename(release)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        return Outcome(2, f"cannot write the build: {exc}")
    swap(build_dir, release)
    prune(releases, keep=KEEP_RELEASES)
    return Outcome(0, f"built {manifest['triples']} quads in {len(per_graph)} graphs → {build_dir} "
                      f"({timings['total']:.2f} s: parse {timings['parse']:.2f}, validate {timings['validate']:.2f}, "
                      f"write {timings['write']:.2f})", timings)


def swap(build_dir: Path, release: Path) -> None:
    """Point ``build_dir`` (a symlink) at ``release`` with one atomic rename."""
    if build_dir.exists() and not build_dir.is_symlink():
        shutil.rmtree(build_dir)  # a plain directory left by an older layout
    link = build_dir.parent / f".{build_dir.name}.link-tmp"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(os.path.relpath(release, build_dir.parent), link)
    os.replace(link, build_dir)


def prune(releases: Path, keep: int) -> None:
    done = sorted(p for p in releases.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in done[:-keep]:
        if not in_use(old):   # a running server keeps its release (store, dumps) however many builds follow
            shutil.rmtree(old, ignore_errors=True)
    for stale in releases.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
