"""build/summaries.py: the build writes the pages' aggregates to summaries.json; read back they are the rows the
queries give on the store, term for term, and the pages that read them are byte for byte the pages that run the
queries (a release without the file)."""

from __future__ import annotations

import pytest
from support import ROOT, real_build_app

from kg92.build import summaries
from kg92.web.resources import engine


def test_the_release_summaries_are_the_rows_of_the_queries(release_store):
    found = summaries.load((ROOT / "build").resolve())
    assert found is not None and set(found) == set(summaries.QUERIES)
    for name in summaries.QUERIES:
        assert found[name] == summaries.run(release_store, name), name
    stats = {k: int(v.value) for k, v in found["home-stats"][0].items()}
    assert stats["groups"] == 3 and stats["schemes"] == 212 and stats["quotes"] == 675   # the real data's counts
    assert [r["doc"].value.rsplit("/", 1)[1] for r in found["home-documents"]] == ["000", "001", "002", "003", "004"]


def test_a_release_without_summaries_has_none(tmp_path):
    assert summaries.load(tmp_path) is None


@pytest.mark.parametrize("path", ["/", "/?lang=en", "/compare/citations", "/compare/citations.json", "/compare/citations.csv"])
def test_pages_read_from_the_summaries_are_the_pages_that_query(real_app, path):
    assert real_app.extensions["kg92.summaries"] is not None
    queried = real_build_app(page_cache_entries=0)
    queried.extensions["kg92.summaries"] = None      # as over a release written before summaries.json
    try:
        a = real_app.test_client().get(path)
        b = queried.test_client().get(path)
    finally:
        engine(queried).close()
    assert a.status_code == b.status_code == 200
    assert a.get_data() == b.get_data()
