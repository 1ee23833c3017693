"""Blueprint: home, query editor, comparison views, search and the validation report; i18n and label helpers.

Interface text is French, English on request (``?lang=en``, remembered in a cookie, else ``Accept-Language``).
Labels are shown in the chosen language when the graph has one, else in French.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
)

from kg92 import urls
from kg92.build import assets
from kg92.errors import not_found
from kg92.namespaces import ID, PREFIXES, sparql_prologue
from kg92.web import http
from kg92.web.resources import resources

bp = Blueprint("ui", __name__)
LANGS = ("fr", "en")
MESSAGES: dict[str, dict[str, str]] = json.loads((Path(__file__).parent.parent / "templates" / "messages.json").read_text("utf-8"))
SKOS, RDFS, OA, KG = PREFIXES["skos"], PREFIXES["rdfs"], PREFIXES["oa"], PREFIXES["kg"]
LABEL_PREDICATES = [ox.NamedNode(SKOS + "prefLabel"), ox.NamedNode(RDFS + "label"), ox.NamedNode(PREFIXES["schema"] + "name"),
                    ox.NamedNode(PREFIXES["dcterms"] + "title"), ox.NamedNode(PREFIXES["foaf"] + "name")]
EVIDENCE = ox.NamedNode(PREFIXES["kg"] + "evidence")
SEARCHED = "skos:prefLabel|skos:altLabel|rdfs:label|schema:name|dcterms:title|kg:acronym"


# ---------------------------------------------------------------- i18n

def pick_lang() -> str:
    asked = request.args.get("lang") or request.cookies.get("lang")
    return asked if asked in LANGS else request.accept_languages.best_match(LANGS, default="fr")


def t(key: str) -> str:
    entry = MESSAGES.get(key)
    return entry[g.get("lang", "fr")] if entry else key


def lang_url(lang: str) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + "?" + urlencode([*args, ("lang", lang)])


@bp.before_app_request
def _set_lang() -> None:
    g.lang = pick_lang()


@bp.after_app_request
def _remember_lang(resp: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LANGS and request.cookies.get("lang") != asked:
        resp.set_cookie("lang", asked, max_age=365 * 86400, samesite="Lax")
    if resp.status_code == 200 and resp.mimetype == "text/html":
        # every HTML page is in the language picked above (base.html): say so to caches, whichever blueprint made it
        resp.headers.setdefault("Content-Language", g.get("lang", "fr"))
        resp.vary.add("Accept-Language")
        resp.vary.add("Cookie")
        etag = resp.headers.get("ETag")
        if etag and etag.endswith('"') and not etag.endswith(f'-{g.get("lang", "fr")}"'):
            resp.headers["ETag"] = etag[:-1] + f'-{g.get("lang", "fr")}"'   # one tag per language version
    return resp


@bp.app_context_processor
def _template_globals() -> dict:
    lang = g.get("lang", "fr")
    other = "en" if lang == "fr" else "fr"
    return {"t": t, "lang": lang, "other_lang": other, "other_lang_url": lang_url(other), "href": urls.href, "curie": urls.curie}


@bp.app_template_filter("number")
def number(text: str, lang: str = "fr") -> str:
    """``314000000`` → ``314 000 000`` (fr, narrow no-break spaces) or ``314,000,000`` (en); other text unchanged."""
    try:
        n = float(text)
    except (TypeError, ValueError):
        return text
    shown = f"{n:,.0f}" if n == int(n) else f"{n:,}"
    return shown.replace(",", "\u202f").replace(".", ",") if lang == "fr" else shown


def page(template: str, status: int = 200, **ctx) -> Response:
    resp = make_response(render_template(template, **ctx), status)
    resp.headers["Content-Language"] = g.lang
    resp.vary.update(("Accept", "Accept-Language", "Cookie"))
    return resp


# ---------------------------------------------------------------- labels and queries

class Labels:
    """Readable labels of graph terms in one language, memoised for one request."""

    def __init__(self, store: ox.Store, lang: str):
        self.store, self.lang, self.memo = store, lang, {}

    def pick(self, literals: list[ox.Literal]) -> ox.Literal | None:
        for want in (self.lang, "fr", None):
            for lit in literals:
                if lit.language == want:
                    return lit
        return literals[0] if literals else None

    def values(self, node, pred: str) -> list:
        return [q.object for q in self.store.quads_for_pattern(node, ox.NamedNode(pred), None, None)]

    def __call__(self, term) -> str:
        if isinstance(term, ox.Literal):
            return term.value
        if term not in self.memo:
            self.memo[term] = self._compute(term)
        return self.memo[term]

    def name(self, term) -> str | None:
        """The label of ``term`` from its label properties (skos:prefLabel, rdfs:label…) in the chosen language,
        else French, else any; None when it has none (no fallback to a quote or a CURIE)."""
        if isinstance(term, str):
            try:
                term = ox.NamedNode(term)
            except ValueError:
                return None
        if ("name", term) not in self.memo:
            self.memo["name", term] = next((self.pick(lits).value for lits in (
                [q.object for q in self.store.quads_for_pattern(term, pred, None, None) if isinstance(q.object, ox.Literal)]
                for pred in LABEL_PREDICATES) if lits), None)
        return self.memo["name", term]

    def _compute(self, term) -> str:
        named = self.name(term)
        if named is not None:
            return named
        stated = self.values(term, KG + "asStated")
        if stated:
            return stated[0].value
        for sel in self.values(term, OA + "hasSelector"):
            exact = self.values(sel, OA + "exact")
            if exact:
                text = exact[0].value
                return "« " + (text if len(text) <= 90 else text[:88].rstrip() + "…") + " »"
        return urls.curie(term.value) if isinstance(term, ox.NamedNode) else "[ ]"


def labels() -> Labels:
    return Labels(resources(current_app).store, g.get("lang", "fr"))


def rows(query: str, **bind) -> list[dict]:
    """Solutions of a SELECT as dicts; ``bind`` values (IRIs as str, or terms) are substituted, never spliced.
    pyoxigraph substitutes only projected variables: every bound variable must be in the SELECT clause."""
    subs = {ox.Variable(k): (v if not isinstance(v, str) else ox.NamedNode(v)) for k, v in bind.items()}
    result = resources(current_app).store.query(sparql_prologue() + query, substitutions=subs, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: sol[n] for n in names} for sol in result]


def slug(iri) -> str:
    return str(iri.value if hasattr(iri, "value") else iri).rstrip("/").rsplit("/", 1)[-1]


# ---------------------------------------------------------------- home and editor

STATS = """SELECT * WHERE {
  { SELECT (COUNT(DISTINCT ?a) AS ?actors) WHERE { ?a a kg:Actor } }
  { SELECT (COUNT(DISTINCT ?g) AS ?groups) WHERE { ?g a kg:CandidateGroup } }
  { SELECT (COUNT(DISTINCT ?s) AS ?schemes) WHERE { ?s a kg:Scheme } }
  { SELECT (COUNT(DISTINCT ?c) AS ?commitments) WHERE { ?c a kg:Commitment } }
  { SELECT (COUNT(DISTINCT ?st) AS ?statements) WHERE { ?st a kg:Statement } }
  { SELECT (COUNT(DISTINCT ?q) AS ?quotes) WHERE { ?q a oa:SpecificResource } } }"""
DOCUMENTS = """SELECT ?doc ?file (COUNT(DISTINCT ?q) AS ?quotes) WHERE {
  ?doc a kg:SourceDocument ; dcterms:identifier ?file . OPTIONAL { ?q oa:hasSource ?doc } } GROUP BY ?doc ?file ORDER BY ?doc"""
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


RDF_MEDIA = list(urls.RDF_FORMATS)     # Turtle, JSON-LD, N-Triples, RDF/XML


@bp.get("/")
def home() -> Response:
    accept = request.accept_mimetypes
    if accept and accept.best_match([urls.HTML, *RDF_MEDIA]) in RDF_MEDIA:
        # a linked-data client asking the site's root for RDF: the dataset's description (VoID), in its formats
        resp = redirect("/.well-known/void", 303)
        resp.vary.add("Accept")
        return resp
    res = resources(current_app)
    stats = {k: int(v.value) for k, v in rows(STATS)[0].items()}
    stats["triples"] = res.build.manifest.get("triples", 0)
    return page("home.html", stats=stats, documents=rows(DOCUMENTS), label=labels(), manifest=res.build.manifest)


def used_prologue(body: str) -> str:
    """The PREFIX lines of the project's prefixes that ``body`` uses (an example stays readable)."""
    lines = [line for line in sparql_prologue().splitlines()
             if (m := re.match(r"PREFIX\s+([\w-]*):", line)) and re.search(rf"(^|[^\w<#/-]){re.escape(m[1])}:", body)]
    return "\n".join(lines) + "\n\n" if lines else ""


def editor_examples() -> tuple[list[dict], list[dict]]:
    """The starter examples and the gallery of canned queries, each with ``query`` (the text the editor runs, None
    when the query can only run server-side) and ``href`` (where its link goes without JavaScript)."""
    from kg92.web.canned import gallery
    starters = []
    for ex in EXAMPLES:   # their labels in the interface language (the examples are ours, written with "fr")
        sparql = ex["sparql"].replace('LANG(?title) = "fr"', f'LANG(?title) = "{g.lang}"').replace(
            'LANG(?label) = "fr"', f'LANG(?label) = "{g.lang}"')
        text = used_prologue(sparql) + sparql + "\n"
        starters.append({**ex, "sparql": sparql, "query": text, "href": "/editor?" + urlencode({"query": text})})
    canned = [{"name": q["name"], "title": q["title"], "description": q["description"], "query": q["example_sparql"],
               "href": q["example_url"]} for q in gallery()]
    return starters, canned


@bp.get("/editor")
def editor() -> Response:
    res = resources(current_app)
    starters, canned = editor_examples()
    config = {"endpoint": "/sparql", "prefixes": {**PREFIXES, "id": ID}, "base": urls.BASE, "examples": starters,
              "gallery": canned, "prologue": sparql_prologue(),
              "default": sparql_prologue() + "\n" + EXAMPLES[0]["sparql"] + "\n", "lang": g.lang}
    return page("editor.html", yasgui=assets.installed(res.build.path), config=config,
                query=request.args.get("query") or config["default"])


@bp.get("/ui/<path:name>")
def ui_asset(name: str) -> Response:
    return send_from_directory(assets.ui_dir(resources(current_app).build.path), name, max_age=86400)


# ---------------------------------------------------------------- comparison views

GROUPS = "SELECT ?group WHERE { ?group a kg:CandidateGroup . OPTIONAL { ?group dcterms:source ?doc } } ORDER BY ?doc ?group"
ASKS = """SELECT ?ask ?question ?n WHERE { ?ask a kg:Ask ; kg:inQuestion ?question .
  OPTIONAL { ?question kg:questionNumber ?n } } ORDER BY ?n ?ask"""
POSITIONS = """SELECT ?position ?group ?ask ?question ?stance ?condition ?quote WHERE {
  ?position a kg:Position ; kg:heldBy ?group ; kg:onAsk ?ask . ?ask kg:inQuestion ?question .
  OPTIONAL { ?position kg:stance ?stance } OPTIONAL { ?position kg:condition ?condition }
  OPTIONAL { ?position kg:evidence ?quote } } ORDER BY ?ask ?group ?position"""
CITATIONS = """SELECT ?scheme ?group (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?group a kg:CandidateGroup . ?s kg:statedBy ?group ; kg:concerns ?scheme . ?scheme a kg:Scheme .
} GROUP BY ?scheme ?group ORDER BY ?scheme ?group"""


@dataclass
class Matrix:
    """Rows × columns of cells (lists of dicts); heads are dicts with iri, label, href."""
    kind: str
    rows: list[dict]
    columns: list[dict]
    cells: dict[tuple[str, str], list[dict]] = field(default_factory=dict)

    def to_json(self) -> dict:
        cells = [{"row": r, "column": c, **cell} for (r, c), items in self.cells.items() for cell in items]
        strip = [{k: v for k, v in h.items() if k != "href"} for h in self.rows]
        return {"kind": self.kind, "rows": strip, "columns": [{k: v for k, v in h.items() if k != "href"} for h in self.columns],
                "cells": [{k: v for k, v in c.items() if k != "href"} for c in cells]}

    def to_csv(self, key: str) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\r\n")
        w.writerow([self.kind, "label", *[c["iri"] for c in self.columns]])
        for r in self.rows:
            w.writerow([r["iri"], r["label"], *[" ".join(str(x[key]) for x in self.cells.get((r["iri"], c["iri"]), []))
                                                  for c in self.columns]])
        return out.getvalue()


def head(term, label: Labels, **extra) -> dict:
    return {"iri": term.value, "label": label(term), "href": urls.href(term.value), **extra}


def stance_matrix(label: Labels, **bind) -> Matrix:
    """Asks × candidate groups; ``bind`` narrows to one ``question`` or one ``ask``."""
    groups = [head(r["group"], label) for r in rows(GROUPS)]
    asks = [head(r["ask"], label, question=r["question"].value, question_label=label(r["question"]),
                 number=int(r["n"].value) if r["n"] else None) for r in rows(ASKS, **bind)]
    m = Matrix("ask", asks, groups)
    for r in rows(POSITIONS, **bind):
        stance = r["stance"]
        m.cells.setdefault((r["ask"].value, r["group"].value), []).append({
            "position": r["position"].value, "href": urls.href(r["position"].value),
            "stance": slug(stance) if stance else "", "stance_label": label(stance) if stance else "",
            "condition": r["condition"].value if r["condition"] else None,
            "evidence": r["quote"].value if r["quote"] else None})
    return m


def citation_matrix(label: Labels) -> Matrix:
    found = rows(CITATIONS)
    groups = [head(r["group"], label) for r in rows(GROUPS)]
    schemes = sorted({r["scheme"] for r in found}, key=lambda s: label(s).casefold())
    m = Matrix("scheme", [head(s, label) for s in schemes], groups)
    for r in found:
        m.cells[(r["scheme"].value, r["group"].value)] = [{
            "statements": int(r["n"].value), "href": urls.href(r["scheme"].value) + "#by-" + slug(r["group"])}]
    return m


def table_response(build, template: str, suffix: str | None) -> Response:
    media = http.negotiate("table", suffix).media_type      # no Accept header: the HTML page
    m = build(labels())
    if media == "application/json":
        resp = jsonify(m.to_json())
    elif media == "text/csv":
        resp = Response(m.to_csv("stance" if m.kind == "ask" else "statements"), content_type="text/csv; charset=utf-8")
    else:
        return page(template, m=m)
    resp.vary.update(("Accept", "Accept-Language", "Cookie"))
    return resp


@bp.get("/compare/stances", defaults={"suffix": None})
@bp.get("/compare/stances.<suffix>")
def stances(suffix: str | None) -> Response:
    return table_response(stance_matrix, "stances.html", suffix)


@bp.get("/compare/citations", defaults={"suffix": None})
@bp.get("/compare/citations.<suffix>")
def citations(suffix: str | None) -> Response:
    return table_response(citation_matrix, "citations.html", suffix)


# ---------------------------------------------------------------- search

FOLD = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'", "‘": "'", "\xa0": " ", "\u202f": " "})


def fold(text: str) -> tuple[str, list[int]]:
    """Accent- and case-folded text, with the index in ``text`` of every folded character."""
    out, where = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKD", ch.translate(FOLD)):
            if not unicodedata.combining(c):
                out.append(c.casefold())
                where.append(i)
    return "".join(out), where


def search_index() -> list[tuple[str, str, str, str, list[int]]]:
    """(iri, kind, text, folded, positions) of every label and quote; built once per application."""
    cache = current_app.extensions.setdefault("kg92.ui", {})
    if "search" not in cache:
        found = rows(f"""SELECT DISTINCT ?s ?text ?kind WHERE {{
          {{ ?s {SEARCHED} ?text . FILTER(isIRI(?s)) BIND("label" AS ?kind) }}
          UNION {{ ?s oa:hasSelector/oa:exact ?text . BIND("quote" AS ?kind) }} }}""")
        cache["search"] = [(r["s"].value, r["kind"].value, r["text"].value, *fold(r["text"].value)) for r in found]
    return cache["search"]


def search(q: str, label: Labels, limit: int = 50) -> list[dict]:
    words = fold(q)[0].split()
    if not words:
        return []
    hits = []
    for iri, kind, text, folded, where in search_index():
        if all(w in folded for w in words):
            at = folded.find(words[0])
            start, end = where[at], where[at + len(words[0]) - 1] + 1
            lo, hi = max(0, start - 80), min(len(text), end + 80)
            rank = (kind != "label", not folded.startswith(words[0]), len(text))
            cited_by = [q.subject for q in label.store.quads_for_pattern(None, EVIDENCE, ox.NamedNode(iri), None)] if kind == "quote" else []
            hits.append((rank, {"iri": iri, "href": urls.href(iri), "kind": kind, "label": label(ox.NamedNode(iri)),
                                "cited_by": [head(s, label) for s in dict.fromkeys(cited_by)][:5],
                                "before": ("…" if lo else "") + text[lo:start], "match": text[start:end],
                                "after": text[end:hi] + ("…" if hi < len(text) else "")}))
    hits.sort(key=lambda h: h[0])
    seen, out = set(), []
    for _, hit in hits:
        if (hit["iri"], hit["kind"]) not in seen:
            seen.add((hit["iri"], hit["kind"]))
            out.append(hit)
    return out[:limit]


@bp.get("/search", defaults={"suffix": None})
@bp.get("/search.<suffix>")
def search_page(suffix: str | None) -> Response:
    q = request.args.get("q", "").strip()[:200]
    if urls.local_path(q) and suffix is None:      # a full IRI of the graph: straight to its page
        return redirect(urls.local_path(q), 303)
    hits = search(q, labels())
    if suffix == "json":
        return jsonify(q=q, hits=[{**{k: v for k, v in h.items() if k != "href"}, "cited_by": [c["iri"] for c in h["cited_by"]]}
                                  for h in hits])
    if suffix is not None:
        raise not_found(f"/search.{suffix}: only /search and /search.json exist")
    return page("search.html", q=q, hits=hits)


# ---------------------------------------------------------------- validation report

@bp.get("/validation", defaults={"suffix": None})
@bp.get("/validation.<suffix>")
def validation(suffix: str | None) -> Response:
    build = resources(current_app).build
    files = {"json": "validation.json", "ttl": "validation.ttl", "txt": "validation.txt" if g.lang == "en" else "validation.fr.txt"}
    if suffix is not None:
        if suffix not in files or not (build.path / files[suffix]).is_file():
            raise not_found(f"/validation.{suffix}: the build has " + ", ".join(f"/validation.{s}" for s in files))
        return send_from_directory(build.path, files[suffix], max_age=0)
    report = json.loads((build.path / "validation.json").read_text("utf-8")) if (build.path / "validation.json").is_file() else {}
    results = [{**r, "file": r.get("file") or "", "message": r.get(f"message_{g.lang}") or r.get("message_fr") or r.get("message", "")}
               for r in report.get("results", [])]
    return page("validation.html", results=results, counts=report.get("counts") or build.manifest.get("validation") or {},
                conforms=report.get("conforms", build.manifest.get("conforms")), manifest=build.manifest,
                sources_checked=report.get("sources_checked", build.manifest.get("sources_checked")))
