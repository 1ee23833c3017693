"""Every tunable of kg92, named once with its default and help.

Resolution order (later wins): defaults → TOML file (``KG92_CONFIG``, else ``./kg92.toml`` if present)
→ environment variables ``KG92_<NAME>`` → the ``overrides`` given to :func:`load` (e.g. ``create_app({...})``).
The result is frozen: nothing reads configuration after start-up.

The project is found from the settings (``kg92 --root PATH``, ``KG92_ROOT``), else from the current directory
and its parents (the first folder holding ontology/, data/ttl/, shapes/ and queries/), never from where this
file is installed; ``build_dir`` and ``sources_dir`` default to places derived from that root.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

MARKERS = ("ontology", "data/ttl", "shapes", "queries")   # the folders that make a directory a kg92 project
DERIVED = ""   # the default of the settings computed from the root


def is_project(path: Path) -> bool:
    return all((path / m).is_dir() for m in MARKERS)


def find_root(start: Path) -> Path:
    """``start`` or its nearest parent that is a kg92 project; ValueError when there is none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if is_project(folder):
            return folder
    raise ValueError(f"no kg92 project in {start} or its parents (a folder with {', '.join(m + '/' for m in MARKERS)}): "
                     "run from inside the repository, or give --root PATH / KG92_ROOT")


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    def parse(self, raw: Any) -> Any:
        kind = type(self.default)
        if isinstance(raw, kind) and not (kind is int and isinstance(raw, bool)):
            return raw
        if kind is bool:
            return str(raw).strip().lower() in {"1", "true", "yes", "on"}
        if kind in (int, float):
            try:
                return kind(raw)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"setting {self.name}: {raw!r} is not a valid {kind.__name__}") from exc
        return str(raw)


SETTINGS: tuple[Setting, ...] = (
    Setting("root", DERIVED, "Repository root: where ontology/, data/ttl/, shapes/ and queries/ are read "
            "(default: the current directory or its nearest parent that holds them; `kg92 --root PATH`)."),
    Setting("build_dir", DERIVED, "Directory of the built artefacts, a symlink to the current release (default: <root>/build)."),
    Setting("sources_dir", DERIVED,
            "Directory of the source texts (default: <root>/../shared/sources). Read by the build only: it checks each "
            "file against its recorded SHA-256, checks the quotes and publishes the texts in the release; absent, the "
            "quotes are not checked (a Warning) and the texts are not published."),
    Setting("host", "127.0.0.1", "Address the server binds to."),
    Setting("port", 8000, "Port the server listens on."),
    Setting("public_url", "", "Base URL of this server as its clients reach it (e.g. https://kg92.example.org), used for every absolute URL the server writes (dumps, VoID, service description, OpenAPI); empty: http://<host>:<port>/ (127.0.0.1 for a wildcard host). Never taken from the request's Host header unless trust_host_header is set."),
    Setting("trust_host_header", False, "Build absolute URLs from the request's Host header instead of public_url (only behind a proxy that sets Host itself: otherwise any client can put its own host into cached pages)."),
    Setting("server", "granian", "The HTTP server of `kg92 serve`: granian (the default, chosen by measurement: see the README's Benchmarks) or gunicorn (its gthread workers); both create the application in each worker process after the fork."),
    Setting("workers", 2, "Number of server worker processes (each with its own query workers)."),
    Setting("threads", 4, "Threads per server worker process (granian's blocking threads, gunicorn's gthreads)."),
    Setting("max_body_bytes", 1_000_000, "Largest request body accepted (bytes); larger bodies get 413."),
    Setting("max_query_length", 100_000, "Longest SPARQL query text accepted (characters); longer gets 413."),
    Setting("max_rows", 10_000, "Most result rows (SELECT) or triples (CONSTRUCT/DESCRIBE) returned; truncation is signalled in the X-KG92-Truncated header."),
    Setting("query_timeout", 10.0, "Seconds a query may run before its worker process is killed and the request gets 503."),
    Setting("query_workers", 2, "Number of query worker processes per server process."),
    Setting("max_query_depth", 100, "Deepest nesting a query may have (brackets, braces, parentheses, runs of unary operators such as '!'); deeper gets 400 before it reaches the engine, whose parser would crash."),
    Setting("max_query_patterns", 1000, "Most patterns and operands a query may join (triple separators . ; , path and expression operators, UNION, MINUS); more gets 400."),
    Setting("allow_unsandboxed_queries", False, "Run queries even where the query workers' network sandbox (seccomp: no socket but AF_UNIX) cannot be installed. Off: the server does not start without it."),
    Setting("query_heavy_after", 0.5, "Seconds after which a running query counts as heavy: its worker's CPU priority is lowered (nice 19) and a normal worker is started in its place, so simple queries keep flowing."),
    Setting("query_heavy_workers", 2, "Most heavy queries running at once per server process; a query that would be one more is stopped with 503 busy (0: no heavy workers, every query keeps its worker at normal priority)."),
    Setting("query_memory_mb", 2048, "Memory (MiB, data segment) a query worker process may use; a query that needs more stops its worker and gets 503 (0: no limit)."),
    Setting("store_url", "", "URL of an external SPARQL 1.1 query endpoint (e.g. http://127.0.0.1:7878/query for `oxigraph serve`) that every page and query of the site asks instead of the embedded store; it must hold this build, loaded by `kg92 publish` (the server refuses to start otherwise). Empty: the embedded pyoxigraph store."),
    Setting("store_graph_store_url", "", "URL of the engine's SPARQL 1.1 Graph Store HTTP Protocol endpoint, where `kg92 publish` puts the build's graphs (empty: store_url with its last path segment replaced by `store`, Oxigraph's layout)."),
    Setting("store_timeout_param", "", "Name of the query parameter that passes the time left before query_timeout to the engine, in milliseconds (Virtuoso: timeout); empty: none is sent (Oxigraph's server takes its own --timeout-s). query_timeout is enforced on kg92's side either way."),
    Setting("store_max_bytes", 256_000_000, "Most bytes of one answer read from the engine at store_url; a larger answer gets 503 (the row cap usually stops reading long before)."),
    Setting("store_allow_other_build", False, "Serve even when the engine at store_url holds another build than this server's (or none recorded): logged as a warning; ETags and caches then name a build the answers do not come from."),
    Setting("cache_entries", 256, "Entries of the in-memory response cache (0 disables it)."),
    Setting("cache_max_bytes", 64_000_000, "Bytes of response bodies the in-memory cache may hold (per server process)."),
    Setting("page_cache_entries", 1024, "Entries of the fast path (web/fastpath.py): whole answers to repeated GETs, kept per server process and given before Flask routes the request (0 disables it)."),
    Setting("page_cache_max_bytes", 64_000_000, "Bytes of answers the fast path may hold (per server process); no answer over an eighth of it is kept."),
    Setting("http_max_age", 300, "Cache-Control max-age (seconds) of SPARQL results, VoID and dumps; revalidate with the ETag."),
    Setting("max_request_line", 8190, "Longest HTTP request line the server accepts (bytes; at most 8190 under gunicorn): a longer GET gets 414; send long queries with POST."),
    Setting("max_validate_bytes", 2_000_000, "Largest Turtle body accepted by POST /validate (bytes)."),
    Setting("validate_timeout", 60.0, "Seconds a POST /validate may run (start-up of its process included) before the process is killed and the request gets 503."),
    Setting("validate_memory_mb", 2048, "Memory (MiB, data segment) the process of a POST /validate may use; a validation that needs more is stopped and gets 503 (0: no limit)."),
)
BY_NAME = {s.name: s for s in SETTINGS}


def _config_file() -> Path | None:
    explicit = os.environ.get("KG92_CONFIG")
    if explicit:
        return Path(explicit)
    local = Path.cwd() / "kg92.toml"
    return local if local.is_file() else None


def load(overrides: dict[str, Any] | None = None) -> MappingProxyType:
    values = {s.name: s.default for s in SETTINGS}
    path = _config_file()
    layers: list[dict[str, Any]] = []
    if path is not None:
        with open(path, "rb") as fh:
            layers.append(tomllib.load(fh))
    layers.append({s.name: os.environ[f"KG92_{s.name.upper()}"] for s in SETTINGS if f"KG92_{s.name.upper()}" in os.environ})
    layers.append(dict(overrides or {}))
    for layer in layers:
        for name, raw in layer.items():
            if name not in BY_NAME:
                raise ValueError(f"unknown setting {name!r}; known: {', '.join(BY_NAME)}")
            values[name] = BY_NAME[name].parse(raw)
    return MappingProxyType(derive(values))


def derive(values: dict[str, Any]) -> dict[str, Any]:
    """Fill the root-derived settings left at their default."""
    root = Path(values["root"]).resolve() if values["root"] else find_root(Path.cwd())
    values["root"] = str(root)
    if not values["build_dir"]:
        values["build_dir"] = str(root / "build")
    if not values["sources_dir"]:
        values["sources_dir"] = str(root.parent / "shared" / "sources")
    return values
