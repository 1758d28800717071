"""The one place that talks to Stripe (the adapter). Nothing else imports ``stripe``.

Amounts are integer pence, the same integer Stripe takes as the minor unit of GBP.
Every call is made with a ``StripeClient`` built from the settings:

- ``STRIPE_SECRET_KEY``: the secret API key (test keys ``sk_test_...``);
- ``STRIPE_API_BASE``: where the API is. Empty: Stripe itself. ``local``: the local
  Stripe-compatible test server, started in this process on first use (the demo and
  development default). A URL: a server running elsewhere, such as
  ``flask payments stripe-server`` or the tests' own;
- ``STRIPE_WEBHOOK_SECRET``: the signing secret of our webhook endpoint (``whsec_...``).

A per-client base address is used rather than the global ``stripe.api_base``, so two
apps in one process (tests) never share a setting; it has the same effect.

Errors become ``GatewayError`` with a message a person can be shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import stripe
from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.invoicing.payments import local_stripe


class GatewayError(Exception):
    """Stripe could not do it. ``message`` can be shown; ``detail`` is for the log."""

    def __init__(self, message, detail: str = "", code: str | None = None):
        super().__init__(detail or str(message))
        self.message = message
        self.detail = detail
        self.code = code


class WebhookRefused(Exception):
    """The request did not carry a valid signature from Stripe."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str | None
    status: str            # open, complete, expired
    payment_status: str    # unpaid, paid, no_payment_required
    payment_intent_id: str | None
    amount_pence: int
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentIntent:
    id: str
    status: str            # succeeded, requires_payment_method, processing, canceled ...
    amount_pence: int
    received_pence: int
    metadata: dict = field(default_factory=dict)
    failure_message: str | None = None


@dataclass(frozen=True)
class Refund:
    id: str
    amount_pence: int
    status: str            # succeeded, pending, failed, canceled
    payment_intent_id: str | None
    metadata: dict = field(default_factory=dict)


def _client() -> stripe.StripeClient:
    config = current_app.config
    base = local_stripe.api_base(current_app)
    return stripe.StripeClient(
        config["STRIPE_SECRET_KEY"] or "sk_test_missing",
        base_addresses={"api": base} if base else None,
        max_network_retries=1,
        http_client=stripe.RequestsClient(timeout=config["STRIPE_TIMEOUT_SECONDS"]),
    )


def _fail(exc: stripe.StripeError) -> GatewayError:
    if isinstance(exc, stripe.APIConnectionError):
        message = _l("We could not reach the card payment service. No money has been "
                     "taken. Please try again in a few minutes.")
    else:
        message = _l("The card payment service could not do this. No money has been "
                     "taken. Please try again later or contact us.")
    return GatewayError(message, detail=f"{type(exc).__name__}: {exc.user_message or exc}",
                        code=getattr(exc, "code", None))


def _plain(obj) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _session(obj) -> CheckoutSession:
    obj = _plain(obj)
    intent = obj.get("payment_intent")
    if isinstance(intent, dict):  # expanded
        intent = intent.get("id")
    return CheckoutSession(id=obj["id"], url=obj.get("url"), status=obj["status"],
                           payment_status=obj["payment_status"], payment_intent_id=intent,
                           amount_pence=int(obj["amount_total"]),
                           metadata=dict(obj.get("metadata") or {}))


def _intent(obj) -> PaymentIntent:
    obj = _plain(obj)
    error = obj.get("last_payment_error")
    return PaymentIntent(id=obj["id"], status=obj["status"], amount_pence=int(obj["amount"]),
                         received_pence=int(obj.get("amount_received") or 0),
                         metadata=dict(obj.get("metadata") or {}),
                         failure_message=(error or {}).get("message"))


def _refund(obj) -> Refund:
    obj = _plain(obj)
    return Refund(id=obj["id"], amount_pence=int(obj["amount"]), status=obj["status"],
                  payment_intent_id=obj.get("payment_intent"),
                  metadata=dict(obj.get("metadata") or {}))


def create_checkout_session(*, amount_pence: int, description: str, success_url: str,
                            cancel_url: str, reference: str, metadata: dict[str, str],
                            idempotency_key: str, customer_email: str | None = None,
                            locale: str = "auto") -> CheckoutSession:
    """A Checkout Session taking ``amount_pence`` (GBP) for one thing; the browser is sent
    to its ``url``. ``metadata`` goes on the session and on its payment intent."""
    if amount_pence < 1:
        raise ValueError("a card payment must be at least 1p")
    params = {
        "mode": "payment",
        "line_items": [{"quantity": 1, "price_data": {
            "currency": "gbp", "unit_amount": amount_pence,
            "product_data": {"name": description[:250]}}}],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "client_reference_id": reference,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": description[:250]},
        "locale": locale,
    }
    if customer_email:
        params["customer_email"] = customer_email
    try:
        obj = _client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": idempotency_key})
    except stripe.StripeError as exc:
        raise _fail(exc) from exc
    return _session(obj)


def retrieve_checkout_session(session_id: str) -> CheckoutSession:
    try:
        return _session(_client().v1.checkout.sessions.retrieve(session_id))
    except stripe.StripeError as exc:
        raise _fail(exc) from exc


def expire_checkout_session(session_id: str) -> CheckoutSession | None:
    """Close an open session so it can no longer be paid; None if it was not open."""
    try:
        return _session(_client().v1.checkout.sessions.expire(session_id))
    except stripe.InvalidRequestError:
        return None
    except stripe.StripeError as exc:
        raise _fail(exc) from exc


def retrieve_payment_intent(intent_id: str) -> PaymentIntent:
    try:
        return _intent(_client().v1.payment_intents.retrieve(intent_id))
    except stripe.StripeError as exc:
        raise _fail(exc) from exc


def refund(*, payment_intent_id: str, amount_pence: int | None, idempotency_key: str,
           metadata: dict[str, str] | None = None) -> Refund:
    """Give back ``amount_pence`` of a card payment (all that is left when None)."""
    params: dict = {"payment_intent": payment_intent_id, "metadata": metadata or {},
                    "reason": "requested_by_customer"}
    if amount_pence is not None:
        if amount_pence < 1:
            raise ValueError("a refund must be at least 1p")
        params["amount"] = amount_pence
    try:
        obj = _client().v1.refunds.create(params=params,
                                          options={"idempotency_key": idempotency_key})
    except stripe.StripeError as exc:
        raise _fail(exc) from exc
    return _refund(obj)


def list_refunds(payment_intent_id: str) -> list[Refund]:
    try:
        page = _client().v1.refunds.list(params={"payment_intent": payment_intent_id,
                                                 "limit": 100})
    except stripe.StripeError as exc:
        raise _fail(exc) from exc
    return [_refund(obj) for obj in page.data]


def verify_webhook(payload: bytes, signature: str | None) -> dict:
    """The event in a webhook request, if Stripe signed it with our secret (within
    Stripe's five-minute tolerance); ``WebhookRefused`` otherwise."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET") or ""
    if not secret:
        raise WebhookRefused("STRIPE_WEBHOOK_SECRET is not set")
    try:
        stripe.Webhook.construct_event(payload, signature, secret)
        event = json.loads(payload)
    except stripe.SignatureVerificationError as exc:
        raise WebhookRefused(str(exc)) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookRefused(f"not JSON: {exc}") from exc
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or \
            not isinstance(event.get("type"), str) or \
            not isinstance((event.get("data") or {}).get("object"), dict):
        raise WebhookRefused("not a Stripe event")
    return event
