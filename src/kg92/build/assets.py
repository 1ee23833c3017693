"""Front-end assets of the query editor: YASGUI from the npm registry, copied into the release at build time.

``make install`` runs ``npm ci`` (package.json / package-lock.json at the repository root); the build copies the
distribution files into ``build/ui/``; the server serves them at ``/ui/…``. Nothing of YASGUI is committed. When npm
could not fetch them, ``install_assets`` copies nothing and the editor page falls back to a plain editor.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

PACKAGE = "@zazuko/yasgui"
FILES = ("yasgui.min.js", "yasgui.min.css")   # the self-contained UMD bundle and its style sheet


def dist_dir(root: Path) -> Path:
    return root / "node_modules" / PACKAGE / "build"


def ui_dir(release_dir: Path) -> Path:
    return release_dir / "ui"


def version(root: Path) -> str | None:
    """The installed YASGUI version, or None when npm has not installed it."""
    try:
        return json.loads((root / "node_modules" / PACKAGE / "package.json").read_text("utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def fingerprint(root: Path) -> str:
    """What the build's input hash must include so that installing or upgrading the assets triggers a rebuild."""
    return f"{PACKAGE}={version(root) or 'absent'}"


def install_assets(release_dir: Path, root: Path) -> list[str]:
    """Copy YASGUI's distribution files into ``release_dir/ui``; return the copied names (empty: plain editor)."""
    src = dist_dir(root)
    if version(root) is None or not all((src / name).is_file() for name in FILES):
        return []
    out = ui_dir(release_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(src / name, out / name)
    (out / "VERSION").write_text(f"{PACKAGE} {version(root)}\n", encoding="utf-8")
    return [f"ui/{name}" for name in FILES]


def installed(release_dir: Path) -> bool:
    """Whether the release carries the YASGUI files (else the editor page is the plain editor)."""
    return all((ui_dir(release_dir) / name).is_file() for name in FILES)
