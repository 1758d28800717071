"""The demo history's orders and visits, made as people, providers and officers make
them: the basket and checkout (``marketplace.ordering.demo._place``, which sets the
money aside on the budget's ledger), ``set_status`` for every answer, approval,
cancellation and ending, and the visits (below). Each step runs "as of" the day it
happened (``TODAY_OVERRIDE``), so the ledger dates its movements then.

The visits are written in one batch with exactly the fields
``deliveries.services.record_visit`` gives (units by ``deliveries.rules.
units_delivered``, the line's price), most already confirmed by the person, and the
order made active at its first visit as ``record_visit`` does: a visit moves no
money, and recording thousands one by one would make the seed too slow. Invoicing
then bills them through the real invoice run (``marketplace.reports.demo_money``).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert

from catalogue.models import Service, Unit
from marketplace.accounts.models import User
from marketplace.ordering.deliveries import rules
from marketplace.ordering.deliveries.demo import WORKERS, _answerer, _visit_end
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus
from marketplace.ordering.demo import _approve_if_needed, _place
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.models import Order
from marketplace.ordering.services import set_status
from marketplace.ratings.rules import Viewer
from marketplace.ratings.services import NotEligible, RatingInput, rate
from marketplace.reports.demo_attempts import Attempt
from marketplace.reports.demo_budgets import as_of, at

UNANSWERED_DAYS = 4   # the last few days' visits are not confirmed yet
MISSED_REASON = "The carer was ill and no one could cover the visit."
FINISHED_DAYS = 45    # orders whose last visit is older than this are completed


def place_orders(session, attempts: list[Attempt], officer) -> int:
    """Place every attempt, in the order they happened, and give each its answer."""
    placed = 0
    ordered = sorted(attempts, key=lambda a: (a.placed_on, a.period.person.number))
    for number, attempt in enumerate(ordered):
        person = session.get(User, attempt.period.person.user_id)
        service = session.get(Service, attempt.offer.service_id)
        # A checkout the ledger refuses (not enough money left) is rolled back, as the
        # checkout page's request would be: nothing of it may stay.
        savepoint = session.begin_nested()
        with as_of(attempt.placed_on):
            order = _place(session, person, person, service, attempt.schedule,
                           attempt.placed_on, key=f"history-{number:05d}")
        if order is None:
            savepoint.rollback()
            attempt.outcome = "not placed"
            continue
        savepoint.commit()
        placed += 1
        attempt.order_id = order.id
        _approve_if_needed(session, order, officer, attempt.placed_on, keep=False)
        _answer(session, attempt, order, person)
    return placed


def _answer(session, attempt: Attempt, order: Order, person) -> None:
    day = attempt.answered_on
    if day is None or attempt.outcome == "not placed":
        return  # still waiting for the provider
    provider = _answerer(session, order)
    with as_of(day):
        if attempt.outcome == "declined":
            set_status(session, order, OrderStatus.DECLINED, actor=Actor.PROVIDER,
                       user=provider, reason=attempt.reason, reason_code=attempt.code.value,
                       now=at(day, 14))
            return
        if attempt.outcome == "expired":
            set_status(session, order, OrderStatus.EXPIRED, actor=Actor.SYSTEM,
                       now=at(day, 6))
            return
        set_status(session, order, OrderStatus.ACCEPTED, actor=Actor.PROVIDER, user=provider,
                   now=at(day, 14))
    if attempt.outcome == "withdrawn":
        later = day + timedelta(days=2)
        with as_of(later):
            set_status(session, order, OrderStatus.CANCELLED, actor=Actor.BUYER, user=person,
                       reason=attempt.reason, reason_code=attempt.code.value,
                       now=at(later, 11))


def record_visits(session, attempts: list[Attempt], today: date) -> int:
    """Every visit of every accepted order up to yesterday, in one batch (see the
    module notes); each order becomes active with its first visit, as
    ``record_visit`` makes it, through ``set_status``."""
    rows, answerers = [], {}
    for number, attempt in enumerate(attempts):
        days = attempt.visits(today) if attempt.order_id else []
        if not days:
            continue
        order = session.get(Order, attempt.order_id)
        line = order.lines[0]
        if order.provider_id not in answerers:
            answerers[order.provider_id] = _answerer(session, order)
        recorder = answerers[order.provider_id]
        start = line.schedule.start_time
        end = _visit_end(line, start)
        worker = WORKERS[number % len(WORKERS)]
        units = rules.units_delivered(start, end, hourly=line.unit is Unit.HOUR,
                                      ordered_hundredths=line.quantity_hundredths)
        for index, day in enumerate(days):
            missed = index and (number + index) % 53 == 0
            row = dict(order_id=order.id, order_line_id=line.id, provider_id=order.provider_id,
                       occurred_on=day, starts_at=None if missed else start,
                       ends_at=None if missed else end, units_hundredths=0 if missed else units,
                       unit_price_pence=line.unit_price_pence,
                       worker_first_name=None if missed else worker,
                       status=DeliveryStatus.MISSED if missed else DeliveryStatus.RECORDED,
                       missed_reason=MISSED_REASON if missed else None,
                       recorded_by_id=recorder.id, recorded_at=at(day, 18),
                       answered_by_id=None, answered_at=None)
            if not missed and day <= today - timedelta(days=UNANSWERED_DAYS):
                row.update(status=DeliveryStatus.CONFIRMED, answered_by_id=order.buyer_id,
                           answered_at=at(day + timedelta(days=1), 12))
            rows.append(row)
        set_status(session, order, OrderStatus.ACTIVE, actor=Actor.PROVIDER, user=recorder,
                   now=at(days[0], 18))
    for chunk in range(0, len(rows), 5000):
        session.execute(insert(DeliveryRecord), rows[chunk:chunk + 5000])
    session.flush()
    return len(rows)


def finish_orders(session, attempts: list[Attempt], today: date) -> int:
    """After the invoices: the orders the person stopped (the Urdu-speaking people's
    PAs) are cancelled, and those whose last visit is long past are completed; each
    gives back what it still has set aside, dated when it happened."""
    finished = 0
    for attempt in attempts:
        if not attempt.order_id or attempt.outcome != "accepted":
            continue
        order = session.get(Order, attempt.order_id)
        if order.status is not OrderStatus.ACTIVE:
            continue
        person = session.get(User, order.buyer_id)
        if attempt.stop_on is not None:
            with as_of(attempt.stop_on):
                set_status(session, order, OrderStatus.CANCELLED, actor=Actor.BUYER,
                           user=person, reason=attempt.reason,
                           reason_code=attempt.code.value, now=at(attempt.stop_on, 10))
            finished += 1
            continue
        last = attempt.schedule.last_day
        if last is not None and last < today - timedelta(days=FINISHED_DAYS):
            with as_of(last + timedelta(days=1)):
                set_status(session, order, OrderStatus.COMPLETED, actor=Actor.SYSTEM,
                           now=at(last + timedelta(days=1), 6))
            finished += 1
    return finished


STARS = {"short-breaks": (5, 5, 4), "personal-assistant": (5, 4, 4),
         "personal-care": (4, 3, 5, 4, 2)}


def rate_some(session, rng, attempts: list[Attempt], today: date) -> int:
    """About half of the people whose support went ahead rate it (stars only, as most
    do: no review text to moderate), through ``ratings.services.rate``, a week or so
    after their last visit so far."""
    made, done = 0, set()
    for attempt in attempts:
        visits = attempt.visits(today) if attempt.order_id else []
        key = (attempt.period.person.user_id, attempt.offer.service_id)
        if len(visits) < 4 or key in done or rng.random() < .5:
            continue
        done.add(key)
        buyer = session.get(User, key[0])
        stars = rng.choice(STARS.get(attempt.offer.top, (5, 4, 4, 3)))
        try:
            rating = rate(session, viewer=Viewer(buyer.id),
                          service=session.get(Service, attempt.offer.service_id),
                          given=RatingInput(stars=stars, on_time=max(1, stars - rng.randint(0, 1)),
                                            kindness=stars), rated_by=buyer)
        except NotEligible:
            continue
        when = at(min(visits[-1] + timedelta(days=rng.randint(2, 12)),
                      today - timedelta(days=1)), 19)
        rating.created_at = rating.updated_at = when
        for version in rating.versions:
            version.created_at = when
        made += 1
    session.flush()
    return made
