"""The SHACL shapes as a maintainer meets them: conforming examples, one-mistake examples reported at their exact
file:line, the report's formats and languages, `kg92 validate` exit codes and POST /validate.

- ``tests/fixtures/valid/*.ttl`` conform: not a single result, not even a warning.
- ``tests/fixtures/invalid/<rule>__<case>.ttl`` hold ONE realistic mistake each (their first line says which). They
  are validated together, in one run over a small repository (the real ontology, shapes and shared data files:
  ``support.make_mini_root``), copied into its ``data/ttl/``; each must produce exactly the results of EXPECTED,
  located in its own file — (severity, focus node, source shape, line).
- Quote checks need the source texts (``../shared/sources``): without them the fixtures of NEEDS_SOURCES are skipped.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from support import INVALID_NEEDING_SOURCES as NEEDS_SOURCES
from support import ROOT, SHARED_DATA, SOURCES, make_mini_root

from kg92.build.sources import discover
from kg92.build.validate import Report, validate_files

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
HAVE_SOURCES = SOURCES.is_dir()
ID = "https://w3id.org/kg92/id/"
SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = Namespace("https://w3id.org/kg92/shapes#")
V, W = "Violation", "Warning"
NO_SOURCES_WARNING = ("Warning", "https://w3id.org/kg92/def#SourceDocument", "kgsh:SourceTextShape")

# fixture name → the results located in data/ttl/<name>.ttl: (severity, focus IRI after id/, shape, line).
# The line is where the focus node's description starts (for a selector: its quote's line).
EXPECTED: dict[str, set[tuple[str, str, str, int]]] = {
    # core.ttl: cardinalities, datatypes, classes of values, language tags, allowed values
    "core__actor-missing-french-label": {(V, "actor/fixture-sans-libelle-francais", "kgsh:ActorShape", 14)},
    "core__answer-without-author": {(V, "answer/001-fixture-sans-auteur", "kgsh:AnswerShape", 14)},
    "core__claim-with-stance": {(V, "statement/002-fixture-affirmation-avec-position", "kgsh:ClaimShape", 14)},
    "core__commitment-without-evidence": {(V, "statement/002-fixture-sans-preuve", "kgsh:StatementShape", 14)},
    "core__context-resolution-without-evidence": {
        (V, "statement/002-fixture-contexte-sans-preuve", "kgsh:ContextResolutionShape", 19)},
    "core__list-item-of-two-lead-ins": {(V, "statement/002-fixture-deux-introductions", "kgsh:StructureLinkShape", 14)},
    "core__copy-pasted-subject": {(V, "statement/002-fixture-copie-collee", "kgsh:StatementShape", 14)},
    "core__count-not-integer": {(V, "figure/002-fixture-compte-decimal", "kgsh:CountValueShape", 18)},
    "core__date-impossible": {(V, "event/002-fixture-date-impossible", "kgsh:RefDateShape", 17)},
    "core__date-plain-string": {(V, "event/002-fixture-date-chaine", "kgsh:RefDateShape", 17)},
    "core__event-dated-twice": {(V, "event/002-fixture-date-deux-fois", "kgsh:EventShape", 14)},
    "core__evidence-unknown-document": {(V, "quote/005-120-180", "kgsh:QuoteShape", 21),
                                        (V, "quote/005-120-180", "kgsh:DanglingReferenceShape", 21)},
    "core__figure-without-unit": {(V, "figure/002-fixture-sans-unite", "kgsh:FigureShape", 21)},
    "core__label-not-printed-without-acronym": {(V, "scheme/fixture-libelle-non-imprime", "kgsh:LabelPrintedShape", 14)},
    "core__membership-member-not-a-person": {(V, "membership/fixture-ccf92-colombes-2", "kgsh:MembershipShape", 15)},
    "core__derived-figure-without-calculation": {(V, "figure/002-fixture-calcule-sans-calcul", "kgsh:FigureQualifierShape", 21)},
    "core__relative-date-resolved-and-unanchored": {(V, "event/002-fixture-date-relative-ambigue", "kgsh:RelativeDateShape", 14)},
    "core__semester-as-days": {(V, "event/002-fixture-semestre-en-jours", "kgsh:YearPartShape", 17)},
    "core__membership-without-evidence": {(V, "membership/fixture-anne-gaelle-courty-ahmed-ps", "kgsh:MembershipShape", 14)},
    "core__note-without-language": {(V, "actor/fixture-note-sans-langue", "kgsh:NoteShape", 17)},
    "core__offset-negative": {(V, "quote/003-0-10", "kgsh:TextPositionSelectorShape", 26),
                              (V, "quote/003-0-10", "kgsh:QuoteIriShape", 26)},
    "core__offsets-as-strings": {(V, "quote/002-25604-25727", "kgsh:TextPositionSelectorShape", 20)},
    "core__offsets-start-not-before-end": {(V, "quote/002-22322-2241", "kgsh:TextPositionSelectorShape", 20),
                                           (V, "quote/002-22322-2241", "kgsh:QuoteTextShape", 20),
                                           (V, "quote/002-22322-2241", "kgsh:QuoteContextShape", 20)},
    "core__period-date-plain-string": {(V, "statement/004-fixture-periode-chaine", "kgsh:PeriodShape", 14)},
    "core__place-not-a-place": {(V, "statement/002-fixture-lieu-acteur", "kgsh:PlaceLinkShape", 18)},
    "core__position-about-nothing": {(V, "position/003-fixture-sans-objet", "kgsh:PositionShape", 14)},
    "core__question-copy-stated-by-a-group": {(V, "question/000-fixture-q8-enoncee", "kgsh:QuestionCopyShape", 14)},
    "core__stance-outside-vocabulary": {(V, "position/001-fixture-stance-hors-vocabulaire", "kgsh:PositionShape", 17),
                                        (V, "position/001-fixture-stance-hors-vocabulaire", "kgsh:DanglingReferenceShape", 17)},
    "core__statement-missing-french-label": {(V, "statement/004-fixture-sans-libelle-francais", "kgsh:StatementShape", 14)},
    "core__statement-without-subclass": {(V, "statement/002-fixture-sans-sous-classe", "kgsh:StatementShape", 14)},
    "core__two-preflabels-one-language": {(V, "scheme/fixture-deux-libelles", "kgsh:ConceptShape", 14)},
    "core__unit-not-allowed": {(V, "figure/002-fixture-unite-inconnue", "kgsh:FigureShape", 16)},
    "core__value-not-numeric": {(V, "figure/002-fixture-valeur-texte", "kgsh:FigureShape", 15)},
    # integrity.ttl: declared terms, dangling references, classes, domains, known terms, labels, slugs
    "integrity__dangling-scheme": {(V, "statement/002-fixture-dispositif-pendant", "kgsh:StatementShape", 18),
                                   (V, "statement/002-fixture-dispositif-pendant", "kgsh:DanglingReferenceShape", 18)},
    "integrity__duplicate-actor-label": {(W, "actor/fixture-caf-doublon", "kgsh:DuplicateActorLabelShape", 14)},
    "integrity__evidence-iri-typo": {(V, "statement/002-fixture-preuve-iri-erronee", "kgsh:EvidenceValueShape", 18),
                                     (V, "statement/002-fixture-preuve-iri-erronee", "kgsh:DanglingReferenceShape", 18)},
    "integrity__iri-off-slug-pattern": {(W, "actor/Fixture_Association", "kgsh:SlugShape", 14)},
    "integrity__property-name-typo": {(V, "statement/002-fixture-typo-evidence", "kgsh:DeclaredTermShape", 19),
                                      (V, "statement/002-fixture-typo-evidence", "kgsh:StatementShape", 14)},
    "integrity__property-outside-domain": {(V, "statement/002-fixture-hors-domaine", "kgsh:DomainShape", 19)},
    "integrity__resource-without-type": {(V, "person/fixture-sans-classe", "kgsh:TypedResourceShape", 14)},
    "integrity__unknown-external-term": {(W, "actor/fixture-terme-externe", "kgsh:KnownTermShape", 17)},
    # provenance.ttl: quotes against the documents, figures against their quotes, stances, counts, answers
    "provenance__ambiguous-quote": {(W, "quote/002-12750-12833", "kgsh:QuoteAmbiguousShape", 20)},
    "provenance__condition-without-conditional-stance": {
        (W, "statement/001-fixture-condition-sans-conditionnel", "kgsh:ConditionWithoutConditionalShape", 18)},
    "provenance__conditional-stance-without-condition": {
        (V, "position/003-fixture-conditionnel-sans-condition", "kgsh:ConditionalStanceShape", 14)},
    "provenance__context-referent-not-linked": {
        (V, "statement/002-fixture-contexte-referent-non-relie", "kgsh:ContextLinkShape", 18)},
    "provenance__count-without-population": {(V, "figure/002-fixture-compte-sans-objet", "kgsh:CountShape", 14)},
    "provenance__evidence-from-another-document": {
        (V, "statement/001-fixture-preuve-autre-document", "kgsh:EvidenceDocumentShape", 26)},
    "provenance__figure-as-stated-not-in-quote": {(V, "figure/002-fixture-imprime-absent", "kgsh:FigureAsStatedShape", 23)},
    "provenance__quote-offsets-shifted": {(V, "quote/002-7819-7921", "kgsh:QuoteTextShape", 20),
                                          (V, "quote/002-7819-7921", "kgsh:QuoteContextShape", 20)},
    "provenance__quote-one-character-off": {(V, "quote/002-4907-4995", "kgsh:QuoteTextShape", 20)},
    "provenance__quote-prefix-mismatch": {(V, "quote/002-18735-18825", "kgsh:QuoteContextShape", 20)},
    "provenance__statement-author-not-answer-author": {
        (V, "statement/000-fixture-auteur-different", "kgsh:AnswerAuthorShape", 22)},
    # recommended.ttl: what makes the data poorer
    "recommended__missing-english-label": {(W, "scheme/fixture-sans-anglais", "kgsh:ConceptEnglishLabelShape", 14)},
}
# results the invalid fixtures cause in the shared data files: the other half of the duplicate label
EXPECTED_IN_SHARED = {(W, ID + "actor/caf", "kgsh:DuplicateActorLabelShape", "data/ttl/actors.ttl")}

RESULT_LINE = re.compile(r"^(?P<file>data/ttl/[\w.-]+\.ttl):(?P<line>\d+): <(?P<focus>[^>\s]+)>(?: (?P<path>\S+))?: "
                         r"(?P<severity>Violation|Warning|Info): (?P<message>.+) \[(?P<shape>kgsh:\w+)\]$")


def expected(name: str) -> set[tuple[str, str, str, int]]:
    return {(sev, ID + focus, shape, line) for sev, focus, shape, line in EXPECTED[name]}


def located(report: Report, name: str) -> set[tuple[str, str, str, int | None]]:
    return {(r.severity, r.focus, r.shape, r.line) for r in report.results if r.file == f"data/ttl/{name}.ttl"}


def repo(dest: Path, files=(), *, cq: bool = True, queries: bool = False) -> Path:
    """A mini repository with ``files`` copied into its data/ttl/ (without ontology/cq when ``cq`` is false)."""
    root = make_mini_root(dest)
    for path in files:
        target = root / "data" / "ttl" / Path(path).name
        assert not target.exists(), f"{target.name} would replace a shared data file"
        shutil.copy(path, target)
    if not cq:
        shutil.rmtree(root / "ontology" / "cq", ignore_errors=True)
    if queries:
        shutil.copytree(ROOT / "queries", root / "queries")
    return root


def validate(root: Path, sources: Path | None = SOURCES if HAVE_SOURCES else None) -> Report:
    return validate_files(data_files=sorted((root / "data" / "ttl").glob("*.ttl")),
                          ontology_files=sorted((root / "ontology").glob("*.ttl")),
                          shapes_dir=root / "shapes", sources_dir=sources, root=root)


@pytest.fixture(scope="module")
def invalid_run(tmp_path_factory) -> Report:
    return validate(repo(tmp_path_factory.mktemp("invalid") / "repo", INVALID))


# ---------------------------------------------------------------- the fixtures themselves

def test_fixtures_are_many_well_formed_and_independent():
    assert {p.stem for p in INVALID} == set(EXPECTED), "every invalid fixture has its expectation, and back"
    assert len(INVALID) >= 28 and len(VALID) >= 5
    owner: dict[str, str] = {}
    for path in INVALID + VALID:
        text = path.read_text("utf-8")
        assert text.startswith("# Mistake: " if path in INVALID else "# Valid: "), path.name
        assert re.fullmatch(r"[a-z]+__[a-z0-9-]+" if path in INVALID else r"valid-[a-z]+", path.stem), path.name
        for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            s = q.subject
            if isinstance(s, ox.NamedNode):
                # fixture IRIs are their own: "fixture" in the slug, or a quote IRI (derived from its offsets)
                assert "fixture" in s.value.lower() or "/id/quote/" in s.value, (path.name, s.value)
                key = f"{path.parent.name}:{s.value}"
                assert owner.setdefault(key, path.name) == path.name, f"{s.value} described in {owner[key]} and {path.name}"


def classes(paths) -> set[str]:
    return {q.object.value for path in paths for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
            if q.predicate.value == str(RDF.type)}


def test_valid_fixtures_cover_every_class_the_data_uses():
    registered_once = {"https://w3id.org/kg92/def#SourceDocument", "http://spdx.org/rdf/terms#Checksum"}
    missing = classes((ROOT / "data" / "ttl").glob("*.ttl")) - classes(VALID) - registered_once
    assert not missing, f"no valid example of {sorted(missing)}"   # documents: the 5 of documents.ttl, in every run


def test_valid_fixtures_conform_without_a_single_result(tmp_path):
    if not HAVE_SOURCES:
        pytest.skip(f"{SOURCES} absent: quotes cannot be checked")
    report = validate(repo(tmp_path / "repo", VALID))
    assert report.results == [] and report.conforms and report.sources_checked


# ---------------------------------------------------------------- one mistake, one exact report

@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_fixture_is_reported_exactly_in_its_file(name, invalid_run):
    if name in NEEDS_SOURCES and not invalid_run.sources_checked:
        pytest.skip(f"{SOURCES} absent: quotes are not checked")
    assert located(invalid_run, name) == expected(name)


def test_invalid_run_fails_and_leaves_the_shared_files_alone(invalid_run):
    assert not invalid_run.conforms
    assert invalid_run.sources_checked == HAVE_SOURCES
    shared = {f"data/ttl/{n}.ttl" for n in SHARED_DATA}
    assert {(r.severity, r.focus, r.shape, r.file) for r in invalid_run.results if r.file in shared} == EXPECTED_IN_SHARED


def test_every_result_points_at_a_file(invalid_run):
    unlocated = {(r.severity, r.focus, r.shape) for r in invalid_run.results if r.file is None}
    assert unlocated <= {NO_SOURCES_WARNING}


def test_real_data_conforms_with_zero_violations():
    inputs = discover(ROOT)
    report = validate_files(data_files=[i.path for i in inputs if i.kind == "data"],
                            ontology_files=[i.path for i in inputs if i.kind == "ontology"],
                            shapes_dir=ROOT / "shapes", sources_dir=SOURCES if HAVE_SOURCES else None, root=ROOT)
    violations = [r for r in report.results if r.severity == "Violation"]
    assert not violations, "\n".join(f"{r.file}:{r.line}: <{r.focus}> {r.message_en} [{r.shape}]" for r in violations[:20])
    assert report.conforms and report.sources_checked == HAVE_SOURCES


def test_without_sources_quotes_are_not_checked_and_the_report_says_so(tmp_path):
    broken = FIXTURES / "invalid" / "provenance__quote-one-character-off.ttl"
    report = validate(repo(tmp_path / "repo", [*VALID, broken]), sources=None)
    assert not report.sources_checked and report.conforms   # the one-character quote error goes unseen…
    assert [(r.severity, r.focus, r.shape) for r in report.results] == [NO_SOURCES_WARNING]   # …and it says so
    assert "Source texts absent" in report.results[0].message_en and "Textes sources absents" in report.results[0].message_fr
    assert report.to_text("en").splitlines()[-1].endswith("; quotes not checked (source texts absent)")
    assert "citations non vérifiées" in report.to_text("fr").splitlines()[-1]
    assert report.to_json()["sources_checked"] is False


# ---------------------------------------------------------------- the report: text, languages, JSON, Turtle

@pytest.fixture(scope="module")
def small_report(tmp_path_factory) -> Report:
    """Two files with Violations (one of them with two) and two files with a Warning only."""
    names = ["core__figure-without-unit", "integrity__property-name-typo", "recommended__missing-english-label",
             "integrity__iri-off-slug-pattern"]
    return validate(repo(tmp_path_factory.mktemp("small") / "repo", [FIXTURES / "invalid" / f"{n}.ttl" for n in names]))


def test_text_report_is_grouped_by_file_violations_first_counts_last(small_report):
    text = small_report.to_text("en")
    lines = text.splitlines()
    unchecked = "" if small_report.sources_checked else "; quotes not checked \\(source texts absent\\)"
    warnings = 2 if small_report.sources_checked else 3   # + "source texts absent", reported without a file ("-")
    assert re.fullmatch(rf"3 Violation\(s\), {warnings} Warning\(s\), 0 Info — DOES NOT CONFORM — "
                        rf"validated in \d+\.\d\d s{unchecked}", lines[-1])
    groups: list[tuple[str, list[re.Match]]] = []
    for line in lines[:-1]:
        if line.startswith("── - (") or line.startswith("-: "):
            assert not small_report.sources_checked, line
        elif line.startswith("── "):
            groups.append((line, []))
        elif line:
            m = RESULT_LINE.match(line)
            assert m, f"not a report line: {line!r}"
            assert groups[-1][0].startswith(f"── {m['file']} ("), "a line sits under its file's heading"
            groups[-1][1].append(m)
    files = [heading.split()[1] for heading, _ in groups]
    assert files == ["data/ttl/core__figure-without-unit.ttl", "data/ttl/integrity__property-name-typo.ttl",
                     "data/ttl/integrity__iri-off-slug-pattern.ttl", "data/ttl/recommended__missing-english-label.ttl"]
    first = groups[0][1][0]
    assert (first["line"], first["focus"], first["path"], first["severity"], first["shape"]) == (
        "21", ID + "figure/002-fixture-sans-unite", "qudt:hasUnit", "Violation", "kgsh:FigureShape")
    assert groups[1][0] == "── data/ttl/integrity__property-name-typo.ttl (2 Violations)"
    assert {(m["path"], m["shape"]) for m in groups[1][1]} == {("kg:evidense", "kgsh:DeclaredTermShape"),
                                                               ("kg:evidence", "kgsh:StatementShape")}
    assert groups[3][0] == "── data/ttl/recommended__missing-english-label.ttl (1 Warning)"
    for heading, matches in groups:
        order = [("Violation", "Warning", "Info").index(m["severity"]) for m in matches]
        assert order == sorted(order), heading


def test_text_report_speaks_french_or_english(small_report):
    fr, en = small_report.to_text("fr"), small_report.to_text("en")
    assert fr != en
    assert fr.splitlines()[-1].startswith("3 violation(s), ") and " — NON CONFORME — validé en " in fr.splitlines()[-1]
    assert "Un chiffre a exactement une unité" in fr and "A figure has exactly one unit" in en
    for r in small_report.results:
        assert r.message_fr and r.message_en and r.message_fr != r.message_en, r


def test_text_report_has_one_located_line_per_result(invalid_run):
    body = [line for line in invalid_run.to_text("en").splitlines()[:-1] if line and not line.startswith("── ")]
    assert all(RESULT_LINE.match(line) for line in body if not line.startswith("-: "))   # "-": source texts absent
    assert len(body) == len(invalid_run.results)


def test_json_and_turtle_reports_parse(small_report):
    data = json.loads(json.dumps(small_report.to_json(), ensure_ascii=False))
    unchecked = 0 if small_report.sources_checked else 1
    assert data["conforms"] is False and data["counts"] == {"Violation": 3, "Warning": 2 + unchecked, "Info": 0}
    assert {(r["file"], r["line"], r["shape"]) for r in data["results"]} >= {
        ("data/ttl/core__figure-without-unit.ttl", 21, "kgsh:FigureShape")}
    g = Graph().parse(data=small_report.to_turtle(), format="turtle")
    report = g.value(None, RDF.type, SH.ValidationReport, any=False)
    assert report is not None and g.value(report, SH.conforms) == Literal(False)
    results = list(g.objects(report, SH.result))
    assert len(results) == len(small_report.results) == 5 + unchecked
    figure = URIRef(ID + "figure/002-fixture-sans-unite")
    [res] = [r for r in results if g.value(r, SH.focusNode) == figure]
    assert g.value(res, SH.resultSeverity) == SH.Violation and g.value(res, SH.sourceShape) == KGSH.FigureShape
    assert (g.value(res, KGSH.sourceFile), g.value(res, KGSH.sourceLine)) == (
        Literal("data/ttl/core__figure-without-unit.ttl"), Literal(21))
    assert {m.language for m in g.objects(res, SH.resultMessage)} == {"fr", "en"}


# ---------------------------------------------------------------- kg92 validate: exit 0 / 1 / 2

KG92 = ROOT / ".venv" / "bin" / "kg92"


def kg92_validate(root: Path, *args: str, sources: Path | None = None, cwd: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG92_")}
    env.update(KG92_ROOT=str(root), KG92_SOURCES_DIR=str(sources or (SOURCES if HAVE_SOURCES else cwd / "no-sources")))
    return subprocess.Popen([str(KG92), "validate", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=180)
    return process.returncode, stdout, stderr


def test_cli_validate_exit_codes_formats_and_languages(tmp_path):
    # repositories without ontology/cq/*.rq: see test_cli_validate_ignores_query_files
    ok = repo(tmp_path / "ok", VALID, cq=False)
    bad = repo(tmp_path / "bad", [FIXTURES / "invalid" / "core__figure-without-unit.ttl"], cq=False)
    broken = repo(tmp_path / "broken", cq=False)
    (broken / "data" / "ttl" / "broken.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n"
        '<https://w3id.org/kg92/id/actor/fixture-x> skos:prefLabel "x"@fr ,, "y"@en .\n', encoding="utf-8")
    runs = {  # started together: each process imports pySHACL and meta-validates the shapes (seconds each)
        "ok": kg92_validate(ok, sources=tmp_path / "no-sources", cwd=tmp_path),
        "en": kg92_validate(bad, cwd=tmp_path),
        "fr": kg92_validate(bad, "--lang", "fr", cwd=tmp_path),
        "json": kg92_validate(bad, "--format", "json", cwd=tmp_path),
        "turtle": kg92_validate(bad, "--format", "turtle", cwd=tmp_path),
        "broken": kg92_validate(broken, cwd=tmp_path),
    }
    out = {name: finish(p) for name, p in runs.items()}

    code, stdout, stderr = out["ok"]
    assert code == 0, stderr
    assert stdout.rstrip().splitlines()[-1].startswith("0 Violation(s), 1 Warning(s)")   # the source-texts warning
    assert "quotes not checked (source texts absent)" in stdout

    code, stdout, stderr = out["en"]
    assert code == 1, stderr
    where = "data/ttl/core__figure-without-unit.ttl:21: <https://w3id.org/kg92/id/figure/002-fixture-sans-unite> qudt:hasUnit: "
    assert f"{where}Violation: A figure has exactly one unit" in stdout and "[kgsh:FigureShape]" in stdout
    unchecked = "" if HAVE_SOURCES else "; quotes not checked (source texts absent)"   # the last line says so
    assert stdout.rstrip().endswith(f" s{unchecked}") and "1 Violation(s)" in stdout.splitlines()[-1]
    code, stdout_fr, _ = out["fr"]
    assert code == 1 and stdout_fr != stdout
    assert f"{where}Violation: Un chiffre a exactement une unité" in stdout_fr and "NON CONFORME" in stdout_fr

    code, stdout, _ = out["json"]
    data = json.loads(stdout)
    assert code == 1 and data["conforms"] is False and data["counts"]["Violation"] == 1
    code, stdout, _ = out["turtle"]
    g = Graph().parse(data=stdout, format="turtle")
    assert code == 1 and (None, SH.conforms, Literal(False)) in g

    code, stdout, stderr = out["broken"]
    assert code == 2 and not stdout
    assert re.search(r"data/ttl/broken\.ttl:3:\d+: Turtle syntax error", stderr), stderr


def test_cli_validate_ignores_query_files(tmp_path):
    root = repo(tmp_path / "repo")   # make_mini_root copies ontology/cq/*.rq, like the real repository has
    code, _, stderr = finish(kg92_validate(root, cwd=tmp_path))
    assert code == 0, stderr


# ---------------------------------------------------------------- POST /validate

@pytest.fixture(scope="module")
def mini_client(release_store, tmp_path_factory):
    """The application over the real build, its POST /validate reading a mini repository (+ doc-004.ttl): fast."""
    from kg92.web.app import create_app
    root = repo(tmp_path_factory.mktemp("service") / "repo", [ROOT / "data" / "ttl" / "doc-004.ttl"], queries=True)
    app = create_app({"build_dir": str(ROOT / "build"), "root": str(root)})
    app.testing = True
    return app.test_client()


def post(client, body: str | bytes, query: str = "", accept: str = "application/json", ctype: str = "text/turtle"):
    data = body.encode("utf-8") if isinstance(body, str) else body
    return client.post(f"/validate{query}", data=data, headers={"Content-Type": ctype, "Accept": accept})


def test_post_validate_conforming_candidate_in_three_formats(mini_client):
    body = (FIXTURES / "valid" / "valid-statements.ttl").read_text("utf-8")
    resp = post(mini_client, body)
    assert resp.status_code == 200 and resp.headers["X-KG92-Conforms"] == "true"
    data = resp.get_json()
    assert data["file"] == "candidate.ttl" and data["conforms"] is True
    assert [r for r in data["results"] if r["file"] == "candidate.ttl"] == []
    resp = post(mini_client, body, accept="text/turtle")
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    assert (None, SH.conforms, Literal(True)) in Graph().parse(data=resp.get_data(as_text=True), format="turtle")
    resp = post(mini_client, body, "?lang=en", accept="text/plain")
    assert resp.status_code == 200 and resp.mimetype == "text/plain" and resp.headers["X-KG92-Conforms"] == "true"
    assert " Violation(s), " in resp.get_data(as_text=True).rstrip().splitlines()[-1]


def test_post_validate_violating_candidate_points_at_candidate_ttl(mini_client):
    body = (FIXTURES / "invalid" / "core__unit-not-allowed.ttl").read_text("utf-8")
    resp = post(mini_client, body)
    assert resp.status_code == 200 and resp.headers["X-KG92-Conforms"] == "false"
    got = {(r["severity"], r["focus"], r["shape"], r["file"], r["line"]) for r in resp.get_json()["results"]}
    assert (V, ID + "figure/002-fixture-unite-inconnue", "kgsh:FigureShape", "candidate.ttl", 16) in got
    text = post(mini_client, body, "?lang=fr", accept="text/plain").get_data(as_text=True)
    assert "candidate.ttl:16: <https://w3id.org/kg92/id/figure/002-fixture-unite-inconnue> qudt:hasUnit: Violation: " in text


def test_post_validate_replaces_the_named_data_file(mini_client):
    """?file= names the data file the candidate stands for: a label removed from doc-004 is missed (the repository's
    doc-004.ttl is not read), and the report names data/ttl/doc-004.ttl and the line of the statement."""
    text = (ROOT / "data" / "ttl" / "doc-004.ttl").read_text("utf-8")
    m = re.search(r"^(<https://w3id\.org/kg92/id/statement/004-[^>]+>) a kg:Statement[^\n]*\n(?:    [^\n]*\n)*?"
                  r"(    rdfs:label \"[^\n]*\"@fr ;\n)", text, re.M)
    assert m, "doc-004.ttl has a statement with a one-line French label"
    statement, line = m[1].strip("<>"), text.count("\n", 0, m.start()) + 1
    candidate = text[:m.start(2)] + text[m.end(2):]
    resp = post(mini_client, candidate, "?file=data/ttl/doc-004.ttl")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.headers["X-KG92-Conforms"] == "false"
    data = resp.get_json()
    assert data["file"] == "data/ttl/doc-004.ttl"
    assert [(r["severity"], r["focus"], r["shape"], r["file"], r["line"]) for r in data["results"]
            if r["severity"] == "Violation"] == [(V, statement, "kgsh:StatementShape", "data/ttl/doc-004.ttl", line)]


def test_post_validate_refuses_what_it_cannot_validate(client, real_app):
    resp = post(client, "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n"
                        '<https://w3id.org/kg92/id/actor/fixture-y> skos:prefLabel "y"@fr ,, "z"@en .\n')
    assert resp.status_code == 400
    assert re.search(r"candidate\.ttl:3:\d+", resp.get_data(as_text=True)), resp.get_data(as_text=True)
    assert post(client, "<a> <b> <c> .", "?file=data/ttl/nowhere.ttl").status_code == 400
    assert post(client, "<p>not Turtle</p>", ctype="text/html").status_code == 415
    limit = int(real_app.extensions["kg92"].settings["max_validate_bytes"])
    assert post(client, b"#" * (limit + 1)).status_code == 413


def uncached(path: Path, tmp_path: Path) -> str:
    """The file's text with a comment of its own: a candidate the validation cache has never seen (the cache is
    keyed by the bytes), so the validation really runs (the deadline, busy and memory cases need it to)."""
    return path.read_text("utf-8") + f"\n# {tmp_path}\n"


def _service(root: Path, **settings):
    from kg92.web.app import create_app
    app = create_app({"build_dir": str(ROOT / "build"), "root": str(root), **settings})
    app.testing = True
    return app.test_client()


def test_post_validate_is_stopped_at_its_deadline_and_its_process_is_gone(mini_client, tmp_path, caplog):
    """A tiny validate_timeout makes any candidate slow: 503 at the deadline, the worker process killed and reaped.
    0.05 s, not more: the smallest candidate validates in about 0.4 s on an idle machine (the child's imports alone
    take more than 0.1 s), and 0.3 s was once beaten on CI."""
    root = repo(tmp_path / "repo", [], queries=True)
    client = _service(root, validate_timeout=0.05)
    body = uncached(FIXTURES / "valid" / "valid-statements.ttl", tmp_path)
    with caplog.at_level(logging.WARNING, logger="kg92.isolated"):
        started = time.monotonic()
        resp = post(client, body)
        elapsed = time.monotonic() - started
    assert resp.status_code == 503 and resp.headers["Retry-After"] == "30"
    assert resp.get_json() == {"error": {"status": 503, "title": "Service Unavailable", "detail":
                               "the validation was stopped: it did not finish within 0.05 s (validate_timeout)"}}
    assert elapsed < 5, elapsed
    [record] = [r for r in caplog.records if r.name == "kg92.isolated"]
    pid = int(re.search(r"\(pid (\d+)\) killed at its deadline of 0.05 s", record.getMessage())[1])
    with pytest.raises(ProcessLookupError):   # killed and reaped: no such process any more
        os.kill(pid, 0)
    assert pid not in {p.pid for p in multiprocessing.active_children()}
    # the next request is served (the lock was released) and, given the time, validates
    assert post(mini_client, body).status_code == 200


def test_a_second_concurrent_validation_gets_503_busy_with_retry_after(tmp_path):
    from kg92.web.resources import resources
    root = repo(tmp_path / "repo", [], queries=True)
    client = _service(root, validate_timeout=20.0)
    slot = resources(client.application).validating
    body = uncached(FIXTURES / "valid" / "valid-statements.ttl", tmp_path)
    first: list = []
    runner = threading.Thread(target=lambda: first.append(post(client, body)))
    runner.start()
    deadline = time.monotonic() + 10
    while not slot.locked() and time.monotonic() < deadline:
        time.sleep(0.01)
    second = post(client, body)
    runner.join(timeout=60)
    assert second.status_code == 503 and second.headers["Retry-After"] == "5"
    assert second.get_json()["error"]["detail"] == ("a validation is already running (one at a time per server "
                                                    "process); retry in a few seconds")
    assert first[0].status_code == 200 and first[0].headers["X-KG92-Conforms"] == "true"


def test_post_validate_beyond_its_memory_limit_is_stopped_with_503(tmp_path):
    root = repo(tmp_path / "repo", [], queries=True)
    client = _service(root, validate_memory_mb=64)
    resp = post(client, uncached(FIXTURES / "valid" / "valid-statements.ttl", tmp_path))
    assert resp.status_code == 503
    assert resp.get_json()["error"]["detail"].startswith("the validation was stopped: ")
    assert resp.get_json()["error"]["detail"].endswith(" (validate_memory_mb = 64)")


# ---------------------------------------------------------------- the line of the offending triple (issue 12, item 9)

def test_a_triple_appended_to_a_shared_file_is_reported_at_its_own_line(tmp_path):
    """The subject is described at line 17 of actors.ttl; the violating triple, appended at the end, is reported
    at its own line, and a node-level result (no value) at the subject's line."""
    root = repo(tmp_path / "repo", [])
    actors = root / "data" / "ttl" / "actors.ttl"
    text = actors.read_text("utf-8")
    appended = text.count("\n") + 2
    actors.write_text(text + "\n<https://w3id.org/kg92/id/actor/departement-78> kg:note \"sans langue\" .\n"
                             "<https://w3id.org/kg92/id/actor/fixture-sans-nom> a kg:Actor .\n", "utf-8")
    report = validate(root)
    got = {(r.severity, r.focus, r.shape, r.path, r.file, r.line) for r in report.results if r.file == "data/ttl/actors.ttl"
           and r.severity == V}
    assert (V, ID + "actor/departement-78", "kgsh:NoteShape", "https://w3id.org/kg92/def#note", "data/ttl/actors.ttl",
            appended) in got
    assert {(r[1], r[2], r[5]) for r in got} == {(ID + "actor/departement-78", "kgsh:NoteShape", appended),
                                                 (ID + "actor/fixture-sans-nom", "kgsh:ActorShape", appended + 1)}
    assert f"data/ttl/actors.ttl:{appended}: <https://w3id.org/kg92/id/actor/departement-78> kg:note: Violation: " in report.to_text("en")


LINES_TEXT = '''@prefix ex: <http://e/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a a ex:C ;
    rdfs:label "un \\"a\\""@fr ,
        "an a"@en ;
    ex:n 42 , "7"^^<http://www.w3.org/2001/XMLSchema#int> ;
    ex:b [ ex:c ex:d ; ex:e "x" ] ;
    ex:l ( ex:x ex:y ) ;
    ex:long """two
lines""" ;
    ex:after ex:z .
<http://e/a> ex:again ex:w .
[] ex:p ex:q .
'''


@pytest.mark.parametrize("predicate, value, line", [
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://e/C", 3),
    ("http://www.w3.org/2000/01/rdf-schema#label", 'un "a"', 4),
    ("http://www.w3.org/2000/01/rdf-schema#label", "an a", 5),
    ("http://e/n", "42", 6), ("http://e/n", "7", 6),
    ("http://e/n", "42.0", 6),         # spelt differently: the predicate's first line
    ("http://e/b", None, 7), ("http://e/l", None, 8),
    ("http://e/long", "two\nlines", 9), ("http://e/after", "http://e/z", 11),
    ("http://e/again", "http://e/w", 12),
    ("http://e/c", "http://e/d", None),   # inside a blank node: not a top-level triple of ex:a
])
def test_lines_finds_each_top_level_triple(predicate, value, line):
    from kg92.build.lineindex import Lines
    lines = Lines(LINES_TEXT)
    assert lines.subjects == {"http://e/a": 3}
    assert lines.line_of("http://e/a", predicate, value) == line


# ---------------------------------------------------------------- one entry point, three callers

def same_report(text: str) -> str:
    """A report with its timing blanked (the only part that differs from one run to the next)."""
    return re.sub(r"validated in \d+\.\d\d s", "validated in _ s", text).rstrip("\n")


def test_build_cli_and_post_validate_give_the_same_report_for_the_same_broken_file(tmp_path):
    """The build, `kg92 validate` and POST /validate all call kg92.build.validate.validate: the same report, line for
    line (in English, timing aside), for the same repository with one broken data file."""
    from kg92.build import run
    from kg92.web.app import create_app
    broken = FIXTURES / "invalid" / "core__unit-not-allowed.ttl"
    root = repo(tmp_path / "repo", [broken], queries=True)
    rel = f"data/ttl/{broken.name}"
    outcome = run(root, root / "build", SOURCES)
    assert outcome.code == 1 and not (root / "build").exists()
    built = same_report(outcome.message.removesuffix("\nbuild/ left as it was: the data does not conform."))
    code, stdout, stderr = finish(kg92_validate(root, "--lang", "en", cwd=tmp_path))
    assert code == 1, stderr
    app = create_app({"build_dir": str(ROOT / "build"), "root": str(root), "sources_dir": str(SOURCES)})
    resp = post(app.test_client(), broken.read_text("utf-8"), f"?file={rel}&lang=en", accept="text/plain")
    assert resp.status_code == 200 and resp.headers["X-KG92-Conforms"] == "false"
    served = same_report(resp.get_data(as_text=True))
    assert built == same_report(stdout) == served
    entry = f"{rel}:16: <{ID}figure/002-fixture-unite-inconnue> qudt:hasUnit: Violation: "
    assert [line for line in built.splitlines() if line.startswith(entry)] != []
    assert built.splitlines()[0].startswith(f"── {rel} (1 Violation")
    code, stdout, _ = finish(kg92_validate(root, "--format", "json", cwd=tmp_path))
    served = post(app.test_client(), broken.read_text("utf-8"), f"?file={rel}").get_json()
    cli = json.loads(stdout)
    assert served.pop("file") == rel and served.pop("seconds") >= 0 and cli.pop("seconds") >= 0
    assert cli == served
