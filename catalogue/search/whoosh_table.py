"""Filtering, facet counting and ordering over a whoosh index, with bitmaps.

Whoosh finds the documents that match the words and scores them (its BM25F
scorer, asked once per term frequency and document length). Everything else is
done on a table put together once per index generation from the ``facets``
column (each segment read once, see ``whoosh_facts``): for each facet value, the
set of documents that have it, held as a Python integer used as a bitmap (bit n
= document n). Filtering is ``&``, counting is ``int.bit_count()``, so counting
100 facet values over 100,000 documents takes about a millisecond. Facet counts
leave out their own filter.

Results of the slower steps are kept (small caches per table): each word's
matching documents and scores, the prices for a set of funding councils on a
day, price ranges, distances and "covers my area" from a district. A new index
generation (after a commit) gets a new table.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import date

from catalogue.geo import distance_km, districts
from catalogue.pricing import price_for
from catalogue.search import FACETS, PRICE_BANDS, Hit, SearchQuery, Sort
from catalogue.search.base import RunResult
from catalogue.search.bitmaps import Cache, members, to_bitmap
from catalogue.search.text import price_band
from catalogue.search.whoosh_facts import combine
from catalogue.taxonomy import children_of

_FAR = float("inf")


def _postings(reader, stem: str):
    """(document, frequency) of every posting of a term, segment by segment. Whoosh's
    own segment matcher is read a block at a time when it offers its block arrays
    (``_ids``, ``_weights``: several times faster than a call per posting), and one
    posting at a time otherwise."""
    for leaf, offset in reader.leaf_readers():
        if ("content", stem) not in leaf:
            continue
        matcher = leaf.postings("content", stem)
        by_block = all(hasattr(matcher, name) for name in
                       ("_read_ids", "_read_weights", "_next_block", "_ids", "_weights", "_i"))
        while matcher.is_active():
            if by_block and matcher._i == 0:
                if matcher._ids is None:
                    matcher._read_ids()
                if matcher._weights is None:
                    matcher._read_weights()
                yield from zip([doc + offset for doc in matcher._ids], matcher._weights,
                               strict=True)
                matcher._next_block()
            else:
                yield matcher.id() + offset, matcher.weight()
                matcher.next()


class Table:
    """Per-document facts of one index generation, grouped into bitmaps."""

    def __init__(self, reader, segments: dict | None = None):
        """``segments`` keeps each segment's facts between generations (see
        ``whoosh_facts``); the table's own caches start empty."""
        self.size = reader.doc_count_all()
        self.nbytes = self.size // 8 + 1
        combine(self, reader, segments if segments is not None else {})
        self._by_service: dict[int, list[int]] | None = None
        self._caches = {name: Cache(size) for name, size in
                        (("terms", 512), ("visible", 2), ("prices", 16), ("ranges", 64),
                         ("distances", 64), ("covering", 64))}

    def forget(self) -> None:
        """Empty the caches (benchmarks use it to time searches from scratch)."""
        for cache in self._caches.values():
            cache.clear()

    # --- cached pieces ------------------------------------------------------------

    def term(self, searcher, stem: str) -> tuple[int, dict[int, float]]:
        """Documents containing ``stem`` and their BM25F scores for it. The score
        depends only on the term's frequency in the document and the document's
        length, so whoosh's scorer is asked once per (frequency, length)."""
        def make():
            scores: dict[int, float] = {}
            if not searcher.reader().doc_frequency("content", stem):
                return 0, scores
            scorer = searcher.weighting.scorer(searcher, "content", stem)
            lengths, known = self.lengths, {}
            for doc, frequency in _postings(searcher.reader(), stem):
                key = (frequency, lengths.get(doc, 0))
                score = known.get(key)
                if score is None:
                    score = known[key] = scorer._score(*key)
                scores[doc] = score
            return to_bitmap(scores, self.nbytes), scores
        return self._caches["terms"].get_or(stem, make)

    def visible(self, cutoff: float) -> int:
        """Live documents confirmed at or after ``cutoff`` (a timestamp)."""
        position = bisect_left(self.confirmed, (cutoff, -1))

        def make():
            hidden = to_bitmap((doc for _ts, doc in self.confirmed[:position]), self.nbytes)
            return self.live & ~hidden
        return self._caches["visible"].get_or(position, make)

    def prices(self, councils: frozenset[int], on: date | None, within: int) -> dict[int, int]:
        """{doc: pence} for the documents in ``within`` whose price differs for people
        these councils fund (``price_for`` decides, document by document; results are
        kept per councils and day, so each document is priced once)."""
        if not councils or on is None:
            return {}
        known: dict[int, int | None] = self._caches["prices"].get_or((councils, on), dict)
        rated = 0
        for council in councils:
            rated |= self.groups["rated"].get(council, 0)
        found = {}
        for doc in members(rated & within, self.nbytes):
            if doc not in known:
                quote = price_for(self.price[doc], self.rates[doc], councils, on)
                known[doc] = quote.pence if quote.is_council_rate else None
            if known[doc] is not None:
                found[doc] = known[doc]
        return found

    def bands(self, changed: dict[int, int]) -> dict[str, int]:
        """Price-band bitmaps with the prices ``changed`` for this viewer."""
        if not changed:
            return self.groups["price"]
        moved = ~to_bitmap(changed, self.nbytes)
        by_band = defaultdict(list)
        for doc, pence in changed.items():
            by_band[price_band(pence)].append(doc)
        return {key: (self.groups["price"].get(key, 0) & moved)
                | to_bitmap(by_band.get(key, ()), self.nbytes) for key, _l, _h in PRICE_BANDS}

    def price_between(self, low: int | None, high: int | None, changed: dict[int, int]) -> int:
        def make():
            start = 0 if low is None else bisect_left(self.by_price, (low, -1))
            end = len(self.by_price) if high is None else bisect_right(self.by_price,
                                                                        (high, _FAR))
            return to_bitmap((doc for _p, doc in self.by_price[start:end]), self.nbytes)
        found = self._caches["ranges"].get_or((low, high), make)
        if changed:
            found &= ~to_bitmap(changed, self.nbytes)
            found |= to_bitmap((doc for doc, pence in changed.items()
                                if (low is None or pence >= low)
                                and (high is None or pence <= high)), self.nbytes)
        return found

    def distances(self, district: str) -> dict[str, float]:
        def make():
            places = districts()
            origin = places[district]
            return {base: distance_km(origin, places[base]) for base in self.groups["base"]
                    if base in places}
        return self._caches["distances"].get_or(district, make)

    def covering(self, district: str) -> int:
        """Documents whose provider lists the district, or whose radius reaches it."""
        def make():
            found = self.groups["area"].get(district, 0)
            away = self.distances(district)
            for (base, radius), bitmap in self.groups["radius"].items():
                if away.get(base, _FAR) <= radius:
                    found |= bitmap
            return found
        return self._caches["covering"].get_or(district, make)

    # --- one search -----------------------------------------------------------------

    def filters(self, query: SearchQuery, changed: dict[int, int]) -> dict[str, int]:
        chosen: dict[str, int] = {}
        groups = self.groups
        if query.category:
            slugs = [query.category] + [child.slug for child in children_of(query.category)]
            chosen["category"] = 0
            for slug in slugs:
                chosen["category"] |= groups["category"].get(slug, 0)
        if query.price_min_pence is not None or query.price_max_pence is not None:
            chosen["price"] = self.price_between(query.price_min_pence, query.price_max_pence,
                                                 changed)
        if query.weekday is not None:
            chosen["weekday"] = groups["weekday"].get(query.weekday, 0)
        if query.language:
            chosen["language"] = groups["language"].get(query.language, 0)
        if query.cqc_registered:
            chosen["cqc_registered"] = groups["cqc_registered"].get(True, 0)
        if query.funding_stream:
            chosen["funding_stream"] = groups["funding_stream"].get(query.funding_stream, 0)
        if query.provider_kind:
            chosen["provider_kind"] = groups["provider_kind"].get(query.provider_kind, 0)
        if query.rated_ids is not None:  # not a facet: every facet's counts apply it
            chosen["rating"] = self.services(query.rated_ids)
        return chosen

    def services(self, service_ids) -> int:
        """The documents of these services (old, deleted versions too: the live
        bitmap leaves those out)."""
        if self._by_service is None:
            by_service: dict[int, list[int]] = defaultdict(list)
            for doc, sid in self.sid.items():
                by_service[sid].append(doc)
            self._by_service = by_service
        docs = [doc for sid in service_ids for doc in self._by_service.get(sid, ())]
        return to_bitmap(docs, self.nbytes)

    def run(self, searcher, query: SearchQuery, stems: list[list[str]], any_word: bool,
            cutoff: float) -> RunResult:
        base = self.visible(cutoff)
        parts: list[dict[int, float]] = []  # each term's scores, summed only when needed
        if stems:
            base &= self._text(searcher, stems, any_word, parts)
        if query.covers_my_area and query.district:
            base &= self.covering(query.district)
        changed = self.prices(query.funded_by, query.today, base)
        chosen = self.filters(query, changed)
        facets = {}
        for name in FACETS:
            mask = base
            for other, bitmap in chosen.items():
                if other != name:
                    mask &= bitmap
            values = self.bands(changed) if name == "price" else self.groups[name]
            facets[name] = {value: n for value, bitmap in values.items()
                            if (n := (mask & bitmap).bit_count())}
        final = base
        for bitmap in chosen.values():
            final &= bitmap
        total = final.bit_count()
        hits = self._page(members(final, self.nbytes), parts, query, changed) if total else []
        return RunResult(hits=hits, total=total, facets=facets)

    def _text(self, searcher, stems, any_word, parts) -> int:
        """Documents matching every word (or any, when ``any_word``); collects each
        term's scores in ``parts`` (a document's score is their sum).
        A word can stand for several terms; any of them matches it."""
        found = None
        for word_stems in stems:
            word_docs = 0
            for stem in word_stems:
                bitmap, term_scores = self.term(searcher, stem)
                word_docs |= bitmap
                parts.append(term_scores)
            if found is None:
                found = word_docs
            else:
                found = (found | word_docs) if any_word else (found & word_docs)
        return found or 0

    def _page(self, docs: list[int], parts: list[dict], query: SearchQuery,
              changed: dict[int, int]) -> list[Hit]:
        """One page of ``docs`` in the order asked for. The first key of the order is
        worked out for every document (list comprehensions, a C sort of numbers), and
        only the documents that can reach the page are sorted by the full key."""
        away = self.distances(query.district) if query.district else {}
        base, price, sid = self.base, self.price, self.sid
        minus_score = [0.0] * len(docs)
        for part in parts:
            get = part.get
            minus_score = [m - get(doc, 0.0) for m, doc in zip(minus_score, docs, strict=True)]
        far = [away.get(base[doc], _FAR) for doc in docs] if away else [0.0] * len(docs)
        pence = [changed.get(doc, price[doc]) for doc in docs] if changed else \
            [price[doc] for doc in docs]
        ids = [sid[doc] for doc in docs]
        columns = {"score": (minus_score, not parts), "far": (far, not away),
                   "pence": (pence, False), "id": (ids, False)}
        order = {Sort.DISTANCE: ("far", "score", "pence", "id"),
                 Sort.PRICE: ("pence", "score", "far", "id")}.get(
            query.sort, ("score", "far", "pence", "id"))
        keys = [columns[name][0] for name in order]
        # Columns that are the same for every document (no words: no score) decide
        # nothing, so the first one that varies decides who can reach the page.
        first = next(columns[name][0] for name in order if not columns[name][1])
        wanted = query.offset + query.per_page
        indices = range(len(docs))
        if wanted < len(docs):
            threshold = sorted(first)[wanted - 1]
            indices = [i for i in indices if first[i] <= threshold]
        chosen = sorted(indices, key=lambda i: tuple(column[i] for column in keys))
        return [Hit(service_id=ids[i], score=-minus_score[i],
                    distance_km=far[i] if away else None, price_pence=pence[i])
                for i in chosen[query.offset:wanted]]
