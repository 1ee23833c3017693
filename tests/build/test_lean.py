"""kg92.build.lean: pySHACL's costs cut inside the context only, and restored after it (the report is guarded by
test_pergraph, which compares the lean per-graph validation with the whole-graph one on the data and fixtures)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from kg92.build.lean import FastParams, lean

SH = "http://www.w3.org/ns/shacl#"
SHAPES = f"""@prefix sh: <{SH}> . @prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:property [ sh:path ex:label ; sh:qualifiedValueShape [ sh:languageIn ( "fr" ) ] ; sh:qualifiedMinCount 1 ] ;
  sh:property [ sh:path ex:n ; sh:or ( [ sh:datatype <http://www.w3.org/2001/XMLSchema#integer> ]
                                       [ sh:datatype <http://www.w3.org/2001/XMLSchema#decimal> ] ) ] .
"""
DATA = """@prefix ex: <http://example.org/> .
ex:a a ex:C ; ex:label "hello"@en ; ex:n "x" .
ex:b a ex:C ; ex:label "bonjour"@fr ; ex:n 3 .
"""


def _results(graph: Graph) -> set:
    return {(str(graph.value(r, URIRef(SH + "focusNode"))), str(graph.value(r, URIRef(SH + "sourceConstraintComponent"))))
            for r in graph.subjects(URIRef(SH + "resultSeverity"), None)}


def _run() -> tuple[bool, set, str]:
    from pyshacl import validate
    conforms, report, text = validate(Graph().parse(data=DATA, format="turtle"),
                                      shacl_graph=Graph().parse(data=SHAPES, format="turtle"), inference="none")
    return conforms, _results(report), text


def test_same_report_graph_and_state_restored():
    import pyshacl.shape as shape_module
    from pyshacl.constraints.constraint_component import ConstraintComponent
    from pyshacl.constraints.core.shape_based_constraints import PropertyConstraintComponent

    conforms, results, text = _run()     # pySHACL caches its parameter list in its module on first use
    before = (ConstraintComponent.make_v_result_description, PropertyConstraintComponent._evaluate_property_shape,
              shape_module.CONSTRAINT_PARAMS)
    with lean():
        lean_conforms, lean_results, lean_text = _run()
    assert (conforms, lean_conforms) == (False, False)
    assert results == lean_results == {
        ("http://example.org/a", SH + "QualifiedMinCountConstraintComponent"),
        ("http://example.org/a", SH + "OrConstraintComponent")}
    assert "Constraint Violation in" in text and "Constraint Violation in" not in lean_text  # descriptions only
    after = (ConstraintComponent.make_v_result_description, PropertyConstraintComponent._evaluate_property_shape,
             shape_module.CONSTRAINT_PARAMS)
    assert all(a is b for a, b in zip(after, before, strict=True))


def test_fast_params_is_a_list_with_set_membership():
    a, b, c = URIRef("http://example.org/a"), URIRef("http://example.org/b"), Literal("c")
    params = FastParams([a, b])
    copy = params.copy()
    copy.append(c)
    assert (a in params, c in params, c in copy, b in copy) == (True, False, True, True)
    assert list(copy) == [a, b, c] and isinstance(copy, FastParams) and list(params) == [a, b]
