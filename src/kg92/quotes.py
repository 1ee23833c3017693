"""Verbatim quotes: locate a passage in a source document and write its W3C Web Annotation.

Offsets are Unicode code points (Python string indices): ``start`` inclusive, ``end`` exclusive,
so ``text[start:end] == exact`` and SPARQL ``SUBSTR(text, start + 1, end - start)`` agrees.
Pure standard library: the authoring script ``tools/quote.py`` uses it before the package is installed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

BASE = "https://w3id.org/kg92/id/"
CONTEXT = 32  # characters of oa:prefix / oa:suffix


@dataclass(frozen=True)
class Quote:
    doc: str  # three-digit document number, "000".."004"
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str

    @property
    def iri(self) -> str:
        return f"{BASE}quote/{self.doc}-{self.start}-{self.end}"


def source_file(sources: Path, doc: str) -> Path:
    """The source file of document ``doc`` ("000") in ``sources``."""
    matches = sorted(sources.glob(f"{doc}_*.txt"))
    if len(matches) != 1:
        raise FileNotFoundError(f"no single source file for document {doc} in {sources}")
    return matches[0]


def read_text(path: Path) -> str:
    # newline="" keeps \r\n if any: offsets are counted on the file's exact characters.
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def sha256_text(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def occurrences(text: str, exact: str) -> list[int]:
    found, i = [], text.find(exact)
    while i != -1:
        found.append(i)
        i = text.find(exact, i + 1)
    return found


def locate(text: str, doc: str, exact: str, occurrence: int = 1) -> Quote:
    """The ``occurrence``-th (1-based) place of ``exact`` in ``text``."""
    if not exact:
        raise ValueError("empty quote")
    places = occurrences(text, exact)
    if not places:
        raise ValueError(f"quote not found in document {doc}: {exact[:80]!r}")
    if occurrence < 1 or occurrence > len(places):
        raise ValueError(f"quote occurs {len(places)} time(s) in document {doc}, not {occurrence}")
    start = places[occurrence - 1]
    end = start + len(exact)
    return Quote(doc, start, end, exact, text[max(0, start - CONTEXT):start], text[end:end + CONTEXT])


def turtle_string(value: str) -> str:
    """A Turtle short string literal; keeps every character (’, no-break spaces) as it is."""
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def to_turtle(q: Quote) -> str:
    return (
        f"<{q.iri}> a oa:SpecificResource ;\n"
        f"    oa:hasSource <{BASE}document/{q.doc}> ;\n"
        f"    oa:hasSelector [ a oa:TextQuoteSelector ;\n"
        f"        oa:exact {turtle_string(q.exact)} ;\n"
        f"        oa:prefix {turtle_string(q.prefix)} ;\n"
        f"        oa:suffix {turtle_string(q.suffix)} ] ,\n"
        f"      [ a oa:TextPositionSelector ; oa:start {q.start} ; oa:end {q.end} ] .\n"
    )
