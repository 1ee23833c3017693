"""Dumps written at build time: the dataset in several formats, gzipped, with SHA-256 checksums."""

from __future__ import annotations

import gzip
import hashlib
import multiprocessing
from pathlib import Path

import pyoxigraph as ox

from kg92.formats import JSONLD, NQUADS, TRIG, TURTLE
from kg92.namespaces import PREFIXES

# file name → (format, union of graphs?, media type)
DUMPS: dict[str, tuple[ox.RdfFormat, bool, str]] = {
    "kg.nq": (ox.RdfFormat.N_QUADS, False, NQUADS.media_type),
    "kg.trig": (ox.RdfFormat.TRIG, False, TRIG.media_type),
    "kg.ttl": (ox.RdfFormat.TURTLE, True, TURTLE.media_type),
    "kg.jsonld": (ox.RdfFormat.JSON_LD, False, JSONLD.media_type),
}


def canonical_nquads(quads: list[ox.Quad]) -> bytes:
    """Sorted, deterministic N-Quads: blank nodes relabelled by RDFC-1.0, lines sorted.

    Only the quads that mention a blank node are canonicalised: RDFC-1.0 labels a blank node from the hashes of the
    quads that mention it (and of the blank nodes they relate it to), so the other quads cannot change a label, and
    they are serialised as they are (30 % of the quads at N=10 have a blank node). The lines are sorted as UTF-8
    bytes (the order of their code points, as str would sort them), each intermediate freed once the next exists."""
    blank = [q for q in quads if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)]
    dataset = ox.Dataset(blank)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = set(ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).splitlines())
    del dataset, blank
    lines.update(ox.serialize((q for q in quads if not isinstance(q.subject, ox.BlankNode)
                               and not isinstance(q.object, ox.BlankNode)), format=ox.RdfFormat.N_QUADS).splitlines())
    return b"\n".join(sorted(lines)) + b"\n"


class Pending:
    """The dumps being written by a forked process (:func:`start`); :meth:`result` waits for them."""

    def __init__(self, nq: bytes, out: Path):
        self.nq, self.out, self.proc, self.conn, self.done = nq, out, None, None, None
        ctx = multiprocessing.get_context("fork")
        if multiprocessing.current_process().daemon:
            return     # a daemonic process cannot have children: written inline by result()
        self.conn, child = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_child, args=(nq, out, child), daemon=True)
        self.proc.start()
        child.close()
        self.nq = None      # the child has its copy: the parent does not keep the dataset's bytes

    def result(self) -> dict[str, dict[str, object]]:
        if self.done is not None:
            return self.done
        if self.proc is None:
            self.done = write_dumps(self.nq, self.out)
            return self.done
        try:
            ok, got = self.conn.recv()
        except EOFError:
            ok, got = False, "the dump process ended without an answer"
        self.proc.join()
        if not ok:
            raise OSError(f"writing the dumps: {got}")
        self.done = got
        return got


def _child(nq: bytes, out: Path, conn) -> None:
    try:
        conn.send((True, write_dumps(nq, out)))
    except BaseException as exc:   # noqa: BLE001 — reported to the parent, which fails the build
        conn.send((False, f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def start(nq: bytes, out: Path) -> Pending:
    """Start writing the dumps of ``nq`` under ``out`` in a forked process (inline inside a daemonic one)."""
    return Pending(nq, out)


def _hashed(path: Path) -> tuple[int, str]:
    """(size, SHA-256) of a file, read in blocks."""
    h, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


def union_triples(quads):
    """The distinct triples of ``quads`` given in canonical N-Quads order (kg.nq's sorted lines), in the order of
    their N-Triples text: the copies of a triple in several graphs are adjacent lines (the graph comes last, and a
    space sorts before any character that continues a term), so one comparison with the previous triple drops them,
    and the lines' byte order is the order of the triples' text (UTF-8 sorts as code points)."""
    last = None
    for q in quads:
        t = ox.Triple(q.subject, q.predicate, q.object)
        if t != last:
            yield t
            last = t


def write_dumps(nq: bytes, out: Path) -> dict[str, dict[str, object]]:
    """Write every dump (plain and .gz) under ``out``; return {file: {sha256, bytes, media_type}}. Each is streamed
    from ``nq`` (canonical N-Quads: :func:`canonical_nquads`) to its file and from there to its .gz, none held whole in
    memory: the same bytes as serialising the parsed list (tests/build/test_dumps.py). The price: ``nq`` is parsed
    once per format (three times, in the dumps' own process, beside the build's other writers)."""
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, dict[str, object]] = {}
    for name, (fmt, union, media) in DUMPS.items():
        path = out / name
        if name == "kg.nq":
            path.write_bytes(nq)
        else:
            quads = ox.parse(nq, format=ox.RdfFormat.N_QUADS)
            ox.serialize(union_triples(quads) if union else quads, output=str(path), format=fmt,
                         prefixes=PREFIXES if fmt != ox.RdfFormat.JSON_LD else None)
        with path.open("rb") as src, gzip.GzipFile(out / f"{name}.gz", "wb", mtime=0) as gz:
            while block := src.read(1 << 20):
                gz.write(block)
        for fname in (name, f"{name}.gz"):
            size, digest = _hashed(out / fname)
            written[fname] = {"sha256": digest, "bytes": size,
                              "media_type": media, "encoding": "gzip" if fname.endswith(".gz") else None}
    (out / "SHA256SUMS").write_text("".join(f"{v['sha256']}  {k}\n" for k, v in sorted(written.items())), encoding="utf-8")
    return written
