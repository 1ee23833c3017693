"""IRI ↔ URL mapping and format suffixes, in one place.

Every IRI under the base ``https://w3id.org/kg92/`` has a local path on this server:

=====================================  ==========================
IRI                                    local path
=====================================  ==========================
``https://w3id.org/kg92/id/{t}/{s}``   ``/id/{t}/{s}``
``https://w3id.org/kg92/graph/{g}``    ``/graph/{g}``
``https://w3id.org/kg92/def#{Term}``   ``/def#{Term}`` (303 → ``/ontology#{Term}``)
``https://w3id.org/kg92/def``          ``/def``
=====================================  ==========================

A page has one twin per RDF serialisation, by suffix (``/id/scheme/rsa.ttl``) or by ``Accept``.
"""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox

from kg92 import formats
from kg92.namespaces import BASE, DEF, GRAPH, ID, PREFIXES

# a page's representations, from the one format registry (kg92.formats.PAGE: HTML, then its RDF twins)
HTML = formats.HTML
# media type → pyoxigraph serialisation, for resource descriptions
RDF_FORMATS: dict[str, ox.RdfFormat] = {f.media_type: f.writer for f in formats.PAGE if f.writer is not None}
# suffix → media type (the suffix wins over Accept)
SUFFIXES: dict[str, str] = {f.key: f.media_type for f in formats.PAGE}
SUFFIX_OF = {media: suffix for suffix, media in SUFFIXES.items()}


def split_suffix(rest: str) -> tuple[str, str | None]:
    """``scheme/rsa.ttl`` → (``scheme/rsa``, ``ttl``); slugs never contain dots, so a dot starts a suffix."""
    head, dot, tail = rest.rpartition(".")
    if dot and "/" not in tail and tail in SUFFIXES:
        return head, tail
    return rest, None


def iri_for(kind: str, rest: str) -> str:
    """The IRI of a local path: ``iri_for("id", "scheme/rsa")`` → ``https://w3id.org/kg92/id/scheme/rsa``."""
    return {"id": ID, "graph": GRAPH}[kind] + rest


def local_path(iri: str) -> str | None:
    """The path on this server of an IRI under the base, or None for any other IRI."""
    for prefix, path in ((ID, "/id/"), (GRAPH, "/graph/")):
        if iri.startswith(prefix) and len(iri) > len(prefix):
            return path + quote(iri[len(prefix):], safe="/-_~!$&'()*+,;=:@")
    if iri.startswith(DEF):
        return "/def#" + iri[len(DEF):]
    if iri in (BASE + "def", BASE):
        return "/def" if iri.endswith("def") else "/"
    return None


WILDCARD_HOSTS = {"0.0.0.0", "::", ""}


def public_base(settings) -> str:
    """This server's base URL without the final slash: the ``public_url`` setting, else ``http://host:port``
    (loopback for a wildcard bind address). Never the request's Host: see ``trust_host_header``."""
    if settings["public_url"]:
        return str(settings["public_url"]).rstrip("/")
    host = "127.0.0.1" if settings["host"] in WILDCARD_HOSTS else str(settings["host"])
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{settings['port']}"


LINKABLE = ("http://", "https://")   # the only schemes a page ever links to (never javascript:, data:, urn:…)


def href(iri: str, suffix: str | None = None) -> str | None:
    """Where a link to ``iri`` goes: its local page (with an optional format suffix), the IRI itself for other
    http(s) IRIs, or None for any other scheme (``urn:``, ``mailto:``, ``javascript:``…): shown as text, never linked."""
    path = local_path(iri)
    if path is None:
        return iri if iri.startswith(LINKABLE) else None
    if suffix and "#" not in path and path.startswith(("/id/", "/graph/")):
        return f"{path}.{suffix}"
    return path


def twins(path: str) -> list[tuple[str, str, str]]:
    """(suffix, media type, url) of every RDF twin of a page path."""
    return [(s, m, f"{path}.{s}") for s, m in SUFFIXES.items() if m != HTML]


def curie(iri: str) -> str:
    """``http://www.w3.org/2004/02/skos/core#prefLabel`` → ``skos:prefLabel``; ``id/…`` IRIs keep their path."""
    if iri.startswith(ID):
        return iri[len(ID):]
    best = max(((p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns)), key=lambda x: len(x[1]), default=None)
    if best and iri[len(best[1]):] and "/" not in iri[len(best[1]):]:
        return f"{best[0]}:{iri[len(best[1]):]}"
    return iri
