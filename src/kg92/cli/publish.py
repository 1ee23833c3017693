"""``kg92 publish``: load the current build into the SPARQL engine at ``store_url`` with the SPARQL 1.1 Graph Store
HTTP Protocol (``store_graph_store_url``), one named graph per source as in the build's store, then record which
build it holds, so that a server over that engine (sparql/remote.py) knows its ETags and caches are right.

Steps: the record graph (:data:`remote.RECORD_GRAPH`) is deleted first (a publish that stops half-way leaves no
build recorded: servers refuse to start on it); each graph is PUT (replaced) as N-Triples, its blank nodes as
skolem IRIs (:data:`remote.GENID`); graphs the previous record listed and this build no longer has are deleted;
the triples per graph are counted back over SPARQL and compared with the manifest; then the record is PUT:
the build id, its release and its graphs."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pyoxigraph as ox
import urllib3

from kg92.sparql import remote
from kg92.store import Build, load_build

TIMEOUT = urllib3.Timeout(connect=10.0, read=600.0)
RECORD_RELEASE, RECORD_GRAPHS = ox.NamedNode("urn:kg92:release"), ox.NamedNode("urn:kg92:graph")


class PublishError(Exception):
    """The engine refused a step (its status and message)."""


def graph_store_url(conf) -> str:
    """``store_graph_store_url``, else ``store_url`` with its last path segment replaced by ``store``."""
    if conf["store_graph_store_url"]:
        return conf["store_graph_store_url"]
    parts = urlsplit(conf["store_url"])
    return urlunsplit(parts._replace(path=parts.path.rsplit("/", 1)[0] + "/store", query=""))


def graphs_of(build: Build) -> dict[str, list[ox.Triple]]:
    """The build's triples per named graph (kg.nq), blank nodes skolemised; those of its default graph (none in a
    real build) under :data:`remote.DEFAULT_GRAPH`."""
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for q in ox.parse(path=str(build.path / "kg.nq"), format=ox.RdfFormat.N_QUADS):
        name = remote.DEFAULT_GRAPH if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        graphs[name].append(ox.Triple(remote.skolem(q.subject), q.predicate, remote.skolem(q.object)))
    return graphs


class GraphStore:
    def __init__(self, url: str):
        self.url, self.http = url, urllib3.PoolManager(retries=False, timeout=TIMEOUT)

    def _call(self, method: str, graph: str, body: bytes | None = None, ok: tuple[int, ...] = (200, 201, 204)) -> None:
        target = f"{self.url}{'&' if '?' in self.url else '?'}graph={quote(graph, safe='')}"
        try:
            resp = self.http.request(method, target, body=body,
                                     headers={"Content-Type": "application/n-triples"} if body is not None else {})
        except urllib3.exceptions.HTTPError as exc:
            raise PublishError(f"{method} {target}: the engine cannot be reached ({exc})") from exc
        if resp.status not in ok:
            raise PublishError(f"{method} {target}: HTTP {resp.status} {resp.data[:300].decode('utf-8', 'replace')}")

    def put(self, graph: str, triples: list[ox.Triple]) -> None:
        self._call("PUT", graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))

    def delete(self, graph: str) -> None:
        self._call("DELETE", graph, ok=(200, 204, 404))


def recorded_graphs(store: remote.RemoteStore) -> set[str]:
    return {q.object.value for q in store.quads_for_pattern(ox.NamedNode(remote.RECORD_GRAPH), RECORD_GRAPHS, None,
                                                            ox.NamedNode(remote.RECORD_GRAPH))}


def publish(conf, out=sys.stdout) -> int:
    if not conf["store_url"]:
        print("kg92 publish: set store_url (KG92_STORE_URL) to the engine's SPARQL query endpoint", file=sys.stderr)
        return 2
    build = load_build(Path(conf["build_dir"]))
    gsp = GraphStore(graph_store_url(conf))
    reader = remote.connect({**conf, "query_timeout": 600.0}, build)
    record = remote.RemoteStore(reader.url, [remote.RECORD_GRAPH], 60.0)
    try:
        previous = recorded_graphs(record)
        gsp.delete(remote.RECORD_GRAPH)
        graphs = graphs_of(build)
        for name, triples in sorted(graphs.items()):
            gsp.put(name, triples)
            print(f"PUT {name}: {len(triples)} triples", file=out)
        for name in sorted(previous - set(graphs)):
            gsp.delete(name)
            print(f"DELETE {name} (not in this build)", file=out)
        expected = build.manifest["graphs"]
        counts = {name: sum(1 for _ in reader.quads_for_pattern(None, None, None, ox.NamedNode(name))) for name in expected}
        if counts != expected:
            raise PublishError(f"the engine holds other triple counts than the build: {counts} != {expected}")
        me = ox.NamedNode(remote.RECORD_GRAPH)
        gsp.put(remote.RECORD_GRAPH, [ox.Triple(me, remote.RECORD_BUILD, ox.Literal(build.id)),
                                      ox.Triple(me, RECORD_RELEASE, ox.Literal(build.path.name)),
                                      *(ox.Triple(me, RECORD_GRAPHS, ox.NamedNode(g)) for g in sorted(graphs))])
        total = sum(len(t) for t in graphs.values())
    except (PublishError, remote.Unavailable) as exc:
        print(f"kg92 publish: {exc}", file=sys.stderr)
        return 1
    print(f"published build {build.id} ({total} triples in {len(graphs)} graphs) to {conf['store_url']}",
          file=out)
    return 0
