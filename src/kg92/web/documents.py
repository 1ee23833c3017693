"""Blueprint: ``/id/document/NNN`` — the source documents, with their text when the build published it.

- ``Accept: text/plain`` or the suffix ``.txt``: the exact bytes of the text (UTF-8) with its SHA-256 as
  ``Repr-Digest``/``Digest`` headers and as a strong ETag (``If-None-Match`` → 304). The same checksum is in the
  RDF (``spdx:checksum``), so a client can check what it got and resolve every ``oa:TextPositionSelector``:
  ``text[oa:start:oa:end] == oa:exact``.
- HTML: the whole text with every quote highlighted and anchored at its offsets (overlapping quotes nest), each
  quote listed with what cites it (statements, figures, positions, answers…), then the document's schemes and its
  statements, paged. Without a published text the page says so, and still lists the quotes.
- RDF (``Accept`` or ``.ttl``/``.jsonld``/``.nt``/``.rdf``): the description, as for any other ``/id/…`` IRI.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, request

from kg92 import urls
from kg92.build.texts import Text
from kg92.errors import not_found
from kg92.formats import PLAIN
from kg92.web import describe, http
from kg92.web import linkeddata as pages
from kg92.web.labels import Labels, slug
from kg92.web.render import head, labels, page, rows
from kg92.web.resources import resources, texts

bp = Blueprint("documents", __name__)
TEXT = PLAIN.media_type
PAGE_SIZE = 100
MESSAGES = {
    "text": {"fr": "Texte du document", "en": "Text of the document"},
    "not_published": {"fr": "Le texte de ce document n’est pas publié par cette version (construite sans les textes "
                            "sources, voir KG92_SOURCES_DIR).",
                      "en": "The text of this document is not published by this build (built without the source "
                            "texts, see KG92_SOURCES_DIR)."},
    "download": {"fr": "texte brut", "en": "plain text"},
    "quotes": {"fr": "Citations", "en": "Quotes"},
    "cited_by": {"fr": "citée par", "en": "cited by"},
    "not_cited": {"fr": "citée par aucune ressource", "en": "cited by nothing"},
    "schemes": {"fr": "Dispositifs cités", "en": "Schemes cited"},
    "statements": {"fr": "Énoncés", "en": "Statements"},
    "page": {"fr": "page", "en": "page"},
    "previous": {"fr": "précédente", "en": "previous"},
    "next": {"fr": "suivante", "en": "next"},
    "figure_of": {"fr": "chiffre de", "en": "figure of"},
}

QUOTES = """SELECT ?this ?quote ?start ?end ?exact ?citer ?type ?owner WHERE {
  ?quote oa:hasSource ?this ; oa:hasSelector ?pos, ?sel . ?pos oa:start ?start ; oa:end ?end . ?sel oa:exact ?exact .
  OPTIONAL { ?citer kg:evidence ?quote . OPTIONAL { ?citer a ?type FILTER(?type != kg:Statement) }
             OPTIONAL { ?owner kg:figure ?citer } }
} ORDER BY ?start ?end ?quote ?citer ?type"""
SCHEMES = """SELECT DISTINCT ?this ?scheme WHERE {
  ?quote oa:hasSource ?this . ?s kg:evidence ?quote ; kg:concerns ?scheme . ?scheme a kg:Scheme }"""
STATEMENTS = f"""SELECT ?this ?s ?actor ?kind ?stance ?condition ?quote ?isGroup WHERE {{
  ?quote oa:hasSource ?this . ?s kg:evidence ?quote ; a ?kind . {describe.KINDS} OPTIONAL {{ ?s kg:statedBy ?actor }}
  OPTIONAL {{ ?s kg:stance ?stance }} OPTIONAL {{ ?s kg:condition ?condition }}
  OPTIONAL {{ ?actor a kg:CandidateGroup . BIND(true AS ?isGroup) }} }} ORDER BY ?s ?quote ?actor ?kind ?stance ?condition"""


def tr(key: str) -> str:
    return MESSAGES[key][g.get("lang", "fr")]


def published(doc: str) -> Text | None:
    return texts(current_app).get(doc)


# ---------------------------------------------------------------- the text with its quotes

def quotes_of(node, label: Labels) -> list[dict]:
    """The document's quotes in text order, each with its offsets, exact text and citers."""
    found: dict[str, dict] = {}
    for r in rows(QUOTES, this=node):
        q = found.setdefault(r["quote"].value, {"iri": r["quote"].value, "href": urls.href(r["quote"].value),
                                                "anchor": "q-" + slug(r["quote"]), "start": int(r["start"].value),
                                                "end": int(r["end"].value), "exact": r["exact"].value, "citers": []})
        if r["citer"] is not None and all(c["node"] != r["citer"] for c in q["citers"]):   # its first type only
            q["citers"].append(citer(r["citer"], r["type"], r["owner"], label))
    return list(found.values())


def citer(node, kind_term, owner, label: Labels) -> dict:
    """What cites a quote: a figure (shown as the figure of its statement) or any other resource, with its type."""
    kind = label(kind_term) if kind_term is not None else ""
    if owner is not None:   # a figure: named after its statement, linked to itself when it has an IRI
        where = node if isinstance(node, ox.NamedNode) else owner
        return {"node": node, "iri": where.value, "href": urls.href(where.value),
                "label": f"{tr('figure_of')} {label(owner)}", "kind": kind}
    return {**head(node, label), "node": node, "kind": kind}


def segments(text: str, quotes: list[dict]) -> list[dict]:
    """The text cut at every quote boundary: each piece with the quotes covering it (nesting depth) and the anchors
    of the quotes starting there. Overlapping and nested quotes are covered by several."""
    n = len(text)
    spans = [(min(max(q["start"], 0), n), min(max(q["end"], 0), n), q["anchor"]) for q in quotes]
    cuts = sorted({0, n, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        out.append({"text": text[a:b], "starts": [x for s, _, x in spans if s == a],
                    "covering": [x for s, e, x in spans if s <= a and b <= e and s < e]})
    out.extend({"text": "", "starts": [x], "covering": []} for s, _, x in spans if s == n)
    return out


def statements_page(node, label: Labels, number: int) -> dict:
    """One page of the document's statements: only the rows shown are turned into entries (quotes, labels)."""
    first: dict = {}
    for r in rows(STATEMENTS, this=node):
        first.setdefault(r["s"], r)
    shown = paged(list(first.values()), number)
    shown["items"] = describe.statements(shown["items"], label)
    return shown


def paged(items: list, number: int) -> dict:
    last = max(1, -(-len(items) // PAGE_SIZE))
    number = min(max(number, 1), last)
    return {"items": items[(number - 1) * PAGE_SIZE:number * PAGE_SIZE], "number": number, "last": last,
            "total": len(items), "first_index": (number - 1) * PAGE_SIZE + 1}


# ---------------------------------------------------------------- responses

def negotiate(suffix: str | None) -> str:
    """The media type of a document's answer (no Accept header: its HTML page)."""
    return http.negotiate("document", suffix).media_type


def text_response(doc: str, text: Text | None, path: str, negotiated: bool) -> Response:
    if text is None:
        raise not_found(f"the text of <{doc}> is not published by this build (it was built without the source "
                        f"texts: set KG92_SOURCES_DIR and rebuild)")
    resp = Response(text.body, content_type=f"{TEXT}; charset=utf-8")
    resp.set_etag(text.sha256)
    resp.headers["Repr-Digest"] = f"sha-256=:{text.digest_b64}:"   # RFC 9530
    resp.headers["Digest"] = f"sha-256={text.digest_b64}"           # RFC 3230, for older clients
    resp.headers["Content-Disposition"] = f'inline; filename="{text.file}"'
    resp.headers["Cache-Control"] = f"public, max-age={resources(current_app).settings['http_max_age']}"
    http.vary(resp, "Accept")
    resp.headers["Link"] = f'<{path}>; rel="describedby"'
    if negotiated:
        resp.headers["Content-Location"] = f"{path}.txt"
    return resp.make_conditional(request)


def document_page(node, path: str) -> Response:
    label = labels()
    text = published(node.value)
    quotes = quotes_of(node, label)
    schemes = sorted((head(r["scheme"], label) for r in rows(SCHEMES, this=node)), key=lambda s: s["label"].casefold())
    try:
        number = int(request.args.get("page", "1"))
    except ValueError:
        number = 1
    resp = page("document.html", iri=node.value, title=label(node), number=slug(node), tr=tr, text=text,
                segments=segments(text.body.decode("utf-8"), quotes) if text else [], quotes=quotes, schemes=schemes,
                statements=statements_page(node, label, number),
                outgoing=describe.outgoing(node, label), incoming=[r for r in describe.incoming(node, label)   # quotes: above
                                                                if r.prop.iri != describe.OA + "hasSource"],
                twins=([("txt", TEXT, f"{path}.txt")] if text else []) + urls.twins(path))
    resp = pages.finish(resp, path)
    if text:
        resp.headers["Link"] += f', <{path}.txt>; rel="alternate"; type="{TEXT}"'
    return resp


@bp.get("/id/document/<name>")
def document(name: str) -> Response:
    number, dot, suffix = name.partition(".")
    if dot and suffix != "txt" and suffix not in urls.SUFFIXES:
        return pages.resource(f"document/{name}")   # the generic answer (404) of /id/…
    media = negotiate(suffix or None)
    iri, node = pages.named("id", f"document/{number}")   # a path that makes no valid IRI: 404, never a 500
    path = urls.href(iri)
    if media == TEXT:
        if not describe.exists(node):
            raise not_found(f"no resource {iri} in the graph")
        return text_response(iri, published(iri), path, not dot)
    if media != urls.HTML or not describe.exists(node):
        return pages.resource(f"document/{name}")
    return document_page(node, path)
