"""Provider bank details: validated with a clear message, shown in full only to the
provider's owners and to finance officers of a council it invoices, masked for
everyone else; every change audited and e-mailed to the owners."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.accounts.roles import Role
from marketplace.audit import AuditEvent
from marketplace.invoicing.payments.models import BankDetails
from tests.conftest import csrf_token, sign_in
from tests.invoicing_helpers import TODAY
from tests.payments_helpers import add_staff, council_invoices, provider_with_owner


@pytest.fixture()
def shop(db_session):
    owner, provider, service = provider_with_owner(db_session, bank_details=False)
    return owner, provider, service


def _post(client, path, **fields):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **fields})


@pytest.mark.parametrize(("sort_code", "account", "message"), [
    ("12-34-5", "12345678", "Enter a valid sort code: 6 digits, like 12-34-56"),
    ("ab-cd-ef", "12345678", "Enter a valid sort code: 6 digits, like 12-34-56"),
    ("12-34-56", "1234567", "Enter a valid account number: 8 digits, like 12345678"),
    ("12-34-56", "", "Enter the account number"),
])
def test_bad_bank_details_are_refused_with_a_clear_message(
        app, db_session, shop, sort_code, account, message):
    owner, provider, _service = shop
    client = app.test_client()
    sign_in(client, owner)
    answer = _post(client, f"/provider/{provider.id}/bank-details",
                   account_name="Rowan Care Ltd", sort_code=sort_code, account_number=account)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "govuk-error-summary" in page and message in page
    assert db_session.scalar(select(BankDetails)) is None


def test_the_owner_saves_them_and_every_change_is_audited_and_emailed(
        app, db_session, shop, outbox):
    owner, provider, _service = shop
    client = app.test_client()
    sign_in(client, owner)
    path = f"/provider/{provider.id}/bank-details"
    assert _post(client, path, account_name="Rowan Care Ltd", sort_code="12-34-56",
                 account_number="1234 5678").status_code == 302
    _post(client, path, account_name="Rowan Care Ltd", sort_code="65-43-21",
          account_number="87654321")
    row = db_session.scalar(select(BankDetails))
    assert (row.sort_code, row.account_number) == ("654321", "87654321")
    audit = db_session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "provider_bank_details").order_by(AuditEvent.id)).all()
    assert [a.action for a in audit] == ["insert", "update"]
    assert audit[1].actor_id == owner.id
    assert set(audit[1].detail["fields"]) >= {"sort_code", "account_number"}
    changed = [m for m in outbox if "bank details" in m["Subject"]]
    assert len(changed) == 2 and changed[0]["To"] == owner.email
    assert "87654321" not in changed[1].get_content() and "4321" in changed[1].get_content()


def test_staff_see_them_masked_and_cannot_change_them(app, db_session, make_user):
    staff = make_user(Role.PROVIDER_STAFF)
    _owner, provider, _service = provider_with_owner(db_session)
    add_staff(db_session, provider, staff)
    client = app.test_client()
    sign_in(client, staff)
    page = client.get(f"/provider/{provider.id}/bank-details").get_data(as_text=True)
    assert "****5678" in page and "12345678" not in page and "12-34-56" not in page
    answer = _post(client, f"/provider/{provider.id}/bank-details", account_name="Thief",
                   sort_code="11-11-11", account_number="11111111")
    assert answer.status_code == 403
    assert db_session.scalar(select(BankDetails)).account_number == "12345678"


def test_finance_officers_see_them_only_for_providers_that_invoice_their_council(
        app, db_session, council, other_council, make_user, freeze_today):
    freeze_today(TODAY)
    finance = make_user(Role.FINANCE_OFFICER)
    stranger = make_user(Role.FINANCE_OFFICER, council_for=other_council)
    _owner, provider, service = provider_with_owner(db_session)
    council_invoices(db_session, council, finance, providers=[(provider, service)])
    path = f"/finance/payment-runs/providers/{provider.id}/bank-details"
    ours = app.test_client()
    sign_in(ours, finance)
    assert "12345678" in ours.get(path).get_data(as_text=True)
    theirs = app.test_client()
    sign_in(theirs, stranger)
    answer = theirs.get(path)
    assert answer.status_code == 403 and "12345678" not in answer.get_data(as_text=True)
