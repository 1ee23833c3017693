"""Read the build inputs: ontology/, data/ttl/, shapes/. Parse errors name file, line and column.

Each Turtle file is read and parsed once (:func:`read`): the :class:`Parsed` result (bytes' SHA-256, text, triples,
line index, rdflib terms) serves the validation, the store load, the dumps and the file:line mapping alike.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from kg92.build.entailment import with_labels
from kg92.build.lineindex import Lines
from kg92.namespaces import graph_iri


class InputError(ValueError):
    """A build input cannot be read or parsed; the message names file:line:column."""


@dataclass(frozen=True)
class Input:
    path: Path          # absolute
    rel: str            # repository-relative, for messages and the manifest
    kind: str           # "ontology" | "data" | "shapes" | "query" (SPARQL files that the build renders)
    graph: str | None   # named graph IRI (None for shapes: they are not published in the dataset)

    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def discover(root: Path) -> list[Input]:
    """Every input file, in a stable order."""
    found: list[Input] = []
    for kind, folder in (("ontology", "ontology"), ("data", "data/ttl"), ("shapes", "shapes")):
        for path in sorted((root / folder).glob("*.ttl")):
            graph = None if kind == "shapes" else graph_iri("ontology" if kind == "ontology" else path.stem)
            found.append(Input(path, path.relative_to(root).as_posix(), kind, graph))
    for folder in ("ontology/cq", "queries"):
        for path in sorted((root / folder).glob("*.rq")):
            found.append(Input(path, path.relative_to(root).as_posix(), "query", None))
    if not any(i.kind == "data" for i in found):
        raise InputError(f"no Turtle files in {root / 'data/ttl'}")
    if len({i.graph for i in found if i.graph}) != len([i for i in found if i.graph]):
        raise InputError("two input files map to the same named graph (same file name in ontology/ and data/ttl/?)")
    return found


@dataclass(eq=False)
class Parsed:
    """One Turtle file, read and parsed once: what every step of the build needs of it."""
    inp: Input
    sha256: str                 # of the bytes parsed (the input hash of the file)
    text: str
    triples: list[ox.Quad] = field(repr=False)   # as parsed, in the default graph

    @property
    def rel(self) -> str:
        return self.inp.rel

    @cached_property
    def lines(self) -> Lines:
        """Where each subject and triple is written (for file:line in the reports)."""
        return Lines(self.text)

    @cached_property
    def rdf(self) -> set[tuple[Node, Node, Node]]:
        """The same triples as rdflib terms (for pySHACL and the ontology pages), converted once."""
        term_log = logging.getLogger("rdflib.term")
        level = term_log.level
        term_log.setLevel(logging.ERROR)  # ill-typed literals are reported by the shapes, not logged by rdflib
        try:
            return {(to_rdflib(q.subject), URIRef(q.predicate.value), to_rdflib(q.object)) for q in self.triples}
        finally:
            term_log.setLevel(level)

    @cached_property
    def subjects(self) -> set[Node]:
        return {s for s, _, _ in self.rdf}

    @cached_property
    def by_subject(self) -> dict:
        """``{subject term: [its triples]}`` (Oxigraph terms): the per-graph validation's index."""
        found: dict = {}
        for q in self.triples:
            found.setdefault(q.subject, []).append(q)
        return found

    def quads(self) -> list[ox.Quad]:
        """The triples in the file's named graph (what the dataset publishes)."""
        graph = ox.NamedNode(self.inp.graph) if self.inp.graph else ox.DefaultGraph()
        return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in self.triples]


def to_rdflib(t) -> Node:
    """An Oxigraph term as the rdflib term pySHACL sees."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    dt = t.datatype.value
    return Literal(t.value) if dt == str(XSD.string) else Literal(t.value, datatype=URIRef(dt))


def read(inp: Input) -> Parsed:
    """Read and parse ``inp`` once. Raises InputError('file:line:col: message')."""
    try:
        data = inp.path.read_bytes()
        text = data.decode("utf-8")
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise InputError(f"{inp.rel}:{exc.lineno}:{exc.offset}: Turtle syntax error: {exc.msg}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{inp.rel}: cannot read: {exc}") from exc
    return Parsed(inp, hashlib.sha256(data).hexdigest(), text, triples)


def read_all(inputs: list[Input]) -> list[Parsed]:
    """Every Turtle input (ontology, data, shapes) parsed once, in the order of ``inputs``; SPARQL files are left to
    the query registry."""
    return [read(inp) for inp in inputs if inp.kind != "query"]


def parse(inp: Input) -> list[ox.Quad]:
    """The file's triples as quads in its named graph. Raises InputError('file:line:col: message')."""
    return read(inp).quads()


def as_input(path: Path, root: Path, kind: str = "data", alias: str | None = None) -> Input:
    """An :class:`Input` for a file given by path (``alias``: the name to report, e.g. a candidate's)."""
    path = Path(path)
    rel = alias or (path.resolve().relative_to(root.resolve()).as_posix()
                    if path.resolve().is_relative_to(root.resolve()) else str(path))
    graph = None if kind == "shapes" else graph_iri("ontology" if kind == "ontology" else Path(rel).stem)
    return Input(path, rel, kind, graph)


def validated(files: list[Parsed]) -> None:
    """Free what only validation reads of each data and shapes file: its text, triples, rdflib terms, subject and
    line indexes (the write phase reads the published quads and the ontology files' terms)."""
    for f in files:
        if f.inp.kind != "ontology":
            for cached in ("rdf", "subjects", "lines"):
                f.__dict__.pop(cached, None)
            f.text, f.triples = "", []


@dataclass
class Parse:
    """The parse step's result: every Turtle input parsed once, and, once validated, the dataset's quads."""
    files: list[Parsed]
    quads: list[ox.Quad]
    graphs: dict[str, int]

    def publish(self) -> dict[str, int]:
        """The published quads (``quads``): ontology and data, each in its named graph, + the rdfs:label each
        skos:prefLabel entails (entailment.py); then what only validation read is freed (:func:`validated`): two
        copies of every triple are never held at once (≈ 430 bytes each, 0.95 GB at N=100). ``graphs``: their count
        per named graph."""
        per_graph: Counter[str] = Counter()
        for f in self.files:
            if f.inp.kind in ("ontology", "data"):
                got = with_labels(f.quads())
                self.quads.extend(got)
                per_graph[f.inp.graph] += len(got)
        validated(self.files)
        self.graphs = dict(sorted(per_graph.items()))
        return self.graphs
