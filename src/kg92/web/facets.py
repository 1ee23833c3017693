"""The classes a browse page lists and the facets it offers (no Flask, no request: a store is given as argument).

A *kind* is the first path segment of the IRIs under ``…/id/`` (``scheme``, ``actor``, ``statement`` …); its
resources are every typed resource whose IRI is under ``…/id/{kind}/``, and its class is the type they all share
(the ontology's ``kg:`` term first: ``kg:Scheme`` rather than ``skos:Concept``), else the most frequent one. Both
are read from the data (``kinds``), never listed by hand.

A facet is a graph pattern linking a resource ``?s`` to a value ``?v`` (an IRI, or a year for ``year``), written
here once: it applies to a kind when one of its resources has a value (``applicable``). A filter value from the
URL is parsed into a typed term (``parse_value``) and reaches SPARQL in a VALUES block written by pyoxigraph
(queries/binding.values_block), never pasted as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from kg92.namespaces import ID, PREFIXES
from kg92.queries.binding import values_block
from kg92.web.labels import select

KG = PREFIXES["kg"]
XSD_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")


@dataclass(frozen=True)
class Facet:
    name: str          # the URL parameter
    fr: str
    en: str
    pattern: str       # links ?s to ?v
    year: bool = False  # the value is a year (an integer), not an IRI

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr


FACETS: tuple[Facet, ...] = (
    Facet("type", "Type", "Type", "?s a ?v ."),
    Facet("kind", "Catégorie", "Kind", "?s kg:schemeKind|kg:actorKind|kg:eventKind|kg:relation ?v ."),
    Facet("theme", "Thème", "Theme", "?s kg:theme ?v ."),
    Facet("stance", "Position", "Stance", "?s kg:stance ?v ."),
    Facet("group", "Groupe candidat", "Candidate group",
          "{ ?s kg:statedBy|kg:heldBy ?v } UNION { ?x kg:concerns ?s ; kg:statedBy ?v } ?v a kg:CandidateGroup ."),
    Facet("author", "Auteur", "Stated by", "?s kg:statedBy ?v ."),
    Facet("scheme", "Dispositif", "Scheme", "?s kg:concerns ?v . ?v a kg:Scheme ."),
    Facet("ask", "Demande", "Ask", "?s kg:onAsk ?v ."),
    Facet("unit", "Unité", "Unit", "?s qudt:hasUnit ?v ."),
    Facet("place", "Lieu", "Place", "?s dcterms:spatial ?v ."),
    Facet("document", "Document", "Document",
          # its own evidence's document, or that of anything linking to it (but its evidence): a property path,
          # which pyoxigraph evaluates from the bound ?s (a UNION branch would be evaluated on the whole graph)
          "?s oa:hasSource|kg:inDocument|kg:evidence/oa:hasSource|^!(kg:evidence|rdf:type)/kg:evidence/oa:hasSource ?v ."),
    Facet("year", "Année", "Year", "{ ?s kg:refDate ?d } UNION { ?s dcterms:temporal/dcat:startDate ?d } "
          "BIND(YEAR(?d) AS ?v) FILTER(BOUND(?v))", year=True),
)
BY_NAME = {f.name: f for f in FACETS}
KINDS = f"""SELECT ?kind ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?class . FILTER(isIRI(?s) && STRSTARTS(STR(?s), {ox.Literal(ID)}))
  BIND(STRBEFORE(STRAFTER(STR(?s), {ox.Literal(ID)}), "/") AS ?kind) FILTER(?kind != "") }} GROUP BY ?kind ?class"""
SIZES = f"""SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?class . FILTER(isIRI(?s) && STRSTARTS(STR(?s), {ox.Literal(ID)}))
  BIND(STRBEFORE(STRAFTER(STR(?s), {ox.Literal(ID)}), "/") AS ?kind) FILTER(?kind != "") }} GROUP BY ?kind"""

EXTENT = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"


@dataclass(frozen=True)
class Kind:
    name: str                    # scheme
    cls: ox.NamedNode            # kg:Scheme
    types: tuple[ox.NamedNode, ...]  # the types its resources have (the members' pattern looks them up)
    shared: frozenset            # the types every resource of the kind has (no use as a facet value)
    total: int

    @property
    def path(self) -> str:
        return f"/id/{self.name}/"

    @property
    def prefix(self) -> str:
        return f"{ID}{self.name}/"

    def members(self) -> str:
        """The pattern binding ?s to each resource of the kind once (types written by pyoxigraph, from the store)."""
        types = " ".join(str(t) for t in (self.types if self.cls not in self.shared else (self.cls,)))
        return (f"{{ SELECT DISTINCT ?s WHERE {{ VALUES ?t {{ {types} }} ?s a ?t . "
                f"FILTER(STRSTARTS(STR(?s), {ox.Literal(self.prefix)})) }} }}")


def kinds(store: ox.Store) -> dict[str, Kind]:
    """Every kind of resource under ``…/id/`` with its class, from the data."""
    sizes = {r["kind"].value: int(r["n"].value) for r in select(store, SIZES)}
    extent = {r["class"]: int(r["n"].value) for r in select(store, EXTENT)}
    by_kind: dict[str, list[tuple[ox.NamedNode, int]]] = {}
    for r in select(store, KINDS):
        by_kind.setdefault(r["kind"].value, []).append((r["class"], int(r["n"].value)))
    out = {}
    for name, found in sorted(by_kind.items()):
        total = sizes[name]
        shared = frozenset(c for c, n in found if n == total)
        # shared by all first, then the ontology's own, then the most frequent here, then the narrowest overall
        cls = min(found, key=lambda cn: (cn[1] != total, not cn[0].value.startswith(KG), -cn[1], extent[cn[0]], cn[0].value))[0]
        out[name] = Kind(name, cls, tuple(sorted((c for c, _ in found), key=lambda c: c.value)), shared, total)
    return out


def applicable(store: ox.Store, kind: Kind) -> tuple[Facet, ...]:
    """The facets one of the kind's resources has a value for (``type``: a value not every resource has)."""
    out = []
    for facet in FACETS:
        found = select(store, f"SELECT DISTINCT ?v WHERE {{ {kind.members()} {facet.pattern} }} LIMIT {len(kind.shared) + 1}")
        if any(r["v"] not in kind.shared for r in found):
            out.append(facet)
    return tuple(out)


CURIE = re.compile(r"([a-z][a-z0-9]*):([A-Za-z0-9_.-]+)")
LOCAL = re.compile(r"[a-z0-9][a-z0-9-]*/[^\s]+")


MAX_VALUE = 500      # characters of one filter value


class BadValue(ValueError):
    """A filter value that names no term (answered 400)."""


def parse_value(facet: Facet, raw: str) -> ox.NamedNode | ox.Literal:
    """The typed term of a filter value: a year (``2019``) for ``year``; else an IRI written in full
    (``https://…``), as a CURIE of the project's prefixes (``kg:Claim``) or as a path under ``id/``
    (``theme/insertion``: what the page's links use)."""
    if len(raw) > MAX_VALUE:
        raise BadValue(f"{facet.name}: a value of {len(raw)} characters (at most {MAX_VALUE})")
    if facet.year:
        if not re.fullmatch(r"-?\d{1,4}", raw):
            raise BadValue(f"{facet.name}: {raw!r} is not a year (up to four digits)")
        return ox.Literal(str(int(raw)), datatype=XSD_INTEGER)
    curie = CURIE.fullmatch(raw)
    if raw.startswith(("http://", "https://")):
        iri = raw
    elif curie and curie[1] in PREFIXES:
        iri = PREFIXES[curie[1]] + curie[2]
    elif LOCAL.fullmatch(raw):
        iri = ID + raw
    else:
        raise BadValue(f"{facet.name}: {raw!r} is not an IRI, a CURIE (kg:Claim) or a path under id/ (theme/insertion)")
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise BadValue(f"{facet.name}: {raw!r} is not a valid IRI ({exc})") from exc


def token(term) -> str:
    """How a facet value is written in a URL (the inverse of ``parse_value``)."""
    if isinstance(term, ox.Literal):
        return term.value
    if term.value.startswith(ID):
        return term.value[len(ID):]
    for prefix, ns in PREFIXES.items():
        rest = term.value[len(ns):]
        if term.value.startswith(ns) and CURIE.fullmatch(f"{prefix}:{rest}"):
            return f"{prefix}:{rest}"
    return term.value


def where(kind: Kind, filters: list[tuple[Facet, ox.NamedNode | ox.Literal]]) -> str:
    """The kind's resources that pass every filter (AND), as a sub-SELECT of ?s alone: the variables of the filters
    (``?x``, ``?d``, ``?v`` …) stay inside it, out of reach of the facet or sort pattern joined to it (a FILTER
    applies to its whole group). The values are bound by a VALUES block."""
    terms = {ox.Variable(f"f{i}"): term for i, (_, term) in enumerate(filters)}
    parts = [values_block(terms)] if terms else []
    parts.append(kind.members())
    for i, (facet, _) in enumerate(filters):
        body = facet.pattern.replace("?v", f"?f{i}") if not facet.year else f"{facet.pattern} FILTER(?v = ?f{i})"
        parts.append(f"FILTER EXISTS {{ {body} }}")
    return "{ SELECT DISTINCT ?s WHERE {\n  " + "\n  ".join(parts) + " } }"
