"""kg92.sparql.cache.ResponseCache directly: hits and misses, LRU order, both bounds, replacement, threads."""

from __future__ import annotations

import threading

from kg92.sparql.cache import ResponseCache


def test_a_miss_then_a_hit_are_counted():
    cache = ResponseCache(entries=4, max_bytes=800)
    assert cache.get(("b1", "ASK {}")) is None
    cache.put(("b1", "ASK {}"), "yes", 10)
    assert cache.get(("b1", "ASK {}")) == "yes"
    assert cache.get(("b2", "ASK {}")) is None          # another build is another key: never the old answer
    assert cache.stats() == {"entries": 1, "bytes": 10, "hits": 1, "misses": 2}


def test_the_least_recently_used_entry_goes_first_when_entries_run_out():
    cache = ResponseCache(entries=2, max_bytes=800)
    cache.put("a", 1, 10)
    cache.put("b", 2, 10)
    assert cache.get("a") == 1                           # a is now the most recent
    cache.put("c", 3, 10)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert cache.stats()["entries"] == 2 and cache.stats()["bytes"] == 20


def test_the_byte_budget_evicts_and_a_body_over_an_eighth_of_it_is_never_kept():
    cache = ResponseCache(entries=100, max_bytes=800)
    cache.put("big", "x", 101)                          # 101 > 800 // 8
    assert cache.get("big") is None and cache.stats()["bytes"] == 0
    for i in range(9):
        cache.put(i, i, 100)                            # the ninth pushes the total over 800
    assert cache.stats()["bytes"] == 800 and cache.stats()["entries"] == 8
    assert cache.get(0) is None and cache.get(8) == 8


def test_putting_a_key_again_replaces_its_value_and_size():
    cache = ResponseCache(entries=4, max_bytes=800)
    cache.put("k", "old", 50)
    cache.put("k", "new", 30)
    assert cache.get("k") == "new" and cache.stats()["bytes"] == 30 and cache.stats()["entries"] == 1


def test_a_disabled_cache_keeps_nothing_and_clear_empties_it():
    off = ResponseCache(entries=0, max_bytes=800)
    off.put("k", "v", 1)
    assert off.get("k") is None and off.stats()["entries"] == 0
    cache = ResponseCache(entries=4, max_bytes=800)
    cache.put("k", "v", 5)
    cache.clear()
    assert cache.get("k") is None and cache.stats()["bytes"] == 0


def test_threads_share_one_consistent_cache():
    cache = ResponseCache(entries=50, max_bytes=50 * 8 * 10)

    def work(n: int) -> None:
        for i in range(200):
            cache.put((n, i % 60), i, 10)
            cache.get((n, (i * 7) % 60))
    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stats = cache.stats()
    assert stats["entries"] == 50 and stats["bytes"] == 500 and stats["hits"] + stats["misses"] == 8 * 200
