"""A bounded, thread-safe, in-memory LRU cache of query responses.

Keys are built by the caller from (build id, query text, dataset parameters, substitutions, negotiation inputs),
so a new build never serves an old answer. Bounded twice: ``cache_entries`` entries and ``cache_max_bytes`` bytes
of bodies (a body larger than an eighth of the byte budget is not cached). Only successful answers are stored.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class ResponseCache:
    def __init__(self, entries: int, max_bytes: int):
        self.entries, self.max_bytes = max(0, entries), max(0, max_bytes)
        self._data: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        if not self.entries or size > self.max_bytes // 8:
            return
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._data[key] = (value, size)
            self._bytes += size
            while len(self._data) > self.entries or self._bytes > self.max_bytes:
                _, (_, evicted) = self._data.popitem(last=False)
                self._bytes -= evicted

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"entries": len(self._data), "bytes": self._bytes, "hits": self.hits, "misses": self.misses}

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0
