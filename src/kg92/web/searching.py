"""What /search finds, with no request and no store: the query syntax (``parse``), the loaded index (``Index``:
matching, ranking, facets, paging) and the highlighted snippet of one hit (``snippet``).

Syntax: words (each must occur, in any order, as a substring of the folded text) and ``"quoted phrases"``
(contiguous, the same folding: accents, case, œ/oe, ’/', every run of white space one space). A quote left open
runs to the end of the query; control characters are dropped; a term with no letter or digit is ignored, so a
query of punctuation only finds nothing. Ranking: an exact label match first, then a label that starts with the
query, then labels before quotes, then the shorter text; ties by IRI. One hit per (subject, kind): the best of its
entries. Facets are counted over every hit of the (filtered) query, before the page is cut.

Matching scans one string holding every folded text (``str.find`` for the longest term, then a check of the other
terms on that entry only, then on to the next entry), so a query costs one pass in C over the index, whatever its
size, plus Python work per matching entry.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg92.build.search import KG, Entry, compute, fold, load, order

MAX_QUERY = 200           # characters of q kept
PAGE_SIZE, MAX_PAGE_SIZE, MAX_PAGE = 50, 100, 1000
FACETS = ("type", "group", "document")
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


class Index:
    """The search index of one application, loaded (or computed) once at start-up: ``source`` says which."""

    def __init__(self, entries: list[Entry], source: str):
        self.entries = entries = sorted(entries, key=order)   # the build's order already: a linear check
        self.source = source
        self.labels = sum(e.kind == "label" for e in self.entries)       # labels come first
        self.starts, at = [], 0
        for e in entries:
            self.starts.append(at)
            at += len(e.folded) + 1
        self.blob = "\n".join(e.folded for e in entries)    # a folded text holds no line break
        self.known = {f: {v for e in entries for v in facet_values(e, f)} for f in FACETS}
        # the class of each type, for its badge: the ontology's own terms are in the index (type "term")
        self.classes = {e.iri.removeprefix(KG).lower(): e.iri for e in entries if e.type == "term" and e.iri.startswith(KG)}

    @classmethod
    def of(cls, release: Path, store: ox.Store) -> Index:
        """The release's search.json; for a release written without one, the index computed from its store."""
        entries = load(release)
        return cls(entries, "release") if entries is not None else cls(compute(store), "computed")

    def matching(self, query: Query) -> list[int]:
        """The index of every entry holding all the query's terms."""
        if not query.terms:
            return []
        first, *rest = sorted(query.terms, key=len, reverse=True)
        blob, starts, entries, end = self.blob, self.starts, self.entries, len(self.starts)
        found, at = [], blob.find(first)
        while at != -1:
            k = bisect.bisect_right(starts, at) - 1
            if not rest or all(t in entries[k].folded for t in rest):
                found.append(k)
            at = blob.find(first, starts[k + 1]) if k + 1 < end else -1
        return found

    def check(self, filters: dict[str, str]) -> None:
        """ValueError naming the facet whose value the index does not hold."""
        for facet, value in filters.items():
            if value not in self.known[facet]:
                raise ValueError(f"{facet}={value!r} is not a value of the search index's {facet} facet")

    def search(self, query: Query, filters: dict[str, str], page: int = 1, size: int = PAGE_SIZE) -> Result:
        """The hits of ``query`` under ``filters`` (facet → value), ranked; page ``page`` of ``size`` hits."""
        self.check(filters)
        found = self.matching(query)
        if filters:
            found = [k for k in found if all(v in facet_values(self.entries[k], f) for f, v in filters.items())]
        ranked, seen = [], set()
        for key in sorted(self.rank(k, query.whole) for k in found):
            e = self.entries[key % len(self.entries)]
            if (e.iri, e.kind) not in seen:       # the best entry of each (subject, kind)
                seen.add((e.iri, e.kind))
                ranked.append(e)
        facets = {"type": Counter(e.type for e in ranked), "group": Counter(g for e in ranked for g in e.groups),
                  "document": Counter(d for e in ranked for d in e.documents)}
        facets = {f: sorted(c.items(), key=lambda vc: (-vc[1], vc[0])) for f, c in facets.items()}
        return Result(query, len(ranked), page, size, ranked[(page - 1) * size:page * size], facets)

    def rank(self, k: int, whole: str) -> int:
        """The sort key of entry ``k`` for a query: an exact label match, then a label that starts with the query,
        then the rest, each tier in the index's order (build/search.py's ``order``), as one integer."""
        folded = self.entries[k].folded
        tier = 2 if k >= self.labels or not folded.startswith(whole) else 0 if len(folded) == len(whole) else 1
        return tier * len(self.entries) + k


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
