"""Invoice runs: who is invoiced for each way of holding money, numbering, VAT, and
runs that can crash at any step and be run again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts.roles import Role
from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing import runs
from marketplace.invoicing.enums import (
    BillingPeriod,
    InvoiceKind,
    InvoiceStatus,
    PayerKind,
    PayerShare,
    VatRate,
)
from marketplace.invoicing.models import Invoice, InvoiceLine
from marketplace.invoicing.terms import ProviderBillingTerms, ServiceVatRate
from marketplace.ledger import services as ledger
from marketplace.ordering.deliveries.models import DeliveryStatus
from marketplace.ordering.deliveries.services import billable_records
from tests.invoicing_helpers import (
    MAY,
    TODAY,
    add_visit,
    days,
    held_budget,
    make_order,
    make_shop,
    make_user,
)


@pytest.fixture()
def shop(db_session):
    return make_shop(db_session, name="Willow Care", price_pence=2000)


@pytest.fixture()
def person(db_session, council):
    return make_user(db_session, Role.BUDGET_HOLDER, council=council, name="Ada Holder")


def _run(session, until=TODAY, provider_id=None):
    return runs.run_due(session, until=until, provider_id=provider_id, today=TODAY)


def test_each_way_of_holding_money_invoices_the_right_payer(db_session, council, shop, person):
    provider, service = shop
    visits = days(*MAY)
    council_budget = held_budget(db_session, person, council, HoldingMethod.COUNCIL_MANAGED)
    managed = held_budget(db_session, person, council, HoldingMethod.MANAGED_ACCOUNT,
                          organisation="Harrow Budget Minders")
    direct = held_budget(db_session, person, council, HoldingMethod.DIRECT_PAYMENT)
    isf = held_budget(db_session, person, council, HoldingMethod.INDIVIDUAL_SERVICE_FUND,
                      provider=provider)
    for budget in (council_budget, managed, direct, isf):
        make_order(db_session, person, provider, service, budget, visits=visits)
    self_funded = make_order(db_session, person, provider, service, None, visits=visits[:2])
    result = _run(db_session)
    assert result.count == 5 and not result.failures
    invoices = db_session.scalars(select(Invoice).order_by(Invoice.id)).all()
    by_budget = {i.budget_id: i for i in invoices}
    assert by_budget[council_budget.id].payer_kind is PayerKind.COUNCIL
    assert by_budget[council_budget.id].payer_name == council.name
    assert by_budget[managed.id].payer_kind is PayerKind.MANAGED_ACCOUNT
    assert by_budget[managed.id].payer_name == "Harrow Budget Minders"
    assert by_budget[direct.id].payer_kind is PayerKind.PERSON
    assert by_budget[direct.id].payer_user_id == person.id
    statement = by_budget[isf.id]
    assert statement.kind is InvoiceKind.STATEMENT and statement.status is InvoiceStatus.DRAWN
    # The ISF draw is settled at once: the money set aside is spent.
    assert ledger.balances(db_session, isf).spent_pence == statement.gross_pence
    assert ledger.balances(db_session, isf).committed_pence == 0
    mine = by_budget[None]
    assert mine.share is PayerShare.SELF_FUNDED and mine.payer_user_id == person.id
    assert mine.gross_pence == 2 * 4000
    line = by_budget[council_budget.id].lines[0]
    assert (line.order_id, line.budget_id, line.funding_stream) == (
        line.delivery.order_id, council_budget.id, "adult_social_care")
    assert self_funded.id in {i.lines[0].order_id for i in invoices}
    # Invoices number 1, 2, 3, 4 for the provider; the statement has its own series.
    numbers = sorted(i.number for i in invoices if i.kind is InvoiceKind.INVOICE)
    assert numbers == [1, 2, 3, 4] and statement.number == 1
    assert by_budget[council_budget.id].due_on == TODAY.replace(month=7, day=20)


def test_the_persons_contribution_is_invoiced_to_them_separately(db_session, council, shop,
                                                                 person):
    provider, service = shop
    budget = held_budget(db_session, person, council, HoldingMethod.COUNCIL_MANAGED)
    visits = days(*MAY)  # 8 visits of £40
    make_order(db_session, person, provider, service, budget, visits=visits,
               contribution_pence=8000)  # a quarter
    _run(db_session)
    invoices = {i.share: i for i in db_session.scalars(select(Invoice))}
    assert invoices[PayerShare.CONTRIBUTION].payer_kind is PayerKind.PERSON
    assert invoices[PayerShare.CONTRIBUTION].gross_pence == 8000
    assert invoices[PayerShare.BUDGET].payer_kind is PayerKind.COUNCIL
    assert invoices[PayerShare.BUDGET].gross_pence == 24000


def test_only_billable_records_of_ended_periods_are_invoiced(db_session, council, shop, person):
    provider, service = shop
    budget = held_budget(db_session, person, council)
    visits = days(MAY[0], MAY[1] + timedelta(days=14))
    order = make_order(db_session, person, provider, service, budget, visits=visits[:4])
    add_visit(db_session, order, visits[4], status=DeliveryStatus.DISPUTED)
    add_visit(db_session, order, visits[5], status=DeliveryStatus.CONFIRMED)
    add_visit(db_session, order, visits[-1])  # in June: a period not yet ended
    _run(db_session, until=MAY[1] + timedelta(days=3))
    lines = db_session.scalars(select(InvoiceLine)).all()
    assert len(lines) == 5
    billable = billable_records(db_session, provider.id, MAY[0], MAY[1])
    assert {line.delivery_record_id for line in lines} == {r.id for r in billable}


def test_billing_period_and_vat_come_from_invoicings_own_settings(db_session, council, person):
    provider, service = make_shop(db_session, name="Gadget Shop", price_pence=1200,
                                  category="telecare")
    db_session.add(ProviderBillingTerms(provider_id=provider.id, period=BillingPeriod.WEEKLY,
                                        payment_terms_days=14))
    db_session.commit()
    budget = held_budget(db_session, person, council)
    make_order(db_session, person, provider, service, budget, visits=days(*MAY), hours=100)
    _run(db_session)
    invoices = db_session.scalars(select(Invoice).order_by(Invoice.number)).all()
    assert len(invoices) == 4  # four weeks
    assert all((i.period_end - i.period_start).days == 6 for i in invoices)
    line = invoices[0].lines[0]
    assert line.vat_rate is VatRate.STANDARD  # equipment: standard rate by category
    assert (line.gross_pence, line.vat_pence, line.net_pence) == (1200, 200, 1000)
    assert invoices[0].due_on == TODAY.replace(month=7, day=4)
    other, care = make_shop(db_session, name="Plain Care", price_pence=1000)
    db_session.add(ServiceVatRate(service_id=care.id, rate=VatRate.ZERO))
    db_session.commit()
    make_order(db_session, person, other, care, budget, visits=days(*MAY)[:1], hours=100)
    _run(db_session)
    assert db_session.scalar(select(InvoiceLine).where(
        InvoiceLine.service_id == care.id)).vat_rate is VatRate.ZERO


def test_running_twice_creates_nothing_the_second_time(db_session, council, shop, person):
    provider, service = shop
    budget = held_budget(db_session, person, council)
    make_order(db_session, person, provider, service, budget, visits=days(*MAY))
    assert _run(db_session).count == 1
    assert _run(db_session).count == 0
    assert db_session.scalar(select(func.count(InvoiceLine.id))) == 8
