"""What /search finds, with no request and no store: the query syntax (``parse``), the index (``Index``: the
release's search.sqlite; matching, ranking, facets, paging) and the highlighted snippet of one hit (``snippet``).

Syntax: words (each must occur, in any order, as a substring of the folded text) and ``"quoted phrases"``
(contiguous, the same folding: accents, case, œ/oe, ’/', every run of white space one space). A quote left open
runs to the end of the query; control characters are dropped; a term with no letter or digit is ignored, so a
query of punctuation only finds nothing. Ranking: an exact label match first, then a label that starts with the
query, then labels before quotes, then the shorter text; ties by IRI. One hit per (subject, kind): the best of its
entries. Facets are counted over every hit of the (filtered) query, before the page is cut.

Matching is SQL on the file, never in Python: the FTS5 trigram index gives the entries that hold a few trigrams of
each term (:func:`trigrams`), ``instr()`` checks every term on those (a query whose terms are all under three
characters reads every entry), and one statement ranks the hits and keeps each subject's best; a process holds
one connection per thread and nothing of the index in its own memory.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
import threading
import time
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg92.build.search import FILE, KG, Entry, compute, connect, fold, read, trigram_available, write_db

MAX_QUERY = 200           # characters of q kept
PAGE_SIZE, MAX_PAGE_SIZE, MAX_PAGE = 50, 100, 1000
FACETS = ("type", "group", "document")
# where each facet's values are in the index file (build/search.py's SCHEMA): table and column, by subject (sid)
FACET_COLUMNS = {"type": ("subject", "type"), "group": ("grp", "name"), "document": ("document", "name")}
WINDOW = 240              # characters of a snippet
_TOKEN = re.compile(r'"([^"]*)"?|([^\s"]+)')


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    whole: str = ""        # the folded terms in the query's order, one space apart (exact and prefix matches)

    @property
    def terms(self) -> tuple[str, ...]:
        return self.phrases + self.words


def _meaningful(term: str) -> bool:
    return any(c.isalnum() for c in term)


def parse(q: str) -> Query:
    """The words and phrases of ``q`` (cut at MAX_QUERY characters), folded as the index is."""
    q = "".join(" " if c.isspace() else c for c in q[:MAX_QUERY] if c.isspace() or unicodedata.category(c)[0] != "C")
    words, phrases, order = [], [], []
    for m in _TOKEN.finditer(q):
        if m[1] is not None:
            phrase = fold(m[1])[0].strip()
            if _meaningful(phrase):
                phrases.append(phrase)
                order.append(phrase)
        else:
            for word in fold(m[2])[0].split():
                if _meaningful(word):
                    words.append(word)
                    order.append(word)
    return Query(tuple(dict.fromkeys(words)), tuple(dict.fromkeys(phrases)), " ".join(order))


@dataclass
class Result:
    query: Query
    total: int
    page: int
    size: int
    hits: list[Entry]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)   # value → count, most first

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def facet_values(entry: Entry, facet: str) -> tuple[str, ...]:
    return (entry.type,) if facet == "type" else entry.groups if facet == "group" else entry.documents


def trigrams(terms: tuple[str, ...], per_term: int = 3) -> list[str]:
    """A few trigrams that every entry holding all ``terms`` holds: for each term of 3 characters or more, its first,
    middle and last (``per_term`` evenly spaced; more would cost the index more lookups than they save). None
    when every term is shorter: the search reads every entry."""
    out: list[str] = []
    for term in terms:
        starts = range(len(term) - 2)
        if not starts:
            continue
        k = min(per_term, len(starts))
        picks = {starts[round(i * (len(starts) - 1) / max(1, k - 1))] for i in range(k)}
        out.extend(term[i:i + 3] for i in sorted(picks))
    return list(dict.fromkeys(out))


def release_index(release: Path) -> Path | None:
    """The release's ``search.sqlite`` when it is an index of this version, else None."""
    db = connect(release / FILE)
    if db is None:
        return None
    db.close()
    return release / FILE


class Index:
    """The search index of one application: the release's ``search.sqlite``, opened read-only at start-up and
    queried on disk (one connection per thread); ``source`` says whether it is the release's or was computed at
    start-up from the store (a release written without it: the entries go to a temporary file)."""

    def __init__(self, path: Path, source: str, cleanup: Callable[[], None] | None = None):
        if cleanup is not None:
            weakref.finalize(self, cleanup)     # first: an index that fails to open leaves no file behind
        self.path, self.source = path, source
        self._local = threading.local()
        db = self._db()
        meta = dict(db.execute("SELECT key, value FROM meta"))
        self.size, self.labels = int(meta["entries"]), int(meta["labels"])
        # the trigram prefilter, when the file has it and this SQLite reads it (build/search.py's TRIGRAM)
        self.trigram = bool(meta.get("trigram")) and trigram_available(db)
        # the class of each type, for its badge: the ontology's own terms are in the index (type "term")
        self.classes = {iri.removeprefix(KG).lower(): iri for (iri,) in db.execute(
            "SELECT iri FROM subject WHERE type = 'term' AND substr(iri, 1, ?) = ? ORDER BY sid", (len(KG), KG))}

    @classmethod
    def of(cls, release: Path, store: ox.Store) -> Index:
        """The release's search index; for a release written without one, the index computed from its store."""
        path = release_index(release)
        return cls(path, "release") if path is not None else cls.from_entries(compute(store), "computed")

    @classmethod
    def from_entries(cls, entries: list[Entry], source: str) -> Index:
        """An index of ``entries`` (in any order) in a temporary file, removed with the index."""
        folder = Path(tempfile.mkdtemp(prefix="kg92-search-"))
        try:
            write_db(folder / FILE, entries)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return cls(folder / FILE, source, lambda: shutil.rmtree(folder, ignore_errors=True))

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = connect(self.path)
            if db is None:
                raise RuntimeError(f"{self.path}: not a search index of this version")
            db.execute("CREATE TEMP TABLE best (sid INTEGER PRIMARY KEY, r INTEGER NOT NULL)")
        return db

    @property
    def entries(self) -> list[Entry]:
        """Every entry, in the index's order (reads the whole file: for tests and tools, never for a request)."""
        return read(self._db())

    def check(self, filters: dict[str, str]) -> None:
        """ValueError naming the facet whose value the index does not hold."""
        for facet, value in filters.items():
            table, column = FACET_COLUMNS[facet]
            if self._db().execute(f"SELECT 1 FROM {table} WHERE {column} = ? LIMIT 1", (value,)).fetchone() is None:
                raise ValueError(f"{facet}={value!r} is not a value of the search index's {facet} facet")

    def search(self, query: Query, filters: dict[str, str], page: int = 1, size: int = PAGE_SIZE,
               timeout: float | None = None) -> Result:
        """The hits of ``query`` under ``filters`` (facet → value), ranked; page ``page`` of ``size`` hits.
        :class:`TimeoutError` after ``timeout`` seconds (SQLite's progress handler stops the statement).

        One pass over the entries in SQLite: each entry holding every term gets its rank (an exact label match,
        then a label that starts with the query, then the rest, each tier in the index's order, as one integer),
        and each subject (IRI, kind) keeps its best entry in the temporary table ``best``; the total, the page and
        the facets are read from it."""
        db = self._db()
        if timeout is not None:
            deadline = time.monotonic() + timeout
            db.set_progress_handler(lambda: time.monotonic() > deadline, 20_000)
        try:
            return self._search(db, query, filters, page, size)
        except sqlite3.OperationalError as exc:
            if timeout is not None and str(exc) == "interrupted":
                raise TimeoutError(f"the search did not finish within {timeout:g} s") from None
            raise
        finally:
            db.set_progress_handler(None, 0)

    def _search(self, db: sqlite3.Connection, query: Query, filters: dict[str, str], page: int, size: int) -> Result:
        self.check(filters)
        db.execute("DELETE FROM best")
        if query.terms:
            where = " AND ".join("instr(e.folded, ?) > 0" for _ in query.terms)
            args: list = list(query.terms)
            grams = trigrams(query.terms) if self.trigram else []
            if grams:      # only the entries that hold these trigrams are read; instr() then checks each term
                where += " AND e.k IN (SELECT rowid FROM trigram WHERE trigram MATCH ?)"
                args.append(" AND ".join('"' + g.replace('"', '""') + '"' for g in grams))
            for facet, value in filters.items():
                table, column = FACET_COLUMNS[facet]
                where += f" AND e.sid IN (SELECT sid FROM {table} WHERE {column} = ?)"
                args.append(value)
            # the rank: tier 0 an exact label, 1 a label starting with the query, 2 the rest; then the index's order
            db.execute("INSERT INTO best SELECT e.sid, MIN(CASE WHEN e.k >= ? OR substr(e.folded, 1, ?) != ? THEN 2 "
                       "WHEN length(e.folded) = ? THEN 0 ELSE 1 END * ? + e.k) "
                       f"FROM entry e WHERE {where} GROUP BY e.sid",
                       (self.labels, len(query.whole), query.whole, len(query.whole), self.size, *args))
        (total,) = db.execute("SELECT count(*) FROM best").fetchone()
        keys = [k for (k,) in db.execute("SELECT r % ? FROM best ORDER BY r LIMIT ? OFFSET ?",
                                         (self.size, size, (page - 1) * size))]
        hits = dict(zip(sorted(keys), read(db, keys) if keys else [], strict=True))   # read() answers in the index's order
        facets = {facet: sorted(db.execute(f"SELECT t.{column}, count(*) FROM best JOIN {table} t USING (sid) "
                                           f"GROUP BY t.{column}").fetchall(), key=lambda vc: (-vc[1], vc[0]))
                  for facet, (table, column) in FACET_COLUMNS.items()}
        return Result(query, total, page, size, [hits[k] for k in keys], facets)


def snippet(text: str, query: Query) -> list[tuple[str, bool]]:
    """``text`` around its first match (at most WINDOW characters, cut between words), as (part, is a match)
    pieces: every occurrence of every term inside the window is a match piece (overlapping occurrences merged);
    "…" where the text is cut."""
    folded, where = fold(text)
    spans = sorted((where[i], where[i + len(t) - 1] + 1) for t in query.terms for i in _occurrences(folded, t))
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    first = merged[0] if merged else [0, 0]
    lo = max(0, min((first[0] + first[1]) // 2 - WINDOW // 2, len(text) - WINDOW))
    hi = min(len(text), lo + WINDOW)
    if lo and " " in text[lo:first[0]]:                 # cut between words, never inside the first match
        lo = text.index(" ", lo, first[0]) + 1
    if hi < len(text) and " " in text[first[1]:hi]:
        hi = text.rindex(" ", first[1], hi)
    pieces, at = [("…", False)] if lo else [], lo
    for s, e in merged:
        s, e = max(s, lo), min(e, hi)
        if s >= e:
            continue
        if s > at:
            pieces.append((text[at:s], False))
        pieces.append((text[s:e], True))
        at = e
    if at < hi:
        pieces.append((text[at:hi], False))
    if hi < len(text):
        pieces.append(("…", False))
    return pieces


def _occurrences(folded: str, term: str):
    at = folded.find(term)
    while at != -1:
        yield at
        at = folded.find(term, at + 1)
