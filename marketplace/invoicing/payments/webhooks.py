"""Stripe's webhook events: stored once by event id, then acted on idempotently.

``receive`` stores a verified event (``stripe_events.event_id`` is unique, so a
replay, even a concurrent one, is recognised) and handles it. An event that was
handled before changes nothing; one whose handling failed (Stripe could not be
reached, say) is tried again when Stripe redelivers it. Handlers read the state
from the event's object or from Stripe, never from the order events arrive in, so a
refund before the completion, or a late failure after a success, come out right.

``refuse`` keeps a record of a request that was not signed by Stripe.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.invoicing.errors import InvoicingError
from marketplace.invoicing.payments import cards
from marketplace.invoicing.payments import stripe_gateway as gateway
from marketplace.invoicing.payments.models import (
    CheckoutStatus,
    RefusedWebhook,
    StripeEvent,
)

log = logging.getLogger(__name__)

HANDLED = "handled"
IGNORED = "ignored"
DUPLICATE = "duplicate"
FAILED = "failed"


def _created(event: dict) -> datetime | None:
    created = event.get("created")
    if isinstance(created, int) and 0 < created < 2**33:
        return datetime.fromtimestamp(created, UTC)
    return None


def receive(session: Session, event: dict) -> str:
    """Store and handle one verified event. Returns what happened (for the log)."""
    obj = event["data"]["object"]
    stored = session.scalar(select(StripeEvent).where(StripeEvent.event_id == event["id"]))
    if stored is not None and stored.outcome != FAILED:
        stored.deliveries += 1
        session.flush()
        return DUPLICATE
    if stored is None:
        stored = StripeEvent(
            event_id=str(event["id"])[:255], event_type=str(event["type"])[:100],
            object_id=str(obj.get("id") or "")[:255] or None,
            livemode=bool(event.get("livemode")), stripe_created_at=_created(event),
            payload=event, outcome="received")
        try:
            with session.begin_nested():
                session.add(stored)
                session.flush()
        except IntegrityError:  # the same event, delivered twice at once
            return DUPLICATE
    else:
        stored.deliveries += 1
    try:
        with session.begin_nested():
            outcome, detail = handle(session, event)
    except (gateway.GatewayError, InvoicingError) as exc:
        outcome, detail = FAILED, str(getattr(exc, "detail", "") or exc)
        log.warning("stripe event %s (%s) not handled yet: %s", event["id"], event["type"],
                    detail)
    stored.outcome = outcome
    stored.detail = (detail or None) and detail[:500]
    session.flush()
    return outcome


def handle(session: Session, event: dict) -> tuple[str, str]:
    kind = event["type"]
    obj = event["data"]["object"]
    paid_on = (_created(event) or datetime.now(UTC)).date()
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    intent_id = obj.get("payment_intent") if kind.startswith(("checkout.", "charge.", "refund.")) \
        else obj.get("id")
    intent_id = intent_id if isinstance(intent_id, str) else None
    checkout = cards.find_checkout(
        session, session_id=obj.get("id") if kind.startswith("checkout.") else None,
        intent_id=intent_id, metadata=metadata)
    if checkout is None:
        return IGNORED, "not a payment made here"

    if kind in ("checkout.session.completed", "checkout.session.async_payment_succeeded"):
        if obj.get("payment_status") != "paid" or not intent_id:
            return IGNORED, "not paid yet"
        cards.mark_paid(session, checkout, intent_id, int(obj["amount_total"]), paid_on=paid_on)
        return HANDLED, f"paid {checkout.invoice.reference}"
    if kind == "payment_intent.succeeded":
        cards.mark_paid(session, checkout, intent_id, int(obj["amount_received"]),
                        paid_on=paid_on)
        return HANDLED, f"paid {checkout.invoice.reference}"
    if kind == "payment_intent.payment_failed":
        error = obj.get("last_payment_error") or {}
        cards.mark_failed(checkout, intent_id, error.get("message"))
        session.flush()
        return HANDLED, f"failed: {error.get('message')}"
    if kind == "checkout.session.expired":
        if checkout.status in (CheckoutStatus.OPEN, CheckoutStatus.STARTING):
            checkout.status = CheckoutStatus.EXPIRED
            session.flush()
        return HANDLED, "expired"
    if kind in ("charge.refunded", "refund.created", "refund.updated", "charge.refund.updated"):
        if checkout.status is not CheckoutStatus.PAID and intent_id:
            # A refund arrived before the completion: the payment happened; record it
            # from Stripe's own account of it first.
            intent = gateway.retrieve_payment_intent(intent_id)
            if intent.status == "succeeded":
                cards.mark_paid(session, checkout, intent.id, intent.received_pence,
                                paid_on=paid_on)
        if checkout.stripe_payment_intent_id is None and intent_id:
            checkout.stripe_payment_intent_id = intent_id
        cards.sync_refunds(session, checkout)
        return HANDLED, f"refunds: {checkout.refunded_pence}p"
    return IGNORED, "no action for this type"


def _text(value, length: int) -> str | None:
    """Untrusted text, safe to store: no NUL characters, cut to length."""
    if value is None:
        return None
    text = str(value).replace("\x00", "")[:length]
    return text or None


def refuse(session: Session, *, reason: str, payload: bytes, signature: str | None,
           remote_addr: str | None) -> RefusedWebhook:
    claimed_id = claimed_type = None
    try:
        parsed = json.loads(payload)
        if isinstance(parsed, dict):
            claimed_id, claimed_type = parsed.get("id"), parsed.get("type")
    except (ValueError, UnicodeDecodeError, RecursionError):
        pass
    row = RefusedWebhook(reason=_text(reason, 300) or "refused",
                         remote_addr=_text(remote_addr, 64),
                         signature_header=_text(signature, 500),
                         claimed_event_id=_text(claimed_id, 255),
                         claimed_type=_text(claimed_type, 100),
                         payload_bytes=len(payload),
                         payload_sha256=hashlib.sha256(payload).hexdigest())
    session.add(row)
    session.flush()
    return row
