"""Remittance advice as a PDF, next to the CSV wherever that is offered: it opens, and
it lists each invoice paid with its amount and the total, for the finance officer and
the provider's own staff only."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from marketplace.accounts.roles import Role
from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing.payments import runs
from tests.conftest import sign_in
from tests.invoicing_helpers import TODAY
from tests.payments_helpers import DUE_BY, council_invoices, provider_with_owner


@pytest.fixture()
def paid_run(db_session, council, make_user, freeze_today):
    """A confirmed run paying two invoices of one provider (a council-managed budget and
    a managed account: £320.00 each) and one of another (£240.00)."""
    freeze_today(TODAY)
    finance = make_user(Role.FINANCE_OFFICER, name="Fiona Finance")
    owner, provider, service = provider_with_owner(db_session)
    _other_owner, other, other_service = provider_with_owner(db_session, price_pence=1500)
    invoices = council_invoices(db_session, council, finance,
                                providers=[(provider, service), (other, other_service)])
    invoices += council_invoices(db_session, council, finance, providers=[(provider, service)],
                                 method=HoldingMethod.MANAGED_ACCOUNT)
    run = runs.create_run(db_session, council.id, finance, [i.id for i in invoices],
                          due_by=DUE_BY, pay_on=TODAY)
    db_session.commit()
    runs.confirm_run(db_session, run, finance)
    db_session.commit()
    ours = [i for i in invoices if i.provider_id == provider.id]
    return {"run": run, "finance": finance, "owner": owner, "provider": provider,
            "other": other, "ours": ours}


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_remittance_advice_downloads_as_a_pdf_with_every_amount(app, client, paid_run):
    run, provider = paid_run["run"], paid_run["provider"]
    sign_in(client, paid_run["finance"])
    base = f"/finance/payment-runs/{run.id}/remittance/{provider.id}"
    page = client.get(base).get_data(as_text=True)
    assert f'href="{base}.pdf"' in page and f'href="{base}.csv"' in page
    answer = client.get(base + ".pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert f'{run.reference}-remittance-{provider.id}.pdf' in answer.headers[
        "Content-Disposition"]
    text = _text(answer.data)
    assert f"Remittance advice {run.reference}" in text
    assert provider.name in text and "5678" in text  # the account's last four digits
    assert "Total paid" in text and "£640.00" in text
    for invoice in paid_run["ours"]:
        assert invoice.reference in text
    assert text.count("£320.00") == 2  # each invoice's amount
    assert paid_run["other"].name not in text and "£240.00" not in text


def test_the_providers_own_staff_download_it_and_no_one_else(
        app, client, db_session, paid_run, make_user):
    run, provider = paid_run["run"], paid_run["provider"]
    path = f"/finance/payment-runs/{run.id}/remittance/{provider.id}.pdf"
    sign_in(client, paid_run["owner"])
    answer = client.get(path)
    assert answer.status_code == 200 and "£640.00" in _text(answer.data)
    stranger = app.test_client()
    sign_in(stranger, make_user(Role.PROVIDER_STAFF, name="Someone Else"))
    assert stranger.get(path).status_code == 403


def test_there_is_no_pdf_before_the_run_is_confirmed(app, client, db_session, council,
                                                      make_user, freeze_today):
    freeze_today(TODAY)
    finance = make_user(Role.FINANCE_OFFICER)
    _owner, provider, service = provider_with_owner(db_session)
    [invoice] = council_invoices(db_session, council, finance, providers=[(provider, service)])
    run = runs.create_run(db_session, council.id, finance, [invoice.id], due_by=DUE_BY,
                          pay_on=TODAY)
    db_session.commit()
    sign_in(client, finance)
    assert client.get(f"/finance/payment-runs/{run.id}/remittance/{provider.id}.pdf"
                      ).status_code == 404
