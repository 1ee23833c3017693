"""The content of a resource page (no routes): its triples (with the blank-node closure), values and rows with
labels, incoming links, the quote behind a statement with its context, and the sections a page shows for a scheme,
a question's answers or a statement; read from the store by pattern or by SPARQL with bound parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import current_app

from kg92 import urls
from kg92.namespaces import PREFIXES
from kg92.quotes import CONTEXT
from kg92.web.labels import Labels, slug
from kg92.web.matrix import GROUPS, POSITIONS, stance_matrix
from kg92.web.render import head, rows
from kg92.web.resources import contexts, resources

RDF, KG, OA = PREFIXES["rdf"], PREFIXES["kg"], PREFIXES["oa"]
TYPE = ox.NamedNode(RDF + "type")
FIRST = [RDF + "type", PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label", PREFIXES["dcterms"] + "title"]
INCOMING_CAP = 100
XSD_STRING = PREFIXES["xsd"] + "string"


@dataclass
class Value:
    kind: str                      # iri | literal | bnode
    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None
    rows: list[Row] = field(default_factory=list)


@dataclass
class Row:
    prop: Value
    values: list[Value]
    more: int = 0
    more_query: str = ""           # the editor query that lists them all


# ---------------------------------------------------------------- reading the store

def store() -> ox.Store:
    return resources(current_app).store


def objects(node, pred: str) -> list:
    return list(dict.fromkeys(q.object for q in store().quads_for_pattern(node, ox.NamedNode(pred), None, None)))


def exists(node) -> bool:
    s = store()
    return next(s.quads_for_pattern(node, None, None, None), None) is not None or \
        next(s.quads_for_pattern(None, None, node, None), None) is not None


def closure(node, depth: int = 0) -> list[ox.Triple]:
    """Outgoing triples of ``node`` and, recursively, of the blank nodes it points to."""
    found = {ox.Triple(q.subject, q.predicate, q.object) for q in store().quads_for_pattern(node, None, None, None)}
    for tr in list(found):
        if isinstance(tr.object, ox.BlankNode) and depth < 4:
            found.update(closure(tr.object, depth + 1))
    return list(found)


def describe(node) -> list[ox.Triple]:
    incoming = {ox.Triple(q.subject, q.predicate, q.object) for q in store().quads_for_pattern(None, None, node, None)
                if isinstance(q.subject, ox.NamedNode)}
    return sorted(set(closure(node)) | incoming, key=str)


def value(term, label: Labels, depth: int = 0) -> Value:
    if isinstance(term, ox.NamedNode):
        return Value("iri", label(term), urls.href(term.value), term.value)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else None
        return Value("literal", term.value, lang=term.language,
                     datatype=urls.curie(dt) if dt and dt != XSD_STRING and not term.language else None)
    return Value("bnode", "[ ]", rows=outgoing(term, label, depth + 1) if depth < 4 else [])


def prop_order(label: Labels):
    return lambda p: (FIRST.index(p.value) if p.value in FIRST else len(FIRST), label(p).casefold())


def outgoing(node, label: Labels, depth: int = 0) -> list[Row]:
    by_prop: dict = {}
    for q in store().quads_for_pattern(node, None, None, None):
        by_prop.setdefault(q.predicate, {})[q.object] = None
    return [Row(value(p, label), [value(o, label, depth) for o in sorted(by_prop[p], key=lambda o: label(o).casefold())])
            for p in sorted(by_prop, key=prop_order(label))]


# A property that links more than INCOMING_HUB resources to this one (at N=100, 38,700 statements are stated by the
# Département) is not read whole: its count comes from the store, and the page shows the first INCOMING_CAP of its
# resources in the store's order (sorted by label on the page), instead of the label of every one of them to keep
# the first hundred by label (sorting them by IRI in SPARQL costs as much: 3-5 s). No property of the real data comes
# near it (387 at most): its pages show the first INCOMING_CAP by label.
INCOMING_HUB = 1000
INCOMING_SIZES = "SELECT ?p (COUNT(?s) AS ?n) WHERE { ?s ?p ?this } GROUP BY ?p"   # links, not resources: a bound
INCOMING_COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?this FILTER (isIRI(?s)) }"


def incoming(node, label: Labels) -> list[Row]:
    found: dict = {}
    for r in rows(INCOMING_SIZES, this=node):
        p = r["p"]
        quads = (q.subject for q in store().quads_for_pattern(None, p, node, None) if isinstance(q.subject, ox.NamedNode))
        if int(r["n"].value) <= INCOMING_HUB:
            subjects = list(dict.fromkeys(quads))
            if subjects:
                found[p] = (sorted(subjects, key=lambda s: label(s).casefold())[:INCOMING_CAP], len(subjects))
        else:
            first: dict = {}
            for s in quads:
                first[s] = None
                if len(first) == INCOMING_CAP:
                    break
            total = int(rows(INCOMING_COUNT, this=node, p=p)[0]["n"].value)
            if total:     # a property whose links all come from blank nodes has no row (as below the threshold)
                found[p] = (sorted(first, key=lambda s: label(s).casefold()), total)
    return [Row(value(p, label), [value(s, label) for s in shown], total - len(shown),
                f"SELECT ?s WHERE {{ ?s <{p.value}> <{node.value}> }}")
            for p, (shown, total) in ((p, found[p]) for p in sorted(found, key=prop_order(label)))]


def context_before(prefix: str, start: int | None) -> str:
    """What a page shows of ``oa:prefix`` before a quote: whole words only, with "…" where the text goes on.

    The build keeps ``CONTEXT`` characters on each side (kg92.quotes), cut wherever they fall: a prefix that
    does not reach the start of the document (shorter than ``CONTEXT``, or ``start`` within it) begins inside a
    word or right after one, so its first word is dropped (a whole word may go too: the character before the
    cut is not in the store)."""
    if not prefix or len(prefix) < CONTEXT or (start is not None and start <= len(prefix)):
        return prefix
    cut = re.search(r"\s", prefix)
    rest = prefix[cut.start():].lstrip() if cut else ""
    return "…" + rest if rest else ""


def context_after(suffix: str) -> str:
    """What a page shows of ``oa:suffix`` after a quote: whole words only, with "…" where the text goes on (a
    suffix shorter than ``CONTEXT`` reaches the end of the document)."""
    if not suffix or len(suffix) < CONTEXT:
        return suffix
    spaces = [m.start() for m in re.finditer(r"\s", suffix)]
    rest = suffix[:spaces[-1]].rstrip() if spaces else ""
    return rest + "…" if rest else ""


def quote(node, label: Labels) -> dict | None:
    """The verbatim quote of an ``oa:SpecificResource``: exact text, its context (``before``, ``after``: the
    surrounding sentence from build/contexts.json, else oa:prefix/oa:suffix trimmed to whole words), document
    and offsets."""
    got: dict = {"iri": node.value, "href": urls.href(node.value)}
    for sel in objects(node, OA + "hasSelector"):
        for key in ("exact", "prefix", "suffix", "start", "end"):
            for v in objects(sel, OA + key)[:1]:
                got[key] = v.value
    if "exact" not in got:
        return None
    start = int(got["start"]) if str(got.get("start", "")).isdigit() else None
    sentence = contexts(current_app).get(node.value)
    if sentence:   # the surrounding sentence, computed by the build from the source text
        got["before"], got["after"], got["context"] = sentence[0], sentence[1], "sentence"
    else:          # the published context: oa:prefix/oa:suffix, trimmed to whole words
        got["before"], got["after"] = context_before(got.get("prefix", ""), start), context_after(got.get("suffix", ""))
        got["context"] = "selector"
    for doc in objects(node, OA + "hasSource")[:1]:
        files = objects(doc, PREFIXES["dcterms"] + "identifier")
        got.update(doc=doc.value, doc_href=urls.href(doc.value), doc_number=slug(doc), doc_title=label(doc),
                   file=files[0].value if files else "")
    return got


def evidence(node, label: Labels) -> list[dict]:
    found = [quote(q, label) for q in objects(node, KG + "evidence") if isinstance(q, ox.NamedNode)]
    if objects(node, OA + "hasSelector"):
        found.insert(0, quote(node, label))
    return [q for q in found if q]


# ---------------------------------------------------------------- what a scheme, group, question or ask page adds

KINDS = "VALUES ?kind { kg:Commitment kg:Claim kg:Forecast }"
STATEMENT_FIELDS = """OPTIONAL { ?s kg:stance ?stance } OPTIONAL { ?s kg:condition ?condition }
  OPTIONAL { ?s kg:evidence ?quote } OPTIONAL { ?actor a kg:CandidateGroup . BIND(true AS ?isGroup) }"""
ABOUT_SCHEME = f"""SELECT ?this ?s ?actor ?kind ?stance ?condition ?quote ?isGroup WHERE {{
  ?s kg:concerns ?this ; kg:statedBy ?actor ; a ?kind . {KINDS} {STATEMENT_FIELDS} }} ORDER BY ?actor ?s ?kind ?stance ?condition ?quote"""   # a total order: the first row of a statement is its entry
FIGURES = """SELECT ?this ?figure ?s ?value ?unit ?stated ?measure ?date ?start ?end ?quote WHERE {
  ?s kg:concerns ?this ; kg:figure ?figure . ?figure qudt:value ?value .
  OPTIONAL { ?figure qudt:hasUnit ?unit } OPTIONAL { ?figure kg:asStated ?stated } OPTIONAL { ?figure kg:measure ?measure }
  OPTIONAL { ?figure kg:refDate ?date }
  OPTIONAL { ?figure dcterms:temporal ?period . OPTIONAL { ?period dcat:startDate ?start } OPTIONAL { ?period dcat:endDate ?end } }
  OPTIONAL { ?figure kg:evidence ?quote } } ORDER BY ?date ?start ?figure"""
ANSWERS = """SELECT ?answer ?group ?question ?n ?quote WHERE {
  ?answer a kg:Answer ; kg:statedBy ?group ; kg:answers ?question .
  OPTIONAL { ?question kg:questionNumber ?n } OPTIONAL { ?answer kg:evidence ?quote } } ORDER BY ?n ?question ?group"""
ANSWER_STATEMENTS = f"""SELECT ?group ?question ?answer ?s ?actor ?kind ?stance ?condition ?quote ?isGroup WHERE {{
  ?answer a kg:Answer ; kg:statedBy ?group ; kg:answers ?question .
  ?s kg:partOfAnswer ?answer ; a ?kind . OPTIONAL {{ ?s kg:statedBy ?actor }} {KINDS} {STATEMENT_FIELDS} }} ORDER BY ?s"""


def statements(found: list[dict], label: Labels) -> list[dict]:
    """One entry per statement (the first row of each), with its kind, stance and quote."""
    out: dict = {}
    for r in found:
        if r["s"] not in out:
            out[r["s"]] = {**head(r["s"], label), "kind": r["kind"].value.rsplit("#", 1)[-1], "kind_label": label(r["kind"]),
                           "actor": r.get("actor"), "is_group": bool(r.get("isGroup")),
                           "stance": slug(r["stance"]) if r["stance"] else None,
                           "stance_label": label(r["stance"]) if r["stance"] else None,
                           "condition": r["condition"].value if r["condition"] else None,
                           "quote": quote(r["quote"], label) if r["quote"] else None, "answer": r.get("answer")}
    return list(out.values())


UNITS = {"CCY_EUR": " €", "PERCENT": " %", "NUM": ""}


def unit(term, label: Labels) -> str:
    if term is None:
        return ""
    short = term.value.rsplit("/", 1)[-1]
    return UNITS.get(short, " " + label(term))


def scheme_section(node, label: Labels) -> dict:
    by_actor: dict = {}
    for st in statements(rows(ABOUT_SCHEME, this=node), label):
        by_actor.setdefault(st["actor"], {**head(st["actor"], label), "anchor": "by-" + slug(st["actor"]),
                                          "is_group": st["is_group"], "statements": []})["statements"].append(st)
    figures: dict = {}
    for r in rows(FIGURES, this=node):
        if r["figure"] not in figures:
            figures[r["figure"]] = {**head(r["figure"], label), "value": r["value"].value, "statement": head(r["s"], label),
                                    "unit": unit(r["unit"], label), **{k: r[k].value if r[k] else None
                                                                       for k in ("stated", "measure", "date", "start", "end")},
                                    "quote": quote(r["quote"], label) if r["quote"] else None}
    actors = sorted(by_actor.values(), key=lambda a: (not a["is_group"], a["label"].casefold()))
    return {"kind": "scheme", "actors": actors, "figures": list(figures.values())}


def answers_section(label: Labels, **bind) -> list[dict]:
    """Answers (with their statements and the group's positions) by question, for a group or for a question."""
    by_answer = {}
    for st in statements(rows(ANSWER_STATEMENTS, "substitutions", **bind), label):   # measured: labels.select
        by_answer.setdefault(st["answer"], []).append(st)
    entries: dict = {}
    for r in rows(ANSWERS, "substitutions", **bind):
        e = entries.setdefault((r["question"], r["group"]), {"question": head(r["question"], label), "group": head(r["group"], label),
                                                             "number": r["n"].value if r["n"] else "", "answers": [], "positions": []})
        e["answers"].append({**head(r["answer"], label), "quote": quote(r["quote"], label) if r["quote"] else None,
                             "statements": by_answer.get(r["answer"], [])})
    for r in rows(POSITIONS, **bind):
        e = entries.setdefault((r["question"], r["group"]), {"question": head(r["question"], label), "group": head(r["group"], label),
                                                             "number": "", "answers": [], "positions": []})
        e["positions"].append({**head(r["position"], label), "ask": head(r["ask"], label),
                               "stance": slug(r["stance"]) if r["stance"] else "", "stance_label": label(r["stance"]) if r["stance"] else "",
                               "condition": r["condition"].value if r["condition"] else None})
    return list(entries.values())


def section(node, types: set[str], label: Labels) -> dict | None:
    if KG + "Scheme" in types:
        return scheme_section(node, label)
    if KG + "CandidateGroup" in types:
        return {"kind": "group", "entries": answers_section(label, group=node)}
    if KG + "Question" in types:
        groups = [head(r["group"], label) for r in rows(GROUPS)]
        entries = {e["group"]["iri"]: e for e in answers_section(label, question=node)}
        return {"kind": "question", "groups": groups, "entries": entries, "matrix": stance_matrix(label, question=node)}
    if KG + "Ask" in types:
        return {"kind": "ask", "matrix": stance_matrix(label, ask=node)}
    return None


# ---------------------------------------------------------------- views
