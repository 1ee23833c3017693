"""SHACL validation of the data: parse, attach the source texts, run pySHACL, point each result at file:line.

The data graph is the ontology plus every data file (the integrity shapes need the ontology to know what is
declared) plus, at validation time only, each registered document's full text as ``kg:text`` (read from the
sources directory; never published). Shapes are read from ``shapes/*.ttl`` and meta-validated (pySHACL
``meta_shacl``). The SPARQL targets of ``provenance.ttl`` and ``integrity.ttl`` are resolved by Oxigraph
(:func:`resolve_sparql_targets`), the rest is pySHACL; the shapes are meta-validated once per version (:func:`meta_check`).
Messages come from the shapes graph in French and English (pySHACL drops the language tags of SPARQL messages).
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from kg92.build.lineindex import Lines
from kg92.build.report import SH, Report, Result
from kg92.build.shard import Raw, Unsupported, nt, raw_results
from kg92.build.sources import Parsed, as_input, read_all, to_rdflib
from kg92.build.units import run as run_units
from kg92.build.units import subject_index
from kg92.namespaces import PREFIXES
from kg92.quotes import read_text

__all__ = ["Report", "Result", "load_shapes", "meta_check", "resolve_sparql_targets", "validate", "validate_files"]

KG = Namespace(PREFIXES["kg"])
NO_SOURCES = ("Textes sources absents ({dir}) : les citations ne sont pas comparées aux documents.",
              "Source texts absent ({dir}): quotes are not checked against the documents.")
NO_TEXT = ("Aucun fichier « {value} » dans {dir} : les citations de ce document ne sont pas vérifiées.",
           "No file \"{value}\" in {dir}: the quotes of this document are not checked.")


def _locate(files: list[Parsed], index: dict[str, list[int]], r: Raw) -> tuple[str | None, int | None]:
    """The file and line of the offending triple (focus, path, value) when the result has a path and a value;
    else (a node-level result, a missing value, a blank node) the line of the description of the focus."""
    _, focus, _, _, _, _, value_s, node, path, value = r
    having = [files[i] for i in index.get(focus, ()) if focus in files[i].lines.subjects]
    term = ox.BlankNode(node[2:]) if node.startswith("_:") else ox.NamedNode(node[1:-1])
    written = [(f, f.by_subject.get(term, ())) for f in having]
    if isinstance(term, ox.BlankNode):
        having = [f for f, triples in written if triples] or having
    elif path is not None and value is not None:
        having = [f for f, triples in written if any(q.predicate.value == path and nt(to_rdflib(q.object)) == value
                                                     for q in triples)] or having
        line = having[0].lines.line_of(focus, path, value_s) if having else None
        if line is not None:
            return having[0].rel, line
    else:
        having = [f for f, triples in written if any(q.predicate.value == str(RDF.type) for q in triples)] or having
    return (having[0].rel, having[0].lines.subjects[focus]) if having else (None, None)


def _located(files: list[Parsed], raws: list[Raw], cache_dir: Path | None = None) -> list[Result]:
    """The results at their file:line; each file's line index is cached under ``cache_dir/lines`` by its SHA-256."""
    index = subject_index(files)
    cache = cache_dir / "lines" if cache_dir is not None else None
    fresh = []
    for f in files:
        try:
            f.__dict__["lines"] = Lines.from_json(json.loads((cache / f"{f.sha256}.json").read_text("utf-8")))
        except (OSError, ValueError, TypeError, KeyError):
            fresh.append(f)
    out = [Result(r[0], r[1], r[2], r[3], r[4], r[5], *_locate(files, index, r), r[6]) for r in set(raws)]
    for f in fresh:
        if cache is not None and "lines" in f.__dict__:
            try:
                cache.mkdir(parents=True, exist_ok=True)
                (cache / f"{f.sha256}.json").write_text(json.dumps(f.lines.to_json(), ensure_ascii=False), "utf-8")
            except OSError:
                pass   # a cache, never a reason to fail
    return out


def _attach_sources(sources_dir: Path | None, files: list[Parsed]) -> tuple[list[Result], bool, list[ox.Quad]]:
    """Each kg:SourceDocument's text as ``kg:text`` quads (the quote checks read it), or the results saying why not."""
    where = str(sources_dir) if sources_dir else "sources_dir"
    if sources_dir is None or not sources_dir.is_dir():
        fr, en = (m.format(dir=where) for m in NO_SOURCES)
        return [Result("Warning", str(KG.SourceDocument), None, fr, en, "kgsh:SourceTextShape", None, None, None)], False, []
    docs, names = set(), {}
    for f in files:
        for q in f.triples:
            if q.predicate.value == str(RDF.type) and q.object == ox.NamedNode(str(KG.SourceDocument)):
                docs.add(q.subject)
            elif q.predicate.value == str(DCTERMS.identifier):
                names.setdefault(q.subject, q.object)
    missing, quads = [], []
    for doc in sorted((d for d in docs if isinstance(d, ox.NamedNode)), key=lambda d: d.value):
        name = names[doc].value if doc in names else ""
        path = sources_dir / name
        if name and Path(name).name == name and path.is_file():
            quads.append(ox.Quad(doc, ox.NamedNode(str(KG.text)), ox.Literal(read_text(path))))
            continue
        fr, en = (m.format(dir=where, value=name) for m in NO_TEXT)
        value = str(names[doc]) if doc in names else None
        raw = ("Violation", doc.value, str(DCTERMS.identifier), fr, en, "kgsh:SourceTextShape", name or None, str(doc),
               str(DCTERMS.identifier), value)
        missing.append(_located(files, [raw])[0])
    return missing, True, quads


def _prefixes(shapes: Graph, node: Node) -> str:
    """The PREFIX declarations of a SHACL-SPARQL executable (``sh:prefixes`` → ``sh:declare``)."""
    lines = []
    for ontology in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(ontology, SH.declare):
            lines.append(f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>")
    return "\n".join(sorted(set(lines))) + "\n"


def resolve_sparql_targets(shapes: Graph, store: ox.Store) -> Graph:
    """A copy of ``shapes`` where each SPARQL target (``sh:target [ a sh:SPARQLTarget ; sh:select … ]``) is
    replaced by the ``sh:targetNode`` list of the nodes its query selects, the queries being run by Oxigraph.

    A SPARQL target *is* the set of nodes its query returns (SHACL-AF §5.1), so the rewritten shapes graph has
    the same focus nodes and the same results; pySHACL then only checks the constraints on those nodes. rdflib's
    SPARQL engine needs seconds per whole-graph scan over the data, Oxigraph milliseconds: this keeps the
    validation of the real data within a few seconds. ``store`` holds the same triples as pySHACL's data graph."""
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns)
    for triple in shapes:
        out.add(triple)
    for shape, target in list(shapes.subject_objects(SH.target)):
        if (target, RDF.type, SH.SPARQLTarget) not in shapes:
            continue
        query = _prefixes(shapes, target) + str(shapes.value(target, SH.select))
        out.remove((shape, SH.target, target))
        for solution in store.query(query):
            node = solution["this"]
            out.add((shape, SH.targetNode, URIRef(node.value) if isinstance(node, ox.NamedNode) else to_rdflib(node)))
    return out


def load_shapes(shapes: list[Parsed] | Path, root: Path | None = None) -> Graph:
    """The shapes graph of the parsed shapes files (or of ``shapes/*.ttl`` in a folder, read here)."""
    if isinstance(shapes, Path):
        shapes = read_all([as_input(p, root or shapes.parent, "shapes") for p in sorted(shapes.glob("*.ttl"))])
    if not shapes:
        raise ValueError("no shapes (shapes/*.ttl)")
    graph = Graph()
    for parsed in shapes:
        for triple in parsed.rdf:
            graph.add(triple)
    return graph


_META_OK: set[str] = set()


def meta_check(shapes: Graph, files: list[Parsed], cache_dir: Path | None) -> None:
    """Meta-validate the shapes as written against SHACL's own shapes (pySHACL's shacl-shacl graph).

    It costs about two seconds and only depends on the shapes: a success is remembered, per process and, when
    ``cache_dir`` is given, on disk, keyed by the SHA-256 of the shapes files and the pySHACL version."""
    from importlib.metadata import version

    from pyshacl.entrypoints import meta_validate
    from pyshacl.errors import ValidationFailure

    h = hashlib.sha256(f"pyshacl {version('pyshacl')}\n".encode())
    for parsed in sorted(files, key=lambda f: f.inp.path):
        h.update(parsed.inp.path.name.encode() + b"\0" + parsed.text.encode("utf-8") + b"\0")
    key = h.hexdigest()
    stamp = cache_dir / f"meta-shacl-{key[:32]}.ok" if cache_dir is not None else None
    if key in _META_OK or (stamp is not None and stamp.is_file()):
        return
    conforms, _, text = meta_validate(shapes, inference="rdfs")
    if not conforms:
        raise ValidationFailure(f"the shapes do not validate against SHACL's own shapes (shacl-shacl):\n{text}")
    _META_OK.add(key)
    if stamp is not None:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text("meta_shacl: conforms\n", encoding="utf-8")
        except OSError:
            pass  # a cache, never a reason to fail


def validate(files: list[Parsed], sources_dir: Path | None, cache_dir: Path | None = None,
             resolve_targets: bool = True, per_graph: bool = True, workers: int | None = None) -> Report:
    """The one validation entry point (the build, ``kg92 validate`` and ``POST /validate`` all end here).

    ``files``: the parsed ontology, data and shapes files (:func:`kg92.build.sources.read_all`). Each
    kg:SourceDocument gets its text (kg:text) from ``sources_dir`` when present; the shapes run per graph
    (:mod:`kg92.build.units`: one unit per data file, in ``workers`` processes, cached under ``cache_dir``) or,
    with ``per_graph=False`` (or shapes it cannot split), over the whole graph at once — the same report; results are
    mapped to file:line. ``resolve_targets=False``: whole graph, SPARQL targets left to pySHACL (the benchmark's
    baseline). Raises ValueError on invalid shapes (a Turtle syntax error was raised by the parse)."""
    from pyshacl.errors import ReportableRuntimeError, ValidationFailure

    started = time.perf_counter()
    data_files = [f for kind in ("data", "ontology") for f in files if f.inp.kind == kind]
    shape_files = [f for f in files if f.inp.kind == "shapes"]
    shapes_dir = shape_files[0].inp.path.parent if shape_files else Path("shapes")
    shapes = load_shapes(shape_files)
    extra, checked, texts = _attach_sources(sources_dir, data_files)
    stats: dict = {"units": 1, "revalidated": 1, "cached": 0, "revalidated_units": ["(whole graph)"]}
    try:
        meta_check(shapes, shape_files, cache_dir)
        try:
            if not (per_graph and resolve_targets):
                raise Unsupported("whole-graph validation asked for")
            raws, got = run_units(data_files, shape_files, texts, shapes, cache_dir, workers)
            stats = got.as_dict()
        except Unsupported:
            raws = _whole(data_files, texts, shapes, resolve_targets)
    except (ReportableRuntimeError, ValidationFailure) as exc:
        raise ValueError(f"{shapes_dir}: the shapes are not valid SHACL: {exc}") from exc
    results = sorted(set(_located(data_files, raws, cache_dir)) | set(extra), key=Result.sort_key)
    return Report(conforms=not any(r.severity == "Violation" for r in results), results=results,
                  seconds=time.perf_counter() - started, sources_checked=checked, units=stats)


def _whole(data_files: list[Parsed], texts: list[ox.Quad], shapes: Graph, resolve_targets: bool) -> list[Raw]:
    """pySHACL over one rdflib graph of everything (SPARQL targets resolved by Oxigraph unless told not to)."""
    from pyshacl import validate as shacl

    data, store = Graph(), ox.Store()   # pySHACL's data graph; the same triples for Oxigraph (SPARQL targets)
    for f in data_files:
        for triple in f.rdf:
            data.add(triple)
        store.bulk_extend(f.triples)
    store.bulk_extend(texts)
    for q in texts:
        data.add((URIRef(q.subject.value), KG.text, Literal(q.object.value)))
    # meta-validated as written, then run with the SPARQL targets already resolved by Oxigraph
    # (resolve_targets=False leaves them to pySHACL's own SPARQL engine: the benchmark's baseline)
    run_shapes = resolve_sparql_targets(shapes, store) if resolve_targets else shapes
    _, report, _ = shacl(data, shacl_graph=run_shapes, inference="none", meta_shacl=False, advanced=True,
                         inplace=True, allow_warnings=True, abort_on_first=False)
    return raw_results(report, shapes, data)


def validate_files(data_files: list[Path], ontology_files: list[Path], shapes_dir: Path,
                   sources_dir: Path | None, root: Path, cache_dir: Path | None = None,
                   aliases: dict[Path, str] | None = None, resolve_targets: bool = True,
                   per_graph: bool = True) -> Report:
    """:func:`validate` for files given by path (parsed here; ``aliases`` gives the name to report for a file, e.g. a
    candidate outside ``root``). Raises ValueError('file:line:col: …') on a Turtle syntax error or invalid shapes."""
    names = {Path(k): v for k, v in (aliases or {}).items()}
    shapes = sorted(shapes_dir.glob("*.ttl"))
    if not shapes:
        raise ValueError(f"{shapes_dir}: no shapes (*.ttl)")
    inputs = [as_input(Path(p), root, kind, names.get(Path(p)))
              for kind, paths in (("data", data_files), ("ontology", ontology_files), ("shapes", shapes)) for p in paths]
    return validate(read_all(inputs), sources_dir, cache_dir, resolve_targets, per_graph)
