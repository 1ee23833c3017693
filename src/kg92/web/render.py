"""The site's page helpers, for the request being served: ``page`` (a template in the chosen language), ``labels``
and ``rows`` (web/labels.py on the application's store) and ``head`` (a term as a table heading)."""

from __future__ import annotations

from flask import Response, current_app, g, make_response, render_template

from kg92 import urls
from kg92.web.labels import Labels, select
from kg92.web.resources import resources


def page(template: str, status: int = 200, **ctx) -> Response:
    resp = make_response(render_template(template, **ctx), status)
    resp.headers["Content-Language"] = g.lang
    resp.vary.update(("Accept", "Accept-Language", "Cookie"))
    return resp


def labels() -> Labels:
    return Labels(resources(current_app).store, g.get("lang", "fr"))


def rows(query: str, **bind) -> list[dict]:
    """``labels.select`` on the application's store."""
    return select(resources(current_app).store, query, **bind)


def head(term, label: Labels, **extra) -> dict:
    return {"iri": term.value, "label": label(term), "href": urls.href(term.value), **extra}
