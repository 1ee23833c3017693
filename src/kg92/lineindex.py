"""Where each subject's description starts in a Turtle file: ``{subject IRI: line}``.

No RDF parser here reports triple positions, so this small Turtle-aware scanner finds them: it follows
``@prefix``/``PREFIX`` and ``@base``/``BASE``, skips comments and every kind of string (escapes, multi-line
``\"\"\"…\"\"\"``), tracks ``[ ]``/``( )`` nesting and records the subject at the start of each statement
(``<iri>`` or ``prefix:local``), with prefixes expanded. It trusts the file to be valid Turtle (the parser has
already said so) and never raises on odd input: it only records fewer subjects.
A blank-node focus is mapped to its owning named subject through the graph (:func:`owner`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

DELIMITERS = set(" \t\r\n<>\"'[](),;#")
LOCAL_ESCAPE = re.compile(r"\\(.)")


def _string_end(text: str, i: int) -> tuple[int, int]:
    """End index (exclusive) of the string literal starting at ``i``, and the newlines it spans."""
    quote = text[i]
    long = text.startswith(quote * 3, i)
    j = i + (3 if long else 1)
    n = len(text)
    while j < n:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if long and text.startswith(quote * 3, j):
            end = j + 3
            while end < n and text[end] == quote:  # """a"""" : closing quotes are the last three
                end += 1
            return end, text.count("\n", i, end)
        if not long and (c == quote or c == "\n"):
            return j + 1, 0
        j += 1
    return n, text.count("\n", i, n)


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, value, line) with kind in iri | string | punct | word; comments and whitespace dropped."""
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif c == "<":
            j = text.find(">", i)
            j = n if j == -1 else j
            yield "iri", text[i + 1:j], line
            i = j + 1
        elif c in "\"'":
            end, newlines = _string_end(text, i)
            yield "string", "", line
            line += newlines
            i = end
        elif c in "[](),;":
            yield "punct", c, line
            i += 1
        else:
            j = i
            while j < n and text[j] not in DELIMITERS:
                j += 1
            word, dots = text[i:j], 0
            while word.endswith(".") and not word.endswith("\\."):  # a trailing dot ends the statement
                word, dots = word[:-1], dots + 1
            if word:
                yield "word", word, line
            for _ in range(dots):
                yield "punct", ".", line
            i = max(j, i + 1)


def index_text(text: str) -> dict[str, int]:
    """``{subject IRI: line where its first description starts}`` for one Turtle document."""
    prefixes: dict[str, str] = {}
    base = ""
    found: dict[str, int] = {}
    depth = 0
    at_start = True
    directive: list[str] | None = None  # collects the operands of @prefix / PREFIX / @base / BASE
    for kind, value, line in tokens(text):
        if directive is not None:
            directive.append(value)
            if kind == "iri":
                if directive[0].lower() in ("@prefix", "prefix") and len(directive) == 3:
                    prefixes[directive[1].rstrip(":")] = urljoin(base, value)
                elif directive[0].lower() in ("@base", "base"):
                    base = urljoin(base, value)
                at_start = not directive[0].startswith("@")  # SPARQL-style directives have no final dot
                directive = None
            continue
        if kind == "punct":
            if value in "[(":
                depth += 1
            elif value in "])":
                depth = max(0, depth - 1)
            elif value == "." and depth == 0:
                at_start = True
            if at_start and value in "[(":
                at_start = False
            continue
        if not at_start:
            continue
        at_start = False
        if kind == "word" and value.lower() in ("@prefix", "prefix", "@base", "base"):
            directive = [value]
            continue
        iri = None
        if kind == "iri":
            iri = urljoin(base, value)
        elif kind == "word" and ":" in value and not value.startswith(("_:", "@", "^")):
            prefix, local = value.split(":", 1)
            if prefix in prefixes:
                iri = prefixes[prefix] + LOCAL_ESCAPE.sub(r"\1", local)
        if iri is not None and iri not in found:
            found[iri] = line
    return found


def index_file(path: Path | str) -> dict[str, int]:
    """``{subject IRI: line}`` of a Turtle file (see :func:`index_text`)."""
    return index_text(Path(path).read_text(encoding="utf-8"))


def owner(graph: Graph, node: Node) -> URIRef | None:
    """The nearest named subject that owns ``node`` (itself when it is an IRI): for a blank node, the subject whose
    object it is, recursively (breadth first, so the closest owner wins)."""
    seen: set[Node] = set()
    frontier = [node]
    while frontier:
        nxt: list[Node] = []
        for current in frontier:
            if isinstance(current, URIRef):
                return current
            if current in seen or not isinstance(current, BNode):
                continue
            seen.add(current)
            nxt.extend(sorted(graph.subjects(None, current), key=str))
        frontier = nxt
    return None
