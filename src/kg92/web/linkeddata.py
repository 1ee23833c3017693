"""Blueprint: a linked-data page for every IRI under the base — HTML for browsers, RDF by ``Accept`` or by suffix.

``/id/{type}/{slug}`` describes ``https://w3id.org/kg92/id/{type}/{slug}`` (outgoing triples with their blank-node
closure, and incoming triples); ``/graph/{name}`` a named graph; ``/def`` and ``/def#Term`` lead to the ontology
documentation. Unknown IRIs get a 404 that suggests close matches. The store is only read by pattern or by SPARQL
with bound parameters.
"""

from __future__ import annotations

import difflib
import hashlib
import json

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, request

from kg92 import jsonld, urls
from kg92.errors import bad_request, not_found
from kg92.namespaces import DEF
from kg92.web import http
from kg92.web.describe import (
    RDF,
    TYPE,
    describe,
    evidence,
    exists,
    incoming,
    objects,
    outgoing,
    section,
    store,
    value,
)
from kg92.web.labels import slug
from kg92.web.matrix import position_heading
from kg92.web.mentions import MENTIONED, mentions
from kg92.web.render import head, labels, page, rows
from kg92.web.resources import jsonld_context, resources

bp = Blueprint("linkeddata", __name__)


def negotiate(suffix: str | None) -> str:
    """The media type of a page's answer (no Accept header: HTML, a browser-like default)."""
    return http.negotiate("page", suffix).media_type


def rdf_response(triples: list[ox.Triple], media: str, path: str, negotiated: bool) -> Response:
    body = jsonld.write(triples, urls.RDF_FORMATS[media], jsonld_context(current_app))
    resp = Response(body, content_type=f"{media}; charset=utf-8")
    if negotiated:
        resp.headers["Content-Location"] = f"{path}.{urls.SUFFIX_OF[media]}"
    return resp


def finish(resp: Response, path: str) -> Response:
    http.vary(resp, "Accept", "Accept-Language", "Cookie")
    resp.headers["Link"] = ", ".join(f'<{u}>; rel="alternate"; type="{m}"' for _, m, u in urls.twins(path))
    return resp


def missing(iri: str, media: str) -> Response:
    if media != urls.HTML:
        raise not_found(f"no resource {iri} in the graph")
    prefix = iri.rsplit("/", 1)[0] + "/"
    known = [r["s"].value for r in rows("SELECT DISTINCT ?prefix ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), ?prefix)) }",
                                        prefix=ox.Literal(prefix))]
    close = difflib.get_close_matches(iri, known, n=8, cutoff=0.6)
    label = labels()
    return page("notfound.html", 404, iri=iri, suggestions=[head(ox.NamedNode(s), label) for s in close],
                words=slug(iri).replace("-", " "))


def named(kind: str, rest: str) -> tuple[str, ox.NamedNode]:
    """The IRI of a local path and its node; a path that makes no valid IRI (``{``, ``"``, a bare ``%``, a space…)
    names nothing in the graph: 404 with the parser's reason, never a 500."""
    iri = urls.iri_for(kind, rest)
    if "\ufffd" in rest:   # werkzeug decodes the path as UTF-8 and replaces what is not
        raise not_found(f"no resource can have the IRI {iri!r}: the percent-encoded bytes of the path are not UTF-8")
    try:
        return iri, ox.NamedNode(iri)
    except ValueError as exc:
        reason = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in str(exc))
        raise not_found(f"no resource can have the IRI {iri!r}: {reason}") from exc


@bp.get("/id/<path:rest>")
def resource(rest: str) -> Response:
    rest, suffix = urls.split_suffix(rest)
    (iri, node), media = named("id", rest), negotiate(suffix)
    path = urls.href(iri)
    if not exists(node):
        return missing(iri, media)
    if media != urls.HTML:
        return finish(rdf_response(describe(node), media, path, suffix is None), path)
    label = labels()
    types = {t.value for t in objects(node, RDF + "type")}
    position = position_heading(node, label) if DEF + "Position" in types else None
    resp = page("resource.html", iri=iri, title=position["title"] if position else label(node), position=position, types=[value(t, label) for t in objects(node, RDF + "type")],
                outgoing=outgoing(node, label), incoming=incoming(node, label), evidence=evidence(node, label),
                section=section(node, types, label), twins=urls.twins(path),
                mentions=mentions(node, label) if types & MENTIONED else None)
    return finish(resp, path)


@bp.get("/graph/<path:rest>")
def graph(rest: str) -> Response:
    rest, suffix = urls.split_suffix(rest)
    (iri, node), media = named("graph", rest), negotiate(suffix)
    quads = list(store().quads_for_pattern(None, None, None, node))
    if not quads:
        return missing(iri, media)
    path = urls.href(iri)
    if media != urls.HTML:
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
        return finish(rdf_response(triples, media, path, suffix is None), path)
    label = labels()
    counts: dict = {}
    for q in quads:
        if q.predicate == TYPE:
            counts[q.object] = counts.get(q.object, 0) + 1
    manifest = resources(current_app).build.manifest
    source = next((f for f in manifest.get("inputs", {}) if f.endswith(f"/{rest}.ttl")), None)
    classes = sorted(((value(c, label), n) for c, n in counts.items()), key=lambda x: -x[1])
    return finish(page("graph.html", iri=iri, name=rest, source=source, triples=len(quads), classes=classes,
                       twins=urls.twins(path)), path)


@bp.get("/def", defaults={"suffix": None})
@bp.get("/def.<suffix>")
def ontology_term(suffix: str | None) -> Response:
    """Ontology terms ``…/def#Term``: the fragment stays in the browser, so ``/def`` → ``/ontology`` lands on it."""
    if suffix is not None and suffix not in urls.SUFFIXES:
        raise not_found(f"/def.{suffix}: use /def or /def." + ", /def.".join(urls.SUFFIXES))
    return redirect("/ontology" + (f".{suffix}" if suffix else ""), 303)


@bp.get("/context.jsonld")
def context() -> Response:
    """The JSON-LD context every compacted answer refers to (generated by the build; any origin may load it)."""
    ctx = jsonld_context(current_app)
    body = json.dumps(ctx, ensure_ascii=False, indent=1).encode("utf-8")
    resp = Response(body, content_type="application/ld+json; charset=utf-8")
    return http.cors(http.cacheable(resp, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'))


@bp.get("/-/resolve")
def resolve() -> Response:
    """``/-/resolve?iri=https://w3id.org/kg92/id/…`` → its page on this server."""
    iri = request.args.get("iri", "").strip()
    path = urls.local_path(iri)
    if path is None:
        raise bad_request(f"not an IRI under {urls.BASE}: {iri!r}")
    return redirect(path, 303)
