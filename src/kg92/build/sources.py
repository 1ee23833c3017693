"""Read the build inputs: ontology/, data/ttl/, shapes/. Parse errors name file, line and column."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg92.namespaces import graph_iri


class InputError(Exception):
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


def parse(inp: Input) -> list[ox.Quad]:
    """The file's triples as quads in its named graph. Raises InputError('file:line:col: message')."""
    graph = ox.NamedNode(inp.graph) if inp.graph else ox.DefaultGraph()
    try:
        return [ox.Quad(q.subject, q.predicate, q.object, graph)
                for q in ox.parse(path=inp.path, format=ox.RdfFormat.TURTLE)]
    except SyntaxError as exc:
        raise InputError(f"{inp.rel}:{exc.lineno}:{exc.offset}: Turtle syntax error: {exc.msg}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{inp.rel}: cannot read: {exc}") from exc
