"""Demo delivery history and messages (called by ``marketplace.demo.seed`` right after
the ordering demo), so the invoicing, payments and ratings demos have real visits to
work on.

A few more orders that started weeks ago are placed first, through the same basket,
checkout and ``set_status`` services the ordering demo uses (an Individual Service
Fund held by Harrow Home Care Ltd, a managed account, a council-managed budget with
the person's own contribution). Then every accepted or active demo order gets its
visits of the past weeks recorded by the provider through the deliveries services
(the first one makes an accepted order active): most confirmed by the buyer, the
last few days' still waiting for an answer, two missed with a reason, one disputed
and one dispute closed. A few conversations between buyers and providers follow,
one of them a question about a service before ordering.

Deterministic (fixed people, services and days) and idempotent (nothing is added
once any delivery record exists). The e-mails the history would have sent are not
kept.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from flask import current_app, has_request_context
from sqlalchemy import delete, func, select

from catalogue import browse
from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.mail import OutboxMessage
from marketplace.ordering import funding
from marketplace.ordering.basket import add_line, basket_of, quote_for, view_line
from marketplace.ordering.checkout import CheckoutProblem, PaymentChoice, place_orders
from marketplace.ordering.deliveries import services
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus, DisputeOutcome
from marketplace.ordering.demo import HOME_CARE, _at, _service
from marketplace.ordering.lifecycle import Actor, OrderStatus
from marketplace.ordering.messages import services as messages
from marketplace.ordering.messages.models import Side
from marketplace.ordering.models import Order, PaymentMethod
from marketplace.ordering.schedule import Schedule, ScheduleKind
from marketplace.ordering.services import set_status

MON, TUE, WED, THU, FRI, SAT = range(6)
HISTORY_WEEKS = 8   # how far back visits are recorded
WAITING_DAYS = 4    # the last few days' visits are not answered yet
WORKERS = ["Grace", "Tomasz", "Abena", "Leon", "Priya", "Mark"]

# holder, provider, category, placed days ago, starts (days after placing), weekdays,
# hundredths per visit, own contribution in pence, key
HISTORY_ORDERS = [
    ("holder04@ashdown.example", HOME_CARE, "getting-up-and-dressed", 58, 4, (TUE, FRI),
     100, 0, "demo-history-isf"),
    ("holder25@ashdown.example", "Kenton Domiciliary Care", "cleaning-and-laundry", 52, 5,
     (WED,), 200, 0, "demo-history-managed"),
    ("holder16@ashdown.example", "Bluebell Care Services", "getting-up-and-dressed", 47, 6,
     (MON, THU), 100, 15000, "demo-history-contribution"),
]

MISSED = [
    "The carer's car broke down; we phoned Margaret's daughter to let her know.",
    "Nobody answered the door; the family later told us she was at the GP.",
]
DISPUTE = "Nobody came that morning. I waited in all day."
CLOSED_DISPUTE = "The carer came at 8:30 but left after 40 minutes, not an hour."
CLOSED_NOTE = ("Our call log shows the carer arrived at 8:30 and stayed the full hour; "
               "we have talked this through with the family.")


def _place_history(session, email, provider, category, placed_days_ago, starts_in, weekdays,
                   hundredths, contribution, key, today, officer) -> Order | None:
    person = accounts.find_user_by_email(session, email)
    service = _service(session, provider, category)
    if person is None or service is None:
        return None
    on = today - timedelta(days=placed_days_ago)
    starts_on = on + timedelta(days=starts_in)
    schedule = Schedule(ScheduleKind.RECURRING, starts_on, hundredths,
                        weekdays=frozenset(weekdays), start_time=time(9),
                        end_time=_plus(time(9), hundredths))
    quote = quote_for(service, person, on)
    add_line(session, person, service, schedule, quote.pence)
    lines = [view_line(line, person, on, browse.state_of(line.service))
             for line in basket_of(session, person).lines]
    choice = None
    for budget in funding.usable_budgets(session, person, on):
        streams = funding.streams_for(budget, [service])
        if streams:
            choice = PaymentChoice(PaymentMethod.SPLIT if contribution else PaymentMethod.BUDGET,
                                   budget.id, streams[0].value, contribution_pence=contribution)
            break
    order = None
    try:
        if choice is None:
            raise CheckoutProblem("no way to pay")
        order = place_orders(session, person=person, placed_by=person, acting_for=None,
                             lines=lines, choices={service.provider_id: choice},
                             checkout_key=key, today=on)[0]
    except CheckoutProblem as problem:
        current_app.logger.info("demo order %s not placed: %s", key, problem)
        for view in lines:
            session.delete(view.line)
    session.flush()
    for view in lines:
        if view.line in session:
            session.expunge(view.line)
    session.expire(basket_of(session, person), ["lines"])
    if order is None:
        return None
    order.created_at = _at(on, 9)
    for event in order.events:
        event.at = _at(on, 9)
    if order.status is OrderStatus.AWAITING_APPROVAL:
        set_status(session, order, OrderStatus.APPROVED, actor=Actor.OFFICER, user=officer,
                   now=_at(on, 11))
        set_status(session, order, OrderStatus.AWAITING_PROVIDER, actor=Actor.SYSTEM,
                   now=_at(on, 11))
    if order.status is OrderStatus.AWAITING_PROVIDER:
        set_status(session, order, OrderStatus.ACCEPTED, actor=Actor.PROVIDER,
                   user=_answerer(session, order), now=_at(on + timedelta(days=1), 14))
    return order


def _plus(start: time, hundredths: int) -> time:
    minutes = start.hour * 60 + start.minute + hundredths * 60 // 100
    return time(minutes // 60, minutes % 60)


def _answerer(session, order: Order):
    if order.provider.name == HOME_CARE:
        return accounts.find_user_by_email(session, "provider@ashdown.example")
    members = sorted(order.provider.members, key=lambda m: m.id)
    if members:
        return session.get(User, members[0].user_id)
    return accounts.find_user_by_email(session, "officer@ashdown.example")


def _visit_end(line, start: time) -> time:
    if line.schedule.end_time is not None and line.unit.value != "hour":
        return line.schedule.end_time
    return _plus(start, line.quantity_hundredths)


def _record_history(session, today: date) -> list[DeliveryRecord]:
    """Record the past weeks' visits of every accepted or active recurring order."""
    orders = session.scalars(select(Order).where(
        Order.status.in_(services.RECORDABLE)).order_by(Order.id)).all()
    made = []
    worker = 0
    missing = 0  # two missed visits, a few weeks back, in the first long-running orders
    for order in orders:
        recorder = _answerer(session, order)
        for line in sorted(order.lines, key=lambda line: line.id):
            schedule = line.schedule
            if not schedule.recurring or schedule.starts_on >= today:
                continue
            days = schedule.visits_between(today - timedelta(weeks=HISTORY_WEEKS),
                                           today - timedelta(days=1))
            missed_day = days[-5] if missing < 2 and len(days) > 6 else None
            missing += missed_day is not None
            for day in days:
                try:
                    if day == missed_day:
                        services.mark_missed(session, order, line.id, on=day,
                                             reason=MISSED[missing - 1],
                                             user=recorder, today=today)
                        continue
                    start = schedule.start_time or time(9)
                    events = len(order.events)
                    record = services.record_visit(
                        session, order, line.id, on=day, starts_at=start,
                        ends_at=_visit_end(line, start),
                        worker_first_name=WORKERS[worker % len(WORKERS)],
                        notes=None, user=recorder, today=today)
                except (services.DeliveryProblem, services.OrderNotOpen) as problem:
                    current_app.logger.info("demo visit not recorded: %s", problem)
                    continue
                worker += 1
                record.recorded_at = _at(day, 18)
                for event in order.events[events:]:  # became active on its first visit
                    event.at = _at(day, 18)
                made.append(record)
    return made


def _answer(session, records: list[DeliveryRecord], today: date) -> dict:
    """The buyers confirm most visits; one is disputed and one dispute closed."""
    disputed = closed = 0
    by_order: dict[int, list[DeliveryRecord]] = {}
    for record in records:
        by_order.setdefault(record.order_id, []).append(record)
    for order_id in sorted(by_order):
        order = session.get(Order, order_id)
        buyer = order.buyer
        mine = by_order[order_id]
        for index, record in enumerate(mine):
            if record.occurred_on > today - timedelta(days=WAITING_DAYS):
                continue  # not answered yet
            if not closed and index == 1:
                services.dispute(session, record, reason=CLOSED_DISPUTE, user=buyer)
                services.resolve(session, record, outcome=DisputeOutcome.STANDS,
                                 note=CLOSED_NOTE, user=_answerer(session, order))
                closed += 1
            elif closed and not disputed and index == len(mine) - 3:
                services.dispute(session, record, reason=DISPUTE, user=buyer)
                disputed += 1
            else:
                services.confirm(session, record, user=buyer)
            record.answered_at = _at(record.occurred_on + timedelta(days=1), 12)
            if record.resolved_at is not None:
                record.resolved_at = _at(record.occurred_on + timedelta(days=3), 15)
    return {"disputed": disputed, "closed": closed}


def _backdate(conversation, message, today: date, *, days_ago: int, hour: int) -> None:
    message.created_at = conversation.updated_at = _at(today - timedelta(days=days_ago), hour)
    if len(conversation.messages) <= 1:
        conversation.created_at = message.created_at


def _conversations(session, today: date) -> int:
    """A question before ordering, and a few messages about orders."""
    made = 0
    asker = accounts.find_user_by_email(session, "holder13@ashdown.example")
    service = _service(session, HOME_CARE, "medication-support")
    provider_reply = None
    if asker is not None and service is not None:
        conversation = messages.question_conversation(session, asker, service)
        asked = messages.post(session, conversation, side=Side.BUYER, author=asker,
                              body="Do your visitors speak Polish? My husband is more "
                                   "comfortable in Polish since his stroke.",
                              key="demo-message-question-1")
        _backdate(conversation, asked, today, days_ago=3, hour=19)
        members = service.provider.members
        provider_reply = session.get(User, members[0].user_id) if members else None
        if provider_reply is not None:
            answer = messages.post(
                session, conversation, side=Side.PROVIDER, author=provider_reply,
                body="Yes, two of our carers speak Polish. We could start with a visit "
                     "on a Tuesday morning.", key="demo-message-question-2")
            _backdate(conversation, answer, today, days_ago=2, hour=10)
        made += 1
    talks = [
        ("holder@ashdown.example", [
            (Side.BUYER, "Could the carer bring the blister pack from the chemist on "
                         "Fridays? It is ready after 8."),
            (Side.PROVIDER, "Of course. Grace will collect it on her way to you."),
        ]),
        ("holder11@ashdown.example", [
            (Side.PROVIDER, "We have a new carer, Leon, starting on your Saturday visits. "
                            "He will bring his ID badge."),
            (Side.BUYER, "Thank you for letting me know."),
        ]),
    ]
    for email, posts in talks:
        person = accounts.find_user_by_email(session, email)
        if person is None:
            continue
        order = session.scalar(select(Order).where(
            Order.buyer_id == person.id, Order.status == OrderStatus.ACTIVE)
            .order_by(Order.id).limit(1))
        if order is None:
            continue
        conversation = messages.order_conversation(session, order)
        for number, (side, body) in enumerate(posts):
            author = person if side is Side.BUYER else _answerer(session, order)
            message = messages.post(session, conversation, side=side, author=author,
                                    body=body, key=f"demo-message-{order.reference}-{number}")
            _backdate(conversation, message, today, days_ago=6 - number, hour=11 + number)
        made += 1
    return made


def seed_deliveries(session, today: date) -> dict:
    """Add the demo delivery history and messages (once); returns counts."""
    if session.scalar(select(func.count(DeliveryRecord.id))):
        return {"visits": 0}
    if not has_request_context():  # e-mails build links: behave as a request to "/"
        with current_app.test_request_context("/"):
            return seed_deliveries(session, today)
    first_mail = session.scalar(select(func.max(OutboxMessage.id))) or 0
    officer = accounts.find_user_by_email(session, "officer@ashdown.example")
    for plan in HISTORY_ORDERS:
        _place_history(session, *plan, today=today, officer=officer)
    records = _record_history(session, today)
    answers = _answer(session, records, today)
    talks = _conversations(session, today)
    session.flush()
    session.execute(delete(OutboxMessage).where(OutboxMessage.id > first_mail))
    return {"visits": len(records), "conversations": talks, **answers,
            "missed": session.scalar(select(func.count(DeliveryRecord.id)).where(
                DeliveryRecord.status == DeliveryStatus.MISSED))}
