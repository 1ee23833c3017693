"""The W3C SPARQL 1.1 Protocol tests (query side, updates as refusals, plus the runner's extra checks) against a
live server over the W3C fixture data (tests/fixtures/protocol/): nothing may fail.

The runner is a shared tool (``../shared/tools/protocol_tests.py``, not part of this repository): without it this
test skips, saying so. The project's own protocol tests (tests/test_sparql_http.py) run on the same fixture
everywhere."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT
from test_sparql_support import live_server, make_app

RUNNER = ROOT.parent / "shared" / "tools" / "protocol_tests.py"


@pytest.mark.skipif(not RUNNER.is_file(), reason=f"the W3C protocol runner is not here ({RUNNER})")
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
