"""One query run: the job a worker receives (text, dataset, substitutions, negotiation inputs, row cap), what it
sends back (an Outcome: status, media type, body, rows), and :func:`execute`, which checks the text
(:mod:`kg92.sparql.safety`), runs it on the store, negotiates and serialises the result. It runs inside a query
worker process (:mod:`kg92.sparql.pool`), or in process for the benchmarks and tests."""

from __future__ import annotations

import traceback
from dataclasses import dataclass

import pyoxigraph as ox

from kg92 import formats
from kg92.sparql import safety
from kg92.sparql.answers import Solutions, Unavailable


@dataclass(frozen=True)
class Job:
    text: str
    default_graphs: tuple[str, ...] | None = None    # protocol dataset (default-graph-uri), None: not given
    named_graphs: tuple[str, ...] | None = None      # protocol dataset (named-graph-uri), None: not given
    substitutions: tuple[tuple[str, object], ...] = ()   # (variable name, pyoxigraph term)
    accept: str | None = None                        # the Accept header, negotiated in the worker
    fmt: str | None = None                           # format= override
    max_rows: int = 10_000
    base_iri: str | None = None                      # resolves relative IRIs (the endpoint URL, as the protocol allows)


@dataclass(frozen=True)
class Outcome:
    status: int                   # 200, or the HTTP status of the refusal/error
    media_type: str = ""
    format: str = ""              # formats.Format.key
    body: bytes = b""
    kind: str = ""                # solutions | boolean | graph
    rows: int = 0
    truncated: bool = False
    detail: str = ""              # error message for the client
    offered: tuple[str, ...] = ()  # 406: the offered media types
    fault: str = ""               # 500: traceback, logged by the parent, never sent


def dataset_arguments(job: Job, query_has_dataset: bool) -> dict:
    """pyoxigraph arguments for the dataset: protocol parameters override the query's FROM / FROM NAMED (SPARQL
    1.1 Protocol §2.1.4; absent parameters mean an empty part); without either the default graph is the union of
    all graphs. (pyoxigraph ignores FROM when use_default_graph_as_union is set, hence the three cases.)"""
    if job.default_graphs is not None or job.named_graphs is not None:
        return {"default_graph": [ox.NamedNode(g) for g in job.default_graphs or ()],
                "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or ()]}
    return {} if query_has_dataset else {"use_default_graph_as_union": True}


def execute(store, job: Job) -> Outcome:
    """Check, run, negotiate and serialise one query (in the worker process, or in a thread of the remote
    backend's pool with ``store`` a :class:`kg92.sparql.remote.RemoteStore`)."""
    try:
        return _answer(store, job, safety.check(job.text).raise_if_refused())
    except safety.Refused as exc:
        return Outcome(exc.status, detail=str(exc))
    except Unavailable as exc:       # the remote engine (sparql/remote.py): down, too slow, a bad answer
        return Outcome(503, detail=exc.detail)
    except formats.NotAcceptable as exc:
        return Outcome(406, detail=str(exc), offered=tuple(exc.offered))
    except SyntaxError as exc:
        return Outcome(400, detail=f"SPARQL syntax error: {exc}")
    except (ValueError, RuntimeError) as exc:   # a bad IRI or literal; an evaluation error raised while iterating
        return Outcome(400, detail=f"the query cannot be evaluated: {exc}")
    except (PermissionError, ConnectionError) as exc:   # the sandbox (or the network) stopped an outbound request
        return Outcome(403, detail=f"{safety.NO_SERVICE} (the engine tried to open a connection: {exc})")
    except OSError:
        return Outcome(500, detail="the store could not be read", fault=traceback.format_exc())


def _answer(store, job: Job, verdict: safety.Verdict) -> Outcome:
    """Run the checked query and serialise its answer. Its own frame: the result never outlives it (an exception
    that rdflib's parser raised and cached keeps :func:`execute`'s frame alive, and a pyoxigraph result must be
    dropped on the thread that made it: the remote backend runs queries in threads)."""
    result = store.query(job.text, base_iri=job.base_iri,
                         substitutions={ox.Variable(k): v for k, v in job.substitutions},
                         **dataset_arguments(job, verdict.has_dataset))
    if isinstance(result, ox.QuerySolutions | Solutions):   # Solutions: of the remote backend
        fmt = formats.choose("solutions", job.accept, job.fmt)
        body, rows, truncated = formats.write_solutions(result, fmt, job.max_rows)
        return Outcome(200, fmt.media_type, fmt.key, body, "solutions", rows, truncated)
    if isinstance(result, ox.QueryBoolean):
        fmt = formats.choose("boolean", job.accept, job.fmt)
        return Outcome(200, fmt.media_type, fmt.key, formats.write_boolean(result, fmt), "boolean", 1)
    fmt = formats.choose("graph", job.accept, job.fmt)
    body, rows, truncated = formats.write_triples(result, fmt, job.max_rows)
    return Outcome(200, fmt.media_type, fmt.key, body, "graph", rows, truncated)
