"""Delivery operations: record a visit, mark one missed, confirm, dispute and close a
dispute; what invoicing may bill; and the time from an order to its first visit.

They take the session, flush and never commit (the view commits once). Recording the
first visit of an accepted order makes it active through the ordering package's one
guarded status change (``ordering.services.set_status``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalogue.models import Unit
from marketplace.db import utcnow
from marketplace.ordering.deliveries import rules
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus, DisputeOutcome
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.messages import notifications
from marketplace.ordering.messages.models import NoticeKind
from marketplace.ordering.models import Order, OrderLine
from marketplace.ordering.services import set_status

# Orders a provider may record visits against.
RECORDABLE = (OrderStatus.ACCEPTED, OrderStatus.ACTIVE)


class DeliveryProblem(Exception):
    """The record cannot be made; ``problems`` say why (``rules.Problem``)."""

    def __init__(self, *problems: rules.Problem):
        super().__init__(", ".join(p.value for p in problems))
        self.problems = list(problems)


class OrderNotOpen(Exception):
    """The order is not accepted or active: nothing can be recorded against it."""


class NotAnswerable(Exception):
    """The record is not waiting for this answer (already answered, missed, closed)."""


def recorded_dates(session: Session, line_id: int) -> set[date]:
    return set(session.scalars(select(DeliveryRecord.occurred_on)
                               .where(DeliveryRecord.order_line_id == line_id)))


def _line_of(order: Order, line_id: int) -> OrderLine:
    line = next((line for line in order.lines if line.id == line_id), None)
    if line is None:
        raise LookupError(line_id)
    return line


def _insert(session: Session, record: DeliveryRecord) -> None:
    """Add the record; a duplicate occurrence (a race, or a second click) is refused
    by the unique key and reported as already recorded, leaving nothing behind."""
    try:
        with session.begin_nested():
            session.add(record)
            session.flush()
    except IntegrityError as exc:
        raise DeliveryProblem(rules.Problem.ALREADY_RECORDED) from exc


def record_visit(session: Session, order: Order, line_id: int, *, on: date, starts_at: time,
                 ends_at: time, worker_first_name: str, notes: str | None, user, today: date,
                 now: time | None = None) -> DeliveryRecord:
    if order.status not in RECORDABLE:
        raise OrderNotOpen(order.id)
    line = _line_of(order, line_id)
    hourly = line.unit is Unit.HOUR
    problems = rules.check_visit(line.schedule, on=on, starts_at=starts_at, ends_at=ends_at,
                                 today=today, recorded=recorded_dates(session, line.id),
                                 now=now, hourly=hourly)
    if problems:
        raise DeliveryProblem(*problems)
    record = DeliveryRecord(
        order_id=order.id, order_line_id=line.id, provider_id=order.provider_id,
        occurred_on=on, starts_at=starts_at, ends_at=ends_at,
        units_hundredths=rules.units_delivered(starts_at, ends_at, hourly=hourly,
                                               ordered_hundredths=line.quantity_hundredths),
        unit_price_pence=line.unit_price_pence, worker_first_name=worker_first_name.strip(),
        notes=(notes or "").strip() or None, status=DeliveryStatus.RECORDED,
        recorded_by_id=user.id)
    _insert(session, record)
    if order.status is OrderStatus.ACCEPTED:
        set_status(session, order, OrderStatus.ACTIVE, actor=Actor.PROVIDER, user=user)
    notifications.for_person(session, order.buyer_id, NoticeKind.DELIVERY_RECORDED,
                             order=order, delivery=record, detail=line.service_name[:200])
    session.flush()
    return record


def mark_missed(session: Session, order: Order, line_id: int, *, on: date, reason: str, user,
                today: date) -> DeliveryRecord:
    if order.status not in RECORDABLE:
        raise OrderNotOpen(order.id)
    line = _line_of(order, line_id)
    problems = rules.check_missed(line.schedule, on=on, today=today,
                                  recorded=recorded_dates(session, line.id))
    if problems:
        raise DeliveryProblem(*problems)
    record = DeliveryRecord(
        order_id=order.id, order_line_id=line.id, provider_id=order.provider_id,
        occurred_on=on, units_hundredths=0, unit_price_pence=line.unit_price_pence,
        status=DeliveryStatus.MISSED, missed_reason=reason.strip(), recorded_by_id=user.id)
    _insert(session, record)
    return record


def confirm(session: Session, record: DeliveryRecord, *, user) -> None:
    if record.status is not DeliveryStatus.RECORDED:
        raise NotAnswerable(record.id)
    record.status = DeliveryStatus.CONFIRMED
    record.answered_by_id, record.answered_at = user.id, utcnow()
    session.flush()


def dispute(session: Session, record: DeliveryRecord, *, reason: str, user) -> None:
    """The buyer says the visit did not happen as recorded: it goes to the provider's
    and the council's queues, and the provider hears of it (dashboard and e-mail)."""
    if record.status is not DeliveryStatus.RECORDED:
        raise NotAnswerable(record.id)
    record.status = DeliveryStatus.DISPUTED
    record.dispute_reason = reason.strip()
    record.answered_by_id, record.answered_at = user.id, utcnow()
    notifications.for_provider(session, record.provider_id, NoticeKind.DELIVERY_DISPUTED,
                               order_id=record.order_id, delivery=record,
                               detail=record.line.service_name[:200])
    notifications.email_provider(session, record.provider_id,
                                 notifications.SUBJECTS["disputed"],
                                 "ordering/deliveries/email/disputed.txt", record=record)
    session.flush()


def resolve(session: Session, record: DeliveryRecord, *, outcome: DisputeOutcome, note: str,
            user) -> None:
    """Close a dispute (the provider, or a council officer) with a note the buyer sees."""
    if record.status is not DeliveryStatus.DISPUTED:
        raise NotAnswerable(record.id)
    record.status = DeliveryStatus.RESOLVED
    record.outcome = outcome
    record.resolution = note.strip()
    record.resolved_by_id, record.resolved_at = user.id, utcnow()
    order = record.order
    notifications.for_person(session, order.buyer_id, NoticeKind.DISPUTE_CLOSED,
                             order=order, delivery=record, detail=record.line.service_name[:200])
    notifications.email_people(session, [order.buyer, order.placed_by],
                               notifications.SUBJECTS["closed"],
                               "ordering/deliveries/email/closed.txt", record=record)
    session.flush()


# --- for invoicing and for the commissioners' reports ---------------------------------

def billable_records(session: Session, provider_id: int, start: date,
                     end: date) -> list[DeliveryRecord]:
    """The provider's delivered, undisputed records from ``start`` to ``end`` (both
    included): recorded or confirmed, or a dispute closed with the record standing."""
    return list(session.scalars(select(DeliveryRecord).where(
        DeliveryRecord.provider_id == provider_id,
        DeliveryRecord.occurred_on.between(start, end),
        (DeliveryRecord.status.in_([DeliveryStatus.RECORDED, DeliveryStatus.CONFIRMED]))
        | ((DeliveryRecord.status == DeliveryStatus.RESOLVED)
           & (DeliveryRecord.outcome == DisputeOutcome.STANDS)))
        .order_by(DeliveryRecord.occurred_on, DeliveryRecord.starts_at, DeliveryRecord.id)))


@dataclass(frozen=True)
class FirstDelivery:
    order_id: int
    provider_id: int
    council_id: int | None
    submitted_at: datetime
    first_visit_on: date

    @property
    def days(self) -> int:
        """Whole days from submitting the order to the first visit delivered."""
        return (self.first_visit_on - self.submitted_at.date()).days


def first_deliveries(session: Session, *, council_id: int | None = None,
                     since: date | None = None, until: date | None = None
                     ) -> list[FirstDelivery]:
    """For every order with a delivered visit: when it was submitted and when its
    first visit happened (a query, not a stored column: it is always exact, and a
    first visit recorded late still counts on the day it happened). Missed visits do
    not count. ``since``/``until`` filter on the submission date."""
    first = (select(DeliveryRecord.order_id,
                    func.min(DeliveryRecord.occurred_on).label("first_on"))
             .where(DeliveryRecord.status != DeliveryStatus.MISSED)
             .group_by(DeliveryRecord.order_id).subquery())
    query = (select(Order.id, Order.provider_id, Order.council_id, Order.created_at,
                    first.c.first_on).join(first, first.c.order_id == Order.id)
             .order_by(Order.id))
    if council_id is not None:
        query = query.where(Order.council_id == council_id)
    rows = [FirstDelivery(*row) for row in session.execute(query)]
    return [r for r in rows if (since is None or r.submitted_at.date() >= since)
            and (until is None or r.submitted_at.date() <= until)]
