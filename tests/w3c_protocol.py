"""Run the W3C SPARQL 1.1 Protocol runner against a live kg92 over the project's W3C fixture (tests/fixtures/protocol/).

Not a test module (pytest collects test_*.py only): `.ci/run` calls it when a runner is at hand (the shared tools
beside the repository in CI), so that no test reads anything outside the repository:

    python tests/w3c_protocol.py PATH/TO/protocol_tests.py [--store-url URL]

With ``--store-url``, the fixture is published into that SPARQL engine (`kg92 publish`, replacing what it held)
and kg92 serves over it (the remote backend): tools/virtuoso.sh runs it so over Virtuoso.

Exit 0 when the runner reports no failure and no skip over at least 78 checks (20 W3C query tests, 14 W3C updates
refused, the runner's extras), 1 otherwise, its report on stdout.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tests/support.py
from support import live_server, make_app  # noqa: E402


def main(runner: str, store_url: str = "") -> int:
    remote = {"store_url": store_url} if store_url else {}
    with tempfile.TemporaryDirectory() as tmp, live_server(make_app(Path(tmp), **remote)) as base:
        done = subprocess.run([sys.executable, runner, f"{base}/sparql", "--read-only", "--timeout", "20"],
                              capture_output=True, text=True, timeout=240)
    print(done.stdout, done.stderr, sep="", end="")
    lines = done.stdout.strip().splitlines()
    ok = (done.returncode == 0 and "# fixture: data1/data2/data3 named graphs found" in lines
          and not [ln for ln in lines if ln.startswith(("FAIL", "SKIP"))]
          and bool(lines) and lines[-1].endswith(" passed, 0 failed, 0 skipped") and int(lines[-1].split()[0]) >= 78)
    print(f"W3C protocol runner: {'all passed' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--store-url" else ""))
