"""`kg92 query`: run SPARQL from the shell through the app (same code path as HTTP).

Exit status (EXIT_STATUS below says the same, for the epilog of the `kg92 query` parser in cli.py):

* 0: the results on stdout.
* 1: the SPARQL endpoint refused or could not run the query text given with --query or --file (syntax error,
  SPARQL Update or SERVICE refused, query too long, time limit, no query worker, server fault), or a canned query
  failed on the server (5xx): the endpoint's JSON error document ({"error": {"status", "title", "detail"}}) on
  stderr, unchanged, for scripts.
* 2: the command line is wrong: an unknown format, canned query or parameter, --param not NAME=VALUE, a parameter
  value of the wrong type or not in its list (any 4xx answer to a canned query), a format the query's form cannot
  give (406), a --file that cannot be read: one line ``kg92 query: <detail>`` on stderr, nothing on stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlencode

from kg92 import formats

# --format name → media type, from the one format registry
FORMATS = {name: f.media_type for name, f in (
    ("json", formats.SRJ), ("xml", formats.SRX), ("csv", formats.CSV), ("tsv", formats.TSV), ("table", formats.TSV),
    ("ttl", formats.TURTLE), ("nt", formats.NTRIPLES), ("jsonld", formats.JSONLD), ("rdf", formats.RDFXML),
    ("trig", formats.TRIG), ("nq", formats.NQUADS))}
# the default, "table": tab-separated solutions, or Turtle for a graph (CONSTRUCT, DESCRIBE)
TABLE_ACCEPT = f"{formats.TSV.media_type}, {formats.TURTLE.media_type};q=0.9"

EXIT_STATUS = """exit status:
  0  the results on stdout
  1  the SPARQL endpoint refused or could not run the query of --query/--file (syntax error, update or SERVICE
     refused, query too long, time limit, server fault), or a canned query failed on the server (5xx): the
     endpoint's JSON error document on stderr
  2  usage error: unknown format, canned query or parameter, --param not NAME=VALUE, a value of the wrong type
     or not in its list, a format the query's form cannot give, an unreadable --file: "kg92 query: <detail>"
     on stderr"""


def run_query(app, args) -> int:
    from kg92.web.resources import engine
    try:
        return _run(app, args)
    finally:
        engine(app).close()   # stop the query worker processes before the interpreter exits


def usage_error(message: str) -> int:
    print(f"kg92 query: {message}", file=sys.stderr)
    return 2


def _run(app, args) -> int:
    client = app.test_client()
    accept = FORMATS.get(args.format)
    if accept is None:
        return usage_error(f"unknown format {args.format!r}; one of {', '.join(FORMATS)}")
    if args.name:
        bad = [p for p in args.param if "=" not in p]
        if bad:
            return usage_error(f"--param expects name=value, not {bad[0]!r}")
        registry = app.extensions["kg92.queries"]
        query = registry.get(args.name)
        if query is None:
            return usage_error(f"no canned query named {args.name!r}; one of {', '.join(sorted(registry.queries))}")
        offered = _canned_formats(query.form)
        if args.format == "table" and query.form == "CONSTRUCT":
            accept = FORMATS["ttl"]
        elif args.format not in offered:   # the API would fall back to its first format: say so instead
            return usage_error(f"{args.name} is a {query.form} query: --format one of {', '.join(offered)}, "
                               f"not {args.format!r}")
        params = dict(p.split("=", 1) for p in args.param)
        resp = client.get(f"/api/{args.name}?{urlencode(params)}", headers={"Accept": accept})
    else:
        try:
            text = Path(args.file).read_text(encoding="utf-8") if args.file else args.query
        except (OSError, UnicodeDecodeError) as exc:
            return usage_error(f"cannot read {args.file}: {getattr(exc, 'strerror', None) or exc}")
        if not text:
            return usage_error("give a canned query NAME, --file or --query")
        resp = client.post("/sparql", data=text.encode("utf-8"), headers={
            "Content-Type": "application/sparql-query", "Accept": TABLE_ACCEPT if args.format == "table" else accept})
    if resp.status_code >= 300:
        body = resp.get_data(as_text=True)
        if resp.status_code == 406:
            return usage_error(_not_acceptable(args.format, body))
        if args.name and 400 <= resp.status_code < 500:   # the request's parameters, not the project's SPARQL
            return usage_error(_detail(body, resp.status_code))
        sys.stderr.write(body + "\n")   # the endpoint's error document (the parser's message for a bad query)
        return 1
    sys.stdout.write(resp.get_data(as_text=True))
    return 0


def _canned_formats(form: str) -> list[str]:
    from kg92.web.canned import GRAPH_TYPES, SOLUTION_TYPES
    media = set((GRAPH_TYPES if form == "CONSTRUCT" else SOLUTION_TYPES).values())
    return [name for name, m in FORMATS.items() if m in media]


def _detail(body: str, status: int) -> str:
    try:
        return str(json.loads(body)["error"]["detail"])
    except (ValueError, KeyError, TypeError):
        return body.strip() or f"HTTP {status}"


def _not_acceptable(fmt: str, body: str) -> str:
    """406 from /sparql: the result form of the query does not come in that format; the CLI names that fit."""
    offered = _detail(body, 406).removeprefix("offered media types:").split(",")
    names = [name for name, media in FORMATS.items() if media in {o.strip() for o in offered}]
    return f"this query's results do not come as --format {fmt}; one of {', '.join(names) or 'none'}"
