"""Checkout: one order per provider, each paid from a budget, by card or split, with
the money committed on the budget's ledger and the orders that need a council
officer's approval sent to them instead of the provider.

``place_orders`` is idempotent on the checkout key: the orders of a key that was
already placed are returned as they are (a double click, back-and-resubmit or a
retried request); the database's unique ``idempotency_key`` settles a race.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.taxonomy import FundingStream
from marketplace.budgets.models import Budget
from marketplace.db import utcnow
from marketplace.ordering import funding
from marketplace.ordering.basket import LineView
from marketplace.ordering.lifecycle import Actor, OrderStatus, check
from marketplace.ordering.models import CardPayment, Order, OrderLine, PaymentMethod
from marketplace.ordering.rules import approval_reasons
from marketplace.ordering.schedule import commitment_pence
from marketplace.ordering.services import new_reference, notify, record_event, reply_days

# A card order with no end date is priced for its first four weeks.
CARD_HORIZON_DAYS = 27


class CheckoutProblem(Exception):
    """Something stops the checkout; ``messages`` say what, safe to show."""

    def __init__(self, *messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = list(messages)


@dataclass
class ProviderGroup:
    provider_id: int
    provider_name: str
    lines: list[LineView] = field(default_factory=list)

    @property
    def services(self):
        return [view.service for view in self.lines]

    @property
    def categories(self) -> list[str]:
        return sorted({view.service.category for view in self.lines})

    @property
    def weekly_pence(self) -> int | None:
        weekly = [v.weekly_pence for v in self.lines if v.weekly_pence is not None]
        return sum(weekly) if weekly else None


def group_by_provider(lines: list[LineView]) -> list[ProviderGroup]:
    groups: OrderedDict[int, ProviderGroup] = OrderedDict()
    for view in sorted(lines, key=lambda v: (v.service.provider.name, v.line.id)):
        provider = view.service.provider
        groups.setdefault(provider.id, ProviderGroup(provider.id, provider.name))
        groups[provider.id].lines.append(view)
    return list(groups.values())


@dataclass(frozen=True)
class PaymentChoice:
    method: PaymentMethod
    budget_id: int | None = None
    stream: str | None = None
    contribution_pence: int = 0


def horizon(group: ProviderGroup, budget: Budget | None, today: date) -> date:
    """The last day the order's commitment covers: the budget period's end, or for a
    card order the end of the order (its first four weeks if it has no end)."""
    if budget is not None:
        return budget.period_ends_on
    ends = [v.line.schedule.last_day for v in group.lines]
    if all(end is not None for end in ends):
        return max(ends)
    start = min(v.line.starts_on for v in group.lines)
    return max([start + timedelta(days=CARD_HORIZON_DAYS)] + [e for e in ends if e])


def group_total(group: ProviderGroup, budget: Budget | None, today: date) -> int:
    last = horizon(group, budget, today)
    return sum(commitment_pence(v.line.schedule, v.quote.pence, last) for v in group.lines)


def orders_for_key(session: Session, checkout_key: str) -> list[Order]:
    return list(session.scalars(select(Order).where(Order.checkout_key == checkout_key)
                                .order_by(Order.id)))


def problems_with(lines: list[LineView], today: date) -> list:
    messages = []
    for view in lines:
        if not view.available:
            messages.append(_l("%(service)s is no longer available to order. Remove it from "
                               "your basket.", service=view.service.name))
        elif view.price_changed:
            messages.append(_l("The price of %(service)s has changed since you added it. "
                               "Check the new price and confirm it.",
                               service=view.service.name))
        if view.line.starts_on < today:
            messages.append(_l("The start date of %(service)s has passed. Change it.",
                               service=view.service.name))
    return messages


def place_orders(session: Session, *, person, placed_by, acting_for, lines: list[LineView],
                 choices: dict[int, PaymentChoice], checkout_key: str, today: date,
                 ) -> list[Order]:
    """Create one order per provider, commit the money and route each order.

    On ``CheckoutProblem`` the caller rolls back: orders written before the ledger
    refused the money are not taken out again here."""
    existing = orders_for_key(session, checkout_key)
    if existing:
        return existing
    if not lines:
        raise CheckoutProblem(_l("Your basket is empty."))
    problems = problems_with(lines, today)
    if problems:
        raise CheckoutProblem(*problems)
    groups = group_by_provider(lines)
    funding.load_stream_codes(session, {view.service for view in lines})
    orders = []
    for group in groups:
        choice = choices.get(group.provider_id)
        if choice is None:
            raise CheckoutProblem(_l("Choose how to pay %(provider)s.",
                                     provider=group.provider_name))
        orders.append(_place_one(session, person=person, placed_by=placed_by,
                                 acting_for=acting_for, group=group, choice=choice,
                                 checkout_key=checkout_key, today=today))
    for view in lines:
        session.delete(view.line)
    session.flush()
    return orders


def _funding(session: Session, person, group: ProviderGroup, choice: PaymentChoice,
             today: date) -> tuple[Budget | None, FundingStream | None]:
    """The budget and stream that pay for ``group`` (None for a card), or a problem."""
    if choice.method is PaymentMethod.CARD:
        if not funding.may_pay_by_card(person, funding.usable_budgets(session, person, today)):
            raise CheckoutProblem(_l("Only self-funders and people with a direct payment can "
                                     "pay by card."))
        return None, None
    budget = funding.budget_of(session, person, choice.budget_id, today)
    if budget is None:
        raise CheckoutProblem(_l("You cannot use that budget for %(provider)s. Choose "
                                 "another way to pay.", provider=group.provider_name))
    streams = funding.streams_for(budget, group.services)
    if not streams or (choice.stream and FundingStream(choice.stream) not in streams):
        raise CheckoutProblem(_l("The money in %(budget)s cannot be spent on what you "
                                 "chose from %(provider)s.", budget=budget.name,
                                 provider=group.provider_name))
    return budget, FundingStream(choice.stream) if choice.stream else streams[0]


def _new_order(person, placed_by, group: ProviderGroup, choice: PaymentChoice,
               budget: Budget | None, stream: FundingStream | None, checkout_key: str,
               today: date) -> Order:
    total = group_total(group, budget, today)
    if choice.contribution_pence > total:
        raise CheckoutProblem(_l("Your contribution to %(provider)s cannot be more than the "
                                 "total.", provider=group.provider_name))
    order = Order(
        reference=new_reference(), idempotency_key=f"{checkout_key}:{group.provider_id}",
        checkout_key=checkout_key, buyer_id=person.id, placed_by_id=placed_by.id,
        provider_id=group.provider_id, status=OrderStatus.SUBMITTED,
        payment_method=choice.method,
        card_payment=CardPayment.AWAITING if choice.method is PaymentMethod.CARD else None,
        budget_id=budget.id if budget else None, council_id=budget.council_id if budget else None,
        funding_stream=stream.value if budget else None, total_pence=total,
        weekly_pence=group.weekly_pence,
        contribution_pence=choice.contribution_pence
        if choice.method is PaymentMethod.SPLIT else 0)
    last = horizon(group, budget, today)
    for view in group.lines:
        line, service, quote = view.line, view.service, view.quote
        order.lines.append(OrderLine(
            service_id=service.id, service_name=service.name, category=service.category,
            unit=service.unit, unit_price_pence=quote.pence, price_basis=quote.basis,
            rate_council_id=quote.council_id, public_price_pence=service.price_pence,
            weekly_pence=view.weekly_pence,
            total_pence=commitment_pence(line.schedule, quote.pence, last),
            kind=line.kind, starts_on=line.starts_on, ends_on=line.ends_on,
            weekdays=list(line.weekdays or []), start_time=line.start_time,
            end_time=line.end_time, quantity_hundredths=line.quantity_hundredths))
    return order


def _place_one(session: Session, *, person, placed_by, acting_for, group: ProviderGroup,
               choice: PaymentChoice, checkout_key: str, today: date) -> Order:
    """Everything is looked up and decided first; then the order is written and
    routed; last the money is set aside, so the budget's lock (taken by the ledger,
    held to the commit) covers only the balance check and the posting."""
    budget, stream = _funding(session, person, group, choice, today)
    order = _new_order(person, placed_by, group, choice, budget, stream, checkout_key, today)
    amount = order.budget_pence if budget is not None else 0
    reasons = []
    if budget is not None:
        reasons = approval_reasons(
            budget_pence=amount,
            threshold_pence=funding.approval_threshold_pence(session, budget.council_id),
            categories=group.categories, restricted=funding.restricted_categories(),
            outside_plan=funding.outside_plan(session, person, group.categories))
    order.approval_reasons = [r.value for r in reasons]
    # What the ledger sets aside below; if it refuses, the checkout is rolled back.
    order.committed_pence = amount
    _submit(session, order, OrderStatus.AWAITING_APPROVAL if reasons
            else OrderStatus.AWAITING_PROVIDER, placed_by=placed_by, acting_for=acting_for)
    if budget is not None:
        try:
            funding.commit_money(
                session, budget, amount, stream=order.funding_stream,
                key=f"order:{order.idempotency_key}:commit", reference=f"order:{order.id}",
                provider_id=order.provider_id, category=group.categories[0],
                description=f"{order.reference} {group.provider_name}"[:500], actor=placed_by)
        except funding.NotEnoughMoney as exc:
            raise CheckoutProblem(_l(
                "There is not enough money left in %(budget)s for the order from "
                "%(provider)s. Remove something, choose a shorter time, or pay part of it "
                "yourself.", budget=budget.name, provider=group.provider_name),
                exc.message) from exc
    return order


def _submit(session: Session, order: Order, target: OrderStatus, *, placed_by,
            acting_for) -> None:
    """Write the new order already routed to ``target``: the rows of submitting it and
    then ``services.set_status(order, target, actor=SYSTEM)`` (the two events with
    their notifications, the e-mails), in one flush and without set_status's guarded
    UPDATE, which protects a transition from a concurrent one: nobody else can see
    this order yet. The transition table is asked as set_status would."""
    check(OrderStatus.SUBMITTED, target, Actor.SYSTEM)  # it releases no money
    now = utcnow()
    order.status = target
    order.updated_at = now
    if target is OrderStatus.AWAITING_PROVIDER:
        order.provider_reply_due_at = now + timedelta(days=reply_days())
    session.add(order)
    record_event(session, order, None, OrderStatus.SUBMITTED, actor=Actor.BUYER,
                 user=placed_by, acting_for=acting_for, now=now)
    record_event(session, order, OrderStatus.SUBMITTED, target, actor=Actor.SYSTEM, now=now)
    session.flush()  # the e-mails link to the order by its id
    notify(session, order, target)
