"""The search index: every label and every quote of the graph, accent- and case-folded, with the facets /search
shows (type, candidate group, document). ``kg92 build`` writes it into the release as ``search.sqlite`` (listed in
the manifest as ``search_index``: file, entries, SHA-256); each server process opens it read-only (``connect``)
and queries it on disk, so a process's memory and start-up do not grow with the index; for a release written
before the file existed, the index is computed from the store at start-up (``compute``), never in a request.

One entry per (subject, text): ``kind`` is ``label`` (skos:prefLabel, skos:altLabel, rdfs:label, schema:name,
dcterms:title, kg:acronym of an IRI) or ``quote`` (the ``oa:exact`` of a quote); ``type`` names the subject's class
(``quote`` for a quote; the kg: class, kg:Statement for commitments/claims/forecasts and kg:CandidateGroup before
kg:Actor; ``term`` for an OWL term of the ontology; ``other``); ``documents`` are the source documents the entry
comes from (a quote's oa:hasSource, an answer's kg:inDocument, the sources of a subject's kg:evidence) and
``groups`` the candidate groups that wrote them (dcterms:creator). The file is an SQLite database (``SCHEMA``).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kg92.namespaces import PREFIXES, sparql_prologue

FILE = "search.sqlite"
VERSION = 3   # 1: search.json; 2: search.sqlite without its trigram index
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


SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE subject (sid INTEGER PRIMARY KEY, iri TEXT NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL);
CREATE TABLE entry (k INTEGER PRIMARY KEY, sid INTEGER NOT NULL REFERENCES subject, text TEXT NOT NULL, folded TEXT NOT NULL);
CREATE TABLE document (name TEXT NOT NULL, sid INTEGER NOT NULL REFERENCES subject, PRIMARY KEY (name, sid)) WITHOUT ROWID;
CREATE TABLE grp (name TEXT NOT NULL, sid INTEGER NOT NULL REFERENCES subject, PRIMARY KEY (name, sid)) WITHOUT ROWID;
CREATE INDEX subject_type ON subject (type);
CREATE INDEX document_sid ON document (sid, name);
CREATE INDEX grp_sid ON grp (sid, name);
"""
# the trigram prefilter: FTS5's trigram tokenizer (SQLite 3.34 or later, built with FTS5, as CPython's is); an
# SQLite without it writes and reads the index without the prefilter (the same hits, every entry read)
TRIGRAM = """CREATE VIRTUAL TABLE trigram USING fts5(folded, content='entry', content_rowid='k', detail='none',
                                                tokenize='trigram case_sensitive 1')"""


def new_db(path: Path, schema: str) -> sqlite3.Connection:
    """A new SQLite file at ``path`` (any old one removed) with the tables of ``schema``, inside an open transaction
    without a journal: the caller inserts its rows, then COMMITs and VACUUMs (the same rows give the same bytes)."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("BEGIN")
    for statement in filter(str.strip, schema.split(";")):
        db.execute(statement)
    return db


def write_db(path: Path, entries: list[Entry]) -> None:
    """The index as one SQLite file at ``path``: one ``subject`` per (IRI, kind), which carries the type, documents
    and groups (the same for every text of a subject), and its ``entry`` rows numbered ``k`` in the index's
    ``order``; ``meta`` holds the version, the number of entries and of labels (they come first); ``trigram`` is an
    FTS5 index of the folded texts' trigrams (``detail=none``: which entries hold a trigram, not where), so that a
    search reads only the entries that hold every trigram it asks for (``meta.trigram`` says whether the file has it).
    The same entries give the same bytes with the same SQLite library (one transaction, rows in order, then VACUUM;
    the file's header records the library's version)."""
    entries = sorted(entries, key=order)
    db = new_db(path, SCHEMA)
    try:
        sids: dict[tuple[str, str], int] = {}
        for k, e in enumerate(entries):
            sid = sids.get((e.iri, e.kind))
            if sid is None:
                sid = sids[e.iri, e.kind] = len(sids)
                db.execute("INSERT INTO subject VALUES (?, ?, ?, ?)", (sid, e.iri, e.kind, e.type))
                db.executemany("INSERT INTO document VALUES (?, ?)", [(d, sid) for d in e.documents])
                db.executemany("INSERT INTO grp VALUES (?, ?)", [(g, sid) for g in e.groups])
            db.execute("INSERT INTO entry VALUES (?, ?, ?, ?)", (k, sid, e.text, e.folded))
        trigram = trigram_available(db)
        if trigram:
            db.execute(TRIGRAM)
            db.execute("INSERT INTO trigram (rowid, folded) SELECT k, folded FROM entry")
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("version", VERSION), ("entries", len(entries)),
                                                        ("labels", sum(e.kind == "label" for e in entries)),
                                                        ("trigram", int(trigram))])
        db.execute("COMMIT")
        db.execute("VACUUM")
    finally:
        db.close()


def trigram_available(db: sqlite3.Connection) -> bool:
    """Whether this SQLite has FTS5 with the trigram tokenizer."""
    try:
        db.execute("CREATE VIRTUAL TABLE temp.probe USING fts5(x, tokenize='trigram case_sensitive 1')")
        db.execute("DROP TABLE temp.probe")
        return True
    except sqlite3.OperationalError:
        return False


def write(release: Path, entries: list[Entry]) -> dict:
    """``search.sqlite`` in the release; the manifest's ``search_index``: the file, its entries and SHA-256."""
    write_db(release / FILE, entries)
    body = (release / FILE).read_bytes()
    return {"search_index": {"file": FILE, "entries": len(entries), "sha256": hashlib.sha256(body).hexdigest()}}


def connect(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to the index file at ``path`` (immutable: no lock, no journal; the file is never
    written, a search's temporary table is in memory); None when there is no such file or it is not an index of
    this ``VERSION``."""
    if not path.is_file():
        return None
    db = None
    try:
        db = sqlite3.connect(path.absolute().as_uri() + "?mode=ro&immutable=1", uri=True, check_same_thread=False,
                             isolation_level=None)
        db.execute("PRAGMA temp_store = MEMORY")
        version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    except sqlite3.DatabaseError:
        if db is not None:
            db.close()
        return None
    if version is None or version[0] != VERSION:
        db.close()
        return None
    return db


def read(db: sqlite3.Connection, keys: list[int] | None = None) -> list[Entry]:
    """The entries of an index numbered ``keys`` (every entry when None), in the index's order."""
    if keys is None:
        rows = db.execute("SELECT s.sid, s.iri, s.kind, s.type, e.text, e.folded FROM entry e JOIN subject s USING (sid) "
                          "ORDER BY e.k").fetchall()
        named = {table: db.execute(f"SELECT sid, name FROM {table} ORDER BY sid, name").fetchall()
                 for table in ("document", "grp")}
    else:
        marks = ",".join("?" * len(keys))
        rows = db.execute("SELECT s.sid, s.iri, s.kind, s.type, e.text, e.folded FROM entry e JOIN subject s USING (sid) "
                          f"WHERE e.k IN ({marks}) ORDER BY e.k", keys).fetchall()
        sids = sorted({row[0] for row in rows})
        named = {table: db.execute(f"SELECT sid, name FROM {table} WHERE sid IN ({','.join('?' * len(sids))}) "
                                   "ORDER BY sid, name", sids).fetchall() for table in ("document", "grp")}
    docs, groups = defaultdict(list), defaultdict(list)
    for table, into in (("document", docs), ("grp", groups)):
        for sid, name in named[table]:
            into[sid].append(name)
    return [Entry(iri, kind, typ, text, fol, tuple(docs[sid]), tuple(groups[sid])) for sid, iri, kind, typ, text, fol in rows]


def load(release: Path) -> list[Entry] | None:
    """The entries of the release's ``search.sqlite``; None when the release has none (or an older version)."""
    db = connect(release / FILE)
    if db is None:
        return None
    try:
        return read(db)
    finally:
        db.close()
