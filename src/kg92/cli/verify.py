"""``kg92 verify``: resolve every quote's selectors against its document's text, as any consumer could.

For each ``oa:SpecificResource`` the check is ``text[oa:start:oa:end] == oa:exact`` (code points, ``start``
inclusive, ``end`` exclusive) on the text of its ``oa:hasSource``, whose SHA-256 must also equal the document's
``spdx:checksumValue``. Two ways to get the quotes and the texts:

- a running kg92 (``kg92 verify http://127.0.0.1:8000``): the quotes from its ``/sparql``, each text from the
  document's IRI on that server with ``Accept: text/plain``;
- a dump and a folder of source texts (``kg92 verify --dump kg.nq --sources DIR``): nothing but files.

Exit status: 0 every quote resolves, 1 at least one does not, 2 the quotes or a text could not be read.
Standard library and pyoxigraph only.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg92.namespaces import PREFIXES
from kg92.urls import local_path

QUERY = f"""PREFIX oa: <{PREFIXES['oa']}>
PREFIX dcterms: <{PREFIXES['dcterms']}>
PREFIX spdx: <{PREFIXES['spdx']}>
SELECT ?quote ?doc ?file ?sha ?start ?end ?exact WHERE {{
  ?quote oa:hasSource ?doc ; oa:hasSelector ?pos, ?sel .
  ?pos oa:start ?start ; oa:end ?end .
  ?sel oa:exact ?exact .
  OPTIONAL {{ ?doc dcterms:identifier ?file }}
  OPTIONAL {{ ?doc spdx:checksum/spdx:checksumValue ?sha }}
}} ORDER BY ?doc ?start ?end ?quote"""
SHOWN = 20   # failures printed in full; the count covers them all


class VerifyError(Exception):
    """The quotes or a text could not be obtained (exit 2)."""


@dataclass(frozen=True)
class Selector:
    quote: str
    doc: str
    file: str
    sha256: str
    start: int
    end: int
    exact: str


@dataclass
class Result:
    total: int
    texts: int
    failures: list[str]

    @property
    def resolved(self) -> int:
        return self.total - len([f for f in self.failures if f.startswith("<")])

    def summary(self) -> str:
        return f"{self.resolved} of {self.total} quotes resolve against {self.texts} texts"


def selectors(solutions) -> list[Selector]:
    """Rows of QUERY (dicts of plain values) → selectors."""
    return [Selector(r["quote"], r["doc"], r.get("file", ""), r.get("sha", "").lower(), int(r["start"]), int(r["end"]),
                     r["exact"]) for r in solutions]


class Unavailable(Exception):
    """A document's text is not available (not published, not in the folder): its quotes do not resolve."""


def check(found: list[Selector], text_of: Callable[[Selector], bytes]) -> Result:
    """Every selector against its document's text (``text_of`` raises Unavailable when there is none)."""
    texts: dict[str, str | None] = {}
    failures: list[str] = []
    for s in found:
        if s.doc not in texts:
            try:
                body = text_of(s)
            except Unavailable as exc:
                failures.append(f"text of <{s.doc}>: {exc}")
                body = None
            if body is not None and s.sha256 and hashlib.sha256(body).hexdigest() != s.sha256:
                failures.append(f"text of <{s.doc}>: SHA-256 {hashlib.sha256(body).hexdigest()} differs from its "
                                f"spdx:checksumValue {s.sha256}")
            texts[s.doc] = body.decode("utf-8", "replace") if body is not None else None
        text = texts[s.doc]
        got = text[s.start:s.end] if text is not None else None
        if got is None:
            failures.append(f"<{s.quote}>: no text to resolve it against")
        elif got != s.exact:
            failures.append(f"<{s.quote}>: text[{s.start}:{s.end}] is {got[:60]!r}, oa:exact is {s.exact[:60]!r}")
    return Result(len(found), len([t for t in texts.values() if t is not None]), failures)


# ---------------------------------------------------------------- a running kg92

def fetch(url: str, accept: str, data: bytes | None = None, content_type: str | None = None) -> bytes:
    headers = {"Accept": accept, **({"Content-Type": content_type} if content_type else {})}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=60) as resp:
            if resp.headers.get("X-KG92-Truncated", "false") != "false":
                raise VerifyError(f"{url}: the answer was truncated (max_rows)")
            return resp.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404 and accept == "text/plain":
            raise Unavailable(f"{url}: HTTP 404 (not published by that server)") from exc
        raise VerifyError(f"{url}: HTTP {exc.code}: {exc.read()[:300].decode('utf-8', 'replace')}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise VerifyError(f"{url}: {exc}") from exc


def over_http(base: str) -> Result:
    base = base.rstrip("/")
    raw = fetch(f"{base}/sparql", "application/sparql-results+json", QUERY.encode(), "application/sparql-query")
    rows = [{k: v["value"] for k, v in b.items()} for b in json.loads(raw)["results"]["bindings"]]

    def text_of(s: Selector) -> bytes:
        path = local_path(s.doc)
        if path is None:
            raise VerifyError(f"<{s.doc}> is not an IRI this server dereferences")
        return fetch(base + path, "text/plain")
    return check(selectors(rows), text_of)


# ---------------------------------------------------------------- a dump and the source texts

def read_dump(path: Path) -> ox.Store:
    name = path.name.removesuffix(".gz")
    fmt = ox.RdfFormat.from_extension(name.rsplit(".", 1)[-1]) if "." in name else None
    if fmt is None:
        raise VerifyError(f"{path}: unknown RDF format (use .nq, .trig, .ttl or .nt, optionally .gz)")
    try:
        body = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
        store = ox.Store()
        store.bulk_extend(ox.parse(body, format=fmt))
    except (OSError, SyntaxError) as exc:
        raise VerifyError(f"{path}: {exc}") from exc
    return store


def from_dump(dump: Path, sources: Path) -> Result:
    store = read_dump(dump)
    rows = [{k: sol[k].value for k in ("quote", "doc", "file", "sha", "start", "end", "exact") if sol[k] is not None}
            for sol in store.query(QUERY, use_default_graph_as_union=True)]

    def text_of(s: Selector) -> bytes:
        path = sources / s.file
        if not s.file or Path(s.file).name != s.file or not path.is_file():
            raise Unavailable(f"{path}: no such file (dcterms:identifier {s.file!r})")
        return path.read_bytes()
    return check(selectors(rows), text_of)


def report(result: Result) -> str:
    lines = result.failures[:SHOWN]
    if len(result.failures) > SHOWN:
        lines.append(f"… and {len(result.failures) - SHOWN} more")
    return "\n".join([*lines, result.summary()])
