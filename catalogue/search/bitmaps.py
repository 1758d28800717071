"""Sets of documents as Python integers (bit n set = document n is in the set), and
a small cache. ``a & b`` intersects, ``int.bit_count()`` counts: both run in C, so
counting a facet value over 100,000 documents takes microseconds."""

from __future__ import annotations

import threading
from collections import OrderedDict

_BITS = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]


def to_bitmap(docnums, nbytes: int) -> int:
    data = bytearray(nbytes)
    for doc in docnums:
        data[doc >> 3] |= 1 << (doc & 7)
    return int.from_bytes(data, "little")


def members(bitmap: int, nbytes: int) -> list[int]:
    found = []
    append = found.append
    for index, byte in enumerate(bitmap.to_bytes(nbytes, "little")):
        if byte:
            base = index << 3
            for bit in _BITS[byte]:
                append(base + bit)
    return found


class Cache:
    """A small least-recently-used cache, safe to share between threads."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def get_or(self, key, make):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return value
