#!/usr/bin/env python3
"""Authoring helper: print the Web Annotation Turtle of a verbatim quote.

    python tools/quote.py 000 "Le régime indemnitaire des personnels"
    python tools/quote.py 002 "RSA" --occurrence 3
    python tools/quote.py 001 --file passage.txt      # the quote read from a file (exact bytes)

Copies nothing by hand: the offsets are computed on the source text (the `sources_dir` setting: KG92_SOURCES_DIR,
kg92.toml, else ../shared/sources beside the repository; --sources wins), and the command fails if the passage is not in the document character for character.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from kg92 import settings  # noqa: E402
from kg92.quotes import locate, occurrences, read_text, source_file, to_turtle  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("doc", help="document number: 000, 001, 002, 003 or 004")
    ap.add_argument("exact", nargs="?", help="the passage, character for character")
    ap.add_argument("--file", help="read the passage from this file (a final newline is dropped)")
    ap.add_argument("--occurrence", type=int, default=1, help="which occurrence (1-based)")
    ap.add_argument("--sources", default=os.environ.get("KG92_SOURCES") or settings.load({"root": str(ROOT)})["sources_dir"],
                    help="folder of the source texts (default: the sources_dir setting)")
    args = ap.parse_args()
    exact = args.exact
    if args.file:
        exact = Path(args.file).read_text(encoding="utf-8").removesuffix("\n")
    if not exact:
        ap.error("give the passage or --file")
    try:
        text = read_text(source_file(Path(args.sources), args.doc))
    except FileNotFoundError as exc:
        print(f"error: {exc} (point KG92_SOURCES_DIR or --sources at the source texts)", file=sys.stderr)
        return 2
    try:
        q = locate(text, args.doc, exact, args.occurrence)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    n = len(occurrences(text, exact))
    if n > 1:
        print(f"# note: this passage occurs {n} times; this is occurrence {args.occurrence}", file=sys.stderr)
    sys.stdout.write(to_turtle(q))
    return 0


if __name__ == "__main__":
    sys.exit(main())
