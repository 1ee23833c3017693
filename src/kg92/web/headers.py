"""Security headers on every response (one ``after_request`` hook, registered by the application factory).

The Content-Security-Policy allows this server only: pages load scripts, styles, fonts and images from ``'self'``
and talk to this server only (no inline script or style, no ``eval``); nothing may frame a page (clickjacking), and
browsers must not guess a media type other than the one sent. The one exception is the query editor's page:
YASGUI (served from ``build/ui/``) inserts one ``<style>`` element, the style sheet of its column resizer, so
``/editor`` alone allows that one style element by its hash (no other inline style, never an inline script) —
checked in chromium by tests/browser/test_browser.py, which fails on any CSP violation reported on a page's console.
"""

from __future__ import annotations

from flask import Response, request

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
# the <style> that @zazuko/yasgui 4.6.2 (pinned in package.json) inserts: ".grip-resizable{table-layout:fixed;} …";
# another version may insert another one: the browser tests then report the violation, with the hash to put here
YASGUI_STYLE = "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='"
EDITOR_CSP = CSP.replace("style-src 'self'", f"style-src 'self' {YASGUI_STYLE}")
INLINE_STYLES = {"editor.editor"}   # endpoints whose page runs YASGUI
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
