"""Payment runs: a council's finance officer pays approved, due invoices by BACS.

Which invoices: those of the officer's council that the council pays, and those of
managed accounts, which the council's finance team pays on the account holder's
behalf (managed-account organisations do not sign in here); approved or part paid,
due on or before the chosen day, and in no other run.

1. ``create_run``: the officer picks invoices; each becomes an item with the amount
   still owed and the payee's bank details as they are now. Nothing is paid. An
   invoice can be in one run only (a unique key), so two officers making runs at the
   same moment cannot both take it.
2. ``confirm_run``: pays the items one at a time, committing after each, through
   ``record_payment`` with the key ``payment-run:<run>:invoice:<invoice>``. An item
   whose invoice was paid meanwhile (by card, say) is left out; one partly paid is
   paid only what is still owed. Interrupted at any point, it is simply run again:
   what was paid stays paid, once, and the rest is paid.
3. The payment file (one BACS line per payee) and each provider's remittance advice
   come from the paid items (``files``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.invoicing import services as invoicing
from marketplace.invoicing.enums import InvoiceKind, InvoiceStatus, PayerKind
from marketplace.invoicing.models import Invoice, InvoicePayment
from marketplace.invoicing.payments.bank import details_for
from marketplace.invoicing.payments.models import (
    BankDetails,
    ItemStatus,
    PaymentRun,
    PaymentRunItem,
    RunStatus,
)

PAYABLE = (InvoiceStatus.APPROVED, InvoiceStatus.PART_PAID)
RUN_PAYERS = (PayerKind.COUNCIL, PayerKind.MANAGED_ACCOUNT)


class PaymentRunError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def checkpoint(step: str) -> None:
    """A named point in ``confirm_run``; tests replace it to crash there."""


def candidates(session: Session, council_id: int, due_by: date) -> list[Invoice]:
    in_a_run = select(PaymentRunItem.id).where(PaymentRunItem.invoice_id == Invoice.id)
    return list(session.scalars(
        select(Invoice).where(
            Invoice.kind == InvoiceKind.INVOICE, Invoice.council_id == council_id,
            Invoice.payer_kind.in_(RUN_PAYERS), Invoice.status.in_(PAYABLE),
            Invoice.due_on <= due_by, ~in_a_run.exists())
        .order_by(Invoice.provider_name, Invoice.provider_id, Invoice.due_on, Invoice.number)))


def bank_details_by_provider(session: Session, provider_ids) -> dict[int, BankDetails]:
    ids = set(provider_ids)
    if not ids:
        return {}
    return {row.provider_id: row for row in session.scalars(
        select(BankDetails).where(BankDetails.provider_id.in_(ids)))}


@dataclass(frozen=True)
class ProviderTotal:
    provider_id: int
    name: str
    invoices: int
    total_pence: int


def totals_by_provider(invoices_or_items) -> list[ProviderTotal]:
    totals: dict[int, list] = {}
    for row in invoices_or_items:
        if isinstance(row, PaymentRunItem):
            if row.status is ItemStatus.SKIPPED:
                continue
            key, name, amount = row.provider_id, row.invoice.provider_name, row.amount_pence
        else:
            key, name, amount = row.provider_id, row.provider_name, row.balance_pence
        entry = totals.setdefault(key, [name, 0, 0])
        entry[1] += 1
        entry[2] += amount
    return [ProviderTotal(pid, name, count, total)
            for pid, (name, count, total) in sorted(totals.items(), key=lambda i: i[1][0])]


def create_run(session: Session, council_id: int, actor, invoice_ids: list[int], *,
               due_by: date, pay_on: date) -> PaymentRun:
    if not invoice_ids:
        raise PaymentRunError(_l("Choose at least one invoice to pay"))
    available = {inv.id: inv for inv in candidates(session, council_id, due_by)}
    gone = [i for i in invoice_ids if i not in available]
    if gone:
        raise PaymentRunError(_l(
            "Some of the invoices you chose are no longer waiting for payment: they were "
            "paid or added to another payment run. Nothing was saved: choose again."))
    chosen = [available[i] for i in sorted(set(invoice_ids))]
    banks = bank_details_by_provider(session, (inv.provider_id for inv in chosen))
    missing = sorted({inv.provider_name for inv in chosen if inv.provider_id not in banks})
    if missing:
        raise PaymentRunError(_l(
            "We do not have bank details for %(names)s. Leave their invoices out, or ask "
            "them to add their bank details.", names=", ".join(missing)))
    run = PaymentRun(council_id=council_id, reference="PR-" + secrets.token_hex(6),
                     status=RunStatus.DRAFT, due_by=due_by, pay_on=pay_on,
                     created_by_id=actor.id)
    session.add(run)
    for invoice in chosen:
        bank = banks[invoice.provider_id]
        run.items.append(PaymentRunItem(
            invoice_id=invoice.id, provider_id=invoice.provider_id,
            payee_name=bank.account_name, sort_code=bank.sort_code,
            account_number=bank.account_number, amount_pence=invoice.balance_pence))
    session.flush()  # the unique key on invoices refuses one another run just took
    run.reference = f"PR{run.id:06d}"
    session.flush()
    return run


def cancel_run(session: Session, run: PaymentRun) -> None:
    if run.status is not RunStatus.DRAFT:
        raise PaymentRunError(_l("Only a payment run that has not been confirmed can be "
                                 "cancelled"))
    run.status = RunStatus.CANCELLED
    run.items.clear()  # its invoices can go in another run
    session.flush()


def _lock_run(session: Session, run: PaymentRun) -> None:
    session.execute(select(PaymentRun.id).where(PaymentRun.id == run.id).with_for_update())
    session.refresh(run, ["status"])


def item_key(item: PaymentRunItem) -> str:
    return f"payment-run:{item.run_id}:invoice:{item.invoice_id}"


def pay_item(session: Session, run: PaymentRun, item: PaymentRunItem, actor) -> None:
    invoice = item.invoice
    invoicing.lock(session, invoice)
    session.refresh(item, ["status"])
    if item.status is not ItemStatus.PENDING:
        return
    key = item_key(item)
    already = session.scalar(select(InvoicePayment).where(
        InvoicePayment.idempotency_key == key))
    if already is not None:  # paid before an interruption; only the item was not marked
        item.amount_pence, item.status = already.amount_pence, ItemStatus.PAID
    elif invoice.status not in PAYABLE or invoice.balance_pence <= 0:
        item.status = ItemStatus.SKIPPED  # paid (or credited) some other way meanwhile
    else:
        item.amount_pence = min(item.amount_pence, invoice.balance_pence)
        checkpoint("before-payment")
        invoicing.record_payment(session, invoice, item.amount_pence, method="bacs",
                                 reference=run.reference, key=key, paid_on=run.pay_on,
                                 actor=actor)
        checkpoint("after-payment")
        item.status = ItemStatus.PAID
    item.paid_at = datetime.now(UTC) if item.status is ItemStatus.PAID else None
    session.flush()


def confirm_run(session: Session, run: PaymentRun, actor) -> PaymentRun:
    """Pay every item still to pay, committing after each (see the module notes).

    The one service here that commits: a run of hundreds of invoices must keep what
    it has done when it is interrupted, and each commit is one invoice's payment."""
    _lock_run(session, run)
    if run.status is RunStatus.CANCELLED:
        session.rollback()
        raise PaymentRunError(_l("This payment run was cancelled"))
    if run.status is RunStatus.PAID:
        session.rollback()
        return run
    if run.status is RunStatus.DRAFT:
        run.status = RunStatus.CONFIRMING
        run.confirmed_by_id = actor.id
        run.confirmed_at = datetime.now(UTC)
    session.flush()
    checkpoint("started")
    session.commit()
    for item_id in [i.id for i in run.items if i.status is ItemStatus.PENDING]:
        item = session.get(PaymentRunItem, item_id)
        checkpoint("item")
        pay_item(session, run, item, actor)
        checkpoint("item-paid")
        session.commit()
    _lock_run(session, run)
    if run.status is RunStatus.CONFIRMING and all(
            i.status is not ItemStatus.PENDING for i in run.items):
        run.status = RunStatus.PAID
        run.completed_at = datetime.now(UTC)
    checkpoint("finishing")
    session.flush()
    return run


def runs_for(session: Session, council_ids: set[int]) -> list[PaymentRun]:
    if not council_ids:
        return []
    return list(session.scalars(select(PaymentRun).where(
        PaymentRun.council_id.in_(council_ids)).order_by(PaymentRun.id.desc()).limit(200)))


def provider_has_bank_details(session: Session, provider_id: int) -> bool:
    return details_for(session, provider_id) is not None
