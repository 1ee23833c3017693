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
