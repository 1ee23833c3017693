"""/-/labels: the labels of IRIs in the interface language for the editor's labels toggle (web/termlabels.py)."""

from __future__ import annotations

from kg92.web import termlabels

ID = "https://w3id.org/kg92/id/"
FSL, COLOMBES, QUOTE = ID + "scheme/fsl", ID + "group/colombes-2", ID + "quote/003-10219-10454"
ASKED = [FSL, COLOMBES, QUOTE, "https://w3id.org/kg92/def#Scheme", ID + "scheme/no-such-scheme", "urn:x:y", "not an iri"]


def labels_of(client, *args, method="get", **kw) -> dict:
    resp = getattr(client, method)("/-/labels", **kw)
    assert resp.status_code == 200 and resp.mimetype == "application/json", resp.get_data(as_text=True)
    return resp.get_json()


def test_labels_in_french_then_in_english_only_for_iris_that_have_one(client, real_app):
    fr = labels_of(client, query_string=[("iri", i) for i in ASKED] + [("lang", "fr")])
    assert fr == {"lang": "fr", "labels": {
        FSL: "Fonds de solidarité pour le logement",
        COLOMBES: "Ensemble pour des Hauts-de-Seine durables et solidaires (Colombes 2)",
        QUOTE: "« Ensuite, le véritable problème dans notre département, et plus largement en France, c'es… »",
        "https://w3id.org/kg92/def#Scheme": "dispositif"}}
    # (a new client: the first request's ?lang=fr is remembered in a cookie, which comes before Accept-Language)
    en = labels_of(real_app.test_client(), query_string=[("iri", i) for i in ASKED], headers={"Accept-Language": "en"})
    assert en["lang"] == "en" and en["labels"][FSL] == "Housing solidarity fund"
    assert en["labels"][COLOMBES] == "Together for a sustainable and caring Hauts-de-Seine (Colombes 2)"
    assert en["labels"][QUOTE] == fr["labels"][QUOTE]   # a quote is its text, in the language of its source


def test_post_takes_as_many_iris_as_get_and_answers_the_same(client):
    got = labels_of(client, method="post", data={"iri": [FSL, FSL, COLOMBES]}, query_string={"lang": "en"})
    assert got == {"lang": "en", "labels": {FSL: "Housing solidarity fund",
                                            COLOMBES: "Together for a sustainable and caring Hauts-de-Seine (Colombes 2)"}}
    assert labels_of(client) == {"lang": "en", "labels": {}}   # (?lang=en is remembered)


def test_requests_are_bounded_and_cached_per_language(client, real_app):
    too_many = client.get("/-/labels", query_string=[("iri", FSL)] * (termlabels.MAX_IRIS + 1))
    assert too_many.status_code == 400 and f"at most {termlabels.MAX_IRIS} iri" in too_many.get_json()["error"]["detail"]
    long_iri = client.post("/-/labels", data={"iri": ID + "x" * termlabels.MAX_IRI_CHARS})
    assert long_iri.status_code == 400 and "characters" in long_iri.get_json()["error"]["detail"]
    cache = real_app.extensions["kg92"].term_labels
    labels_of(client, query_string={"iri": [FSL, ID + "scheme/no-such-scheme"], "lang": "en"})
    assert cache["en"] == {FSL: "Housing solidarity fund", ID + "scheme/no-such-scheme": None}
    assert client.get("/-/labels", query_string={"iri": FSL}).headers["Cache-Control"] == "max-age=3600"
