#!/usr/bin/env python3
"""List the statements and events whose own quote names a scheme they are not linked to (issue 17, items 1 and 8).

    python tools/named_links.py            # over the Turtle files of ontology/ and data/ttl/ (no build needed)
    python tools/named_links.py --store    # over the built store (build/store, opened read-only)

A node "names" a scheme when one of the scheme's French names (`skos:prefLabel`, `skos:altLabel` or `kg:acronym`, three
characters or more) appears in the node's quote as a whole word, case and apostrophes as printed; it is "linked" to
it by `kg:concerns`, `dcterms:isPartOf` or `kg:target`. What is left is either a link to make or a use of the words
in another sense (a generic phrase, a comparison, the same words for another thing): tests/data/test_named_links.py
holds the reviewed list, each with its reason, so that a new node naming a scheme without linking it shows up.
`named_unlinked(store)` returns the pairs: {(node, scheme): name}, IRIs shortened to what follows /id/.
"""

from __future__ import annotations

import argparse
import re
import sys

import connectivity
import pyoxigraph as ox

ID = "https://w3id.org/kg92/id/"

NAMED = connectivity.PREFIXES + """PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?x ?quote ?scheme ?name WHERE {
  { ?x a kg:Statement } UNION { ?x a kg:Event }
  ?x kg:evidence/oa:hasSelector/oa:exact ?quote .
  ?scheme a kg:Scheme ; kg:acronym|skos:altLabel|skos:prefLabel ?name
  FILTER (LANG(?name) IN ("fr", "") && STRLEN(?name) >= 3)
  FILTER (CONTAINS(REPLACE(?quote, "’", "'"), REPLACE(STR(?name), "’", "'")))
  FILTER NOT EXISTS { ?x kg:concerns|dcterms:isPartOf|kg:target ?scheme }
}"""


def _plain(text: str) -> str:
    return text.replace("\u2019", "'")


def named_unlinked(store: ox.Store) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for r in store.query(NAMED, use_default_graph_as_union=True):
        quote, name = _plain(r["quote"].value), _plain(r["name"].value)
        if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", quote):   # a whole word, not "PMI" inside "PMIS"
            key = (r["x"].value.removeprefix(ID), r["scheme"].value.removeprefix(ID))
            found[key] = min(found.get(key, name), name)   # one name per pair, the same on every run
    return dict(sorted(found.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", action="store_true", help="read build/store instead of the Turtle files")
    args = parser.parse_args(argv)
    found = named_unlinked(connectivity.built_store() if args.store else connectivity.turtle_store())
    print(f"statements and events whose quote names a scheme they are not linked to: {len(found)}")
    for (node, scheme), name in found.items():
        print(f"  {node} — {scheme} ({name!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
