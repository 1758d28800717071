"""What an invoice run reads (``marketplace.invoicing.runs``), in as few statements as
it can: the unbilled deliveries of a batch of providers, all their due periods, in one
query with everything the documents need (the order, the buyer's name, the budget,
the service's VAT rate); the budgets' holdings in one more; and once for the whole
run, the providers, their billing terms and the councils' names (``RunCache``).

Plain rows (dataclasses), not ORM objects: a run reads tens of thousands of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from catalogue.models import ProviderOrganisation
from marketplace.accounts.models import Council, User
from marketplace.budgets.enums import HoldingMethod
from marketplace.budgets.models import Budget, BudgetHolding
from marketplace.invoicing.enums import BillingPeriod, VatRate
from marketplace.invoicing.models import InvoiceLine
from marketplace.invoicing.terms import ProviderBillingTerms, ServiceVatRate
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus, DisputeOutcome
from marketplace.ordering.models import Order, OrderLine
from marketplace.ordering.schedule import visit_cost_pence


def billable_condition():
    """The same rule as ``deliveries.services.billable_records``, as a WHERE clause."""
    return ((DeliveryRecord.status.in_([DeliveryStatus.RECORDED, DeliveryStatus.CONFIRMED]))
            | ((DeliveryRecord.status == DeliveryStatus.RESOLVED)
               & (DeliveryRecord.outcome == DisputeOutcome.STANDS)))


def unbilled_condition():
    return ~exists().where(InvoiceLine.billed_delivery_id == DeliveryRecord.id)


def terms_for(session: Session, provider_ids) -> dict[int, ProviderBillingTerms]:
    ids = list(provider_ids)
    found = {}
    if ids:
        found = {t.provider_id: t for t in session.scalars(
            select(ProviderBillingTerms).where(ProviderBillingTerms.provider_id.in_(ids)))}
    return {i: found.get(i) or ProviderBillingTerms(provider_id=i,
                                                     period=BillingPeriod.FOUR_WEEKLY)
            for i in ids}


@dataclass
class RunCache:
    """What a run reads once for all its providers: their billing terms and the
    councils' names (``run_due`` fills the terms when it finds what is due)."""

    terms: dict[int, ProviderBillingTerms] = field(default_factory=dict)
    council_names: dict[int, str] = field(default_factory=dict)

    def terms_of(self, session: Session, provider_id: int) -> ProviderBillingTerms:
        if provider_id not in self.terms:
            self.terms |= terms_for(session, [provider_id])
        return self.terms[provider_id]

    def council_name(self, session: Session, council_id: int) -> str:
        if council_id not in self.council_names:
            self.council_names[council_id] = session.scalar(
                select(Council.name).where(Council.id == council_id))
        return self.council_names[council_id]


@dataclass
class Row:
    """An unbilled, billable delivery with what its documents need."""

    provider_id: int
    record_id: int
    order_id: int
    order_line_id: int
    occurred_on: date
    units: int
    unit_price: int
    service_id: int
    service_name: str
    category: str
    buyer_id: int
    buyer_name: str
    budget_id: int | None
    stream: str | None
    contribution: int
    total: int
    vat_rate: VatRate | None  # the service's own rate, if it has one
    council_id: int | None    # the budget's
    budget_starts_on: date | None
    budget_ends_on: date | None

    @property
    def amount(self) -> int:
        return visit_cost_pence(self.unit_price, self.units)


def rows(session: Session, provider_ids, start: date, end: date) -> list[Row]:
    """The providers' unbilled, billable deliveries from ``start`` to ``end``, in the
    order they are billed, in one query."""
    query = (select(DeliveryRecord.provider_id, DeliveryRecord.id, DeliveryRecord.order_id,
                    DeliveryRecord.order_line_id,
                    DeliveryRecord.occurred_on, DeliveryRecord.units_hundredths,
                    DeliveryRecord.unit_price_pence, OrderLine.service_id,
                    OrderLine.service_name, OrderLine.category, Order.buyer_id,
                    User.full_name, Order.budget_id, Order.funding_stream,
                    Order.contribution_pence, Order.total_pence, ServiceVatRate.rate,
                    Budget.council_id, Budget.period_starts_on, Budget.period_ends_on)
             .join(Order, Order.id == DeliveryRecord.order_id)
             .join(OrderLine, OrderLine.id == DeliveryRecord.order_line_id)
             .join(User, User.id == Order.buyer_id)
             .outerjoin(Budget, Budget.id == Order.budget_id)
             .outerjoin(ServiceVatRate, ServiceVatRate.service_id == OrderLine.service_id)
             .where(DeliveryRecord.provider_id.in_(sorted(set(provider_ids))),
                    DeliveryRecord.occurred_on.between(start, end),
                    billable_condition(), unbilled_condition())
             .order_by(DeliveryRecord.occurred_on, DeliveryRecord.starts_at, DeliveryRecord.id))
    return [Row(*row) for row in session.execute(query)]


@dataclass
class Holding:
    method: HoldingMethod
    organisation_name: str | None
    provider_id: int | None


@dataclass
class RunBudget:
    """What a run needs of a budget (``payers`` reads ``council_id`` and
    ``holdings``)."""

    id: int
    council_id: int
    period_starts_on: date
    period_ends_on: date
    holdings: list[Holding] = field(default_factory=list)


def budgets(session: Session, found: list[Row]) -> dict[int, RunBudget]:
    """The rows' budgets (read with the rows) with their holdings, in one query."""
    result = {r.budget_id: RunBudget(r.budget_id, r.council_id, r.budget_starts_on,
                                     r.budget_ends_on) for r in found if r.budget_id}
    if result:
        for budget_id, method, name, provider_id in session.execute(
                select(BudgetHolding.budget_id, BudgetHolding.method,
                       BudgetHolding.organisation_name, BudgetHolding.provider_id)
                .where(BudgetHolding.budget_id.in_(sorted(result)))
                .order_by(BudgetHolding.id)):
            result[budget_id].holdings.append(Holding(HoldingMethod(method), name, provider_id))
    return result


@dataclass(frozen=True)
class Provider:
    """What a document keeps of its provider (``run_invoices`` also takes the
    ``ProviderOrganisation`` itself)."""

    id: int
    name: str
    address: str | None
    town: str | None
    postcode: str | None
    email: str | None
    phone: str | None


def providers(session: Session, ids) -> dict[int, Provider]:
    """Every provider of a run, in one query."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    p = ProviderOrganisation
    return {row.id: Provider(*row) for row in session.execute(
        select(p.id, p.name, p.address, p.town, p.postcode, p.email, p.phone)
        .where(p.id.in_(ids)))}
