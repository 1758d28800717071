"""Stable UUIDs for things that have no ``uuid`` column.

Open Referral UK identifies everything by UUID. Community listings, places and
schedules have their own ``uuid`` columns; the paid catalogue (services, providers)
and the code-defined taxonomies do not, and we do not add columns for the API.

- ``stable(kind, key)``: ``uuid5(NAMESPACE, "kind:key")``, for things looked up by
  building them (taxonomy terms, addresses, cost options, schedules of paid services).
- ``embedded(kind, n)`` / ``embedded_id(kind, text)``: a version-5 UUID made from
  ``uuid5(NAMESPACE, kind)`` whose last 48 bits (the node field) are replaced by the
  row id ``n``. It is as stable as a plain uuid5, still a valid RFC 4122 version-5
  UUID, and can be read back, so ``/services/{id}`` finds a paid service by its
  primary key without a lookup table. Each kind has its own prefix, so the same id
  never gives the same UUID for two kinds.
"""

from __future__ import annotations

import uuid
from functools import cache

# Fixed for ever: changing it changes every published identifier.
NAMESPACE = uuid.UUID("6f1d3c52-7a0e-4b8e-9a51-2e4c9b7d0a13")

_NODE_BITS = 48
_MAX_ID = 2**_NODE_BITS - 1


def stable(kind: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


@cache
def _prefix(kind: str) -> bytes:
    return uuid.uuid5(NAMESPACE, f"embedded:{kind}").bytes[:10]


def embedded(kind: str, n: int) -> str:
    if not 0 < n <= _MAX_ID:
        raise ValueError(f"{n} cannot be embedded in a UUID")
    return str(uuid.UUID(bytes=_prefix(kind) + n.to_bytes(6, "big")))


def parse_uuid(text: str) -> uuid.UUID | None:
    """The UUID written in ``text`` (any case, with hyphens), or None."""
    if not isinstance(text, str) or len(text) != 36:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def embedded_id(kind: str, text: str) -> int | None:
    """The row id embedded in ``text`` by ``embedded(kind, id)``, or None when the text
    is not such a UUID."""
    value = parse_uuid(text)
    if value is None or value.bytes[:10] != _prefix(kind):
        return None
    n = int.from_bytes(value.bytes[10:], "big")
    return n or None


# The kinds used by the API (one place, so two modules never disagree).
PAID_SERVICE = "paid-service"
PROVIDER = "provider"
PAID_SERVICE_AT_LOCATION = "paid-service-at-location"
