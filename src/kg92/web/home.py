"""Blueprint: the home page / (figures, each linked to its browse page; the source documents); a linked-data client asking / for RDF is sent to
the dataset's VoID description."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect

from kg92.formats import HTML
from kg92.web.http import negotiate, vary
from kg92.web.render import labels, page, rows
from kg92.web.resources import resources

bp = Blueprint("home", __name__)
STATS = """SELECT * WHERE {
  { SELECT (COUNT(DISTINCT ?a) AS ?actors) WHERE { ?a a kg:Actor } }
  { SELECT (COUNT(DISTINCT ?g) AS ?groups) WHERE { ?g a kg:CandidateGroup } }
  { SELECT (COUNT(DISTINCT ?s) AS ?schemes) WHERE { ?s a kg:Scheme } }
  { SELECT (COUNT(DISTINCT ?c) AS ?commitments) WHERE { ?c a kg:Commitment } }
  { SELECT (COUNT(DISTINCT ?st) AS ?statements) WHERE { ?st a kg:Statement } }
  { SELECT (COUNT(DISTINCT ?q) AS ?quotes) WHERE { ?q a oa:SpecificResource } } }"""
DOCUMENTS = """SELECT ?doc ?file (COUNT(DISTINCT ?q) AS ?quotes) WHERE {
  ?doc a kg:SourceDocument ; dcterms:identifier ?file . OPTIONAL { ?q oa:hasSource ?doc } } GROUP BY ?doc ?file ORDER BY ?doc"""
# the browse page (web/browse.py) of each figure's resources: the tile links to it
TILES = {"actors": "/id/actor/", "groups": "/id/group/", "schemes": "/id/scheme/", "statements": "/id/statement/",
         "commitments": "/id/statement/?type=kg:Commitment", "quotes": "/id/quote/"}


@bp.get("/")
def home() -> Response:
    if negotiate("page").media_type != HTML:
        # a linked-data client asking the site's root for RDF: the dataset's description (VoID), in its formats
        return vary(redirect("/.well-known/void", 303), "Accept")
    res = resources(current_app)
    stats = {k: int(v.value) for k, v in rows(STATS)[0].items()}
    stats["triples"] = res.build.manifest.get("triples", 0)
    return page("home.html", stats=stats, tiles=TILES, documents=rows(DOCUMENTS), label=labels(), manifest=res.build.manifest)
