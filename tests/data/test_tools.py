"""The authoring tools read the source texts where the build does (the sources_dir setting, KG92_SOURCES_DIR)."""

from __future__ import annotations

import os
import subprocess
import sys

from support import ROOT, SOURCES, needs_sources

QUOTE = [sys.executable, str(ROOT / "tools" / "quote.py")]


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(QUOTE + args, capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**{k: v for k, v in os.environ.items() if not k.startswith("KG92_SOURCES")}, **env})


@needs_sources
def test_quote_reads_the_texts_of_kg92_sources_dir():
    done = run(["003", "COLOMBES 2"], KG92_SOURCES_DIR=str(SOURCES))
    assert (done.returncode, done.stdout.splitlines()) == (0, [
        "<https://w3id.org/kg92/id/quote/003-0-10> a oa:SpecificResource ;",
        "    oa:hasSource <https://w3id.org/kg92/id/document/003> ;",
        "    oa:hasSelector [ a oa:TextQuoteSelector ;",
        '        oa:exact "COLOMBES 2" ;',
        '        oa:prefix "" ;',
        '        oa:suffix "\\nRÉPONSES DE DAVID MBANZA (EELV)" ] ,',
        "      [ a oa:TextPositionSelector ; oa:start 0 ; oa:end 10 ] ."]), done.stderr


def test_quote_without_the_texts_says_where_it_looked_and_exits_2(tmp_path):
    done = run(["003", "COLOMBES 2"], KG92_SOURCES_DIR=str(tmp_path / "nowhere"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"error: no single source file for document 003 in {tmp_path / 'nowhere'} "
                           "(point KG92_SOURCES_DIR or --sources at the source texts)\n")
