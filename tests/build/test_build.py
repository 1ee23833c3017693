"""The gated build: syntax errors and SHACL violations stop it and leave build/ intact; output is deterministic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, SOURCES

from kg92.build import KEEP_RELEASES, run
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


def test_kg_nq_and_the_report_are_byte_identical_across_two_builds(mini_root):
    assert build(mini_root).code == 0
    release1, nq1 = snapshot(mini_root)
    report1 = (mini_root / "build" / "validation.ttl").read_bytes()
    assert build(mini_root, force=True).code == 0
    release2, nq2 = snapshot(mini_root)
    assert release1 != release2
    assert nq1 == nq2
    assert (mini_root / "build" / "validation.ttl").read_bytes() == report1
    lines = nq1.decode().splitlines()
    assert lines == sorted(lines)


def test_the_same_report_is_the_same_turtle():
    # the report's blank nodes are named by the results' order (rdflib orders the results by node): the real build's
    # results, given twice in two orders, are the same bytes (random blank nodes made each call differ)
    from kg92.build.report import Report, Result
    results = [Result(**r) for r in json.loads((ROOT / "build" / "validation.json").read_text("utf-8"))["results"]]
    one = Report(True, results, 1.0, True).to_turtle()
    assert Report(True, results[::-1], 2.0, True).to_turtle() == one and one.count("a sh:ValidationResult") == len(results) > 100


def test_syntax_error_stops_the_build_with_file_line_column_and_keeps_build(mini_root):
    assert build(mini_root).code == 0
    before = snapshot(mini_root)
    (mini_root / "data" / "ttl" / "broken.ttl").write_text(BROKEN_SYNTAX, encoding="utf-8")
    outcome = build(mini_root)
    assert outcome.code == 2
    assert outcome.message.startswith("data/ttl/broken.ttl:3:48: Turtle syntax error")
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
    from kg92.web.app import create_app
    with pytest.raises(BuildError, match="does not exist"):
        create_app({"build_dir": str(tmp_path / "nowhere")})
    assert build(mini_root).code == 0
    manifest_path = (mini_root / "build").resolve() / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["conforms"] = False
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(BuildError, match="did not conform"):
        load_build(mini_root / "build")


def kg92_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("kg92")
    env = {**os.environ, "KG92_ROOT": str(root), "KG92_BUILD_DIR": str(root / "build"), "KG92_SOURCES_DIR": str(SOURCES)}
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, cwd=root, timeout=300)


def test_cli_build_exit_codes_and_serve_refuses_a_failed_build(mini_root):
    assert kg92_cli(mini_root, "build").returncode == 0
    (mini_root / "data" / "ttl" / "bad.ttl").write_text(VIOLATION, encoding="utf-8")
    done = kg92_cli(mini_root, "build")
    assert done.returncode == 1 and "data/ttl/bad.ttl:4:" in done.stderr and "Violation" in done.stderr
    (mini_root / "data" / "ttl" / "bad.ttl").write_text(BROKEN_SYNTAX, encoding="utf-8")
    done = kg92_cli(mini_root, "build")
    assert done.returncode == 2 and done.stderr.startswith("data/ttl/bad.ttl:3:48: Turtle syntax error")
    manifest_path = (mini_root / "build").resolve() / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["conforms"] = False
    manifest_path.write_text(json.dumps(manifest))
    done = kg92_cli(mini_root, "serve", "--port", "9")   # refuses before binding
    assert done.returncode == 2 and "did not conform" in done.stderr


def test_a_release_in_use_by_a_server_is_never_pruned(mini_root):
    assert build(mini_root).code == 0
    served = (mini_root / "build").resolve()
    # another process holds the release, as a serving worker does (create_app pins it)
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                               "from kg92.store import load_build, pin; pin(load_build(Path(sys.argv[1]))); "
                               "print('pinned', flush=True); time.sleep(120)", str(mini_root / "build")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "pinned"
        for _ in range(KEEP_RELEASES + 1):
            assert build(mini_root, force=True).code == 0
        assert served.is_dir() and (served / "store").is_dir() and (served / "dumps" / "SHA256SUMS").is_file()
        releases = [p for p in (mini_root / ".builds").iterdir() if not p.name.startswith(".")]
        assert len(releases) == KEEP_RELEASES + 1   # the kept ones and the pinned one
    finally:
        holder.kill()
        holder.wait()
    assert build(mini_root, force=True).code == 0   # the holder is gone: the old release goes
    assert not served.exists()
    assert len([p for p in (mini_root / ".builds").iterdir() if not p.name.startswith(".")]) == KEEP_RELEASES
