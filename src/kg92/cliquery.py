"""`kg92 query`: run SPARQL from the shell through the app (same code path as HTTP)."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlencode

FORMATS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
           "tsv": "text/tab-separated-values", "table": "text/tab-separated-values", "ttl": "text/turtle",
           "nt": "application/n-triples", "jsonld": "application/ld+json", "rdf": "application/rdf+xml",
           "trig": "application/trig", "nq": "application/n-quads"}


def run_query(app, args) -> int:
    from .sparql import engine
    try:
        return _run(app, args)
    finally:
        engine(app).close()   # stop the query worker processes before the interpreter exits


def _run(app, args) -> int:
    client = app.test_client()
    accept = FORMATS.get(args.format)
    if accept is None:
        print(f"kg92 query: unknown format {args.format!r}; one of {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    if args.name:
        bad = [p for p in args.param if "=" not in p]
        if bad:
            print(f"kg92 query: --param expects name=value, not {bad[0]!r}", file=sys.stderr)
            return 2
        params = dict(p.split("=", 1) for p in args.param)
        resp = client.get(f"/api/{args.name}?{urlencode(params)}", headers={"Accept": accept})
    else:
        text = Path(args.file).read_text(encoding="utf-8") if args.file else args.query
        if not text:
            print("kg92 query: give a canned query NAME, --file or --query", file=sys.stderr)
            return 2
        resp = client.post("/sparql", data=text.encode("utf-8"),
                           headers={"Content-Type": "application/sparql-query", "Accept": accept})
    if resp.status_code >= 300:   # the error (the parser's message for a bad query) on stderr
        sys.stderr.write(resp.get_data(as_text=True) + "\n")
        return 1
    sys.stdout.write(resp.get_data(as_text=True))
    return 0
