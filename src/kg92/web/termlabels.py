"""Blueprint: ``/-/labels``, the labels of IRIs in the interface language, for the query editor's "labels" toggle.

``GET /-/labels?iri=…&iri=…`` or ``POST /-/labels`` (form fields ``iri``, as many as the GET; the editor posts, since a
result holds more IRIs than a request line may carry) answers ``{"lang": "fr", "labels": {iri: label}}``: each IRI
that has a readable label in the graph (skos:prefLabel, rdfs:label, schema:name… in the interface language, else
French, else any; a statement's ``kg:asStated``; a quote's text, cut at 90 characters; see web/labels.py). IRIs
without one are left out (the editor keeps showing them as CURIEs). The language is the site's (``?lang=``, cookie,
``Accept-Language``).

Bounded: at most :data:`MAX_IRIS` IRIs of at most :data:`MAX_IRI_CHARS` characters each per request (more is a 400
naming the limit); read-only lookups on the store, no query text; the labels are cached per application and language
(the build is immutable), up to :data:`CACHE_ENTRIES` entries per language.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, jsonify, request

from kg92 import urls
from kg92.errors import bad_request
from kg92.web.labels import Labels
from kg92.web.resources import resources

bp = Blueprint("termlabels", __name__)
MAX_IRIS = 500
MAX_IRI_CHARS = 2000
CACHE_ENTRIES = 200_000


def readable(label: Labels, iri: str) -> str | None:
    """The label the editor shows for ``iri``, or None when the graph has none (web/labels.py's fallback to a
    CURIE is the editor's own display)."""
    try:
        term = ox.NamedNode(iri)
    except ValueError:
        return None
    text = label(term)
    return None if text == urls.curie(iri) else text


def lookup(iris: list[str], lang: str) -> dict[str, str]:
    """``{iri: label}`` of ``iris`` that have one, from the per-language cache (filled as IRIs are asked)."""
    res = resources(current_app)
    cache = res.term_labels.setdefault(lang, {})
    label = Labels(res.store, lang)
    out = {}
    for iri in iris:
        if iri in cache:
            text = cache[iri]
        else:
            text = readable(label, iri)
            with res.lock:
                if len(cache) < CACHE_ENTRIES:
                    cache[iri] = text
        if text is not None:
            out[iri] = text
    return out


@bp.route("/-/labels", methods=["GET", "POST"])
def term_labels() -> Response:
    iris = (request.form if request.method == "POST" else request.args).getlist("iri")
    if len(iris) > MAX_IRIS:
        raise bad_request(f"at most {MAX_IRIS} iri values per request ({len(iris)} given)")
    if any(len(iri) > MAX_IRI_CHARS for iri in iris):
        raise bad_request(f"an iri is at most {MAX_IRI_CHARS} characters")
    resp = jsonify(lang=g.lang, labels=lookup(list(dict.fromkeys(iris)), g.lang))
    resp.vary.update(("Accept-Language", "Cookie"))
    resp.cache_control.max_age = 3600 if request.method == "GET" else None
    return resp
