"""build/assets.py: Chart.js beside YASGUI (optional: the editor's chart and timeline views), pinned like it."""

from __future__ import annotations

import json

from support import ROOT

from kg92.build import assets


def fake_package(root, name: str, version: str, files: dict[str, str]) -> None:
    pkg = root / "node_modules" / name
    pkg.mkdir(parents=True)
    (pkg / "package.json").write_text(json.dumps({"name": name, "version": version}))
    for path, text in files.items():
        (pkg / path).parent.mkdir(parents=True, exist_ok=True)
        (pkg / path).write_text(text)


def test_chart_js_is_copied_beside_yasgui_and_counts_in_the_fingerprint(tmp_path):
    root, release = tmp_path / "repo", tmp_path / "release"
    release.mkdir()
    fake_package(root, assets.PACKAGE, "4.6.2", {f"build/{name}": f"/* {name} */" for name in assets.FILES})
    assert assets.install_assets(release, root) == ["ui/yasgui.min.js", "ui/yasgui.min.css"] and not assets.charts(release)
    fake_package(root, assets.CHART, "4.6.1", {f"dist/{assets.CHART_FILE}": "/* chart */"})
    assert assets.fingerprint(root) == "@zazuko/yasgui=4.6.2 chart.js=4.6.1"
    assert assets.install_assets(release, root) == ["ui/yasgui.min.js", "ui/yasgui.min.css", "ui/chart.umd.min.js"]
    assert assets.charts(release) and (release / "ui" / "chart.umd.min.js").read_text() == "/* chart */"
    assert (release / "ui" / "VERSION").read_text() == "@zazuko/yasgui=4.6.2 chart.js=4.6.1\n"


def test_package_json_pins_chart_js_and_the_lock_agrees():
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"][assets.CHART]
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert pinned[0].isdigit(), "pin an exact version"
    assert lock["packages"][f"node_modules/{assets.CHART}"]["version"] == pinned
