"""Read-only and offline: which SPARQL texts may reach pyoxigraph.

pyoxigraph runs ``SERVICE`` (an outbound HTTP request) and cannot be told not to, so every query text is checked
here, in the query worker, *before* ``Store.query`` sees it. Two independent analyses; either one refuses:

1. rdflib's SPARQL parser (``parseQuery``): the parse tree is walked for ``ServiceGraphPattern`` nodes, at any
   depth (sub-queries, ``EXISTS``, ``MINUS``, ``OPTIONAL``, ``UNION`` …). The tree also tells the query form and
   whether the query has its own ``FROM`` / ``FROM NAMED`` dataset.
2. A lexical scan (:func:`code_tokens`) that blanks out string literals (short and long, with escapes), IRIs,
   comments and backslash escapes (``ex:a\\#b``), then looks for the keyword ``SERVICE`` (any case) as a token of
   its own (not ``?service``, ``ex:service``, ``service:x``). It errs toward refusal and is what decides when
   rdflib cannot parse a text that pyoxigraph might still accept (oxigraph extensions, rdflib gaps).

``\\uXXXX`` escapes: pyoxigraph decodes them inside IRIs and strings only (checked: ``SERVIC\\u0045`` is a syntax
error there), so keywords cannot be smuggled that way; an escaped IRI stays an IRI for the scan too.

Updates (``INSERT``, ``DELETE``, ``LOAD`` …) sent as a query are recognised (rdflib ``parseUpdate``, or an update
keyword first after the prologue) so the client gets a clear "read-only" refusal rather than a syntax error;
pyoxigraph's ``Store.query`` cannot run them anyway and the store is opened read-only.

``FROM <http://…>`` / ``FROM <file:…>``: pyoxigraph never fetches dataset clauses; they only select graphs of
the store by name (tests/test_sparql_safety.py checks that nothing is fetched or read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

READ_ONLY = ("SPARQL Update is not allowed: this endpoint is read-only "
             "(INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE and ADD are refused)")
NO_SERVICE = ("SERVICE (federated query) is not allowed on this endpoint: it never contacts other servers. "
              "Query each endpoint separately, or download the dumps at /dumps/")

# string literals (long forms first), IRIs, comments and backslash escapes: blanked before looking at keywords
_NOT_CODE = re.compile(r"""
      (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
        | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        | '(?:[^'\\\n\r]|\\.)*'
        | "(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | \#[^\n\r]*
    | \\.
""", re.X | re.S)
_BLANKS = {"string": ' "" ', "iri": " <> "}
# a keyword token: not part of a variable (?x $x), a prefixed name (ex:x, x:y, a-b) or a longer word
_BEFORE, _AFTER = r"(?<![\w?$:\-])", r"(?![\w:\-])"
_SERVICE = re.compile(_BEFORE + "SERVICE" + _AFTER, re.I)
_FROM = re.compile(_BEFORE + "FROM" + _AFTER, re.I)
_PROLOGUE = re.compile(r"\s*(?:(?:BASE\s*<>|PREFIX\s*[^\s:]*:\s*<>)\s*)*", re.I)
_UPDATE_START = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)" + _AFTER, re.I)
_QUERY_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


class Refused(Exception):
    """The text may not run here (an update, or SERVICE). The message says why, for the client."""


@dataclass(frozen=True)
class Verdict:
    refusal: str | None = None     # None: may run
    form: str | None = None        # SELECT / ASK / CONSTRUCT / DESCRIBE when rdflib parsed it
    has_dataset: bool = False      # the query names its own FROM / FROM NAMED graphs

    def raise_if_refused(self) -> Verdict:
        if self.refusal:
            raise Refused(self.refusal)
        return self


def code_tokens(text: str) -> str:
    """The text with every string (→ ``""``), IRI (→ ``<>``), comment and escape blanked out: what is left is
    SPARQL syntax."""
    return _NOT_CODE.sub(lambda m: _BLANKS.get(m.lastgroup, " "), text)


def _walk(node, found: set[str]) -> None:
    """Collect the names of every rdflib CompValue in a parse tree (lists, ParseResults, dicts, CompValues)."""
    stack = [node]
    while stack:
        item = stack.pop()
        name = getattr(item, "name", None)
        if isinstance(name, str):
            found.add(name)
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(item)


def _rdflib_query(text: str):
    """rdflib's parse tree of a query, or None when rdflib cannot parse it (the scan then decides)."""
    try:
        return parseQuery(text)
    except (ParseBaseException, ValueError, TypeError, KeyError, RecursionError):
        return None


def _is_update(text: str, code: str) -> bool:
    try:
        parseUpdate(text)
        return True
    except (ParseBaseException, ValueError, TypeError, KeyError, RecursionError):
        return bool(_UPDATE_START.match(code, _PROLOGUE.match(code).end()))


@lru_cache(maxsize=2048)
def check(text: str) -> Verdict:
    """Decide whether ``text`` may be given to ``Store.query`` (pure, cached per text)."""
    code = code_tokens(text)
    lexical_service = bool(_SERVICE.search(code))
    tree = _rdflib_query(text)
    if tree is None:
        if lexical_service:
            return Verdict(NO_SERVICE)
        if _is_update(text, code):
            return Verdict(READ_ONLY)
        return Verdict(None, None, bool(_FROM.search(code)))   # pyoxigraph will parse it (and report errors)
    names: set[str] = set()
    _walk(tree, names)
    if "ServiceGraphPattern" in names or lexical_service:
        return Verdict(NO_SERVICE)
    query = tree[1]
    return Verdict(None, _QUERY_FORMS.get(query.name), "datasetClause" in query)
