"""The remote backend's answers as the embedded store gives them (sparql/remote.py): blank nodes, which
`kg92 publish` loads as skolem IRIs (RDF 1.1 §3.5) since a query cannot name a blank node, turned back into blank
nodes; solutions with pyoxigraph's ``variables`` and rows that index by name or position; a malformed answer, or
any other failure of the engine, as :class:`Unavailable` (503)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg92.errors import ApiError

GENID = "https://w3id.org/kg92/.well-known/genid/"   # blank nodes, skolemised by `kg92 publish` (RDF 1.1 §3.5)


def skolem(term):
    """The IRI that stands for a blank node in the engine (other terms unchanged)."""
    return ox.NamedNode(GENID + term.value) if isinstance(term, ox.BlankNode) else term


def unskolem(term):
    """The blank node a skolem IRI stands for (other terms unchanged): answers read as the embedded store's."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(GENID):
        return ox.BlankNode(term.value[len(GENID):])
    if isinstance(term, ox.Triple):
        return ox.Triple(unskolem(term.subject), unskolem(term.predicate), unskolem(term.object))
    return term


class Row(tuple):
    """One solution: its terms in the order of the variables; ``row[name]`` as a pyoxigraph QuerySolution."""

    index: dict[str, int]

    def __getitem__(self, key):
        if isinstance(key, ox.Variable):
            key = key.value
        return super().__getitem__(self.index[key] if isinstance(key, str) else key)


class Solutions:
    """The solutions of a SELECT as pyoxigraph gives them (``variables``, an iterator of rows), blank nodes restored."""

    def __init__(self, parsed: ox.QuerySolutions):
        self.parsed, self.variables = parsed, parsed.variables
        self.index = {v.value: i for i, v in enumerate(self.variables)}

    def __iter__(self) -> Iterator[Row]:
        for solution in checked(self.parsed):
            row = Row(unskolem(t) for t in solution)
            row.index = self.index
            yield row


def checked(parsed: Iterable) -> Iterator:
    """``parsed`` as it streams; an answer that turns out malformed is the engine's fault (503), not the query's."""
    try:
        yield from parsed
    except SyntaxError as exc:
        raise Unavailable(f"the SPARQL engine's answer is malformed: {exc}") from exc


def triples(quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    for q in checked(quads):
        yield ox.Triple(unskolem(q.subject), q.predicate, unskolem(q.object))


class Unavailable(ApiError):
    """The remote engine cannot give an answer: 503, with a message for the client (never its address)."""

    def __init__(self, detail: str):
        super().__init__(503, "Service Unavailable", detail)
