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
import logging
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from kg92.build.lineindex import Lines, lines_of_file, owner
from kg92.namespaces import PREFIXES
from kg92.quotes import read_text

SH = Namespace("http://www.w3.org/ns/shacl#")
KG = Namespace(PREFIXES["kg"])
KGSH = "https://w3id.org/kg92/shapes#"
SEVERITIES = ("Violation", "Warning", "Info")
COMPACT = {"kgsh": KGSH, **PREFIXES}
NO_SOURCES = ("Textes sources absents ({dir}) : les citations ne sont pas comparées aux documents.",
              "Source texts absent ({dir}): quotes are not checked against the documents.")
NO_TEXT = ("Aucun fichier « {value} » dans {dir} : les citations de ce document ne sont pas vérifiées.",
           "No file \"{value}\" in {dir}: the quotes of this document are not checked.")


@dataclass(frozen=True)
class Result:
    severity: str            # "Violation" | "Warning" | "Info"
    focus: str               # focus node IRI (for a blank node: the IRI of the nearest named subject that owns it)
    path: str | None         # property IRI, or None
    message_fr: str
    message_en: str
    shape: str               # source shape, compact ("kgsh:FigureShape")
    file: str | None         # repository-relative path, e.g. "data/ttl/doc-000.ttl"
    line: int | None
    value: str | None

    def sort_key(self) -> tuple:
        return (self.file or "~", SEVERITIES.index(self.severity), self.line or 0, self.focus, self.shape,
                self.path or "", self.value or "")


@dataclass
class Report:
    conforms: bool           # False iff at least one Violation
    results: list[Result]
    seconds: float
    sources_checked: bool    # False when the source texts were absent (quote checks skipped, with a warning)

    def counts(self) -> dict[str, int]:
        found = Counter(r.severity for r in self.results)
        return {s: found.get(s, 0) for s in SEVERITIES}

    def to_text(self, lang: str = "en") -> str:
        """Grouped by file (files with Violations first), Violations first within a file, counts at the end."""
        fr = lang == "fr"
        names = {"Violation": ("violation", "Violation"), "Warning": ("avertissement", "Warning"), "Info": ("info", "Info")}
        by_file: dict[str, list[Result]] = {}
        for r in sorted(self.results, key=Result.sort_key):
            by_file.setdefault(r.file or "-", []).append(r)
        order = sorted(by_file, key=lambda f: (all(r.severity != "Violation" for r in by_file[f]), f == "-", f))
        lines: list[str] = []
        for name in order:
            group = Counter(r.severity for r in by_file[name])
            summary = ", ".join(f"{n} {names[s][0 if fr else 1]}{'s' if n > 1 else ''}" for s, n in group.items())
            lines.append(f"── {name} ({summary})")
            for r in by_file[name]:
                where = f"{r.file}:{r.line or 0}" if r.file else "-"
                path = f" {compact(r.path)}" if r.path else ""
                label = names[r.severity][0 if fr else 1].capitalize()
                value = f" ({r.value})" if r.value and r.value != r.focus and r.value not in (r.message_fr + r.message_en) else ""
                message = one_line(r.message_fr if fr else r.message_en)
                lines.append(f"{where}: <{r.focus}>{path}: {label}: {message}{one_line(value)} [{r.shape}]")
            lines.append("")
        c = self.counts()
        if fr:
            verdict = "conforme" if self.conforms else "NON CONFORME"
            checked = "" if self.sources_checked else " ; citations non vérifiées (textes sources absents)"
            lines.append(f"{c['Violation']} violation(s), {c['Warning']} avertissement(s), {c['Info']} info(s) — "
                         f"{verdict} — validé en {self.seconds:.2f} s{checked}".replace(".", ","))
        else:
            verdict = "conforms" if self.conforms else "DOES NOT CONFORM"
            checked = "" if self.sources_checked else "; quotes not checked (source texts absent)"
            lines.append(f"{c['Violation']} Violation(s), {c['Warning']} Warning(s), {c['Info']} Info — "
                         f"{verdict} — validated in {self.seconds:.2f} s{checked}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"conforms": self.conforms, "sources_checked": self.sources_checked, "seconds": round(self.seconds, 3),
                "counts": self.counts(), "results": [asdict(r) for r in sorted(self.results, key=Result.sort_key)]}

    def to_turtle(self) -> str:
        """A sh:ValidationReport graph; file and line as kgsh:sourceFile / kgsh:sourceLine."""
        g = Graph()
        g.bind("sh", SH)
        g.bind("kgsh", KGSH)
        rep = BNode()
        g.add((rep, RDF.type, SH.ValidationReport))
        g.add((rep, SH.conforms, Literal(self.conforms)))
        g.add((rep, URIRef(KGSH + "sourcesChecked"), Literal(self.sources_checked)))
        for r in sorted(self.results, key=Result.sort_key):
            node = BNode()
            g.add((rep, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.resultSeverity, SH[r.severity]))
            g.add((node, SH.focusNode, URIRef(r.focus)))
            g.add((node, SH.sourceShape, URIRef(expand(r.shape))))
            g.add((node, SH.resultMessage, Literal(r.message_fr, lang="fr")))
            g.add((node, SH.resultMessage, Literal(r.message_en, lang="en")))
            if r.path:
                g.add((node, SH.resultPath, URIRef(r.path)))
            if r.value is not None:
                g.add((node, SH.value, URIRef(r.value) if re.match(r"^https?://\S+$", r.value) else Literal(r.value)))
            if r.file:
                g.add((node, URIRef(KGSH + "sourceFile"), Literal(r.file)))
                g.add((node, URIRef(KGSH + "sourceLine"), Literal(r.line or 0)))
        return g.serialize(format="turtle")


def one_line(text: str) -> str:
    """One report entry, one line: the line breaks a message quotes from a document are shown as ⏎."""
    return text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")


def compact(iri: str) -> str:
    for prefix, ns in COMPACT.items():
        if iri.startswith(ns) and re.fullmatch(r"[\w.-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return COMPACT[prefix] + local if prefix in COMPACT and not name.startswith("<") else name.strip("<>")


def _term(t) -> Node:
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    dt = t.datatype.value
    return Literal(t.value) if dt == str(XSD.string) else Literal(t.value, datatype=URIRef(dt))


@dataclass
class _File:
    rel: str
    lines: Lines
    triples: set = field(default_factory=set)
    subjects: set = field(default_factory=set)

    @property
    def index(self) -> dict[str, int]:
        return self.lines.subjects


def _read(path: Path, root: Path, into: Graph, alias: str | None = None, store: ox.Store | None = None) -> _File:
    """Parse ``path`` once with Oxigraph: its triples go into ``into`` (rdflib, for pySHACL) and, as parsed, into
    ``store`` (Oxigraph, for the SPARQL targets) when given."""
    rel = alias or (path.resolve().relative_to(root.resolve()).as_posix()
                    if path.resolve().is_relative_to(root.resolve()) else str(path))
    try:
        quads = list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))
        triples = {(_term(q.subject), URIRef(q.predicate.value), _term(q.object)) for q in quads}
    except SyntaxError as exc:
        raise ValueError(f"{rel}:{exc.lineno}:{exc.offset}: Turtle syntax error: {exc.msg}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{rel}: cannot read: {exc}") from exc
    for t in triples:
        into.add(t)
    if store is not None:
        store.bulk_extend(quads)
    return _File(rel, lines_of_file(path), triples, {s for s, _, _ in triples})


def _locate(files: list[_File], node: Node, focus: str, path: Node | None, value: Node | None) -> tuple[str | None, int | None]:
    """The file and line of the offending triple (``focus``, ``path``, ``value``) when the result has a path and a
    value; else (a node-level result, a missing value, a blank node) the line of the description of ``focus``."""
    having = [f for f in files if focus in f.index]
    if isinstance(node, BNode):
        having = [f for f in having if node in f.subjects] or having
    elif path is not None and value is not None:
        having = [f for f in having if (node, path, value) in f.triples] or having
        line = having[0].lines.line_of(focus, str(path), None if isinstance(value, BNode) else str(value)) if having else None
        if line is not None:
            return having[0].rel, line
    else:
        having = [f for f in having if any(s == node and p == RDF.type for s, p, _ in f.triples)] or having
    return (having[0].rel, having[0].index[focus]) if having else (None, None)


def _attach_sources(data: Graph, sources_dir: Path | None, files: list[_File]) -> tuple[list[Result], bool]:
    where = str(sources_dir) if sources_dir else "sources_dir"
    if sources_dir is None or not sources_dir.is_dir():
        fr, en = (m.format(dir=where) for m in NO_SOURCES)
        return [Result("Warning", str(KG.SourceDocument), None, fr, en, "kgsh:SourceTextShape", None, None, None)], False
    missing = []
    for doc in sorted(set(data.subjects(RDF.type, KG.SourceDocument)), key=str):
        name = str(data.value(doc, DCTERMS.identifier) or "")
        path = sources_dir / name
        if name and Path(name).name == name and path.is_file():
            data.add((doc, KG.text, Literal(read_text(path))))
            continue
        fr, en = (m.format(dir=where, value=name) for m in NO_TEXT)
        file, line = _locate(files, doc, str(doc), DCTERMS.identifier, data.value(doc, DCTERMS.identifier))
        missing.append(Result("Violation", str(doc), str(DCTERMS.identifier), fr, en, "kgsh:SourceTextShape",
                              file, line, name or None))
    return missing, True


def _messages(shapes: Graph, nodes: list[Node]) -> dict[str, str]:
    for node in nodes:
        found = {m.language: str(m) for m in shapes.objects(node, SH.message) if isinstance(m, Literal)}
        if found:
            return found
    return {}


def _fill(template: str, this: str, path: str | None, value: str | None) -> str:
    for name, text in (("this", this), ("path", path), ("value", value)):
        template = re.sub(r"\{[?$]" + name + r"\}", lambda _m, t=text: t or "", template)
    return template


def _results(report: Graph, shapes: Graph, data: Graph, files: list[_File]) -> list[Result]:
    out = set()
    details = set(report.objects(None, SH.detail))   # pySHACL nests the causes of a result: not results of their own
    for res in report.subjects(RDF.type, SH.ValidationResult):
        if res in details:
            continue
        node = report.value(res, SH.focusNode)
        focus = owner(data, node)
        focus_iri = str(focus) if focus is not None else str(node)
        path = report.value(res, SH.resultPath)
        value = report.value(res, SH.value)
        source = report.value(res, SH.sourceShape)
        named = owner(shapes, source) if isinstance(source, BNode) else source
        msgs = _messages(shapes, [n for n in (report.value(res, SH.sourceConstraint), source, named) if n is not None])
        if not msgs:  # a constraint without sh:message: pySHACL's own (English) wording for both languages
            text = "; ".join(sorted(str(m) for m in report.objects(res, SH.resultMessage)))
            msgs = {"fr": text, "en": text}
        path_s = str(path) if isinstance(path, URIRef) else None
        value_s = None if value is None or isinstance(value, BNode) else str(value)
        file, line = _locate(files, node, focus_iri, path, value)
        severity = str(report.value(res, SH.resultSeverity)).rsplit("#", 1)[-1]
        fr = _fill(msgs.get("fr", msgs.get("en", "")), focus_iri, path_s, value_s)
        en = _fill(msgs.get("en", msgs.get("fr", "")), focus_iri, path_s, value_s)
        out.add(Result(severity, focus_iri, path_s, fr, en, compact(str(named)) if named is not None else "-",
                       file, line, value_s))
    return sorted(out, key=Result.sort_key)


def _to_ox(t: Node):
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if t.language:
        return ox.Literal(str(t), language=t.language)
    return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD.string)))


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
            out.add((shape, SH.targetNode, URIRef(node.value) if isinstance(node, ox.NamedNode) else _term(node)))
    return out


def load_shapes(shapes_dir: Path, root: Path) -> Graph:
    shapes = Graph()
    paths = sorted(shapes_dir.glob("*.ttl"))
    if not paths:
        raise ValueError(f"{shapes_dir}: no shapes (*.ttl)")
    for path in paths:
        _read(path, root, shapes)
    return shapes


_META_OK: set[str] = set()


def meta_check(shapes: Graph, shapes_dir: Path, cache_dir: Path | None) -> None:
    """Meta-validate the shapes as written against SHACL's own shapes (pySHACL's shacl-shacl graph).

    It costs about two seconds and only depends on the shapes: a success is remembered, per process and, when
    ``cache_dir`` is given, on disk, keyed by the SHA-256 of the shapes files and the pySHACL version."""
    from importlib.metadata import version

    from pyshacl.entrypoints import meta_validate
    from pyshacl.errors import ValidationFailure

    h = hashlib.sha256(f"pyshacl {version('pyshacl')}\n".encode())
    for path in sorted(shapes_dir.glob("*.ttl")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
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


def validate_files(data_files: list[Path], ontology_files: list[Path], shapes_dir: Path,
                   sources_dir: Path | None, root: Path, cache_dir: Path | None = None,
                   aliases: dict[Path, str] | None = None, resolve_targets: bool = True) -> Report:
    """Parse, attach each kg:SourceDocument's text (kg:text) from ``sources_dir`` when present, run pySHACL,
    map results to file:line (``aliases`` gives the name to report for a file outside ``root``).
    Raises ValueError('file:line:col: …') on a Turtle syntax error or invalid shapes."""
    from pyshacl import validate as shacl
    from pyshacl.errors import ReportableRuntimeError, ValidationFailure

    started = time.perf_counter()
    term_log = logging.getLogger("rdflib.term")
    level = term_log.level
    term_log.setLevel(logging.ERROR)  # ill-typed literals are reported by the shapes, not logged by rdflib
    try:
        data = Graph()
        names = {Path(k): v for k, v in (aliases or {}).items()}   # e.g. a candidate file shown as "candidate.ttl"
        store = ox.Store()   # the same triples for Oxigraph (SPARQL targets), from the same parse
        files = [_read(Path(p), root, data, names.get(Path(p)), store) for p in [*data_files, *ontology_files]]
        shapes = load_shapes(shapes_dir, root)
    finally:
        term_log.setLevel(level)
    extra, checked = _attach_sources(data, sources_dir, files)
    store.bulk_extend(ox.Quad(_to_ox(doc), ox.NamedNode(str(KG.text)), _to_ox(text))
                      for doc, text in data.subject_objects(KG.text))
    try:
        meta_check(shapes, shapes_dir, cache_dir)
        # meta-validated as written (above), then run with the SPARQL targets already resolved by Oxigraph
        # (resolve_targets=False leaves them to pySHACL's own SPARQL engine: the benchmark's baseline)
        run_shapes = resolve_sparql_targets(shapes, store) if resolve_targets else shapes
        _, report, _ = shacl(data, shacl_graph=run_shapes, inference="none",
                             meta_shacl=False, advanced=True,
                             inplace=True, allow_warnings=True, abort_on_first=False)
    except (ReportableRuntimeError, ValidationFailure) as exc:
        raise ValueError(f"{shapes_dir}: the shapes are not valid SHACL: {exc}") from exc
    results = sorted(set(_results(report, shapes, data, files)) | set(extra), key=Result.sort_key)
    return Report(conforms=not any(r.severity == "Violation" for r in results), results=results,
                  seconds=time.perf_counter() - started, sources_checked=checked)
