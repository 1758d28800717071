"""Invoice services: approve, credit, record payments and refunds, and queries.

They take the session, flush and never commit (the view or command commits once).
Each refusal raises ``InvoicingError`` (or the ledger's ``LedgerError``) with a
message to show, and changes nothing. Invoice runs are in ``runs``.

For the payments package: ``record_payment`` and ``record_refund`` are idempotent by
``key`` (a second call with the same key returns the first row and changes
nothing); ``record_payment`` on an invoice not yet approved approves it first (a
person paying their own invoice by card is their approval).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.invoicing import numbering, settlement
from marketplace.invoicing.enums import InvoiceKind, InvoiceStatus, PaymentKind
from marketplace.invoicing.errors import InvoicingError
from marketplace.invoicing.models import Invoice, InvoiceLine, InvoicePayment, InvoiceQuery
from marketplace.invoicing.vat import split_gross
from marketplace.money import format_pence

__all__ = ["InvoicingError", "add_query", "approve", "credit_lines_of", "issue_credit_note",
           "record_payment", "record_refund", "refresh_status"]

MAX_TEXT = 2000
SETTLED = (InvoiceStatus.APPROVED, InvoiceStatus.PART_PAID, InvoiceStatus.PAID)


def today() -> date:
    if has_app_context():
        return current_app.config.get("TODAY_OVERRIDE") or date.today()
    return date.today()


def lock(session: Session, invoice: Invoice) -> None:
    """Lock the invoice row until the transaction ends (a no-op on SQLite) and read
    its progress afresh."""
    session.execute(select(Invoice.id).where(Invoice.id == invoice.id).with_for_update())
    session.refresh(invoice, ["status", "credited_pence", "paid_pence", "approved_on",
                              "settled_pence", "settlement_difference_pence"])


def refresh_status(invoice: Invoice) -> None:
    """The status that follows from the money (invoices only)."""
    if invoice.kind is not InvoiceKind.INVOICE:
        return
    if invoice.payable_pence <= 0:
        status = InvoiceStatus.CREDITED
    elif invoice.paid_pence >= invoice.payable_pence:
        status = InvoiceStatus.PAID
    elif invoice.paid_pence > 0:
        status = InvoiceStatus.PART_PAID
    elif invoice.approved_on is not None:
        status = InvoiceStatus.APPROVED
    else:
        status = InvoiceStatus.ISSUED
    if invoice.status != status:
        invoice.status = status


def credit_lines_of(session: Session, invoice: Invoice) -> list[InvoiceLine]:
    return list(session.scalars(
        select(InvoiceLine).join(Invoice, InvoiceLine.invoice_id == Invoice.id)
        .where(Invoice.credits_invoice_id == invoice.id).order_by(InvoiceLine.id)))


def approve(session: Session, invoice: Invoice, actor, *, on: date | None = None) -> Invoice:
    """Approve an issued invoice for payment; one paid from a budget is settled on
    its ledger at the same time. Approving twice changes nothing."""
    if invoice.kind is not InvoiceKind.INVOICE:
        raise InvoicingError(_l("Only invoices are approved for payment"))
    lock(session, invoice)
    if invoice.approved_on is not None:
        return invoice
    if invoice.status is InvoiceStatus.CREDITED:
        raise InvoicingError(_l("This invoice was credited in full: there is nothing to "
                                "approve"))
    on = on or today()
    if invoice.settles_budget:
        settlement.settle_invoice(session, invoice, on=on, actor=actor,
                                  credit_lines=credit_lines_of(session, invoice))
    invoice.approved_on = on
    invoice.approved_by_id = getattr(actor, "id", None)
    refresh_status(invoice)
    session.flush()
    return invoice


def _check_reason(reason) -> str:
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise InvoicingError(_l("Give the reason for the credit note"))
    if len(reason) > 500:
        raise InvoicingError(_l("The reason must be 500 characters or fewer"))
    return reason


def _creditable(session: Session, invoice: Invoice) -> dict[int, int]:
    """Line id -> what may still be credited on that line."""
    left = {line.id: line.gross_pence for line in invoice.lines}
    for line in credit_lines_of(session, invoice):
        if line.credits_line_id in left:
            left[line.credits_line_id] -= line.gross_pence
    return left


def _amounts(invoice: Invoice, left: dict[int, int], lines_or_amount) -> dict[int, int]:
    """Line id -> pence to credit, from an amount, some lines, or {line id: pence}."""
    if isinstance(lines_or_amount, bool):
        raise InvoicingError(_l("Enter the amount to credit"))
    if isinstance(lines_or_amount, int):
        remaining = lines_or_amount
        if remaining <= 0:
            raise InvoicingError(_l("The amount to credit must be more than £0.00"))
        if remaining > sum(left.values()):
            raise InvoicingError(_l("You can credit at most %(max)s on this invoice",
                                    max=format_pence(sum(left.values()))))
        wanted = {}
        for line in reversed(invoice.lines):  # the latest deliveries first
            take = min(remaining, left[line.id])
            if take > 0:
                wanted[line.id] = take
                remaining -= take
        return wanted
    if isinstance(lines_or_amount, Mapping):
        wanted = {int(k): v for k, v in lines_or_amount.items()}
    elif isinstance(lines_or_amount, Iterable):
        wanted = {line.id: left.get(line.id, 0) for line in lines_or_amount}
    else:
        raise InvoicingError(_l("Choose the lines or the amount to credit"))
    if not wanted:
        raise InvoicingError(_l("Choose at least one line to credit"))
    for line_id, amount in wanted.items():
        if line_id not in left:
            raise InvoicingError(_l("That line is not on this invoice"))
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise InvoicingError(_l("Nothing is left to credit on that line"))
        if amount > left[line_id]:
            raise InvoicingError(_l("You can credit at most %(max)s on that line",
                                    max=format_pence(left[line_id])))
    return wanted


def issue_credit_note(session: Session, invoice: Invoice, lines_or_amount, reason: str,
                      actor, *, on: date | None = None) -> Invoice:
    """Issue a credit note against ``invoice`` for an amount (taken from its latest
    lines first), for whole lines, or for {line id: pence}. It is numbered in the
    invoices' series. If the invoice was settled on a budget, the money goes back."""
    if invoice.kind is not InvoiceKind.INVOICE:
        raise InvoicingError(_l("Credit notes are issued against invoices only"))
    reason = _check_reason(reason)
    lock(session, invoice)
    wanted = _amounts(invoice, _creditable(session, invoice), lines_or_amount)
    on = on or today()
    by_id = {line.id: line for line in invoice.lines}
    note = Invoice(
        provider_id=invoice.provider_id, kind=InvoiceKind.CREDIT_NOTE,
        series=numbering.INVOICE_SERIES,
        number=numbering.next_number(session, invoice.provider_id, numbering.INVOICE_SERIES),
        credits_invoice_id=invoice.id, payer_kind=invoice.payer_kind, share=invoice.share,
        council_id=invoice.council_id, payer_organisation=invoice.payer_organisation,
        payer_user_id=invoice.payer_user_id, person_id=invoice.person_id,
        payer_name=invoice.payer_name, budget_id=invoice.budget_id,
        provider_name=invoice.provider_name, provider_address=invoice.provider_address,
        provider_email=invoice.provider_email, provider_phone=invoice.provider_phone,
        period_start=invoice.period_start, period_end=invoice.period_end, issued_on=on,
        due_on=on, net_pence=0, vat_pence=0, gross_pence=0, reason=reason,
        status=InvoiceStatus.ISSUED, created_by_id=getattr(actor, "id", None))
    for line_id, amount in sorted(wanted.items()):
        line = by_id[line_id]
        net, vat = split_gross(amount, line.vat_rate)
        whole = amount == line.gross_pence
        note.lines.append(InvoiceLine(
            order_id=line.order_id, order_line_id=line.order_line_id,
            delivery_record_id=line.delivery_record_id, share=line.share,
            credits_line_id=line.id, budget_id=line.budget_id,
            funding_stream=line.funding_stream, service_id=line.service_id,
            category=line.category, description=line.description[:300],
            occurred_on=line.occurred_on,
            quantity_hundredths=line.quantity_hundredths if whole else 0,
            unit_price_pence=line.unit_price_pence, vat_rate=line.vat_rate, net_pence=net,
            vat_pence=vat, gross_pence=amount))
        note.net_pence += net
        note.vat_pence += vat
        note.gross_pence += amount
    session.add(note)
    session.flush()
    if invoice.settles_budget and invoice.approved_on is not None:
        settlement.refund_credit(session, note, invoice, on=on, actor=actor)
    invoice.credited_pence += note.gross_pence
    refresh_status(invoice)
    session.flush()
    return note


def _check_money(amount_pence, what) -> int:
    if isinstance(amount_pence, bool) or not isinstance(amount_pence, int) or amount_pence <= 0:
        raise InvoicingError(_l("The %(what)s must be a whole number of pence, more than "
                                "£0.00", what=what))
    return amount_pence


def _check_key(key) -> str:
    if not isinstance(key, str) or not key.strip() or len(key) > 200:
        raise InvoicingError(_l("Every payment needs a key of 1 to 200 characters"))
    return key


def _existing(session: Session, key: str, invoice: Invoice, kind: PaymentKind,
              amount: int) -> InvoicePayment | None:
    found = session.scalar(select(InvoicePayment).where(InvoicePayment.idempotency_key == key))
    if found is None:
        return None
    if (found.invoice_id, found.kind, found.amount_pence) != (invoice.id, kind, amount):
        raise InvoicingError(_l("This payment's key was already used for a different "
                                "payment; nothing was recorded"))
    return found


def record_payment(session: Session, invoice: Invoice, amount_pence: int, *, method: str,
                   reference: str, key: str, paid_on: date | None = None,
                   actor=None) -> InvoicePayment:
    """Money received for ``invoice`` (idempotent by ``key``). The invoice becomes
    part paid or paid; more than the balance is recorded (the money did arrive) and
    shows as a refund due."""
    amount = _check_money(amount_pence, _l("payment"))
    key = _check_key(key)
    if invoice.kind is not InvoiceKind.INVOICE:
        raise InvoicingError(_l("Payments are recorded against invoices only"))
    existing = _existing(session, key, invoice, PaymentKind.PAYMENT, amount)
    if existing is not None:
        return existing
    lock(session, invoice)
    existing = _existing(session, key, invoice, PaymentKind.PAYMENT, amount)
    if existing is not None:  # recorded by someone else while we waited for the lock
        return existing
    paid_on = paid_on or today()
    if invoice.approved_on is None:
        approve(session, invoice, actor, on=paid_on)
    payment = InvoicePayment(invoice_id=invoice.id, kind=PaymentKind.PAYMENT,
                             amount_pence=amount, method=str(method)[:40],
                             reference=str(reference or "")[:200], idempotency_key=key,
                             paid_on=paid_on, created_by_id=getattr(actor, "id", None))
    session.add(payment)
    invoice.paid_pence += amount
    refresh_status(invoice)
    session.flush()
    return payment


def record_refund(session: Session, invoice: Invoice, amount_pence: int, *, method: str,
                  reference: str, key: str, refunded_on: date | None = None,
                  actor=None) -> InvoicePayment:
    """Money given back to the payer (e.g. after a credit note on a paid invoice),
    idempotent by ``key``; never more than was paid."""
    amount = _check_money(amount_pence, _l("refund"))
    key = _check_key(key)
    existing = _existing(session, key, invoice, PaymentKind.REFUND, amount)
    if existing is not None:
        return existing
    lock(session, invoice)
    existing = _existing(session, key, invoice, PaymentKind.REFUND, amount)
    if existing is not None:
        return existing
    if amount > invoice.paid_pence:
        raise InvoicingError(_l("You can refund at most %(max)s: that is what was paid",
                                max=format_pence(invoice.paid_pence)))
    refund = InvoicePayment(invoice_id=invoice.id, kind=PaymentKind.REFUND,
                            amount_pence=amount, method=str(method)[:40],
                            reference=str(reference or "")[:200], idempotency_key=key,
                            paid_on=refunded_on or today(),
                            created_by_id=getattr(actor, "id", None))
    session.add(refund)
    invoice.paid_pence -= amount
    refresh_status(invoice)
    session.flush()
    return refund


def add_query(session: Session, invoice: Invoice, author, body: str, *,
              from_provider: bool, key: str | None = None) -> InvoiceQuery:
    """A payer's query or dispute about an invoice, or the provider's answer (stored
    once per ``key``)."""
    if key is not None:
        found = session.scalar(select(InvoiceQuery).where(InvoiceQuery.idempotency_key == key))
        if found is not None and found.invoice_id == invoice.id:
            return found
        if found is not None:
            raise InvoicingError(_l("The form has expired. Copy your message, reload the "
                                    "page and send it again"))
    body = (body or "").strip()
    if not body:
        raise InvoicingError(_l("Enter your message"))
    if len(body) > MAX_TEXT:
        raise InvoicingError(_l("Your message must be %(max)s characters or fewer",
                                max=MAX_TEXT))
    query = InvoiceQuery(invoice_id=invoice.id, author_id=author.id,
                         from_provider=from_provider, body=body, idempotency_key=key)
    session.add(query)
    session.flush()
    return query
