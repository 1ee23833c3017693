"""A lexical scanner of SPARQL query texts, faithful to what pyoxigraph reads: code tokens, nesting depth, size.

Tokens follow the SPARQL 1.1 grammar's terminals as pyoxigraph 0.5 applies them (checked by experiment, see
tests/sparql/test_sparql_escapes.py): ``\\uXXXX`` / ``\\UXXXXXXXX`` are decoded *inside* IRIREF and string literals only (a
``"\\u0022"`` is a one-character string, ``SERVIC\\u0045`` a syntax error); strings are the four quotings with ECHAR
and UCHAR escapes (no raw line break in the short ones); comments run from ``#`` to CR or LF; whitespace is space,
tab, CR, LF. The scan is *strict*: a quote that does not open a well-formed string makes it :attr:`Scan.unsure`
(pyoxigraph would refuse the text anyway), and so do the few ``<…>`` spans that pyoxigraph could read as a
less-than operator followed by code (:func:`_ambiguous_iri`), because an operator ``<`` is not an IRI.

:func:`decode_escapes` gives the text with every escape decoded the way the SPARQL spec says (§19.2, before
parsing): the safety check also scans that, leniently, so a future engine that follows the spec gains nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"""\\[tbnrf\\"']"""
_TOKEN = re.compile(rf"""
      (?P<ws>[ \t\r\n]+)
    | (?P<comment>\#[^\r\n]*)
    | (?P<iri><(?:[^\x00-\x20<>"{{}}|^`\\]|{_UCHAR})*>)
    | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*'''
        | \"\"\"(?:(?:"|"")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*\"\"\"
        | '(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*'
        | "(?:[^"\\\n\r]|{_ECHAR}|{_UCHAR})*")
    | (?P<quote>['"])
    | (?P<escape>\\.)
    | (?P<var>[?$][0-9A-Za-z_\u00B7-\U0010FFFF]*)
    | (?P<word>[0-9A-Za-z_\u00B7-\U0010FFFF:%\-]+)
    | (?P<op>&&|\|\||!=|<=|>=|\^\^)
    | (?P<punct>.)
""", re.X | re.S)
_OPEN, _CLOSE = set("({["), set(")}]")
_UNARY = {"!", "+", "-", "^"}
# a pattern or an operand joined to another: triple separators, path and expression operators, UNION/MINUS
_JOINS = {".", ";", ",", "|", "/", "&&", "||", "+", "-", "*", "=", "!=", "<", ">", "<=", ">=", "UNION", "MINUS"}
_STAR = {"SELECT", "DISTINCT", "REDUCED", "(", "DESCRIBE"}        # where "*" means "all", not an operator
# inside a <…> span, SERVICE at a place where pyoxigraph could read it as the keyword (after ")", "]", ".", ";" …)
_SERVICE_IN_SPAN = re.compile(r"(?<![A-Za-z_/:#?$\-=&%])SERVICE(?![0-9A-Za-z_:\-%])", re.I)
_LONG_QUOTES = re.compile(r"'''|\"\"\"")
_ESCAPE = re.compile(_UCHAR)


@dataclass
class Scan:
    tokens: list[str] = field(default_factory=list)   # code tokens; every IRI is "<>", every string '""'
    unsure: str = ""                                   # why the scan cannot vouch for the text ("" if it can)
    depth: int = 0                                     # deepest nesting of ( { [ plus a run of unary operators
    patterns: int = 0                                  # joins: triple separators, operators, UNION, MINUS
    words: set[str] = field(default_factory=set)       # upper-cased keyword-like tokens


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"line {line}, column {pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def _ambiguous_iri(text: str, start: int, end: int) -> str:
    """Why the span text[start:end], read as an IRI, could instead be ``<`` (less than) followed by code."""
    inner = text[start + 1:end - 1]
    if _SERVICE_IN_SPAN.search(inner):
        return "the word SERVICE inside <…>, which could also be read as a less-than operator"
    if "'" in inner:
        return "an apostrophe inside <…>, which could also be read as a less-than operator and a string"
    if "#" in inner:
        eol = min((i for i in (text.find("\n", end), text.find("\r", end)) if i >= 0), default=len(text))
        if _LONG_QUOTES.search(text, end, eol):
            return "a long string after a '#' inside <…> on the same line (the '#' could start a comment)"
    return ""


def iri_is_readable(value: str) -> bool:
    """Whether ``<value>`` written anywhere in a text is always read by the strict scan as an IRI: none of what
    :func:`_ambiguous_iri` refuses (the word SERVICE, an apostrophe) and no ``#`` (whose reading depends on the rest
    of its line). A value that is not is bound to a query by substitution, never written into its text."""
    return not (_SERVICE_IN_SPAN.search(value) or "'" in value or "#" in value)


def scan(text: str, strict: bool = True) -> Scan:
    """Tokenise ``text``; ``strict=False`` skips malformed quotes instead of stopping (for the decoded text)."""
    out, pos, depth, run = Scan(), 0, 0, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        kind, tok, pos = m.lastgroup, m.group(), m.end()
        if kind in ("ws", "comment"):
            continue
        if kind == "quote":
            if strict:
                out.unsure = f"a quote that does not open a well-formed string literal at {_where(text, m.start())}"
                return out
            continue
        if kind == "iri":
            reason = _ambiguous_iri(text, m.start(), pos) if strict else ""
            if reason:
                out.unsure = f"{reason} at {_where(text, m.start())}"
                return out
            tok = "<>"
        elif kind == "string":
            tok = '""'
        elif kind == "word":
            out.words.add(tok.upper())
        run = run + 1 if tok in _UNARY else 0
        depth = depth + 1 if tok in _OPEN else max(0, depth - 1) if tok in _CLOSE else depth
        out.depth = max(out.depth, depth + run)
        out.patterns += tok.upper() in _JOINS and not (tok == "*" and out.tokens and out.tokens[-1].upper() in _STAR)
        out.tokens.append(tok)
    return out


def decode_escapes(text: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` decoded everywhere (SPARQL 1.1 §19.2); invalid code points left as they are."""
    def one(m: re.Match) -> str:
        code = int(m.group()[2:], 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else m.group()
    return _ESCAPE.sub(one, text)
