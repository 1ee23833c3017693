"""Blueprint: the ontology documentation generated at build time (/ontology, /ontology/howto, /ontology.ttl)."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from kg92.errors import not_acceptable
from kg92.namespaces import PREFIXES, graph_iri
from kg92.web.resources import resources

bp = Blueprint("docs", __name__)
RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
             "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML}
SUFFIXES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples", "rdf": "application/rdf+xml"}


def _ontology_rdf(media: str) -> Response:
    store = resources(current_app).store
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri("ontology")))]
    fmt = RDF_TYPES[media]
    body = ox.serialize(triples, format=fmt, prefixes=None if fmt == ox.RdfFormat.JSON_LD else PREFIXES)
    resp = Response(body, content_type=f"{media}; charset=utf-8")
    resp.headers["Vary"] = "Accept"
    return resp


def _page(name: str) -> Response:
    html = (resources(current_app).build.path / name).read_text(encoding="utf-8")
    resp = Response(html, content_type="text/html; charset=utf-8")
    resp.headers["Vary"] = "Accept"
    return resp


@bp.get("/ontology")
def ontology() -> Response:
    offered = ["text/html", *RDF_TYPES]
    if not request.accept_mimetypes:          # no Accept header: the HTML documentation
        return _page("ontology.html")
    best = request.accept_mimetypes.best_match(offered)
    if best is None:
        raise not_acceptable(offered)
    return _page("ontology.html") if best == "text/html" else _ontology_rdf(best)


@bp.get("/ontology.<suffix>")
def ontology_suffix(suffix: str) -> Response:
    if suffix == "html":
        return _page("ontology.html")
    if suffix not in SUFFIXES:
        raise not_acceptable([f"/ontology.{s}" for s in ("html", *SUFFIXES)])
    return _ontology_rdf(SUFFIXES[suffix])


@bp.get("/ontology/howto")
def howto() -> Response:
    return _page("howto.html")
