"""The search log, for commissioners' market-gap reports: what was looked for and
whether it led anywhere. Never a user id or a full postcode: the words, the
filters (category and language also as columns of their own), the postcode
district, the number of results, the council funding the searcher (if any), the
service opened from the results, whether it was then ordered, and a
``searcher_key``.

The searcher key tells searches by different people apart without saying who
anyone is: an HMAC, keyed with the site's SECRET_KEY, of the id of the person the
search is for (the person a representative acts for, or the signed-in person);
visitors' searches have none (and they are given no cookie for it). Reports count distinct keys
("searched by at least 5 different people"); the same function applied to a
budget holder's id gives the key their searches carry, so people who searched and
people with plans or orders can be counted once. A changed SECRET_KEY starts new keys.

"Ordered": opening a service from the results remembers, in the session, which
search it came from; when an order is placed for it, ``mark_ordered`` marks that
search, and any search by the same person in the last ``ORDER_WINDOW_DAYS`` days
from which they opened it, as having led to an order.

Rows are written with plain INSERT/UPDATE statements, not through the unit of
work, so the audit log (which records who changed which row) never links a
signed-in person to their searches."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g, has_request_context, session
from flask_login import current_user
from sqlalchemy import insert, or_, update
from sqlalchemy.orm import Session

from catalogue.models import SearchEvent
from catalogue.search.text import base_district
from marketplace.db import utcnow

ORDER_WINDOW_DAYS = 30
OPENED_KEY = "searches_opened"    # {service id: [search event ids]}, in the session
MAX_REMEMBERED = 20               # services remembered per session
KEY_LENGTH = 32                   # hex characters kept of the HMAC (128 bits)


def searcher_key(subject: str, secret: str | bytes | None = None) -> str:
    """The keyed hash for ``subject`` ("user:<id>")."""
    secret = secret if secret is not None else current_app.config["SECRET_KEY"]
    if isinstance(secret, str):
        secret = secret.encode()
    digest = hmac.new(secret, b"search-log:" + subject.encode(), hashlib.sha256)
    return digest.hexdigest()[:KEY_LENGTH]


def person_key(user_id: int, secret: str | bytes | None = None) -> str:
    """The searcher key of a person's own searches (and of searches made for them)."""
    return searcher_key(f"user:{user_id}", secret)


home_district = base_district  # the postcode district of where someone lives, or None


@dataclass(frozen=True)
class Searcher:
    key: str | None
    district: str | None  # where they live, for searches without a postcode


def _person():
    """The person this request is for: whom a representative acts for, or the
    signed-in person; None for visitors (and outside requests)."""
    if not has_request_context():
        return None
    acting_for = g.get("acting_for")
    if acting_for is not None:
        return acting_for
    if current_user and current_user.is_authenticated:
        return current_user
    return None


def current_searcher() -> Searcher:
    """The searcher of this request. Visitors who are not signed in get no key and
    no cookie: their searches carry no funding council, so no council's report
    counts them, and a tracking id would need their consent."""
    person = _person()
    if person is None:
        return Searcher(None, None)
    return Searcher(person_key(person.id), home_district(getattr(person, "postcode", None)))


def record_search(session_: Session, query, results, searcher: Searcher | None = None) -> int:
    """Write the log row for one search and return its id (the caller commits).
    ``council_id`` is the searcher's funding council; with several, the lowest id.
    Without a postcode in the search, the district is where the person lives."""
    searcher = searcher or current_searcher()
    return session_.scalar(insert(SearchEvent).values(
        council_id=min(query.funded_by) if query.funded_by else None,
        words=query.words[:200],
        filters=query.filters(),
        district=query.district or searcher.district,
        result_count=results.total,
        searcher_key=searcher.key,
        category=query.category,
        language=query.language,
    ).returning(SearchEvent.id))


def record_opened(session_: Session, search_event_id: int, service_id: int) -> bool:
    """Note that a service was opened from the results of a search (the first one
    opened counts), and, in a request, remember in the session which search it was
    opened from (for ``mark_ordered``). Only flushes; the caller commits. False if
    nothing changed."""
    if _person() is not None:  # visitors get no cookie for this
        _remember(search_event_id, service_id)
    changed = session_.execute(
        update(SearchEvent)
        .where(SearchEvent.id == search_event_id, SearchEvent.opened_service_id.is_(None))
        .values(opened_service_id=service_id)
        .execution_options(synchronize_session=False))
    return bool(changed.rowcount)


def _remember(search_event_id: int, service_id: int) -> None:
    opened = session.get(OPENED_KEY)
    opened = dict(opened) if isinstance(opened, dict) else {}
    ids = [i for i in opened.pop(str(service_id), []) if isinstance(i, int)]
    if search_event_id not in ids:
        ids = (ids + [search_event_id])[-3:]
    opened[str(service_id)] = ids
    while len(opened) > MAX_REMEMBERED:
        opened.pop(next(iter(opened)))
    session[OPENED_KEY] = opened


def mark_ordered(session_: Session, service_ids: Iterable[int], *, key: str,
                 remembered: Iterable[int] = (), now: datetime | None = None) -> int:
    """Mark as "ordered" the searches by ``key`` in the last ORDER_WINDOW_DAYS days
    from which one of ``service_ids`` was opened: the first service opened (kept on
    the row) or any in ``remembered`` (ids of searches this session opened them
    from). Returns how many rows changed. Only flushes; the caller commits."""
    service_ids = sorted(set(service_ids))
    remembered = sorted(set(remembered))
    if not service_ids:
        return 0
    since = (now or utcnow()) - timedelta(days=ORDER_WINDOW_DAYS)
    led_there = SearchEvent.opened_service_id.in_(service_ids)
    if remembered:
        led_there = or_(led_there, SearchEvent.id.in_(remembered))
    changed = session_.execute(
        update(SearchEvent)
        .where(SearchEvent.searcher_key == key, SearchEvent.ordered.is_(False),
               SearchEvent.at >= since, led_there)
        .values(ordered=True)
        .execution_options(synchronize_session=False))
    return changed.rowcount or 0


def note_ordered(session_: Session, service_ids: Iterable[int]) -> int:
    """Called by checkout when orders are placed, in the request that placed them:
    mark the searches that led to these services (``mark_ordered``) for the person
    the orders are for."""
    person = _person()
    if person is None:
        return 0
    service_ids = set(service_ids)
    opened = session.get(OPENED_KEY)
    remembered = []
    if isinstance(opened, dict):
        for service_id in service_ids:
            remembered += [i for i in opened.get(str(service_id), []) if isinstance(i, int)]
    return mark_ordered(session_, service_ids, key=person_key(person.id), remembered=remembered)
