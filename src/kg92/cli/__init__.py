"""Command line: kg92 [--root PATH] build | validate | serve | query | publish | get | verify."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from kg92 import settings


def _paths(conf) -> tuple[Path, Path, Path]:
    return Path(conf["root"]), Path(conf["build_dir"]), Path(conf["sources_dir"])


def cmd_build(args, conf) -> int:
    from kg92.build import run
    root, build_dir, sources = _paths(conf)
    outcome = run(root, build_dir, sources, force=args.force, workers=args.workers)
    print(outcome.message, file=sys.stdout if outcome.code == 0 else sys.stderr)
    return outcome.code


def cmd_validate(args, conf) -> int:
    from kg92.build.sources import InputError, discover, read_all
    from kg92.build.validate import validate
    root, _, sources = _paths(conf)
    try:   # SPARQL files are checked by the query registry, not parsed as Turtle
        report = validate(read_all(discover(root)), sources if sources.is_dir() else None,
                          cache_dir=Path(conf["build_dir"]).parent / ".builds" / ".cache",
                          per_graph=not args.whole_graph, workers=args.workers)
    except (InputError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    elif args.format == "turtle":
        print(report.to_turtle())
    else:
        print(report.to_text(args.lang))
    return 0 if report.conforms else 1


def cmd_serve(args, conf) -> int:
    from kg92.cli.serve import serve
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port), ("workers", args.workers),
                                   ("server", args.server)) if v is not None}
    return serve(overrides)


def cmd_query(args, conf) -> int:
    from kg92.cli.query import run_query
    from kg92.web.app import create_app
    return run_query(create_app(), args)


def cmd_publish(args, conf) -> int:
    from kg92.cli.publish import publish
    return publish(conf)


def cmd_get(args, conf) -> int:
    from kg92.web.app import create_app
    client = create_app().test_client()
    resp = client.get(args.path, headers={"Accept": args.accept} if args.accept else {})
    sys.stdout.buffer.write(resp.get_data())
    if resp.status_code >= 300:
        print(f"\n{args.path}: HTTP {resp.status_code}", file=sys.stderr)
        return 1
    return 0


def cmd_verify(args, conf) -> int:
    from kg92.cli.verify import VerifyError, from_dump, over_http, report
    if bool(args.url) == bool(args.dump) or bool(args.dump) != bool(args.sources):
        print("kg92 verify: give a server URL, or --dump FILE and --sources DIR", file=sys.stderr)
        return 2
    try:
        result = over_http(args.url) if args.url else from_dump(Path(args.dump), Path(args.sources))
    except VerifyError as exc:
        print(f"kg92 verify: {exc}", file=sys.stderr)
        return 2
    print(report(result))
    return 0 if not result.failures else 1


VERIFY_HELP = """Resolves every quote: text[oa:start:oa:end] must equal oa:exact on the text of its document, whose
SHA-256 must equal its spdx:checksumValue. Prints the failures, then "N of M quotes resolve against K texts".
Exit status: 0 all resolve, 1 at least one does not, 2 the quotes or a text could not be read."""


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="kg92", description="kg92 knowledge graph: build, validate, serve, query, verify.")
    ap.add_argument("--root", help="the project folder (ontology/, data/ttl/, shapes/, queries/); default: KG92_ROOT, "
                                   "else the current directory or its nearest parent that is one")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="parse, validate and write build/ (only when an input changed)")
    b.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    b.add_argument("--workers", type=int, help="validation worker processes (default: the cores)")
    b.set_defaults(func=cmd_build)
    v = sub.add_parser("validate", help="validate data/ttl against shapes/ (exit 0 conforms, 1 not, 2 error)")
    v.add_argument("--format", choices=["text", "json", "turtle"], default="text")
    v.add_argument("--lang", choices=["fr", "en"], default="en", help="language of the messages")
    v.add_argument("--workers", type=int, help="validation worker processes (default: the cores)")
    v.add_argument("--whole-graph", action="store_true",
                   help="one pySHACL run over the whole graph, no cache (the per-graph report's reference)")
    v.set_defaults(func=cmd_validate)
    s = sub.add_parser("serve", help="serve the built graph with granian (or gunicorn: --server gunicorn)")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.add_argument("--workers", type=int)
    s.add_argument("--server", choices=["granian", "gunicorn"], help="the HTTP server (default: the server setting)")
    s.set_defaults(func=cmd_serve)
    from kg92.cli.query import EXIT_STATUS
    q = sub.add_parser("query", help="run SPARQL: a canned query NAME, a file (--file) or a string (--query)",
                       epilog=EXIT_STATUS, formatter_class=argparse.RawDescriptionHelpFormatter)
    q.add_argument("name", nargs="?", help="canned query name (see queries/)")
    q.add_argument("--file", help="a .rq file")
    q.add_argument("--query", help="the query text")
    q.add_argument("--param", action="append", default=[], metavar="K=V", help="canned-query parameter")
    q.add_argument("--format", default="table", help="table, json, xml, csv, tsv (SELECT/ASK); ttl, nt, jsonld, rdf, trig, nq (graphs)")
    q.set_defaults(func=cmd_query)
    p = sub.add_parser("publish", help="load the build into the SPARQL engine at store_url (Graph Store Protocol) "
                                       "and record its build id there")
    p.set_defaults(func=cmd_publish)
    g = sub.add_parser("get", help="one request through the app (exit 1 on a non-2xx answer)")
    g.add_argument("path")
    g.add_argument("--accept", help="Accept header")
    g.set_defaults(func=cmd_get)
    r = sub.add_parser("verify", help="check that every quote resolves against its document's text",
                       description=VERIFY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("url", nargs="?", help="a running kg92, e.g. http://127.0.0.1:8000 (quotes from its /sparql, texts "
                                          "from /id/document/NNN with Accept: text/plain)")
    r.add_argument("--dump", help="or a dump of the graph (kg.nq, kg.trig, kg.nq.gz…)")
    r.add_argument("--sources", help="with --dump: the folder of the source texts")
    r.set_defaults(func=cmd_verify, project=False)   # needs no project: only a server, or a dump and texts
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.root:   # for this process and what it starts (server workers, subprocesses)
        os.environ["KG92_ROOT"] = str(Path(args.root).resolve())
    try:
        conf = settings.load() if getattr(args, "project", True) else None
    except ValueError as exc:
        print(f"kg92: {exc}", file=sys.stderr)
        return 2
    from kg92.store import BuildError
    try:
        return args.func(args, conf)
    except BuildError as exc:
        print(f"kg92: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:   # a tool fault is exit 2 (1 means "the data does not conform"), with its traceback
        import traceback
        traceback.print_exc()
        print("kg92: internal error (exit 2); the traceback above says where", file=sys.stderr)
        return 2

