"""One validation unit (a data file, or the shared files) checked by pySHACL, in a worker process or inline.

:func:`prepare` is called once per validation, before the worker processes fork: it holds the *base* of every
unit's data graph (the ontology, the shared data files and the documents' ``kg:text``) as Oxigraph quads and as
rdflib triples, and the shapes with every target removed. :func:`run_unit` then builds one unit's data graph (the
base, the unit's own triples, and the *foreign* triples :mod:`kg92.build.units` found it needs: the descriptions,
in other data files, of the nodes it reaches), resolves every shape's targets with Oxigraph over that graph, keeps
the focus nodes the unit *owns* and hands them to pySHACL as ``sh:targetNode``: each node of the dataset is checked
once, in the unit of the first file that describes it, over a graph that holds everything its shapes read.

The shapes marked ``kgsh:wholeGraph true`` (their constraint compares a node with every other, e.g. duplicate
labels) are left out here and checked once over the whole dataset by :func:`whole_graph_results`, as SPARQL run
by Oxigraph with ``$this`` pre-bound (SHACL-SPARQL §5.3 semantics: one result per solution, ``sh:value`` is
``?value`` or, for a node shape, the focus node).

A result leaves here as a :data:`Raw` tuple of strings (focus, path, value, messages, shape, and the N-Triples form
of pySHACL's focus node, path and value), picklable and cacheable; :mod:`kg92.build.validate` maps it to file:line.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL

from kg92.build.lean import lean
from kg92.build.lineindex import owner
from kg92.build.report import SH, compact
from kg92.build.sources import to_rdflib

KGSH = Namespace("https://w3id.org/kg92/shapes#")
# (severity, focus IRI, path IRI, message fr, message en, shape, value, node N-T, path str, value N-T)
Raw = tuple[str, str, "str | None", str, str, str, "str | None", str, "str | None", "str | None"]
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
_STATE: dict = {}


class Unsupported(ValueError):
    """The shapes use a target that per-unit validation cannot resolve exactly (the caller validates whole)."""


def whole_graph_shapes(shapes: Graph) -> set:
    return set(shapes.subjects(KGSH.wholeGraph, Literal(True)))


def targets(shapes: Graph) -> dict:
    """``{shape: [(kind, argument)]}`` for every shape with a target; Unsupported for the targets that select
    nodes that need not be subjects (sh:targetObjectsOf, sh:targetNode, implicit class targets…)."""
    found: dict = {}
    for kind in TARGETS:
        for shape, arg in shapes.subject_objects(kind):
            if kind in (SH.targetObjectsOf, SH.targetNode):
                raise Unsupported(f"{compact(str(shape))}: {compact(str(kind))}")
            if kind == SH.target and (arg, RDF.type, SH.SPARQLTarget) not in shapes:
                raise Unsupported(f"{compact(str(shape))}: a sh:target that is not a sh:SPARQLTarget")
            found.setdefault(shape, []).append((kind, arg))
    for cls in (RDFS.Class, OWL.Class):
        for shape in shapes.subjects(RDF.type, cls):
            if (shape, RDF.type, SH.NodeShape) in shapes or (shape, RDF.type, SH.PropertyShape) in shapes:
                raise Unsupported(f"{compact(str(shape))}: an implicit class target")
    return found


def _prefixes(shapes: Graph, node) -> str:
    lines = {f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>"
             for o in shapes.objects(node, SH.prefixes) for d in shapes.objects(o, SH.declare)}
    return "\n".join(sorted(lines)) + "\n"


def target_query(shapes: Graph, kind, arg) -> str:
    if kind == SH.targetClass:
        return (f"SELECT DISTINCT ?this WHERE {{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{arg}> }}")
    if kind == SH.targetSubjectsOf:
        return f"SELECT DISTINCT ?this WHERE {{ ?this <{arg}> ?o }}"
    return _prefixes(shapes, arg) + str(shapes.value(arg, SH.select))


def prepare(base: list[ox.Quad], shapes: Graph, tasks: list | None = None) -> None:
    """The state every unit shares (set before the workers fork; they inherit it): the base as quads and as an
    rdflib graph built once (a worker forked for one unit adds the unit's triples to it: see :func:`run_task`),
    the shapes without targets, the target queries and the ``tasks`` (own, foreign, owned) of the pending units."""
    plain = Graph()
    for prefix, ns in shapes.namespaces():
        plain.bind(prefix, ns)
    for triple in shapes:
        if triple[1] not in TARGETS:
            plain.add(triple)
    glob = whole_graph_shapes(shapes)
    queries = {shape: [target_query(shapes, k, a) for k, a in found]
               for shape, found in targets(shapes).items()
               if shape not in glob and (shape, SH.deactivated, Literal(True)) not in shapes}
    base_rdf = [_rdf(q) for q in base]
    graph = Graph()
    for triple in base_rdf:
        graph.add(triple)
    _STATE.update(base=base, base_rdf=base_rdf, base_graph=graph, shapes=shapes, plain=plain, queries=queries,
                  tasks=tasks or [])


def release() -> None:
    """Forget what :func:`prepare` set (once the units ran)."""
    _STATE.clear()


def run_task(index: int) -> list[Raw]:
    """Unit ``index`` of the prepared tasks, in a worker process forked for it alone (``maxtasksperchild=1``): the
    base graph it inherited is its data graph, nothing is copied or sent but the results."""
    own, foreign, owned = _STATE["tasks"][index]
    return run_unit(own, foreign, owned, data=_STATE["base_graph"])


def _rdf(q: ox.Quad) -> tuple:
    return to_rdflib(q.subject), URIRef(q.predicate.value), to_rdflib(q.object)


def nt(term) -> str | None:
    """An rdflib term in N-Triples (the form of ``str(ox term)``), to compare with the parsed files."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(ox.NamedNode(str(term)))
    if isinstance(term, BNode):
        return f"_:{term}"
    if term.language:
        return str(ox.Literal(str(term), language=term.language))
    return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None))


def run_unit(own: list[ox.Quad], foreign: list[ox.Quad], owned: set[str], data: Graph | None = None) -> list[Raw]:
    """pySHACL over base + own + foreign, on the focus nodes in ``owned`` (N-Triples strings) only; ``data``: the
    base graph to add the unit's triples to (a forked worker's own copy), else a new one is built."""
    from pyshacl import validate as shacl

    if data is None:
        data = Graph()
        for triple in _STATE["base_rdf"]:
            data.add(triple)
    for q in (*own, *foreign):
        data.add(_rdf(q))
    store = ox.Store()
    store.bulk_extend([*_STATE["base"], *own, *foreign])
    plain: Graph = _STATE["plain"]
    added = []
    for shape, queries in _STATE["queries"].items():
        for query in queries:
            for solution in store.query(query):
                node = solution["this"]
                if str(node) in owned:
                    added.append((shape, SH.targetNode, to_rdflib(node)))
    for triple in added:
        plain.add(triple)
    try:
        with lean():
            _, report, _ = shacl(data, shacl_graph=plain, inference="none", meta_shacl=False, advanced=True,
                                 inplace=True, allow_warnings=True, abort_on_first=False)
    finally:
        for triple in added:
            plain.remove(triple)
    return raw_results(report, _STATE["shapes"], data)


def messages(shapes: Graph, nodes: list) -> dict[str, str]:
    for node in nodes:
        found = {m.language: str(m) for m in shapes.objects(node, SH.message) if isinstance(m, Literal)}
        if found:
            return found
    return {}


def fill(template: str, this: str, path: str | None, value: str | None) -> str:
    import re
    for name, text in (("this", this), ("path", path), ("value", value)):
        template = re.sub(r"\{[?$]" + name + r"\}", lambda _m, t=text: t or "", template)
    return template


def raw(severity: str, focus: str, path, value, shape: str, msgs: dict, node_nt: str, path_key, value_nt) -> Raw:
    path_s = path.value if isinstance(path, ox.NamedNode) else str(path) if isinstance(path, URIRef) else None
    plain = None if value is None or isinstance(value, (BNode, ox.BlankNode)) else \
        value.value if isinstance(value, (ox.NamedNode, ox.Literal)) else str(value)
    fr = fill(msgs.get("fr", msgs.get("en", "")), focus, path_s, plain)
    en = fill(msgs.get("en", msgs.get("fr", "")), focus, path_s, plain)
    return (severity, focus, path_s, fr, en, shape, plain, node_nt, path_key, value_nt)


def raw_results(report: Graph, shapes: Graph, data: Graph) -> list[Raw]:
    """pySHACL's top-level results (not the nested causes of a result) as :data:`Raw` tuples."""
    out = set()
    details = set(report.objects(None, SH.detail))
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
        msgs = messages(shapes, [n for n in (report.value(res, SH.sourceConstraint), source, named) if n is not None])
        if not msgs:  # a constraint without sh:message: pySHACL's own (English) wording for both languages
            text = "; ".join(sorted(str(m) for m in report.objects(res, SH.resultMessage)))
            msgs = {"fr": text, "en": text}
        severity = str(report.value(res, SH.resultSeverity)).rsplit("#", 1)[-1]
        shape = compact(str(named)) if named is not None else "-"
        out.add(raw(severity, focus_iri, path, value, shape, msgs, nt(node),
                    str(path) if path is not None else None, nt(value)))
    return sorted(out, key=lambda r: tuple(x or "" for x in r))


def _get(solution, name: str):
    try:
        return solution[name]
    except KeyError:   # not a variable of the query
        return None


def whole_graph_results(shapes: Graph, store: ox.Store) -> list[Raw]:
    """The ``kgsh:wholeGraph`` shapes over the whole dataset (``store``): SPARQL target, then each
    ``sh:sparql`` constraint with ``$this`` pre-bound. Only SPARQL targets and constraints are allowed there."""
    out = set()
    for shape in sorted(whole_graph_shapes(shapes), key=str):
        allowed = {RDF.type, SH.target, SH.sparql, SH.severity, SH.message, SH.deactivated, RDFS.comment,
                   KGSH.wholeGraph}
        if any(p not in allowed for p in shapes.predicates(shape)) or (shape, SH.path, None) in shapes:
            raise Unsupported(f"{compact(str(shape))}: a kgsh:wholeGraph shape has SPARQL targets and constraints only")
        if (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        severity = str(shapes.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        focus = set()
        for kind, arg in targets(shapes).get(shape, []):
            focus |= {s["this"] for s in store.query(target_query(shapes, kind, arg))}
        for constraint in shapes.objects(shape, SH.sparql):
            if (constraint, SH.deactivated, Literal(True)) in shapes:
                continue
            query = _prefixes(shapes, constraint) + str(shapes.value(constraint, SH.select))
            msgs = messages(shapes, [constraint, shape])
            for node in focus:
                for s in store.query(query, substitutions={ox.Variable("this"): node}):
                    path, value = _get(s, "path"), _get(s, "value") or node
                    out.add(raw(severity, node.value, path, value, compact(str(shape)), msgs, str(node),
                                path.value if path is not None else None, str(value)))
    return sorted(out, key=lambda r: tuple(x or "" for x in r))
