"""Card payments through Stripe Checkout, and the refunds that follow credit notes.

Who may pay by card: the person an invoice is addressed to (a direct-payment holder
with a prepaid card, a self-funder, or anyone paying their own contribution), or a
representative acting for them with authority to manage money.

State comes from Stripe, never from the order events arrive in: a payment is recorded
once per payment intent (``record_payment`` key ``stripe:<payment intent id>``), a
refund once per Stripe refund (``stripe-refund:<refund id>``), whichever of the
webhook, the browser's return or a refund event gets there first.

A credit note against an invoice paid by card makes a pending ``CardRefund`` (in the
credit note's own transaction, by a flush hook) for what was overpaid, up to the card
money not yet refunded; after the commit it is sent to Stripe with the idempotency
key ``credit-note-<id>`` (``send_pending_refunds``; ``flask payments send-refunds``
retries any left).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, func, inspect, or_, select
from sqlalchemy.orm import Session

from marketplace.invoicing import services as invoicing
from marketplace.invoicing.enums import InvoiceKind, InvoiceStatus, PayerKind
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.payments import stripe_gateway as gateway
from marketplace.invoicing.payments.models import (
    CardCheckout,
    CardRefund,
    CheckoutStatus,
    RefundStatus,
)

log = logging.getLogger(__name__)

CARD_STATUSES = (InvoiceStatus.ISSUED, InvoiceStatus.APPROVED, InvoiceStatus.PART_PAID)


class CardPaymentError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def payable_by_card(invoice: Invoice) -> bool:
    return (invoice.kind is InvoiceKind.INVOICE and invoice.payer_kind is PayerKind.PERSON
            and invoice.status in CARD_STATUSES and invoice.balance_pence > 0)


def checkouts_of(session: Session, invoice: Invoice) -> list[CardCheckout]:
    return list(session.scalars(select(CardCheckout).where(
        CardCheckout.invoice_id == invoice.id).order_by(CardCheckout.id)))


def start_checkout(session: Session, invoice: Invoice, payer, actor) -> CardCheckout:
    """A new attempt to pay the invoice's balance by card (Stripe is asked after the
    commit, by ``open_checkout``)."""
    if not payable_by_card(invoice):
        raise CardPaymentError(_l("There is nothing to pay on this invoice by card."))
    checkout = CardCheckout(invoice_id=invoice.id, payer_id=payer.id, started_by_id=actor.id,
                            amount_pence=invoice.balance_pence)
    session.add(checkout)
    session.flush()
    return checkout


def open_checkout(session: Session, checkout: CardCheckout, *, success_url: str,
                  cancel_url: str, email: str | None, locale: str) -> str:
    """Ask Stripe for the hosted page; returns its address. ``GatewayError`` if not."""
    invoice = checkout.invoice
    description = str(_l("Invoice %(number)s from %(provider)s", number=invoice.reference,
                         provider=invoice.provider_name))
    metadata = {"checkout_id": str(checkout.id), "invoice_id": str(invoice.id),
                "invoice_number": invoice.reference}
    try:
        stripe_session = gateway.create_checkout_session(
            amount_pence=checkout.amount_pence, description=description,
            success_url=success_url, cancel_url=cancel_url,
            reference=f"invoice-{invoice.id}", metadata=metadata,
            idempotency_key=f"checkout-{checkout.id}", customer_email=email, locale=locale)
    except gateway.GatewayError as exc:
        checkout.status = CheckoutStatus.FAILED
        checkout.failure_message = str(exc.message)[:500]
        session.flush()
        raise
    checkout.stripe_session_id = stripe_session.id
    checkout.checkout_url = stripe_session.url
    checkout.status = CheckoutStatus.OPEN
    session.flush()
    return stripe_session.url


def close_older_checkouts(session: Session, invoice: Invoice) -> None:
    """Before a new attempt: bring earlier open attempts up to date (one may have been
    paid meanwhile) and close the rest at Stripe, so an invoice is never paid twice
    through two pages left open."""
    for checkout in checkouts_of(session, invoice):
        if checkout.status not in (CheckoutStatus.OPEN, CheckoutStatus.FAILED) or \
                not checkout.stripe_session_id:
            continue
        if sync_checkout(session, checkout) is CheckoutStatus.PAID:
            continue
        if gateway.expire_checkout_session(checkout.stripe_session_id) is None:
            sync_checkout(session, checkout)  # it was no longer open: paid just now?
        elif checkout.status is not CheckoutStatus.PAID:
            checkout.status = CheckoutStatus.EXPIRED
    session.flush()


def sync_checkout(session: Session, checkout: CardCheckout) -> CheckoutStatus:
    """Read the session from Stripe and record what it says (idempotent)."""
    stripe_session = gateway.retrieve_checkout_session(checkout.stripe_session_id)
    if stripe_session.payment_status == "paid" and stripe_session.payment_intent_id:
        mark_paid(session, checkout, stripe_session.payment_intent_id,
                  stripe_session.amount_pence, paid_on=None)
    elif stripe_session.status == "expired" and checkout.status is not CheckoutStatus.PAID:
        checkout.status = CheckoutStatus.EXPIRED
    session.flush()
    return checkout.status


def mark_paid(session: Session, checkout: CardCheckout, intent_id: str, amount_pence: int,
              *, paid_on: date | None) -> None:
    if checkout.stripe_payment_intent_id is None:
        checkout.stripe_payment_intent_id = intent_id
    if checkout.status is not CheckoutStatus.PAID:
        checkout.status = CheckoutStatus.PAID
        checkout.paid_at = datetime.now(UTC)
        checkout.failure_message = None
    invoicing.record_payment(session, checkout.invoice, amount_pence, method="card",
                             reference=intent_id, key=f"stripe:{intent_id}", paid_on=paid_on)
    session.flush()


def mark_failed(checkout: CardCheckout, intent_id: str | None, message: str | None) -> None:
    if checkout.status is CheckoutStatus.PAID:
        return  # a late failure of an earlier try: the payment stands
    if intent_id and checkout.stripe_payment_intent_id is None:
        checkout.stripe_payment_intent_id = intent_id
    checkout.status = CheckoutStatus.FAILED
    checkout.failure_message = (message or str(_l("The card was declined.")))[:500]


def find_checkout(session: Session, *, session_id: str | None = None,
                  intent_id: str | None = None, metadata: dict | None = None
                  ) -> CardCheckout | None:
    conditions = []
    if session_id:
        conditions.append(CardCheckout.stripe_session_id == session_id)
    if intent_id:
        conditions.append(CardCheckout.stripe_payment_intent_id == intent_id)
    raw_id = (metadata or {}).get("checkout_id")
    if isinstance(raw_id, str) and raw_id.isdigit() and len(raw_id) < 12:
        conditions.append(CardCheckout.id == int(raw_id))
    if not conditions:
        return None
    return session.scalar(select(CardCheckout).where(or_(*conditions))
                          .order_by(CardCheckout.id).limit(1))


def sync_refunds(session: Session, checkout: CardCheckout) -> None:
    """Record every refund Stripe has made on this payment, once each."""
    if checkout.stripe_payment_intent_id is None:
        return
    for refund in gateway.list_refunds(checkout.stripe_payment_intent_id):
        apply_refund(session, checkout, refund)


def apply_refund(session: Session, checkout: CardCheckout, refund: gateway.Refund) -> CardRefund:
    row = session.scalar(select(CardRefund).where(CardRefund.stripe_refund_id == refund.id))
    ours = refund.metadata.get("card_refund_id", "")
    if row is None and ours.isdigit() and len(ours) < 12:
        row = session.get(CardRefund, int(ours))
        if row is not None and row.checkout_id != checkout.id:
            row = None
    if row is None:  # made in Stripe's dashboard, not for a credit note of ours
        row = CardRefund(checkout_id=checkout.id, stripe_refund_id=refund.id,
                         amount_pence=refund.amount_pence)
        session.add(row)
    row.stripe_refund_id = refund.id
    if refund.status == "succeeded":
        if row.status is not RefundStatus.SUCCEEDED:
            row.status = RefundStatus.SUCCEEDED
            row.completed_at = datetime.now(UTC)
        session.flush()
        invoicing.record_refund(session, checkout.invoice, refund.amount_pence, method="card",
                                reference=refund.id, key=f"stripe-refund:{refund.id}")
    elif refund.status in ("failed", "canceled"):
        row.status = RefundStatus.FAILED
    checkout.refunded_pence = sum(r.amount_pence for r in checkout.refunds
                                  if r.status is RefundStatus.SUCCEEDED)
    session.flush()
    return row


# --- refunds that follow credit notes ---------------------------------------------------


def plan_credit_note_refunds(session: Session, invoice: Invoice, *, flush: bool = True
                             ) -> list[CardRefund]:
    """For each credit note on a card-paid invoice that has no refund yet: a pending
    refund of what is now overpaid (never more than the card money not yet given back)."""
    made = []
    paid = [c for c in checkouts_of(session, invoice)
            if c.status is CheckoutStatus.PAID and c.stripe_payment_intent_id]
    if not paid:
        return made
    notes = session.scalars(select(Invoice).where(
        Invoice.credits_invoice_id == invoice.id, Invoice.kind == InvoiceKind.CREDIT_NOTE,
        ~select(CardRefund.id).where(CardRefund.credit_note_id == Invoice.id).exists())
        .order_by(Invoice.id)).all()
    for note in notes:
        planned = session.scalar(select(func.coalesce(func.sum(CardRefund.amount_pence), 0))
                                 .where(CardRefund.status == RefundStatus.PENDING,
                                        CardRefund.checkout_id.in_([c.id for c in paid])))
        overpaid = -invoice.balance_pence - planned
        wanted = min(note.gross_pence, overpaid)
        for checkout in paid:
            left = checkout.amount_pence - sum(
                r.amount_pence for r in checkout.refunds if r.status is not RefundStatus.FAILED)
            amount = min(wanted, left)
            if amount <= 0:
                continue
            refund = CardRefund(checkout_id=checkout.id, credit_note_id=note.id,
                                amount_pence=amount)
            checkout.refunds.append(refund)
            made.append(refund)
            break  # one refund per credit note (its id is the idempotency key)
    if flush:
        session.flush()
    return made


def send_refund(session: Session, refund: CardRefund) -> None:
    """Ask Stripe to make a pending refund (safe to repeat: same idempotency key)."""
    checkout = refund.checkout
    refund.attempts += 1
    key = f"credit-note-{refund.credit_note_id}" if refund.credit_note_id else \
        f"card-refund-{refund.id}"
    try:
        made = gateway.refund(payment_intent_id=checkout.stripe_payment_intent_id,
                              amount_pence=refund.amount_pence, idempotency_key=key,
                              metadata={"card_refund_id": str(refund.id),
                                        "checkout_id": str(checkout.id),
                                        "credit_note_id": str(refund.credit_note_id or "")})
    except gateway.GatewayError as exc:
        refund.failure_message = exc.detail[:500]
        if exc.code in ("amount_too_large", "charge_already_refunded"):
            refund.status = RefundStatus.FAILED
        session.flush()
        log.warning("card refund %s not made: %s", refund.id, exc.detail)
        return
    apply_refund(session, checkout, made)


def send_pending_refunds(session: Session, limit: int = 100) -> int:
    """Send pending refunds, each committed on its own. Returns how many were sent."""
    sent = 0
    ids = session.scalars(select(CardRefund.id).where(
        CardRefund.status == RefundStatus.PENDING, CardRefund.stripe_refund_id.is_(None))
        .order_by(CardRefund.id).limit(limit)).all()
    for refund_id in ids:
        refund = session.get(CardRefund, refund_id)
        send_refund(session, refund)
        session.commit()
        sent += refund.status is RefundStatus.SUCCEEDED
    return sent


@event.listens_for(Session, "before_flush")
def _notice_credit_notes(session: Session, _ctx, _instances) -> None:
    for obj in session.dirty:
        if isinstance(obj, Invoice) and obj.kind is InvoiceKind.INVOICE and \
                inspect(obj).attrs["credited_pence"].history.has_changes():
            session.info.setdefault("payments_credited", set()).add(obj.id)


@event.listens_for(Session, "after_flush_postexec")
def _plan_refunds(session: Session, _ctx) -> None:
    ids = session.info.pop("payments_credited", None)
    if not ids:
        return
    with session.no_autoflush:
        for invoice_id in sorted(ids):
            invoice = session.get(Invoice, invoice_id)
            if invoice is not None and plan_credit_note_refunds(session, invoice, flush=False):
                session.info["payments_refunds_pending"] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop("payments_refunds_pending", False) and has_request_context():
        g.payments_refunds_pending = True


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("payments_refunds_pending", None)
    session.info.pop("payments_credited", None)
