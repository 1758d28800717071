"""Invoice runs: delivered, undisputed delivery records become invoices.

``run_providers`` makes the documents of some providers, each for one or more of its
billing periods, in the caller's transaction (it flushes, never commits): for each
provider-period, one invoice per payer and budget (the council, a managed account
organisation, the person for a direct payment or a self-funded order, and the person
again for their own contribution), or an ISF statement (settled on the ledger at once:
the provider draws from the fund). ``run_invoices`` does it for one provider-period.

``run_due`` is what the command and the button call: for every provider (or one), the
billing periods that have ended by ``until`` and still have unbilled records; it calls
``run_providers`` for ``PROVIDERS_PER_TRANSACTION`` providers at a time and commits
them. A crash half-way loses only the batch in hand (rolled back, numbers and all);
running again bills what is left. A period the ledger refuses (an ISF without the
money) rolls its batch back, which is then run again a provider at a time and that
provider a period at a time, so only the refused period is left over (and reported).
Nothing is billed twice: the records are chosen "not yet on an invoice line" after
taking the providers' number locks, and a unique key on
``invoice_lines(billed_delivery_id, share)`` backs that up.

A batch costs a handful of statements however many providers, periods and documents
it has (``run_reads``): the number locks (the counters made if missing, in the same
statement), one query for the records with everything the documents need, one for the
budgets' holdings, one for the documents' ids, one executemany for the documents and
one for the counters, and one COPY (PostgreSQL) for all the lines.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import ProviderOrganisation
from marketplace.accounts.models import User
from marketplace.db import utcnow
from marketplace.invoicing import numbering, payers, run_writes
from marketplace.invoicing import run_reads as reads
from marketplace.invoicing.enums import BillingPeriod, InvoiceKind, InvoiceStatus, PayerKind
from marketplace.invoicing.errors import InvoicingError
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.periods import last_closed_day, period_of
from marketplace.invoicing.run_reads import (
    RunCache,
    billable_condition,
    terms_for,
    unbilled_condition,
)
from marketplace.invoicing.settlement import settle_invoice
from marketplace.invoicing.terms import ProviderBillingTerms
from marketplace.invoicing.vat import default_rate, split_gross
from marketplace.ledger.errors import LedgerError
from marketplace.ordering.deliveries.models import DeliveryRecord
from marketplace.ordering.schedule import units_text

# How many providers ``run_due`` invoices in one transaction (a crash loses at most
# these; everything else about a run is the same whatever the number).
PROVIDERS_PER_TRANSACTION = 20


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


def _groups(rows: list[reads.Row], budgets: dict[int, reads.RunBudget], provider_id: int
            ) -> dict[tuple, list[tuple[reads.Row, int, payers.Payer]]]:
    """(payer, budget id, person id) -> the deliveries (and amounts) it pays for."""
    groups: dict[tuple, list[tuple[reads.Row, int, payers.Payer]]] = defaultdict(list)
    budget_payers: dict[tuple[int, int], payers.Payer] = {}
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
            key = (budget.id, row.buyer_id)
            if key not in budget_payers:
                budget_payers[key] = payers.budget_payer(budget, provider_id, row.buyer_id)
            payer = budget_payers[key]
            groups[(payer, budget.id, row.buyer_id)].append((row, amount - own, payer))
    return groups


def _line(row: reads.Row, amount: int, payer: payers.Payer, budget_id: int | None) -> tuple:
    """An invoice line's values (plain), in ``run_writes.LINE_COLUMNS`` order."""
    rate = row.vat_rate or default_rate(row.category)
    net, vat = split_gross(amount, rate)
    return (row.order_id, row.order_line_id, row.record_id, row.record_id, payer.share.value,
            budget_id, row.stream, row.service_id, row.category,
            f"{row.service_name} ({units_text(row.units)})"[:300], row.occurred_on,
            row.units, row.unit_price, rate.value, net, vat, amount)


def _address(provider) -> str:
    return ", ".join(p for p in (provider.address, provider.town, provider.postcode) if p)[:500]


def _name_of(session: Session, payer: payers.Payer, person_name: str, cache: RunCache) -> str:
    """Who a document is addressed to: the council, the managing organisation, or the
    person (every person invoiced is the order's buyer)."""
    if payer.kind is PayerKind.COUNCIL:
        return cache.council_name(session, payer.council_id)
    if payer.kind is PayerKind.MANAGED_ACCOUNT:
        return payer.organisation or ""
    return person_name


def run_invoices(session: Session, provider: ProviderOrganisation, period_start: date,
                 period_end: date, *, actor=None, today: date | None = None,
                 cache: RunCache | None = None) -> RunResult:
    """Invoice (or draw, for an ISF) every unbilled, billable delivery of ``provider``
    from ``period_start`` to ``period_end``. Flushes; the caller commits."""
    return run_providers(session, [(provider, [(period_start, period_end)])], actor=actor,
                         today=today, cache=cache)


def run_providers(session: Session, work: list[tuple[object, list[tuple[date, date]]]], *,
                  actor=None, today: date | None = None, cache: RunCache | None = None
                  ) -> RunResult:
    """Invoice (or draw) the unbilled, billable deliveries of each provider (a
    ``ProviderOrganisation`` or ``run_reads.Provider``) in each of its periods (first
    day, last day); a provider's documents are numbered period after period. Flushes;
    the caller commits."""
    work = sorted(((provider, sorted(periods)) for provider, periods in work if periods),
                  key=lambda item: item[0].id)
    if not work:
        return RunResult()
    result = RunResult(periods=sum(len(periods) for _provider, periods in work))
    today = today or _today()
    cache = cache if cache is not None else RunCache()
    # The number locks first: a second run for these providers waits here, then finds
    # the records already billed.
    counters = {(provider_id, numbering.INVOICE_SERIES): counter
                for provider_id, counter in numbering.lock_counters(
                    session, [p.id for p, _periods in work], numbering.INVOICE_SERIES).items()}
    for _provider in work:
        checkpoint("locked")
    periods_of = {provider.id: periods for provider, periods in work}
    by_period = {(p.id, period): [] for p, periods in work for period in periods}
    for row in reads.rows(session, periods_of, min(ps[0][0] for ps in periods_of.values()),
                          max(ps[-1][1] for ps in periods_of.values())):
        period = next((p for p in periods_of[row.provider_id]
                       if p[0] <= row.occurred_on <= p[1]), None)
        if period is not None:  # not between two due periods, nor beyond them
            by_period[(row.provider_id, period)].append(row)
    budgets = reads.budgets(session, [r for found in by_period.values() for r in found])
    planned = []
    for provider, periods in work:
        for period in periods:
            if by_period[(provider.id, period)]:
                planned.append((provider, period, _groups(by_period[(provider.id, period)],
                                                          budgets, provider.id)))
                checkpoint("grouped")
    made: list[tuple[dict, list[tuple], payers.Payer]] = []
    with session.no_autoflush:
        for provider, period, groups in planned:
            made += _documents(session, provider, period, groups, counters, actor=actor,
                               today=today, cache=cache)
    session.flush()  # the counters
    # The documents, then all their lines, each in one statement (rows, not ORM
    # objects: a run writes tens of thousands of them).
    ids = run_writes.insert_documents(session, [document for document, _l, _p in made])
    run_writes.insert_lines(session, [(invoice_id, *line) for invoice_id, (_d, lines, _p)
                                      in zip(ids, made, strict=True) for line in lines])
    checkpoint("lines_added")
    for invoice_id, (_document, _lines, payer) in zip(ids, made, strict=True):
        if payer.isf:
            invoice = session.get(Invoice, invoice_id)
            settle_invoice(session, invoice, on=_settle_day(budgets[invoice.budget_id], today),
                           actor=actor)
            invoice.status = InvoiceStatus.DRAWN
            session.flush()
            checkpoint("drawn")
    result.created.extend(ids)
    for _planned in planned:
        checkpoint("flushed")
    return result


def _documents(session: Session, provider, period: tuple[date, date], groups, counters, *,
               actor, today: date, cache: RunCache
               ) -> list[tuple[dict, list[tuple], payers.Payer]]:
    """The documents of one provider-period, numbered (their ``Invoice`` columns, values
    plain), with their lines' values."""
    due_on = today + timedelta(days=payment_terms_days(cache.terms_of(session, provider.id)))
    made = []
    for (payer, budget_id, person_id), items in sorted(
            groups.items(), key=lambda g: (g[0][1] or 0, g[0][2], g[0][0].share.value)):
        series = numbering.STATEMENT_SERIES if payer.isf else numbering.INVOICE_SERIES
        if (provider.id, series) not in counters:
            counters[(provider.id, series)] = numbering.lock_counter(session, provider.id,
                                                                     series)
        counter = counters[(provider.id, series)]
        counter.last_number += 1  # written with the documents
        document = dict(
            provider_id=provider.id,
            kind=(InvoiceKind.STATEMENT if payer.isf else InvoiceKind.INVOICE).value,
            series=series, number=counter.last_number, payer_kind=payer.kind.value,
            share=payer.share.value, council_id=payer.council_id,
            payer_organisation=payer.organisation, payer_user_id=payer.user_id,
            person_id=person_id,
            payer_name=_name_of(session, payer, items[0][0].buyer_name, cache)[:300],
            budget_id=budget_id, provider_name=provider.name,
            provider_address=_address(provider), provider_email=provider.email,
            provider_phone=provider.phone, period_start=period[0], period_end=period[1],
            issued_on=today, due_on=today if payer.isf else due_on,
            status=InvoiceStatus.ISSUED.value, created_by_id=getattr(actor, "id", None),
            created_at=utcnow())
        checkpoint("numbered")
        lines = [_line(row, amount, line_payer, budget_id) for row, amount, line_payer in items]
        document.update(net_pence=sum(line[-3] for line in lines),
                        vat_pence=sum(line[-2] for line in lines),
                        gross_pence=sum(line[-1] for line in lines))
        checkpoint("invoice_created")
        made.append((document, lines, payer))
    return made


def _settle_day(budget: reads.RunBudget, today: date) -> date:
    """Today, kept within the dates the ledger accepts for the budget."""
    return min(max(budget.period_starts_on, today), budget.period_ends_on + timedelta(days=366))


def due_periods(session: Session, until: date, provider_id: int | None = None,
                cache: RunCache | None = None) -> list[tuple[int, date, date]]:
    """(provider id, period start, period end) for every ended period that has
    unbilled billable records, in order. The providers' terms are kept in ``cache``."""
    query = (select(DeliveryRecord.provider_id, DeliveryRecord.occurred_on).distinct()
             .where(DeliveryRecord.occurred_on <= until, billable_condition(),
                    unbilled_condition()))
    if provider_id is not None:
        query = query.where(DeliveryRecord.provider_id == provider_id)
    found = session.execute(query).all()
    terms = terms_for(session, {p for p, _d in found})
    if cache is not None:
        cache.terms |= terms
    periods = set()
    for provider, day in found:
        period = BillingPeriod(terms[provider].period)
        if day <= last_closed_day(until, period):
            periods.add((provider, *period_of(day, period)))
    return sorted(periods)


def run_due(session: Session, *, until: date, provider_id: int | None = None, actor=None,
            today: date | None = None, batch: int = PROVIDERS_PER_TRANSACTION) -> RunResult:
    """Run every due period, committing ``batch`` providers at a time (see the module
    notes). A period refused by the ledger (e.g. an ISF without the money) is rolled
    back, reported in ``failures`` and tried again next time."""
    result = RunResult()
    actor_id = getattr(actor, "id", None)
    cache = RunCache()
    due: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for provider_id_, start, end in due_periods(session, until, provider_id, cache):
        due[provider_id_].append((start, end))
    providers = reads.providers(session, due)
    work = [(providers[i], periods) for i, periods in due.items()]
    queue = [work[n:n + max(1, batch)] for n in range(0, len(work), max(1, batch))]
    while queue:
        chunk = queue.pop(0)
        actor_now = session.get(User, actor_id) if actor_id else None
        try:
            one = run_providers(session, chunk, actor=actor_now, today=today, cache=cache)
            session.commit()
        except (InvoicingError, LedgerError) as exc:
            session.rollback()
            if len(chunk) > 1:  # again a provider at a time, then a period at a time,
                queue[:0] = [[item] for item in chunk]  # to leave only what was refused
            elif len(chunk[0][1]) > 1:
                queue[:0] = [[(chunk[0][0], [period])] for period in chunk[0][1]]
            else:
                result.failures.append((chunk[0][0].id, chunk[0][1][0][0], str(exc.message)))
            continue
        result.created.extend(one.created)
        result.periods += one.periods
    return result
