"""Production serving: gunicorn runs the application factory (never Flask's development server)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from kg92 import settings
from kg92.queries.registry import QueryFileError, Registry
from kg92.store import BuildError, load_build, pin
from kg92.web.app import create_app


class _Gunicorn(BaseApplication):
    """The application is created in each worker, after the fork (gunicorn without preload): RocksDB, which
    pyoxigraph's store runs on, keeps process-global threads that a forked child must never inherit. Every worker
    serves ``release``, resolved once by the master: a worker restarted after a rebuild serves what its siblings do."""

    def __init__(self, overrides: dict[str, Any], options: dict[str, Any], release: Path):
        self.overrides, self.options, self.release = overrides, options, release
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(dict(self.overrides), release=self.release)


def serve(overrides: dict[str, Any]) -> int:
    conf = settings.load(overrides)
    try:   # refuse to start on a missing or failed build, before binding (the store itself opens in the workers)
        build = load_build(Path(conf["build_dir"]))
        Registry.load(Path(conf["root"]) / "queries")
    except (BuildError, QueryFileError) as exc:
        print(f"kg92: {exc}", file=sys.stderr)
        return 2
    pin(build)   # the master holds the release for the server's life: `kg92 build` never prunes it
    print(f"kg92 serving build {build.id} (release {build.path.name}) on http://{conf['host']}:{conf['port']}/; "
          "it keeps serving this build after a `kg92 build` until it is restarted", file=sys.stderr)
    _Gunicorn(overrides, {"bind": f"{conf['host']}:{conf['port']}", "workers": conf["workers"], "threads": conf["threads"],
                          "worker_class": "gthread", "accesslog": "-",
                          "limit_request_line": min(int(conf["max_request_line"]), 8190),   # gunicorn's maximum
                          "control_socket_disable": True,   # else every server shares ~/.gunicorn/gunicorn.ctl
                          "timeout": int(conf["query_timeout"]) + 30}, build.path).run()
    return 0
