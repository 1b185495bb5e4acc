"""Reads kept by the document's content hash, so that no card is read twice in a process.

The in-process sandbox reads an upload to answer the API, and the app reads the same bytes
for the overlay; both go through :func:`cardocr.read_card`, which asks this cache first. A
second caller asking for a card being read waits for that read instead of starting another.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


def digest(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex: the key a document is cached under."""
    return hashlib.sha256(data).hexdigest()


class ReadCache(Generic[T]):
    """A bounded least-recently-used map from a key to a read, computed once per key.

    Keys are any hashable value; a key that holds an object (the engine) keeps it alive, so
    its identity cannot be reused by another while the read is cached.
    """

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._busy: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key``, calling ``compute`` only if no one has (or is) computing it."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            busy = self._busy.setdefault(key, threading.Lock())
        with busy:  # one computation per key; others wait for it and then find the value
            with self._lock:
                if key in self._items:
                    return self._items[key]
            try:
                value = compute()
            except BaseException:
                with self._lock:  # not cached: the next caller tries again
                    self._busy.pop(key, None)
                raise
            with self._lock:
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
                self._busy.pop(key, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
