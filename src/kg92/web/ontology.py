"""Blueprint: the ontology documentation generated at build time (/ontology, /ontology/howto, /ontology.ttl)."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app

from kg92 import jsonld
from kg92.formats import HTML_UTF8, Format
from kg92.namespaces import graph_iri
from kg92.web.http import negotiate, vary
from kg92.web.resources import jsonld_context, resources

bp = Blueprint("ontology", __name__)


def _ontology_rdf(fmt: Format) -> Response:
    store = resources(current_app).store
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri("ontology")))]
    body = jsonld.write(triples, fmt.writer, jsonld_context(current_app))
    return vary(Response(body, content_type=fmt.content_type), "Accept")


def _page(name: str) -> Response:
    html = (resources(current_app).build.path / name).read_text(encoding="utf-8")
    return vary(Response(html, content_type=HTML_UTF8), "Accept")


def _answer(fmt: Format) -> Response:
    return _page("ontology.html") if fmt.writer is None else _ontology_rdf(fmt)


@bp.get("/ontology")
def ontology() -> Response:
    return _answer(negotiate("page"))      # no Accept header: the HTML documentation


@bp.get("/ontology.<suffix>")
def ontology_suffix(suffix: str) -> Response:
    return _answer(negotiate("page", suffix))


@bp.get("/ontology/howto")
def howto() -> Response:
    return _page("howto.html")
