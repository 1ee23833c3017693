"""Production serving: gunicorn runs the application factory (never Flask's development server)."""

from __future__ import annotations

import sys
from typing import Any

from gunicorn.app.base import BaseApplication

from . import settings
from .app import create_app
from .store import BuildError


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict[str, Any]):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def serve(overrides: dict[str, Any]) -> int:
    conf = settings.load(overrides)
    try:
        app = create_app(dict(overrides))  # refuse to start on a missing or failed build, before binding
    except BuildError as exc:
        print(f"kg92: {exc}", file=sys.stderr)
        return 2
    print(f"kg92 serving build {app.extensions['kg92'].build.id} on http://{conf['host']}:{conf['port']}/", file=sys.stderr)
    _Gunicorn(app, {"bind": f"{conf['host']}:{conf['port']}", "workers": conf["workers"], "threads": conf["threads"],
                    "worker_class": "gthread", "accesslog": "-", "timeout": int(conf["query_timeout"]) + 30}).run()
    return 0
