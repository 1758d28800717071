"""Demo payments for the Ashdown demo council (called by `flask demo seed` after the
invoicing demo). Deterministic and idempotent.

Every approved demo provider gets bank details (made-up numbers from a seeded random
generator), except one, so the payment-run screen shows the "no bank details"
warning; then the finance officer pays, in one confirmed payment run, the approved
invoices that are due by today, leaving the newer ones for a run in the demo.
Card payments are not invented: they happen through the local test server (the
direct payment invoices stay payable by card).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from catalogue.models import ProviderOrganisation, VettingStatus
from marketplace.accounts.models import User
from marketplace.invoicing.payments import runs
from marketplace.invoicing.payments.models import BankDetails, PaymentRun

FINANCE_EMAIL = "finance@ashdown.example"
WITHOUT_BANK_DETAILS = "Bluebell Care Services"


def seed_payments(session, today: date) -> dict:
    rng = random.Random(20261123)  # noqa: S311 - deterministic demo data
    providers = session.scalars(select(ProviderOrganisation).where(
        ProviderOrganisation.status == VettingStatus.APPROVED)
        .order_by(ProviderOrganisation.id)).all()
    have = set(session.scalars(select(BankDetails.provider_id)))
    for provider in providers:
        sort_code = f"{rng.randint(10, 99)}{rng.randint(0, 99):02d}{rng.randint(0, 99):02d}"
        number = f"{rng.randint(10_000_000, 99_999_999)}"
        if provider.id in have or provider.name == WITHOUT_BANK_DETAILS:
            continue
        name = "".join(ch for ch in provider.name if ch.isalnum() or ch in " .&/'-")[:140]
        session.add(BankDetails(provider_id=provider.id, account_name=name.strip() or "Payee",
                                sort_code=sort_code, account_number=number))
    session.commit()
    finance = session.scalar(select(User).where(User.email == FINANCE_EMAIL))
    made = 0
    if finance is not None and session.scalar(select(PaymentRun.id).limit(1)) is None:
        council_id = min(finance.council_ids_for(*{g.role for g in finance.roles}) or {0})
        due_by = today
        banks = runs.bank_details_by_provider(session, (p.id for p in providers))
        ids = [i.id for i in runs.candidates(session, council_id, due_by)
               if i.provider_id in banks]
        if ids:
            run = runs.create_run(session, council_id, finance, ids, due_by=due_by,
                                  pay_on=due_by + timedelta(days=2))
            session.commit()
            runs.confirm_run(session, run, finance)
            session.commit()
            made = 1
    return {"bank_details": len(providers) - 1, "payment_runs": made}
