"""Orders with money set aside and delivery records, for the invoicing tests, the
access matrix and the bad-input test (committed: each request closes the session).

Orders are made directly (no checkout) with their commitment posted to the ledger
under ``order:<id>``, as checkout does, so these tests depend only on the models."""

from __future__ import annotations

from datetime import date, time, timedelta

from catalogue.models import MemberRole, ProviderMember, ServiceStatus, Unit, VettingStatus
from catalogue.pricing import PriceBasis
from catalogue.taxonomy import FundingStream
from marketplace.accounts.roles import Role
from marketplace.accounts.services import create_user
from marketplace.budgets import services as budgets
from marketplace.budgets.enums import HoldingMethod
from marketplace.ledger import services as ledger
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus
from marketplace.ordering.models import Order, OrderLine, PaymentMethod
from marketplace.ordering.schedule import ScheduleKind, visit_cost_pence
from tests.budget_helpers import PERIOD, make_budget
from tests.conftest import TEST_PASSWORD
from tests.functional.storefront_helpers import make_provider, make_service

ASC = FundingStream.ADULT_SOCIAL_CARE
# A 4-week billing period of the 2026/27 budget year: Monday 18 May to Sunday 14 June.
MAY = (date(2026, 5, 18), date(2026, 6, 14))
TODAY = date(2026, 6, 20)
_counter = {"n": 0}


def _n() -> int:
    _counter["n"] += 1
    return _counter["n"]


def make_user(session, *roles, council=None, name="Test Person", email=None):
    user = create_user(session, email=email or f"inv-{_n()}-{id(session)}@example.org",
                       full_name=name, password=TEST_PASSWORD,
                       roles=[(role, council.id if council and role in (
                           Role.FINANCE_OFFICER, Role.COUNCIL_OFFICER, Role.COMMISSIONER,
                           Role.BUDGET_HOLDER) else None) for role in roles])
    session.commit()
    return user


def make_shop(session, owner=None, *, name="Willow Care", price_pence=2000,
              category="getting-up-and-dressed", unit=Unit.HOUR, staff=()):
    provider = make_provider(session, owner, name=name, status=VettingStatus.APPROVED,
                             address="1 High Street", town="Harrow", email="care@example.org")
    for person in staff:
        session.add(ProviderMember(provider_id=provider.id, user_id=person.id,
                                   member_role=MemberRole.STAFF))
    service = make_service(session, provider, name=f"{name} help", price_pence=price_pence,
                           unit=unit, category=category, status=ServiceStatus.PUBLISHED)
    session.commit()
    return provider, service


def held_budget(session, holder, council, method=HoldingMethod.COUNCIL_MANAGED, *,
                amount=1_200_000, organisation=None, provider=None, name=None):
    spec = budgets.HoldingSpec(method, amount, organisation,
                               provider.id if provider is not None else None)
    return make_budget(session, holder, council, amount=amount, holdings=[spec],
                       name=name or f"Budget {method.value} {_n()}")


def make_order(session, buyer, provider, service, budget=None, *, visits=(), hours=200,
               price_pence=None, contribution_pence=0, committed_pence=None,
               status=DeliveryStatus.RECORDED) -> Order:
    """An active order of ``service`` with one delivery record per day in ``visits``
    (``hours`` hundredths each). Its money (the budget's share of the visits, or
    ``committed_pence``) is set aside under ``order:<id>``."""
    price = price_pence if price_pence is not None else service.price_pence
    per_visit = visit_cost_pence(price, hours)
    total = per_visit * max(len(visits), 1)
    n = _n()
    method = (PaymentMethod.CARD if budget is None else
              PaymentMethod.SPLIT if contribution_pence else PaymentMethod.BUDGET)
    order = Order(reference=f"ORD-INV-{n:05d}", idempotency_key=f"inv:{n}:{id(session)}",
                  checkout_key=f"inv{n}", buyer_id=buyer.id, placed_by_id=buyer.id,
                  provider_id=provider.id, payment_method=method,
                  budget_id=budget.id if budget else None,
                  council_id=budget.council_id if budget else None,
                  funding_stream=ASC.value if budget else None, total_pence=total,
                  contribution_pence=contribution_pence, status="active")
    first = min(visits) if visits else MAY[0]
    order.lines.append(OrderLine(
        service_id=service.id, service_name=service.name, category=service.category,
        unit=service.unit, unit_price_pence=price, price_basis=PriceBasis.PUBLIC,
        public_price_pence=price, total_pence=total, kind=ScheduleKind.RECURRING,
        starts_on=first, weekdays=sorted({d.weekday() for d in visits} or {0}),
        start_time=time(9), end_time=time(11), quantity_hundredths=hours))
    session.add(order)
    session.flush()
    if budget is not None:
        amount = total - contribution_pence if committed_pence is None else committed_pence
        if amount > 0:
            ledger.commit(session, budget, amount, stream=ASC, key=f"order:{order.id}:commit",
                          reference=f"order:{order.id}", provider_id=provider.id,
                          category=service.category, on=PERIOD[0])
        order.committed_pence = max(amount, 0)
    for day in visits:
        add_visit(session, order, day, hours=hours, status=status, commit=False)
    session.commit()
    return order


def add_visit(session, order, day, *, hours=200, status=DeliveryStatus.RECORDED, commit=True):
    line = order.lines[0]
    record = DeliveryRecord(
        order_id=order.id, order_line_id=line.id, provider_id=order.provider_id,
        occurred_on=day, starts_at=time(9), ends_at=time(11),
        units_hundredths=hours, unit_price_pence=line.unit_price_pence, status=status,
        worker_first_name="Sam", dispute_reason="Late" if status is DeliveryStatus.DISPUTED
        else None)
    session.add(record)
    if commit:
        session.commit()
    else:
        session.flush()
    return record


def days(start: date, end: date, weekdays=(1, 3)) -> list[date]:
    """Every Tuesday and Thursday (by default) from ``start`` to ``end``."""
    out, day = [], start
    while day <= end:
        if day.weekday() in weekdays:
            out.append(day)
        day += timedelta(days=1)
    return out


def invoice_for(session, person, council, provider, service, method=HoldingMethod.COUNCIL_MANAGED,
                **budget_values):
    """A budget held by ``method``, an order with four visits, and the run that
    invoices it: returns the invoice (or statement)."""
    from sqlalchemy import select

    from marketplace.invoicing.models import Invoice
    from marketplace.invoicing.runs import run_invoices

    budget = held_budget(session, person, council, method, **budget_values)
    make_order(session, person, provider, service, budget, visits=days(*MAY)[:4])
    result = run_invoices(session, provider, *MAY, today=TODAY)
    session.commit()
    return session.scalar(select(Invoice).where(Invoice.id == result.created[-1]))


def matrix_args(session, stranger, other_council, provider, service) -> dict:
    """For the access matrix: an invoice and a credit note of another provider, council
    and person, which no test role but the administrator may see."""
    from marketplace.invoicing import services

    invoice = invoice_for(session, stranger, other_council, provider, service,
                          HoldingMethod.DIRECT_PAYMENT)
    services.issue_credit_note(session, invoice, 100, "Matrix", None, on=TODAY)
    session.commit()
    return {"invoice_id": invoice.id}


def bad_input_forms(session, council) -> list[tuple]:
    """For test_bad_input: (who, form URL) for every invoicing form."""
    owner = make_user(session, Role.PROVIDER_STAFF, name="Junk Invoicer")
    finance = make_user(session, Role.FINANCE_OFFICER, council=council, name="Junk Finance")
    holder = make_user(session, Role.BUDGET_HOLDER, council=council, name="Junk Payer")
    provider, service = make_shop(session, owner, name="Junk Invoices Care")
    mine = invoice_for(session, holder, council, provider, service, HoldingMethod.DIRECT_PAYMENT)
    theirs = invoice_for(session, holder, council, provider, service)
    return [
        (owner, f"/invoices/provider/{mine.id}"),
        (owner, f"/invoices/provider/{mine.id}/credit"),
        (owner, f"/invoices/provider/terms/{provider.id}"),
        (finance, f"/invoices/council/{theirs.id}"),
        (holder, f"/invoices/mine/{mine.id}"),
    ]
