#!/usr/bin/env python3
"""Print the connectivity figures of the graph (issue 17): can a user reach each fact from what it is about?

    python tools/connectivity.py            # over the Turtle files of ontology/ and data/ttl/ (no build needed)
    python tools/connectivity.py --store    # over the built store (build/store, opened read-only)
    python tools/connectivity.py --list     # also list every figure reachable from nothing, with its statement, and
                                            # every figure that the distinguished rule does not tell apart
    python tools/connectivity.py --bare     # also list every statement and event with no kg:concerns / kg:involves
    python tools/connectivity.py --no-scheme  # also list every figure whose statement or event concerns no scheme

Figures printed:
- figures reachable from a scheme, actor or population (or place): the statement or event that carries the figure
  (`kg:figure`) has `kg:concerns` or `kg:involves` (or, for an event, `kg:participant`), or the figure itself has
  `kg:counts`, or either has `dcterms:spatial` (a figure about a territory is reached from it); the others are listed
  with `--list`;
- of those, the figures reachable from a scheme (`kg:concerns` only), from a scheme or an actor (the same without `kg:counts`), and the links marked as
  resolved from context (`kg:resolvedFromContext`);
- figures of a multi-figure statement with a distinguishing population or indicator (issue 17's "Done when"), by
  the DISTINGUISHED rule: the figure has a `kg:counts` or a `kg:indicator`, and no other figure of the same statement
  has the same population, indicator, date or period (`kg:refDate`, `kg:yearPart`, `dcterms:temporal`'s ends),
  territory (`dcterms:spatial` to a `kg:Place` node) and range end (`kg:qualifier` at-least / at-most). One indicator
  per quantity across documents means that a series (the CPOM of 2018 and 2019; -17 % France / -48 %
  Hauts-de-Seine) or the two ends of a printed range ("de 6 à 12 mois") share population and indicator: their date,
  place or range end, all data, tells them apart. Not counted: the unit (two units make two indicators), an
  "approximate" or "derived" qualifier, a territory that is not a place node, and of course `kg:measure`'s prose;
  the strict reading (population or indicator alone) is printed next to it; and the wider reading that
  tests/data/test_comparability.py holds, the figures told apart by data (no other figure of the statement has the
  same unit, population, indicator, date or period, territories and qualifiers); and, for the figures whose
  population and indicator a neighbour shares, the axis that tells them apart (territory, date or period, range end
  or qualifier, unit);
- statements with no `kg:concerns` and no `kg:involves` (reachable from no scheme, actor or population, figures or
  not), and events with neither nor `kg:participant`; of those statements, the ones that are items of a plan
  (`dcterms:isPartOf`, 004's orientations) or of a list (`kg:listItemOf`); `--bare` lists them;
- statements, events, positions and relationships with an English label (`rdfs:label` or `skos:prefLabel` `@en`);
- resources with a `skos:prefLabel` and no `rdfs:label`;
- dated milestones: events and figures with a date (`kg:refDate`) or a period (`dcterms:temporal`).

`measure(store)` returns the same figures as a dict (tests/data/test_connectivity.py holds them at their targets).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from kg92.build.entailment import with_labels  # noqa: E402
from kg92.build.sources import discover, parse  # noqa: E402

PREFIXES = """PREFIX kg: <https://w3id.org/kg92/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX qudt: <http://qudt.org/schema/qudt/>
"""

# A figure and whether anything reaches it; one row per figure.
FIGURES = PREFIXES + """
SELECT ?figure ?holder
       (EXISTS { ?holder kg:concerns|kg:involves|kg:participant ?about } AS ?fromSchemeOrActor)
       (EXISTS { ?holder dcterms:spatial ?p } || EXISTS { ?figure dcterms:spatial ?p } AS ?fromPlace)
       (EXISTS { ?holder kg:concerns ?scheme } AS ?fromScheme)
       (EXISTS { ?figure kg:counts ?population } AS ?fromPopulation)
       (EXISTS { ?holder kg:resolvedFromContext ?r } AS ?byContext)
WHERE { ?holder kg:figure ?figure } ORDER BY ?figure ?holder
"""

# Statements and events that no scheme, actor or population reaches (with or without figures).
BARE = PREFIXES + """
SELECT ?x ?kind (EXISTS { ?x dcterms:isPartOf|kg:listItemOf ?whole } AS ?partOf) WHERE {
  { ?x a kg:Statement BIND("statements" AS ?kind) FILTER NOT EXISTS { ?x kg:concerns|kg:involves ?about } }
  UNION
  { ?x a kg:Event BIND("events" AS ?kind) FILTER NOT EXISTS { ?x kg:concerns|kg:involves|kg:participant ?about } }
} ORDER BY ?kind ?x
"""

# The same figures with everything that can tell them apart as data (issue 17, item 2: unit, population, indicator,
# date or period, territory, qualifiers), one row per figure: a figure is told apart when no other figure of its
# statement has the same key (tests/data/test_comparability.py holds the same rule).
KEYED = PREFIXES + """PREFIX dcat: <http://www.w3.org/ns/dcat#>
SELECT ?holder ?figure ?unit ?pop ?ind ?date ?part ?start ?end
       (GROUP_CONCAT(DISTINCT STR(?where); separator=" ") AS ?places)
       (GROUP_CONCAT(DISTINCT COALESCE(STR(?place), ""); separator=" ") AS ?placeNodes)
       (GROUP_CONCAT(DISTINCT STR(?qual); separator=" ") AS ?quals)
       (GROUP_CONCAT(DISTINCT COALESCE(STR(?bound), ""); separator=" ") AS ?rangeEnds) WHERE {
  { SELECT ?holder WHERE { ?holder kg:figure ?f } GROUP BY ?holder HAVING (COUNT(DISTINCT ?f) > 1) }
  ?holder kg:figure ?figure .
  OPTIONAL { ?figure qudt:hasUnit ?unit } OPTIONAL { ?figure kg:counts ?pop } OPTIONAL { ?figure kg:indicator ?ind }
  OPTIONAL { ?figure dcterms:spatial ?where BIND(IF(EXISTS { ?where a kg:Place }, ?where, ?none) AS ?place) }
  OPTIONAL { ?figure kg:qualifier ?qual
             BIND(IF(?qual IN (<https://w3id.org/kg92/id/qualifier/at-least>, <https://w3id.org/kg92/id/qualifier/at-most>),
                     ?qual, ?none) AS ?bound) }
  OPTIONAL { ?figure kg:refDate ?date } OPTIONAL { ?figure kg:yearPart ?part }
  OPTIONAL { ?figure dcterms:temporal ?t OPTIONAL { ?t dcat:startDate ?start } OPTIONAL { ?t dcat:endDate ?end } }
} GROUP BY ?holder ?figure ?unit ?pop ?ind ?date ?part ?start ?end
"""

# The keys of the readings of item 2 (a figure is told apart when no other figure of its statement has its key):
# DISTINGUISHED, the rule of the "Done when" (population or indicator, then date, place node or range end, all data);
# ALONE, the strict reading (population or indicator only); TOLD_APART, the wide one (with unit and every qualifier).
ALONE = ("pop", "ind")
DISTINGUISHED = ("pop", "ind", "date", "part", "start", "end", "placeNodes", "rangeEnds")
TOLD_APART = ("unit", "pop", "ind", "date", "start", "end", "places", "quals")


def _apart(rows: list[dict], fields: tuple[str, ...], needs_what: bool) -> set[tuple[str, str]]:
    """The (statement, figure) pairs of multi-figure statements (a figure two statements carry counts twice) that no other figure of the same statement matches on every one of
    ``fields``; with ``needs_what``, only those that have a population or an indicator (what they are a value of)."""
    def key_of(r: dict) -> tuple:
        return (r["holder"], *(" ".join(sorted((r[k] or "").split())) for k in fields))
    keys: dict[tuple, int] = {}
    for r in rows:
        keys[key_of(r)] = keys.get(key_of(r), 0) + 1
    return {(r["holder"], r["figure"]) for r in rows if keys[key_of(r)] == 1 and (r["pop"] or r["ind"] or not needs_what)}


# What tells a figure apart from the neighbours that share its population and indicator (one indicator per quantity
# across documents: a series over dates or territories, or the two ends of a printed range), first match in this order.
AXES = (("territory", ("places",)), ("date or period", ("date", "start", "end")), ("range end or qualifier", ("quals",)),
        ("unit", ("unit",)))


def _differs(a: dict, b: dict, keys: tuple[str, ...]) -> bool:
    return any(sorted((a[k] or "").split()) != sorted((b[k] or "").split()) for k in keys)


def _series_axes(rows: list[dict], distinct: set[tuple[str, str]]) -> dict[str, int]:
    """For each figure of a multi-figure statement whose population and indicator a neighbour shares, the first axis
    (AXES) on which it differs from every such neighbour; "none" when no axis does."""
    counts = {name: 0 for name, _ in AXES} | {"none": 0}
    for r in rows:
        if (r["holder"], r["figure"]) in distinct:
            continue
        mates = [o for o in rows if o["holder"] == r["holder"] and o["figure"] != r["figure"]
                 and (o["pop"], o["ind"]) == (r["pop"], r["ind"])]
        axis = next((name for name, keys in AXES if all(_differs(o, r, keys) for o in mates)), "none")
        counts[axis] += 1
    return counts


ENGLISH = PREFIXES + """
SELECT ?class (COUNT(DISTINCT ?x) AS ?total) (COUNT(DISTINCT ?en) AS ?english) WHERE {
  VALUES ?class { kg:Statement kg:Event kg:Position kg:Relationship }
  ?x a ?class .
  OPTIONAL { ?x rdfs:label|skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "en")) BIND(?x AS ?en) }
} GROUP BY ?class ORDER BY ?class
"""

PREFLABEL_ONLY = PREFIXES + """
SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x skos:prefLabel ?l FILTER NOT EXISTS { ?x rdfs:label ?r } }
"""

DATED = PREFIXES + """
SELECT ?kind (COUNT(DISTINCT ?x) AS ?total) (COUNT(DISTINCT ?dated) AS ?withDate) WHERE {
  { ?x a kg:Event BIND("events" AS ?kind) } UNION { ?x a qudt:QuantityValue BIND("figures" AS ?kind) }
  OPTIONAL { ?x kg:refDate|dcterms:temporal ?d BIND(?x AS ?dated) }
} GROUP BY ?kind ORDER BY ?kind
"""


def turtle_store(root: Path = ROOT) -> ox.Store:
    """An in-memory store of ontology/ and data/ttl/, every triple in the default graph, with the rdfs:label that
    the build materialises (kg92.build.entailment), so that both stores give the same figures."""
    store = ox.Store()
    for inp in discover(root):
        if inp.kind in ("ontology", "data"):
            quads = [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in parse(inp)]
            store.extend(with_labels(quads))
    return store


def built_store(root: Path = ROOT) -> ox.Store:
    return ox.Store.read_only(str(root / "build" / "store"))


def _rows(store: ox.Store, query: str) -> list[dict]:
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in solutions]


def _true(value: str | None) -> bool:
    return value == "true"


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 100.0


def measure(store: ox.Store) -> dict:
    figures = _rows(store, FIGURES)
    by_figure: dict[str, dict] = {}
    for r in figures:  # a figure carried by two holders is reached if either reaches it
        seen = by_figure.setdefault(r["figure"], {"holders": [], "actor": False, "scheme": False, "population": False,
                                                     "context": False})
        seen["holders"].append(r["holder"])
        seen["actor"] |= _true(r["fromSchemeOrActor"])
        seen["scheme"] |= _true(r["fromScheme"])
        seen["population"] |= _true(r["fromPopulation"]) or _true(r["fromPlace"])
        seen["context"] |= _true(r["byContext"])
    unreached = sorted(f for f, s in by_figure.items() if not (s["actor"] or s["population"]))
    keyed = _rows(store, KEYED)
    alone = _apart(keyed, ALONE, needs_what=True)
    bare = _rows(store, BARE)
    english = {r["class"].rsplit("#", 1)[1]: (int(r["english"]), int(r["total"])) for r in _rows(store, ENGLISH)}
    dated = {r["kind"]: (int(r["withDate"]), int(r["total"])) for r in _rows(store, DATED)}
    return {
        "figures": len(by_figure),
        "reachable": len(by_figure) - len(unreached),
        "reachable_pct": _pct(len(by_figure) - len(unreached), len(by_figure)),
        "reachable_from_scheme_or_actor": sum(s["actor"] for s in by_figure.values()),
        "reachable_from_scheme": sum(s["scheme"] for s in by_figure.values()),
        "without_scheme": sorted(f for f, s in by_figure.items() if not s["scheme"]),
        "reached_by_context": sum(s["context"] for s in by_figure.values()),
        "unreached": {f: by_figure[f]["holders"] for f in unreached},
        "multi_figures": len(keyed),
        "multi_distinct": len(_apart(keyed, DISTINGUISHED, needs_what=True)),
        "multi_distinct_pct": _pct(len(_apart(keyed, DISTINGUISHED, needs_what=True)), len(keyed)),
        "multi_not_distinct": sorted({(r["holder"], r["figure"]) for r in keyed} - _apart(keyed, DISTINGUISHED, needs_what=True)),
        "multi_alone": len(alone),
        "multi_keyed": len(keyed),
        "multi_told_apart": len(_apart(keyed, TOLD_APART, needs_what=False)),
        "multi_series_axes": _series_axes(keyed, alone),
        "bare_statements": [r["x"] for r in bare if r["kind"] == "statements"],
        "bare_statements_part_of": sum(_true(r["partOf"]) for r in bare if r["kind"] == "statements"),
        "bare_events": [r["x"] for r in bare if r["kind"] == "events"],
        "english": english,
        "english_pct": _pct(sum(e for e, _ in english.values()), sum(t for _, t in english.values())),
        "preflabel_without_rdfs_label": int(_rows(store, PREFLABEL_ONLY)[0]["n"]),
        "dated": dated,
    }


def report(m: dict, listing: bool = False, bare: bool = False) -> str:
    lines = [
        f"figures reachable from a scheme, actor or population (or place): {m['reachable']}/{m['figures']} ({m['reachable_pct']} %)",
        f"  from a scheme or an actor: {m['reachable_from_scheme_or_actor']}/{m['figures']}"
        f" ({_pct(m['reachable_from_scheme_or_actor'], m['figures'])} %),"
        f" of which through a link resolved from context: {m['reached_by_context']}",
        f"  from a scheme (kg:concerns): {m['reachable_from_scheme']}/{m['figures']}"
        f" ({_pct(m['reachable_from_scheme'], m['figures'])} %)",
        f"  reachable from nothing: {len(m['unreached'])}",
        f"figures of a multi-figure statement with a distinguishing population or indicator (with its date or period,"
        f" place or range end): {m['multi_distinct']}/{m['multi_figures']} ({m['multi_distinct_pct']} %)",
        f"  by population or indicator alone: {m['multi_alone']}/{m['multi_figures']}"
        f" ({_pct(m['multi_alone'], m['multi_figures'])} %)",
        f"  told apart by data (unit, population, indicator, date or period, territory, qualifier):"
        f" {m['multi_told_apart']}/{m['multi_keyed']} ({_pct(m['multi_told_apart'], m['multi_keyed'])} %)",
        "  sharing a population and indicator with a neighbour, told apart by: "
        + ", ".join(f"{axis} {n}" for axis, n in m["multi_series_axes"].items()),
        f"statements with no kg:concerns or kg:involves: {len(m['bare_statements'])}"
        f" (of which items of a plan or a list: {m['bare_statements_part_of']});"
        f" events with no kg:concerns, kg:involves or kg:participant: {len(m['bare_events'])}",
        f"statements, events, positions and relationships with an English label: {m['english_pct']} %",
        *(f"  {cls}: {e}/{t}" for cls, (e, t) in m["english"].items()),
        f"resources with skos:prefLabel and no rdfs:label: {m['preflabel_without_rdfs_label']}",
        "dated milestones (a kg:refDate or a dcterms:temporal):",
        *(f"  {kind}: {d}/{t}" for kind, (d, t) in m["dated"].items()),
    ]
    if listing:
        lines.append("figures reachable from nothing (figure ← holder):")
        lines += [f"  {f} ← {', '.join(h)}" for f, h in m["unreached"].items()]
        lines.append("figures of a multi-figure statement not distinguished by the rule (figure ← statement):")
        lines += [f"  {f} ← {h}" for h, f in m["multi_not_distinct"]]
    if bare:
        lines.append("statements and events reachable from no scheme, actor or population:")
        lines += [f"  {x}" for x in m["bare_statements"] + m["bare_events"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", action="store_true", help="read build/store instead of the Turtle files")
    parser.add_argument("--list", action="store_true", help="list the figures reachable from nothing")
    parser.add_argument("--bare", action="store_true",
                        help="list the statements and events with no kg:concerns / kg:involves (kg:participant)")
    parser.add_argument("--no-scheme", action="store_true", help="list the figures whose statement concerns no scheme")
    args = parser.parse_args(argv)
    m = measure(built_store() if args.store else turtle_store())
    print(report(m, args.list, args.bare))
    if args.no_scheme:
        print("figures whose statement or event concerns no scheme:", *m["without_scheme"], sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
