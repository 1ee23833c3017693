"""The site's languages: the choice (``?lang=``, remembered in a cookie, else ``Accept-Language``), the interface
messages (``templates/messages.json``), the template globals and the ``number`` filter; hooks on every page.

Interface text is French, English on request. Labels are shown in the chosen language when the graph has one, else
in French (see web/labels.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, g, request

from kg92 import urls

bp = Blueprint("i18n", __name__)
LANGS = ("fr", "en")
MESSAGES: dict[str, dict[str, str]] = json.loads((Path(__file__).parent.parent / "templates" / "messages.json").read_text("utf-8"))


def pick_lang() -> str:
    asked = request.args.get("lang") or request.cookies.get("lang")
    return asked if asked in LANGS else request.accept_languages.best_match(LANGS, default="fr")


def t(key: str) -> str:
    entry = MESSAGES.get(key)
    return entry[g.get("lang", "fr")] if entry else key


def lang_url(lang: str) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + "?" + urlencode([*args, ("lang", lang)])


@bp.before_app_request
def _set_lang() -> None:
    g.lang = pick_lang()


@bp.after_app_request
def _remember_lang(resp: Response) -> Response:
    asked = request.args.get("lang")
    if asked in LANGS and request.cookies.get("lang") != asked:
        resp.set_cookie("lang", asked, max_age=365 * 86400, samesite="Lax")
    if resp.status_code == 200 and resp.mimetype == "text/html":
        # every HTML page is in the language picked above (base.html): say so to caches, whichever blueprint made it
        resp.headers.setdefault("Content-Language", g.get("lang", "fr"))
        resp.vary.add("Accept-Language")
        resp.vary.add("Cookie")   # (a page with an ETag puts the language in it before its 304 check: protocol.py)
    return resp


@bp.app_context_processor
def _template_globals() -> dict:
    lang = g.get("lang", "fr")
    other = "en" if lang == "fr" else "fr"
    return {"t": t, "lang": lang, "other_lang": other, "other_lang_url": lang_url(other), "href": urls.href, "curie": urls.curie}


@bp.app_template_filter("number")
def number(text: str, lang: str = "fr") -> str:
    """``314000000`` → ``314 000 000`` (fr, narrow no-break spaces) or ``314,000,000`` (en); other text unchanged."""
    try:
        n = float(text)
    except (TypeError, ValueError):
        return text
    shown = f"{n:,.0f}" if n == int(n) else f"{n:,}"
    return shown.replace(",", "\u202f").replace(".", ",") if lang == "fr" else shown
