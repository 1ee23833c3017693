"""Typed parameters of the canned queries and their binding: a raw value becomes a typed RDF term (``NamedNode``,
``Literal`` with its datatype), never raw text; a value of the wrong type, or not in its controlled list, is a
ParamError (400 before any query runs).

Two bindings of those terms (BINDINGS), chosen per query by its ``#+ binding:`` header: pyoxigraph
``substitutions`` (the default), or ``values``: one inline ``VALUES (?p1 ?p2) { (t1 t2) }`` block as the first
element of the query's outermost WHERE group (:func:`values_text`). The block's terms are written by pyoxigraph
(``str()`` of a term: ``<iri>``, ``"text"`` with N-Triples escapes, ``"1"^^<…#integer>``), so a value with quotes,
braces, ``<`` or a line break stays one term. Either way the engine sees the same pattern, but its plan differs:
the choice is made by measurement (bench/scale.py)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pyoxigraph as ox

from kg92.inline import LEXEME, values_block, values_text, where_group  # noqa: F401 (re-exported)
from kg92.namespaces import sparql_prologue

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = ("iri", "string", "integer", "date", "boolean", "lang")
LANGS = ("fr", "en")   # the languages of the site: a `lang` parameter takes one of them
# controlled lists: the class whose instances are the allowed values
LISTS = {
    "group": "https://w3id.org/kg92/def#CandidateGroup",
    "theme": "https://w3id.org/kg92/def#Theme",
    "scheme": "https://w3id.org/kg92/def#Scheme",
    "ask": "https://w3id.org/kg92/def#Ask",
    "actor": "https://w3id.org/kg92/def#Actor",
    "document": "https://w3id.org/kg92/def#SourceDocument",
}


BINDINGS = ("substitutions", "values")
class ParamError(ValueError):
    """A parameter value has the wrong type or is not in its list: 400 before any query runs."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    help: str
    default: str | None = None
    list: str | None = None


def bind_value(param: Param, raw: str, lists: dict[str, set[str]] | None) -> ox.NamedNode | ox.Literal:
    """The typed RDF term for ``raw``; ParamError when it does not fit the parameter's type or list."""
    if param.type == "iri":
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", raw):
            raise ParamError(f"{param.name}: {raw!r} is not an absolute http(s) IRI")
        if param.list and lists is not None and raw not in lists.get(param.list, set()):
            raise ParamError(f"{param.name}: {raw!r} is not one of the {param.list} values")
        return ox.NamedNode(raw)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", raw):
            raise ParamError(f"{param.name}: {raw!r} is not an integer")
        return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
    if param.type == "boolean":
        if raw not in ("true", "false", "1", "0"):
            raise ParamError(f"{param.name}: {raw!r} is not a boolean (true or false)")
        return ox.Literal("true" if raw in ("true", "1") else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if param.type == "lang":
        if raw not in LANGS:
            raise ParamError(f"{param.name}: {raw!r} is not a language of the site ({', '.join(LANGS)})")
        return ox.Literal(raw)
    if param.type == "date":
        try:
            return ox.Literal(dt.date.fromisoformat(raw).isoformat(), datatype=ox.NamedNode(XSD + "date"))
        except ValueError as exc:
            raise ParamError(f"{param.name}: {raw!r} is not a date (YYYY-MM-DD)") from exc
    return ox.Literal(raw)


def list_members(store: ox.Store) -> dict[str, set[str]]:
    """The allowed values of every controlled list, read once from the store."""
    out: dict[str, set[str]] = {}
    for kind, cls in LISTS.items():
        rows = store.query(sparql_prologue() + "SELECT DISTINCT ?x ?cls WHERE { ?x a ?cls }",
                           substitutions={ox.Variable("cls"): ox.NamedNode(cls)}, use_default_graph_as_union=True)
        out[kind] = {row["x"].value for row in rows if isinstance(row["x"], ox.NamedNode)}
    return out
