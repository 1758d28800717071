"""Invoices to pay, a local Stripe server for each test, and paying on its hosted page
(real HTTP); objects of another council for the access matrix; forms for bad input.

Invoices are made by invoicing's own run over delivered visits (tests/
invoicing_helpers.py), so these tests use the real documents."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import select

from catalogue.models import MemberRole, ProviderMember
from marketplace.accounts.roles import Role
from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing import runs as invoice_runs
from marketplace.invoicing import services as invoicing
from marketplace.invoicing.models import Invoice
from marketplace.invoicing.payments.fake_stripe import FakeStripe
from marketplace.invoicing.payments.models import (
    BankDetails,
    CardCheckout,
    PaymentRun,
    PaymentRunItem,
)
from tests.invoicing_helpers import MAY, TODAY, days, held_budget, make_order, make_shop, make_user

WEBHOOK = "/payments/stripe/webhook"
GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
_names = {"n": 0}


def _name(base: str) -> str:
    _names["n"] += 1
    return f"{base} {_names['n']}"


@pytest.fixture(name="stripe_server")
def stripe_server_fixture(app, monkeypatch):
    """A local Stripe-compatible server on a free port; its webhooks wait in a queue for
    the test to post them to the Flask test client (``deliver``)."""
    server = FakeStripe(webhook_secret=app.config["STRIPE_WEBHOOK_SECRET"],
                        deliver="queue").start()
    monkeypatch.setitem(app.config, "STRIPE_API_BASE", server.url)
    yield server
    server.stop()


def deliver(client, delivery):
    return client.post(WEBHOOK, data=delivery.payload.encode(), content_type="application/json",
                       headers={"Stripe-Signature": delivery.signature})


def deliver_all(client, server, *, reverse: bool = False) -> list:
    deliveries = server.take_deliveries()
    if reverse:
        deliveries.reverse()
    answers = [deliver(client, d) for d in deliveries]
    assert all(a.status_code == 200 for a in answers), [a.get_data(True) for a in answers]
    return deliveries


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def pay_on_stripe(url: str, card: str = GOOD_CARD) -> tuple[int, str]:
    """Choose a test card on the hosted page and press Pay: (status, where it sends
    the browser, or the page)."""
    page = urllib.request.urlopen(url, timeout=10).read().decode()  # noqa: S310
    assert "Pay £" in page
    data = urllib.parse.urlencode({"card": card, "action": "pay"}).encode()
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        answer = opener.open(urllib.request.Request(url, data=data), timeout=10)  # noqa: S310
        return answer.status, answer.read().decode()
    except urllib.error.HTTPError as exc:
        if exc.code == 303:
            return 303, exc.headers["Location"]
        return exc.code, exc.read().decode()


def provider_with_owner(session, *, price_pence=2000, bank_details=True, staff=()):
    owner = make_user(session, Role.PROVIDER_STAFF, name="Owen Owner")
    provider, service = make_shop(session, owner, name=_name("Rowan Care"),
                                  price_pence=price_pence, staff=staff)
    if bank_details:
        session.add(BankDetails(provider_id=provider.id, account_name="Rowan Care Ltd",
                                sort_code="123456", account_number="12345678",
                                updated_by_id=owner.id))
        session.commit()
    return owner, provider, service


def person_invoice(session, council, *, holder=None, provider=None, service=None,
                   method=HoldingMethod.DIRECT_PAYMENT) -> Invoice:
    """An issued invoice addressed to a direct-payment holder (8 visits of 2 hours at
    £20 an hour: £320.00)."""
    holder = holder or make_user(session, Role.BUDGET_HOLDER, council=council,
                                 name="Dina Payer")
    if provider is None:
        _owner, provider, service = provider_with_owner(session)
    budget = held_budget(session, holder, council, method)
    make_order(session, holder, provider, service, budget, visits=days(*MAY))
    invoice_runs.run_invoices(session, provider, *MAY, today=TODAY)
    session.commit()
    return session.scalars(select(Invoice).where(Invoice.provider_id == provider.id)
                           .order_by(Invoice.id.desc())).first()


def council_invoices(session, council, finance, *, providers, per_provider=1,
                     method=HoldingMethod.COUNCIL_MANAGED) -> list[Invoice]:
    """Approved invoices the council pays (one person per invoice)."""
    made = []
    for provider, service in providers:
        for _ in range(per_provider):
            holder = make_user(session, Role.BUDGET_HOLDER, council=council, name="Cal Held")
            budget = held_budget(session, holder, council, method,
                                 organisation="Brightside Brokerage"
                                 if method is HoldingMethod.MANAGED_ACCOUNT else None)
            make_order(session, holder, provider, service, budget, visits=days(*MAY))
        result = invoice_runs.run_invoices(session, provider, *MAY, today=TODAY)
        session.commit()
        for invoice_id in result.created:
            invoice = session.get(Invoice, invoice_id)
            invoicing.approve(session, invoice, finance, on=TODAY)
            made.append(invoice)
    session.commit()
    return made


DUE_BY = TODAY + timedelta(days=60)


def matrix_args(session, stranger, other_council) -> dict:
    """A paid payment run and a card checkout of ANOTHER council and person."""
    finance = make_user(session, Role.FINANCE_OFFICER, council=other_council, name="Far Fin")
    _owner, provider, service = provider_with_owner(session)
    invoice = council_invoices(session, other_council, finance,
                               providers=[(provider, service)])[0]
    from marketplace.invoicing.payments import runs

    run = runs.create_run(session, other_council.id, finance, [invoice.id], due_by=DUE_BY,
                          pay_on=TODAY)
    session.commit()
    runs.confirm_run(session, run, finance)
    session.commit()
    theirs = person_invoice(session, other_council, holder=stranger, provider=provider,
                            service=service)
    checkout = CardCheckout(invoice_id=theirs.id, payer_id=stranger.id,
                            started_by_id=stranger.id, amount_pence=theirs.gross_pence)
    session.add(checkout)
    session.commit()
    return {"run_id": run.id, "checkout_id": checkout.id, "invoice_id": theirs.id,
            "bank_provider_id": provider.id}


def bad_input_forms(session, council, make_user_fixture) -> list[tuple]:
    owner, provider, _service = provider_with_owner(session, bank_details=False)
    finance = make_user_fixture(Role.FINANCE_OFFICER)
    _o, payee, payee_service = provider_with_owner(session)
    council_invoices(session, council, finance, providers=[(payee, payee_service)])
    return [(owner, f"/provider/{provider.id}/bank-details"),
            (finance, f"/finance/payment-runs/new?due_by={DUE_BY.isoformat()}")]


def run_items(session, run: PaymentRun) -> list[PaymentRunItem]:
    return list(session.scalars(select(PaymentRunItem).where(PaymentRunItem.run_id == run.id)
                                .order_by(PaymentRunItem.id)))


def add_staff(session, provider, user) -> None:
    session.add(ProviderMember(provider_id=provider.id, user_id=user.id,
                               member_role=MemberRole.STAFF))
    session.commit()
