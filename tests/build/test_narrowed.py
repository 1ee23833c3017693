"""The shapes' ``kgsh:part``s (issue 18): a part holds constraints of its named shape — qualified value shapes,
``sh:or`` / ``sh:xone`` / ``sh:not``, ``sh:node`` — behind a SPARQL target that selects, among the shape's own targets,
the nodes that can fail them (Oxigraph runs it; pySHACL then evaluates those constraints on these nodes only). The
report must be the one of the constraints written on the shape itself: :func:`unnarrowed` puts every part's
constraints back on its shape (the form of the shapes before the parts), and both shapes graphs must give the same
results — focus, path, value, severity, shape, messages, file:line — on the real data, every fixture and EDGE_CASES
(values a part's target must not let through: ill-typed dates, a second selector, a subclass…).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Namespace
from support import ROOT, SOURCES, make_mini_root, needs_sources

from kg92.build.report import SH, compact
from kg92.build.sources import discover, read_all
from kg92.build.validate import load_shapes, validate

KGSH = Namespace("https://w3id.org/kg92/shapes#")
FIXTURES = ROOT / "tests" / "fixtures"
ID = "https://w3id.org/kg92/id/"
KG, OA, QUDT = "https://w3id.org/kg92/def#", "http://www.w3.org/ns/oa#", "http://qudt.org/schema/qudt/"

# Each node below breaks (or, marked "conforms", does not break) one constraint that a part holds, in a way that
# the part's target must still select: the boundaries of its SPARQL filter (lexical forms, counts, classes).
EDGE_CASES = """@prefix kg: <https://w3id.org/kg92/def#> .
@prefix id: <https://w3id.org/kg92/id/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix unit: <http://qudt.org/vocab/unit/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# a quote with two text selectors (qualifiedMaxCount), one with none
id:quote\\/002-1-5 a oa:SpecificResource ; oa:hasSource id:document\\/002 ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "abcd" ] , [ a oa:TextQuoteSelector ; oa:exact "abce" ] .
id:quote\\/002-5-9 a oa:SpecificResource ; oa:hasSource id:document\\/002 ;
    oa:hasSelector [ a oa:TextPositionSelector ; oa:start 5 ; oa:end 9 ] .

# statements: two subclasses; an English label only; a label @fr-CA (conforms: languageIn matches its first part)
id:statement\\/002-fixture-deux-classes a kg:Statement , kg:Commitment , kg:Claim ;
    kg:stance id:stance\\/supports ; rdfs:label "Deux classes"@fr ; kg:statedBy id:actor\\/departement-92 .
id:statement\\/002-fixture-libelle-anglais a kg:Statement , kg:Claim ; rdfs:label "English only"@en ;
    kg:statedBy id:actor\\/departement-92 .
id:statement\\/002-fixture-libelle-quebec a kg:Statement , kg:Claim ; rdfs:label "Libellé"@fr-CA ;
    kg:statedBy id:actor\\/departement-92 .

# figures: an ill-typed integer, a double (conforms), a signed decimal (conforms), two values, a count as a decimal
# written with an integer's digits, a derived figure without calculation and a calculation without "derived"
id:figure\\/002-fixture-entier-mal-forme a qudt:QuantityValue ; qudt:value "12a"^^xsd:integer ; qudt:hasUnit unit:NUM ;
    kg:asStated "12" ; kg:measure "x"@fr ; kg:refDate "2019"^^xsd:gYear .
id:figure\\/002-fixture-double a qudt:QuantityValue ; qudt:value 1.5e3 ; qudt:hasUnit unit:CCY_EUR ;
    kg:asStated "1 500 €" ; kg:measure "x"@fr ; kg:refDate "2019"^^xsd:gYear .
id:figure\\/002-fixture-decimal-signe a qudt:QuantityValue ; qudt:value -0.5 ; qudt:hasUnit unit:PERCENT ;
    kg:asStated "-0,5 %" ; kg:measure "x"@fr ; kg:refDate "2019"^^xsd:gYear .
id:figure\\/002-fixture-deux-valeurs a qudt:QuantityValue ; qudt:value 1 , 2 ; qudt:hasUnit unit:NUM ;
    kg:asStated "1" ; kg:measure "x"@fr ; kg:refDate "2019"^^xsd:gYear .
id:figure\\/002-fixture-compte-decimal-entier a qudt:QuantityValue ; qudt:value "30"^^xsd:decimal ; qudt:hasUnit unit:NUM ;
    kg:asStated "30" ; kg:measure "x"@fr ; kg:refDate "2019"^^xsd:gYear .
id:figure\\/002-fixture-calcul-sans-qualificatif a qudt:QuantityValue ; qudt:value 8 ; qudt:hasUnit unit:HR ;
    kg:asStated "8 h" ; kg:calculation "17 - 9"@fr ; kg:refDate "2019"^^xsd:gYear .

# dates: 29 February of a common year, month 13, a date with a time zone, an IRI, two dates; a period without bounds
id:event\\/002-fixture-29-fevrier a kg:Event ; rdfs:label "x"@fr ; kg:refDate "2019-02-29"^^xsd:date .
id:event\\/002-fixture-mois-13 a kg:Event ; rdfs:label "x"@fr ; kg:refDate "2019-13"^^xsd:gYearMonth .
id:event\\/002-fixture-fuseau a kg:Event ; rdfs:label "x"@fr ; kg:refDate "2019-09-30Z"^^xsd:date .
id:event\\/002-fixture-date-iri a kg:Event ; rdfs:label "x"@fr ; dcterms:date id:document\\/002 .
id:event\\/002-fixture-deux-dates a kg:Event ; rdfs:label "x"@fr ; kg:refDate "2019"^^xsd:gYear , "2020"^^xsd:gYear .
id:event\\/002-fixture-periode-vide a kg:Event ; rdfs:label "sans borne"@fr ; dcterms:temporal [ a dcterms:PeriodOfTime ] .
id:event\\/002-fixture-periode-double a kg:Event ; rdfs:label "deux débuts"@fr ;
    dcterms:temporal [ a dcterms:PeriodOfTime ; dcat:startDate "2019"^^xsd:gYear , "2019-01"^^xsd:gYearMonth ] .

# a relative date both unanchored (false) and anchored without a date; a relationship whose target is a document
id:event\\/002-fixture-relative-fausse a kg:Event ; rdfs:label "x"@fr ; kg:relativeDate "l'an prochain"@fr ;
    kg:dateUnanchored false ; kg:dateAnchor id:document\\/002 .
id:relationship\\/002-fixture-cible-document a kg:Relationship ; kg:agent id:actor\\/departement-92 ;
    kg:target id:document\\/002 .
"""

# (focus after id/, shape, path) of the results the parts' constraints give on EDGE_CASES; the double, the signed
# decimal, the date with a time zone and the label @fr-CA conform (their parts select them, pySHACL passes them)
EDGE_EXPECTED = {
    ("quote/002-1-5", "kgsh:QuoteShape", OA + "hasSelector"),
    ("quote/002-5-9", "kgsh:QuoteShape", OA + "hasSelector"),
    ("statement/002-fixture-deux-classes", "kgsh:StatementShape", str(RDF.type)),
    ("statement/002-fixture-libelle-anglais", "kgsh:StatementShape", str(RDFS.label)),
    ("figure/002-fixture-entier-mal-forme", "kgsh:FigureShape", QUDT + "value"),
    ("figure/002-fixture-entier-mal-forme", "kgsh:CountValueShape", None),
    ("figure/002-fixture-deux-valeurs", "kgsh:FigureShape", QUDT + "value"),
    ("figure/002-fixture-compte-decimal-entier", "kgsh:CountValueShape", None),
    ("figure/002-fixture-calcul-sans-qualificatif", "kgsh:FigureQualifierShape", None),
    ("figure/002-fixture-calcul-sans-qualificatif", "kgsh:FigureRecommendedShape", KG + "measure"),
    ("event/002-fixture-29-fevrier", "kgsh:RefDateShape", KG + "refDate"),
    ("event/002-fixture-mois-13", "kgsh:RefDateShape", KG + "refDate"),
    ("event/002-fixture-deux-dates", "kgsh:RefDateShape", KG + "refDate"),
    ("event/002-fixture-date-iri", "kgsh:RefDateShape", "http://purl.org/dc/terms/date"),
    ("event/002-fixture-date-iri", "kgsh:EventDateShape", None),
    ("event/002-fixture-periode-vide", "kgsh:PeriodShape", None),
    ("event/002-fixture-periode-double", "kgsh:PeriodShape", "http://www.w3.org/ns/dcat#startDate"),
    ("event/002-fixture-relative-fausse", "kgsh:RelativeDateShape", None),
    ("event/002-fixture-relative-fausse", "kgsh:EventDateShape", None),
    ("relationship/002-fixture-cible-document", "kgsh:RelationshipShape", KG + "target"),
}


def unnarrowed(shapes: Graph) -> Graph:
    """``shapes`` with every ``kgsh:part``'s constraints written on its shape, the part and its target gone (a part
    repeats its shape's severity; its messages, if any, are its shape's)."""
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns)
    parts = dict((part, shape) for shape, part in shapes.subject_objects(KGSH.part))
    targets = {t for part in parts for t in shapes.objects(part, SH.target)}
    for s, p, o in shapes:
        if s in targets or p == KGSH.part:
            continue
        if s in parts:
            if p in (RDF.type, SH.target):
                continue
            if p in (SH.severity, SH.message):
                assert (parts[s], p, o) in shapes, f"a part repeats its shape's {p}"
                continue
            s = parts[s]
        out.add((s, p, o))
    return out


def part_constraints(shapes: Graph) -> set[tuple[str, str | None]]:
    """(shape, path) of the constraints the parts hold: a property shape's path, None for a node-level one."""
    held = set()
    for shape, part in shapes.subject_objects(KGSH.part):
        name = compact(str(shape))
        for prop in shapes.objects(part, SH.property):
            held.add((name, str(shapes.value(prop, SH.path))))
        if any(shapes.objects(part, p) for p in (SH["or"], SH.xone, SH["not"], SH["and"], SH.node)):
            held.add((name, None))
    return held


def test_every_part_has_one_sparql_target_and_its_shapes_severity():
    shapes = load_shapes(ROOT / "shapes")
    parts = list(shapes.subject_objects(KGSH.part))
    assert len(parts) >= 10
    for shape, part in parts:
        assert isinstance(part, BNode) and (part, RDF.type, SH.NodeShape) in shapes
        [target] = shapes.objects(part, SH.target)
        assert (target, RDF.type, SH.SPARQLTarget) in shapes
        assert set(shapes.objects(part, SH.severity)) == set(shapes.objects(shape, SH.severity))
        assert not set(shapes.predicates(part)) & {SH.targetClass, SH.targetSubjectsOf, SH.targetNode, RDFS.comment}
    plain = unnarrowed(shapes)
    assert not set(plain.objects(None, KGSH.part)) and len(plain) < len(shapes)


def root_with(tmp_path: Path, shapes: Graph | None, extra: dict[str, str]) -> Path:
    """The real data and every fixture in one repository, with ``shapes`` (None: the repository's) as its shapes."""
    root = make_mini_root(tmp_path)
    for path in [*(ROOT / "data" / "ttl").glob("*.ttl"), *(FIXTURES / "invalid").glob("*.ttl"),
                 *(FIXTURES / "valid").glob("*.ttl")]:
        shutil.copy(path, root / "data" / "ttl" / path.name)
    for name, text in extra.items():
        (root / "data" / "ttl" / name).write_text(text, "utf-8")
    if shapes is not None:
        shutil.rmtree(root / "shapes")
        (root / "shapes").mkdir()
        (root / "shapes" / "all.ttl").write_text(shapes.serialize(format="turtle"), "utf-8")
    return root


def rows(report) -> list[tuple]:
    return sorted((r.file or "", r.line or 0, r.severity, r.focus, r.shape, r.path or "", r.value or "", r.message_en,
                   r.message_fr) for r in report.results)


@needs_sources
def test_the_parts_give_the_report_of_their_constraints_on_the_shapes_targets(tmp_path):
    extra = {"edge-cases.ttl": EDGE_CASES}
    narrowed_root = root_with(tmp_path / "narrowed", None, extra)
    plain_root = root_with(tmp_path / "plain", unnarrowed(load_shapes(ROOT / "shapes")), extra)
    narrowed = validate(read_all(discover(narrowed_root)), SOURCES, None, workers=2)
    plain = validate(read_all(discover(plain_root)), SOURCES, None, workers=2)
    assert rows(narrowed) == rows(plain)
    assert narrowed.counts() == plain.counts()
    held = part_constraints(load_shapes(ROOT / "shapes"))
    edge = {(r.focus.removeprefix(ID), r.shape, r.path) for r in narrowed.results
            if r.file == "data/ttl/edge-cases.ttl" and (r.shape, r.path) in held}
    assert edge == EDGE_EXPECTED
