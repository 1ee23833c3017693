"""What the ontology page shows of the data, read at build time from the release's store: the controlled values
(every concept of a concept scheme defined in the vocab graph: stances, themes, kinds …) with their IRI and
definition, the number of resources of each class with the browse pages that list them, and the properties from
other vocabularies that the resources of each class carry (``skos:prefLabel``, ``oa:hasSelector / oa:exact`` …,
through blank nodes one level down), with how many resources carry each.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pyoxigraph as ox

from kg92.namespaces import DEF, ID, graph_iri, sparql_prologue
from kg92.urls import curie

VOCAB = graph_iri("vocab")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CONTROLLED = f"""SELECT ?scheme ?concept ?label ?definition WHERE {{
  GRAPH <{VOCAB}> {{ ?concept skos:inScheme ?scheme }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?any skos:inScheme ?scheme }} FILTER(?other != <{VOCAB}>) }}
  OPTIONAL {{ ?concept skos:prefLabel ?label }} OPTIONAL {{ ?concept skos:definition ?definition }}
}} ORDER BY ?scheme ?concept"""
SCHEME_LABELS = "SELECT ?scheme ?label WHERE { ?scheme a skos:ConceptScheme ; skos:prefLabel ?label }"
PER_KIND = f"""SELECT ?class ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?class . FILTER(STRSTARTS(STR(?s), "{ID}"))
  BIND(STRBEFORE(STRAFTER(STR(?s), "{ID}"), "/") AS ?kind) FILTER(?kind != "")
}} GROUP BY ?class ?kind"""
KIND_SIZES = f"""SELECT ?kind (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?class . FILTER(STRSTARTS(STR(?s), "{ID}"))
  BIND(STRBEFORE(STRAFTER(STR(?s), "{ID}"), "/") AS ?kind) FILTER(?kind != "")
}} GROUP BY ?kind"""
CLASS_SIZES = "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class"
OUTSIDE = f"""SELECT ?class ?p ?q (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?class ; ?p ?o . FILTER(!STRSTARTS(STR(?p), "{DEF}") && ?p != rdf:type)
  OPTIONAL {{ ?o ?q ?deeper . FILTER(isBlank(?o) && ?q != rdf:type) }}
}} GROUP BY ?class ?p ?q"""


def _query(store: ox.Store, text: str):
    return store.query(sparql_prologue() + text, use_default_graph_as_union=True)


def _by_lang(pairs) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for key, lit in pairs:
        if lit is not None and lit.language:
            out[key].setdefault(lit.language, lit.value)
    return out


def controlled_values(store: ox.Store) -> list[dict]:
    """[{iri, label {fr, en}, concepts: [{iri, label {fr, en}, definition {fr, en}}]}], by scheme IRI."""
    found = list(_query(store, CONTROLLED))
    labels, definitions = _by_lang((r["concept"].value, r["label"]) for r in found), _by_lang(
        (r["concept"].value, r["definition"]) for r in found)
    schemes = _by_lang((r["scheme"].value, r["label"]) for r in _query(store, SCHEME_LABELS))
    members: dict[str, list[str]] = {}
    for r in found:
        values = members.setdefault(r["scheme"].value, [])
        if r["concept"].value not in values:
            values.append(r["concept"].value)
    return [{"iri": s, "label": schemes.get(s, {}), "concepts": [
        {"iri": c, "label": labels.get(c, {}), "definition": definitions.get(c, {})} for c in concepts]}
        for s, concepts in sorted(members.items())]


def class_counts(store: ox.Store) -> dict[str, dict]:
    """{class IRI: {"count": n, "browse": [(href, kind, n)]}}: a class that is the whole of a kind links
    ``/id/{kind}/``, one that is a part of it ``/id/{kind}/?type=…`` (the browse page's type facet)."""
    sizes = {r["kind"].value: int(r["n"].value) for r in _query(store, KIND_SIZES)}
    out = {r["class"].value: {"count": int(r["n"].value), "browse": []} for r in _query(store, CLASS_SIZES)
           if isinstance(r["class"], ox.NamedNode)}
    for r in sorted(_query(store, PER_KIND), key=lambda r: (-int(r["n"].value), r["kind"].value)):
        cls, kind, n = r["class"].value, r["kind"].value, int(r["n"].value)
        if cls not in out:
            continue
        whole = n == sizes[kind]
        href = f"/id/{kind}/" + ("" if whole else "?type=" + curie(cls))
        out[cls]["browse"].append((href, kind, n))
    return out


def outside_properties(store: ox.Store) -> dict[str, list[tuple[str, str | None, int]]]:
    """{class IRI: [(property IRI, the blank node's property or None, resources)]}, the most used first: the
    solutions of ``OUTSIDE``, counted here in one pass over the store's quads (each subject's classes, its other
    properties, and for a blank node its own properties) — the SELECT joined every typed resource with every
    property in the store (14.2 s at N=10; the same counts, tests/build/test_ontostats.py)."""
    rdf_type = ox.NamedNode(RDF_TYPE)
    classes: dict = defaultdict(set)
    links: dict = defaultdict(set)      # subject → (property, blank object or None), rdf:type and kg: excluded
    below: dict = defaultdict(set)      # blank node → its properties but rdf:type
    outside: dict = {}                  # property → whether it counts (not rdf:type, not kg:)
    for q in store.quads_for_pattern(None, None, None, None):
        p, o = q.predicate, q.object
        if p == rdf_type:
            classes[q.subject].add(o)
            continue
        if isinstance(q.subject, ox.BlankNode):
            below[q.subject].add(p.value)
        counts_p = outside.get(p)
        if counts_p is None:
            counts_p = outside[p] = not p.value.startswith(DEF)
        if counts_p:
            links[q.subject].add((p.value, o if isinstance(o, ox.BlankNode) else None))
    counts: Counter = Counter()
    for subject, of in classes.items():
        keys = set()
        for p, blank in links.get(subject, ()):
            deeper = below.get(blank) if blank is not None else None
            keys.update((p, d) for d in deeper) if deeper else keys.add((p, None))
        for cls in of:
            if isinstance(cls, ox.NamedNode):
                counts.update((cls.value, p, d) for p, d in keys)
    out: dict[str, list[tuple[str, str | None, int]]] = defaultdict(list)
    for (cls, p, d), n in counts.items():
        out[cls].append((p, d, n))
    return {c: sorted(v, key=lambda x: (-x[2], x[0], x[1] or "")) for c, v in sorted(out.items())}


def compute(store: ox.Store) -> dict:
    return {"controlled": controlled_values(store), "counts": class_counts(store), "outside": outside_properties(store)}
