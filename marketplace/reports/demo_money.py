"""The demo history's invoices and payments, through the invoicing services: the
invoice run for every provider and billing period that has ended (issued two days
after the period), the finance officer's approval of the council's and managed
accounts' invoices (which settles them on the budgets' ledgers) and their payment
by BACS, and the direct-payment holders' and self-funders' own payments (which
settle a direct payment too). ISF statements are drawn from the fund by the run.

The newest invoices are left as they would be today: waiting for approval or
payment. Everything is posted on the day it happened.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from catalogue.models import ProviderOrganisation
from marketplace.invoicing import services as invoicing
from marketplace.invoicing.enums import InvoiceKind, PayerKind
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.runs import due_periods, run_invoices
from marketplace.reports.demo_budgets import as_of

ISSUE_DAYS = 2      # an invoice run the second day after the billing period ends


def _pay_days(rng, invoice: Invoice) -> tuple[int | None, int]:
    """(days from issue to approval, or None for the person's own payment; days from
    then to payment)."""
    if invoice.payer_kind in (PayerKind.COUNCIL, PayerKind.MANAGED_ACCOUNT):
        return rng.randint(3, 9), rng.randint(7, 21)
    return None, rng.randint(4, 20)


def invoice_history(session, rng, today: date, finance) -> dict:
    """Run, approve and pay every invoice of the history's visits; returns counts."""
    made = approved = paid = 0
    providers = {}
    for provider_id, start, end in due_periods(session, until=today):
        provider = providers.get(provider_id) or session.get(ProviderOrganisation, provider_id)
        providers[provider_id] = provider
        issued = min(end + timedelta(days=ISSUE_DAYS), today)
        with as_of(issued):
            result = run_invoices(session, provider, start, end, today=issued)
        made += result.count
        for invoice in session.scalars(select(Invoice).where(Invoice.id.in_(result.created))
                                       .order_by(Invoice.id)):
            if invoice.kind is not InvoiceKind.INVOICE:
                continue
            to_approve, to_pay = _pay_days(rng, invoice)
            day = issued
            if to_approve is not None:
                day = issued + timedelta(days=to_approve)
                if day >= today:
                    continue
                with as_of(day):
                    invoicing.approve(session, invoice, finance, on=day)
                approved += 1
            day += timedelta(days=to_pay)
            if day >= today - timedelta(days=2):
                continue
            payer = finance if to_approve is not None else invoice.payer_user
            method = "bacs" if to_approve is not None else "bank transfer"
            with as_of(day):
                invoicing.record_payment(
                    session, invoice, invoice.balance_pence, method=method,
                    reference=f"{invoice.reference} {day:%d %b %Y}",
                    key=f"history:{invoice.id}:paid", paid_on=day, actor=payer)
            paid += 1
    session.flush()
    return {"invoices": made, "approved": approved, "paid": paid}
