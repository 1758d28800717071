"""The adapter against the local Stripe-compatible server, over real HTTP: the same
calls, shapes, idempotency and errors the stripe library gets from Stripe."""

from __future__ import annotations

import json

import pytest

from marketplace.invoicing.payments import stripe_gateway as gateway
from marketplace.invoicing.payments.fake_stripe import FakeStripe, decode_params
from tests.payments_helpers import DECLINED_CARD, pay_on_stripe


@pytest.fixture()
def server(app, monkeypatch):
    server = FakeStripe(webhook_secret="whsec_testing", deliver="queue").start()
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", server.url)
    with app.app_context():
        yield server
    server.stop()


def _session(key="k1", amount=1234):
    return gateway.create_checkout_session(
        amount_pence=amount, description="Invoice INV-000001 from Willow Care",
        success_url="http://site.test/done?session_id={CHECKOUT_SESSION_ID}",
        cancel_url="http://site.test/cancelled", reference="invoice-1",
        metadata={"checkout_id": "7"}, idempotency_key=key)


def test_a_checkout_session_takes_the_same_integer_of_pence(server):
    made = _session()
    assert made.amount_pence == 1234 and made.status == "open"
    assert made.payment_status == "unpaid" and made.url.startswith(server.url)
    raw = server.state.sessions[made.id]
    assert raw["object"] == "checkout.session" and raw["currency"] == "gbp"
    assert raw["_line_items"][0]["price_data"]["unit_amount"] == "1234"
    assert _session().id == made.id           # same idempotency key: same session
    assert _session("k2").id != made.id


def test_paying_on_the_hosted_page_completes_the_session(server):
    made = _session()
    status, back = pay_on_stripe(made.url)
    assert status == 303 and back == f"http://site.test/done?session_id={made.id}"
    paid = gateway.retrieve_checkout_session(made.id)
    assert paid.status == "complete" and paid.payment_status == "paid"
    intent = gateway.retrieve_payment_intent(paid.payment_intent_id)
    assert intent.status == "succeeded" and intent.received_pence == 1234
    assert intent.metadata == {"checkout_id": "7"}


def test_a_declined_card_leaves_the_session_open_with_the_reason(server):
    made = _session()
    status, page = pay_on_stripe(made.url, DECLINED_CARD)
    assert status == 402 and "declined" in page
    assert gateway.retrieve_checkout_session(made.id).status == "open"
    [failed] = server.take_deliveries()
    assert failed.event_type == "payment_intent.payment_failed"


def test_refunds_full_and_partial_and_never_more_than_was_paid(server):
    made = _session(amount=5000)
    pay_on_stripe(made.url)
    intent = gateway.retrieve_checkout_session(made.id).payment_intent_id
    part = gateway.refund(payment_intent_id=intent, amount_pence=1500, idempotency_key="cn-1")
    again = gateway.refund(payment_intent_id=intent, amount_pence=1500, idempotency_key="cn-1")
    assert part.id == again.id and part.amount_pence == 1500 and part.status == "succeeded"
    with pytest.raises(gateway.GatewayError) as caught:
        gateway.refund(payment_intent_id=intent, amount_pence=4000, idempotency_key="cn-2")
    assert caught.value.code == "amount_too_large"
    rest = gateway.refund(payment_intent_id=intent, amount_pence=None, idempotency_key="all")
    assert rest.amount_pence == 3500
    assert sorted(r.amount_pence for r in gateway.list_refunds(intent)) == [1500, 3500]


def test_expiring_a_session_closes_its_page(server):
    made = _session()
    assert gateway.expire_checkout_session(made.id).status == "expired"
    assert gateway.expire_checkout_session(made.id) is None


def test_webhooks_are_signed_as_stripe_signs_them(server):
    pay_on_stripe(_session().url)
    deliveries = server.take_deliveries()
    assert [d.event_type for d in deliveries] == [
        "charge.succeeded", "payment_intent.succeeded", "checkout.session.completed"]
    for delivery in deliveries:
        event = gateway.verify_webhook(delivery.payload.encode(), delivery.signature)
        assert event["object"] == "event" and event["id"].startswith("evt_")
    with pytest.raises(gateway.WebhookRefused):
        gateway.verify_webhook(deliveries[0].payload.encode(), deliveries[1].signature)


def test_a_wrong_key_or_unknown_object_gets_stripes_error_shape(server, app, monkeypatch):
    with pytest.raises(gateway.GatewayError):
        gateway.retrieve_checkout_session("cs_test_missing")
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_live_real_money")
    with pytest.raises(gateway.GatewayError) as caught:
        _session("k9")
    assert "AuthenticationError" in caught.value.detail


def test_stripes_form_encoding_is_decoded_into_nested_objects():
    decoded = decode_params([("line_items[0][price_data][unit_amount]", "5"),
                             ("line_items[0][quantity]", "1"), ("metadata[a]", "b"),
                             ("mode", "payment")])
    assert decoded == {"line_items": [{"price_data": {"unit_amount": "5"}, "quantity": "1"}],
                       "metadata": {"a": "b"}, "mode": "payment"}
    assert json.dumps(decoded)
