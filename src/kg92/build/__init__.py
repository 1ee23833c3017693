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
from rdflib import Graph as RdfGraph

from kg92 import __version__
from kg92.build import mentions, ontostats, search, summaries
from kg92.build.assets import fingerprint, install_assets
from kg92.build.contexts import write as write_contexts
from kg92.build.dumps import canonical_nquads
from kg92.build.dumps import start as start_dumps
from kg92.build.entailment import with_labels
from kg92.build.ontodoc import write_docs
from kg92.build.report import Report
from kg92.build.sources import Input, InputError, Parse, Parsed, discover, read_all
from kg92.build.texts import TextError, sources_hash
from kg92.build.texts import check as check_texts
from kg92.build.texts import write as write_texts
from kg92.jsonld import write_context
from kg92.store import in_use

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


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class Stop(Exception):
    """A step ends the build: ``outcome`` says why (build/ is left as it was)."""

    def __init__(self, outcome: Outcome):
        super().__init__(outcome.message)
        self.outcome = outcome


# The manifest's keys in their order; each step below returns its part of them.
MANIFEST_KEYS = ("input_hash", "release", "started_at", "built_at", "conforms", "sources_checked", "validation",
                 "validation_units", "inputs", "graphs", "triples", "kg_nq_sha256", "dumps", "ui_assets",
                 "jsonld_context", "quote_contexts", "texts", "search_index", "versions", "timings_s")


def step_inputs(root: Path, sources_dir: Path) -> tuple[list[Input], dict]:
    """Discover the inputs and hash them (with the sources, versions, code and UI assets): ``input_hash``, ``inputs``."""
    try:
        inputs = discover(root)
    except InputError as exc:
        raise Stop(Outcome(2, str(exc))) from exc
    digest = input_hash(inputs, sources_dir)
    digest = hashlib.sha256(f"{digest}\n{fingerprint(root)}".encode()).hexdigest()  # the UI assets (npm) count too
    return inputs, {"input_hash": digest, "inputs": {i.rel: i.sha256() for i in inputs}}


def step_parse(inputs: list[Input]) -> Parse:
    """Each Turtle file parsed once (:func:`read_all`); shapes are parsed for the validator only. The published
    quads are made after validation (:meth:`Parse.publish`): the files' triples are the one copy validation reads."""
    try:
        return Parse(read_all(inputs), [], {})
    except InputError as exc:
        raise Stop(Outcome(2, str(exc))) from exc


def step_texts(files: list[Parsed], sources_dir: Path) -> list:
    """The texts the release publishes: each file checked against the SHA-256 recorded for its document (the files'
    quads read one file at a time: :func:`check_texts` keeps the few it needs)."""
    quads = (q for f in files if f.inp.kind in ("ontology", "data") for q in f.quads())
    try:
        return check_texts(quads, sources_dir) if sources_dir.is_dir() else []
    except TextError as exc:
        raise Stop(Outcome(2, f"{exc}\nbuild/ left as it was: a source text does not match the data.")) from exc


def step_validate(parsed: Parse, sources_dir: Path, cache_dir: Path, timings: dict,
                  workers: int | None = None) -> tuple[Report, dict]:
    """SHACL over the parsed files (:func:`kg92.build.validate.validate`, the one entry point); stops on a Violation."""
    from kg92.build.validate import validate  # pyshacl is slow to import: only when building

    try:
        report = validate(parsed.files, sources_dir if sources_dir.is_dir() else None, cache_dir, workers=workers)
    except ValueError as exc:
        raise Stop(Outcome(2, str(exc))) from exc
    if not report.conforms:
        raise Stop(Outcome(1, report.to_text("en") + "\nbuild/ left as it was: the data does not conform.", timings))
    return report, {"conforms": True, "sources_checked": report.sources_checked, "validation": report.counts(),
                    "validation_units": report.units}


def step_store(tmp: Path, quads: list[ox.Quad]) -> tuple[bytes, dict]:
    """kg.nq (canonical N-Quads), then the Oxigraph store bulk-loaded from it: ``triples``, ``kg_nq_sha256``."""
    nq = canonical_nquads(quads)
    (tmp / "kg.nq").write_bytes(nq)
    return nq, {"triples": len(nq.splitlines()), "kg_nq_sha256": hashlib.sha256(nq).hexdigest()}


def load_store(tmp: Path) -> None:
    store = ox.Store(str(tmp / "store"))
    store.bulk_load(path=str(tmp / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    del store


def step_ontodoc(tmp: Path, parsed: Parse, root: Path) -> None:
    """The ontology pages, from the ontology files as parsed and what the release's store holds (ontostats)."""
    graph = RdfGraph()
    for f in parsed.files:
        if f.inp.kind == "ontology":
            for triple in f.rdf:
                graph.add(triple)
    write_docs(tmp, graph, root / "ontology" / "cq", ontostats.compute(ox.Store.read_only(str(tmp / "store"))))


def step_write(tmp: Path, root: Path, parsed: Parse, texts: list, report: Report, timings: dict) -> dict:
    """Everything the release holds, written into ``tmp`` (the dumps but kg.nq by a forked process meanwhile:
    :func:`kg92.build.dumps.start`); returns the manifest's part of it; sub-steps timed as ``timings['write_…']``."""
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        clock.append(time.perf_counter())
        timings[f"write_{name}"] = clock[-1] - clock[-2]

    nq, part = step_store(tmp, parsed.quads)
    lap("nquads")
    dumps = start_dumps(nq, tmp / "dumps")
    del nq   # kg.nq is on disk (the store loads it from there), the dumps' process has its copy
    part["ui_assets"] = install_assets(tmp, root)   # YASGUI from node_modules → build/ui/ ([] → the plain editor)
    load_store(tmp)
    lap("store")
    part |= search.write(tmp, search.compute(ox.Store.read_only(str(tmp / "store"))))   # search.sqlite (build/search.py)
    lap("search")
    summaries.write(tmp, ox.Store.read_only(str(tmp / "store")))   # summaries.json: the pages' aggregates, once
    lap("summaries")
    mentions.build(tmp, ox.Store.read_only(str(tmp / "store")))   # mentions.sqlite: the scheme and actor pages' index
    lap("mentions")
    step_ontodoc(tmp, parsed, root)
    part["jsonld_context"] = write_context(tmp, parsed.quads)   # context.jsonld: served at /context.jsonld
    part |= write_contexts(tmp, parsed.quads, texts)   # contexts.json: the sentence around each quote
    part["texts"] = write_texts(tmp, texts)   # build/texts/ + texts.json: served at /id/document/NNN.txt
    report.write(tmp)   # validation.txt, .fr.txt, .json, .ttl
    lap("pages")
    part["dumps"] = dumps.result()
    lap("dumps_wait")
    return part


def run(root: Path, build_dir: Path, sources_dir: Path, force: bool = False, workers: int | None = None) -> Outcome:
    """inputs → parse (once per file) → texts → validate → write (store, dumps, assets, search index, docs,
    contexts, texts, reports) into a fresh release → manifest → atomic swap. Each step returns its part of the manifest."""
    timings: dict[str, float] = {}
    started = dt.datetime.now(dt.UTC)     # the build as a prov:Activity: started_at → built_at (see service.py)
    t0 = time.perf_counter()
    try:
        inputs, manifest = step_inputs(root, sources_dir)
        digest = manifest["input_hash"]
        previous = read_manifest(build_dir)
        if not force and previous and previous.get("input_hash") == digest and previous.get("conforms"):
            return Outcome(0, f"build/ is up to date ({digest[:12]}); nothing to do")
        step = time.perf_counter()
        parsed = step_parse(inputs)
        timings["parse"] = time.perf_counter() - step
        _log(f"parsed {len(inputs)} files, {sum(len(f.triples) for f in parsed.files)} triples in {timings['parse']:.2f} s")
        texts = step_texts(parsed.files, sources_dir)
        step = time.perf_counter()
        report, part = step_validate(parsed, sources_dir, build_dir.parent / ".builds" / ".cache", timings, workers)
        manifest |= part
        timings["validate"] = time.perf_counter() - step
        _log(f"validated in {timings['validate']:.2f} s: {part['validation']}")
        manifest |= {"graphs": parsed.publish()}   # the published quads; what only validation read is freed
    except Stop as stop:
        return stop.outcome

    step = time.perf_counter()
    releases = build_dir.parent / ".builds"
    releases.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    release = releases / f"{stamp}-{digest[:12]}"
    tmp = releases / f".tmp-{release.name}"
    try:
        tmp.mkdir()
        manifest |= step_write(tmp, root, parsed, texts, report, timings)
        timings["write"] = time.perf_counter() - step
        timings["total"] = time.perf_counter() - t0
        manifest |= {"release": release.name, "started_at": started.isoformat(timespec="seconds"),
                     "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "versions": versions(),
                     "timings_s": {k: round(v, 3) for k, v in timings.items()}}
        manifest = {key: manifest[key] for key in MANIFEST_KEYS}
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        tmp.rename(release)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        return Outcome(2, f"cannot write the build: {exc}")
    swap(build_dir, release)
    prune(releases, keep=KEEP_RELEASES)
    return Outcome(0, f"built {manifest['triples']} quads in {len(parsed.graphs)} graphs → {build_dir} "
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
