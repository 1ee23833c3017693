#!/usr/bin/env python3
"""`make bench`: every benchmark of bench/ on the real build, one after the other (figures, never pass/fail)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ("validation.py", "sparql_endpoint.py", "canned_queries.py", "pages.py")


def main() -> int:
    worst = 0
    for script in SCRIPTS:
        if not (HERE / script).is_file():
            continue
        print(f"\n=== bench/{script}", flush=True)
        worst = max(worst, subprocess.run([sys.executable, str(HERE / script)]).returncode)
    return worst


if __name__ == "__main__":
    sys.exit(main())
