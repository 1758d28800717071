"""Demo invoicing for the Ashdown demo council (called by `flask demo seed` after
the ordering demo). Deterministic and idempotent.

It runs over whatever delivered, undisputed visits the ordering demo recorded
(nothing is invented here): Harrow Home Care Ltd invoices weekly with 14-day terms,
Bluebell Care Services monthly, everyone else every 4 weeks; the invoice run bills
every period ended by today (as runs four and two weeks ago, then today); the
council's finance officer approves the council-managed and managed-account
invoices issued more than a week ago (settling them on the budgets' ledgers); one
invoice gets a credit note and one a query from the provider, so every screen has
content.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from catalogue.models import ProviderOrganisation
from marketplace.accounts.models import User
from marketplace.invoicing import services
from marketplace.invoicing.enums import BillingPeriod, InvoiceKind, PayerKind
from marketplace.invoicing.errors import InvoicingError
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.runs import run_due
from marketplace.invoicing.terms import ProviderBillingTerms
from marketplace.ledger.errors import LedgerError

TERMS = {"Harrow Home Care Ltd": (BillingPeriod.WEEKLY, 14),
         "Bluebell Care Services": (BillingPeriod.MONTHLY, None)}
FINANCE_EMAIL = "finance@ashdown.example"


def seed_invoicing(session, today: date) -> dict:
    for name, (period, days) in TERMS.items():
        provider = session.scalar(select(ProviderOrganisation)
                                  .where(ProviderOrganisation.name == name))
        if provider is not None and session.get(ProviderBillingTerms, provider.id) is None:
            session.add(ProviderBillingTerms(provider_id=provider.id, period=period,
                                             payment_terms_days=days))
    session.commit()
    # Runs as they would have happened: four and two weeks ago, then today, so older
    # invoices are old enough to be approved and fall due for the payment run.
    for weeks_ago in (4, 2):
        earlier = today - timedelta(weeks=weeks_ago)
        run_due(session, until=earlier, today=earlier)
    result = run_due(session, until=today, today=today)
    finance = session.scalar(select(User).where(User.email == FINANCE_EMAIL))
    invoices = session.scalars(select(Invoice).where(
        Invoice.kind == InvoiceKind.INVOICE).order_by(Invoice.id)).all()
    for invoice in invoices:
        if (invoice.payer_kind in (PayerKind.COUNCIL, PayerKind.MANAGED_ACCOUNT)
                and invoice.approved_on is None
                and invoice.issued_on <= today - timedelta(days=7)):
            try:
                with session.begin_nested():
                    services.approve(session, invoice, finance, on=today)
            except (InvoicingError, LedgerError):
                pass  # left for the finance officer to look at
    session.commit()
    has_note = session.scalar(select(Invoice.id).where(
        Invoice.kind == InvoiceKind.CREDIT_NOTE).limit(1))
    if invoices and has_note is None:
        first = invoices[0]
        services.issue_credit_note(session, first, min(first.gross_pence, 1500),
                                   "Visit shorter than recorded (demo)", finance, on=today)
        owner = (session.get(User, first.provider.members[0].user_id)
                 if first.provider.members else None)
        if owner is not None:
            services.add_query(session, first, owner,
                               "We have credited the short visit on this invoice.",
                               from_provider=True)
        session.commit()
    return {"invoices_created": result.count,
            "invoices": len(invoices)}
