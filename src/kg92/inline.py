"""Terms inlined into a SPARQL text as one ``VALUES (?p1 ?p2) { (t1 t2) }`` block, the first element of the
query's outermost WHERE group: how the canned queries' ``#+ binding: values`` and their ready-to-run texts bind
their parameters (queries/binding.py), and how the remote store backend passes what pyoxigraph takes as
``substitutions`` (sparql/remote.py). Shared by both rooms, so it lives at the top of the package.

The block's terms are written by pyoxigraph (``str()`` of a term: ``<iri>``, ``"text"`` with N-Triples escapes,
``"1"^^<…#integer>``), so a value with quotes, braces, ``<`` or a line break stays one term."""

from __future__ import annotations

import re

import pyoxigraph as ox

# Lexemes that may hold braces, brackets or the word WHERE without being syntax (comments, strings, IRIs), then
# the brackets that count, then words (a keyword, a variable, a prefixed name is one word), then anything else.
LEXEME = re.compile(r"""
    \#[^\n]*
  | "{3}(?:[^"\\]|\\.|"(?!""))*"{3}
  | '{3}(?:[^'\\]|\\.|'(?!''))*'{3}
  | "(?:[^"\\\n]|\\.)*"
  | '(?:[^'\\\n]|\\.)*'
  | <[^<>"{}|^`\\\x00-\x20]*>
  | [{}()]
  | [^\s{}()\[\],;"'<>\#]+
  | \S
""", re.VERBOSE)


def where_group(sparql: str) -> tuple[int, int] | None:
    """(just after its ``{``, at its ``}``): the span of the query's outermost group pattern (its WHERE clause), or
    None. Comments, strings, IRIs, sub-queries (nested braces) and the projection's ``( … )`` are skipped."""
    braces = parens = 0
    where = False
    groups: list[tuple[bool, int, int]] = []     # top-level { … }: (after WHERE?, inside start, inside end)
    start = 0
    for m in LEXEME.finditer(sparql):
        tok = m.group()
        if tok == "{":
            if braces == 0 and parens == 0:
                start = m.end()
            braces += 1
        elif tok == "}":
            braces -= 1
            if braces == 0 and parens == 0:
                groups.append((where, start, m.start()))
        elif tok == "(":
            parens += 1
        elif tok == ")":
            parens -= 1
        elif braces == 0 and parens == 0 and tok.upper() == "WHERE":
            where = True
    after_where = [(s, e) for w, s, e in groups if w]
    if after_where:
        return after_where[0]
    # WHERE is optional in SELECT, ASK and DESCRIBE: the pattern is then the first top-level group
    return (groups[0][1], groups[0][2]) if groups and not where else None


def values_block(terms: dict[ox.Variable, ox.NamedNode | ox.Literal]) -> str:
    """``VALUES (?p1 ?p2) { (t1 t2) }``: the terms written by pyoxigraph, one row."""
    return f"VALUES ({' '.join(str(v) for v in terms)}) {{ ({' '.join(str(t) for t in terms.values())}) }}"


def values_text(sparql: str, terms: dict[ox.Variable, ox.NamedNode | ox.Literal]) -> str:
    """``sparql`` with ``terms`` in one VALUES block right after the ``{`` of its outermost WHERE group
    (:func:`where_group`; ``sparql`` itself when nothing is bound). ValueError when the text has no such group."""
    if not terms:
        return sparql
    span = where_group(sparql)
    if span is None:
        raise ValueError("no WHERE { … } group outside comments, strings and IRIs: the query cannot take a VALUES binding")
    return f"{sparql[:span[0]]}\n  {values_block(terms)}\n{sparql[span[0]:]}"
