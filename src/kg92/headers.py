"""Security headers on every response (one ``after_request`` hook, registered by the application factory).

The Content-Security-Policy allows this server only: pages load scripts, styles, fonts and images from ``'self'``
and talk to this server only (no inline script or style, no ``eval``); nothing may frame a page (clickjacking), and
browsers must not guess a media type other than the one sent. The one exception is the query editor's page:
YASGUI (its bundled jQuery/DataTables, served from ``build/ui/``) inserts ``<style>`` elements, so ``/editor``
alone allows inline *styles* (never inline scripts) — checked in chromium by tests/test_browser.py, which fails
on any CSP violation reported on a page's console.
"""

from __future__ import annotations

from flask import Response, request

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
EDITOR_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
INLINE_STYLES = {"ui.editor"}   # endpoints whose page runs YASGUI
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add(resp: Response) -> Response:
    """The CSP and the headers of :data:`HEADERS` that the view did not set itself."""
    resp.headers.setdefault("Content-Security-Policy", EDITOR_CSP if request.endpoint in INLINE_STYLES else CSP)
    for name, value in HEADERS.items():
        resp.headers.setdefault(name, value)
    return resp
