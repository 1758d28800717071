"""What each whoosh segment says about its documents, read once per segment.

A whoosh index is a list of segments; a commit adds a small segment (and marks
replaced documents deleted in older ones) and merges small segments now and
then, but leaves a big segment alone. So facts are read per segment and kept
while the segment exists; after a commit only the new small segment is read,
and the facts of the whole index are put together by shifting each segment's
bitmaps by its offset (a few milliseconds at 100,000 documents, where reading
everything again takes a second or two).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from itertools import chain

from catalogue.pricing import RateTerm
from catalogue.search import FACETS
from catalogue.search.bitmaps import to_bitmap
from catalogue.search.text import price_band

GROUPS = (*FACETS, "base", "radius", "area", "rated")
_PER_DOCUMENT = ("sid", "price", "base", "rates", "lengths")


class SegmentFacts:
    """One segment's facts, by the segment's own document numbers (deleted
    documents included: the index's live bitmap leaves them out)."""

    def __init__(self, leaf):
        self.size = leaf.doc_count_all()
        nbytes = self.size // 8 + 1
        self.sid: dict[int, int] = {}
        self.price: dict[int, int] = {}
        self.base: dict[int, str | None] = {}
        self.rates: dict[int, list[RateTerm]] = {}
        self.lengths: dict[int, int] = {}
        groups: dict[str, defaultdict] = {name: defaultdict(list) for name in GROUPS}
        confirmed = []
        column = leaf.column_reader("facets") if self.size else None
        length = leaf.doc_field_length
        for doc in range(self.size):
            raw = column[doc]
            if not raw:
                continue
            facts = json.loads(raw)
            self.lengths[doc] = length(doc, "content")
            self.sid[doc] = facts["s"]
            self.price[doc] = facts["p"]
            self.base[doc] = facts["b"]
            confirmed.append((facts["t"], doc))
            groups["category"][facts["c"]].append(doc)
            groups["price"][price_band(facts["p"])].append(doc)
            groups["provider_kind"][facts["k"]].append(doc)
            groups["cqc_registered"][bool(facts["q"])].append(doc)
            for name, key in (("weekday", "d"), ("language", "l"), ("funding_stream", "f"),
                              ("area", "a")):
                for value in facts[key]:
                    groups[name][value].append(doc)
            if facts["b"]:
                groups["base"][facts["b"]].append(doc)
                if facts["r"]:
                    groups["radius"][(facts["b"], facts["r"])].append(doc)
            if facts["rt"]:
                self.rates[doc] = [RateTerm(c, p, date.fromordinal(s),
                                            date.fromordinal(e) if e else None)
                                   for c, p, s, e in facts["rt"]]
                for council in {rate.council_id for rate in self.rates[doc]}:
                    groups["rated"][council].append(doc)
        self.groups = {name: {value: to_bitmap(docs, nbytes) for value, docs in g.items()}
                       for name, g in groups.items()}
        self.confirmed = sorted(confirmed)
        self.by_price = sorted((price, doc) for doc, price in self.price.items())


def _segment_key(leaf) -> str | None:
    segment = leaf.segment() if hasattr(leaf, "segment") else None
    return segment.segment_id() if segment is not None else None


def _shifted(items: dict, offset: int) -> dict:
    return items if offset == 0 else {doc + offset: value for doc, value in items.items()}


def combine(table, reader, known: dict) -> None:
    """Fill ``table`` with the facts of every segment of ``reader`` (reading only the
    segments not in ``known``, which is updated to hold exactly the current ones)."""
    parts = []
    current = {}
    for leaf, offset in reader.leaf_readers():
        if not leaf.doc_count_all():
            continue
        key = _segment_key(leaf)
        facts = known.get(key) if key else None
        if facts is None:
            facts = SegmentFacts(leaf)
        if key:
            current[key] = facts
        deleted = list(leaf.segment().deleted_docs()) if leaf.has_deletions() else []
        parts.append((facts, offset, deleted))
    known.clear()
    known.update(current)

    table.groups = {name: {} for name in GROUPS}
    table.live = 0
    for facts, offset, deleted in parts:
        for name, values in facts.groups.items():
            target = table.groups[name]
            for value, bitmap in values.items():
                target[value] = target.get(value, 0) | (bitmap << offset)
        live = (1 << facts.size) - 1
        if deleted:
            live &= ~to_bitmap(deleted, facts.size // 8 + 1)
        table.live |= live << offset
    for name in _PER_DOCUMENT:
        if len(parts) == 1:
            setattr(table, name, _shifted(getattr(parts[0][0], name), parts[0][1]))
            continue
        merged: dict = {}
        for facts, offset, _deleted in parts:
            merged.update(_shifted(getattr(facts, name), offset))
        setattr(table, name, merged)
    for name in ("confirmed", "by_price"):  # sorted runs: Timsort merges them in O(n)
        runs = [getattr(facts, name) if offset == 0 else
                [(value, doc + offset) for value, doc in getattr(facts, name)]
                for facts, offset, _deleted in parts]
        setattr(table, name, runs[0] if len(runs) == 1 else sorted(chain.from_iterable(runs)))
