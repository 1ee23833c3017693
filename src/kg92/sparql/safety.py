"""Read-only and offline: which SPARQL texts may reach pyoxigraph.

pyoxigraph runs ``SERVICE`` (an outbound HTTP request) and cannot be told not to, so every query text is checked
here, in the query worker, *before* ``Store.query`` sees it. This is the early, explained refusal (403); the
guarantee is the worker's OS sandbox (:mod:`kg92.sparql.sandbox`: the process cannot open a network socket at all).
Independent analyses; any one refuses:

1. rdflib's SPARQL parser (``parseQuery``): the parse tree is walked for ``ServiceGraphPattern`` nodes, at any
   depth (sub-queries, ``EXISTS``, ``MINUS``, ``OPTIONAL``, ``UNION`` …). The tree also tells the query form and
   whether the query has its own ``FROM`` / ``FROM NAMED`` dataset.
2. The strict lexical scan of :mod:`kg92.lexer`, faithful to pyoxigraph's terminals (IRIREF and the four
   string quotings with their ``\\u``/``\\U``/ECHAR escapes, comments): the keyword ``SERVICE`` (any case) as a
   token of its own (not ``?service``, ``ex:service``, ``service:x``). When the scan cannot vouch for the text (a
   malformed string, a ``<…>`` span that could be a less-than operator followed by code) the text is refused.
3. The same scan, lenient, of the text with every escape decoded as the SPARQL spec says (§19.2).

Updates (``INSERT``, ``DELETE``, ``LOAD`` …) sent as a query are recognised (rdflib ``parseUpdate``, or an update
keyword first after the prologue) so the client gets a clear "read-only" refusal rather than a syntax error;
pyoxigraph's ``Store.query`` cannot run them anyway and the store is opened read-only.

``FROM <http://…>`` / ``FROM <file:…>``: pyoxigraph never fetches dataset clauses; they only select graphs of
the store by name (tests/sparql/test_sparql_safety.py checks that nothing is fetched or read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from kg92 import lexer as sparqllex

READ_ONLY = ("SPARQL Update is not allowed: this endpoint is read-only "
             "(INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE and ADD are refused)")
NO_SERVICE = ("SERVICE (federated query) is not allowed on this endpoint: it never contacts other servers. "
              "Query each endpoint separately, or download the dumps at /dumps/")
UNSURE = "the query cannot be checked for SERVICE and is refused"

_PROLOGUE = re.compile(r"\s*(?:(?:BASE\s*<>|PREFIX\s*[^\s:]*:\s*<>)\s*)*", re.I)
_UPDATE_START = re.compile(r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)(?![\w:\-])", re.I)
_QUERY_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


class Refused(Exception):
    """The text may not run here (an update, SERVICE, a text the scan cannot vouch for). The message says why."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Verdict:
    refusal: str | None = None     # None: may run
    form: str | None = None        # SELECT / ASK / CONSTRUCT / DESCRIBE when rdflib parsed it
    has_dataset: bool = False      # the query names its own FROM / FROM NAMED graphs
    status: int = 403              # of the refusal: 403 (not allowed here) or 400 (malformed, cannot be checked)

    def raise_if_refused(self) -> Verdict:
        if self.refusal:
            raise Refused(self.refusal, self.status)
        return self


lexed = lru_cache(maxsize=2048)(sparqllex.scan)


def code_tokens(text: str) -> str:
    """The code tokens of the text, space-separated: every string is ``""``, every IRI ``<>``; comments gone."""
    return " ".join(lexed(text).tokens)


def limit_error(text: str, max_depth: int, max_patterns: int) -> str:
    """Why the text is too deep or too big for the engine (its parser recurses: it would crash), or ""."""
    lex = lexed(text)
    if lex.depth > max_depth:
        return (f"the query nests {lex.depth} levels deep (brackets, braces, unary operators); the limit is "
                f"{max_depth} (max_query_depth)")
    if lex.patterns > max_patterns:
        return (f"the query joins {lex.patterns} patterns or operands; the limit is {max_patterns} "
                "(max_query_patterns)")
    return ""


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
    lex = lexed(text)
    if lex.unsure.startswith("a quote"):
        return Verdict(f"SPARQL syntax error: {lex.unsure}", status=400)
    if lex.unsure:
        return Verdict(f"{UNSURE}: {lex.unsure}; write the comparison with spaces around '<'")
    if "SERVICE" in lex.words or "SERVICE" in sparqllex.scan(sparqllex.decode_escapes(text), strict=False).words:
        return Verdict(NO_SERVICE)
    code = " ".join(lex.tokens)
    tree = _rdflib_query(text)
    if tree is None:
        if _is_update(text, code):
            return Verdict(READ_ONLY)
        return Verdict(None, None, "FROM" in lex.words)   # pyoxigraph will parse it (and report errors)
    names: set[str] = set()
    _walk(tree, names)
    if "ServiceGraphPattern" in names:
        return Verdict(NO_SERVICE)
    query = tree[1]
    return Verdict(None, _QUERY_FORMS.get(query.name), "datasetClause" in query)
