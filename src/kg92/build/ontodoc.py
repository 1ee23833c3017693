"""Ontology documentation, generated at build time from the ontology graph through the project's templates; with
``stats`` (build/ontostats.py: what the release's data holds) the page also lists the controlled values, the
resources of each class (linked to their browse pages) and the properties from other vocabularies they carry, and
shows the classes' diagram (build/diagram.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import OWL, RDF, RDFS, SKOS, Namespace, URIRef

from kg92.build.diagram import svg
from kg92.namespaces import DEF, ID, PREFIXES
from kg92.queries.registry import parse_file

SDO = Namespace("https://schema.org/")
TEMPLATES = Path(__file__).parent.parent / "templates"

# The site header of templates/base.html, same links in the same order. The docs are rendered once at build time,
# without a request, so they cannot pick one interface language: every label is given in French and English.
NAV = [("/editor", "editor"), ("/queries", "gallery"), ("/compare/stances", "stance_matrix"),
       ("/compare/citations", "citation_matrix"), ("/ontology", "ontology"), ("/validation", "validation")]


@dataclass
class Term:
    iri: str
    name: str
    kind: str                       # "class" | "object property" | "datatype property"
    label: dict[str, str]
    definition: dict[str, str]
    parents: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    functional: bool = False
    domain_includes: list[str] = field(default_factory=list)   # schema:domainIncludes (a property of several classes)
    range_includes: list[str] = field(default_factory=list)    # schema:rangeIncludes
    see_also: list[str] = field(default_factory=list)          # rdfs:seeAlso (the nearest standard term)
    used_by: list[str] = field(default_factory=list)   # for classes: properties whose domain it is
    target_of: list[str] = field(default_factory=list)  # for classes: properties whose range it is


def curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def query_body(sparql: str) -> str:
    """A competency question's SPARQL without its ``#+`` header lines (the registry's metadata, for maintainers)."""
    return "\n".join(line for line in sparql.splitlines() if not line.startswith("#+")).strip() + "\n"


def local_href(iri: str) -> str:
    """Where the docs link an IRI: a kg: term's section, a resource's page under /id/, else the IRI itself."""
    if iri.startswith(DEF):
        return "#" + iri[len(DEF):]
    return "/id/" + iri[len(ID):] if iri.startswith(ID) else iri


def _texts(g: rdflib.Graph, s: URIRef, p: URIRef) -> dict[str, str]:
    return {o.language: str(o) for o in g.objects(s, p) if isinstance(o, rdflib.Literal) and o.language}


def terms(g: rdflib.Graph) -> list[Term]:
    found: list[Term] = []
    kinds = ((OWL.Class, "class"), (OWL.ObjectProperty, "object property"), (OWL.DatatypeProperty, "datatype property"))
    for cls, kind in kinds:
        for s in sorted(set(g.subjects(RDF.type, cls)), key=str):
            if not str(s).startswith(DEF):
                continue
            parent_p = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
            found.append(Term(str(s), str(s)[len(DEF):], kind, _texts(g, s, RDFS.label), _texts(g, s, SKOS.definition),
                              sorted(curie(str(o)) for o in g.objects(s, parent_p)),
                              sorted(curie(str(o)) for o in g.objects(s, RDFS.domain)),
                              sorted(curie(str(o)) for o in g.objects(s, RDFS.range)),
                              (s, RDF.type, OWL.FunctionalProperty) in g,
                              sorted(curie(str(o)) for o in g.objects(s, SDO.domainIncludes)),
                              sorted(curie(str(o)) for o in g.objects(s, SDO.rangeIncludes)),
                              sorted(curie(str(o)) for o in g.objects(s, RDFS.seeAlso) if isinstance(o, URIRef))))
    by_curie = {curie(t.iri): t for t in found}
    for t in found:
        for d in (*t.domain, *t.domain_includes):
            if d in by_curie:
                by_curie[d].used_by.append(curie(t.iri))
        for r in (*t.range, *t.range_includes):
            if r in by_curie:
                by_curie[r].target_of.append(curie(t.iri))
    return found


def competency_questions(folder: Path) -> list:
    return [parse_file(p) for p in sorted(folder.glob("*.rq"))]


def site_messages() -> dict[str, dict[str, str]]:
    """The interface texts of the site (templates/messages.json), both languages of each."""
    return json.loads((TEMPLATES / "messages.json").read_text(encoding="utf-8"))


def render(ontology: list[Path] | rdflib.Graph, cq_dir: Path, stats: dict | None = None) -> dict[str, str]:
    """The two pages of the ontology (``ontology``: its files, or the graph the build already parsed; ``stats``:
    build/ontostats.py's ``compute`` of the release's store, or None for the ontology alone)."""
    if isinstance(ontology, rdflib.Graph):
        g = ontology
    else:
        g = rdflib.Graph()
        for f in ontology:
            g.parse(f, format="turtle")
    env = Environment(loader=PackageLoader("kg92", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["curie"] = curie
    env.filters["query_body"] = query_body
    env.filters["href"] = local_href
    all_terms = terms(g)
    onto = URIRef(DEF[:-1])
    ctx = {"terms": all_terms, "classes": [t for t in all_terms if t.kind == "class"],
           "properties": [t for t in all_terms if t.kind != "class"],
           "title": _texts(g, onto, URIRef("http://purl.org/dc/terms/title")),
           "description": _texts(g, onto, URIRef("http://purl.org/dc/terms/description")),
           "prefixes": PREFIXES, "questions": competency_questions(cq_dir), "DEF": DEF, "stats": stats,
           "diagram": svg(all_terms)}
    m = site_messages()
    ctx |= {"m": m, "nav": [{"href": href, "fr": m[key]["fr"], "en": m[key]["en"]} for href, key in NAV]}
    # both pages belong to the navigation's "/ontology" item: aria-current="page" on it, "true" (its section) on howto
    return {"ontology.html": env.get_template("ontology.html").render(current=("/ontology", "page"), **ctx),
            "howto.html": env.get_template("howto.html").render(current=("/ontology", "true"), **ctx)}


def write_docs(out: Path, ontology: list[Path] | rdflib.Graph, cq_dir: Path, stats: dict | None = None) -> list[str]:
    pages = render(ontology, cq_dir, stats)
    for name, html in pages.items():
        (out / name).write_text(html, encoding="utf-8")
    return sorted(pages)
