"""kg92.build.dumps.start: the dumps written by a forked process are those write_dumps writes inline."""

from __future__ import annotations

import hashlib

from kg92.build.dumps import start, write_dumps

NQ = (b'<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "a"@fr <http://example.org/g> .\n'
      b'<http://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> "b"@fr <http://example.org/g> .\n')


def test_forked_dumps_equal_inline(tmp_path):
    inline = write_dumps(NQ, tmp_path / "inline")
    pending = start(NQ, tmp_path / "forked")
    assert pending.proc is not None          # a forked process wrote them
    forked = pending.result()
    assert forked == inline
    assert sorted(forked) == ["kg.jsonld", "kg.jsonld.gz", "kg.nq", "kg.nq.gz", "kg.trig", "kg.trig.gz", "kg.ttl",
                              "kg.ttl.gz"]
    assert forked["kg.nq"]["sha256"] == hashlib.sha256(NQ).hexdigest()
    assert (tmp_path / "forked" / "kg.ttl").read_bytes() == (tmp_path / "inline" / "kg.ttl").read_bytes()
    assert pending.result() is forked        # answered once


def test_canonical_nquads_equals_canonicalising_everything():
    import pyoxigraph as ox

    from kg92.build.dumps import canonical_nquads

    text = b"""<http://example.org/s> <http://example.org/p> _:a <http://example.org/g> .
_:a <http://example.org/q> _:b <http://example.org/g> .
_:b <http://example.org/r> "x"@fr <http://example.org/g> .
_:c <http://example.org/q> "y" <http://example.org/g> .
<http://example.org/s> <http://example.org/label> "\xc3\xa9t\xc3\xa9"@fr <http://example.org/g> .
<http://example.org/t> <http://example.org/label> "z" .
"""
    quads = list(ox.parse(text, format=ox.RdfFormat.N_QUADS))
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    whole = sorted(set(ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines()))
    assert canonical_nquads(quads) == ("\n".join(whole) + "\n").encode("utf-8")
    assert canonical_nquads(quads).count(b"_:c14n") == 5


def held_whole(nq: bytes) -> dict[str, bytes]:
    """The dumps as they were written before streaming: every quad parsed into a list, the union's triples a sorted set."""
    import pyoxigraph as ox

    from kg92.build.dumps import DUMPS
    from kg92.namespaces import PREFIXES
    quads = list(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
    out = {}
    for name, (fmt, union, _) in DUMPS.items():
        if name == "kg.nq":
            out[name] = nq
        elif union:
            out[name] = ox.serialize(sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str),
                                     format=fmt, prefixes=PREFIXES)
        else:
            out[name] = ox.serialize(quads, format=fmt, prefixes=PREFIXES if fmt != ox.RdfFormat.JSON_LD else None)
    return out


def test_streamed_dumps_are_the_dumps_of_the_parsed_list(tmp_path):
    """A triple in several graphs, literals that are prefixes of each other ("x", "x"@en, "x"^^…), blank nodes
    _:c14n1 / _:c14n10, non-ASCII text: the streamed union (adjacent copies dropped) is the sorted set."""
    import pyoxigraph as ox

    from kg92.build.dumps import canonical_nquads
    text = """<http://example.org/s> <http://example.org/p> "x" <http://example.org/g1> .
<http://example.org/s> <http://example.org/p> "x" <http://example.org/g2> .
<http://example.org/s> <http://example.org/p> "x"@en <http://example.org/g1> .
<http://example.org/s> <http://example.org/p> "x"^^<http://example.org/dt> <http://example.org/g2> .
<http://example.org/s> <http://example.org/p> "xy" <http://example.org/g1> .
<http://example.org/s> <http://example.org/p2> "été" <http://example.org/g1> .
<http://example.org/s> <http://example.org/p2> "ete" <http://example.org/g2> .
<http://example.org/s> <http://example.org/p2> "Z" <http://example.org/g2> .
<http://example.org/s2> <http://example.org/p> <http://example.org/o> <http://example.org/g1> .
<http://example.org/s2> <http://example.org/p> <http://example.org/o> <http://example.org/g2> .
<http://example.org/s2> <http://example.org/p> <http://example.org/o> .
""" + "".join(f"_:b{i} <http://example.org/p> \"{i}\" <http://example.org/g1> .\n" for i in range(12))
    nq = canonical_nquads(list(ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS)))
    written = write_dumps(nq, tmp_path)
    for name, body in held_whole(nq).items():
        assert (tmp_path / name).read_bytes() == body, name
        assert written[name]["sha256"] == hashlib.sha256(body).hexdigest()
    assert (tmp_path / "kg.ttl").read_text().count('"x"') == 3      # "x" (its second graph's copy dropped), "x"@en, "x"^^…


def test_streamed_dumps_of_the_real_build(tmp_path):
    from support import ROOT, require_build
    require_build()
    nq = (ROOT / "build" / "kg.nq").read_bytes()
    write_dumps(nq, tmp_path)
    for name, body in held_whole(nq).items():
        assert (tmp_path / name).read_bytes() == body, name
