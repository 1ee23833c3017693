"""What a scheme or an actor page adds (issue 16, item 5; no routes): the documents that mention it (with how many
resources with evidence mention it there and the first quote, by position in the text), the events about it or in
which it takes part (the first EVENTS_CAP, and a link to them all), and the research queries that take it as a
parameter, already bound, with a link that opens ``DESCRIBE`` of it in the editor. The documents and events come
from the build's index (build/mentions.py: mentions.sqlite), else from the same queries on the store, the resource a
typed term in a VALUES block (web/labels.py's ``select``)."""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
from flask import current_app

from kg92.build.mentions import CLASSES, EVENTS, QUERY, group, group_events
from kg92.inline import values_text
from kg92.namespaces import PREFIXES
from kg92.queries.binding import LISTS
from kg92.web.describe import quote
from kg92.web.labels import Labels, slug
from kg92.web.render import head, rows
from kg92.web.resources import members, registry

MENTIONED = set(CLASSES)   # the pages that show these additions (rdf:type of the resource): kg:Scheme, kg:Actor
OPEN_LISTS = ("scheme", "actor")   # an iri parameter without a list (figures-about's subject) takes a scheme or an actor


def documents(node, label: Labels) -> list[dict]:
    """One entry per document, in document order: its head, how many resources mention ``node`` there, and the
    first quote of them in the text; from the build's index (build/mentions.py), else its query now."""
    index = current_app.extensions.get("kg92.mentions")
    found = index.documents(node) if index is not None else group(rows(QUERY, this=node))
    return [{**head(doc, label), "number": slug(doc), "mentions": n, "first": quote(q, label) if q is not None else None}
            for doc, n, q in found]


EVENTS_CAP = 100   # events listed on a page (45 at most in the real data; 4,500 for the Département at N=100)


def events(node, label: Labels) -> tuple[list[dict], int]:
    """(the first EVENTS_CAP events about ``node`` or in which it takes part, by date; how many more there are),
    from the build's index (build/mentions.py), else its query now."""
    index = current_app.extensions.get("kg92.mentions")
    if index is not None:
        found, total = index.events(node, EVENTS_CAP)
    else:
        every = group_events(rows(EVENTS, this=node))
        found, total = every[:EVENTS_CAP], len(every)
    return [{**head(e, label), "date": date, "kind": label(kind) if kind is not None else None, "roles": list(roles)}
            for e, date, kind, roles in found], total - len(found)


def research(node: ox.NamedNode, lang: str) -> list[dict]:
    """The canned queries with a parameter that takes ``node`` (a member of the parameter's list, or for a
    parameter without a list, a scheme or an actor), each with the URL of its page with ``node`` bound."""
    lists = members(current_app)
    of = {name for name in LISTS if node.value in lists.get(name, set())}
    out = []
    for q in registry(current_app).queries.values():
        for p in q.params:
            if p.type == "iri" and ((p.list in of) if p.list else bool(of & set(OPEN_LISTS))):
                args = [(p.name, node.value)] + [("lang", lang)] * any(x.type == "lang" for x in q.params)
                out.append({"name": q.name, "title": q.title(lang), "param": p.name,
                            "href": f"/queries/{q.name}?{urlencode(args)}"})
                break
    return out


def mentions(node: ox.NamedNode, label: Labels) -> dict:
    """The additions of a scheme or actor page."""
    listed, more = events(node, label)
    return {"documents": documents(node, label), "events": listed, "events_more": more,
            "events_query": f"PREFIX kg: <{PREFIXES['kg']}>\n" + values_text(EVENTS, {ox.Variable("this"): node}),
            "research": research(node, label.lang),
            "describe": "/editor?" + urlencode({"query": f"DESCRIBE {node}"})}
