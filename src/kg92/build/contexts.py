"""The surrounding sentence of every quote, computed at build time from the source texts.

A quote's published context in the graph is ``oa:prefix``/``oa:suffix`` (a few dozen characters, cut anywhere).
Pages show the whole sentence around the quote instead: the build takes each registered document's text (read and
checked against its SHA-256 once, by texts.check: the only moment the sources are read), extends every quote to the sentence boundaries on both sides and writes
``build/contexts.json`` (``{quote IRI: [before, after]}``), which the server loads once at start-up. Without the
sources the file is not written and pages fall back to ``oa:prefix``/``oa:suffix``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox

from kg92.namespaces import PREFIXES

FILE = "contexts.json"
LIMIT = 400    # at most this many characters on each side (a run-on "sentence" is cut at a word, with "…")
# a sentence ends at . ! ? … followed by white space, or at a line break (headings, list items, paragraphs)
_END = re.compile(r"[.!?…](?=\s)|\n")

QUERY = f"""PREFIX oa: <{PREFIXES['oa']}>
PREFIX dcterms: <{PREFIXES['dcterms']}>
SELECT ?quote ?file ?start ?end WHERE {{
  ?quote oa:hasSource ?doc ; oa:hasSelector ?pos .
  ?pos oa:start ?start ; oa:end ?end .
  ?doc dcterms:identifier ?file .
}}"""


def sentence_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The text before ``start`` back to the sentence start, and after ``end`` to the sentence end."""
    head = text[max(0, start - LIMIT):start]
    ends = [m.end() for m in _END.finditer(head)]
    before = head[ends[-1]:] if ends else head
    if not ends and start > LIMIT:                       # no boundary within the limit: whole words, then "…"
        before = "…" + before[before.find(" ") + 1:] if " " in before else before
    tail = text[end:end + LIMIT]
    if end > start and text[end - 1] in ".!?…" and (not tail or tail[0].isspace()):
        return before.lstrip(), ""                       # the quote ends its sentence
    m = _END.search(tail)
    after = tail[:m.end()] if m else tail
    if not m and end + LIMIT < len(text):
        after = (after[:after.rfind(" ")] if " " in after else after) + "…"
    return before.lstrip(), after.rstrip()


def compute(quads: list[ox.Quad], texts: dict[str, str]) -> dict[str, list[str]]:
    """``texts``: file name (dcterms:identifier) → text, as checked against its SHA-256 by the build (texts.check)."""
    store = ox.Store()
    store.bulk_extend(quads)
    out: dict[str, list[str]] = {}
    for row in store.query(QUERY, use_default_graph_as_union=True):
        text = texts.get(row["file"].value)
        if text is None:
            continue
        start, end = int(row["start"].value), int(row["end"].value)
        out[row["quote"].value] = list(sentence_around(text, start, end))
    return dict(sorted(out.items()))


def write(tmp: Path, quads: list[ox.Quad], texts: list) -> dict:
    """``contexts.json`` in the release (the server never reads the sources): ``quote_contexts``, the count."""
    contexts = compute(quads, {t.file: t.body.decode("utf-8") for t in texts}) if texts else {}
    if contexts:
        (tmp / FILE).write_text(json.dumps(contexts, ensure_ascii=False, indent=0), encoding="utf-8")
    return {"quote_contexts": len(contexts)}
