#!/usr/bin/env python3
"""POST /validate's cost of isolation: the same validation (the repository's real data) called in
the server process, as before issue 12, and in a killable child process (kg92.isolated, what POST /validate does
now), side by side in one run; then how soon a validation stopped at a deadline answers. Prints medians.

    python bench/validate_service.py [--runs N]      (default 3; a run is two validations of about 5 s)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from validation import real_data, runs  # bench/validation.py: the real data, --runs (puts src/ on the path)

from kg92 import isolated
from kg92.build.validate import validate_files


def main() -> int:
    args_runs = runs(__doc__)
    kwargs = {**real_data(), "cache_dir": Path(real_data()["root"]) / ".builds" / ".cache"}
    times: dict[str, list[float]] = {"in the server process": [], "in a child process": []}
    counts = set()
    for _ in range(args_runs):
        for name, call in (("in the server process", lambda: validate_files(**kwargs)),
                           ("in a child process", lambda: isolated.run(validate_files, kwargs, 600.0, 2048))):
            started = time.perf_counter()
            counts.add(tuple(call().counts().items()))
            times[name].append(time.perf_counter() - started)
    for name, values in times.items():
        print(f"{name:24} median {statistics.median(values):6.2f} s over {args_runs} runs")
    ratio = statistics.median(times["in a child process"]) / statistics.median(times["in the server process"])
    print(f"ratio {ratio:.2f}×; identical counts: {len(counts) == 1} {sorted(counts)[0]}")
    stopped = []
    for deadline in (0.5, 2.0):
        started = time.perf_counter()
        try:
            isolated.run(validate_files, kwargs, deadline, 2048)
        except isolated.Deadline:
            stopped.append(f"deadline {deadline} s → stopped after {time.perf_counter() - started:.2f} s")
    print("; ".join(stopped))
    return 0


if __name__ == "__main__":
    sys.exit(main())
