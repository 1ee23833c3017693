"""What a scheme or an actor page adds, as an index built at build time (issue 18: never in a request): for every
resource of kg:Scheme or kg:Actor, (1) the documents whose resources with evidence link to it, in document order,
each with how many such resources there are and the first of their quotes by position in the text — the
"mentioned in documents" section (web/mentions.py) — and (2) the events about it or in which it takes part, by date.
``kg92 build`` writes it into the release as ``mentions.sqlite``; each server process opens it read-only and reads
one resource's rows (keyed on the resource), so a hub's page reads a few hundred rows instead of joining every
mention of it in the store (at N=100, 5,500 for the most cited scheme: 0.7 s; 53,000 for the Département: 12 s) and
lists its first events without reading the others (4,500 for the Département). A release written without the file
(an older build) gets None from :func:`open_index`, and the page runs its queries as before.

The rows are those of the page's own queries (``QUERY``, ``EVENTS``), grouped as the page groups them
(:func:`group`, :func:`group_events`, one place for both): the same sections either way (tests/build/test_mentions.py)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pyoxigraph as ox

from kg92.build.search import new_db
from kg92.inline import values_text
from kg92.namespaces import PREFIXES, sparql_prologue

FILE = "mentions.sqlite"
VERSION = 2   # 1: documents only
KG = PREFIXES["kg"]
CLASSES = (KG + "Scheme", KG + "Actor")   # the pages that show the section (web/mentions.py's MENTIONED)
# what links to it (any property but rdf:type) and has evidence: its mentions; ?q is that evidence
# (?quoted: whether the quote has a text to show, as web/describe.py's quote() asks: the first quote is the first
# that has one)
PATTERN = """?this ^!rdf:type ?x . ?x kg:evidence ?q . ?q oa:hasSource ?doc .
  OPTIONAL { ?q oa:hasSelector/oa:start ?start } BIND (EXISTS { ?q oa:hasSelector/oa:exact ?exact } AS ?quoted)"""
QUERY = f"SELECT ?this ?doc ?x ?q ?start ?quoted WHERE {{ {PATTERN} }} ORDER BY ?doc ?start ?q"
TYPE, EVIDENCE = ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(KG + "evidence")
OA = PREFIXES["oa"]
SOURCE, SELECTOR, START, EXACT = (ox.NamedNode(OA + x) for x in ("hasSource", "hasSelector", "start", "exact"))
BOOLEAN = ox.NamedNode(PREFIXES["xsd"] + "boolean")
# the events about it or in which it takes part (the page lists the first EVENTS_CAP by date)
EVENTS_PATTERN = """{ ?event kg:concerns ?this BIND("concerns" AS ?role) } UNION { ?event kg:participant ?this BIND("participant" AS ?role) }
  ?event a kg:Event . OPTIONAL { ?event kg:refDate ?date } OPTIONAL { ?event kg:eventKind ?kind }"""
EVENTS = f"SELECT ?this ?event ?date ?kind ?role WHERE {{ {EVENTS_PATTERN} }} ORDER BY ?date ?event"
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE event (node TEXT NOT NULL, k INTEGER NOT NULL, event TEXT NOT NULL, date TEXT, kind TEXT, roles TEXT NOT NULL,
                    PRIMARY KEY (node, k)) WITHOUT ROWID;
CREATE TABLE mention (node TEXT NOT NULL, k INTEGER NOT NULL, doc TEXT NOT NULL, n INTEGER NOT NULL, quote TEXT,
                      PRIMARY KEY (node, k)) WITHOUT ROWID;
"""


def group(rows) -> list[tuple[ox.NamedNode, int, ox.NamedNode | None]]:
    """(document, how many resources mention it there, its first quote with a text or None) per document, in the
    rows' order (by document, then position): the rows of ``QUERY`` for one resource."""
    out: dict = {}
    for r in rows:
        entry = out.setdefault(r["doc"], [set(), None])
        entry[0].add(r["x"])
        if entry[1] is None and r["quoted"].value == "true":
            entry[1] = r["q"]
    return [(doc, len(xs), first) for doc, (xs, first) in out.items()]


def group_events(rows) -> list[tuple[ox.NamedNode, str | None, ox.NamedNode | None, tuple[str, ...]]]:
    """(event, its date as printed or None, its kind or None, its roles: concerns, participant) per event, in the
    rows' order (by date): the rows of ``EVENTS`` for one resource (an event's first date and kind)."""
    out: dict = {}
    for r in rows:
        e = out.setdefault(r["event"], [r["date"].value if r["date"] else None, r["kind"], []])
        if r["role"].value not in e[2]:
            e[2].append(r["role"].value)
    return [(event, date, kind, tuple(sorted(roles))) for event, (date, kind, roles) in out.items()]


def build(release: Path, store: ox.Store) -> None:
    """``mentions.sqlite`` of ``store`` in ``release`` (what ``kg92 build`` writes): every scheme and actor, found once."""
    nodes = _nodes(store)
    write(release, compute(store, nodes), compute_events(store, nodes))


def compute_events(store: ox.Store, nodes: list[ox.NamedNode] | None = None) -> dict[str, list]:
    """{resource IRI: its events (:func:`group_events`)} for every scheme and actor with events: the page's own
    query for each, the resource a term in a VALUES block (one query over all of them took 264 s at N=100)."""
    by_node: dict[str, list] = {}
    for node in _nodes(store) if nodes is None else nodes:
        found = group_events(store.query(sparql_prologue() + values_text(EVENTS, {ox.Variable("this"): node}),
                                         use_default_graph_as_union=True))
        if found:
            by_node[node.value] = found
    return by_node


def _nodes(store: ox.Store) -> list[ox.NamedNode]:
    """Every scheme and actor, by IRI."""
    return sorted({q.subject for cls in CLASSES for q in store.quads_for_pattern(None, TYPE, ox.NamedNode(cls), None)
                   if isinstance(q.subject, ox.NamedNode)}, key=lambda n: n.value)


def compute(store: ox.Store, nodes: list[ox.NamedNode] | None = None) -> dict[str, list[tuple[ox.NamedNode, int, ox.NamedNode | None]]]:
    """{resource IRI: its documents (:func:`group`)} for every scheme and actor that something with evidence links
    to: ``QUERY``'s rows for each, found by index look-ups (the resource's incoming links, then each linking
    resource's evidence, its source and selectors) in ``QUERY``'s order. Measured on the real data (loaded
    machine): 1.6 s as one SPARQL query over every resource, 0.3 s this way; at N=100, 10.8 s CPU."""
    def objects(s, p):
        return [q.object for q in store.quads_for_pattern(s, p, None, None)]

    nodes = _nodes(store) if nodes is None else nodes
    evidence: dict = {}     # linking resource → its quotes, each (doc, start, quote, quoted)
    by_node: dict[str, list] = {}
    for node in nodes:
        found = []
        for x in {q.subject for q in store.quads_for_pattern(None, None, node, None) if q.predicate != TYPE}:
            if x not in evidence:
                evidence[x] = [(doc, start, q, quoted) for q in objects(x, EVIDENCE) for doc in objects(q, SOURCE)
                               for start, quoted in _selectors(store, q)]
            found.extend({"doc": doc, "x": x, "q": q, "start": start, "quoted": quoted}
                         for doc, start, q, quoted in evidence[x])
        if found:
            found.sort(key=lambda r: (_node(r["doc"]), _number(r["start"]), _node(r["q"])))
            by_node[node.value] = group(found)
    return by_node


def _selectors(store: ox.Store, q) -> list[tuple]:
    """(start or None, whether it has a text) for each row ``QUERY`` gives for quote ``q``: one per selector's
    start (the OPTIONAL), with ?quoted true when any of its selectors has an oa:exact."""
    selectors = [x.object for x in store.quads_for_pattern(q, SELECTOR, None, None)]
    quoted = ox.Literal("true" if any(next(store.quads_for_pattern(s, EXACT, None, None), None) for s in selectors)
                        else "false", datatype=BOOLEAN)
    starts = [x.object for s in selectors for x in store.quads_for_pattern(s, START, None, None)]
    return [(start, quoted) for start in starts] or [(None, quoted)]


def _node(term) -> tuple:
    """SPARQL's ORDER BY of a node: blank nodes before IRIs, each kind by its text."""
    return (isinstance(term, ox.NamedNode), term.value)


def _number(term) -> tuple:
    """SPARQL's ORDER BY of an oa:start: unbound first, then by number."""
    if term is None:
        return (0, 0)
    try:
        return (1, float(term.value))
    except ValueError:
        return (2, term.value)


def write(release: Path, by_node: dict[str, list], events: dict[str, list] | None = None) -> None:
    """``mentions.sqlite`` in the release: one row per (resource, document) and per (resource, event), numbered
    ``k`` in the page's order."""
    db = new_db(release / FILE, SCHEMA)
    try:
        for node in sorted(by_node):
            db.executemany("INSERT INTO mention VALUES (?, ?, ?, ?, ?)",
                           [(node, k, _text(doc), n, _text(q)) for k, (doc, n, q) in enumerate(by_node[node])])
        for node in sorted(events or {}):
            db.executemany("INSERT INTO event VALUES (?, ?, ?, ?, ?, ?)",
                           [(node, k, _text(e), date, _text(kind), " ".join(roles))
                            for k, (e, date, kind, roles) in enumerate(events[node])])
        db.execute("INSERT INTO meta VALUES ('version', ?)", (VERSION,))
        db.execute("COMMIT")
        db.execute("VACUUM")
    finally:
        db.close()


def _text(term: ox.NamedNode | ox.BlankNode | None) -> str | None:
    """A node as the index stores it: an IRI as itself, a blank node as ``_:id`` (no IRI starts so: a scheme begins
    with a letter), the store's own id, which the pages look up in the same store."""
    if term is None:
        return None
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


def _term(text: str | None) -> ox.NamedNode | ox.BlankNode | None:
    if text is None:
        return None
    return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(text)


class Index:
    """A release's ``mentions.sqlite``, read-only, one connection per thread."""

    def __init__(self, path: Path):
        self.path, self._local = path, threading.local()

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(self.path.absolute().as_uri() + "?mode=ro&immutable=1", uri=True,
                                                  check_same_thread=False, isolation_level=None)
        return db

    def documents(self, node: ox.NamedNode) -> list[tuple[ox.NamedNode, int, ox.NamedNode | None]]:
        """The documents of ``node`` (:func:`group`'s triples); [] when nothing with evidence links to it."""
        return [(_term(doc), n, _term(q)) for doc, n, q in self._db().execute(
            "SELECT doc, n, quote FROM mention WHERE node = ? ORDER BY k", (node.value,))]

    def events(self, node: ox.NamedNode, limit: int) -> tuple[list, int]:
        """(the first ``limit`` events of ``node``, :func:`group_events`'s tuples; how many it has)."""
        db = self._db()
        total = db.execute("SELECT count(*) FROM event WHERE node = ?", (node.value,)).fetchone()[0]
        found = [(_term(e), date, _term(kind), tuple(roles.split()))
                 for e, date, kind, roles in db.execute(
                     "SELECT event, date, kind, roles FROM event WHERE node = ? ORDER BY k LIMIT ?", (node.value, limit))]
        return found, total


def open_index(release: Path) -> Index | None:
    """The release's index, or None when it has none of this version (the page then runs ``QUERY``)."""
    path = release / FILE
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(path.absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
        try:
            version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return None
    return Index(path) if version is not None and version[0] == VERSION else None
