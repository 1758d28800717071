"""Demo orders (issue 6, point 10): a believable history of orders in every state for
the demo council's budget holders, made through the same services a person, a
provider and an officer use (basket, checkout, ``set_status``, ``changes``), so the
budgets' ledgers agree with the orders. Deterministic: fixed people, services, days.

Called by ``marketplace.demo.seed`` after the budgets and Budget Minder demo. The
demo provider (provider@ashdown.example, Harrow Home Care Ltd) has orders to answer,
accepted and active orders and a change to confirm; the demo officer has an order
waiting for approval. The e-mails the history would have sent are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app, has_request_context
from sqlalchemy import delete, func, select

from catalogue import browse
from catalogue.models import ProviderOrganisation, Service
from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.mail import OutboxMessage
from marketplace.ordering import changes, funding
from marketplace.ordering.basket import add_line, basket_of, quote_for, view_line
from marketplace.ordering.checkout import CheckoutProblem, PaymentChoice, place_orders
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.models import Order, PaymentMethod
from marketplace.ordering.schedule import Schedule, ScheduleKind
from marketplace.ordering.services import set_status

HOME_CARE = "Harrow Home Care Ltd"
MON, TUE, WED, THU, FRI, SAT = range(6)


@dataclass(frozen=True)
class Plan:
    """One demo order: who, what, when it was placed (days ago), its schedule, and
    what happened to it afterwards."""

    holder: str
    provider: str
    category: str
    placed_days_ago: int
    starts_in: int              # days from the day it was placed
    weekdays: tuple[int, ...]   # () = a one-off
    hours: int = 100            # hundredths of a unit each visit
    weeks: int | None = None    # None = open-ended
    story: str = "accepted"
    by_rep: str | None = None
    reason: str | None = None


PLANS = [
    # Margaret Okafor: morning help since two months ago, and a change waiting.
    Plan("holder@ashdown.example", HOME_CARE, "getting-up-and-dressed", 62, 5,
         (MON, WED, FRI), 100, None, "active_with_change"),
    Plan("holder@ashdown.example", "Harrow Carers", "day-breaks", 45, 10, (), 100, None,
         "completed"),
    # Her daughter orders medication prompts for her: waiting for the provider.
    Plan("holder@ashdown.example", HOME_CARE, "medication-support", 1, 9, (TUE, THU), 50,
         12, "waiting", by_rep="rep@ashdown.example"),
    Plan("holder02@ashdown.example", HOME_CARE, "getting-up-and-dressed", 3, 6,
         (TUE, THU, SAT), 150, 26, "accepted"),
    Plan("holder03@ashdown.example", HOME_CARE, "getting-up-and-dressed", 12, 7,
         (MON, THU), 100, None, "declined",
         reason="We have no carers in HA7 on Monday mornings until the new year."),
    Plan("holder04@ashdown.example", "Kenton Domiciliary Care", "cleaning-and-laundry", 20, 7,
         (WED,), 200, 12, "expired"),
    Plan("holder05@ashdown.example", HOME_CARE, "getting-up-and-dressed", 40, 4,
         (MON, TUE, WED, THU, FRI), 75, None, "paused",
         reason="In hospital after a fall; the ward will say when she is home."),
    Plan("holder06@ashdown.example", "Bluebell Care Services", "getting-up-and-dressed", 14, 12,
         (MON, FRI), 100, 8, "cancelled", reason="My son has moved back home to help."),
    Plan("holder07@ashdown.example", "Bluebell Care Services", "getting-up-and-dressed", 35, 3,
         (TUE, FRI), 100, None, "moved"),
    Plan("holder08@ashdown.example", HOME_CARE, "getting-up-and-dressed", 30, 4,
         (SAT,), 200, None, "notice", reason="Moving to live with my daughter in Leeds."),
    Plan("holder09@ashdown.example", "Edgware Tech Helpers", "assistive-technology", 2, 10,
         (), 300, None, "approval"),
    Plan("holder10@ashdown.example", "Green Fingers Harrow CIC", "gardening", 9, 10, (THU,),
         200, 6, "rejected",
         reason="Gardening is not in the support plan agreed in March; talk to your "
                "social worker about adding it first."),
]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _service(session, provider_name: str, category: str) -> Service | None:
    provider = session.scalar(select(ProviderOrganisation).where(
        ProviderOrganisation.name == provider_name))
    if provider is None:
        return None
    found = [s for s in session.scalars(select(Service).where(
        Service.provider_id == provider.id, Service.category == category).order_by(Service.id))
        if browse.state_of(s).public]
    return found[0] if found else None


def _place(session, person, placed_by, service, schedule, on: date, key: str) -> Order | None:
    """Basket and checkout as the person would, as if on ``on``."""
    quote = quote_for(service, person, on)
    add_line(session, person, service, schedule, quote.pence)
    lines = [view_line(line, person, on, browse.state_of(line.service))
             for line in basket_of(session, person).lines]
    budgets = funding.usable_budgets(session, person, on)
    choice = None
    for budget in budgets:
        streams = funding.streams_for(budget, [service])
        if streams:
            choice = PaymentChoice(PaymentMethod.BUDGET, budget.id, streams[0].value)
            break
    if choice is None and funding.may_pay_by_card(person, budgets):
        choice = PaymentChoice(PaymentMethod.CARD)
    try:
        if choice is None:
            raise CheckoutProblem("no way to pay")
        orders = place_orders(session, person=person, placed_by=placed_by,
                              acting_for=person if placed_by is not person else None,
                              lines=lines, choices={service.provider_id: choice},
                              checkout_key=key, today=on)
    except CheckoutProblem as problem:
        current_app.logger.info("demo order %s not placed: %s", key, problem)
        for view in lines:
            session.delete(view.line)
        orders = [None]
    # SQLite reuses the ids of deleted rows: forget the deleted basket lines now.
    session.flush()
    for view in lines:
        if view.line in session:
            session.expunge(view.line)
    session.expire(basket_of(session, person), ["lines"])
    if orders[0] is None:
        return None
    order = orders[0]
    order.created_at = _at(on, 9)
    for event in order.events:
        event.at = _at(on, 9)
    return order


def _approve_if_needed(session, order: Order, officer, on: date, keep: bool) -> None:
    if order.status is OrderStatus.AWAITING_APPROVAL and not keep:
        set_status(session, order, OrderStatus.APPROVED, actor=Actor.OFFICER, user=officer,
                   now=_at(on, 11))
        set_status(session, order, OrderStatus.AWAITING_PROVIDER, actor=Actor.SYSTEM,
                   now=_at(on, 11))


def _story(session, plan: Plan, order: Order, placed: date, today: date, people) -> None:
    owner, officer, person = people["owner"], people["officer"], people["person"]
    start = order.starts_on
    story = plan.story
    if story == "approval":
        return
    if story == "rejected":
        if order.status is OrderStatus.AWAITING_APPROVAL:
            set_status(session, order, OrderStatus.REJECTED, actor=Actor.OFFICER,
                       user=officer, reason=plan.reason, now=_at(placed + timedelta(days=1)))
        return
    _approve_if_needed(session, order, officer, placed, keep=False)
    if story == "waiting":
        return
    if story == "expired":
        set_status(session, order, OrderStatus.EXPIRED, actor=Actor.SYSTEM,
                   now=_at(placed + timedelta(days=funding_reply_days() + 1), 6))
        return
    answer = _at(placed + timedelta(days=1), 14)
    if story == "declined":
        set_status(session, order, OrderStatus.DECLINED, actor=Actor.PROVIDER, user=owner,
                   reason=plan.reason, now=answer)
        return
    set_status(session, order, OrderStatus.ACCEPTED, actor=Actor.PROVIDER, user=owner,
               now=answer)
    if story == "cancelled":
        set_status(session, order, OrderStatus.CANCELLED, actor=Actor.BUYER, user=person,
                   reason=plan.reason, now=_at(placed + timedelta(days=4)))
        return
    if story == "accepted" or start > today:
        return
    set_status(session, order, OrderStatus.ACTIVE, actor=Actor.SYSTEM, now=_at(start, 6))
    if story == "completed":
        set_status(session, order, OrderStatus.COMPLETED, actor=Actor.SYSTEM,
                   now=_at(start + timedelta(days=1), 6))
    elif story == "paused":
        changes.pause(session, order, resumes_on=None, reason=plan.reason,
                      actor=Actor.BUYER, user=person, acting_for=None, today=today)
    elif story == "notice":
        changes.give_notice(session, order, reason=plan.reason, user=person,
                            acting_for=None, today=today)
    elif story == "moved":
        target = _service(session, HOME_CARE, plan.category)
        if target is not None:
            changes.move(session, order, service=target, last_day=today + timedelta(days=6),
                         user=person, acting_for=None, today=today)
    elif story == "active_with_change":
        line = changes.recurring_lines(order, today)[0]
        changes.request_change(session, order, line, effective_on=today + timedelta(days=14),
                               weekdays=[MON, TUE, WED, THU, FRI], start_time=line.start_time,
                               end_time=line.end_time,
                               quantity_hundredths=line.quantity_hundredths,
                               note="Could you come on Tuesdays and Thursdays too, please?",
                               user=person, acting_for=None, today=today)


def funding_reply_days() -> int:
    return int(current_app.config.get("ORDER_PROVIDER_REPLY_DAYS", 5))


def seed_orders(session, today: date) -> int:
    """Add the demo orders (once); returns how many were placed."""
    if session.scalar(select(func.count(Order.id))):
        return 0
    if not has_request_context():  # e-mails build links: behave as a request to "/"
        with current_app.test_request_context("/"):
            return seed_orders(session, today)
    first_mail = session.scalar(select(func.max(OutboxMessage.id))) or 0
    officer = accounts.find_user_by_email(session, "officer@ashdown.example")
    owner = accounts.find_user_by_email(session, "provider@ashdown.example")
    placed_count = 0
    spares = [f"holder{n:02d}@ashdown.example" for n in range(11, 31)]
    for number, plan in enumerate(PLANS):
        service = _service(session, plan.provider, plan.category)
        placed = today - timedelta(days=plan.placed_days_ago)
        # The planned person, or (if they have no budget that may buy it) the next spare.
        candidates = [plan.holder] + ([] if plan.by_rep else spares)
        person = None
        for email in candidates:
            someone = accounts.find_user_by_email(session, email)
            if someone is not None and service is not None and any(
                    funding.streams_for(b, [service])
                    for b in funding.usable_budgets(session, someone, placed)):
                person = someone
                if email in spares:
                    spares.remove(email)
                break
        if person is None:
            continue
        starts_on = placed + timedelta(days=plan.starts_in)
        schedule = Schedule(
            ScheduleKind.RECURRING if plan.weekdays else ScheduleKind.ONE_OFF, starts_on,
            plan.hours, ends_on=starts_on + timedelta(weeks=plan.weeks) - timedelta(days=1)
            if plan.weeks and plan.weekdays else None,
            weekdays=frozenset(plan.weekdays), start_time=time(8, 30) if plan.weekdays
            else time(10), end_time=time(10, 30) if plan.weekdays else time(16))
        placed_by = accounts.find_user_by_email(session, plan.by_rep) if plan.by_rep else person
        order = _place(session, person, placed_by, service, schedule, placed,
                       key=f"demo-order-{number:02d}")
        if order is None:
            continue
        placed_count += 1
        # The provider's staff answer for it (the demo provider for its own orders).
        members = [session.get(User, m.user_id) for m in order.provider.members]
        answerer = owner if order.provider.name == HOME_CARE else (
            members[0] if members else owner)
        _story(session, plan, order, placed, today,
               {"owner": answerer, "officer": officer, "person": person})
    self_funder = accounts.find_user_by_email(session, "selffunder@ashdown.example")
    cleaning = _service(session, "Kenton Domiciliary Care", "cleaning-and-laundry")
    if self_funder is not None and cleaning is not None:
        once = Schedule(ScheduleKind.ONE_OFF, today + timedelta(days=8), 300,
                        start_time=time(10), end_time=time(13))
        if _place(session, self_funder, self_funder, cleaning, once, today,
                  key="demo-order-card") is not None:
            placed_count += 1
    session.flush()
    session.execute(delete(OutboxMessage).where(OutboxMessage.id > first_mail))
    return placed_count
