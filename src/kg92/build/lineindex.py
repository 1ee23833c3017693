"""Where each subject's description starts in a Turtle file (``{subject IRI: line}``), and where each of its
top-level triples is written (``(subject, predicate) → [(line, object)]``, see :class:`Lines`).

No RDF parser here reports triple positions, so this small Turtle-aware scanner finds them: it follows
``@prefix``/``PREFIX`` and ``@base``/``BASE``, skips comments, reads every kind of string (escapes, multi-line
``\"\"\"…\"\"\"``), tracks ``[ ]``/``( )`` nesting and records the subject at the start of each statement
(``<iri>`` or ``prefix:local``), then each predicate and object after it, with prefixes expanded. It trusts the
file to be valid Turtle (the parser has already said so) and never raises on odd input: it only records less.
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


STRING_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
CHAR_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _unescape(body: str) -> str:
    """The lexical form of a Turtle string's body (ECHAR and UCHAR escapes)."""
    def one(m: re.Match) -> str:
        code = m[1] or m[2]
        return chr(int(code, 16)) if code else CHAR_ESCAPES.get(m[3], m[3])
    return STRING_ESCAPE.sub(one, body)


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, value, line) with kind in iri | string | punct | word (a string's value is its lexical form);
    comments and whitespace dropped."""
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
            quotes = 3 if text.startswith(c * 3, i) else 1
            yield "string", _unescape(text[i + quotes:max(i + quotes, end - quotes)]), line
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


class Lines:
    """Where things are in one Turtle document: ``subjects`` maps a subject IRI to the line where its first
    description starts; ``objects`` maps (subject IRI, predicate IRI) to the (line, object) of each object written
    for it at the top level, in order (the object as an IRI, a literal's lexical form, or None for a blank node or
    a collection)."""

    def __init__(self, text: str):
        self.subjects: dict[str, int] = {}
        self.objects: dict[tuple[str, str], list[tuple[int, str | None]]] = {}
        self._prefixes: dict[str, str] = {}
        self._base = ""
        self._scan(text)

    def to_json(self) -> dict:
        return {"subjects": self.subjects, "objects": [[s, p, found] for (s, p), found in self.objects.items()]}

    @classmethod
    def from_json(cls, data: dict) -> Lines:
        """The index :meth:`to_json` saved (the validation caches it per file content: scanning is the slow part)."""
        lines = cls("")
        lines.subjects = data["subjects"]
        lines.objects = {(s, p): found for s, p, found in data["objects"]}   # [line, object] pairs, read as such
        return lines

    def line_of(self, subject: str, predicate: str, value: str | None) -> int | None:
        """The line of the triple (subject, predicate, value): the object written as ``value``, else the first
        one of that predicate for that subject (a literal spelt differently: ``1e3`` for ``1000.0``…); None if
        the subject never has that predicate here."""
        written = self.objects.get((subject, predicate), [])
        exact = [line for line, obj in written if obj == value]
        return (exact or [line for line, _ in written] or [None])[0]

    def _expand(self, kind: str, value: str) -> str | None:
        if kind == "iri":
            return urljoin(self._base, value)
        if kind == "word" and ":" in value and not value.startswith(("_:", "@", "^")):
            prefix, local = value.split(":", 1)
            if prefix in self._prefixes:
                return self._prefixes[prefix] + LOCAL_ESCAPE.sub(r"\1", local)
        return None

    def _directive(self, operands: list[str]) -> None:
        keyword = operands[0].lower()
        if keyword in ("@prefix", "prefix") and len(operands) == 3:
            self._prefixes[operands[1].rstrip(":")] = urljoin(self._base, operands[2])
        elif keyword in ("@base", "base"):
            self._base = urljoin(self._base, operands[-1])

    def _scan(self, text: str) -> None:
        depth = 0
        role = "subject"          # what the next top-level term is: subject | predicate | object | after (object)
        subject = predicate = None
        directive: list[str] | None = None  # collects the operands of @prefix / PREFIX / @base / BASE
        for kind, value, line in tokens(text):
            if directive is not None:
                directive.append(value)
                if kind == "iri":
                    self._directive(directive)
                    role = "subject" if not directive[0].startswith("@") else "directive"  # SPARQL-style: no dot
                    directive = None
                continue
            if kind == "punct" and value in "[(":
                if depth == 0 and role == "object" and subject and predicate:
                    self.objects.setdefault((subject, predicate), []).append((line, None))
                    role = "after"
                elif depth == 0 and role == "subject":
                    subject, role = None, "predicate"   # a blank node subject: nothing to index
                depth += 1
                continue
            if kind == "punct" and value in "])":
                depth = max(0, depth - 1)
                continue
            if depth > 0:
                continue
            if kind == "punct":
                role = {".": "subject", ";": "predicate", ",": "object"}.get(value, role)
                continue
            if role == "subject":
                if kind == "word" and value.lower() in ("@prefix", "prefix", "@base", "base"):
                    directive = [value]
                    continue
                subject, role = self._expand(kind, value), "predicate"
                if subject is not None:
                    self.subjects.setdefault(subject, line)
            elif role == "predicate":
                predicate, role = RDF_TYPE if (kind, value) == ("word", "a") else self._expand(kind, value), "object"
            elif role == "object":
                obj = value if kind == "string" else self._expand(kind, value) if kind == "iri" or ":" in value else value
                if subject and predicate:
                    self.objects.setdefault((subject, predicate), []).append((line, obj))
                role = "after"   # a datatype or language tag may follow: not an object


def index_text(text: str) -> dict[str, int]:
    """``{subject IRI: line where its first description starts}`` for one Turtle document."""
    return Lines(text).subjects


def index_file(path: Path | str) -> dict[str, int]:
    """``{subject IRI: line}`` of a Turtle file (see :func:`index_text`)."""
    return index_text(Path(path).read_text(encoding="utf-8"))


def lines_of_file(path: Path | str) -> Lines:
    return Lines(Path(path).read_text(encoding="utf-8"))


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
