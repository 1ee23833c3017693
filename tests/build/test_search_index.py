"""The build step that writes /search's index into the release (kg92/build/search.py)."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pyoxigraph as ox
from support import SOURCES

from kg92.build import run, search

ID = "https://w3id.org/kg92/id/"


def test_the_build_writes_the_search_index_deterministically(mini_root):
    assert run(mini_root, mini_root / "build", SOURCES).code == 0
    release = (mini_root / "build").resolve()
    body = (release / "search.sqlite").read_bytes()
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    entries = search.load(release)
    assert manifest["search_index"] == {"file": "search.sqlite", "entries": len(entries),
                                        "sha256": hashlib.sha256(body).hexdigest()}
    store = ox.Store.read_only(str(release / "store"))
    assert entries == search.compute(store) and len(entries) == 864   # the shared files (their labels, acronyms, places)
    labels = {(e.iri, e.text) for e in entries if e.kind == "label"}
    assert (ID + "scheme/rsa", "RSA") in labels
    quotes = {e.iri: e for e in entries if e.kind == "quote"}      # the shared files cite a few quotes
    assert len(quotes) == 9
    assert quotes[ID + "quote/001-12628-12852"].groups == (ID + "group/groupe-001",)   # dcterms:creator of 001
    del store
    assert run(mini_root, mini_root / "build", SOURCES, force=True).code == 0
    assert ((mini_root / "build").resolve() / "search.sqlite").read_bytes() == body   # the same bytes again


def test_a_search_index_of_another_version_is_not_read(tmp_path):
    search.write_db(tmp_path / search.FILE, [])
    assert search.load(tmp_path) == []
    db = sqlite3.connect(tmp_path / search.FILE)
    db.execute("UPDATE meta SET value = 1 WHERE key = 'version'")   # the JSON index of before was version 1
    db.commit()
    db.close()
    assert search.load(tmp_path) is None
    (tmp_path / search.FILE).write_text('{"version": 2, "names": [], "entries": []}', encoding="utf-8")
    assert search.load(tmp_path) is None                               # not a database at all
    assert search.load(tmp_path / "absent") is None
