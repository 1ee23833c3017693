"""The site's page helpers, for the request being served: ``page`` (a template in the chosen language), ``labels``
and ``rows`` (web/labels.py on the application's store), ``summary_rows`` (the build's summaries) and ``head`` (a term as a table heading)."""

from __future__ import annotations

from flask import Response, current_app, g, make_response, render_template

from kg92 import urls
from kg92.build import summaries
from kg92.web.labels import Labels, select
from kg92.web.resources import resources


def page(template: str, status: int = 200, **ctx) -> Response:
    resp = make_response(render_template(template, **ctx), status)
    resp.headers["Content-Language"] = g.lang
    resp.vary.update(("Accept", "Accept-Language", "Cookie"))
    return resp


def labels() -> Labels:
    return Labels(resources(current_app).store, g.get("lang", "fr"))


def rows(query: str, via: str = "values", **bind) -> list[dict]:
    """``labels.select`` on the application's store (``via``: how ``bind`` is bound, see there)."""
    return select(resources(current_app).store, query, via, **bind)


def summary_rows(name: str) -> list[dict]:
    """The rows of summary ``name`` (build/summaries.py): as the build computed them, else its query now."""
    found = current_app.extensions.get("kg92.summaries")
    if found is not None and name in found:
        return found[name]
    return summaries.run(resources(current_app).store, name)


def head(term, label: Labels, **extra) -> dict:
    return {"iri": term.value, "label": label(term), "href": urls.href(term.value), **extra}
