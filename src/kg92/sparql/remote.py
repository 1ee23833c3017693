"""The remote store backend: an external SPARQL 1.1 endpoint (``store_url``) in place of the embedded pyoxigraph
store, behind the same small API the site uses (``query``, ``quads_for_pattern``, ``len``) and the same result types
(pyoxigraph's ``QuerySolutions``, ``QueryBoolean``, triples), so that nothing above this module changes.

* Every query is sent as an HTML-form POST (``application/x-www-form-urlencoded``: the one way every engine takes,
  Virtuoso included) with an explicit dataset: without one of its own (``FROM``, protocol graphs), the query gets
  the build's graphs (``manifest.json``) as its default graph (their union, as pyoxigraph's
  ``use_default_graph_as_union``) and as its named graphs, so an engine's own default graph, its system graphs
  and the record of the published build (:data:`RECORD_GRAPH`) never leak into answers.
* Substitutions become one ``VALUES`` block at the top of the outermost group (kg92.inline.values_text), the
  base IRI a ``BASE`` line; the text is first parsed by pyoxigraph (on an empty store), so a syntax error reads as
  with the embedded store and only standard SPARQL (no engine pragma such as Virtuoso's ``DEFINE``) is forwarded.
* Bounded: a deadline (``until``) bounds connecting, waiting and reading; the answer is parsed while it streams,
  so the row cap stops reading, and ``store_max_bytes`` caps what is read; the engine's timeout parameter
  (``store_timeout_param``, in milliseconds) is sent where one is configured.
* Failures (engine down, too slow, error status, an answer that is not SPARQL results) raise :class:`Unavailable`,
  a 503 in the site's one error shape.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
import urllib3

from kg92.inline import values_text
from kg92.sparql.answers import GENID, Solutions, Unavailable, skolem, triples, unskolem  # noqa: F401

log = logging.getLogger("kg92.remote")
RECORD_GRAPH = "urn:kg92:published"             # where `kg92 publish` records the build it loaded
RECORD_BUILD = ox.NamedNode("urn:kg92:build")    # <urn:kg92:published> <urn:kg92:build> "build id"
DEFAULT_GRAPH = "urn:kg92:default-graph"         # the build's default-graph triples, if any, in the engine
ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"   # SELECT, ASK
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.5"   # CONSTRUCT, DESCRIBE (Virtuoso would send JSON rows)
RESULTS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON, "application/json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML}
GRAPHS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
          "text/turtle": ox.RdfFormat.TURTLE}
_PARSER = ox.Store()                             # empty, in memory: parses (and cannot answer) what is forwarded


class _Body(io.RawIOBase):
    """The answer's body as a stream that stops at the deadline and at ``max_bytes``."""

    def __init__(self, response, deadline: float, max_bytes: int):
        self.response, self.deadline, self.left, self.max_bytes = response, deadline, max_bytes, max_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if time.monotonic() >= self.deadline:
            raise Unavailable("the SPARQL engine did not finish its answer before the query_timeout")
        try:
            data = self.response.read(min(len(buffer), 65536, self.left + 1))
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise Unavailable(f"the SPARQL engine's answer broke off ({type(exc).__name__})") from exc
        if len(data) > self.left:
            raise Unavailable(f"the SPARQL engine's answer exceeds {self.max_bytes} bytes (store_max_bytes)")
        self.left -= len(data)
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.response.release_conn() if self.response.isclosed() else self.response.close()
        super().close()


def _boolean(rows: Solutions) -> ox.QueryBoolean:
    """The answer of an ASK that the engine sent as one row of one value (Virtuoso: ``__ASK_RETVAL`` 1 or 0)."""
    first = next(iter(rows), None)
    value = first is not None and len(first) == 1 and first[0] is not None and first[0].value in ("1", "true")
    return ox.parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if value else b"false"),
                                  format=ox.QueryResultsFormat.JSON)


def _graph(term):
    return ox.DefaultGraph() if term == ox.NamedNode(DEFAULT_GRAPH) else term


class Subjects:
    """Each subject's quads, as the engine gave them, least recently used first out past ``max_quads`` quads: the
    build never changes under a server, so a subject's quads are right for as long as the server lives."""

    def __init__(self, max_quads: int = 200_000):
        self.max_quads, self.size, self.lock, self.entries = max_quads, 0, threading.Lock(), OrderedDict()

    def get(self, subject) -> list[ox.Quad] | None:
        with self.lock:
            quads = self.entries.get(subject)
            if quads is not None:
                self.entries.move_to_end(subject)
            return quads

    def put(self, subject, quads: list[ox.Quad]) -> None:
        with self.lock:
            if subject in self.entries or len(quads) > self.max_quads // 8:
                return
            self.entries[subject] = quads
            self.size += len(quads) + 1
            while self.size > self.max_quads:
                self.size -= len(self.entries.popitem(last=False)[1]) + 1


class RemoteStore:
    """An external SPARQL endpoint holding the build's graphs; ``until(deadline)`` gives the same store bounded by
    another deadline (one per request)."""

    remote = True

    def __init__(self, url: str, graphs: Iterable[str], timeout: float, timeout_param: str = "",
                 max_bytes: int = 256_000_000, http: urllib3.PoolManager | None = None, deadline: float | None = None,
                 subjects: Subjects | None = None):
        self.url, self.graphs, self.timeout = url, tuple(graphs), timeout
        self.timeout_param, self.max_bytes = timeout_param, max_bytes
        self.http = http or urllib3.PoolManager(num_pools=2, maxsize=16, retries=False)   # thread-safe, keep-alive
        self.deadline, self.subjects = deadline, subjects or Subjects()

    def until(self, deadline: float) -> RemoteStore:
        return RemoteStore(self.url, self.graphs, self.timeout, self.timeout_param, self.max_bytes, self.http,
                           deadline, self.subjects)

    # -- the pyoxigraph Store API the site uses --------------------------------------------------------------
    def query(self, query: str, *, base_iri: str | None = None, substitutions: dict | None = None,
              use_default_graph_as_union: bool = False, default_graph=None, named_graphs=None):
        form = _PARSER.query(query, base_iri=base_iri)   # SyntaxError as the embedded store words it; nothing runs
        graph, ask = not isinstance(form, ox.QuerySolutions | ox.QueryBoolean), isinstance(form, ox.QueryBoolean)
        del form
        text = values_text(query, {k: skolem(v) for k, v in substitutions.items()}) if substitutions else query
        if base_iri:
            text = f"BASE <{base_iri}>\n{text}"
        fields = [("query", text)]
        if default_graph is not None or named_graphs is not None:
            fields += [("default-graph-uri", g.value) for g in default_graph or ()]
            fields += [("named-graph-uri", g.value) for g in named_graphs or ()]
        elif use_default_graph_as_union:
            fields += [("default-graph-uri", g) for g in (*self.graphs, DEFAULT_GRAPH)]
            fields += [("named-graph-uri", g) for g in self.graphs]
        answer = self._send(fields, ACCEPT_GRAPH if graph else ACCEPT)
        return _boolean(answer) if ask and isinstance(answer, Solutions) else answer

    def quads_for_pattern(self, subject, predicate, obj, graph_name=None) -> Iterator[ox.Quad]:
        """As pyoxigraph's. A subject's quads come from :class:`Subjects` (one round trip per subject, not per
        label predicate); describing a term (no predicate) fetches its neighbours' quads in a few batched
        queries, since a page then reads their labels."""
        if subject is not None:
            quads = self.subjects.get(subject)
            quads = self._fetch([subject])[subject] if quads is None else quads
            found = [q for q in quads if (predicate is None or q.predicate == predicate)
                     and (obj is None or q.object == obj) and (graph_name is None or q.graph_name == graph_name)]
            if predicate is None:
                self._fetch([q.object for q in found])
            return iter(found)
        if obj is None:                  # streamed: /-/health reads one quad, the ontology page one graph
            return self._pattern(predicate, obj, graph_name)
        found = list(self._pattern(predicate, obj, graph_name))
        self._fetch([q.subject for q in found])     # incoming links: a page reads their labels next
        return iter(found)

    def _pattern(self, predicate, obj, graph_name) -> Iterator[ox.Quad]:
        """The quads of ``?s predicate obj`` (None: any), asked to the engine."""
        terms = (predicate, obj)
        pattern = "?s " + " ".join(str(skolem(t)) if t is not None else f"?{n}" for n, t in zip("po", terms, strict=True))
        graph = f"<{DEFAULT_GRAPH}>" if isinstance(graph_name, ox.DefaultGraph) else graph_name or "?g"
        for sol in self._send([("query", f"SELECT * WHERE {{ GRAPH {graph} {{ {pattern} }} }}")] + self._named()):
            p, o = (sol[n] if t is None else t for n, t in zip("po", terms, strict=True))
            yield ox.Quad(sol["s"], p, o, _graph(graph_name or sol["g"]))

    def _named(self) -> list[tuple[str, str]]:
        return [("named-graph-uri", g) for g in (*self.graphs, DEFAULT_GRAPH)]

    def _fetch(self, subjects: Iterable) -> dict:
        """The quads of each of ``subjects`` (IRIs, blank nodes), from the cache or asked in batches of 100."""
        wanted = [t for t in dict.fromkeys(subjects) if isinstance(t, ox.NamedNode | ox.BlankNode)]
        got = {t: self.subjects.get(t) for t in wanted}
        missing = [t for t, quads in got.items() if quads is None]
        for start in range(0, len(missing), 100):
            batch = missing[start:start + 100]
            rows: dict = {t: [] for t in batch}
            values = " ".join(str(skolem(t)) for t in batch)
            for sol in self._send([("query", f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values} }} "
                                             "GRAPH ?g { ?s ?p ?o } }")] + self._named()):
                rows[sol["s"]].append(ox.Quad(sol["s"], sol["p"], sol["o"], _graph(sol["g"])))
            for t, quads in rows.items():
                self.subjects.put(t, quads)
            got.update(rows)
        return got

    def __len__(self) -> int:
        found = self._send([("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")]
                           + [("named-graph-uri", g) for g in (*self.graphs, DEFAULT_GRAPH)])
        return int(next(iter(found))["n"].value)

    def build_id(self) -> str | None:
        """The build id that `kg92 publish` recorded in the engine (None: nothing recorded)."""
        found = list(self._send([("query", f"SELECT ?b WHERE {{ GRAPH <{RECORD_GRAPH}> {{ <{RECORD_GRAPH}> {RECORD_BUILD} ?b }} }}"),
                                 ("named-graph-uri", RECORD_GRAPH)]))
        return found[0]["b"].value if found else None

    # -- the protocol ----------------------------------------------------------------------------------------
    def _send(self, fields: list[tuple[str, str]], accept: str = ACCEPT):
        deadline = self.deadline if self.deadline is not None else time.monotonic() + self.timeout
        left = deadline - time.monotonic()
        if left <= 0:
            raise Unavailable(f"the query_timeout ({self.timeout:g} s) passed before the SPARQL engine was asked")
        if self.timeout_param:
            fields = [*fields, (self.timeout_param, str(max(1, int(left * 1000))))]
        try:
            response = self.http.request("POST", self.url, fields=fields, encode_multipart=False,
                                         headers={"Accept": accept}, preload_content=False,
                                         timeout=urllib3.Timeout(connect=min(left, 5.0), read=left))
        except urllib3.exceptions.HTTPError as exc:
            log.warning("SPARQL engine %s: %s", self.url, exc)
            slow = isinstance(exc, urllib3.exceptions.TimeoutError) and not isinstance(exc, urllib3.exceptions.NewConnectionError)
            reason = "did not answer in time" if slow else "cannot be reached"   # (NewConnectionError is a TimeoutError)
            raise Unavailable(f"the SPARQL engine behind this site {reason}; try again later") from exc
        body = _Body(response, deadline, self.max_bytes)
        if response.status != 200:
            return self._refused(response, body)
        media = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            if media in RESULTS:
                parsed = ox.parse_query_results(body, format=RESULTS[media])
                return Solutions(parsed) if isinstance(parsed, ox.QuerySolutions) else parsed
            if media in GRAPHS:
                return triples(ox.parse(body, format=GRAPHS[media]))
        except SyntaxError as exc:
            body.close()
            raise Unavailable(f"the SPARQL engine's answer is not valid {media}: {exc}") from exc
        body.close()
        raise Unavailable(f"the SPARQL engine answered in an unexpected media type {media!r}")

    def _refused(self, response, body: _Body):
        detail = body.read(2000).decode("utf-8", "replace").strip()
        body.close()
        log.warning("SPARQL engine %s answered %d: %s", self.url, response.status, detail[:500])
        if response.status == 400:       # the text parsed here: the engine does not take what pyoxigraph takes
            raise ValueError(f"the SPARQL engine refused the query: {detail[:300]}")
        raise Unavailable(f"the SPARQL engine behind this site answered HTTP {response.status}; try again later")


def connect(settings, build) -> RemoteStore:
    """The remote store of ``settings['store_url']`` for ``build`` (its graphs from the manifest)."""
    return RemoteStore(settings["store_url"], sorted(build.manifest.get("graphs", {})), settings["query_timeout"],
                       settings["store_timeout_param"], settings["store_max_bytes"])


def check_build(store: RemoteStore, build, allow_other: bool) -> str:
    """"" when the engine holds ``build`` (as `kg92 publish` recorded it); else why not, raised as RuntimeError
    unless ``allow_other`` (then only logged: ETags and caches would name a build the engine does not hold)."""
    held = store.build_id()
    if held == build.id:
        return ""
    problem = (f"the SPARQL engine at store_url holds build {held}, not this server's build {build.id}" if held else
               "the SPARQL engine at store_url holds no build recorded by `kg92 publish`")
    if not allow_other:
        raise RuntimeError(f"{problem}: run `kg92 publish` (or set store_allow_other_build = true)")
    log.warning("%s (store_allow_other_build): answers may not match the ETags", problem)
    return problem
