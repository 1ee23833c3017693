"""Every namespace and prefix of the project, declared once."""

import re

BASE = "https://w3id.org/kg92/"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
DEF = BASE + "def#"

PREFIXES: dict[str, str] = {
    "kg": DEF,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "qudt": "http://qudt.org/schema/qudt/",
    "unit": "http://qudt.org/vocab/unit/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "sh": "http://www.w3.org/ns/shacl#",
}


_BY_NAMESPACE = {ns: prefix for prefix, ns in PREFIXES.items()}
_XSD = PREFIXES["xsd"]
_RDF_TYPE = PREFIXES["rdf"] + "type"   # written ``a``
# literals Turtle writes without their datatype (``3``, ``1.5``, ``1e3``, ``true``): the grammar's shorthands
_SHORTHAND = {_XSD + "integer": re.compile(r"[+-]?[0-9]+"), _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
              _XSD + "double": re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
              _XSD + "boolean": re.compile(r"true|false"), _XSD + "string": re.compile(r".*", re.S),
              PREFIXES["rdf"] + "langString": re.compile(r".*", re.S)}


def _written_iri(term) -> str:
    """The IRI a Turtle writer spells for ``term``: its own, a literal's datatype unless written in shorthand."""
    datatype = getattr(term, "datatype", None)
    if datatype is None:
        return getattr(term, "value", "")
    short = _SHORTHAND.get(datatype.value)
    return "" if short is not None and short.fullmatch(term.value) else datatype.value


def used_prefixes(triples) -> dict[str, str]:
    """The project prefixes a Turtle (or TriG, RDF/XML) serialisation of ``triples`` uses: those whose namespace,
    followed by a local name without ``/`` or ``#``, spells one of its IRIs (subjects, predicates, objects, the
    datatypes not written in shorthand; not ``rdf:type``, written ``a``). Answers declare these only."""
    seen: set[str] = set()
    for t in triples:
        for term in (t.subject, t.object) if t.predicate.value == _RDF_TYPE else (t.subject, t.predicate, t.object):
            iri = _written_iri(term)
            cut = max(iri.rfind("/"), iri.rfind("#")) + 1
            if 0 < cut < len(iri) and iri[:cut] in _BY_NAMESPACE:
                seen.add(_BY_NAMESPACE[iri[:cut]])
    return {p: ns for p, ns in PREFIXES.items() if p in seen}


def sparql_prologue() -> str:
    """PREFIX declarations for every project prefix, one per line."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def graph_iri(stem: str) -> str:
    """The named graph of an input file: ``data/ttl/doc-000.ttl`` → ``…/graph/doc-000``."""
    return GRAPH + stem
