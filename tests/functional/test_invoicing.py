"""Invoicing pages: provider staff, finance officers and the person each see only
their own invoices; approve, credit, query, terms, downloads and reconciliation."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.accounts.services import create_authority
from marketplace.budgets.enums import HoldingMethod
from marketplace.invoicing.enums import BillingPeriod, InvoiceKind, InvoiceStatus
from marketplace.invoicing.models import Invoice, InvoiceQuery
from marketplace.invoicing.terms import ProviderBillingTerms
from tests.conftest import csrf_token, sign_in
from tests.invoicing_helpers import TODAY, invoice_for, make_shop


def _world(db_session, make_user, council, other_council):
    owner = make_user(Role.PROVIDER_STAFF, name="Pat Owner")
    finance = make_user(Role.FINANCE_OFFICER, name="Fran Finance")
    holder = make_user(Role.BUDGET_HOLDER, name="Siân Ŵyn Pŷr")
    provider, service = make_shop(db_session, owner, name="Willow Care")
    council_invoice = invoice_for(db_session, holder, council, provider, service)
    direct = invoice_for(db_session, holder, council, provider, service,
                         HoldingMethod.DIRECT_PAYMENT)
    other_owner = make_user(Role.PROVIDER_STAFF, name="Other Owner")
    stranger = make_user(Role.BUDGET_HOLDER, council_for=other_council, name="Sam Stranger")
    other, other_service = make_shop(db_session, other_owner, name="Elsewhere Care")
    foreign = invoice_for(db_session, stranger, other_council, other, other_service)
    return dict(owner=owner, finance=finance, holder=holder, provider=provider,
                council_invoice=council_invoice, direct=direct, foreign=foreign)


def test_provider_staff_see_download_and_credit_only_their_invoices(
        app, client, db_session, make_user, council, other_council, freeze_today):
    freeze_today(TODAY)
    w = _world(db_session, make_user, council, other_council)
    sign_in(client, w["owner"])
    page = client.get("/invoices/provider/").get_data(as_text=True)
    assert w["council_invoice"].reference in page and council.name in page
    assert client.get(f"/invoices/provider/{w['foreign'].id}").status_code == 404
    pdf = client.get(f"/invoices/provider/{w['council_invoice'].id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    csv = client.get(f"/invoices/provider/{w['council_invoice'].id}/csv").get_data(as_text=True)
    assert w["council_invoice"].reference in csv and "Willow Care help" in csv
    url = f"/invoices/provider/{w['council_invoice'].id}/credit"
    response = client.post(url, data={"amount": "40.00", "reason": "Visit missed",
                                      "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    note = db_session.scalar(select(Invoice).where(Invoice.kind == InvoiceKind.CREDIT_NOTE))
    assert note.credits_invoice_id == w["council_invoice"].id and note.gross_pence == 4000
    too_much = client.post(url, data={"amount": "9999", "reason": "x",
                                      "csrf_token": csrf_token(client, url)})
    assert too_much.status_code == 400 and "at most" in too_much.get_data(as_text=True)


def test_a_provider_owner_sets_the_billing_period(app, client, db_session, make_user, council,
                                                   other_council):
    w = _world(db_session, make_user, council, other_council)
    sign_in(client, w["owner"])
    url = f"/invoices/provider/terms/{w['provider'].id}"
    response = client.post(url, data={"period": "weekly", "payment_terms_days": "14",
                                      "csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    terms = db_session.get(ProviderBillingTerms, w["provider"].id)
    assert terms.period is BillingPeriod.WEEKLY and terms.payment_terms_days == 14
    bad = client.post(url, data={"period": "weekly", "payment_terms_days": "999",
                                 "csrf_token": csrf_token(client, url)})
    assert bad.status_code == 400


def test_finance_officers_approve_their_councils_invoices_only(
        app, client, db_session, make_user, council, other_council, freeze_today):
    freeze_today(TODAY)
    w = _world(db_session, make_user, council, other_council)
    sign_in(client, w["finance"])
    page = client.get("/invoices/council/").get_data(as_text=True)
    assert w["council_invoice"].reference in page
    assert client.get(f"/invoices/council/{w['foreign'].id}").status_code == 404
    url = f"/invoices/council/{w['council_invoice'].id}"
    response = client.post(f"{url}/approve", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    approved = db_session.get(Invoice, w["council_invoice"].id)
    assert approved.status is InvoiceStatus.APPROVED
    page = client.get("/invoices/council/reconcile").get_data(as_text=True)
    assert "Everything agrees" in page
    bad = client.get("/invoices/council/reconcile?start=31&start=2&start=2026")
    assert bad.status_code == 400 and "govuk-error-summary" in bad.get_data(as_text=True)


def test_people_see_and_query_invoices_addressed_to_them(
        app, client, db_session, make_user, council, other_council, freeze_today):
    freeze_today(TODAY)
    w = _world(db_session, make_user, council, other_council)
    sign_in(client, w["holder"])
    page = client.get("/invoices/mine/").get_data(as_text=True)
    assert w["direct"].reference in page
    # The council-managed invoice is addressed to the council, not to them.
    assert client.get(f"/invoices/mine/{w['council_invoice'].id}").status_code == 404
    url = f"/invoices/mine/{w['direct'].id}"
    # The PDF's font keeps Welsh letters (the core fonts cannot write ŵ or ŷ at all).
    pdf = client.get(f"{url}/pdf")
    assert pdf.status_code == 200 and b"DejaVu" in pdf.data
    page = client.get(url).get_data(as_text=True)
    key = page.split('name="query_key" type="hidden" value="')[1].split('"')[0]
    for _ in range(2):
        response = client.post(url, data={"body": "Tuesday's visit was short",
                                          "query_key": key,
                                          "csrf_token": csrf_token(client, url)})
        assert response.status_code == 302
    assert len(db_session.scalars(select(InvoiceQuery)).all()) == 1


def test_a_representative_with_money_scope_sees_the_persons_invoices(
        app, client, db_session, make_user, council, other_council):
    w = _world(db_session, make_user, council, other_council)
    officer = make_user(Role.COUNCIL_OFFICER)
    rep = make_user(Role.REPRESENTATIVE, name="Rita Rep")
    authority = create_authority(
        db_session, created_by=officer, representative=rep, holder=w["holder"],
        council=council, authority_type=AuthorityType.DEPUTY, scope=Scope.MONEY,
        starts_on=date.today() - timedelta(days=1), ends_on=None, evidence_reference="D1")
    db_session.commit()
    sign_in(client, rep)
    client.post(f"/acting/start/{authority.id}",
                data={"csrf_token": csrf_token(client, "/acting/")})
    page = client.get("/invoices/mine/").get_data(as_text=True)
    assert w["direct"].reference in page
