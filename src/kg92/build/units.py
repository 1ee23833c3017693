"""Per-graph validation: one unit per data file (the shared files and the ontology together make one more),
validated in worker processes, each unit's results cached on disk.

Every node the shapes target is checked once, in the unit that *owns* it: the unit of the first file (data files in
order, then the ontology) that describes it as a subject, the one its report line points at. A unit's data graph is
the *base* (the ontology, the shared data files of :data:`SHARED`, the documents' ``kg:text``), its own triples, and
the *foreign* triples it needs: the descriptions, in the other data files, of every node reachable from its own
triples by following triples forwards (a scheme declared in another document file, the class of a value…). The
shapes (SHACL core, and SHACL-SPARQL constraints that read from ``$this`` forwards) read nothing else, so each
node's results are those of the whole-graph validation; the shapes that compare a node with all the others carry
``kgsh:wholeGraph true`` and run once over the whole dataset in Oxigraph (:func:`kg92.build.shard.whole_graph_results`).

A unit's results are cached under ``cache_dir/validation/`` by the SHA-256 of: this code and pySHACL's version, the
shapes, the base, the unit's own files, its foreign triples (canonical N-Quads) and the nodes of its files that
another unit owns. An unchanged file is therefore not revalidated; :class:`Stats` says which units were.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

import kg92.build.shard as shard
from kg92.build.sources import Parsed

# the data files every document file refers to: validated together with the ontology, in every unit's graph
SHARED = ("actors", "documents", "labels-composed", "labels-en", "questionnaire", "schemes", "vocab")
SHARED_UNIT = "(shared files and ontology)"
CODE = [Path(__file__), Path(shard.__file__), Path(shard.__file__).with_name("lean.py")]


@dataclass
class Unit:
    name: str                      # the data file's repository path, or SHARED_UNIT
    files: list[int]               # indexes in the validation's file list
    owned: set[str] = field(default_factory=set)       # N-Triples of the subjects this unit owns
    foreign: set[ox.Quad] = field(default_factory=set)
    key: str = ""


@dataclass
class Stats:
    units: int = 0
    validated: list[str] = field(default_factory=list)   # the units revalidated (the others came from the cache)

    def as_dict(self) -> dict:
        return {"units": self.units, "revalidated": len(self.validated), "cached": self.units - len(self.validated),
                "revalidated_units": sorted(self.validated)}


def is_shared(f: Parsed) -> bool:
    return f.inp.kind == "ontology" or Path(f.rel).stem in SHARED


def _bysubject(f: Parsed) -> dict:
    return f.by_subject


def subject_index(files: list[Parsed]) -> dict[str, list[int]]:
    """``{subject IRI: [indexes of the files that describe it]}``, in file order (for file:line)."""
    found: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(files):
        for s in f.by_subject:
            if isinstance(s, ox.NamedNode):
                found[s.value].append(i)
    return found


def plan(files: list[Parsed]) -> list[Unit]:
    """The units of ``files`` (data then ontology, the report's order) with their owned nodes and foreign triples."""
    subjects: dict = defaultdict(list)
    for i, f in enumerate(files):
        for s in _bysubject(f):
            subjects[s].append(i)
    shared = [i for i, f in enumerate(files) if is_shared(f)]
    units = [Unit(SHARED_UNIT, shared)] + [Unit(f.rel, [i]) for i, f in enumerate(files) if not is_shared(f)]
    multi = {s for s, where in subjects.items() if len(where) > 1}
    described = _Descriptions(files, subjects, set(shared))
    for u in units:
        own = set(u.files)
        for i in u.files:
            u.owned |= {str(s) for s in _bysubject(files[i]) if subjects[s][0] in own}
        u.foreign = _closure(files, described, own, multi)
    return units


class _Descriptions(dict):
    """``term → (its triples in the non-shared files, deduplicated; the terms they and the shared files' triples
    about it lead to)``, computed once per term for all units (a shared term a hundred copies declare: once)."""

    def __init__(self, files: list[Parsed], subjects: dict, shared: set[int]):
        super().__init__()
        self.files, self.subjects, self.shared = files, subjects, shared

    def __missing__(self, term) -> tuple[set, set]:
        foreign, nxt = set(), set()
        for j in self.subjects.get(term, ()):
            for q in _bysubject(self.files[j])[term]:
                if j not in self.shared:
                    foreign.add(q)
                nxt.add(q.predicate)
                nxt.add(q.object)
        self[term] = found = (foreign, {t for t in nxt if not isinstance(t, ox.Literal)})
        return found


def _closure(files: list[Parsed], described: _Descriptions, own: set[int], multi: set) -> set[ox.Quad]:
    """The triples of the other non-shared files about the nodes reachable forwards from the unit's triples (a
    unit's own triples about a term described elsewhere too may be among them: its graph holds them anyway)."""
    terms = {t for i in own for q in files[i].triples for t in (q.predicate, q.object)}
    mine = {s for i in own for s in _bysubject(files[i])}
    seen: set = mine - multi if len(own) == 1 else set()   # described in this file only: the unit's own triples
    frontier = list((terms | (mine & multi)) & described.subjects.keys())
    found: set[ox.Quad] = set()
    while frontier:
        term = frontier.pop()
        if term in seen:
            continue
        seen.add(term)
        foreign, nxt = described[term]
        found |= foreign
        frontier.extend(nxt - seen)
    if len(own) == 1:
        found -= set(files[next(iter(own))].triples)
    return found


def _digest(quads) -> str:
    quads = list(quads)
    if not quads:
        return "-"
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    text = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS)
    return hashlib.sha256(b"\n".join(sorted(text.splitlines()))).hexdigest()


def keys(units: list[Unit], files: list[Parsed], shapes: list[Parsed], base_extra: list[ox.Quad]) -> None:
    """Each unit's cache key (see the module docstring)."""
    from importlib.metadata import version
    h = hashlib.sha256(f"pyshacl {version('pyshacl')} pyoxigraph {version('pyoxigraph')}\n".encode())
    for path in CODE:
        h.update(path.read_bytes())
    for f in sorted(shapes, key=lambda f: f.rel):
        h.update(f"{f.rel}\0{f.sha256}\n".encode())
    for i in units[0].files:
        h.update(f"{files[i].rel}\0{files[i].sha256}\n".encode())
    h.update(_digest(base_extra).encode())
    common = h.hexdigest()
    for u in units:
        k = hashlib.sha256(common.encode())
        for i in u.files:
            k.update(f"{files[i].rel}\0{files[i].sha256}\n".encode())
        k.update(_digest(u.foreign).encode())
        others = sorted(str(s) for i in u.files for s in _bysubject(files[i]) if str(s) not in u.owned)
        k.update("\n".join(others).encode())
        u.key = k.hexdigest()


def _read(cache: Path | None, key: str) -> list | None:
    if cache is None:
        return None
    try:
        return [tuple(r) for r in json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))]
    except (OSError, ValueError):
        return None


def _write(cache: Path | None, key: str, raws: list) -> None:
    if cache is None:
        return
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp = cache / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(raws, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cache / f"{key}.json")
    except OSError:
        pass   # a cache, never a reason to fail


def _inline(task: tuple) -> list:
    return shard.run_unit(*task)


def workers_for(pending: int, workers: int | None) -> int:
    """Worker processes: ``workers`` or the cores, never more than the pending units; 1 (inline) inside a
    daemonic process (POST /validate's isolated child cannot have children)."""
    if multiprocessing.current_process().daemon:
        return 1
    return max(1, min(pending, workers or os.cpu_count() or 1))


def run(files: list[Parsed], shapes: list[Parsed], base_extra: list[ox.Quad], shapes_graph,
        cache_dir: Path | None, workers: int | None = None) -> tuple[list, Stats]:
    """The raw results of every unit (cached or computed) and of the whole-graph shapes; Stats."""
    units = plan(files)
    keys(units, files, shapes, base_extra)
    cache = cache_dir / "validation" if cache_dir is not None else None
    raws: list = []
    pending = []
    for u in units:
        got = _read(cache, u.key)
        if got is None:
            pending.append(u)
        else:
            raws.extend(got)
    base = [q for i in units[0].files for q in files[i].triples] + list(base_extra)
    # the largest units first (the cores stay busy to the end); each result cached as soon as it comes
    pending.sort(key=lambda u: -(sum(len(files[i].triples) for i in u.files) + len(u.foreign)))
    tasks = [([q for i in u.files for q in files[i].triples] if u.name != SHARED_UNIT else [],
              sorted(u.foreign, key=str), u.owned) for u in pending]
    if tasks:
        shard.prepare(base, shapes_graph, tasks)
    n = workers_for(len(pending), workers)
    # one forked process per unit: it inherits the tasks and the base graph (nothing pickled but the results)
    # (the parent's objects frozen: a child's garbage collector does not walk, hence copy, the parent's pages)
    gc.freeze()
    pool = multiprocessing.get_context("fork").Pool(n, maxtasksperchild=1) if n > 1 else None
    try:
        for u, got in zip(pending, pool.imap(shard.run_task, range(len(tasks))) if pool else map(_inline, tasks),
                          strict=True):
            _write(cache, u.key, got)
            raws.extend(got)
    finally:
        if pool is not None:
            pool.terminate()
        gc.unfreeze()
        shard.release()   # the tasks hold every unit's triples, the base its rdflib graph: not kept past validation
    store = ox.Store()
    store.bulk_extend([*(q for f in files for q in f.triples), *base_extra])
    raws.extend(shard.whole_graph_results(shapes_graph, store))
    return raws, Stats(len(units), [u.name for u in pending])
