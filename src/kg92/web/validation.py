"""Blueprint: the validation report of the build served (``/validation``, ``.json``, ``.ttl``, ``.txt``) and
``POST /validate``, the SHACL validation service (what Fuseki's ``/$/shacl`` offers, with our messages).

The request body is one candidate Turtle file (``Content-Type: text/turtle``, at most ``max_validate_bytes``).
It is validated against ``shapes/`` together with the repository's ontology and data files, exactly as
``kg92 validate`` would after adding it to ``data/ttl/``:

- ``?file=data/ttl/doc-002.ttl`` names the data file the candidate *replaces* (an edited copy of it); without
  it, the candidate is an additional file, reported as ``candidate.ttl``;
- ``?lang=fr|en`` chooses the message language of the text report (default fr);
- the report is negotiated: ``application/json`` (default), ``text/turtle`` (a ``sh:ValidationReport``),
  ``text/plain`` (the human report of ``kg92 validate``); the status is 200 whether it conforms or not, and
  the ``X-KG92-Conforms`` header says ``true``/``false``.

Nothing is written: the candidate lives in a private temporary directory for the duration of the request.
A Turtle syntax error is a 400 naming ``candidate.ttl:line:column``. Validation costs a few CPU seconds, so one
runs at a time per server process; a second concurrent request gets 503 with ``Retry-After``. It runs in a child
process of its own (:mod:`kg92.isolated`), killed at ``validate_timeout`` seconds (503, the work really stops)
and capped at ``validate_memory_mb``.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from flask import Blueprint, Response, current_app, g, request, send_from_directory

from kg92 import isolated
from kg92.build.sources import discover
from kg92.errors import (
    ApiError,
    bad_request,
    not_found,
    payload_too_large,
    service_unavailable,
    unsupported_media_type,
)
from kg92.formats import PLAIN, TURTLE
from kg92.web.http import negotiate, vary
from kg92.web.render import page
from kg92.web.resources import resources

bp = Blueprint("validation", __name__)
ACCEPTED_BODIES = {TURTLE.media_type, *TURTLE.aliases, "application/octet-stream", ""}
CANDIDATE = "candidate.ttl"


@bp.get("/validation", defaults={"suffix": None})
@bp.get("/validation.<suffix>")
def validation(suffix: str | None) -> Response:
    build = resources(current_app).build
    files = {"json": "validation.json", "ttl": "validation.ttl", "txt": "validation.txt" if g.lang == "en" else "validation.fr.txt"}
    if suffix is not None:
        if suffix not in files or not (build.path / files[suffix]).is_file():
            raise not_found(f"/validation.{suffix}: the build has " + ", ".join(f"/validation.{s}" for s in files))
        return send_from_directory(build.path, files[suffix], max_age=0)
    report = json.loads((build.path / "validation.json").read_text("utf-8")) if (build.path / "validation.json").is_file() else {}
    results = [{**r, "file": r.get("file") or "", "message": r.get(f"message_{g.lang}") or r.get("message_fr") or r.get("message", "")}
               for r in report.get("results", [])]
    return page("validation.html", results=results, counts=report.get("counts") or build.manifest.get("validation") or {},
                conforms=report.get("conforms", build.manifest.get("conforms")), manifest=build.manifest,
                sources_checked=report.get("sources_checked", build.manifest.get("sources_checked")))


def _media() -> str:
    fmt = request.args.get("format")
    if fmt and fmt not in ("json", "turtle", "ttl", "text"):
        raise bad_request(f"format={fmt!r}: expected one of json, turtle, text")
    return negotiate("report", fmt=fmt).media_type      # no Accept header: JSON


@bp.post("/validate")
def validate() -> Response:
    res = resources(current_app)
    limit = int(res.settings["max_validate_bytes"])
    request.max_content_length = limit   # Flask ≥ 3.1: this route's own cap instead of max_body_bytes
    media = _media()
    lang = request.args.get("lang", "fr")
    if lang not in ("fr", "en"):
        raise bad_request(f"lang={lang!r}: expected fr or en")
    body = _body(limit)
    root = Path(res.settings["root"])
    inputs, data_files, name = _inputs(root)
    if not res.validating.acquire(blocking=False):
        raise ApiError(503, "Service Unavailable", "a validation is already running (one at a time per server "
                       "process); retry in a few seconds", {"Retry-After": "5"})
    try:
        report = _run(res.settings, root, inputs, data_files, name, body)
    finally:
        res.validating.release()
    return _report_response(report, media, lang, name)


def _body(limit: int) -> bytes:
    """The request's Turtle body: 415 for another media type, 413 over ``limit`` bytes, 400 when empty or not UTF-8."""
    if request.mimetype not in ACCEPTED_BODIES:
        raise unsupported_media_type(f"the body must be Turtle (text/turtle), not {request.mimetype}")
    if request.content_length is not None and request.content_length > limit:
        raise payload_too_large(limit, "Turtle body")
    body = request.get_data(cache=False)
    if len(body) > limit:
        raise payload_too_large(limit, "Turtle body")
    if not body.strip():
        raise bad_request("empty body: send the Turtle file to validate (Content-Type: text/turtle)")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad_request(f"{CANDIDATE}: the body is not UTF-8 ({exc})") from exc
    return body


def _inputs(root: Path) -> tuple[list, list[Path], str]:
    """(the repository's inputs, the data files validated with the candidate, the candidate's name): ``?file=``
    names the data file the candidate replaces (400 when it is not one of them)."""
    inputs = discover(root)
    data_files = [i.path for i in inputs if i.kind == "data"]
    replaced = request.args.get("file")
    name = CANDIDATE
    if replaced:
        known = {i.rel: i.path for i in inputs if i.kind == "data"}
        if replaced not in known:
            raise bad_request(f"file={replaced!r} is not one of the data files: " + ", ".join(sorted(known)))
        data_files.remove(known[replaced])
        name = replaced
    return inputs, data_files, name


def _report_response(report, media: str, lang: str, name: str) -> Response:
    if media == TURTLE.media_type:
        out = Response(report.to_turtle(), content_type=TURTLE.content_type)
    elif media == PLAIN.media_type:
        out = Response(report.to_text(lang) + "\n", content_type=PLAIN.content_type)
    else:
        out = Response(json.dumps({"file": name, **report.to_json()}, ensure_ascii=False, indent=1),
                       content_type="application/json")
    out.headers["X-KG92-Conforms"] = "true" if report.conforms else "false"
    vary(out, "Accept")
    out.headers["Cache-Control"] = "no-store"
    return out


def _run(settings, root: Path, inputs, data_files: list[Path], name: str, body: bytes):
    """Validate the candidate (written as ``name`` in a private temporary directory) in a killable process."""
    from kg92.build.validate import validate_files
    timeout, memory = float(settings["validate_timeout"]), int(settings["validate_memory_mb"])
    try:
        with tempfile.TemporaryDirectory(prefix="kg92-validate-") as tmp:
            # the candidate sits at the same relative path as the file it stands for, so reports name that path
            candidate = Path(tmp) / name
            candidate.parent.mkdir(parents=True, exist_ok=True)
            candidate.write_bytes(body)
            arguments = {"data_files": [*data_files, candidate],
                         "ontology_files": [i.path for i in inputs if i.kind == "ontology"],
                         "shapes_dir": root / "shapes", "sources_dir": _sources(settings), "root": root,
                         "cache_dir": Path(settings["build_dir"]).parent / ".builds" / ".cache",
                         "aliases": {candidate: name}}
            try:
                return isolated.run(validate_files, arguments, timeout, memory, name="kg92-validate")
            except ValueError as exc:
                raise bad_request(str(exc).replace(str(candidate), name)) from exc
    except isolated.Deadline as exc:
        raise ApiError(503, "Service Unavailable", f"the validation was stopped: it did not finish within "
                       f"{timeout:g} s (validate_timeout)", {"Retry-After": "30"}) from exc
    except isolated.Died as exc:
        raise service_unavailable(f"the validation was stopped: {exc} (validate_memory_mb = {memory})") from exc
    except OSError as exc:
        raise service_unavailable(f"cannot validate: {exc}") from exc


def _sources(settings) -> Path | None:
    path = Path(settings["sources_dir"])
    return path if path.is_dir() else None
