"""Compacted JSON-LD with one published ``@context`` (``/context.jsonld``), and the prefixes a Turtle answer uses.

The context is generated at build time (``build/context.jsonld``) from the project's prefixes
(kg92.namespaces.PREFIXES, plus ``id:`` for ``https://w3id.org/kg92/id/``) and the ontology: every ``kg:`` class
and property gets a term of its local name (``Scheme``, ``stance``, ``statedBy`` …), object properties with
``"@type": "@id"`` so that their values are plain strings. It changes only when the ontology or the prefixes do.

:func:`compact` writes triples as ``{"@context": "/context.jsonld", "@graph": [nodes]}``: one node per subject
(``@id`` and ``@type`` compacted), keys are the context's terms, else compact IRIs (``skos:prefLabel``), else full
IRIs; an IRI value is a string under a term typed ``@id`` and ``{"@id": …}`` elsewhere; a literal is a string when
it is an ``xsd:string`` under an untyped key, else a value object (``@value`` with ``@language`` or ``@type``).
Expanding it with the context gives back exactly the same triples (tests/web/test_linkeddata.py checks it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg92.namespaces import DEF, ID, PREFIXES, graph_iri, used_prefixes

FILE = "context.jsonld"
URL = "/context.jsonld"
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = PREFIXES["rdf"] + "type"
XSD_STRING = PREFIXES["xsd"] + "string"
LANG_STRING = PREFIXES["rdf"] + "langString"
TERM_KINDS = {OWL + "Class": None, OWL + "ObjectProperty": "@id", OWL + "DatatypeProperty": None}


def context(ontology: Iterable[ox.Triple | ox.Quad]) -> dict:
    """The context document: the prefixes, then one term per ``kg:`` class and property (sorted)."""
    prefixes = {"id": ID, **PREFIXES}
    found: dict[str, str | None] = {}
    for t in ontology:
        kind = t.object.value if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode) else None
        if kind in TERM_KINDS and t.subject.value.startswith(DEF):
            name = t.subject.value[len(DEF):]
            if name and name not in prefixes and (found.get(name) is None):
                found[name] = TERM_KINDS[kind]
    terms = {n: f"kg:{n}" if coerce is None else {"@id": f"kg:{n}", "@type": coerce} for n, coerce in sorted(found.items())}
    return {"@context": {**prefixes, **terms}}


def ontology_triples(store: ox.Store) -> list[ox.Quad]:
    return list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri("ontology"))))


def load(release: Path, store: ox.Store) -> dict:
    """The release's context (``build/context.jsonld``); a release built before it existed gets it computed from
    the store's ontology graph, once, at start-up."""
    path = release / FILE
    return json.loads(path.read_text("utf-8")) if path.is_file() else context(ontology_triples(store))


def write_context(out: Path, quads: Iterable[ox.Quad]) -> dict:
    """``build/context.jsonld`` from the release's ontology graph: the manifest's ``jsonld_context`` (terms, SHA-256)."""
    ontology = ox.NamedNode(graph_iri("ontology"))
    body = json.dumps(context(q for q in quads if q.graph_name == ontology), ensure_ascii=False, indent=1) + "\n"
    (out / FILE).write_text(body, encoding="utf-8")
    return {"terms": len(json.loads(body)["@context"]), "sha256": hashlib.sha256(body.encode()).hexdigest()}


class Compactor:
    """The key, value and node writers for one context (see the module's docstring)."""

    def __init__(self, ctx: dict):
        defs = ctx["@context"]
        self.namespaces = sorted(((v, k) for k, v in defs.items() if isinstance(v, str) and v.endswith(("/", "#"))),
                                 key=lambda x: -len(x[0]))
        self.terms: dict[str, tuple[str, bool]] = {}      # IRI → (term, typed @id)
        self.memo: dict[str, str] = {}                    # IRI → its compact form
        for name, d in defs.items():
            iri = d if isinstance(d, str) else d["@id"]
            if ":" in iri and not iri.endswith(("/", "#")):
                prefix, local = iri.split(":", 1)
                self.terms[defs[prefix] + local] = (name, isinstance(d, dict) and d.get("@type") == "@id")

    def iri(self, iri: str) -> str:
        """A compact IRI (``id:scheme/rsa``, ``skos:prefLabel``) when a namespace of the context starts it."""
        if iri not in self.memo:
            self.memo[iri] = next((f"{prefix}:{iri[len(ns):]}" for ns, prefix in self.namespaces if iri.startswith(ns)
                                   and len(iri) > len(ns) and not iri[len(ns):].startswith("//")), iri)
        return self.memo[iri]

    def vocab(self, iri: str) -> str:
        """A key or a type: the context's term, else a compact IRI."""
        return self.terms[iri][0] if iri in self.terms else self.iri(iri)

    def node_id(self, term) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self.iri(term.value)

    def value(self, term, typed_id: bool):
        if isinstance(term, ox.Literal):
            dt = term.datatype.value
            if term.language:
                lit = {"@value": term.value, "@language": term.language}
                return lit | ({"@direction": str(term.direction)} if term.direction is not None else {})
            if dt == XSD_STRING:
                return {"@value": term.value} if typed_id else term.value
            return {"@value": term.value, "@type": self.vocab(dt)}
        if isinstance(term, ox.NamedNode | ox.BlankNode):
            return self.node_id(term) if typed_id else {"@id": self.node_id(term)}
        raise ValueError(f"no JSON-LD 1.1 form for the term {term}")

    def nodes(self, triples: Iterable[ox.Triple]) -> list[dict]:
        by_subject: dict[str, dict[str, list]] = {}
        for t in sorted(triples, key=str):
            node = by_subject.setdefault(self.node_id(t.subject), {})
            if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
                node.setdefault("@type", []).append(self.vocab(t.object.value))
                continue
            key, typed_id = self.terms.get(t.predicate.value, (self.iri(t.predicate.value), False))
            node.setdefault(key, []).append(self.value(t.object, typed_id))
        return [{"@id": s, **{k: v[0] if len(v) == 1 else v for k, v in sorted(props.items(), key=_key_order)}}
                for s, props in sorted(by_subject.items())]


def _key_order(item: tuple[str, list]) -> tuple[int, str]:
    return (0 if item[0] == "@type" else 1, item[0])


def compact(triples: Iterable[ox.Triple], ctx: dict, url: str = URL) -> bytes:
    """The triples as compacted JSON-LD referring to the published context at ``url``."""
    doc = {"@context": url, "@graph": Compactor(ctx).nodes(triples)}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")   # the C encoder: no indent


def expand_with(body: bytes, ctx: dict) -> bytes:
    """The document with its context reference replaced by the context itself (for a parser that loads no remote
    context, such as pyoxigraph's)."""
    doc = json.loads(body)
    doc["@context"] = ctx["@context"]
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def write(triples: list[ox.Triple], writer: ox.RdfFormat, ctx: dict) -> bytes:
    """A linked-data answer: compacted JSON-LD (with ``ctx``), else pyoxigraph's writer declaring only the prefixes
    it uses."""
    if writer == ox.RdfFormat.JSON_LD:
        return compact(triples, ctx)
    prefixes = used_prefixes(triples) if writer in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, format=writer, prefixes=prefixes)
