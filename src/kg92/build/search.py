"""The search index: every label and every quote of the graph, accent- and case-folded, with the facets /search
shows (type, candidate group, document). ``kg92 build`` writes it into the release as ``search.json`` (listed in
the manifest as ``search_index``: file, entries, SHA-256); the server loads it once at start-up (``load``) and,
for a release written before the file existed, computes it from the store at start-up (``compute``), never in a
request.

One entry per (subject, text): ``kind`` is ``label`` (skos:prefLabel, skos:altLabel, rdfs:label, schema:name,
dcterms:title, kg:acronym of an IRI) or ``quote`` (the ``oa:exact`` of a quote); ``type`` names the subject's class
(``quote`` for a quote; the kg: class, kg:Statement for commitments/claims/forecasts and kg:CandidateGroup before
kg:Actor; ``term`` for an OWL term of the ontology; ``other``); ``documents`` are the source documents the entry
comes from (a quote's oa:hasSource, an answer's kg:inDocument, the sources of a subject's kg:evidence) and
``groups`` the candidate groups that wrote them (dcterms:creator). The file is columnar JSON: the strings of the
document and group IRIs once, entries refer to them by index.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kg92.namespaces import PREFIXES, sparql_prologue

FILE = "search.json"
VERSION = 1
KG, OWL = PREFIXES["kg"], PREFIXES["owl"]
SEARCHED = "skos:prefLabel|skos:altLabel|rdfs:label|schema:name|dcterms:title|kg:acronym"
PREFERRED = (KG + "Statement", KG + "CandidateGroup")   # the class named when a subject has several kg: classes
FOLD = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'", "‘": "'"})
TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_SPACES = re.compile(r"\s+")
QUERIES = {   # each SELECT gives (subject, value) pairs; the union of the graphs, as the pages read them
    "label": f"SELECT ?s ?v WHERE {{ ?s {SEARCHED} ?v . FILTER(isIRI(?s) && isLiteral(?v)) }}",
    "quote": "SELECT ?s ?v WHERE { ?s oa:hasSelector/oa:exact ?v }",
    "document": "SELECT ?s ?v WHERE { { ?s oa:hasSource|kg:inDocument ?v } UNION { ?s kg:evidence/oa:hasSource ?v } }",
    "group": "SELECT ?s ?v WHERE { ?s dcterms:creator ?v . ?v a kg:CandidateGroup }",
}


def fold(text: str) -> tuple[str, list[int]]:
    """Accent- and case-folded text (œ → oe, ’ → ', NFKD without its combining marks, casefolded), every run of
    white space one space, with the index in ``text`` of every folded character (for highlighting)."""
    out, where = [], []
    for i, ch in enumerate(text):
        if ch.isascii():
            chunk = " " if ch.isspace() else ch.lower()
        else:
            chunk = "".join(c for c in unicodedata.normalize("NFKD", ch.translate(FOLD)) if not unicodedata.combining(c))
            chunk = _SPACES.sub(" ", chunk.casefold())
        for c in chunk:
            if c != " " or not out or out[-1] != " ":
                out.append(c)
                where.append(i)
    return "".join(out), where


@cache
def _strip() -> dict[int, str | None]:
    """FOLD, and every combining character deleted: one str.translate table (made once, in 0.2 s)."""
    return {**{cp: None for cp in range(0x110000) if unicodedata.combining(chr(cp))}, **FOLD}


def folded(text: str) -> str:
    """``fold(text)[0]``, on the whole string at once (the index's texts: no positions needed)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_strip())
    return _SPACES.sub(" ", text.casefold())


@dataclass(frozen=True, slots=True)
class Entry:
    iri: str
    kind: str                 # label | quote
    type: str                 # quote | a kg: class's local name, lower case | term | other
    text: str
    folded: str
    documents: tuple[str, ...]
    groups: tuple[str, ...]


def type_key(classes: set[str]) -> str:
    """The ``type`` of a labelled subject from its rdf:type values (see the module's docstring)."""
    ours = sorted(c for c in classes if c.startswith(KG))
    chosen = next((c for c in PREFERRED if c in classes), ours[0] if ours else None)
    if chosen:
        return chosen.removeprefix(KG).lower()
    return "term" if any(c.startswith(OWL) for c in classes) else "other"


def pairs(store: ox.Store, name: str) -> dict[str, list[str]]:
    """The values of each subject for one of ``QUERIES``, deduplicated (a triple may sit in several graphs)."""
    out: dict[str, list[str]] = defaultdict(list)
    for s, v in store.query(sparql_prologue() + QUERIES[name], use_default_graph_as_union=True):
        if v.value not in out[s.value]:
            out[s.value].append(v.value)
    return out


def compute(store: ox.Store) -> list[Entry]:
    """Every entry of the index, in its ``order``: the same list whatever the store's order."""
    classes: dict[str, set[str]] = defaultdict(set)
    for q in store.quads_for_pattern(None, TYPE, None, None):
        classes[q.subject.value].add(q.object.value)
    documents, groups = pairs(store, "document"), pairs(store, "group")
    entries = []
    for kind in ("label", "quote"):
        for iri, texts in pairs(store, kind).items():
            docs = tuple(sorted(documents.get(iri, ())))
            of = tuple(sorted({g for d in docs for g in groups.get(d, ())}))
            kind_type = "quote" if kind == "quote" else type_key(classes.get(iri, set()))
            entries.extend(Entry(iri, kind, kind_type, t, folded(t), docs, of) for t in texts)
    return sorted(entries, key=order)


def order(entry: Entry) -> tuple:
    """The order of the index, the ranking of hits that match no label exactly or by prefix: labels before quotes,
    then the shorter text, then by IRI (kind and text make the key unique)."""
    return entry.kind != "label", len(entry.text), entry.iri, entry.kind, entry.text


def write(release: Path, entries: list[Entry]) -> dict:
    """``search.json`` in the release; the manifest's ``search_index``: the file, its entries and SHA-256."""
    names = sorted({d for e in entries for d in (*e.documents, *e.groups)})
    at = {n: i for i, n in enumerate(names)}
    rows = [[e.iri, e.kind, e.type, e.text, e.folded, [at[d] for d in e.documents], [at[g] for g in e.groups]]
            for e in entries]
    doc = {"version": VERSION, "names": names, "entries": rows}
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    (release / FILE).write_bytes(body)
    return {"search_index": {"file": FILE, "entries": len(entries), "sha256": hashlib.sha256(body).hexdigest()}}


def load(release: Path) -> list[Entry] | None:
    """The entries of the release's ``search.json``; None when the release has none (or an older version)."""
    try:
        doc = json.loads((release / FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if doc.get("version") != VERSION:
        return None
    names, shared = doc["names"], {}    # one object per distinct IRI, kind, type and tuple: a sixth less memory
    one = lambda value: shared.setdefault(value, value)  # noqa: E731
    return [Entry(one(iri), one(kind), one(typ), text, folded, one(tuple(names[i] for i in docs)),
                  one(tuple(names[i] for i in groups))) for iri, kind, typ, text, folded, docs, groups in doc["entries"]]
