"""Production serving: granian (the default, ``server = "granian"``) or gunicorn's gthread workers run the
application factory in each worker process (never Flask's development server).

Both servers give the same guarantees: bound to ``host`` (127.0.0.1 by default); ``workers`` processes of
``threads`` threads each; the application created in each worker, after the fork (RocksDB, which pyoxigraph's
store runs on, keeps process-global threads that a forked child must never inherit), over the release the master
resolved once, so a worker restarted after a rebuild serves what its siblings do; a worker that dies is replaced;
a request line longer than ``max_request_line`` gets 414; SIGTERM stops the workers gracefully (in-flight requests
finish), a worker still busy ``query_timeout`` + 30 s later is killed; one access-log line per request on
standard output/error. One difference: gunicorn also kills a worker whose main loop is silent for that long (its
heartbeat), granian has no heartbeat; under both, a query's deadline is the query pool's (its worker is killed).
granian was chosen by measurement (bench/sparql_endpoint.py --servers granian,gunicorn; README "Benchmarks").
"""

from __future__ import annotations

import os
import signal
import sys
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kg92 import settings
from kg92.queries.registry import QueryFileError, Registry
from kg92.store import BuildError, load_build, pin
from kg92.web.app import create_app

SERVERS = ("granian", "gunicorn")
GUNICORN_MAX_LINE = 8190   # gunicorn's largest limit_request_line
# what a percent-encoded request target keeps as it is (PATH_INFO arrives decoded: it is quoted back to count it)
_TARGET_SAFE = "/:@!$&'()*+,;=-._~"


class RequestLineLimit:
    """WSGI middleware: 414 for a request line (method, target, protocol) longer than ``limit`` bytes, as gunicorn's
    ``limit_request_line`` answers (granian has no such limit of its own: its buffer bounds the whole head)."""

    BODY = b"Request-URI Too Long: send a long query with POST\n"

    def __init__(self, wsgi, limit: int):
        self.wsgi, self.limit = wsgi, limit

    def __call__(self, environ: dict[str, Any], start_response):
        query = environ.get("QUERY_STRING", "")
        if (len(environ.get("REQUEST_METHOD", "")) + len(quote(environ.get("PATH_INFO", ""), safe=_TARGET_SAFE,
                                                                encoding="latin-1"))
                + (len(query) + 1 if query else 0) + len(environ.get("SERVER_PROTOCOL", "")) + 2) > self.limit:
            start_response("414 Request-URI Too Long", [("Content-Type", "text/plain; charset=utf-8"),
                                                        ("Content-Length", str(len(self.BODY)))])
            return [self.BODY]
        return self.wsgi(environ, start_response)


def worker_app(overrides: dict[str, Any], release: Path, max_line: int):
    """What each granian worker serves: called in the worker, after the fork. granian copies the process's
    environment into every request's WSGI environ, where an ``HTTP_*`` variable (an ``HTTP_PROXY``, say) would read
    as a request header (an ``If-None-Match`` on every request): this worker drops them first (its query workers,
    sandboxed, open no connection). A forked worker also inherits the master's SIGTERM handler, which only sets the
    master's flag: a SIGTERM while the app is being created (a stop right after a start) was lost and the master
    waited ``query_timeout`` + 30 s before killing the worker; until granian installs its own handlers, after this
    function, SIGTERM and SIGINT end the worker at once (it serves nothing yet)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    for name in [name for name in os.environ if name.startswith("HTTP_")]:
        del os.environ[name]
    return RequestLineLimit(create_app(dict(overrides), release=release), max_line)


def _granian(conf, overrides: dict[str, Any], release: Path) -> None:
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings
    from granian.server import Server
    server = Server("kg92.cli.serve:worker_app", address=conf["host"], port=int(conf["port"]),
                    interface=Interfaces.WSGI, workers=int(conf["workers"]), blocking_threads=int(conf["threads"]),
                    http1_settings=HTTP1Settings(header_read_timeout=30_000), websockets=False,
                    log_access=True, respawn_failed_workers=True, respawn_interval=0.5,
                    workers_kill_timeout=int(conf["query_timeout"]) + 30)
    loader = partial(worker_app, dict(overrides), release, int(conf["max_request_line"]))
    server.serve(target_loader=loader, wrap_loader=False)


def _gunicorn(conf, overrides: dict[str, Any], release: Path) -> None:
    from gunicorn.app.base import BaseApplication

    class Gunicorn(BaseApplication):   # no preload: load() runs in each worker, after the fork
        def load_config(self) -> None:
            for key, value in {"bind": f"{conf['host']}:{conf['port']}", "workers": conf["workers"],
                               "threads": conf["threads"], "worker_class": "gthread", "accesslog": "-",
                               "limit_request_line": min(int(conf["max_request_line"]), GUNICORN_MAX_LINE),
                               "control_socket_disable": True,   # else every server shares ~/.gunicorn/gunicorn.ctl
                               "timeout": int(conf["query_timeout"]) + 30}.items():
                self.cfg.set(key, value)

        def load(self):
            return create_app(dict(overrides), release=release)

    Gunicorn().run()


def serve(overrides: dict[str, Any]) -> int:
    conf = settings.load(overrides)
    if conf["server"] not in SERVERS:
        print(f"kg92: setting server: {conf['server']!r} is not one of {', '.join(SERVERS)}", file=sys.stderr)
        return 2
    try:
        __import__(conf["server"])
    except ImportError:
        print(f"kg92: the {conf['server']} server is not installed (pip install -e . installs both; "
              f"or choose the other with --server)", file=sys.stderr)
        return 2
    try:   # refuse to start on a missing or failed build, before binding (the store itself opens in the workers)
        build = load_build(Path(conf["build_dir"]))
        Registry.load(Path(conf["root"]) / "queries")
    except (BuildError, QueryFileError) as exc:
        print(f"kg92: {exc}", file=sys.stderr)
        return 2
    pin(build)   # the master holds the release for the server's life: `kg92 build` never prunes it
    print(f"kg92 serving build {build.id} (release {build.path.name}) on http://{conf['host']}:{conf['port']}/ "
          f"with {conf['server']}; it keeps serving this build after a `kg92 build` until it is restarted",
          file=sys.stderr, flush=True)
    (_granian if conf["server"] == "granian" else _gunicorn)(conf, overrides, build.path)
    return 0
