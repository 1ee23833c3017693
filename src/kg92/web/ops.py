"""Blueprint: service pages (/-/health, /-/about)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from kg92.settings import SETTINGS
from kg92.web.resources import engine, resources

bp = Blueprint("ops", __name__)


@bp.get("/-/health")
def health():
    """200 ``ok`` when the store answers and the query pool has a worker alive or starting; 503 ``degraded``
    otherwise (e.g. no worker could open the store), with the pool's last start error. ``query_protection``:
    the query workers' network sandbox (``seccomp: no network sockets``, or ``none (…)`` with the reason)."""
    res = resources(current_app)
    next(iter(res.store.quads_for_pattern(None, None, None, None)), None)  # the store answers
    pool = engine(current_app).pool().status()
    ok = pool["workers"] > 0 or pool["starting"] > 0
    return jsonify(status="ok" if ok else "degraded", build=res.build.id, **res.freshness(), query_workers=pool,
                   query_protection=engine(current_app).protection), 200 if ok else 503


@bp.get("/-/about.json")
def about_json():
    res = resources(current_app)
    limits = {s.name: res.settings[s.name] for s in SETTINGS if s.name.startswith(("max_", "query_", "cache_"))}
    return jsonify(manifest=res.build.manifest, build=res.build.id, **res.freshness(), limits=limits,
                   query_protection=engine(current_app).protection,
                   settings={s.name: {"value": res.settings[s.name], "help": s.help} for s in SETTINGS
                             if s.name not in ("root", "build_dir", "sources_dir")})
