#!/usr/bin/env python3
"""Quick authoring check of data/ttl (run with any Python that has rdflib).

Parses ontology/ + data/ttl/, then checks: every quote equals the source text at its offsets; every figure's
kg:asStated is inside its evidence quote; every statement/figure/event/position/answer/relationship/membership
has exactly one kg:evidence; every IRI under https://w3id.org/kg92/id/ that is used as an object is described
(has an rdf:type) somewhere; every kg: term used is declared in the ontology. Prints problems, exit 1 if any.
The build's SHACL shapes are the authority; this is the fast loop for authors.
"""
import sys
from pathlib import Path

import rdflib
from rdflib import RDF, Namespace, URIRef

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from kg92 import settings  # noqa: E402
from kg92.quotes import read_text, source_file  # noqa: E402

KG = Namespace("https://w3id.org/kg92/def#")
OA = Namespace("http://www.w3.org/ns/oa#")
QUDT = Namespace("http://qudt.org/schema/qudt/")
ORG = Namespace("http://www.w3.org/ns/org#")
ID = "https://w3id.org/kg92/id/"
SHARED = ("vocab", "documents", "questionnaire", "actors", "schemes")


def main() -> int:
    ttl = (ROOT / "data" / "ttl").resolve()
    if len(sys.argv) < 2:
        files = sorted(ttl.glob("*.ttl"))
    else:  # the shared files plus the ones named (so that another author's half-written file is not read)
        files = list(dict.fromkeys([ttl / f"{n}.ttl" for n in SHARED] + [Path(a).resolve() for a in sys.argv[1:]]))
    g = rdflib.Graph()
    onto = rdflib.Graph().parse(ROOT / "ontology" / "kg92.ttl")
    g += onto
    problems = []
    typed_in: dict = {}
    for f in files:
        one = rdflib.Graph().parse(f)
        for s in set(one.subjects(RDF.type, None)):
            typed_in.setdefault(s, []).append(f.name)
        g += one
    for s, names in typed_in.items():
        if len(names) > 1:
            problems.append(f"{s}: described (rdf:type) in several files: {', '.join(names)}")
    sources = Path(settings.load({"root": str(ROOT)})["sources_dir"])   # KG92_SOURCES_DIR, kg92.toml, or ../shared
    texts = {}
    for doc in g.subjects(RDF.type, KG.SourceDocument):
        num = str(doc).rsplit("/", 1)[1]
        texts[doc] = read_text(source_file(sources, num))
    for q in g.subjects(RDF.type, OA.SpecificResource):
        src = g.value(q, OA.hasSource)
        exact = start = end = None
        for sel in g.objects(q, OA.hasSelector):
            if (sel, RDF.type, OA.TextQuoteSelector) in g:
                exact = str(g.value(sel, OA.exact))
            if (sel, RDF.type, OA.TextPositionSelector) in g:
                start, end = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))
        if src not in texts:
            problems.append(f"{q}: unknown document {src}")
            continue
        if exact is None or start is None:
            problems.append(f"{q}: missing a selector")
            continue
        if texts[src][start:end] != exact:
            problems.append(f"{q}: text at [{start},{end}) is {texts[src][start:end][:60]!r}, not {exact[:60]!r}")
        if str(q) != f"{ID}quote/{str(src).rsplit('/', 1)[1]}-{start}-{end}":
            problems.append(f"{q}: IRI does not match document and offsets")
    needs = [KG.Statement, KG.Commitment, KG.Claim, KG.Forecast, QUDT.QuantityValue, KG.Event, KG.Position,
             KG.Answer, KG.Relationship, ORG.Membership]
    for cls in needs:
        for s in set(g.subjects(RDF.type, cls)):
            ev = list(g.objects(s, KG.evidence))
            if len(ev) != 1:
                problems.append(f"{s}: {len(ev)} kg:evidence (needs exactly 1)")
    for st in set(g.subjects(RDF.type, KG.Commitment)) | set(g.subjects(RDF.type, KG.Claim)) | set(g.subjects(RDF.type, KG.Forecast)):
        if (st, RDF.type, KG.Statement) not in g:
            problems.append(f"{st}: also needs `a kg:Statement`")
    for fig in g.subjects(RDF.type, QUDT.QuantityValue):
        stated = g.value(fig, KG.asStated)
        ev = g.value(fig, KG.evidence)
        exact = next((str(g.value(s, OA.exact)) for s in g.objects(ev, OA.hasSelector) if g.value(s, OA.exact)), None)
        if stated is None or exact is None or str(stated) not in exact:
            problems.append(f"{fig}: kg:asStated {stated!r} not inside its quote")
        if g.value(fig, QUDT.hasUnit) == URIRef("http://qudt.org/vocab/unit/NUM") and g.value(fig, KG.counts) is None:
            problems.append(f"{fig}: a count (unit:NUM) needs kg:counts")
    described = set(g.subjects(RDF.type, None))
    for s, p, o in g:
        for term in (p, o):
            if isinstance(term, URIRef) and str(term).startswith(str(KG)) and (term, None, None) not in onto:
                problems.append(f"{s}: undeclared ontology term {term}")
        if isinstance(o, URIRef) and str(o).startswith(ID) and o not in described:
            problems.append(f"{s} {p}: dangling reference {o}")
    for p in sorted(set(problems)):
        print(p)
    print(f"{len(g)} triples, {len(set(problems))} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
