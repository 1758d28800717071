"""Paying an invoice by card through the local Stripe-compatible server (real HTTP),
and Stripe's webhooks: signed or refused, stored once, handled in any order."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import date

import pytest
from sqlalchemy import func, select

from marketplace.accounts import services as accounts
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.invoicing import services as invoicing
from marketplace.invoicing.enums import InvoiceStatus, PaymentKind
from marketplace.invoicing.models import Invoice, InvoicePayment
from marketplace.invoicing.payments import cards
from marketplace.invoicing.payments.fake_stripe import sign
from marketplace.invoicing.payments.models import (
    CardCheckout,
    CardRefund,
    CheckoutStatus,
    RefundStatus,
    RefusedWebhook,
    StripeEvent,
)
from tests.conftest import csrf_token, sign_in
from tests.invoicing_helpers import TODAY
from tests.payments_helpers import (
    DECLINED_CARD,
    WEBHOOK,
    deliver,
    deliver_all,
    pay_on_stripe,
    person_invoice,
    stripe_server_fixture,  # noqa: F401 - the fixture
)


@pytest.fixture()
def invoice(db_session, council, freeze_today):
    freeze_today(TODAY)
    return person_invoice(db_session, council)


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _start(client, invoice):
    path = f"/payments/invoices/{invoice.id}/card"
    page = client.get(path)
    assert page.status_code == 200
    assert "Pay £320.00 by card" in page.get_data(as_text=True)
    answer = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return answer.headers["Location"]


def _payments(session, invoice, kind=PaymentKind.PAYMENT):
    return list(session.scalars(select(InvoicePayment).where(
        InvoicePayment.invoice_id == invoice.id, InvoicePayment.kind == kind)))


def test_a_direct_payment_holder_pays_an_invoice_by_card_end_to_end(
        app, client, db_session, invoice, stripe_server):
    sign_in(client, invoice.payer_user)
    url = _start(client, invoice)
    assert url.startswith(stripe_server.url + "/checkout/cs_test_")
    status, back = pay_on_stripe(url)
    assert status == 303 and "/payments/card/" in back
    types = [d.event_type for d in deliver_all(client, stripe_server)]
    assert "checkout.session.completed" in types
    page = client.get(back.replace("http://marketplace.test", ""), follow_redirects=True)
    assert "your payment of £320.00 has been received" in page.get_data(as_text=True)
    invoice = db_session.get(Invoice, invoice.id)
    assert invoice.status is InvoiceStatus.PAID and invoice.paid_pence == 32000
    [payment] = _payments(db_session, invoice)
    assert payment.method == "card" and payment.idempotency_key.startswith("stripe:pi_test_")
    checkout = db_session.scalar(select(CardCheckout))
    assert checkout.status is CheckoutStatus.PAID and checkout.amount_pence == 32000


def test_coming_back_before_the_webhook_records_the_payment_once(
        client, db_session, invoice, stripe_server):
    sign_in(client, invoice.payer_user)
    _status, back = pay_on_stripe(_start(client, invoice))
    client.get(back.replace("http://marketplace.test", ""))  # the browser is first
    deliver_all(client, stripe_server)                         # then every event
    invoice = db_session.get(Invoice, invoice.id)
    assert invoice.paid_pence == 32000 and len(_payments(db_session, invoice)) == 1


def test_every_event_delivered_twice_changes_nothing_the_second_time(
        client, db_session, invoice, stripe_server):
    sign_in(client, invoice.payer_user)
    pay_on_stripe(_start(client, invoice))
    deliveries = deliver_all(client, stripe_server)
    for delivery in deliveries:
        answer = deliver(client, delivery)
        assert answer.status_code == 200 and answer.get_json()["outcome"] == "duplicate"
    invoice = db_session.get(Invoice, invoice.id)
    assert invoice.paid_pence == 32000 and len(_payments(db_session, invoice)) == 1
    assert _count(db_session, StripeEvent) == len(deliveries)
    assert {e.deliveries for e in db_session.scalars(select(StripeEvent))} == {2}


def test_a_declined_card_records_the_failure_and_paying_again_works(
        client, db_session, invoice, stripe_server):
    sign_in(client, invoice.payer_user)
    url = _start(client, invoice)
    status, page = pay_on_stripe(url, DECLINED_CARD)
    assert status == 402 and "Your card was declined." in page
    deliver_all(client, stripe_server)
    checkout = db_session.scalar(select(CardCheckout))
    assert checkout.status is CheckoutStatus.FAILED
    assert "declined" in client.get(f"/payments/invoices/{invoice.id}/card").get_data(True)
    status, _back = pay_on_stripe(url)  # another card on the same page
    assert status == 303
    deliver_all(client, stripe_server)
    invoice = db_session.get(Invoice, invoice.id)
    checkout = db_session.get(CardCheckout, checkout.id)
    assert invoice.status is InvoiceStatus.PAID and checkout.status is CheckoutStatus.PAID


def test_a_late_failure_after_the_success_changes_nothing(
        client, db_session, invoice, stripe_server):
    sign_in(client, invoice.payer_user)
    url = _start(client, invoice)
    pay_on_stripe(url, DECLINED_CARD)
    pay_on_stripe(url)
    deliveries = stripe_server.take_deliveries()
    failure = [d for d in deliveries if d.event_type == "payment_intent.payment_failed"]
    for delivery in [d for d in deliveries if d not in failure] + failure:
        assert deliver(client, delivery).status_code == 200
    checkout = db_session.scalar(select(CardCheckout))
    db_session.refresh(checkout)
    invoice = db_session.get(Invoice, invoice.id)
    assert checkout.status is CheckoutStatus.PAID and invoice.paid_pence == 32000


def test_a_refund_delivered_before_the_completion_comes_out_right(
        app, client, db_session, invoice, stripe_server):
    from marketplace.invoicing.payments import stripe_gateway

    sign_in(client, invoice.payer_user)
    pay_on_stripe(_start(client, invoice))
    paid_events = stripe_server.take_deliveries()
    intent = next(json.loads(d.payload)["data"]["object"]["id"] for d in paid_events
                  if d.event_type == "payment_intent.succeeded")
    with app.app_context():  # a refund made in Stripe's dashboard
        stripe_gateway.refund(payment_intent_id=intent, amount_pence=4000,
                              idempotency_key="dashboard-1")
    refund_events = stripe_server.take_deliveries()
    for delivery in [*reversed(refund_events), *reversed(paid_events)]:
        assert deliver(client, delivery).status_code == 200
    for delivery in [*paid_events, *refund_events]:  # and all of it again
        assert deliver(client, delivery).get_json()["outcome"] == "duplicate"
    invoice = db_session.get(Invoice, invoice.id)
    assert len(_payments(db_session, invoice)) == 1
    [refund] = _payments(db_session, invoice, PaymentKind.REFUND)
    assert refund.amount_pence == 4000 and invoice.paid_pence == 28000
    assert invoice.status is InvoiceStatus.PART_PAID


def test_a_credit_note_on_a_card_paid_invoice_refunds_that_amount_once(
        app, client, db_session, invoice, stripe_server):
    sign_in(client, invoice.payer_user)
    pay_on_stripe(_start(client, invoice))
    deliver_all(client, stripe_server)
    invoice = db_session.get(Invoice, invoice.id)
    note = invoicing.issue_credit_note(db_session, invoice, 5000, "Two visits were short",
                                       None, on=TODAY)
    db_session.commit()
    [planned] = db_session.scalars(select(CardRefund)).all()
    assert planned.credit_note_id == note.id and planned.amount_pence == 5000
    assert planned.status is RefundStatus.PENDING
    with app.test_request_context():
        assert cards.send_pending_refunds(db_session) == 1
        assert cards.send_pending_refunds(db_session) == 0  # nothing twice
    deliver_all(client, stripe_server)
    invoice = db_session.get(Invoice, invoice.id)
    assert planned.status is RefundStatus.SUCCEEDED and planned.stripe_refund_id
    assert [r.amount_pence for r in _payments(db_session, invoice, PaymentKind.REFUND)] == [5000]
    assert invoice.paid_pence == invoice.payable_pence == 27000
    assert invoice.status is InvoiceStatus.PAID
    assert len(stripe_server.state.refunds) == 1


@pytest.mark.parametrize("how", ["unsigned", "wrong secret", "tampered", "stale", "garbage"])
def test_forged_or_unsigned_webhooks_are_refused_and_recorded(
        client, db_session, invoice, how):
    event = {"id": "evt_forged", "object": "event", "type": "checkout.session.completed",
             "created": int(time.time()), "data": {"object": {
                 "id": "cs_x", "payment_status": "paid", "payment_intent": "pi_x",
                 "amount_total": 32000, "metadata": {"checkout_id": "1"}}}}
    payload = json.dumps(event)
    headers = {
        "unsigned": {},
        "wrong secret": {"Stripe-Signature": sign(payload, "whsec_not_ours")},
        "tampered": {"Stripe-Signature": sign(payload.replace("32000", "1"), "whsec_testing")},
        "stale": {"Stripe-Signature": sign(payload, "whsec_testing", int(time.time()) - 3600)},
        "garbage": {"Stripe-Signature": "t=abc,v1=\x00zz"},
    }[how]
    answer = client.post(WEBHOOK, data=payload, content_type="application/json",
                         headers=headers)
    assert answer.status_code == 400
    [refused] = db_session.scalars(select(RefusedWebhook)).all()
    assert refused.claimed_event_id == "evt_forged" and refused.reason
    assert _count(db_session, StripeEvent) == 0 and invoice.paid_pence == 0


def test_a_signed_event_for_a_payment_made_elsewhere_is_stored_and_ignored(client, db_session):
    payload = json.dumps({"id": "evt_other", "object": "event", "type": "charge.refunded",
                          "created": int(time.time()), "data": {"object": {
                              "id": "ch_x", "payment_intent": "pi_elsewhere"}}})
    answer = client.post(WEBHOOK, data=payload, content_type="application/json",
                         headers={"Stripe-Signature": sign(payload, "whsec_testing")})
    assert answer.status_code == 200 and answer.get_json()["outcome"] == "ignored"
    assert _count(db_session, StripeEvent, StripeEvent.event_id == "evt_other") == 1


def test_when_stripe_cannot_be_reached_nothing_is_taken_and_the_person_is_told(
        client, db_session, invoice):
    sign_in(client, invoice.payer_user)
    path = f"/payments/invoices/{invoice.id}/card"
    answer = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert answer.status_code == 503
    assert "could not reach the card payment service" in answer.get_data(as_text=True)
    invoice = db_session.get(Invoice, invoice.id)
    assert invoice.paid_pence == 0


def test_a_second_attempt_closes_the_first_page_so_it_cannot_be_paid_twice(
        client, db_session, invoice, stripe_server):
    sign_in(client, invoice.payer_user)
    first = _start(client, invoice)
    second = _start(client, invoice)
    assert first != second
    status, page = pay_on_stripe(second)
    assert status == 303
    # The first page was closed when the second was opened: it cannot take money.
    assert "expired" in urllib.request.urlopen(first, timeout=10).read().decode()  # noqa: S310
    deliver_all(client, stripe_server)
    invoice = db_session.get(Invoice, invoice.id)
    assert invoice.paid_pence == 32000


def test_only_the_payer_or_someone_managing_their_money_may_pay(
        app, db_session, council, invoice, make_user):
    holder = invoice.payer_user
    other = make_user(Role.BUDGET_HOLDER)
    client = app.test_client()
    sign_in(client, other)
    assert client.get(f"/payments/invoices/{invoice.id}/card").status_code == 404
    officer = make_user(Role.COUNCIL_OFFICER)
    for scope, expected in ((Scope.ORDER, 403), (Scope.MONEY, 200)):
        rep = make_user(Role.REPRESENTATIVE)
        authority = accounts.create_authority(
            db_session, created_by=officer, representative=rep, holder=holder,
            council=council, authority_type=AuthorityType.APPOINTEE, scope=scope,
            starts_on=date(2026, 1, 1), ends_on=None, evidence_reference="A")
        db_session.commit()
        rep_client = app.test_client()
        sign_in(rep_client, rep)
        rep_client.post(f"/acting/start/{authority.id}",
                        data={"csrf_token": csrf_token(rep_client, "/acting/")})
        assert rep_client.get(f"/payments/invoices/{invoice.id}/card").status_code == expected
