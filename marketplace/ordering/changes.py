"""Changes to an order once placed (issue 6, point 5): a new weekly pattern from a date
(the provider confirms it), pause and resume, cancelling with the provider's notice,
and moving to another provider without a gap.

The money rule, for every change: an order's commitment on the budget holds the cost
of its visits as the order now stands, from its start to the end of the budget period
(or of the order), leaving out paused days and anything after the order ends. Each
change works out that cost before and after, and moves exactly the difference on the
ledger (``commit`` when it grows, ``release`` when it shrinks), with an idempotency
key made from the change. Nothing before the change date moves, so money for visits
already delivered stays set aside for their invoice (invoicing settles it).

Services: they take the session, flush and never commit. Status changes go through
``services.set_status`` (the lifecycle table); changes that keep the status write an
``OrderEvent`` of their own kind.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue import browse
from catalogue.models import MemberRole, ProviderMember, Service
from catalogue.taxonomy import FundingStream
from marketplace.budgets.models import Budget
from marketplace.db import utcnow
from marketplace.mail import email_user
from marketplace.ordering import funding
from marketplace.ordering.change_models import ChangeStatus, OrderChange, OrderPause
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.models import EventKind, Order, OrderLine, PaymentMethod
from marketplace.ordering.rules import approval_reasons
from marketplace.ordering.schedule import (
    Schedule,
    ScheduleKind,
    cost_of_lines,
    weekly_cost_pence,
)
from marketplace.ordering.services import new_reference, record_event, set_status

# Orders that can still be changed, paused, given notice or moved.
CHANGEABLE = (OrderStatus.ACCEPTED, OrderStatus.ACTIVE, OrderStatus.PAUSED)
# A card order with no end date is priced for its first four weeks (as at checkout).
CARD_HORIZON_DAYS = 27


class ChangeProblem(Exception):
    """The change cannot be made; ``messages`` say why (safe to show)."""

    def __init__(self, *messages, field: str | None = None):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)
        self.field = field  # the form field the first message is about, if any


def _day(day: date) -> str:
    return format_date(day, "d MMMM yyyy")


# --- the cost of an order as it now stands -------------------------------------------

def budget_of(session: Session, order: Order) -> Budget | None:
    return session.get(Budget, order.budget_id) if order.budget_id else None


def horizon_of(session: Session, order: Order) -> date:
    """The last day an order's money covers: the budget period's end, or for a card
    order its last day (its first four weeks if it has no end)."""
    budget = budget_of(session, order)
    if budget is not None:
        return budget.period_ends_on
    ends = [line.schedule.last_day for line in order.lines]
    if all(end is not None for end in ends):
        return max(ends)
    start = min(line.starts_on for line in order.lines)
    return max([start + timedelta(days=CARD_HORIZON_DAYS)] + [e for e in ends if e])


def pauses_of(order: Order) -> list[tuple[date, date | None]]:
    return [(pause.starts_on, pause.last_day) for pause in order.pauses]


def line_cost(order: Order, line: OrderLine, horizon: date, first: date | None = None) -> int:
    last = min(horizon, order.ends_on) if order.ends_on else horizon
    return cost_of_lines([(line.schedule, line.unit_price_pence)], first or line.starts_on,
                         last, excluded=pauses_of(order))


def order_cost(order: Order, horizon: date, first: date | None = None) -> int:
    """What the order's visits cost from ``first`` (default: its start) to ``horizon``,
    as the order now stands (changed lines, pauses, an early end)."""
    return sum(line_cost(order, line, horizon, first) for line in order.lines)


def budget_share(order: Order, total: int) -> int:
    if order.payment_method is PaymentMethod.CARD or order.budget_id is None:
        return 0
    return max(0, total - order.contribution_pence)


def _recompute(session: Session, order: Order, today: date) -> int:
    """Store each line's and the order's total as it now stands; return the total."""
    horizon = horizon_of(session, order)
    for line in order.lines:
        line.total_pence = line_cost(order, line, horizon)
    order.total_pence = sum(line.total_pence for line in order.lines)
    running = [line.weekly_pence for line in order.lines if line.weekly_pence is not None
               and (line.ends_on is None or line.ends_on >= today)]
    order.weekly_pence = sum(running) if running else order.weekly_pence
    return order.total_pence


def _move_money(session: Session, order: Order, before_total: int, *, key: str, user,
                today: date, why: str) -> int:
    """Set aside or release the difference the change made to the order's budget
    share; returns it (positive: set aside). Refused with ChangeProblem when the
    budget cannot cover an increase."""
    after_total = _recompute(session, order, today)
    delta = budget_share(order, after_total) - budget_share(order, before_total)
    budget = budget_of(session, order)
    if budget is None or delta == 0:
        return 0
    reference = f"order:{order.id}"
    if delta > 0:
        try:
            funding.commit_money(session, budget, delta, stream=order.funding_stream,
                                 key=f"{key}:commit", reference=reference,
                                 provider_id=order.provider_id,
                                 category=order.lines[0].category if order.lines else None,
                                 description=f"{order.reference} {why}", actor=user)
        except funding.NotEnoughMoney as exc:
            raise ChangeProblem(_l(
                "There is not enough money left in %(budget)s for this change: it needs "
                "%(amount)s more. Ask for fewer hours, or a later date.",
                budget=budget.name, amount=_money(delta)), exc.message,
                field="quantity") from exc
    else:
        from marketplace.ledger import services as ledger

        amount = min(-delta, ledger.committed_for(session, budget, reference,
                                                  FundingStream(order.funding_stream)))
        delta = -amount
        funding.release_money(session, budget, amount, stream=order.funding_stream,
                              key=f"{key}:release", reference=reference,
                              provider_id=order.provider_id,
                              description=f"{order.reference} {why}", actor=user)
    order.committed_pence = max(0, order.committed_pence + delta)
    session.flush()
    return delta


def _money(pence: int) -> str:
    from marketplace.money import format_pence

    return format_pence(pence)


def _note(session: Session, order: Order, kind: EventKind, *, actor: Actor, user=None,
          acting_for=None, reason: str | None = None) -> None:
    status = OrderStatus(order.status)
    event = record_event(session, order, status, status, actor=actor, user=user,
                         acting_for=acting_for, reason=reason)
    event.kind = kind


def _require_changeable(order: Order) -> None:
    if order.status not in CHANGEABLE:
        raise ChangeProblem(_l("Only an order the provider has accepted can be changed. "
                               "Cancel it and order again instead."))
    if order.notice_given_on is not None or (order.ends_on is not None):
        raise ChangeProblem(_l("This order is ending on %(date)s, so it can no longer be "
                               "changed.", date=_day(order.ends_on or order.notice_given_on)))


def _owners(session: Session, order: Order):
    from marketplace.accounts.models import User

    for member in session.scalars(select(ProviderMember).where(
            ProviderMember.provider_id == order.provider_id,
            ProviderMember.member_role == MemberRole.OWNER)):
        yield session.get(User, member.user_id)


def _tell(session: Session, order: Order, subject, message, *, provider: bool) -> None:
    """E-mail the person (and whoever placed the order) or the provider's owners."""
    people = list(_owners(session, order)) if provider else list(
        {order.buyer_id: order.buyer, order.placed_by_id: order.placed_by}.values())
    for person in people:
        if person is not None:
            email_user(session, person, subject, "ordering/email/change.txt", order=order,
                       message=message, for_provider=provider)


# --- a new weekly pattern from a date --------------------------------------------------

def recurring_lines(order: Order, today: date) -> list[OrderLine]:
    """The order's weekly lines still running on or after ``today``."""
    return [line for line in order.lines if line.schedule.recurring
            and (line.ends_on is None or line.ends_on >= today)]


def pending_change(order: Order) -> OrderChange | None:
    return next((c for c in order.changes if c.status is ChangeStatus.PENDING), None)


def _new_pattern(line: OrderLine, change: OrderChange, starts_on: date) -> Schedule:
    return Schedule(kind=ScheduleKind.RECURRING, starts_on=starts_on,
                    quantity_hundredths=change.quantity_hundredths, ends_on=line.ends_on,
                    weekdays=frozenset(change.weekdays), start_time=change.start_time,
                    end_time=change.end_time)


def request_change(session: Session, order: Order, line: OrderLine, *, effective_on: date,
                   weekdays: list[int], start_time, end_time, quantity_hundredths: int,
                   note: str | None, user, acting_for, today: date) -> OrderChange:
    """Ask the provider for a new weekly pattern on ``line`` from ``effective_on``.
    Checks now that the budget could pay for it (nothing is set aside until the
    provider confirms)."""
    _require_changeable(order)
    if pending_change(order) is not None:
        raise ChangeProblem(_l("A change to this order is already waiting for the provider. "
                               "Wait for their answer first."))
    if line.order_id != order.id or line not in recurring_lines(order, today):
        raise ChangeProblem(_l("Choose one of the weekly parts of this order"), field="line")
    if line.ends_on is not None and effective_on > line.ends_on:
        raise ChangeProblem(_l("The change must start on or before %(date)s, when this "
                               "support ends", date=_day(line.ends_on)), field="starts_on")
    same = (sorted(weekdays) == sorted(line.weekdays or []) and start_time == line.start_time
            and end_time == line.end_time and quantity_hundredths == line.quantity_hundredths)
    if same:
        raise ChangeProblem(_l("That is the same as the support you have now. Change the "
                               "days, times or hours."), field="weekdays")
    change = OrderChange(order=order, line=line, effective_on=effective_on,
                         weekdays=sorted(weekdays), start_time=start_time, end_time=end_time,
                         quantity_hundredths=quantity_hundredths,
                         note=(note or "").strip() or None, requested_by_id=user.id,
                         acting_for_id=acting_for.id if acting_for is not None else None)
    session.add(change)
    session.flush()
    # Would the budget pay for it? Try it in a savepoint and undo it.
    nested = session.begin_nested()
    try:
        _apply(session, order, change, effective_on, user=user, today=today,
               key=f"order-change:{change.id}:trial")
    finally:
        nested.rollback()
        session.expire_all()
    _note(session, order, EventKind.CHANGE_REQUESTED, actor=Actor.BUYER, user=user,
          acting_for=acting_for, reason=change_summary(change))
    _tell(session, order, _l("A change to an order is waiting for your answer"),
          change_summary(change), provider=True)
    session.flush()
    return change


def change_summary(change: OrderChange) -> str:
    from catalogue.taxonomy import WEEKDAYS
    from marketplace.ordering.schedule import units_text

    days = ", ".join(str(WEEKDAYS[d]) for d in sorted(change.weekdays))
    times = (f" {change.start_time:%H:%M}–{change.end_time:%H:%M}"
             if change.start_time and change.end_time else "")
    return str(_l("From %(date)s: %(days)s%(times)s, %(amount)s each visit",
                  date=_day(change.effective_on), days=days, times=times,
                  amount=units_text(change.quantity_hundredths)))


def _apply(session: Session, order: Order, change: OrderChange, from_day: date, *, user,
           today: date, key: str) -> int:
    line = change.line
    before = order_cost(order, horizon_of(session, order))
    schedule = _new_pattern(line, change, from_day)
    weekly = weekly_cost_pence(schedule, line.unit_price_pence)
    if from_day <= line.starts_on:
        line.weekdays, line.start_time = list(schedule.weekdays), change.start_time
        line.end_time, line.quantity_hundredths = change.end_time, change.quantity_hundredths
        line.weekly_pence = weekly
    else:
        order.lines.append(OrderLine(
            service_id=line.service_id, service_name=line.service_name,
            category=line.category, unit=line.unit, unit_price_pence=line.unit_price_pence,
            price_basis=line.price_basis, rate_council_id=line.rate_council_id,
            public_price_pence=line.public_price_pence, weekly_pence=weekly, total_pence=0,
            kind=ScheduleKind.RECURRING, starts_on=from_day, ends_on=line.ends_on,
            weekdays=sorted(schedule.weekdays), start_time=change.start_time,
            end_time=change.end_time, quantity_hundredths=change.quantity_hundredths))
        line.ends_on = from_day - timedelta(days=1)
    session.flush()
    return _move_money(session, order, before, key=key, user=user, today=today,
                       why=str(_l("change of hours")))


def decide_change(session: Session, change: OrderChange, *, accept: bool, reason: str | None,
                  user, today: date) -> None:
    """The provider's answer. Accepting applies the new pattern from the change date
    (or today, if that has passed) and moves the difference on the budget."""
    if change.status is not ChangeStatus.PENDING:
        raise ChangeProblem(_l("This change has already been answered."))
    order = change.order
    if accept:
        _require_changeable(order)
        applied_from = max(change.effective_on, today)
        change.money_pence = _apply(session, order, change, applied_from, user=user,
                                    today=today, key=f"order-change:{change.id}")
        change.applied_from = applied_from
        change.status = ChangeStatus.ACCEPTED
    else:
        if not (reason or "").strip():
            raise ChangeProblem(_l("Enter the reason, so the person knows why"))
        change.status = ChangeStatus.DECLINED
    change.decided_by_id, change.decided_at = user.id, utcnow()
    change.decision_reason = (reason or "").strip() or None
    kind = EventKind.CHANGE_ACCEPTED if accept else EventKind.CHANGE_DECLINED
    _note(session, order, kind, actor=Actor.PROVIDER, user=user,
          reason=change.decision_reason or change_summary(change))
    _tell(session, order, _l("The provider has confirmed the change to your order") if accept
          else _l("The provider has declined the change to your order"),
          change.decision_reason or change_summary(change), provider=False)
    session.flush()


def _withdraw_pending(order: Order) -> None:
    for change in order.changes:
        if change.status is ChangeStatus.PENDING:
            change.status = ChangeStatus.WITHDRAWN


# --- pause and resume -------------------------------------------------------------------

def current_pause(order: Order, today: date) -> OrderPause | None:
    return next((p for p in reversed(order.pauses)
                 if p.resumes_on is None or p.resumes_on > today), None)


def pause(session: Session, order: Order, *, resumes_on: date | None, reason: str,
          actor: Actor, user, acting_for, today: date) -> OrderPause:
    """No visits from today until ``resumes_on`` (or until resumed); the cost of the
    paused days goes back to the budget. An active order only (the table says so)."""
    if order.status is not OrderStatus.ACTIVE:
        raise ChangeProblem(_l("Only support that has started can be paused."))
    if resumes_on is not None and resumes_on <= today:
        raise ChangeProblem(_l("The date support starts again must be after today"),
                            field="resumes_on")
    horizon = horizon_of(session, order)
    if resumes_on is not None and resumes_on > horizon:
        raise ChangeProblem(_l("The date support starts again must be on or before %(date)s",
                               date=_day(horizon)), field="resumes_on")
    before = order_cost(order, horizon)
    held = OrderPause(order=order, starts_on=today, resumes_on=resumes_on,
                      reason=reason.strip(), created_by_id=getattr(user, "id", None))
    session.add(held)
    session.flush()
    why = reason.strip()
    if resumes_on is not None:
        why = str(_l("%(reason)s (until %(date)s)", reason=why,
                     date=_day(resumes_on - timedelta(days=1))))
    set_status(session, order, OrderStatus.PAUSED, actor=actor, user=user,
               acting_for=acting_for, reason=why)
    held.released_pence = -_move_money(session, order, before, key=f"order-pause:{held.id}",
                                       user=user, today=today, why=str(_l("paused")))
    _withdraw_pending(order)
    return held


def resume(session: Session, order: Order, *, actor: Actor, user, acting_for,
           today: date) -> None:
    """Support starts again today: the cost from today on is set aside again
    (refused if the budget has no longer enough for it)."""
    held = current_pause(order, today)
    if order.status is not OrderStatus.PAUSED or held is None:
        raise ChangeProblem(_l("This order is not paused."))
    horizon = horizon_of(session, order)
    before = order_cost(order, horizon)
    key = f"order-pause:{held.id}:resume"
    if held.starts_on >= today:  # paused and restarted the same day: no pause at all
        order.pauses.remove(held)
        session.delete(held)
    else:
        held.resumes_on = today
    session.flush()
    added = _move_money(session, order, before, key=key, user=user, today=today,
                        why=str(_l("restarted")))
    if held in order.pauses:
        held.recommitted_pence = added
    set_status(session, order, OrderStatus.ACTIVE, actor=actor, user=user,
               acting_for=acting_for)


# --- cancelling with notice ---------------------------------------------------------------

def notice_days(session: Session, order: Order) -> int:
    """The longest notice any of the order's services asks for (or the site's)."""
    default = int(current_app.config.get("ORDER_NOTICE_DAYS", 7))
    days = [session.get(Service, line.service_id).notice_days for line in order.lines]
    return max([default if d is None else d for d in days] or [default])


def give_notice(session: Session, order: Order, *, reason: str, user, acting_for,
                today: date) -> date | None:
    """The buyer cancels accepted support: it continues for the provider's notice
    period, then the order is cancelled (``flask orders tick``); the money for the
    visits after the notice goes back now. With no visits left in the notice period
    the order is cancelled at once. Returns the last day of support (None: at once)."""
    if order.status not in CHANGEABLE:
        raise ChangeProblem(_l("This order cannot be cancelled with notice."))
    if order.notice_given_on is not None:
        raise ChangeProblem(_l("Notice has already been given: support ends on %(date)s.",
                               date=_day(order.ends_on)))
    if not (reason or "").strip():
        raise ChangeProblem(_l("Enter the reason, so the provider knows why"))
    last = today + timedelta(days=notice_days(session, order)) - timedelta(days=1)
    if order.ends_on is not None:
        last = min(last, order.ends_on)
    horizon = horizon_of(session, order)
    if last < today or order_cost(order, min(last, horizon), first=today) == 0:
        set_status(session, order, OrderStatus.CANCELLED, actor=Actor.BUYER, user=user,
                   acting_for=acting_for, reason=reason)
        _withdraw_pending(order)
        return None
    before = order_cost(order, horizon)
    _end_on(order, last)
    order.notice_given_on = today
    _move_money(session, order, before, key=f"order:{order.id}:notice", user=user,
                today=today, why=str(_l("notice given")))
    _note(session, order, EventKind.NOTICE_GIVEN, actor=Actor.BUYER, user=user,
          acting_for=acting_for, reason=str(_l("%(reason)s (support ends on %(date)s)",
                                               reason=reason.strip(), date=_day(last))))
    order.status_reason = reason.strip()
    _withdraw_pending(order)
    _tell(session, order, _l("Notice of cancellation for an order"),
          str(_l("The person has given notice: the last day of support is %(date)s. "
                 "Why: %(reason)s", date=_day(last), reason=reason.strip())), provider=True)
    session.flush()
    return last


def _end_on(order: Order, last: date) -> None:
    """Support ends after ``last``: weekly lines stop then (those that would only
    start later are left as they are; the order's end bounds every cost)."""
    order.ends_on = last
    for line in order.lines:
        if line.schedule.recurring and line.starts_on <= last and (
                line.ends_on is None or line.ends_on > last):
            line.ends_on = last


# --- moving to another provider -------------------------------------------------------------

def move_candidates(session: Session, order: Order, person, today: date) -> list[Service]:
    """Services another provider offers in the same category and unit as the order's
    weekly support, that this person may order now."""
    lines = recurring_lines(order, today) or list(order.lines)
    first = lines[0]
    services = session.scalars(select(Service).where(
        Service.category == first.category, Service.unit == first.unit,
        Service.provider_id != order.provider_id).order_by(Service.name, Service.id)
        .limit(200)).all()
    return [s for s in services if browse.state_of(s).public][:60]


def move(session: Session, order: Order, *, service: Service, last_day: date, user,
         acting_for, today: date) -> Order:
    """End ``order`` after ``last_day`` and start a new order for ``service`` (another
    provider) from the next day, with the same days, times and hours; the money for
    the rest of the period moves from one order to the other."""
    from marketplace.ordering.basket import quote_for

    _require_changeable(order)
    if service.provider_id == order.provider_id:
        raise ChangeProblem(_l("Choose a service from another provider"), field="service")
    if not browse.state_of(service).public:
        raise ChangeProblem(_l("%(service)s is no longer available to order.",
                               service=service.name), field="service")
    if last_day < today - timedelta(days=1):
        raise ChangeProblem(_l("The new provider can start today at the earliest: the last "
                               "day with the current provider must be yesterday or later"),
                            field="last_day")
    horizon = horizon_of(session, order)
    moving = [line for line in order.lines
              if line.schedule.last_day is None or line.schedule.last_day > last_day]
    if not moving or last_day >= horizon:
        raise ChangeProblem(_l("There is no support left to move after %(date)s.",
                               date=_day(last_day)), field="last_day")
    if any(line.unit != service.unit for line in moving):
        raise ChangeProblem(_l("Choose a service charged %(unit)s, like the one you have now.",
                               unit=moving[0].unit.label), field="service")
    budget = budget_of(session, order)
    if budget is not None:
        funding.lock_budget(session, budget)
        streams = funding.streams_for(budget, [service])
        if FundingStream(order.funding_stream) not in streams:
            raise ChangeProblem(_l("The money in %(budget)s cannot be spent on %(service)s.",
                                   budget=budget.name, service=service.name), field="service")
    person = order.buyer
    quote = quote_for(service, person, today)
    first_day = last_day + timedelta(days=1)
    new = Order(reference=new_reference(), idempotency_key=f"move:{order.id}",
                checkout_key=f"move-{order.id}", buyer_id=order.buyer_id,
                placed_by_id=user.id, provider_id=service.provider_id,
                status=OrderStatus.SUBMITTED,
                payment_method=PaymentMethod.BUDGET
                if order.payment_method is PaymentMethod.SPLIT else order.payment_method,
                card_payment=order.card_payment, budget_id=order.budget_id,
                council_id=order.council_id, funding_stream=order.funding_stream,
                replaces_order_id=order.id)
    for line in moving:
        schedule = line.schedule
        starts_on = max(first_day, schedule.starts_on)
        new.lines.append(OrderLine(
            service_id=service.id, service_name=service.name, category=service.category,
            unit=service.unit, unit_price_pence=quote.pence, price_basis=quote.basis,
            rate_council_id=quote.council_id, public_price_pence=service.price_pence,
            weekly_pence=weekly_cost_pence(schedule, quote.pence), total_pence=0,
            kind=schedule.kind, starts_on=starts_on, ends_on=schedule.ends_on,
            weekdays=list(line.weekdays or []), start_time=line.start_time,
            end_time=line.end_time, quantity_hundredths=line.quantity_hundredths))
    session.add(new)
    session.flush()
    # First give back what the old order will not use, then set aside the new order's.
    before = order_cost(order, horizon)
    _end_on(order, last_day)
    _move_money(session, order, before, key=f"order-move:{order.id}", user=user, today=today,
                why=str(_l("moved to %(reference)s", reference=new.reference)))
    total = _recompute(session, new, today)
    record_event(session, new, None, OrderStatus.SUBMITTED, actor=Actor.BUYER, user=user,
                 acting_for=acting_for)
    _note(session, new, EventKind.CONTINUES, actor=Actor.BUYER, user=user,
          acting_for=acting_for, reason=str(_l("Continues %(reference)s (%(provider)s)",
                                               reference=order.reference,
                                               provider=order.provider.name)))
    reasons = []
    if budget is not None:
        amount = budget_share(new, total)
        if amount:
            try:
                funding.commit_money(session, budget, amount, stream=new.funding_stream,
                                     key=f"order:{new.idempotency_key}:commit",
                                     reference=f"order:{new.id}",
                                     provider_id=new.provider_id, category=service.category,
                                     description=f"{new.reference} {service.provider.name}",
                                     actor=user)
            except funding.NotEnoughMoney as exc:
                raise ChangeProblem(_l("There is not enough money left in %(budget)s for "
                                       "%(service)s at its price.", budget=budget.name,
                                       service=service.name), exc.message,
                                   field="service") from exc
        new.committed_pence = amount
        reasons = approval_reasons(
            budget_pence=amount,
            threshold_pence=funding.approval_threshold_pence(session, budget.council_id),
            categories=[service.category], restricted=funding.restricted_categories(),
            outside_plan=funding.outside_plan(session, person, [service.category]))
        new.approval_reasons = [r.value for r in reasons]
    _note(session, order, EventKind.MOVED, actor=Actor.BUYER, user=user,
          acting_for=acting_for,
          reason=str(_l("Support ends on %(date)s and continues with %(provider)s "
                        "(%(reference)s)", date=_day(last_day), provider=service.provider.name,
                        reference=new.reference)))
    _withdraw_pending(order)
    if order_cost(order, min(horizon, last_day)) == 0 and order.starts_on > last_day:
        set_status(session, order, OrderStatus.CANCELLED, actor=Actor.BUYER, user=user,
                   acting_for=acting_for, reason=str(_l("Moved to %(provider)s",
                                                        provider=service.provider.name)))
    target = OrderStatus.AWAITING_APPROVAL if reasons else OrderStatus.AWAITING_PROVIDER
    set_status(session, new, target, actor=Actor.SYSTEM)
    return new
