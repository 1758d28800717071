"""Community listings in search: the same words, category, weekday and postcode as
the paid catalogue's search, plus a "free" filter.

Both back ends only *match words*: ``whoosh`` in an index of its own (in
``SEARCH_INDEX_DIR`` + "-community", kept up to date after every commit that
changes a listing, its organisation, places or schedules; rebuilt from the
database when it is new, or by ``flask community reindex``), and ``postgres``
with full-text search in the database (``to_tsvector('english', search_text)``,
computed per query: the Community Catalogue is small next to the paid one).
Which listings are public, and every filter and the order, are decided here the
same way for both: public listings only (``catalogue.community.access``), then
category, free, weekday (a date on that weekday within the next four weeks) and
distance from the postcode's district; ordered by score, then distance, then
name and id.

The words are ``catalogue.search.text.tokens`` of the query; when the paid
search corrected a misspelling ("did you mean"), the view passes the corrected
words here too. When no listing matches every word, listings matching any of
them are returned (``any_word``).
"""

from __future__ import annotations

import logging
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app, has_app_context
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, selectinload
from whoosh import fields, index, query, writing

from catalogue.geo import Place
from catalogue.models import (
    CommunityListing,
    CommunityListingLocation,
    CommunityLocation,
    CommunityOrganisation,
    CommunitySchedule,
)
from catalogue.search.text import tokens

log = logging.getLogger(__name__)
PER_PAGE = 20
DAY_WINDOW = 28  # "on a Tuesday" means a Tuesday within the next four weeks
PENDING = "community_search_pending"
COMMITTED = "community_search_committed"


@dataclass(frozen=True)
class CommunityQuery:
    words: str = ""
    category: str | None = None
    categories: frozenset[str] | None = None  # a top-level category: any of these slugs
    free_only: bool = False
    weekday: int | None = None
    origin: Place | None = None
    within_km: float | None = None
    page: int = 1
    per_page: int = PER_PAGE
    today: date | None = None


@dataclass
class CommunityHit:
    listing_id: int
    score: float
    distance_km: float | None = None


@dataclass
class CommunityResults:
    hits: list[CommunityHit] = field(default_factory=list)
    total: int = 0
    any_word: bool = False


# --- the shared part -----------------------------------------------------------------

class CommunitySearch(ABC):
    name = "base"

    @abstractmethod
    def match(self, session, words: list[str], any_word: bool) -> dict[int, float]:
        """{listing id: score} of the listings matching the words (all, or any)."""

    def search(self, session, q: CommunityQuery) -> CommunityResults:
        from catalogue.community.access import public_listings

        words = tokens(q.words)
        if q.words and not words:
            return CommunityResults()
        listings = self._candidates(session, public_listings(), q)
        scores, any_word = None, False
        if words:
            scores = self.match(session, words, any_word=False)
            if not (scores.keys() & listings.keys()) and len(words) > 1:
                scores, any_word = self.match(session, words, any_word=True), True
        hits = []
        for listing in listings.values():
            if scores is not None and listing.id not in scores:
                continue
            distance = None
            if q.origin is not None:
                from catalogue.community.public import nearest_km

                distance = nearest_km(listing, q.origin)
                if q.within_km is not None and (distance is None or distance > q.within_km):
                    continue
            if q.weekday is not None and not _happens_on(listing, q.weekday, q.today):
                continue
            hits.append((listing, CommunityHit(listing.id, (scores or {}).get(listing.id, 0.0),
                                               distance)))
        hits.sort(key=lambda pair: (-round(pair[1].score, 6),
                                    pair[1].distance_km if pair[1].distance_km is not None
                                    else float("inf"), pair[0].name.lower(), pair[0].id))
        start = (q.page - 1) * q.per_page
        return CommunityResults(hits=[hit for _l, hit in hits[start:start + q.per_page]],
                                total=len(hits), any_word=any_word and bool(hits))

    @staticmethod
    def _candidates(session, statement, q: CommunityQuery) -> dict[int, CommunityListing]:
        if q.category:
            statement = statement.where(CommunityListing.category == q.category)
        elif q.categories:
            statement = statement.where(CommunityListing.category.in_(sorted(q.categories)))
        if q.free_only:
            statement = statement.where(CommunityListing.cost_pence.is_(None))
        rows = session.scalars(statement.options(
            selectinload(CommunityListing.schedules),
            selectinload(CommunityListing.locations)
            .selectinload(CommunityListingLocation.location))).all()
        return {listing.id: listing for listing in rows}

    def update(self, bind, listing_ids) -> None:  # noqa: B027 - only whoosh keeps an index
        """Bring these listings' index entries up to date (whoosh only)."""

    def rebuild(self, session) -> int:
        return 0


def _happens_on(listing: CommunityListing, weekday: int, today: date | None) -> bool:
    from catalogue.community.schedules import listing_occurrences

    start = today or date.today()
    return any(o.on.weekday() == weekday for o in
               listing_occurrences(listing.schedules, start, start + timedelta(days=DAY_WINDOW)))


# --- PostgreSQL ------------------------------------------------------------------------

class PostgresCommunitySearch(CommunitySearch):
    name = "postgres"

    def match(self, session, words, any_word):
        joiner = " || " if any_word else " && "
        tsquery = joiner.join(f"plainto_tsquery('english', :w{i})" for i in range(len(words)))
        params = {f"w{i}": word for i, word in enumerate(words)}
        rows = session.execute(text(
            f"SELECT id, ts_rank(to_tsvector('english', search_text), q) FROM "  # noqa: S608
            f"community_listings, ({'SELECT ' + tsquery}) AS t(q) "
            "WHERE to_tsvector('english', search_text) @@ q"), params).all()
        return {row[0]: float(row[1]) for row in rows}


# --- whoosh ----------------------------------------------------------------------------

def _schema() -> fields.Schema:
    from whoosh.analysis import StemmingAnalyzer

    return fields.Schema(id=fields.NUMERIC(int, bits=64, stored=True, unique=True,
                                           signed=False),
                         content=fields.TEXT(analyzer=StemmingAnalyzer()))


class WhooshCommunitySearch(CommunitySearch):
    name = "whoosh"

    def __init__(self, directory: str):
        self.directory = directory
        self._index = None

    def _ix(self, bind) -> index.Index:
        if self._index is None:
            os.makedirs(self.directory, exist_ok=True)
            if index.exists_in(self.directory):
                self._index = index.open_dir(self.directory)
            else:
                self._index = index.create_in(self.directory, _schema())
                self._rebuild(bind)
        return self._index

    def match(self, session, words, any_word):
        write_pending(session)
        ix = self._ix(session.get_bind())
        analyser = ix.schema["content"].analyzer
        terms = []
        for word in words:
            stems = [token.text for token in analyser(word)]
            if stems:
                terms.append(query.Term("content", stems[0]))
        if not terms:
            return {}
        combined = query.Or(terms) if any_word else query.And(terms)
        with ix.searcher() as searcher:
            return {hit["id"]: float(hit.score) for hit in searcher.search(combined, limit=None)}

    def update(self, bind, listing_ids) -> None:
        ids = sorted(set(listing_ids))
        if not ids:
            return
        ix = self._ix(bind)
        writer = ix.writer(timeout=2.0)
        try:
            with Session(bind=bind, join_transaction_mode="create_savepoint") as reader:
                found = dict(reader.execute(select(CommunityListing.id,
                                                   CommunityListing.search_text)
                                            .where(CommunityListing.id.in_(ids))).all())
                for listing_id in ids:
                    if listing_id in found:
                        writer.update_document(id=listing_id, content=found[listing_id])
                    else:
                        writer.delete_by_term("id", listing_id)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def _rebuild(self, bind) -> int:
        writer = self._index.writer(timeout=60.0)
        count = 0
        try:
            with Session(bind=bind, join_transaction_mode="create_savepoint") as reader:
                for listing_id, words in reader.execute(select(
                        CommunityListing.id, CommunityListing.search_text)
                        .order_by(CommunityListing.id)):
                    writer.add_document(id=listing_id, content=words)
                    count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=writing.CLEAR)
        return count

    def rebuild(self, session) -> int:
        self._ix(session.get_bind())
        return self._rebuild(session.get_bind())

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


def community_search(app) -> CommunitySearch:
    """The community back end that goes with ``SEARCH_BACKEND``."""
    name = (app.config.get("SEARCH_BACKEND") or "whoosh").strip().lower()
    backends = app.extensions.setdefault("community_search", {})
    if name == "postgres":
        return backends.setdefault("postgres", PostgresCommunitySearch())
    directory = app.config["SEARCH_INDEX_DIR"].rstrip("/\\") + "-community"
    current = backends.get("whoosh")
    if current is None or current.directory != directory:
        if current is not None:
            current.close()
        backends["whoosh"] = current = WhooshCommunitySearch(directory)
    return current


# --- keeping the whoosh index true -------------------------------------------------

def _listing_ids(obj) -> set[int]:
    if isinstance(obj, CommunityListing):
        return {obj.id}
    if isinstance(obj, CommunitySchedule | CommunityListingLocation):
        return {obj.listing_id}
    if isinstance(obj, CommunityOrganisation):
        return {listing.id for listing in obj.listings}
    if isinstance(obj, CommunityLocation):
        return {link.listing_id for link in obj.listing_links}
    return set()


@event.listens_for(Session, "after_flush")
def _note_changes(session, _context) -> None:
    found: set[int] = set()
    with session.no_autoflush:
        for obj in [*session.new, *session.dirty]:
            found |= _listing_ids(obj)
        for obj in session.deleted:  # a deleted organisation or place deletes its rows too
            if isinstance(obj, CommunityListing | CommunitySchedule | CommunityListingLocation):
                found |= _listing_ids(obj)
    found.discard(None)
    if found:
        session.info.setdefault(PENDING, set()).update(found)


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    if session.in_nested_transaction():  # a savepoint was released: wait for the real commit
        return
    pending = session.info.pop(PENDING, None)
    if pending:
        session.info.setdefault(COMMITTED, set()).update(pending)
    if session.info.get(COMMITTED) and has_app_context():
        try:
            write_pending(session)
        except Exception:  # noqa: BLE001 - the commit stands; the next search retries
            log.exception("could not update the community search index; will retry")


@event.listens_for(Session, "after_rollback")
def _after_rollback(session) -> None:
    if session.in_nested_transaction():  # only a savepoint: the outer changes stand
        return
    session.info.pop(PENDING, None)


def write_pending(session) -> None:
    committed = session.info.get(COMMITTED)
    if not committed:
        return
    backend = community_search(current_app)
    if isinstance(backend, WhooshCommunitySearch):
        backend.update(session.get_bind(), committed)
    session.info.pop(COMMITTED, None)


__all__ = ["CommunityHit", "CommunityQuery", "CommunityResults", "community_search",
           "write_pending"]
