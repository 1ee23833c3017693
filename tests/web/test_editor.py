"""The editor's short share links and its embeddable result view (web/editor.py); in a browser:
tests/browser/test_editor_views.py."""

from __future__ import annotations

import json
import re

from kg92.build import assets
from kg92.web.editor import used_prologue

BODY = "SELECT ?g (COUNT(?p) AS ?n) WHERE { ?p a kg:Position ; kg:heldBy ?g } GROUP BY ?g"
KG = "PREFIX kg: <https://w3id.org/kg92/def#>\n"


def config_of(body: str) -> dict:
    return json.loads(body.split('<script type="application/json" id="kg92-config">')[1].split("</script>")[0])


def test_a_short_link_gets_back_the_prefixes_it_uses_and_a_long_one_is_read_as_written(client):
    short = config_of(client.get("/editor", query_string={"q": BODY}).get_data(as_text=True))
    assert short["shared"] == KG + "\n" + BODY
    declared = config_of(client.get("/editor", query_string={"q": KG + BODY}).get_data(as_text=True))
    assert declared["shared"] == KG + BODY                      # a prefix it declares is not declared twice
    long = config_of(client.get("/editor", query_string={"query": "ASK {}"}).get_data(as_text=True))
    assert long["shared"] == "ASK {}" and config_of(client.get("/editor").get_data(as_text=True))["shared"] is None
    assert used_prologue("SELECT * { ?s skos:prefLabel ?l }") == "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n\n"


def test_the_editor_page_has_the_labels_toggle_share_and_embed_links(client, real_app):
    body = client.get("/editor", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<input type="checkbox" id="labels-toggle" checked>' in body
    assert 'id="share-link"' in body and 'id="embed-link"' in body
    config = config_of(body)
    assert config["viewNames"] == {"chart": "Diagramme", "timeline": "Frise", "graph": "Graphe"}
    assert config["charts"] == assets.charts(real_app.extensions["kg92"].build.path)
    assert '<script src="/static/views.js"></script>' in body
    assert client.get("/static/views.js").status_code == 200


def test_the_embedded_view_may_be_framed_and_the_editor_may_not(client):
    resp = client.get("/editor/embed", query_string={"q": BODY, "view": "chart"}, headers={"Accept-Language": "en"})
    assert resp.status_code == 200
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in csp and "default-src 'self'" in csp and "script-src 'self';" in csp
    body = resp.get_data(as_text=True)
    config = config_of(body)
    assert config["shared"] == KG + "\n" + BODY and config["view"] == "chart" and config["lang"] == "en"
    assert '<header class="site"' not in body and '<div id="embed-view"></div>' in body
    assert 'href="/editor?q=SELECT+%3Fg+%28COUNT%28%3Fp%29+AS+%3Fn%29' in body   # the same link, to the editor
    assert "frame-ancestors 'none'" in client.get("/editor").headers["Content-Security-Policy"]
    missing = client.get("/editor/embed")
    assert missing.status_code == 400 and "q=" in missing.get_json()["error"]["detail"]


def test_gallery_and_starters_follow_the_interface_language(real_app):
    hard = re.compile(r'LANG\(\?\w+\)\s*=\s*"fr"\s*\)')   # a filter on French alone (the fallback has "fr" && …)
    client = real_app.test_client()
    body = client.get("/editor", query_string={"lang": "en"}).get_data(as_text=True)
    config = config_of(body)
    assert [hard.findall(e["query"]) for e in config["examples"]] == [[], [], []]
    assert 'LANG(?title) = "en"' in config["examples"][0]["query"]
    for q in config["gallery"]:
        assert not hard.search(q["query"] or ""), q["name"]
    figures = next(q for q in config["gallery"] if q["name"] == "figures-about")
    assert '?lang' in figures["query"] and '"en"' in figures["query"]   # bound to the interface language
