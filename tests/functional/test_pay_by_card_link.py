"""The invoice page offers "Pay by card" to those who may pay that invoice by card (the
person it is addressed to, or someone acting for them with authority over money),
while there is something to pay; never to the council, the provider, or on a paid,
credited or ISF document."""

from __future__ import annotations

from datetime import timedelta

from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.accounts.services import create_authority
from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing import services as invoicing
from marketplace.invoicing.models import Invoice
from tests.conftest import csrf_token, sign_in
from tests.invoicing_helpers import TODAY
from tests.paid_helpers import billed
from tests.payments_helpers import person_invoice, provider_with_owner

BUTTON = "Pay £320.00 by card"


def _card_link(invoice) -> str:
    return f'href="/payments/invoices/{invoice.id}/card"'


def _pay(session, invoice, pence: int, key: str) -> None:
    invoicing.record_payment(session, session.get(Invoice, invoice.id), pence, method="card",
                             reference=f"pi_{key}", key=f"test:{key}")


def _world(db_session, make_user, council):
    holder = make_user(Role.BUDGET_HOLDER, name="Dina Payer")
    owner, provider, service = provider_with_owner(db_session)
    direct = person_invoice(db_session, council, holder=holder, provider=provider,
                            service=service)
    return holder, owner, provider, service, direct


def test_the_person_an_invoice_is_addressed_to_sees_pay_by_card_until_it_is_paid(
        app, client, db_session, make_user, council, freeze_today):
    freeze_today(TODAY)
    holder, _owner, _provider, _service, direct = _world(db_session, make_user, council)
    sign_in(client, holder)
    page = client.get(f"/invoices/mine/{direct.id}").get_data(as_text=True)
    assert BUTTON in page and _card_link(direct) in page
    # The link leads to the card payment page, which offers the same amount.
    card_page = client.get(f"/payments/invoices/{direct.id}/card")
    assert card_page.status_code == 200 and BUTTON in card_page.get_data(as_text=True)

    _pay(db_session, direct, 12_000, "part")
    db_session.commit()
    page = client.get(f"/invoices/mine/{direct.id}").get_data(as_text=True)
    assert "Pay £200.00 by card" in page and _card_link(direct) in page  # what is left

    _pay(db_session, direct, 20_000, "rest")
    db_session.commit()
    page = client.get(f"/invoices/mine/{direct.id}").get_data(as_text=True)
    assert "Paid" in page and "by card" not in page and _card_link(direct) not in page


def test_pay_by_card_is_not_offered_to_the_council_or_the_provider(
        app, client, db_session, make_user, council, freeze_today):
    freeze_today(TODAY)
    _holder, owner, _provider, _service, direct = _world(db_session, make_user, council)
    finance = make_user(Role.FINANCE_OFFICER, name="Fran Finance")
    sign_in(client, finance)
    page = client.get(f"/invoices/council/{direct.id}").get_data(as_text=True)
    assert direct.reference in page and _card_link(direct) not in page and BUTTON not in page
    provider_client = app.test_client()
    sign_in(provider_client, owner)
    page = provider_client.get(f"/invoices/provider/{direct.id}").get_data(as_text=True)
    assert direct.reference in page and _card_link(direct) not in page and BUTTON not in page


def test_pay_by_card_is_not_offered_on_a_credited_invoice_or_an_isf_statement(
        app, client, db_session, make_user, council, freeze_today):
    freeze_today(TODAY)
    holder, _owner, provider, service, direct = _world(db_session, make_user, council)
    invoicing.issue_credit_note(db_session, direct, direct.gross_pence, "Not delivered", None,
                                on=TODAY)
    db_session.commit()
    statement = billed(db_session, holder, council, provider, service,
                       HoldingMethod.INDIVIDUAL_SERVICE_FUND)
    sign_in(client, holder)
    credited = client.get(f"/invoices/mine/{direct.id}").get_data(as_text=True)
    assert "Credited in full" in credited and _card_link(direct) not in credited
    page = client.get(f"/invoices/mine/{statement.id}").get_data(as_text=True)
    assert statement.reference in page and "/card" not in page and "by card" not in page


def test_a_representative_with_money_scope_is_offered_pay_by_card(
        app, client, db_session, make_user, council, freeze_today):
    freeze_today(TODAY)
    holder, _owner, _provider, _service, direct = _world(db_session, make_user, council)
    officer = make_user(Role.COUNCIL_OFFICER)
    rep = make_user(Role.REPRESENTATIVE, name="Rita Rep")
    authority = create_authority(
        db_session, created_by=officer, representative=rep, holder=holder, council=council,
        authority_type=AuthorityType.DEPUTY, scope=Scope.MONEY,
        starts_on=TODAY - timedelta(days=1), ends_on=None, evidence_reference="D1")
    db_session.commit()
    sign_in(client, rep)
    client.post(f"/acting/start/{authority.id}",
                data={"csrf_token": csrf_token(client, "/acting/")})
    page = client.get(f"/invoices/mine/{direct.id}").get_data(as_text=True)
    assert BUTTON in page and _card_link(direct) in page
