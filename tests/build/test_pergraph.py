"""Per-graph validation (issue 18, kg92.build.units): the same report as one whole-graph pySHACL run — same results,
same file:line, same counts — on the real data and on the invalid fixtures; and a second validation with one data
file changed revalidates that file only (its cache key changed), as the build's manifest says.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import HAVE_SOURCES, INVALID_NEEDING_SOURCES, ROOT, SOURCES, make_mini_root, needs_sources

from kg92.build import run
from kg92.build.sources import discover, read_all
from kg92.build.units import SHARED_UNIT
from kg92.build.validate import validate

FIXTURES = ROOT / "tests" / "fixtures"


def both(root: Path, sources: Path | None, tmp_path: Path):
    whole = validate(read_all(discover(root)), sources, tmp_path / "cache-whole", per_graph=False)
    split = validate(read_all(discover(root)), sources, tmp_path / "cache-split", workers=2)
    return whole, split


def rows(report) -> list[tuple]:
    return [(r.file, r.line, r.severity, r.focus, r.shape, r.path, r.value, r.message_en, r.message_fr)
            for r in report.results]


@needs_sources
def test_per_graph_report_equals_the_whole_graph_report_on_the_real_data(tmp_path):
    whole, split = both(ROOT, SOURCES, tmp_path)
    assert rows(split) == rows(whole)
    assert split.counts() == whole.counts() == {"Violation": 0, "Warning": 145, "Info": 0}
    assert split.to_text("en").splitlines()[:-1] == whole.to_text("en").splitlines()[:-1]   # all but the timing
    files = {p.relative_to(ROOT).as_posix() for p in (ROOT / "data" / "ttl").glob("*.ttl")}
    units = [f for f in files if not Path(f).stem.startswith(("actors", "documents", "labels", "questionnaire",
                                                                "schemes", "vocab"))]
    assert split.units == {"units": len(units) + 1, "revalidated": len(units) + 1, "cached": 0,
                           "revalidated_units": sorted([*units, SHARED_UNIT])}


def fixture_root(tmp_path: Path, kind: str) -> Path:
    root = make_mini_root(tmp_path / kind)
    for path in sorted((FIXTURES / kind).glob("*.ttl")):
        shutil.copy(path, root / "data" / "ttl" / path.name)
    return root


@pytest.mark.parametrize("kind", ["invalid", "valid"])
def test_per_graph_report_equals_the_whole_graph_report_on_the_fixtures(tmp_path, kind):
    sources = SOURCES if HAVE_SOURCES else None
    whole, split = both(fixture_root(tmp_path, kind), sources, tmp_path)
    assert rows(split) == rows(whole)
    assert split.counts() == whole.counts()
    n = len(list((FIXTURES / kind).glob("*.ttl")))
    assert split.units["units"] == n + 1
    if kind == "invalid":
        assert whole.counts()["Violation"] > 30   # every mistake found, some twice (tests/build/test_shapes.py)
        # without the source texts the quote checks do not run: those fixtures then have nothing to find
        expected = {f"data/ttl/{p.name}" for p in (FIXTURES / "invalid").glob("*.ttl")
                    if HAVE_SOURCES or p.stem not in INVALID_NEEDING_SOURCES}
        assert {r.file for r in split.results} >= expected


def test_a_second_validation_revalidates_only_the_changed_file(tmp_path):
    root = fixture_root(tmp_path, "valid")
    cache = tmp_path / "cache"
    first = validate(read_all(discover(root)), None, cache)
    again = validate(read_all(discover(root)), None, cache)
    assert (first.units["revalidated"], again.units["revalidated"], again.units["cached"]) == (
        first.units["units"], 0, first.units["units"])
    assert rows(again) == rows(first)
    changed = sorted((root / "data" / "ttl").glob("valid-*.ttl"))[0]
    changed.write_text(changed.read_text("utf-8") + "\n# an edit that changes the file, not its triples\n", "utf-8")
    third = validate(read_all(discover(root)), None, cache)
    assert third.units["revalidated_units"] == [f"data/ttl/{changed.name}"]
    assert rows(third) == rows(first)


def test_the_build_manifest_says_which_files_were_revalidated(tmp_path):
    root = fixture_root(tmp_path, "valid")
    assert run(root, root / "build", tmp_path / "no-sources").code == 0
    manifest = json.loads((root / "build" / "manifest.json").read_text("utf-8"))
    assert manifest["validation_units"]["cached"] == 0
    changed = sorted((root / "data" / "ttl").glob("valid-*.ttl"))[-1]
    changed.write_text(changed.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert run(root, root / "build", tmp_path / "no-sources").code == 0
    manifest = json.loads((root / "build" / "manifest.json").read_text("utf-8"))
    units = manifest["validation_units"]
    assert (units["revalidated_units"], units["cached"]) == ([f"data/ttl/{changed.name}"], units["units"] - 1)


PREFIXES = """@prefix kg: <https://w3id.org/kg92/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix id: <https://w3id.org/kg92/id/> .
"""
# doc-901 describes actor a, which doc-902 describes further (an altLabel) and whose org:unitOf names b, declared in
# doc-902 without kg:Actor (a Violation seen only with doc-902's triples); c, in doc-902, shares a's French name (a
# kgsh:wholeGraph Warning across two units).
DOC_901 = PREFIXES + """
id:actor\\/fixture-a a kg:Actor , org:FormalOrganization ;
    kg:actorKind id:actor-kind\\/social-security ;
    skos:prefLabel "Groupe témoin des tests"@fr ;
    org:unitOf id:actor\\/fixture-b .
"""
DOC_902 = PREFIXES + """
id:actor\\/fixture-b a org:FormalOrganization ;
    skos:prefLabel "Organisation témoin"@fr .

id:actor\\/fixture-c a kg:Actor , org:FormalOrganization ;
    kg:actorKind id:actor-kind\\/social-security ;
    skos:prefLabel "Groupe témoin des tests"@fr .

id:actor\\/fixture-a skos:altLabel "GTT"@fr .
"""


def test_cross_file_references_and_whole_graph_shapes_give_the_whole_graph_results(tmp_path):
    root = make_mini_root(tmp_path / "cross")
    (root / "data" / "ttl" / "doc-901.ttl").write_text(DOC_901, "utf-8")
    (root / "data" / "ttl" / "doc-902.ttl").write_text(DOC_902, "utf-8")
    whole, split = both(root, None, tmp_path)
    assert rows(split) == rows(whole)
    found = {(r.file, r.line, r.severity, r.focus.rsplit("/", 1)[-1], r.shape, r.path) for r in split.results
             if r.file and r.file.startswith("data/ttl/doc-9")}
    assert found == {
        ("data/ttl/doc-901.ttl", 9, "Violation", "fixture-a", "kgsh:ActorShape", "http://www.w3.org/ns/org#unitOf"),
        ("data/ttl/doc-901.ttl", 6, "Warning", "fixture-a", "kgsh:DuplicateActorLabelShape", None),
        ("data/ttl/doc-902.ttl", 9, "Warning", "fixture-c", "kgsh:DuplicateActorLabelShape", None)}
    assert split.units["units"] == 3
