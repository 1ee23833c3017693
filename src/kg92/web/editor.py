"""Blueprint: the SPARQL query editor /editor (YASGUI when the build installed it, else a plain form), its starter
examples and gallery of canned queries, the embeddable result view /editor/embed, and YASGUI's files under /ui/.

Share links carry the query once, as ``?q=`` without the PREFIX lines of the project's prefixes (the page puts back
those the query uses: :func:`shared_query`), and never an endpoint. ``?query=`` (the whole text) is still read."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, request, send_from_directory

from kg92 import urls
from kg92.build import assets
from kg92.errors import bad_request
from kg92.namespaces import ID, PREFIXES, sparql_prologue
from kg92.web.canned import gallery
from kg92.web.headers import EDITOR_CSP
from kg92.web.render import page
from kg92.web.resources import resources

bp = Blueprint("editor", __name__)
VIEW_NAMES = {"chart": {"fr": "Diagramme", "en": "Chart"}, "timeline": {"fr": "Frise", "en": "Timeline"},
              "graph": {"fr": "Graphe", "en": "Graph"}}
EXAMPLES = [  # starter queries of the editor, over the shared files (the canned queries come from /queries.json)
    {"name": "documents", "title": {"fr": "Les cinq documents sources", "en": "The five source documents"},
     "sparql": "SELECT ?document ?file ?title WHERE {\n  ?document a kg:SourceDocument ;\n    dcterms:identifier ?file ;\n"
               "    dcterms:title ?title .\n  FILTER(LANG(?title) = \"fr\")\n}\nORDER BY ?document"},
    {"name": "questions", "title": {"fr": "Les questions du questionnaire CCF92", "en": "The questions of the CCF92 questionnaire"},
     "sparql": "SELECT ?question ?number ?label WHERE {\n  ?question a kg:Question ;\n    kg:questionNumber ?number ;\n"
               "    rdfs:label ?label .\n  FILTER(LANG(?label) = \"fr\")\n}\nORDER BY ?number"},
    {"name": "stances", "title": {"fr": "Positions des groupes sur les demandes", "en": "Positions of the groups on the asks"},
     "sparql": "SELECT ?group ?ask ?stance ?quote WHERE {\n  ?position a kg:Position ;\n    kg:heldBy ?group ;\n"
               "    kg:onAsk ?ask ;\n    kg:stance ?stance .\n  OPTIONAL { ?position kg:evidence ?quote }\n}\nORDER BY ?ask ?group"},
]


def used_prologue(body: str) -> str:
    """The PREFIX lines of the project's prefixes that ``body`` uses and does not declare itself (an example stays
    readable; a shared query gets back the lines its link left out)."""
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", body))
    lines = [line for line in sparql_prologue().splitlines()
             if (m := re.match(r"PREFIX\s+([\w-]*):", line)) and m[1] not in declared
             and re.search(rf"(^|[^\w<#/-]){re.escape(m[1])}:", body)]
    return "\n".join(lines) + "\n\n" if lines else ""


def editor_examples() -> tuple[list[dict], list[dict]]:
    """The starter examples and the gallery of canned queries, each with ``query`` (the text the editor runs, None
    when the query can only run server-side) and ``href`` (where its link goes without JavaScript)."""
    starters = []
    for ex in EXAMPLES:   # their labels in the interface language (the examples are ours, written with "fr")
        sparql = ex["sparql"].replace('LANG(?title) = "fr"', f'LANG(?title) = "{g.lang}"').replace(
            'LANG(?label) = "fr"', f'LANG(?label) = "{g.lang}"')
        text = used_prologue(sparql) + sparql + "\n"
        starters.append({**ex, "sparql": sparql, "query": text, "href": "/editor?" + urlencode({"query": text})})
    canned = [{"name": q["name"], "title": q["title"], "description": q["description"], "query": q["example_sparql"],
               "href": q["example_url"]} for q in gallery()]
    return starters, canned


def shared_query() -> str | None:
    """The query of a share link: ``?q=`` (its body, the project's PREFIX lines left out) with the PREFIX lines of
    the project's prefixes it uses put back in front, else ``?query=`` as written; None without either."""
    body = request.args.get("q")
    if body and body.strip():
        return used_prologue(body) + body
    return request.args.get("query") or None


def view_config() -> dict:
    """What the result views need, in the editor and in the embedded view: endpoint, prefixes, language, the
    names of the views, and whether the build carries Chart.js (the chart and timeline views)."""
    res = resources(current_app)
    return {"endpoint": "/sparql", "prefixes": {**PREFIXES, "id": ID}, "base": urls.BASE, "lang": g.lang,
            "charts": assets.charts(res.build.path), "shared": shared_query(),
            "viewNames": {k: v[g.lang] for k, v in VIEW_NAMES.items()}}


@bp.get("/editor")
def editor() -> Response:
    res = resources(current_app)
    starters, canned = editor_examples()
    config = {**view_config(), "examples": starters, "gallery": canned, "prologue": sparql_prologue(),
              "default": sparql_prologue() + "\n" + EXAMPLES[0]["sparql"] + "\n"}
    return page("editor.html", yasgui=assets.installed(res.build.path), config=config,
                query=shared_query() or config["default"])


@bp.get("/editor/embed")
def embed() -> Response:
    """The result view of a query alone (for an iframe): ``?q=`` or ``?query=`` as in a share link, ``view=``
    (table, chart, timeline, graph; else the view the columns fit). Other sites may frame it."""
    query = shared_query()
    if query is None:
        raise bad_request("give the query as q= (or query=), as in the editor's share link")
    config = {**view_config(), "view": request.args.get("view", "")}
    source = "/editor?" + urlencode({k: request.args[k] for k in ("q", "query") if k in request.args})
    resp = page("embed.html", yasgui=assets.installed(resources(current_app).build.path), config=config, source=source)
    resp.headers["Content-Security-Policy"] = EDITOR_CSP.replace("frame-ancestors 'none'", "frame-ancestors *")
    return resp


@bp.get("/ui/<path:name>")
def ui_asset(name: str) -> Response:
    return send_from_directory(assets.ui_dir(resources(current_app).build.path), name, max_age=86400)
