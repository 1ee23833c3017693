"""The source texts, checked and published in the release, so that every quote's selectors can be resolved.

Each ``kg:SourceDocument`` records the file name of its text (``dcterms:identifier``) and the SHA-256 of its bytes
(``spdx:checksum`` → ``spdx:checksumValue``, in data/ttl/documents.ttl). When the source texts are present at build
time, :func:`check` reads each file and compares its SHA-256 with the recorded one — a missing file or a mismatch
stops the build (exit 2) naming the file — and :func:`write` copies the checked bytes into the release
(``build/texts/<file>``) with an index (``build/texts.json``: document IRI → file, SHA-256, bytes, characters).
The server loads them once at start-up (:func:`load`) and serves them at ``/id/document/NNN.txt``; it never reads
the source folder. Without the sources nothing is written and the document pages say the text is not published.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg92.namespaces import PREFIXES
from kg92.store import BuildError

DIR = "texts"
INDEX = "texts.json"

# the predicates DOCUMENTS reads: what :func:`check` keeps of the data
RECORDS = frozenset(ox.NamedNode(iri) for iri in (PREFIXES["rdf"] + "type", PREFIXES["dcterms"] + "identifier",
                                                 PREFIXES["spdx"] + "checksum", PREFIXES["spdx"] + "checksumValue"))
DOCUMENTS = f"""PREFIX kg: <{PREFIXES['kg']}>
PREFIX dcterms: <{PREFIXES['dcterms']}>
PREFIX spdx: <{PREFIXES['spdx']}>
SELECT ?doc ?file ?sha ?g WHERE {{
  ?doc a kg:SourceDocument ; dcterms:identifier ?file .
  OPTIONAL {{ GRAPH ?g {{ ?doc spdx:checksum ?c }} ?c spdx:checksumValue ?sha }}
}} ORDER BY ?doc"""


class TextError(Exception):
    """A source text is missing, not UTF-8, or does not match its recorded SHA-256; the message names the file."""


@dataclass(frozen=True)
class Text:
    doc: str        # the document IRI
    file: str       # its dcterms:identifier, the file name in the sources folder and in build/texts/
    body: bytes     # the exact bytes (UTF-8)
    sha256: str     # hex

    @property
    def chars(self) -> int:
        return len(self.body.decode("utf-8"))

    @property
    def digest_b64(self) -> str:
        """The SHA-256 in base64, as the ``Repr-Digest``/``Digest`` HTTP headers carry it."""
        return base64.b64encode(bytes.fromhex(self.sha256)).decode("ascii")


def recorded_in(graph) -> str:
    """The data file that records a checksum: named graph ``…/graph/documents`` → ``data/ttl/documents.ttl``."""
    return f"data/ttl/{graph.value.rsplit('/', 1)[-1]}.ttl" if graph is not None else "data/ttl"


def check(quads, sources_dir: Path) -> list[Text]:
    """Every registered document's text from ``sources_dir``, checked against its recorded SHA-256 (``quads``: any
    iterable of the data's quads; only those DOCUMENTS reads, RECORDS, are kept in the store it queries)."""
    store = ox.Store()
    store.bulk_extend(q for q in quads if q.predicate in RECORDS)
    found: list[Text] = []
    for row in store.query(DOCUMENTS, use_default_graph_as_union=True):
        doc, name = row["doc"].value, row["file"].value
        path = sources_dir / name
        if Path(name).name != name or not path.is_file():
            raise TextError(f"{path}: the source text of <{doc}> is missing (dcterms:identifier {name!r})")
        body = path.read_bytes()
        actual, recorded = hashlib.sha256(body).hexdigest(), (row["sha"].value.lower() if row["sha"] else None)
        if actual != recorded:
            raise TextError(f"{path}: SHA-256 {actual} differs from the checksum recorded for <{doc}> in "
                            f"{recorded_in(row['g'])} ({recorded or 'none'}): the file was changed, or the record is stale")
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TextError(f"{path}: not UTF-8 ({exc})") from exc
        found.append(Text(doc, name, body, actual))
    return found


def write(release: Path, texts: list[Text]) -> dict[str, dict]:
    """The texts into ``release/texts/`` and their index into ``release/texts.json``; returns the index."""
    index = {}
    if not texts:
        return index
    (release / DIR).mkdir()
    for t in texts:
        (release / DIR / t.file).write_bytes(t.body)
        index[t.doc] = {"file": t.file, "sha256": t.sha256, "bytes": len(t.body), "chars": t.chars}
    (release / INDEX).write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return index


def load(release: Path) -> dict[str, Text]:
    """The published texts of a release (document IRI → Text), checked again (BuildError: the server refuses to
    start on a damaged release); {} when none were published."""
    try:
        index = json.loads((release / INDEX).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    texts = {}
    for doc, entry in index.items():
        body = (release / DIR / entry["file"]).read_bytes()
        if hashlib.sha256(body).hexdigest() != entry["sha256"]:
            raise BuildError(f"{release / DIR / entry['file']}: does not match the SHA-256 of {release / INDEX}")
        texts[doc] = Text(doc, entry["file"], body, entry["sha256"])
    return texts


def sources_hash(sources_dir: Path) -> str:
    """SHA-256 over the source folder's files (names and bytes): a changed source text rebuilds."""
    h = hashlib.sha256()
    if sources_dir.is_dir():
        for path in sorted(p for p in sources_dir.iterdir() if p.is_file()):
            h.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()
