"""The validation report: results pointing at file:line, counts, and their text, JSON and Turtle renderings.

One :class:`Report` comes out of :func:`kg92.build.validate.validate` whoever asks (the build, ``kg92 validate``,
``POST /validate``), so the three print the same report for the same input.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef

from kg92.namespaces import PREFIXES

SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = "https://w3id.org/kg92/shapes#"
SEVERITIES = ("Violation", "Warning", "Info")
COMPACT = {"kgsh": KGSH, **PREFIXES}


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
                self.path or "", self.value or "", self.message_en, self.message_fr)


@dataclass
class Report:
    conforms: bool           # False iff at least one Violation
    results: list[Result]
    seconds: float
    sources_checked: bool    # False when the source texts were absent (quote checks skipped, with a warning)
    units: dict = field(default_factory=dict)   # per-graph validation: units, revalidated, cached (units.Stats)

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
        """A sh:ValidationReport graph; file and line as kgsh:sourceFile / kgsh:sourceLine. The blank nodes are named
        by the results' order, so that the same report is the same bytes (rdflib orders the results by node)."""
        g = Graph()
        g.bind("sh", SH)
        g.bind("kgsh", KGSH)
        rep = BNode("report")
        g.add((rep, RDF.type, SH.ValidationReport))
        g.add((rep, SH.conforms, Literal(self.conforms)))
        g.add((rep, URIRef(KGSH + "sourcesChecked"), Literal(self.sources_checked)))
        for i, r in enumerate(sorted(self.results, key=Result.sort_key)):
            node = BNode(f"result{i:07d}")
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

    def write(self, dest: Path) -> None:
        """The report in a release: validation.txt (en), validation.fr.txt, validation.json, validation.ttl."""
        (dest / "validation.txt").write_text(self.to_text("en"), encoding="utf-8")
        (dest / "validation.fr.txt").write_text(self.to_text("fr"), encoding="utf-8")
        (dest / "validation.json").write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        (dest / "validation.ttl").write_text(self.to_turtle(), encoding="utf-8")


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
