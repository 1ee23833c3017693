#!/usr/bin/env python3
"""Screenshots of every page family of the site, at a desktop and a phone width, for a reviewer to look at.

    make screenshots                                  # = python tools/screenshots.py (needs `make build` first)
    python tools/screenshots.py --url http://127.0.0.1:8000 --out /tmp/shots   # of a server already running
    python tools/screenshots.py --only editor,home    # some families only

Without ``--url`` the script serves the current release (``build/``, made by ``kg92 build``) itself, on a free port
of 127.0.0.1, and stops it at the end. It drives Debian's chromium (``/usr/bin/chromium``, `make browser`) with the
Python ``playwright`` package; every request outside the served site is refused. PNGs go to
``build/screenshots/`` by default (git ignores ``build/``; a rebuild replaces the release, not this directory):
``NAME-desktop.png`` (1280 px wide) and ``NAME-phone.png`` (390 × 844, as an iPhone 12–14), whole pages.

:data:`PAGES` — one page per family — is also the list that tests/browser/test_a11y.py checks with axe-core.
"""

from __future__ import annotations

import argparse
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# (family, path): one page of each kind the site serves
PAGES = [
    ("home", "/"),
    ("editor", "/editor"),
    ("editor-results", "/editor?q=" + quote("SELECT ?s ?label WHERE { ?s a kg:Scheme ; skos:prefLabel ?label } LIMIT 12")),
    ("editor-embed", "/editor/embed?q=" + quote(
        "SELECT ?kind (COUNT(?s) AS ?n) WHERE { ?s a kg:Scheme ; kg:kind ?kind } GROUP BY ?kind")),
    ("sparql-html", "/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 20")),
    ("queries", "/queries"),
    ("query", "/queries/schemes-in-one-document"),
    ("browse-schemes", "/id/scheme/"),
    ("scheme", "/id/scheme/fsl"),
    ("actor", "/id/actor/departement-92"),
    ("document", "/id/document/000"),
    ("statement", "/id/statement/000-q1-117-nouveaux-agents"),
    ("compare-stances", "/compare/stances"),
    ("compare-citations", "/compare/citations"),
    ("search", "/search?q=" + quote('"logement social"')),
    ("ontology", "/ontology"),
    ("ontology-howto", "/ontology/howto"),
    ("validation", "/validation"),
    ("not-found", "/id/scheme/no-such-scheme"),
]


def settle(page, path: str) -> None:
    """Waits until the page's scripts have drawn what they draw (the editor and its first results)."""
    if path.startswith("/editor"):
        page.wait_for_selector(".yasqe .CodeMirror, #embed-view, textarea[name=query]")
    if path.startswith("/editor?"):
        page.wait_for_selector("#yasgui .yasr .dataTable tbody tr, #plain-results tbody tr")
    page.wait_for_load_state("networkidle")


def app_of(build_dir: Path):
    """The web application over the release in ``build_dir`` (this checkout's code: src/ comes first)."""
    sys.path.insert(0, str(ROOT / "src"))
    from kg92.web.app import create_app
    return create_app({"build_dir": str(build_dir)})


@contextmanager
def serving(app):
    """A threaded werkzeug server over ``app`` on a free port of 127.0.0.1; its URL, then it stops (with the app's
    query engine). tests/browser/test_browser.py serves its pages with it too."""
    from werkzeug.serving import make_server

    from kg92.web.resources import engine
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.port}"
    finally:
        srv.shutdown()
        thread.join(10)
        engine(app).close()


def only_local(context, url: str) -> None:
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(url) else route.abort())


def shoot(url: str, out: Path, families: set[str] | None = None) -> list[Path]:
    """Whole-page PNGs of :data:`PAGES` (or of ``families``) at each of :data:`VIEWPORTS`; the files written."""
    from playwright.sync_api import sync_playwright
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for device, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, locale="fr-FR")
            only_local(context, url)
            page = context.new_page()
            for name, path in PAGES:
                if families and name not in families:
                    continue
                page.goto(url + path)
                settle(page, path)
                written.append(out / f"{name}-{device}.png")
                page.screenshot(path=str(written[-1]), full_page=True)
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="a running server (default: serve build/ on a free port)")
    ap.add_argument("--build", type=Path, default=ROOT / "build", help="the release to serve (default: build/)")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots", help="where the PNGs go")
    ap.add_argument("--only", help="comma-separated families: " + ",".join(name for name, _ in PAGES))
    args = ap.parse_args(argv)
    families = set(args.only.split(",")) if args.only else None
    unknown = (families or set()) - {name for name, _ in PAGES}
    if unknown:
        ap.error(f"unknown families: {', '.join(sorted(unknown))}")
    if args.url:
        written = shoot(args.url.rstrip("/"), args.out, families)
    else:
        if not (args.build / "manifest.json").exists():
            ap.error(f"no release in {args.build}: run `make build` (or `kg92 build`) first")
        with serving(app_of(args.build)) as url:
            written = shoot(url, args.out, families)
    print(f"{len(written)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
