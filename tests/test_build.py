"""The gated build: syntax errors and SHACL violations stop it and leave build/ intact; output is deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SOURCES

from kg92.build import run
from kg92.store import BuildError, load_build

BROKEN_SYNTAX = """@prefix kg: <https://w3id.org/kg92/def#> .
<https://w3id.org/kg92/id/scheme/x> kg:acronym "X" .
<https://w3id.org/kg92/id/scheme/y> kg:acronym "unterminated .
"""

# A commitment with no evidence, no author and no stance: a SHACL Violation on line 4.
VIOLATION = """@prefix kg: <https://w3id.org/kg92/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<https://w3id.org/kg92/id/statement/999-test> a kg:Statement , kg:Commitment ;
    rdfs:label "Un engagement sans preuve"@fr ;
    kg:theme <https://w3id.org/kg92/id/theme/logement> .
"""


def build(root: Path, force: bool = False):
    return run(root, root / "build", SOURCES, force=force)


def snapshot(root: Path) -> tuple[str, bytes]:
    b = root / "build"
    return json.loads((b / "manifest.json").read_text())["release"], (b / "kg.nq").read_bytes()


def test_build_writes_every_artefact_and_is_a_noop_when_nothing_changed(mini_root):
    first = build(mini_root)
    assert first.code == 0, first.message
    b = mini_root / "build"
    assert b.is_symlink()
    for name in ("kg.nq", "dumps/kg.nq.gz", "dumps/kg.trig", "dumps/kg.ttl.gz", "dumps/SHA256SUMS", "manifest.json", "validation.txt", "validation.json", "validation.ttl", "store"):
        assert (b / name).exists(), name
    manifest = json.loads((b / "manifest.json").read_text())
    assert manifest["conforms"] is True
    assert set(manifest["inputs"]) == {
        "ontology/kg92.ttl", *(f"data/ttl/{n}.ttl" for n in ("actors", "documents", "questionnaire", "schemes", "vocab")),
        *(p.relative_to(mini_root).as_posix() for p in (mini_root / "shapes").glob("*.ttl")),
        *(p.relative_to(mini_root).as_posix() for p in (mini_root / "ontology" / "cq").glob("*.rq"))}
    assert set(manifest["graphs"]) == {f"https://w3id.org/kg92/graph/{n}" for n in
                                       ("ontology", "actors", "documents", "questionnaire", "schemes", "vocab")}
    assert manifest["triples"] == sum(manifest["graphs"].values())
    assert manifest["triples"] == len((b / "kg.nq").read_bytes().splitlines())
    second = build(mini_root)
    assert second.code == 0 and "up to date" in second.message
    assert snapshot(mini_root)[0] == manifest["release"]


def test_kg_nq_is_byte_identical_across_two_builds(mini_root):
    assert build(mini_root).code == 0
    release1, nq1 = snapshot(mini_root)
    assert build(mini_root, force=True).code == 0
    release2, nq2 = snapshot(mini_root)
    assert release1 != release2
    assert nq1 == nq2
    lines = nq1.decode().splitlines()
    assert lines == sorted(lines)


def test_syntax_error_stops_the_build_with_file_line_column_and_keeps_build(mini_root):
    assert build(mini_root).code == 0
    before = snapshot(mini_root)
    (mini_root / "data" / "ttl" / "broken.ttl").write_text(BROKEN_SYNTAX, encoding="utf-8")
    outcome = build(mini_root)
    assert outcome.code == 2
    assert outcome.message.startswith("data/ttl/broken.ttl:3:")
    assert "Turtle syntax error" in outcome.message
    assert snapshot(mini_root) == before


def test_shacl_violation_exits_1_with_report_and_keeps_build(mini_root):
    assert build(mini_root).code == 0
    before = snapshot(mini_root)
    (mini_root / "data" / "ttl" / "bad.ttl").write_text(VIOLATION, encoding="utf-8")
    outcome = build(mini_root)
    assert outcome.code == 1
    assert "data/ttl/bad.ttl:4:" in outcome.message
    assert "https://w3id.org/kg92/id/statement/999-test" in outcome.message
    assert "build/ left as it was" in outcome.message
    assert snapshot(mini_root) == before


def test_server_refuses_a_missing_or_failed_build(tmp_path, mini_root):
    from kg92.app import create_app
    with pytest.raises(BuildError, match="does not exist"):
        create_app({"build_dir": str(tmp_path / "nowhere")})
    assert build(mini_root).code == 0
    manifest_path = (mini_root / "build").resolve() / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["conforms"] = False
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(BuildError, match="did not conform"):
        load_build(mini_root / "build")
