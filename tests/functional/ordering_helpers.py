"""Budgets with money in them, providers with services, baskets and orders, for the
ordering tests (committed: each request closes the session)."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from catalogue.models import MemberRole, ProviderMember, ServiceStatus, Unit, VettingStatus
from catalogue.taxonomy import FundingStream
from marketplace.budgets.enums import BudgetKind, BudgetStatus, HoldingMethod
from marketplace.budgets.models import Budget, BudgetHolding, BudgetStream
from marketplace.ledger import services as ledger
from marketplace.ordering.basket import add_line, quote_for
from marketplace.ordering.checkout import PaymentChoice, place_orders
from marketplace.ordering.models import PaymentMethod
from marketplace.ordering.schedule import Schedule, ScheduleKind
from tests.conftest import csrf_token
from tests.functional.storefront_helpers import make_provider, make_service

TUE, THU = 1, 3


def make_budget(session, holder, council, *, paid_in_pence=500_000, name="Personal budget",
                stream=FundingStream.ADULT_SOCIAL_CARE, starts_on=None, ends_on=None,
                method=HoldingMethod.COUNCIL_MANAGED, extra_streams=()) -> Budget:
    starts_on = starts_on or date.today() - timedelta(days=30)
    ends_on = ends_on or starts_on + timedelta(days=364)
    streams = [BudgetStream(stream=stream, share_pence=max(paid_in_pence, 1))]
    streams += [BudgetStream(stream=s, share_pence=p) for s, p in extra_streams]
    total = sum(s.share_pence for s in streams)
    budget = Budget(holder_id=holder.id, council_id=council.id, kind=BudgetKind.PERSONAL_BUDGET,
                    name=name, period_starts_on=starts_on, period_ends_on=ends_on,
                    indicative_pence=total, agreed_pence=total, status=BudgetStatus.AGREED,
                    streams=streams,
                    holdings=[BudgetHolding(method=method, amount_pence=total)])
    session.add(budget)
    session.flush()
    if hasattr(ledger, "allocate"):  # spending power comes from the agreed allocation
        ledger.allocate(session, budget, {s.stream: s.share_pence for s in streams
                                          if paid_in_pence or s.stream is not stream})
    if paid_in_pence:
        ledger.record_instalment(session, budget, paid_in_pence, stream=stream,
                                 received_on=starts_on, key=f"test-instalment-{budget.id}")
    for extra, pence in extra_streams:
        ledger.record_instalment(session, budget, pence, stream=extra, received_on=starts_on,
                                 key=f"test-instalment-{budget.id}-{extra.value}")
    session.commit()
    return budget


def make_shop(session, owner, *, name="Willow Care", price_pence=2000, service_name="Help at home",
              unit=Unit.HOUR, category="getting-up-and-dressed", capacity_per_week=40,
              **service_values):
    provider = make_provider(session, owner, name=name, status=VettingStatus.APPROVED)
    service = make_service(session, provider, name=service_name, price_pence=price_pence,
                           unit=unit, category=category, capacity_per_week=capacity_per_week,
                           status=ServiceStatus.PUBLISHED, **service_values)
    return provider, service


def add_staff(session, provider, user):
    session.add(ProviderMember(provider_id=provider.id, user_id=user.id,
                               member_role=MemberRole.STAFF))
    session.commit()


def weekly(starts_on=None, ends_on=None, hours=200, days=(TUE, THU)) -> Schedule:
    return Schedule(ScheduleKind.RECURRING, starts_on or date.today() + timedelta(days=7),
                    hours, ends_on=ends_on, weekdays=frozenset(days), start_time=time(9),
                    end_time=time(12))


def once(on=None, units=100) -> Schedule:
    return Schedule(ScheduleKind.ONE_OFF, on or date.today() + timedelta(days=10), units,
                    start_time=time(10), end_time=time(16))


def basket_with(session, person, service, schedule=None):
    quote = quote_for(service, person, date.today())
    line = add_line(session, person, service, schedule or weekly(), quote.pence)
    session.commit()
    return line


def place(session, person, service, budget=None, *, schedule=None, key="test-checkout",
          method=None, contribution_pence=0):
    """Put one service in the basket and check out (no HTTP), committed."""
    from catalogue import browse
    from marketplace.ordering.basket import view_line

    basket_with(session, person, service, schedule)
    from marketplace.ordering.basket import basket_of

    lines = [view_line(line, person, date.today(), browse.state_of(line.service))
             for line in basket_of(session, person).lines]
    method = method or (PaymentMethod.BUDGET if budget else PaymentMethod.CARD)
    stream = budget.streams[0].stream.value if budget else None
    choices = {line.service.provider_id: PaymentChoice(method, budget.id if budget else None,
                                                       stream, contribution_pence)
               for line in lines}
    orders = place_orders(session, person=person, placed_by=person, acting_for=None,
                          lines=lines, choices=choices, checkout_key=key, today=date.today())
    session.commit()
    return orders


def form_post(client, url, data, token_from=None):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, token_from or url)})


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page)
    assert match, f"no {name} on the page"
    return match.group(1)


def agree_plan(session, holder, officer, categories=("getting-up-and-dressed",)):
    """An agreed support plan that plans spending on ``categories``."""
    from catalogue.taxonomy import Outcome
    from marketplace.budgets.plans import services as plans
    from marketplace.budgets.plans.models import Decision

    plan = plans.create_plan(session, holder, title="My plan", created_by=holder)
    plans.add_outcome(session, plan, domain=Outcome.DAILY_LIVING, what_i_want="Get up well",
                      what_i_will_do="Morning help",
                      spend=[(category, 100_000) for category in categories])
    plans.add_risk(session, plan, risk="Falls", how_managed="A carer is there")
    plans.submit(session, plan, holder)
    plans.decide(session, plan, officer, decision=Decision.AGREED, reason="",
                 today=date.today())
    session.commit()
    return plan


def matrix_objects(session, stranger, council, provider, service) -> dict:
    """An order, its checkout key and a basket line of ``stranger`` (someone no test
    role may see), for the access matrix's URL arguments."""
    from catalogue.pricing import PriceBasis
    from marketplace.ordering.models import Basket, BasketLine, Order, OrderLine

    budget = make_budget(session, stranger, council, paid_in_pence=0, name="Stranger budget")
    schedule = weekly()
    order = Order(reference="ORD-MTRX-0001", idempotency_key="matrix:1", checkout_key="matrix",
                  buyer_id=stranger.id, placed_by_id=stranger.id, provider_id=provider.id,
                  payment_method=PaymentMethod.BUDGET, budget_id=budget.id,
                  council_id=council.id, funding_stream="adult_social_care", total_pence=0,
                  status="awaiting_approval")
    order.lines.append(OrderLine(
        service_id=service.id, service_name=service.name, category=service.category,
        unit=service.unit, unit_price_pence=1000, price_basis=PriceBasis.PUBLIC,
        public_price_pence=1000, total_pence=0, kind=schedule.kind,
        starts_on=schedule.starts_on, weekdays=sorted(schedule.weekdays),
        start_time=schedule.start_time, end_time=schedule.end_time,
        quantity_hundredths=schedule.quantity_hundredths))
    basket = Basket(person_id=stranger.id)
    line = BasketLine(service_id=service.id, price_seen_pence=1000, kind=schedule.kind,
                      starts_on=schedule.starts_on, weekdays=sorted(schedule.weekdays),
                      start_time=schedule.start_time, end_time=schedule.end_time,
                      quantity_hundredths=100)
    basket.lines.append(line)
    session.add_all([order, basket])
    session.flush()
    change = pending_change_for(order, stranger)
    session.add(change)
    session.commit()
    return {"order_id": order.id, "checkout_key": order.checkout_key, "line_id": line.id,
            "change_id": change.id, "council_id": council.id}


def pending_change_for(order, user):
    """A change to ``order``'s first line waiting for its provider (not added)."""
    from marketplace.ordering.change_models import OrderChange

    line = order.lines[0]
    return OrderChange(order_id=order.id, order_line_id=line.id,
                       effective_on=line.starts_on, weekdays=[0], start_time=time(9),
                       end_time=time(12), quantity_hundredths=200, requested_by_id=user.id)


def bad_input_forms(session, holder, officer, council) -> list:
    """(who signs in, form URL) for every ordering form, for test_bad_input."""
    from catalogue.pricing import PriceBasis
    from marketplace.accounts.roles import Role
    from marketplace.accounts.services import create_user
    from marketplace.ordering.models import Basket, BasketLine, Order, OrderLine

    owner = create_user(session, email="junk-orders@example.org", full_name="Junk Owner",
                        password="correct horse battery",
                        roles=[(Role.PROVIDER_STAFF, None)])
    session.commit()
    provider, service = make_shop(session, owner, name="Junk Orders Care")
    budget = make_budget(session, holder, council, paid_in_pence=2_000_000)
    schedule = weekly()
    line_values = dict(kind=schedule.kind, starts_on=schedule.starts_on,
                       weekdays=sorted(schedule.weekdays), start_time=schedule.start_time,
                       end_time=schedule.end_time, quantity_hundredths=300)
    basket = Basket(person_id=holder.id)
    line = BasketLine(service_id=service.id, price_seen_pence=service.price_pence,
                      **line_values)
    basket.lines.append(line)
    orders = []
    statuses = ("awaiting_provider", "awaiting_approval", "awaiting_provider", "active",
                "accepted")
    for n, status in enumerate(statuses):
        order = Order(reference=f"ORD-JUNK-000{n}", idempotency_key=f"junk:{n}",
                      checkout_key=f"junk{n}", buyer_id=holder.id, placed_by_id=holder.id,
                      provider_id=provider.id, payment_method=PaymentMethod.BUDGET,
                      budget_id=budget.id, council_id=council.id,
                      funding_stream="adult_social_care", total_pence=0, status=status)
        order.lines.append(OrderLine(
            service_id=service.id, service_name=service.name, category=service.category,
            unit=service.unit, unit_price_pence=service.price_pence,
            price_basis=PriceBasis.PUBLIC, public_price_pence=service.price_pence,
            total_pence=0, **line_values))
        orders.append(order)
    session.add_all([basket, *orders])
    session.flush()
    change = pending_change_for(orders[4], holder)
    session.add(change)
    make_shop(session, owner, name="Junk Moves Care")  # somewhere to move to
    session.commit()
    return [
        (holder, f"/orders/{orders[3].id}/change"),
        (holder, f"/orders/{orders[3].id}/pause"),
        (holder, f"/orders/{orders[3].id}/move"),
        (holder, f"/orders/{orders[3].id}/cancel"),
        (owner, f"/provider/orders/changes/{change.id}"),
        (officer, f"/council/orders/settings/{council.id}"),
        (holder, f"/orders/basket/add/{service.id}"),
        (holder, f"/orders/basket/lines/{line.id}"),
        (holder, "/orders/checkout"),
        (holder, f"/orders/{orders[2].id}/cancel"),
        (owner, f"/provider/orders/{orders[0].id}"),
        (officer, f"/council/orders/{orders[1].id}"),
    ]
