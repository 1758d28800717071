"""Browser tests of payments, with axe on every page (the local Stripe-compatible
server's checkout page included): a direct-payment holder pays an invoice by card and
sees it paid, and the money spent on the Budget Minder; a finance officer makes and
confirms a payment run; a provider owner keeps the bank details.

The invoices are made in the site's own database by invoicing's real invoice run, over
visits delivered for people made here (the demo's history is not relied on)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from marketplace import create_app
from marketplace.accounts.models import Council, User
from marketplace.db import make_engine
from marketplace.demo import COUNCIL_SLUG
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import follow, sign_in, visit
from tests.payments_helpers import council_invoices, person_invoice, provider_with_owner


@pytest.fixture(scope="module")
def site_db(live_server, tmp_path_factory):
    """A session on the browser tests' site database (committed data is what it sees)."""
    tmp = tmp_path_factory.mktemp("payments-e2e")
    app = create_app({"MARKETPLACE_ENV": "testing", "DATABASE_URL": live_server.database_url,
                      "SEARCH_INDEX_DIR": str(tmp / "index"), "MAIL_DIR": str(tmp / "mail")})
    engine = make_engine(live_server.database_url)
    with app.app_context():
        session = sessionmaker(bind=engine, expire_on_commit=False)()
        yield session
        session.close()
    engine.dispose()
    app.extensions["db_engine"].dispose()


def _ashdown(session) -> Council:
    return session.scalar(select(Council).where(Council.slug == COUNCIL_SLUG))


def test_a_direct_payment_holder_pays_an_invoice_by_card(page, site_db):
    invoice = person_invoice(site_db, _ashdown(site_db))
    holder = site_db.get(User, invoice.payer_user_id)
    site_db.commit()  # end the read: SQLite would keep the site from writing
    sign_in(page, holder.email, TEST_PASSWORD)
    visit(page, "/payments/card")
    follow(page, page.get_by_role("link", name=invoice.reference).click)
    follow(page, page.get_by_role("button", name="Pay £320.00 by card").click)
    assert "/checkout/cs_test_" in page.url  # the local Stripe server's hosted page
    page.get_by_label("4000 0000 0000 0002: Card declined").check()
    follow(page, page.get_by_role("button", name="Pay £320.00").click, status=402)
    assert "Your card was declined." in page.content()
    page.get_by_label("4242 4242 4242 4242: Payment succeeds").check()
    follow(page, page.get_by_role("button", name="Pay £320.00").click)
    assert f"/payments/invoices/{invoice.id}/card" in page.url
    text = page.inner_text("main")
    assert "your payment of £320.00 has been received" in text
    assert "This invoice is paid" in text
    visit(page, f"/my/money/{invoice.budget_id}")
    assert page.inner_text("[data-figure=spent]") == "£320.00"


def test_a_finance_officer_makes_and_confirms_a_payment_run(page, site_db):
    council = _ashdown(site_db)
    finance = site_db.scalar(select(User).where(User.email == "finance@ashdown.example"))
    _owner, provider, service = provider_with_owner(site_db)
    invoices = council_invoices(site_db, council, finance, providers=[(provider, service)])
    site_db.commit()
    sign_in(page, finance.email)
    follow(page, page.get_by_role("link", name="Payment runs").click)
    follow(page, page.get_by_role("button", name="Start a payment run").click)
    for invoice in invoices:
        assert page.get_by_label(re.compile(invoice.reference)).first.is_checked()
    # Pay only the invoices made here (the demo may have others due).
    for box in page.locator("input[name=invoice_ids]").all():
        if box.get_attribute("value") not in {str(i.id) for i in invoices}:
            box.uncheck()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2099")
    follow(page, page.get_by_role("button", name="Create payment run").click)
    assert "Check the totals" in page.inner_text("main")
    assert provider.name in page.inner_text("main")
    follow(page, page.get_by_role("button", name="Confirm and mark these invoices paid").click)
    assert "1 invoice is marked paid" in page.inner_text("main")
    follow(page, page.get_by_role("link", name=re.compile("Remittance advice")).first.click)
    assert provider.name in page.inner_text("main")


def test_a_provider_owner_keeps_the_bank_details(page):
    sign_in(page, "provider@ashdown.example")
    follow(page, page.get_by_role("link", name="Bank details").click)
    page.get_by_label("Name on the account").fill("Harrow Care")
    page.get_by_label("Sort code").fill("12-34-5")
    page.get_by_label("Account number").fill("12345678")
    follow(page, page.get_by_role("button", name="Save bank details").click, status=400)
    assert "Enter a valid sort code" in page.inner_text("main")
    page.get_by_label("Sort code").fill("12-34-56")
    follow(page, page.get_by_role("button", name="Save bank details").click)
    assert "Your bank details have been saved" in page.inner_text("main")
