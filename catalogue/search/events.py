"""The search log, for commissioners' market-gap reports: what was looked for and
whether it led anywhere. Never a user id or a full postcode: the words, the
filters, the postcode district, the number of results, the council funding the
searcher (if any), and later the service opened from the results.

Rows are written with plain INSERT/UPDATE statements, not through the unit of
work, so the audit log (which records who changed which row) never links a
signed-in person to their searches."""

from __future__ import annotations

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from catalogue.models import SearchEvent


def record_search(session: Session, query, results) -> int:
    """Write the log row for one search and return its id (the caller commits).
    ``council_id`` is the searcher's funding council; with several, the lowest id."""
    return session.scalar(insert(SearchEvent).values(
        council_id=min(query.funded_by) if query.funded_by else None,
        words=query.words[:200],
        filters=query.filters(),
        district=query.district,
        result_count=results.total,
    ).returning(SearchEvent.id))


def record_opened(session: Session, search_event_id: int, service_id: int) -> bool:
    """Note that a service was opened from the results of a search (the first one
    opened counts). Only flushes; the caller commits. False if nothing changed."""
    changed = session.execute(
        update(SearchEvent)
        .where(SearchEvent.id == search_event_id, SearchEvent.opened_service_id.is_(None))
        .values(opened_service_id=service_id)
        .execution_options(synchronize_session=False))
    return bool(changed.rowcount)
