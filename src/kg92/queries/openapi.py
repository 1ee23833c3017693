"""The OpenAPI 3 document of the canned-query API (/api/<name>)."""

from __future__ import annotations

from kg92.formats import CSV, JSON, JSONLD, NTRIPLES, SRJ, SRX, TSV, TURTLE
from kg92.queries.binding import LANGS
from kg92.queries.registry import CannedQuery

TYPE_SCHEMA = {"iri": {"type": "string", "format": "uri"}, "string": {"type": "string"},
               "integer": {"type": "integer"}, "date": {"type": "string", "format": "date"},
               "boolean": {"type": "boolean"}, "lang": {"type": "string", "enum": list(LANGS)}}


def _param(p, lists: dict[str, set[str]]) -> dict:
    schema = dict(TYPE_SCHEMA[p.type])
    if p.list:
        schema["enum"] = sorted(lists.get(p.list, ()))
    if p.default:   # typed as the schema says (OpenAPI validators compare the default with the type)
        schema["default"] = {"integer": int, "boolean": lambda v: v in ("true", "1")}.get(p.type, str)(p.default)
    return {"name": p.name, "in": "query", "required": False, "description": p.help, "schema": schema}


def _operation(q: CannedQuery, lists: dict[str, set[str]]) -> dict:
    if q.form == "CONSTRUCT":
        content = {m: {"schema": {"type": "string"}} for m in (TURTLE.media_type, JSONLD.media_type, NTRIPLES.media_type)}
    else:
        content = {SRJ.media_type: {"schema": {"$ref": "#/components/schemas/SparqlResults"}},
                   **{m: {"schema": {"type": "string"}} for m in (SRX.media_type, CSV.media_type, TSV.media_type)}}
    return {"get": {
        "operationId": q.name.replace("-", "_"), "summary": q.title("en"),
        "description": f"{q.description('en')}\n\n{q.title('fr')} — {q.description('fr')}",
        "parameters": [_param(p, lists) for p in q.params] + [
            {"name": "format", "in": "query", "required": False, "description": "overrides the Accept header",
             "schema": {"type": "string", "enum": ["ttl", "jsonld", "nt", "rdf"] if q.form == "CONSTRUCT" else ["json", "xml", "csv", "tsv"]}}],
        "responses": {"200": {"description": "query results", "content": content},
                      "400": {"description": "a parameter has the wrong type or is not allowed",
                              "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}}},
                      "406": {"description": "no acceptable media type"},
                      "503": {"description": "the query ran past the time limit"}}}}


def openapi(queries: list[CannedQuery], lists: dict[str, set[str]], server: str) -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "kg92 canned queries", "version": "1",
                 "description": "Research queries over the kg92 knowledge graph; parameters are bound as typed RDF terms."},
        "servers": [{"url": server.rstrip("/")}],
        "paths": {f"/api/{q.name}": _operation(q, lists) for q in queries},
        "components": {"schemas": {
            "SparqlResults": {"type": "object", "properties": {"head": {"type": "object"}, "results": {"type": "object"},
                                                                "boolean": {"type": "boolean"}, "lang": {"type": "string", "enum": list(LANGS)}}},
            "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
                "status": {"type": "integer"}, "title": {"type": "string"}, "detail": {"type": "string"}}}}}}},
    }
