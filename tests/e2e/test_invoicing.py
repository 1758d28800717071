"""Invoicing end to end in the browser, with axe on every invoicing page: delivered
visits (made in the database: a council-managed and a direct-payment budget of the
demo budget holder) are invoiced by the provider's button; the provider reads the
invoice, downloads it and opens the credit note and terms forms; the finance
officer approves the council's invoice and sees the books agree; the person sees
the invoice addressed to them (without JavaScript)."""

from __future__ import annotations

from datetime import date, timedelta

from marketplace.invoicing.enums import BillingPeriod
from marketplace.invoicing.periods import period_of
from tests.e2e.conftest import follow, sign_in, sign_out, visit

HOLDER = "holder@ashdown.example"
PROVIDER = "provider@ashdown.example"
FINANCE = "finance@ashdown.example"


def _deliveries(live_server) -> None:
    """Two orders with four visits each, in a weekly period that has ended."""
    from sqlalchemy import select

    from catalogue.models import MemberRole, ProviderMember, Service
    from marketplace import create_app
    from marketplace.accounts.models import Council, User
    from marketplace.budgets.enums import HoldingMethod
    from marketplace.db import db
    from tests.invoicing_helpers import held_budget, make_order

    app = create_app({"MARKETPLACE_ENV": "testing", "DATABASE_URL": live_server.database_url})
    start, _end = period_of(date.today() - timedelta(days=14), BillingPeriod.WEEKLY)
    visits = [start + timedelta(days=d) for d in (0, 1, 2, 3)]
    with app.app_context():
        session = db.session
        owner = session.scalar(select(User).where(User.email == PROVIDER))
        member = session.scalar(select(ProviderMember).where(
            ProviderMember.user_id == owner.id, ProviderMember.member_role == MemberRole.OWNER))
        provider = member.provider
        service = session.scalar(select(Service).where(Service.provider_id == provider.id)
                                 .order_by(Service.id))
        holder = session.scalar(select(User).where(User.email == HOLDER))
        council = session.scalar(select(Council).order_by(Council.id))
        for method in (HoldingMethod.COUNCIL_MANAGED, HoldingMethod.DIRECT_PAYMENT):
            budget = held_budget(session, holder, council, method, name=f"E2E {method.value}")
            make_order(session, holder, provider, service, budget, visits=visits)
        session.commit()
        db.session.remove()
    app.extensions["db_engine"].dispose()


def test_delivered_support_is_invoiced_approved_and_seen_by_each_payer(
        page, page_without_javascript, live_server):
    _deliveries(live_server)
    sign_in(page, PROVIDER)
    visit(page, "/invoices/provider/")
    follow(page, page.get_by_role("button", name="Invoice delivered support now").click)
    assert "Invoices and statements created" in page.content()
    follow(page, page.get_by_role("link", name="Invoice INV-").first.click)
    assert "Download as PDF" in page.content()
    invoice_url = page.url
    follow(page, page.get_by_role("link", name="Issue a credit note for this invoice").click)
    visit(page, invoice_url)
    follow(page, page.get_by_role("link", name="All invoices").click)
    follow(page, page.get_by_role("link", name="Change invoicing terms").first.click)
    follow(page, page.get_by_role("button", name="Save").click)  # unchanged: saved as is

    sign_out(page)
    finance = page
    sign_in(finance, FINANCE)
    visit(finance, "/invoices/council/?payer=council")
    follow(finance, finance.get_by_role("link", name="Invoice INV-").first.click)
    follow(finance, finance.get_by_role("button", name="Approve for payment").click)
    assert "approved for payment" in finance.content()
    visit(finance, "/invoices/council/reconcile")
    assert "Everything agrees" in finance.content()
    visit(finance, "/invoices/council/reconcile?start=1&start=1&start=2026&end=1&end=1"
                   "&end=2025", status=400)

    person = page_without_javascript
    sign_in(person, HOLDER)
    visit(person, "/invoices/mine/")
    follow(person, person.get_by_role("link", name="Invoice INV-").first.click)
    assert "Approve for payment" in person.content()
