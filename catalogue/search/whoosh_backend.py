"""The whoosh back end: a local index in ``SEARCH_INDEX_DIR``.

The index is changed only after a commit (``catalogue.search.indexing``), from
what was committed. Each thread keeps its own searcher (whoosh searchers are not
shared between threads) and refreshes it when the index has a new generation;
the bitmap table (``whoosh_table``) is put together once per generation from
each segment's facts (``whoosh_facts``, read once per segment) and shared.
If the index is locked by another process for longer than the write timeout,
the services are remembered and written at the next chance.
"""

from __future__ import annotations

import logging
import threading

from flask import current_app

from catalogue.listing import confirmed_since
from catalogue.search import SearchQuery
from catalogue.search.base import RunResult, SearchBackend
from catalogue.search.whoosh_index import LockError, open_or_create, rebuild, update
from catalogue.search.whoosh_table import Table
from marketplace.db import utcnow

log = logging.getLogger(__name__)


class WhooshBackend(SearchBackend):
    name = "whoosh"

    def __init__(self, directory: str):
        self.directory = directory
        self._ix = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._table: tuple[object, Table] | None = None
        self._waiting: set[int] = set()  # services to write when the lock is free
        self._searchers: list = []
        self._segments: dict = {}  # each segment's facts, kept while it exists

    # --- the index --------------------------------------------------------------------

    @property
    def ix(self):
        if self._ix is None:
            with self._lock:
                if self._ix is None:
                    self._ix = open_or_create(self.directory)
        return self._ix

    def update(self, bind, service_ids) -> None:
        """Write these services' committed state to the index (see whoosh_index)."""
        with self._lock:
            ids = set(service_ids) | self._waiting
            self._waiting = set()
        if not ids:
            return
        try:
            update(self.ix, bind, ids)
        except LockError:
            log.warning("search index locked: %d services will be indexed later", len(ids))
            with self._lock:
                self._waiting |= ids

    def retry_waiting(self, bind) -> None:
        if self._waiting:
            self.update(bind, ())

    def rebuild(self, session) -> int:
        """Index every listable service afresh, from what is committed."""
        with self._lock:
            self._waiting = set()
        return rebuild(self.ix, session.get_bind())

    def close(self) -> None:
        for searcher in self._searchers:
            searcher.close()
        self._searchers = []
        self._table = None
        self._segments = {}
        self._local = threading.local()
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    # --- searching --------------------------------------------------------------------

    def searcher(self):
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self.ix.searcher()
            self._searchers.append(searcher)
        elif not searcher.up_to_date():
            # A new searcher, not searcher.refresh(): whoosh's reader re-use can keep
            # the segments a rebuild (mergetype CLEAR) dropped, and show them twice.
            self._searchers.remove(searcher)
            searcher.close()
            searcher = self.ix.searcher()
            self._searchers.append(searcher)
        self._local.searcher = searcher
        return searcher

    def table(self, searcher) -> Table:
        reader = searcher.reader()
        key = reader.generation()
        current = self._table
        if current is not None and current[0] == key:
            return current[1]
        with self._lock:
            current = self._table
            if current is None or current[0] != key:
                current = (key, Table(reader, self._segments))
                self._table = current
        return current[1]

    def stems(self, searcher, words: list[str]) -> list[list[str]]:
        field = searcher.schema["content"]
        found = []
        for word in words:
            stems = list(dict.fromkeys(field.process_text(word, mode="query")))
            if stems:
                found.append(stems)
        return found

    def _run(self, session, query: SearchQuery, words, any_word) -> RunResult:
        searcher = self.searcher()
        table = self.table(searcher)
        stems = self.stems(searcher, words)
        if words and not stems:
            return RunResult(hits=[], total=0, facets={})
        cutoff = confirmed_since(utcnow(), current_app.config["LISTING_HIDE_DAYS"])
        return table.run(searcher, query, stems, any_word, cutoff.timestamp())

    def _vocabulary(self, session, words):
        searcher = self.searcher()
        reader = searcher.reader()
        known, candidates = set(), {}
        for word in words:
            stems = self.stems(searcher, [word])
            if stems and any(reader.doc_frequency("content", stem) for stem in stems[0]):
                known.add(word)
                continue
            near = reader.terms_within("spell_content", word, 2, prefix=1)
            candidates[word] = {term: reader.doc_frequency("spell_content", term)
                                for term in near}
        return known, candidates

    def search(self, session, query: SearchQuery):
        from catalogue.search.indexing import COMMITTED, write_committed

        if session.info.get(COMMITTED):  # committed outside an app context (see indexing)
            write_committed(session)
        self.retry_waiting(session.get_bind())
        return super().search(session, query)
