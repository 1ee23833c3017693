"""Front-end assets of the query editor: YASGUI (and Chart.js, for its chart and timeline views) from the npm
registry, copied into the release at build time.

``make install`` runs ``npm ci`` (package.json / package-lock.json at the repository root); the build copies the
distribution files into ``build/ui/``; the server serves them at ``/ui/…``. Nothing of YASGUI is committed. When npm
could not fetch them, ``install_assets`` copies nothing and the editor page falls back to a plain editor. Chart.js is
optional beside YASGUI: without it the editor has no chart nor timeline view (the graph view is ours, static/views.js).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

PACKAGE = "@zazuko/yasgui"
FILES = ("yasgui.min.js", "yasgui.min.css")   # the self-contained UMD bundle and its style sheet
CHART = "chart.js"
CHART_FILE = "chart.umd.min.js"   # Chart.js's self-contained UMD bundle (no style sheet, no inline style)


def dist_dir(root: Path) -> Path:
    return root / "node_modules" / PACKAGE / "build"


def ui_dir(release_dir: Path) -> Path:
    return release_dir / "ui"


def version(root: Path, package: str = PACKAGE) -> str | None:
    """The installed version of ``package`` (YASGUI by default), or None when npm has not installed it."""
    try:
        return json.loads((root / "node_modules" / package / "package.json").read_text("utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def fingerprint(root: Path) -> str:
    """What the build's input hash must include so that installing or upgrading the assets triggers a rebuild."""
    chart = version(root, CHART)
    return f"{PACKAGE}={version(root) or 'absent'}" + (f" {CHART}={chart}" if chart else "")


def install_assets(release_dir: Path, root: Path) -> list[str]:
    """Copy YASGUI's distribution files into ``release_dir/ui``; return the copied names (empty: plain editor)."""
    src = dist_dir(root)
    if version(root) is None or not all((src / name).is_file() for name in FILES):
        return []
    out = ui_dir(release_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(src / name, out / name)
    copied = list(FILES)
    chart = root / "node_modules" / CHART / "dist" / CHART_FILE
    if version(root, CHART) and chart.is_file():
        shutil.copyfile(chart, out / CHART_FILE)
        copied.append(CHART_FILE)
    (out / "VERSION").write_text(f"{fingerprint(root)}\n", encoding="utf-8")
    return [f"ui/{name}" for name in copied]


def installed(release_dir: Path) -> bool:
    """Whether the release carries the YASGUI files (else the editor page is the plain editor)."""
    return all((ui_dir(release_dir) / name).is_file() for name in FILES)


def charts(release_dir: Path) -> bool:
    """Whether the release carries Chart.js (the editor's chart and timeline views)."""
    return (ui_dir(release_dir) / CHART_FILE).is_file()
