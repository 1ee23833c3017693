"""kg92.build.lineindex directly: where each subject and each top-level triple is written in a Turtle text."""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef

from kg92.build.lineindex import Lines, index_text, owner

EX = "https://e.org/"
TEXT = '''@prefix ex: <https://e.org/> .
@base <https://e.org/base/> .
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
# ex:commented a ex:Nothing .
ex:a a ex:Thing ;
    rdfs:label "A \\" ; not the end" , "B"@en ;
    ex:note """two
lines ; ex:fake ex:x .""" ;
    ex:part [ ex:inner ex:hidden ] ;
    ex:list ( ex:one ex:two ) ;
    ex:count 1e3 .
<rel> ex:to ex:a .
ex:b\\.c ex:to <https://e.org/a> .
'''
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_subjects_are_found_at_the_line_their_description_starts():
    assert index_text(TEXT) == {EX + "a": 5, EX + "base/rel": 12, EX + "b.c": 13}


def test_each_top_level_triple_has_its_line_and_object():
    lines = Lines(TEXT)
    assert lines.objects[EX + "a", RDF_TYPE] == [(5, EX + "Thing")]
    assert lines.objects[EX + "a", RDFS_LABEL] == [(6, 'A " ; not the end'), (6, "B")]   # unescaped
    assert lines.objects[EX + "a", EX + "note"] == [(7, "two\nlines ; ex:fake ex:x .")]
    assert lines.objects[EX + "a", EX + "part"] == [(9, None)]       # a blank node: no value
    assert lines.objects[EX + "a", EX + "list"] == [(10, None)]      # a collection: no value
    assert (EX + "hidden", EX + "inner") not in lines.objects and (EX + "a", EX + "inner") not in lines.objects
    assert (EX + "a", EX + "fake") not in lines.objects               # inside a long string
    assert EX + "commented" not in lines.subjects                     # inside a comment


def test_line_of_prefers_the_object_as_written_else_the_first_of_the_predicate():
    lines = Lines(TEXT)
    assert lines.line_of(EX + "a", RDFS_LABEL, "B") == 6
    assert lines.line_of(EX + "a", EX + "count", "1000.0") == 11      # spelt 1e3 in the file
    assert lines.line_of(EX + "base/rel", EX + "to", EX + "a") == 12
    assert lines.line_of(EX + "a", EX + "missing", None) is None


def test_a_blank_node_is_owned_by_the_nearest_named_subject():
    graph = Graph()
    graph.parse(data=TEXT, format="turtle")
    part = graph.value(URIRef(EX + "a"), URIRef(EX + "part"))
    assert isinstance(part, BNode)
    assert owner(graph, part) == URIRef(EX + "a")
    assert owner(graph, URIRef(EX + "b.c")) == URIRef(EX + "b.c")
    assert owner(graph, BNode("orphan")) is None


def test_odd_input_records_less_and_never_raises():
    assert index_text('ex:a ex:b "never closed') == {}
    assert index_text(";;; ]]] .") == {} and index_text(")))") == {}
    assert index_text("@prefix ex: <https://e.org/> . ex:a ex:b [ ex:c ( ex:d") == {EX + "a": 1}   # unclosed
