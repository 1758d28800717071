"""Invoice runs: delivered, undisputed delivery records become invoices.

``run_invoices`` makes the documents of ONE provider and ONE billing period in the
caller's transaction (it flushes, never commits): one invoice per payer and budget
(the council, a managed account organisation, the person for a direct payment or a
self-funded order, and the person again for their own contribution), or an ISF
statement (settled on the ledger at once: the provider draws from the fund).

``run_due`` is what the command and the button call: for every provider (or one),
every billing period that has ended by ``until`` and still has unbilled records, it
calls ``run_invoices`` and commits, so each provider-period is its own transaction.
A crash half-way loses only the provider-period in hand (rolled back, numbers and
all); running again bills what is left. Nothing is billed twice: the records are
chosen "not yet on an invoice line" after taking the provider's number lock, and a
unique key on ``invoice_lines(billed_delivery_id, share)`` backs that up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app, has_app_context
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from catalogue.models import ProviderOrganisation
from marketplace.accounts.models import Council, User
from marketplace.budgets.enums import HoldingMethod
from marketplace.budgets.models import Budget, BudgetHolding
from marketplace.invoicing import numbering, payers
from marketplace.invoicing.enums import BillingPeriod, InvoiceKind, InvoiceStatus, PayerKind
from marketplace.invoicing.errors import InvoicingError
from marketplace.invoicing.models import Invoice, InvoiceLine
from marketplace.invoicing.periods import last_closed_day, period_of
from marketplace.invoicing.settlement import settle_invoice
from marketplace.invoicing.terms import ProviderBillingTerms, ServiceVatRate
from marketplace.invoicing.vat import default_rate, split_gross
from marketplace.ledger.errors import LedgerError
from marketplace.ordering.deliveries.models import DeliveryRecord, DeliveryStatus, DisputeOutcome
from marketplace.ordering.models import Order, OrderLine
from marketplace.ordering.schedule import units_text, visit_cost_pence


@dataclass
class RunResult:
    created: list[int] = field(default_factory=list)  # invoice and statement ids
    periods: int = 0
    failures: list[tuple[int, date, str]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.created)


def checkpoint(step: str) -> None:
    """A named step of a run (tests replace this to crash there)."""


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


def payment_terms_days(terms: ProviderBillingTerms | None) -> int:
    if terms is not None and terms.payment_terms_days is not None:
        return terms.payment_terms_days
    if has_app_context():
        return int(current_app.config.get("INVOICE_PAYMENT_TERMS_DAYS", 30))
    return 30


def _today() -> date:
    if has_app_context():
        return current_app.config.get("TODAY_OVERRIDE") or date.today()
    return date.today()


@dataclass
class _Row:
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
    budget_id: int | None
    stream: str | None
    contribution: int
    total: int

    @property
    def amount(self) -> int:
        return visit_cost_pence(self.unit_price, self.units)


def _rows(session: Session, provider_id: int, start: date, end: date) -> list[_Row]:
    query = (select(DeliveryRecord.id, DeliveryRecord.order_id, DeliveryRecord.order_line_id,
                    DeliveryRecord.occurred_on, DeliveryRecord.units_hundredths,
                    DeliveryRecord.unit_price_pence, OrderLine.service_id,
                    OrderLine.service_name, OrderLine.category, Order.buyer_id,
                    Order.budget_id, Order.funding_stream, Order.contribution_pence,
                    Order.total_pence)
             .join(Order, Order.id == DeliveryRecord.order_id)
             .join(OrderLine, OrderLine.id == DeliveryRecord.order_line_id)
             .where(DeliveryRecord.provider_id == provider_id,
                    DeliveryRecord.occurred_on.between(start, end),
                    billable_condition(), unbilled_condition())
             .order_by(DeliveryRecord.occurred_on, DeliveryRecord.starts_at, DeliveryRecord.id))
    return [_Row(*row) for row in session.execute(query)]


@dataclass
class _Holding:
    method: HoldingMethod
    organisation_name: str | None
    provider_id: int | None


@dataclass
class _Budget:
    """What a run needs of a budget (read in two light queries, not as ORM rows)."""

    id: int
    council_id: int
    period_starts_on: date
    period_ends_on: date
    holdings: list[_Holding] = field(default_factory=list)


def _budgets(session: Session, ids: set[int]) -> dict[int, _Budget]:
    if not ids:
        return {}
    budgets = {i: _Budget(i, c, s, e) for i, c, s, e in session.execute(
        select(Budget.id, Budget.council_id, Budget.period_starts_on, Budget.period_ends_on)
        .where(Budget.id.in_(ids)))}
    for budget_id, method, name, provider_id in session.execute(
            select(BudgetHolding.budget_id, BudgetHolding.method,
                   BudgetHolding.organisation_name, BudgetHolding.provider_id)
            .where(BudgetHolding.budget_id.in_(ids)).order_by(BudgetHolding.id)):
        budgets[budget_id].holdings.append(_Holding(HoldingMethod(method), name, provider_id))
    return budgets


def _vat_rates(session: Session, service_ids) -> dict[int, object]:
    ids = sorted(set(service_ids))
    if not ids:
        return {}
    return dict(session.execute(select(ServiceVatRate.service_id, ServiceVatRate.rate)
                                .where(ServiceVatRate.service_id.in_(ids))).all())


def _payer_names(session: Session, payer_list) -> dict:
    """Names of the councils and people who will be invoiced, in two queries."""
    council_ids = {p.council_id for p in payer_list if p.kind is PayerKind.COUNCIL}
    user_ids = {p.user_id for p in payer_list if p.kind is PayerKind.PERSON}
    names = {}
    if council_ids:
        names |= {("council", i): n for i, n in session.execute(
            select(Council.id, Council.name).where(Council.id.in_(council_ids)))}
    if user_ids:
        names |= {("user", i): n for i, n in session.execute(
            select(User.id, User.full_name).where(User.id.in_(user_ids)))}
    return names


def _name_of(payer: payers.Payer, names: dict) -> str:
    if payer.kind is PayerKind.COUNCIL:
        return names[("council", payer.council_id)]
    if payer.kind is PayerKind.MANAGED_ACCOUNT:
        return payer.organisation or ""
    return names[("user", payer.user_id)]


def _address(provider: ProviderOrganisation) -> str:
    return ", ".join(p for p in (provider.address, provider.town, provider.postcode) if p)[:500]


def run_invoices(session: Session, provider: ProviderOrganisation, period_start: date,
                 period_end: date, *, actor=None, today: date | None = None) -> RunResult:
    """Invoice (or draw, for an ISF) every unbilled, billable delivery of ``provider``
    from ``period_start`` to ``period_end``. Flushes; the caller commits."""
    result = RunResult(periods=1)
    today = today or _today()
    # The number lock first: a second run for this provider waits here, then finds
    # the records already billed.
    counters = {numbering.INVOICE_SERIES: numbering.lock_counter(
        session, provider.id, numbering.INVOICE_SERIES)}
    checkpoint("locked")
    rows = _rows(session, provider.id, period_start, period_end)
    if not rows:
        return result
    budgets = _budgets(session, {r.budget_id for r in rows if r.budget_id})
    vat_rates = _vat_rates(session, (r.service_id for r in rows))
    groups: dict[tuple, list[tuple[_Row, int, payers.Payer]]] = defaultdict(list)
    for row in rows:
        amount = row.amount
        if amount <= 0:
            continue
        if row.budget_id is None:
            payer = payers.self_funded_payer(row.buyer_id)
            groups[(payer, None, row.buyer_id)].append((row, amount, payer))
            continue
        budget = budgets[row.budget_id]
        own = payers.contribution_part(amount, row.contribution, row.total)
        if own:
            payer = payers.contribution_payer(row.buyer_id, budget.council_id)
            groups[(payer, budget.id, row.buyer_id)].append((row, own, payer))
        if amount - own:
            payer = payers.budget_payer(budget, provider.id, row.buyer_id)
            groups[(payer, budget.id, row.buyer_id)].append((row, amount - own, payer))
    checkpoint("grouped")
    terms = terms_for(session, [provider.id])[provider.id]
    due_on = today + timedelta(days=payment_terms_days(terms))
    names = _payer_names(session, [payer for payer, _b, _p in groups])
    made: list[tuple[Invoice, list[dict], payers.Payer]] = []
    with session.no_autoflush:
        for (payer, budget_id, person_id), items in sorted(
                groups.items(), key=lambda g: (g[0][1] or 0, g[0][2], g[0][0].share.value)):
            series = numbering.STATEMENT_SERIES if payer.isf else numbering.INVOICE_SERIES
            if series not in counters:
                counters[series] = numbering.lock_counter(session, provider.id, series)
            counters[series].last_number += 1  # written with the invoice, in one flush
            invoice = Invoice(
                provider_id=provider.id,
                kind=InvoiceKind.STATEMENT if payer.isf else InvoiceKind.INVOICE,
                series=series, number=counters[series].last_number, payer_kind=payer.kind,
                share=payer.share, council_id=payer.council_id,
                payer_organisation=payer.organisation, payer_user_id=payer.user_id,
                person_id=person_id, payer_name=_name_of(payer, names)[:300],
                budget_id=budget_id, provider_name=provider.name,
                provider_address=_address(provider), provider_email=provider.email,
                provider_phone=provider.phone, period_start=period_start,
                period_end=period_end, issued_on=today,
                due_on=today if payer.isf else due_on, net_pence=0, vat_pence=0,
                gross_pence=0, status=InvoiceStatus.ISSUED,
                created_by_id=getattr(actor, "id", None))
            checkpoint("numbered")
            lines = []
            for row, amount, line_payer in items:
                rate = vat_rates.get(row.service_id) or default_rate(row.category)
                net, vat = split_gross(amount, rate)
                lines.append(dict(
                    order_id=row.order_id, order_line_id=row.order_line_id,
                    delivery_record_id=row.record_id, billed_delivery_id=row.record_id,
                    share=line_payer.share, budget_id=budget_id, funding_stream=row.stream,
                    service_id=row.service_id, category=row.category,
                    description=f"{row.service_name} ({units_text(row.units)})"[:300],
                    occurred_on=row.occurred_on, quantity_hundredths=row.units,
                    unit_price_pence=row.unit_price, vat_rate=rate, net_pence=net,
                    vat_pence=vat, gross_pence=amount, credits_line_id=None))
                invoice.net_pence += net
                invoice.vat_pence += vat
                invoice.gross_pence += amount
            session.add(invoice)
            checkpoint("invoice_created")
            made.append((invoice, lines, payer))
    # The documents in one statement, then their lines in one executemany (no ORM
    # objects: a run writes tens of thousands of lines).
    session.flush()
    session.execute(InvoiceLine.__table__.insert(), [
        {**line, "invoice_id": invoice.id} for invoice, lines, _payer in made for line in lines])
    checkpoint("lines_added")
    for invoice, _lines, payer in made:
        if payer.isf:
            session.expire(invoice, ["lines"])
            settle_invoice(session, invoice, on=_settle_day(budgets[invoice.budget_id], today),
                           actor=actor)
            invoice.status = InvoiceStatus.DRAWN
            session.flush()
            checkpoint("drawn")
    result.created.extend(invoice.id for invoice, _lines, _payer in made)
    checkpoint("flushed")
    return result


def _settle_day(budget: _Budget, today: date) -> date:
    """Today, kept within the dates the ledger accepts for the budget."""
    return min(max(budget.period_starts_on, today), budget.period_ends_on + timedelta(days=366))


def due_periods(session: Session, until: date, provider_id: int | None = None
                ) -> list[tuple[int, date, date]]:
    """(provider id, period start, period end) for every ended period that has
    unbilled billable records, in order."""
    query = (select(DeliveryRecord.provider_id, DeliveryRecord.occurred_on).distinct()
             .where(DeliveryRecord.occurred_on <= until, billable_condition(),
                    unbilled_condition()))
    if provider_id is not None:
        query = query.where(DeliveryRecord.provider_id == provider_id)
    found = session.execute(query).all()
    terms = terms_for(session, {p for p, _d in found})
    periods = set()
    for provider, day in found:
        period = BillingPeriod(terms[provider].period)
        if day <= last_closed_day(until, period):
            periods.add((provider, *period_of(day, period)))
    return sorted(periods)


def run_due(session: Session, *, until: date, provider_id: int | None = None, actor=None,
            today: date | None = None) -> RunResult:
    """Run every due provider-period, committing each one (see the module notes).
    A period refused by the ledger (e.g. an ISF without the money) is rolled back,
    reported in ``failures`` and tried again next time."""
    result = RunResult()
    actor_id = getattr(actor, "id", None)
    for provider_id_, start, end in due_periods(session, until, provider_id):
        provider = session.get(ProviderOrganisation, provider_id_)
        actor_now = session.get(User, actor_id) if actor_id else None
        try:
            one = run_invoices(session, provider, start, end, actor=actor_now, today=today)
            session.commit()
        except (InvoicingError, LedgerError) as exc:
            session.rollback()
            result.failures.append((provider_id_, start, str(exc.message)))
            continue
        result.created.extend(one.created)
        result.periods += 1
    return result
