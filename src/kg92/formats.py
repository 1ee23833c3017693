"""Content negotiation (one table per result kind) and the serialisers the query workers use.

Negotiation uses werkzeug's ``MIMEAccept.best_match`` (``*/*``, ``text/*``, q-values; media type parameters such
as ``charset`` are ignored since every body is UTF-8); a ``format=``
value (a short name such as ``csv``/``ttl`` or a media type) overrides the Accept header. The first entry of each
table is the default (no Accept, or ``*/*``). Aliases (``application/json`` …) are matched after the canonical
types and answered with the canonical Content-Type. Every body is UTF-8 and says so (``; charset=utf-8``).

Result rows are capped at ``max_rows`` in the worker: solutions are written to SPARQL JSON here (one pass, stops at
the cap) and the other result formats are pyoxigraph's serialisers applied to that JSON, so each format carries
exactly the same (possibly truncated) rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kg92.namespaces import used_prefixes

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"


@dataclass(frozen=True)
class Format:
    key: str                          # the format= / CLI name
    media_type: str                   # canonical media type, sent as Content-Type
    writer: object = None             # pyoxigraph QueryResultsFormat / RdfFormat; None for HTML (rendered by the view)
    aliases: tuple[str, ...] = ()     # other media types a client may ask for
    names: tuple[str, ...] = ()       # other format= names

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


def _from(writer, key: str | None = None, aliases: tuple[str, ...] = (), names: tuple[str, ...] = ()) -> Format:
    """A format whose media type and file extension are pyoxigraph's (``RdfFormat`` / ``QueryResultsFormat``)."""
    media = writer.media_type.split(";", 1)[0].strip()
    ext = writer.file_extension
    return Format(key or ext, media, writer, aliases, tuple(dict.fromkeys(n for n in (*names, ext) if n != (key or ext))))


HTML = "text/html"
TEXT = "text/plain"
JSON = "application/json"
HTML_UTF8 = f"{HTML}; charset=utf-8"
_HTML = Format("html", HTML, None, ("application/xhtml+xml",))
JSON_DOC = Format("json", JSON)          # a JSON document (an index, a report): not SPARQL results
PLAIN = Format("txt", TEXT, None, (), ("text",))
SRJ, SRX = _from(ox.QueryResultsFormat.JSON, "json", (JSON,)), _from(ox.QueryResultsFormat.XML, "xml", ("application/xml", "text/xml"))
CSV, TSV = _from(ox.QueryResultsFormat.CSV), _from(ox.QueryResultsFormat.TSV, names=("table",))
TURTLE = _from(ox.RdfFormat.TURTLE, aliases=("application/x-turtle", "text/n3"), names=("turtle",))
NTRIPLES = _from(ox.RdfFormat.N_TRIPLES, aliases=(TEXT,), names=("ntriples",))
JSONLD = _from(ox.RdfFormat.JSON_LD, aliases=(JSON,), names=("json",))
RDFXML = _from(ox.RdfFormat.RDF_XML, aliases=("application/xml", "text/xml"), names=("xml", "rdfxml", "owl"))
TRIG, NQUADS = _from(ox.RdfFormat.TRIG), _from(ox.RdfFormat.N_QUADS, names=("nquads",))
SOLUTIONS: tuple[Format, ...] = (SRJ, SRX, CSV, TSV, _HTML)
BOOLEAN = SOLUTIONS   # the same table: JSON and XML are the standard ones, CSV/TSV write true/false
GRAPH: tuple[Format, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS, _HTML)
# a linked-data page (/id, /graph, /def, /ontology): HTML first (a browser's default), then its RDF twins
# (canonical media types only, except ``application/json``: a JSON client gets the JSON-LD)
PAGE: tuple[Format, ...] = tuple(replace(f, aliases=(JSON,) if f is JSONLD else ()) for f in (_HTML, TURTLE, JSONLD,
                                                                                               NTRIPLES, RDFXML))
# a canned query's results by suffix or Accept (no HTML: the query's page is /queries/<name>)
CANNED_SOLUTIONS: tuple[Format, ...] = tuple(replace(f, aliases=()) for f in (SRJ, SRX, CSV, TSV))
CANNED_GRAPH: tuple[Format, ...] = PAGE[1:]
TABLES: dict[str, tuple[Format, ...]] = {"solutions": SOLUTIONS, "boolean": BOOLEAN, "graph": GRAPH}
# an index with a JSON twin (/dumps/); a SHACL report (POST /validate); a source document (/id/document/NNN)
INDEX: tuple[Format, ...] = (_HTML, JSON_DOC)
TABLE: tuple[Format, ...] = (_HTML, JSON_DOC, replace(CSV, aliases=()))   # a comparison view and its twins
REPORT: tuple[Format, ...] = (JSON_DOC, replace(TURTLE, aliases=()), PLAIN)
DOCUMENT: tuple[Format, ...] = (PAGE[0], PLAIN, *PAGE[1:])
ERROR: tuple[Format, ...] = (JSON_DOC, _HTML, PLAIN)   # an error body: JSON unless HTML or text is preferred
KINDS: dict[str, tuple[Format, ...]] = {**TABLES, "page": PAGE, "canned-solutions": CANNED_SOLUTIONS,
                                        "canned-graph": CANNED_GRAPH, "index": INDEX, "report": REPORT, "table": TABLE,
                                        "document": DOCUMENT, "error": ERROR}
FORMAT_NAMES = frozenset(n for table in TABLES.values() for f in table for n in (f.key, *f.names, f.media_type))
# every URL suffix this server knows (a format's key or file extension, plus a document's .txt and a table's .json)
SUFFIXES = frozenset({f.key for t in KINDS.values() for f in t} | {f.writer.file_extension for t in KINDS.values()
                                                                    for f in t if f.writer} | {"txt", "json"})


class NotAcceptable(Exception):
    """No offered format matches the Accept header or format= value; ``offered`` lists the canonical media types."""

    def __init__(self, offered: list[str]):
        super().__init__("offered media types: " + ", ".join(offered))
        self.offered = offered


class UnknownSuffix(LookupError):
    """A URL suffix that names no format of this server (answered 404: no such resource)."""


def negotiate(kind: str, accept: str | MIMEAccept | None = None, suffix: str | None = None,
              fmt: str | None = None) -> Format:
    """The one negotiation rule: a URL suffix wins (unknown to the server → ``UnknownSuffix``, a known format this
    ``kind`` does not offer → ``NotAcceptable``), then ``format=``, then the Accept header (see :func:`choose`)."""
    table = KINDS[kind]
    if suffix is not None:
        if suffix not in SUFFIXES:
            raise UnknownSuffix(suffix)
        for f in table:
            if suffix in (f.key, f.writer.file_extension if f.writer else f.key):
                return f
        raise NotAcceptable([f.media_type for f in table])
    return choose(kind, accept, fmt)


def choose(kind: str, accept: str | MIMEAccept | None, fmt: str | None = None) -> Format:
    """The format to answer a result of ``kind`` with, from ``format=`` (wins) or the Accept header.

    A pure function of its arguments, called several times a request (the engine's cache key and ETag negotiate for
    every kind of result, so a CONSTRUCT's Accept is refused twice a request: by the solutions and boolean tables):
    what an Accept header given as text negotiates, a refusal included, is remembered (``_chosen``)."""
    if (accept is None or isinstance(accept, str) and len(accept) <= MEMO_ACCEPT) and (fmt is None or len(fmt) <= 64):
        chosen = _chosen(kind, accept, fmt)
        if isinstance(chosen, tuple):
            raise NotAcceptable(list(chosen))
        return chosen
    return _choose(kind, accept, fmt)


MEMO_ACCEPT = 1000   # longer Accept headers (no real client sends one) are negotiated each time, never remembered


@lru_cache(maxsize=4096)   # bounded: the headers come from clients
def _chosen(kind: str, accept: str | None, fmt: str | None) -> Format | tuple[str, ...]:
    """The format, or the media types offered when none is acceptable."""
    try:
        return _choose(kind, accept, fmt)
    except NotAcceptable as exc:
        return tuple(exc.offered)


def _choose(kind: str, accept: str | MIMEAccept | None, fmt: str | None) -> Format:
    table = KINDS[kind]
    if fmt:
        wanted = fmt.strip().lower()
        for f in table:
            if wanted in (f.key, *f.names, f.media_type, *f.aliases):
                return f
        raise NotAcceptable([f.media_type for f in table])
    accepts = accept if isinstance(accept, MIMEAccept) else parse_accept_header(accept, MIMEAccept)
    if not accepts:
        return table[0]
    # media type parameters (charset=utf-8 …) are not a reason to refuse: every body here is UTF-8
    accepts = MIMEAccept([(value.split(";", 1)[0].strip(), q) for value, q in accepts])
    by_type = {f.media_type: f for f in table} | {a: f for f in table for a in f.aliases if a not in
                                                    {g.media_type for g in table}}
    best = accepts.best_match(list(by_type))
    if best is None:
        raise NotAcceptable([f.media_type for f in table])
    return by_type[best]


def term_json(term) -> dict:
    """One RDF term as a SPARQL 1.1 (1.2 for triple terms and directions) JSON results term."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:
                out["its:dir"] = str(term.direction)
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject), "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def solutions_json(solutions: ox.QuerySolutions, max_rows: int) -> tuple[bytes, int, bool]:
    """SPARQL JSON of at most ``max_rows`` solutions → (body, rows written, truncated?)."""
    names = [v.value for v in solutions.variables]
    rows = []
    for solution in islice(solutions, max_rows + 1):
        rows.append({n: term_json(t) for n, t in zip(names, solution, strict=True) if t is not None})
    truncated = len(rows) > max_rows
    del rows[max_rows:]
    doc = {"head": {"vars": names}, "results": {"bindings": rows}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), len(rows), truncated


def write_solutions(solutions: ox.QuerySolutions, fmt: Format, max_rows: int) -> tuple[bytes, int, bool]:
    body, rows, truncated = solutions_json(solutions, max_rows)
    if fmt.writer is ox.QueryResultsFormat.JSON or fmt.writer is None:   # HTML: the view renders the JSON
        return body, rows, truncated
    reparsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return reparsed.serialize(format=fmt.writer), rows, truncated


def write_boolean(result: ox.QueryBoolean, fmt: Format) -> bytes:
    return result.serialize(format=fmt.writer or ox.QueryResultsFormat.JSON)


def write_triples(triples, fmt: Format, max_rows: int) -> tuple[bytes, int, bool]:
    """At most ``max_rows`` triples in ``fmt`` (Turtle, TriG and RDF/XML with the project's prefixes they use)."""
    kept = list(islice(triples, max_rows + 1))
    truncated = len(kept) > max_rows
    del kept[max_rows:]
    writer = fmt.writer or ox.RdfFormat.TURTLE      # HTML shows the Turtle
    prefixes = used_prefixes(kept) if writer in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(kept, format=writer, prefixes=prefixes), len(kept), truncated


def graph_bytes(triples: list[ox.Triple], fmt: Format) -> bytes:
    """A small server-made graph (service description, VoID) in ``fmt``."""
    return write_triples(triples, fmt, len(triples))[0]
