"""Blueprint: service pages (/-/health, /-/about)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from .app import resources
from .settings import SETTINGS

bp = Blueprint("web", __name__)


@bp.get("/-/health")
def health():
    res = resources(current_app)
    next(iter(res.store.quads_for_pattern(None, None, None, None)), None)  # the store answers
    return jsonify(status="ok", build=res.build.id)


@bp.get("/-/about.json")
def about_json():
    res = resources(current_app)
    limits = {s.name: res.settings[s.name] for s in SETTINGS if s.name.startswith(("max_", "query_", "cache_"))}
    return jsonify(manifest=res.build.manifest, limits=limits,
                   settings={s.name: {"value": res.settings[s.name], "help": s.help} for s in SETTINGS
                             if s.name not in ("root", "build_dir", "sources_dir")})
