"""Order operations. They take the session, change state and flush; never commit.

``set_status`` is the one way an order's status changes: it asks the lifecycle
table, moves the order with a conditional UPDATE (so two requests, or two runs of
``flask orders tick``, cannot both make a transition), writes the event row,
releases the money when the transition says so and queues the e-mails.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from catalogue.models import MemberRole, ProviderMember
from marketplace.db import utcnow
from marketplace.mail import email_user
from marketplace.ordering import funding
from marketplace.ordering.lifecycle import (
    FINAL,
    Actor,
    OrderStatus,
    Timer,
    Transition,
    check,
    timed_all,
)
from marketplace.ordering.models import Order, OrderEvent


class StaleOrder(Exception):
    """Someone else changed the order first; nothing was done."""


REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """Like ORD-7KQ2-M9XD: easy to read aloud on the phone (no 0/O, 1/I)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"ORD-{chars[:4]}-{chars[4:]}"


def reply_days() -> int:
    return int(current_app.config.get("ORDER_PROVIDER_REPLY_DAYS", 5))


def record_event(session: Session, order: Order, source: OrderStatus | None,
                 target: OrderStatus, *, actor: Actor, user=None, acting_for=None,
                 reason: str | None = None, now: datetime | None = None,
                 reason_code: str | None = None) -> OrderEvent:
    event = OrderEvent(order=order, from_status=source, to_status=target, actor=actor,
                       user_id=user.id if user is not None else None,
                       acting_for_id=acting_for.id if acting_for is not None else None,
                       reason=(reason or "").strip() or None, at=now or utcnow(),
                       reason_code=reason_code or None)
    session.add(event)
    return event


def set_status(session: Session, order: Order, target: OrderStatus, *, actor: Actor,
               user=None, acting_for=None, reason: str | None = None,
               now: datetime | None = None, reason_code: str | None = None) -> Transition:
    """Move ``order`` to ``target`` if the table allows ``actor`` to; raise
    InvalidTransition / NotAllowed / ReasonRequired (from the table) or StaleOrder."""
    now = now or utcnow()
    source = OrderStatus(order.status)
    transition = check(source, target, actor, reason)
    values = {"status": target, "updated_at": now}
    if reason and reason.strip():
        values["status_reason"] = reason.strip()
    if target is OrderStatus.AWAITING_PROVIDER:
        values["provider_reply_due_at"] = now + timedelta(days=reply_days())
    result = session.execute(
        update(Order).where(Order.id == order.id, Order.status == source).values(**values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        session.expire(order)
        raise StaleOrder(order.id)
    for name, value in values.items():
        set_committed_value(order, name, value)
    record_event(session, order, source, target, actor=actor, user=user,
                 acting_for=acting_for, reason=reason, now=now, reason_code=reason_code)
    if transition.releases_money:
        release_commitment(session, order, why=target.value)
    notify(session, order, target)
    session.flush()
    return transition


def release_commitment(session: Session, order: Order, *, why: str) -> None:
    """Give back what the order still holds on its budget (idempotent on the key)."""
    if order.budget_id is None or order.committed_pence <= 0:
        return
    from marketplace.budgets.models import Budget

    budget = session.get(Budget, order.budget_id)
    amount = order.committed_pence
    funding.release_money(session, budget, amount, stream=order.funding_stream,
                          key=f"order:{order.id}:release:{why}", reference=f"order:{order.id}",
                          provider_id=order.provider_id,
                          description=f"{order.reference} {why}")
    order.committed_pence = 0


# --- who may act on an order ------------------------------------------------------


def is_provider_member(session: Session, order: Order, user) -> bool:
    return session.scalar(select(ProviderMember.id).where(
        ProviderMember.provider_id == order.provider_id,
        ProviderMember.user_id == user.id)) is not None


# --- notifications ----------------------------------------------------------------

SUBJECTS = {
    OrderStatus.AWAITING_APPROVAL: _l("Your order is waiting for the council's approval"),
    OrderStatus.REJECTED: _l("The council did not approve your order"),
    OrderStatus.AWAITING_PROVIDER: _l("Your order has been sent to the provider"),
    OrderStatus.ACCEPTED: _l("Your order has been accepted"),
    OrderStatus.DECLINED: _l("Your order has been declined"),
    OrderStatus.EXPIRED: _l("Your order has expired"),
    OrderStatus.ACTIVE: _l("Your support has started"),
    OrderStatus.PAUSED: _l("Your order has been paused"),
    OrderStatus.COMPLETED: _l("Your order is complete"),
    OrderStatus.CANCELLED: _l("Your order has been cancelled"),
}


def notify(session: Session, order: Order, target: OrderStatus) -> None:
    """E-mail the person (and whoever placed the order for them) about the change,
    and the provider's staff when an order reaches them or is cancelled."""
    subject = SUBJECTS.get(target)
    if subject is not None:
        people = {order.buyer_id: order.buyer, order.placed_by_id: order.placed_by}
        for person in people.values():
            if person is not None:
                email_user(session, person, subject, "ordering/email/status.txt",
                           order=order, status=target)
    if target in (OrderStatus.AWAITING_PROVIDER, OrderStatus.CANCELLED):
        members = session.scalars(select(ProviderMember).where(
            ProviderMember.provider_id == order.provider_id,
            ProviderMember.member_role == MemberRole.OWNER)).all()
        from marketplace.accounts.models import User

        for member in members:
            user = session.get(User, member.user_id)
            email_user(session, user, _l("An order for your organisation has changed"),
                       "ordering/email/provider_status.txt", order=order, status=target)


# --- timed transitions --------------------------------------------------------------


def due_orders(session: Session, timer: Timer, now: datetime, today: date) -> list[int]:
    sources = [t.source for t in timed_all(timer)]
    query = select(Order.id).where(Order.status.in_(sources))
    if timer is Timer.PROVIDER_REPLY_DUE:
        query = query.where(Order.provider_reply_due_at <= now)
    elif timer is Timer.NOTICE_ENDED:
        query = query.where(Order.notice_given_on.is_not(None), Order.ends_on < today)
    ids = list(session.scalars(query.order_by(Order.id)))
    if timer in (Timer.PROVIDER_REPLY_DUE, Timer.NOTICE_ENDED):
        return ids
    chosen = []
    for order_id in ids:
        order = session.get(Order, order_id)
        if timer is Timer.START_DATE_REACHED and order.starts_on <= today and not (
                order.ends_on is not None and order.ends_on < today):
            chosen.append(order_id)
        elif timer is Timer.END_DATE_PASSED and order.notice_given_on is None:
            ends = [line.schedule.last_day for line in order.lines]
            if (order.ends_on is not None and order.ends_on < today) or all(
                    end is not None and end < today for end in ends):
                chosen.append(order_id)
        elif timer is Timer.PAUSE_ENDED:
            pauses = order.pauses
            if pauses and pauses[-1].resumes_on is not None and pauses[-1].resumes_on <= today:
                chosen.append(order_id)
    return chosen


def run_timers(session: Session, *, now: datetime, today: date) -> dict[Timer, int]:
    """Make every timed transition that is due, each in its own transaction (this
    function commits: it is the body of ``flask orders tick``). Safe to run twice at
    once: an order another run has just moved is skipped (StaleOrder)."""
    done: dict[Timer, int] = {}
    for timer in Timer:
        targets = {t.source: t.target for t in timed_all(timer)}
        count = 0
        for order_id in due_orders(session, timer, now, today):
            order = session.get(Order, order_id)
            if order is None or order.status not in targets:
                continue
            try:
                set_status(session, order, targets[order.status], actor=Actor.SYSTEM,
                           now=now)
                session.commit()
                count += 1
            except StaleOrder:
                session.rollback()
        done[timer] = count
    return done


def is_open(order: Order) -> bool:
    return order.status not in FINAL
