"""Counting how the Community Catalogue is used, for commissioners' take-up report,
without recording who used it.

``count_view`` adds one to a listing's count for the day with a single
INSERT ... ON CONFLICT DO UPDATE statement (SQLite and PostgreSQL both have it), in
the same transaction as the page view, so two servers counting the same listing at
the same moment both count. It is a plain statement, not a change through the unit
of work, so the audit log (which records who changed which row) never links a
signed-in person to what they looked at. Searches for free things are in the
search log (``SearchEvent.filters["free"]``, see ``note_free_search``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from catalogue.models import CommunityListingViews, SearchEvent

_INSERTS = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def count_view(session: Session, listing_id: int, day: date) -> None:
    """One more view of the listing on ``day`` (only flushes; the caller commits)."""
    dialect = session.get_bind().dialect.name
    insert = _INSERTS.get(dialect)
    if insert is None:  # pragma: no cover - the site runs on SQLite or PostgreSQL only
        raise RuntimeError(f"counting views needs SQLite or PostgreSQL, not {dialect}")
    table = CommunityListingViews.__table__
    statement = insert(table).values(listing_id=listing_id, day=day, views=1)
    session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.listing_id, table.c.day],
        set_={"views": table.c.views + 1}))


def note_free_search(session: Session, search_event_id: int) -> None:
    """Mark a logged search as one for free community listings only (``free=yes``),
    keeping the other filters it was logged with. Only flushes."""
    logged = session.scalar(select(SearchEvent.filters).where(SearchEvent.id == search_event_id))
    if logged is None:
        return
    session.execute(update(SearchEvent).where(SearchEvent.id == search_event_id)
                    .values(filters={**logged, "free": True})
                    .execution_options(synchronize_session=False))


def viewed_by_outsider(listing) -> bool:
    """True unless the person looking organises the listing's group (organisers
    checking their own page are not use of the catalogue)."""
    from flask_login import current_user

    if not current_user.is_authenticated:
        return True
    return all(o.user_id != current_user.id for o in listing.organisation.organisers)
