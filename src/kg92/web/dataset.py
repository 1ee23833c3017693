"""Blueprint: describing the service — SPARQL Service Description (bare GET /sparql), VoID + DCAT with statistics
at /.well-known/void, and the dumps written at build time at /dumps/ (index as HTML and JSON, files with
checksums). Also the HTTP helpers shared with /sparql: CORS and cache validators.

Dumps: ``kg.nq.gz`` is served as ``application/gzip`` bytes, exactly the bytes of SHA256SUMS whatever the client
(no Content-Encoding, so nothing decompresses it on the way); ``kg.nq`` is served as N-Quads, and as the
pre-compressed bytes with ``Content-Encoding: gzip`` to clients that accept gzip (the decoded body is still the
file of SHA256SUMS).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, render_template, request, send_file, url_for

from kg92.errors import not_found
from kg92.formats import GRAPH, HTML_UTF8, SOLUTIONS, graph_bytes
from kg92.namespaces import BASE, DEF, ID, PREFIXES
from kg92.web.http import cacheable, cors, negotiate, vary
from kg92.web.render import page as site_page  # the site's pages: header, language (?lang=, cookie, Accept-Language)
from kg92.web.resources import public_url, resources, statistics_of

bp = Blueprint("dataset", __name__)
SD, VOID, DCAT, DCT, RDFS, XSD = (PREFIXES[p] for p in ("sd", "void", "dcat", "dcterms", "rdfs", "xsd"))
PROV, SCHEMA = PREFIXES["prov"], PREFIXES["schema"]
SPDX, FMT = PREFIXES["spdx"], "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
IANA = "https://www.iana.org/assignments/media-types/"
DATASET = ox.NamedNode(BASE)
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
                  "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads")
VOCABULARIES = (DEF, "http://www.w3.org/ns/org#", "https://schema.org/", "http://www.w3.org/2004/02/skos/core#",
                "http://www.w3.org/ns/oa#", "http://www.w3.org/ns/prov#", "http://qudt.org/schema/qudt/",
                "http://purl.org/dc/terms/")


# --- HTTP helpers (kg92.web.http; cors and cacheable stay importable from here for the /sparql blueprint) -----------

def _graph_response(triples: list[ox.Triple], fmt_param: str | None, what: str) -> Response:
    fmt = negotiate("graph", fmt=fmt_param)
    if fmt.key == "html":
        fmt = GRAPH[0]          # no HTML rendering of these: Turtle, which browsers show as text
    where = hashlib.sha256(public_url(current_app).encode("utf-8")).hexdigest()[:8]   # the graphs hold absolute URLs
    etag = f'"{resources(current_app).build.id}-{what}-{fmt.key}-{where}"'
    return cacheable(Response(graph_bytes(triples, fmt), content_type=fmt.content_type), etag)


# --- descriptions -----------------------------------------------------------------------------------------------------

def bnode(*key: str) -> ox.BlankNode:
    """A blank node named after what it stands for (``key``), not at random: every process serving one build writes
    the same bytes for the same description, as its one ETag promises (several servers behind one cache)."""
    return ox.BlankNode("b" + hashlib.sha256("\x1f".join(key).encode("utf-8")).hexdigest()[:24])


class _Graph(list):
    def add(self, s, p: str, o) -> None:
        self.append(ox.Triple(s, ox.NamedNode(p), o))

    def count(self, s, p: str, n: int) -> None:
        self.add(s, p, ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer")))


def external(endpoint: str, **values) -> str:
    """The absolute URL of a route, on the configured public base (never the request's Host, see app.public_url)."""
    return public_url(current_app) + url_for(endpoint, **values)


def _urls() -> tuple[ox.NamedNode, ox.NamedNode]:
    return ox.NamedNode(external("protocol.sparql")), ox.NamedNode(external("dataset.void"))


def service_description() -> list[ox.Triple]:
    endpoint, void = _urls()
    stats, g, dataset = statistics_of(current_app), _Graph(), DATASET      # the dataset VoID describes (same IRI)
    g.add(endpoint, PREFIXES["rdf"] + "type", ox.NamedNode(SD + "Service"))
    g.add(endpoint, SD + "endpoint", endpoint)
    g.add(endpoint, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query"))
    g.add(endpoint, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph"))
    g.add(endpoint, SD + "defaultEntailmentRegime", ox.NamedNode("http://www.w3.org/ns/entailment/Simple"))
    for name in RESULT_FORMATS:
        g.add(endpoint, SD + "resultFormat", ox.NamedNode(FMT + name))
    g.add(endpoint, SD + "defaultDataset", dataset)
    g.add(endpoint, RDFS + "seeAlso", void)
    g.add(dataset, PREFIXES["rdf"] + "type", ox.NamedNode(SD + "Dataset"))
    g.add(dataset, RDFS + "seeAlso", void)
    default = bnode("sd-default-graph")
    g.add(dataset, SD + "defaultGraph", default)
    g.add(default, PREFIXES["rdf"] + "type", ox.NamedNode(SD + "Graph"))
    g.add(default, RDFS + "comment", ox.Literal("the union of all the named graphs", language="en"))
    g.count(default, VOID + "triples", stats["quads"])
    for graph, n in stats["graphs"]:
        named, inner = bnode("sd-named-graph", graph.value), bnode("sd-graph", graph.value)
        g.add(dataset, SD + "namedGraph", named)
        g.add(named, PREFIXES["rdf"] + "type", ox.NamedNode(SD + "NamedGraph"))
        g.add(named, SD + "name", graph)
        g.add(named, SD + "graph", inner)
        g.add(inner, PREFIXES["rdf"] + "type", ox.NamedNode(SD + "Graph"))
        g.count(inner, VOID + "triples", n)
    return g


def _distributions(g: _Graph) -> None:
    build = resources(current_app).build
    for name, info in sorted(build.manifest.get("dumps", {}).items()):
        dist = bnode("distribution", name)
        url = ox.NamedNode(external("dataset.dump_file", name=name))
        g.add(DATASET, VOID + "dataDump", url)
        g.add(DATASET, DCAT + "distribution", dist)
        g.add(dist, PREFIXES["rdf"] + "type", ox.NamedNode(DCAT + "Distribution"))
        g.add(dist, DCAT + "downloadURL", url)
        g.add(dist, DCAT + "mediaType", ox.NamedNode(IANA + str(info["media_type"])))
        if info.get("encoding") == "gzip":
            g.add(dist, DCAT + "compressFormat", ox.NamedNode(IANA + "application/gzip"))
        g.add(dist, DCAT + "byteSize", ox.Literal(str(info["bytes"]), datatype=ox.NamedNode(XSD + "nonNegativeInteger")))
        _checksum(g, dist, str(info["sha256"]))


def _checksum(g: _Graph, s, sha256: str) -> None:
    checksum = bnode("checksum", s.value)
    g.add(s, SPDX + "checksum", checksum)
    g.add(checksum, PREFIXES["rdf"] + "type", ox.NamedNode(SPDX + "Checksum"))
    g.add(checksum, SPDX + "algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256"))
    g.add(checksum, SPDX + "checksumValue", ox.Literal(sha256, datatype=ox.NamedNode(XSD + "hexBinary")))


def _build_activity(g: _Graph, manifest: dict[str, Any]) -> None:
    """The build that produced the dataset, as a prov:Activity: its times, the input files it used (with their
    SHA-256) and the kg92 software that ran it, all read from the build's manifest."""
    build, agent, stamp = bnode("build"), bnode("software"), ox.NamedNode(XSD + "dateTime")
    g.add(DATASET, PROV + "wasGeneratedBy", build)
    g.add(build, PREFIXES["rdf"] + "type", ox.NamedNode(PROV + "Activity"))
    if manifest.get("release"):
        g.add(build, DCT + "identifier", ox.Literal(str(manifest["release"])))
    ended, started = manifest.get("built_at"), manifest.get("started_at")
    total = manifest.get("timings_s", {}).get("total")
    if ended and not started and total is not None:      # a build from before "started_at": built_at minus its duration
        started = (dt.datetime.fromisoformat(ended) - dt.timedelta(seconds=total)).isoformat(timespec="seconds")
    for prop, value in (("startedAtTime", started), ("endedAtTime", ended)):
        if value:
            g.add(build, PROV + prop, ox.Literal(value, datatype=stamp))
    for rel, sha256 in sorted(manifest.get("inputs", {}).items()):
        used = bnode("input", rel)
        g.add(build, PROV + "used", used)
        g.add(used, PREFIXES["rdf"] + "type", ox.NamedNode(PROV + "Entity"))
        g.add(used, DCT + "identifier", ox.Literal(rel))
        _checksum(g, used, sha256)
    versions = manifest.get("versions", {})
    g.add(build, PROV + "wasAssociatedWith", agent)
    g.add(agent, PREFIXES["rdf"] + "type", ox.NamedNode(PROV + "SoftwareAgent"))
    g.add(agent, SCHEMA + "name", ox.Literal("kg92"))
    if versions.get("kg92"):
        g.add(agent, SCHEMA + "softwareVersion", ox.Literal(versions["kg92"]))
    for name, version in sorted(versions.items()):
        if name != "kg92":
            g.add(agent, SCHEMA + "softwareRequirements", ox.Literal(f"{name} {version}"))


def void_description() -> list[ox.Triple]:
    endpoint, void = _urls()
    stats, g, build = statistics_of(current_app), _Graph(), resources(current_app).build
    for cls in (VOID + "Dataset", DCAT + "Dataset"):
        g.add(DATASET, PREFIXES["rdf"] + "type", ox.NamedNode(cls))
    g.add(DATASET, DCT + "title", ox.Literal("kg92 : engagements de politique sociale dans les Hauts-de-Seine", language="fr"))
    g.add(DATASET, DCT + "title", ox.Literal("kg92: social-policy commitments in the Hauts-de-Seine", language="en"))
    g.add(DATASET, DCT + "license", ox.NamedNode("https://creativecommons.org/licenses/by/4.0/"))
    g.add(DATASET, DCT + "identifier", ox.Literal(build.id))
    if build.manifest.get("built_at"):
        g.add(DATASET, DCT + "modified", ox.Literal(build.manifest["built_at"], datatype=ox.NamedNode(XSD + "dateTime")))
    g.add(DATASET, VOID + "sparqlEndpoint", endpoint)
    g.add(DATASET, VOID + "uriSpace", ox.Literal(ID))
    for vocab in VOCABULARIES:
        g.add(DATASET, VOID + "vocabulary", ox.NamedNode(vocab))
    for key, prop in (("quads", "triples"), ("entities", "entities"), ("classes", "classes"), ("properties", "properties"),
                      ("subjects", "distinctSubjects"), ("objects", "distinctObjects")):
        g.count(DATASET, VOID + prop, stats[key])
    service = bnode("data-service")
    g.add(DATASET, DCAT + "accessService", service)
    g.add(service, PREFIXES["rdf"] + "type", ox.NamedNode(DCAT + "DataService"))
    g.add(service, DCAT + "endpointURL", endpoint)
    g.add(service, DCAT + "endpointDescription", endpoint)
    g.add(service, DCT + "conformsTo", ox.NamedNode("https://www.w3.org/TR/sparql11-protocol/"))
    for graph, n in stats["graphs"]:
        g.add(DATASET, VOID + "subset", graph)
        g.add(graph, PREFIXES["rdf"] + "type", ox.NamedNode(VOID + "Dataset"))
        g.count(graph, VOID + "triples", n)
    for part_kind, rows, unit in (("classPartition", stats["by_class"], "entities"),
                                  ("propertyPartition", stats["by_property"], "triples")):
        for term, n in rows:
            part = bnode(part_kind, term.value)
            g.add(DATASET, VOID + part_kind, part)
            g.add(part, VOID + ("class" if part_kind == "classPartition" else "property"), term)
            g.count(part, VOID + unit, n)
    _distributions(g)
    _build_activity(g, build.manifest)
    return g


def describe_service(fmt_param: str | None) -> Response:
    """The answer to a bare GET /sparql: the query form for browsers, else the service description."""
    if negotiate("graph", fmt=fmt_param).key == "html":
        return query_page()
    return _graph_response(service_description(), fmt_param, "sd")


def query_page(query: str | None = None, outcome=None, data=None) -> Response:
    """The HTML query form, with the results of ``query`` when given (rendered from SPARQL JSON or Turtle)."""
    settings = resources(current_app).settings
    example = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("kg", "rdf", "rdfs", "skos")) + (
        "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 20")
    links = {f.key: url_for("protocol.sparql", query=query, format=f.key) for f in
             (GRAPH if outcome is not None and outcome.kind == "graph" else SOLUTIONS) if f.key != "html"} if query else {}
    page = render_template("sparql.html", query=query if query is not None else example, outcome=outcome, data=data,
                           links=links, settings=settings, base=BASE)
    return vary(Response(page, content_type=HTML_UTF8), "Accept")


# --- routes -----------------------------------------------------------------------------------------------------------

@bp.get("/.well-known/void")
def void() -> Response:
    return _graph_response(void_description(), request.args.get("format"), "void")


def _dump_list() -> list[dict[str, Any]]:
    dumps = resources(current_app).build.manifest.get("dumps", {})
    return [{"name": name, "url": external("dataset.dump_file", name=name), **info}
            for name, info in sorted(dumps.items())]


@bp.get("/dumps/")
def dumps_index() -> Response | str:
    if negotiate("index").key == "json":
        return dumps_index_json()
    return site_page("dumps.html", dumps=_dump_list(), build=resources(current_app).build)


@bp.get("/dumps/index.json")
def dumps_index_json() -> Response:
    build = resources(current_app).build
    resp = jsonify(build=build.id, dumps=_dump_list(), sha256sums=external("dataset.dump_file", name="SHA256SUMS"))
    return vary(resp, "Accept")


@bp.get("/dumps/<name>")
def dump_file(name: str) -> Response:
    build = resources(current_app).build
    dumps = build.manifest.get("dumps", {})
    if (name != "SHA256SUMS" and name not in dumps) or not (build.path / "dumps" / name).is_file():
        raise not_found(f"no dump named {name!r}; see /dumps/")
    max_age = resources(current_app).settings["http_max_age"]
    if name == "SHA256SUMS":
        return send_file(build.path / "dumps" / name, mimetype="text/plain", max_age=max_age)
    info, gz = dumps[name], dumps.get(name + ".gz")
    if info.get("encoding") == "gzip":
        return send_file(build.path / "dumps" / name, mimetype="application/gzip", etag=str(info["sha256"]), max_age=max_age)
    if gz and "gzip" in request.accept_encodings:
        resp = send_file(build.path / "dumps" / (name + ".gz"), mimetype=str(info["media_type"]),
                         etag=str(gz["sha256"]), max_age=max_age)
        resp.headers["Content-Encoding"] = "gzip"
    else:
        resp = send_file(build.path / "dumps" / name, mimetype=str(info["media_type"]), etag=str(info["sha256"]),
                         max_age=max_age)
    vary(resp, "Accept-Encoding")
    if resp.mimetype.startswith("text/") or resp.mimetype.startswith("application/"):
        resp.content_type = f"{resp.mimetype}; charset=utf-8"
    return resp


@bp.after_request
def _cors(resp: Response) -> Response:
    return cors(resp)
