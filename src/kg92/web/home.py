"""Blueprint: the home page / (figures, each linked to its browse page; the source documents); a linked-data client asking / for RDF is sent to
the dataset's VoID description."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect

from kg92.formats import HTML
from kg92.web.http import negotiate, vary
from kg92.web.render import labels, page, summary_rows
from kg92.web.resources import resources

bp = Blueprint("home", __name__)
# the browse page (web/browse.py) of each figure's resources: the tile links to it
TILES = {"actors": "/id/actor/", "groups": "/id/group/", "schemes": "/id/scheme/", "statements": "/id/statement/",
         "commitments": "/id/statement/?type=kg:Commitment", "quotes": "/id/quote/"}


@bp.get("/")
def home() -> Response:
    if negotiate("page").media_type != HTML:
        # a linked-data client asking the site's root for RDF: the dataset's description (VoID), in its formats
        return vary(redirect("/.well-known/void", 303), "Accept")
    res = resources(current_app)
    stats = {k: int(v.value) for k, v in summary_rows("home-stats")[0].items()}   # build/summaries.py
    stats["triples"] = res.build.manifest.get("triples", 0)
    return page("home.html", stats=stats, tiles=TILES, documents=summary_rows("home-documents"), label=labels(), manifest=res.build.manifest)
