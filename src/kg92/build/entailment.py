"""Entailments the build materialises, so that clients without a reasoner read the data correctly.

SKOS declares ``skos:prefLabel rdfs:subPropertyOf rdfs:label``: every ``(s skos:prefLabel o)`` entails
``(s rdfs:label o)``. Generic linked-data clients (and many SPARQL users) read ``rdfs:label`` only, so the build
adds that triple in the same named graph as the prefLabel it comes from. The Turtle files are not changed (the
shapes validate what was authored) and a triple that is already there is not repeated.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg92.namespaces import PREFIXES

PREF_LABEL = ox.NamedNode(PREFIXES["skos"] + "prefLabel")
RDFS_LABEL = ox.NamedNode(PREFIXES["rdfs"] + "label")


def with_labels(quads: list[ox.Quad]) -> list[ox.Quad]:
    """``quads`` followed by the ``rdfs:label`` that each ``skos:prefLabel`` entails, in its graph."""
    present = set(quads)
    added = [ox.Quad(q.subject, RDFS_LABEL, q.object, q.graph_name) for q in quads if q.predicate == PREF_LABEL]
    return quads + [q for q in dict.fromkeys(added) if q not in present]
