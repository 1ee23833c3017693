"""The W3C SPARQL 1.1 Protocol tests (query side, updates as refusals, plus the runner's extra checks) against a
live server over the W3C fixture data: nothing may fail."""

from __future__ import annotations

import subprocess
import sys

from test_sparql_support import PROTOCOL_DATA, live_server, make_app

RUNNER = PROTOCOL_DATA.parent / "protocol_tests.py"


def test_w3c_protocol_runner_reports_no_failure(tmp_path):
    app = make_app(tmp_path)
    with live_server(app) as base:
        done = subprocess.run([sys.executable, str(RUNNER), f"{base}/sparql", "--read-only", "--timeout", "20"],
                              capture_output=True, text=True, timeout=240)
    lines = done.stdout.strip().splitlines()
    assert "# fixture: data1/data2/data3 named graphs found" in lines, done.stdout
    assert [ln for ln in lines if ln.startswith(("FAIL", "SKIP"))] == [], done.stdout
    assert lines[-1].endswith(" passed, 0 failed, 0 skipped"), done.stdout
    assert int(lines[-1].split()[0]) >= 78, done.stdout          # 20 W3C query + 14 W3C update + the extras
    assert done.returncode == 0, done.stdout + done.stderr
