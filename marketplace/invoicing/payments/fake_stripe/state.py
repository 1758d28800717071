"""The objects the local Stripe-compatible server keeps, in memory, and the rules that
move them (no HTTP here). Shapes follow Stripe's API: ``id``, ``object``, ``created``,
``livemode``, amounts in the currency's minor unit (pence).

Only what the marketplace's adapter uses is implemented: Checkout Sessions (created,
retrieved, expired, paid or declined on the hosted page), Payment Intents (retrieved),
Charges (made when a payment succeeds) and Refunds (created, retrieved, listed), and
the events those changes raise, signed the way ``stripe.Webhook.construct_event``
checks them.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from hashlib import sha256

API_VERSION = "2026-10-28.endive"

# Test cards, as in Stripe's documentation: what each one does on the hosted page.
TEST_CARDS = {
    "4242424242424242": None,  # succeeds
    "4000000000000002": ("card_declined", "generic_decline", "Your card was declined."),
    "4000000000009995": ("card_declined", "insufficient_funds",
                         "Your card has insufficient funds."),
}


class StripeError(Exception):
    """An error answered in Stripe's shape: {"error": {"type", "message", ...}}."""

    def __init__(self, status: int, message: str, *, code: str | None = None,
                 param: str | None = None, kind: str = "invalid_request_error"):
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": kind, "message": message,
                               **({"code": code} if code else {}),
                               **({"param": param} if param else {})}}


def new_id(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_hex(12)}"


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header for ``payload``: t=<unix time>,v1=<HMAC-SHA256 hex>."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


@dataclass
class Delivery:
    """One signed webhook: what was (or will be) POSTed to the endpoint."""

    event_id: str
    event_type: str
    payload: str
    signature: str
    status: int | None = None  # the endpoint's answer; None: not delivered
    error: str | None = None


@dataclass
class State:
    webhook_secret: str
    base_url: str = ""
    sessions: dict[str, dict] = field(default_factory=dict)
    intents: dict[str, dict] = field(default_factory=dict)
    charges: dict[str, dict] = field(default_factory=dict)
    refunds: dict[str, dict] = field(default_factory=dict)
    events: dict[str, dict] = field(default_factory=dict)
    idempotent: dict[tuple[str, str], tuple[str, int, dict]] = field(default_factory=dict)
    pending: list[str] = field(default_factory=list)  # events not yet handed on
    lock: threading.RLock = field(default_factory=threading.RLock)

    # --- checkout sessions -------------------------------------------------------

    def create_session(self, params: dict) -> dict:
        if params.get("mode") != "payment":
            raise StripeError(400, "This server only supports mode=payment.", param="mode")
        items = params.get("line_items") or []
        if not items:
            raise StripeError(400, "Missing required param: line_items.", param="line_items")
        total = 0
        currency = None
        for index, item in enumerate(items):
            price = item.get("price_data") or {}
            try:
                amount = int(price.get("unit_amount", ""))
                quantity = int(item.get("quantity", "1"))
            except ValueError as exc:
                raise StripeError(400, "Invalid integer.",
                                  param=f"line_items[{index}][price_data][unit_amount]") from exc
            if amount < 1 or quantity < 1:
                raise StripeError(400, "Amounts must be at least 1.",
                                  param=f"line_items[{index}][price_data][unit_amount]")
            currency = currency or price.get("currency")
            total += amount * quantity
        for url_param in ("success_url", "cancel_url"):
            if not str(params.get(url_param, "")).startswith(("http://", "https://")):
                raise StripeError(400, f"Not a valid URL: {url_param}.", param=url_param)
        session_id = new_id("cs")
        now = int(time.time())
        obj = {
            "id": session_id, "object": "checkout.session", "livemode": False,
            "created": now, "expires_at": now + 24 * 3600, "mode": "payment",
            "amount_subtotal": total, "amount_total": total, "currency": currency or "gbp",
            "client_reference_id": params.get("client_reference_id"),
            "customer_email": params.get("customer_email"),
            "metadata": dict(params.get("metadata") or {}),
            "payment_intent": None, "payment_status": "unpaid", "status": "open",
            "success_url": params["success_url"], "cancel_url": params["cancel_url"],
            "url": f"{self.base_url}/checkout/{session_id}",
            "locale": params.get("locale"),
        }
        obj["_line_items"] = items
        obj["_intent_metadata"] = dict(
            (params.get("payment_intent_data") or {}).get("metadata") or {})
        self.sessions[session_id] = obj
        return obj

    def session(self, session_id: str) -> dict:
        try:
            return self.sessions[session_id]
        except KeyError:
            raise StripeError(404, f"No such checkout.session: '{session_id}'",
                              code="resource_missing", param="id") from None

    def expire_session(self, session_id: str) -> dict:
        obj = self.session(session_id)
        if obj["status"] != "open":
            raise StripeError(400, f"Only Checkout Sessions with a status of `open` can be "
                              f"expired. This session has a status of `{obj['status']}`.")
        obj["status"] = "expired"
        self.event("checkout.session.expired", obj)
        return obj

    def _intent_for(self, obj: dict) -> dict:
        if obj["payment_intent"]:
            return self.intents[obj["payment_intent"]]
        intent = {
            "id": new_id("pi"), "object": "payment_intent", "livemode": False,
            "created": int(time.time()), "amount": obj["amount_total"], "amount_received": 0,
            "currency": obj["currency"], "status": "requires_payment_method",
            "latest_charge": None, "last_payment_error": None,
            "metadata": dict(obj["_intent_metadata"]), "description": None,
        }
        self.intents[intent["id"]] = intent
        obj["payment_intent"] = intent["id"]
        return intent

    def pay(self, session_id: str, card: str) -> tuple[dict, str | None]:
        """The hosted page's "Pay": (session, decline message or None)."""
        obj = self.session(session_id)
        if obj["status"] != "open":
            return obj, None
        intent = self._intent_for(obj)
        declined = TEST_CARDS.get(card, ("card_declined", "generic_decline",
                                         "Your card was declined."))
        if declined is not None:
            code, decline_code, message = declined
            intent["status"] = "requires_payment_method"
            intent["last_payment_error"] = {"type": "card_error", "code": code,
                                            "decline_code": decline_code, "message": message}
            self.event("payment_intent.payment_failed", intent)
            return obj, message
        charge = {
            "id": new_id("ch"), "object": "charge", "livemode": False,
            "created": int(time.time()), "amount": intent["amount"],
            "amount_captured": intent["amount"], "amount_refunded": 0, "captured": True,
            "currency": intent["currency"], "paid": True, "refunded": False,
            "status": "succeeded", "payment_intent": intent["id"],
            "metadata": dict(intent["metadata"]),
            "payment_method_details": {"type": "card", "card": {"last4": card[-4:]}},
        }
        self.charges[charge["id"]] = charge
        intent.update(status="succeeded", amount_received=intent["amount"],
                      latest_charge=charge["id"], last_payment_error=None)
        obj.update(status="complete", payment_status="paid")
        self.event("charge.succeeded", charge)
        self.event("payment_intent.succeeded", intent)
        self.event("checkout.session.completed", obj)
        return obj, None

    # --- payment intents and refunds ----------------------------------------------

    def intent(self, intent_id: str) -> dict:
        try:
            return self.intents[intent_id]
        except KeyError:
            raise StripeError(404, f"No such payment_intent: '{intent_id}'",
                              code="resource_missing", param="id") from None

    def create_refund(self, params: dict) -> dict:
        if params.get("payment_intent"):
            intent = self.intent(params["payment_intent"])
            charge = self.charges.get(intent.get("latest_charge") or "")
            if charge is None:
                raise StripeError(400, f"This PaymentIntent ({intent['id']}) does not have "
                                  "a successful charge to refund.", param="payment_intent")
        elif params.get("charge"):
            charge = self.charges.get(params["charge"])
            if charge is None:
                raise StripeError(404, f"No such charge: '{params['charge']}'",
                                  code="resource_missing", param="charge")
        else:
            raise StripeError(400, "One of the following params should be provided for this "
                              "request: payment_intent or charge.")
        left = charge["amount"] - charge["amount_refunded"]
        try:
            amount = int(params.get("amount", left))
        except ValueError as exc:
            raise StripeError(400, "Invalid integer.", param="amount") from exc
        if left <= 0:
            raise StripeError(400, f"Charge {charge['id']} has already been refunded.",
                              code="charge_already_refunded")
        if amount < 1 or amount > left:
            raise StripeError(400, f"Refund amount ({amount}) is greater than unrefunded "
                              f"amount on charge ({left})", code="amount_too_large",
                              param="amount")
        refund = {
            "id": new_id("re"), "object": "refund", "livemode": False,
            "created": int(time.time()), "amount": amount, "currency": charge["currency"],
            "charge": charge["id"], "payment_intent": charge["payment_intent"],
            "metadata": dict(params.get("metadata") or {}), "reason": params.get("reason"),
            "status": "succeeded",
        }
        self.refunds[refund["id"]] = refund
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        self.event("refund.created", refund)
        self.event("charge.refunded", charge)
        return refund

    def refund(self, refund_id: str) -> dict:
        try:
            return self.refunds[refund_id]
        except KeyError:
            raise StripeError(404, f"No such refund: '{refund_id}'", code="resource_missing",
                              param="id") from None

    def list_refunds(self, payment_intent: str | None) -> dict:
        data = [r for r in self.refunds.values()
                if payment_intent is None or r["payment_intent"] == payment_intent]
        data.sort(key=lambda r: r["created"], reverse=True)
        return {"object": "list", "data": data, "has_more": False, "url": "/v1/refunds"}

    # --- events ---------------------------------------------------------------------

    def event(self, event_type: str, obj: dict) -> dict:
        event = {
            "id": new_id("evt"), "object": "event", "api_version": API_VERSION,
            "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None}, "type": event_type,
            "data": {"object": public(obj)},
        }
        self.events[event["id"]] = event
        self.pending.append(event["id"])
        return event

    def signed(self, event_id: str, timestamp: int | None = None) -> Delivery:
        event = self.events[event_id]
        payload = json.dumps(event, indent=2)
        return Delivery(event_id, event["type"], payload,
                        sign(payload, self.webhook_secret, timestamp))


def public(obj: dict) -> dict:
    """A copy of an object without the server's private fields (``_...``)."""
    return json.loads(json.dumps({k: v for k, v in obj.items() if not k.startswith("_")}))
