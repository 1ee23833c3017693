"""One negotiation rule on every route family (issue 14): an unknown suffix is 404, an Accept nothing offered
matches is 406 naming the offered media types, Vary holds Accept (and what else the page varies on), and a
conditional GET with If-None-Match (several tags, or *) is a 304 where the server sends an ETag."""

from __future__ import annotations

import pytest
from support import needs_sources

from kg92 import formats

PAGE = "text/html, text/turtle, application/ld+json, application/n-triples, application/rdf+xml"
GRAPH = ("text/turtle, application/n-triples, application/ld+json, application/rdf+xml, application/trig, "
         "application/n-quads, text/html")
SOLUTIONS = ("application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values, "
             "text/html")
CANNED = "application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values"
ASK = "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"
LANG_VARY = {"Accept", "Accept-Language", "Cookie"}


def test_the_registry_takes_media_types_and_extensions_from_pyoxigraph():
    assert [(f.key, f.media_type) for f in formats.GRAPH] == [
        ("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"), ("trig", "application/trig"), ("nq", "application/n-quads"), ("html", "text/html")]
    assert [(f.key, f.media_type, f.names) for f in formats.SOLUTIONS[:4]] == [
        ("json", "application/sparql-results+json", ("srj",)), ("xml", "application/sparql-results+xml", ("srx",)),
        ("csv", "text/csv", ()), ("tsv", "text/tab-separated-values", ("table",))]
    assert formats.negotiate("page", None, "ttl") is formats.PAGE[1]
    with pytest.raises(formats.UnknownSuffix):
        formats.negotiate("page", None, "png")
    with pytest.raises(formats.NotAcceptable) as refused:
        formats.negotiate("canned-graph", None, "csv")      # a format the server knows, not offered here
    assert refused.value.offered == ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
    assert formats.negotiate("page", "image/png, */*;q=0.1").key == "html"
    assert formats.negotiate("page", None).key == "html"


@pytest.mark.parametrize("path", [
    "/id/scheme/rsa.png", "/graph/ontology.png", "/def.png", "/ontology.png", "/queries/quote-search.png",
    "/id/document/000.png", "/compare/citations.png", "/dumps/kg.png",
])
def test_an_unknown_suffix_is_404(client, path):
    resp = client.get(path)
    assert resp.status_code == 404, resp.get_data(as_text=True)


@pytest.mark.parametrize(("path", "offered"), [
    (ASK, SOLUTIONS),
    ("/sparql", GRAPH),
    ("/.well-known/void", GRAPH),
    ("/id/scheme/rsa", PAGE),
    ("/graph/ontology", PAGE),
    ("/ontology", PAGE),
    ("/dumps/", "text/html, application/json"),
    ("/api/quote-search?text=PDALHPD", CANNED),
    ("/id/document/000", "text/html, text/plain, text/turtle, application/ld+json, application/n-triples, "
                         "application/rdf+xml"),
    ("/compare/citations", "text/html, application/json, text/csv"),
])
def test_an_unacceptable_accept_is_406_naming_the_offered_types(client, path, offered):
    resp = client.get(path, headers={"Accept": "image/png"})
    assert resp.status_code == 406, resp.get_data(as_text=True)
    assert resp.get_json() == {"error": {"status": 406, "title": "Not Acceptable",
                                         "detail": "offered media types: " + offered}}


def test_validation_refuses_an_unacceptable_accept_naming_the_offered_types(client):
    resp = client.post("/validate", data=b"<a:b> <c:d> <e:f> .", headers={"Accept": "image/png",
                                                                          "Content-Type": "text/turtle"})
    assert resp.status_code == 406
    assert resp.get_json()["error"]["detail"] == "offered media types: application/json, text/turtle, text/plain"


@pytest.mark.parametrize(("path", "vary"), [
    (ASK, {"Accept"}),
    ("/sparql", {"Accept"}),
    ("/.well-known/void", {"Accept"}),
    ("/id/scheme/rsa", LANG_VARY),
    ("/id/scheme/rsa.ttl", LANG_VARY),
    ("/graph/ontology", LANG_VARY),
    ("/ontology", LANG_VARY),
    ("/ontology.ttl", {"Accept"}),
    ("/dumps/", LANG_VARY),
    ("/dumps/index.json", {"Accept"}),
    ("/dumps/kg.nq", {"Accept-Encoding"}),
    ("/queries/quote-search?text=PDALHPD", LANG_VARY),
    ("/queries/quote-search.csv?text=PDALHPD", {"Accept"}),
    ("/api/quote-search?text=PDALHPD", {"Accept"}),
    ("/id/document/000", LANG_VARY),
    pytest.param("/id/document/000.txt", {"Accept"}, marks=needs_sources),   # the text is published with the sources
    ("/compare/citations", LANG_VARY),
    ("/compare/citations.json", LANG_VARY),
])
def test_vary_names_what_the_answer_depends_on(client, path, vary):
    resp = client.get(path)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert set(resp.vary) == vary


def test_an_error_page_varies_on_accept(client):
    assert set(client.get("/id/scheme/rsa", headers={"Accept": "image/png"}).vary) == {"Accept"}


@pytest.mark.parametrize("path", [ASK, "/sparql", "/.well-known/void", "/dumps/kg.nq",
                                  pytest.param("/id/document/000.txt", marks=needs_sources)])
def test_a_conditional_get_is_304_with_if_none_match(client, path):
    first = client.get(path)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')     # strong, as before
    for tags in (etag, f'"other", {etag}', "*"):
        again = client.get(path, headers={"If-None-Match": tags})
        assert again.status_code == 304, (tags, again.status_code)
        assert again.headers["ETag"] == etag and again.get_data() == b""
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_sparql_etag_is_the_one_sent_before(client):
    assert client.get("/.well-known/void").headers["ETag"].endswith('-void-ttl-' + client.get(
        "/.well-known/void").headers["ETag"].rsplit("-", 1)[1])


# the error body's format (web/errorpages.py, kind "error" of the registry): JSON unless HTML or plain text is
# strictly preferred to JSON; a tie, an Accept for SPARQL results or RDF, or one nothing matches get JSON
@pytest.mark.parametrize(("accept", "media"), [
    (None, "application/json"),
    ("*/*", "application/json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("text/html, application/json", "application/json"),
    ("text/html;q=0.5, */*;q=0.5", "application/json"),
    ("text/*", "text/html"),
    ("text/plain", "text/plain"),
    ("text/plain;charset=utf-8", "text/plain"),
    ("text/html;charset=utf-8;q=0.9, application/json;q=0.5", "text/html"),
    ("application/sparql-results+json", "application/json"),
    ("text/turtle", "application/json"),
    ("image/png", "application/json"),
    ("application/xhtml+xml", "application/json"),
])
def test_an_error_body_is_json_unless_html_or_text_is_preferred(client, accept, media):
    resp = client.get("/no-such-page", headers={"Accept": accept} if accept else {})
    assert resp.status_code == 404 and resp.mimetype == media, accept
    assert "Accept" in resp.headers["Vary"]


def test_a_remembered_negotiation_is_the_one_computed_each_time():
    """formats.choose remembers what an Accept header given as text negotiates, a refusal too; never a long header."""
    from werkzeug.datastructures import MIMEAccept
    from werkzeug.http import parse_accept_header
    formats._chosen.cache_clear()
    for kind, accept, key in (("solutions", "text/csv;q=0.9, application/sparql-results+json", "json"),
                              ("graph", "application/n-triples", "nt"), ("boolean", None, "json"),
                              ("graph", "text/turtle;charset=utf-8", "ttl")):
        first, again = formats.choose(kind, accept), formats.choose(kind, accept)
        computed = formats.choose(kind, parse_accept_header(accept, MIMEAccept))   # a parsed header: not remembered
        assert (first.key, again is first, computed is first) == (key, True, True), (kind, accept)
    assert formats._chosen.cache_info().currsize == 4
    refusals = []
    for _ in range(2):
        with pytest.raises(formats.NotAcceptable) as refused:
            formats.choose("solutions", "application/n-triples")
        refusals.append(refused.value.offered)
    assert refusals[0] == refusals[1] == [f.media_type for f in formats.KINDS["solutions"]]
    assert formats._chosen.cache_info().currsize == 5                   # the refusal is remembered once
    long_accept = "application/n-triples, " + "x/y;q=0.1, " * 100
    assert formats.choose("graph", long_accept).key == "nt"
    assert formats._chosen.cache_info().currsize == 5    # the 1,123-character header is not kept
