"""The one in-process memory whose entries expire: the page memory and the dial-in answers.

Only ever a cache: losing it costs one rendering or one request. Bounded (the least recently
used entry goes first once expired ones are gone), safe to share between a worker's threads,
and each entry has its own lifetime (a failed dial-in lookup is remembered for less time than
an answer). Built on `cachetools.TLRUCache`; the clock is injectable so tests need not sleep.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, NamedTuple, TypeVar

from cachetools import TLRUCache

V = TypeVar("V")


class _Kept(NamedTuple, Generic[V]):
    value: V
    ttl: float


def _expires(_key: Hashable, kept: _Kept[V], now: float) -> float:
    return now + kept.ttl


class TTLCache(Generic[V]):
    """A bounded, thread-safe map whose entries expire `ttl` seconds after they are set."""

    def __init__(self, max_entries: int = 1024,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: TLRUCache[Hashable, _Kept[V]] = TLRUCache(
            maxsize=max_entries, ttu=_expires, timer=clock)
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The value, or None when there is none or it has expired."""
        with self._lock:
            kept = self._entries.get(key)
        return None if kept is None else kept.value

    def set(self, key: Hashable, value: V, ttl: float) -> None:
        with self._lock:
            self._entries[key] = _Kept(value, ttl)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            self._entries.expire()
            return len(self._entries)
