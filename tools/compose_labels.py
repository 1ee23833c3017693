#!/usr/bin/env python3
"""Authoring helper: write data/ttl/labels-composed.ttl, the FR and EN labels of the nodes that have none.

    python tools/compose_labels.py            # rewrites data/ttl/labels-composed.ttl
    python tools/compose_labels.py --check    # exit 1 if the file is not what the data gives

A position (kg:Position) is labelled "group — stance — ask" ("Majorité départementale — conditionnel — soutenir et
doter de moyens le dispositif Premières Heures"); a relationship (kg:Relationship) with no rdfs:label "agent —
relation — target". Each part is the skos:prefLabel of the node in that language (the group by its short name
below). The labels are composed from the data, not quoted from a source: rerun this after changing a position
or a relationship, and commit the result (the labels are data, read by the pages, queries and dumps).
"""

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "ttl"
TARGET = DATA / "labels-composed.ttl"
KG, SKOS = "https://w3id.org/kg92/def#", "http://www.w3.org/2004/02/skos/core#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LANGS = ("fr", "en")
# The groups' prefLabels are long ("candidats de la majorité départementale"): a position's title names the group
# as the comparison views do. 001's group stays unnamed.
GROUP_SHORT = {
    "https://w3id.org/kg92/id/group/majorite-departementale": {"fr": "Majorité départementale", "en": "Departmental majority"},
    "https://w3id.org/kg92/id/group/groupe-001": {"fr": "Groupe non nommé (001)", "en": "Unnamed group (001)"},
    "https://w3id.org/kg92/id/group/colombes-2": {"fr": "Colombes 2", "en": "Colombes 2"},
}
HEADER = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

# Labels composed by the kg92 team (tools/compose_labels.py), not source text: positions are labelled
# "group — stance — ask" and relationships that had no label "agent — relation — target", from the
# skos:prefLabel of each part in French and in English. Generated: do not edit by hand, rerun the tool.
"""


def load() -> tuple[ox.Store, dict[str, tuple[int, int]]]:
    """The data files (without the composed labels) and, for each subject IRI, its (file, line) order."""
    store, order = ox.Store(), {}
    files = sorted(p for p in DATA.glob("*.ttl") if p != TARGET)
    for n, path in enumerate(files):
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.startswith("<https://w3id.org/kg92/id/"):
                order.setdefault(line[1:line.index(">")], (n, line_no))
    return store, order


def pref(store: ox.Store, node: ox.NamedNode, lang: str) -> str:
    """The node's label in ``lang`` (else French, else the untagged one): skos:prefLabel, then rdfs:label (an event),
    then schema:name (a person)."""
    for prop in (SKOS + "prefLabel", RDFS_LABEL, "https://schema.org/name"):
        labels = {q.object.language: q.object.value for q in store.quads_for_pattern(node, ox.NamedNode(prop), None)}
        if labels:
            return labels.get(lang) or labels.get("fr") or next(iter(labels.values()))
    raise ValueError(f"{node.value} has no label")


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def one(store: ox.Store, node: ox.NamedNode, *props: str) -> ox.NamedNode:
    """The object of the first of ``props`` that ``node`` has."""
    found = (q.object for prop in props for q in store.quads_for_pattern(node, ox.NamedNode(KG + prop), None))
    return next(found)


def compose(store: ox.Store) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                     ox.NamedNode(KG + "Position")):
        node = q.subject
        group, stance = (one(store, node, p) for p in ("heldBy", "stance"))
        ask = one(store, node, "onAsk", "concerns")   # a position beyond the asks: on what it concerns
        labels[node.value] = {lang: " — ".join((GROUP_SHORT[group.value][lang], pref(store, stance, lang),
                                                lower_first(pref(store, ask, lang)))) for lang in LANGS}
    for q in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                     ox.NamedNode(KG + "Relationship")):
        node = q.subject
        if next(store.quads_for_pattern(node, ox.NamedNode(RDFS_LABEL), None), None) is not None:
            continue   # a relationship labelled in its document: its English label is a translation (labels-en.ttl)
        agent, relation, target = (one(store, node, p) for p in ("agent", "relation", "target"))
        labels[node.value] = {lang: " — ".join(pref(store, n, lang) for n in (agent, relation, target)) for lang in LANGS}
    return labels


def literal(text: str, lang: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'


def render(labels: dict[str, dict[str, str]], order: dict[str, tuple[int, int]]) -> str:
    out, doc = [HEADER], None
    for iri in sorted(labels, key=lambda i: order[i]):
        this = iri.rsplit("/", 1)[-1][:3]
        if this != doc:
            doc = this
            out.append(f"\n# --- document {doc} ---\n")
        out.append(f"<{iri}> rdfs:label {literal(labels[iri]['fr'], 'fr')} ,\n        {literal(labels[iri]['en'], 'en')} .\n")
    return "".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="compare with the committed file instead of writing it")
    args = ap.parse_args()
    store, order = load()
    text = render(compose(store), order)
    if args.check:
        same = TARGET.is_file() and TARGET.read_text(encoding="utf-8") == text
        print(f"{TARGET.relative_to(ROOT)} is {'up to date' if same else 'out of date: rerun tools/compose_labels.py'}")
        return 0 if same else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: {text.count(' rdfs:label ')} nodes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
