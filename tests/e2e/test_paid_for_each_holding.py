"""From a delivered recurring order to "paid" on the Budget Minder, in the browser, for
each way a personal budget can be held (axe runs on every page visited):

- council-managed: the provider's invoice run invoices the council; a finance officer
  approves it, makes and confirms a payment run, and opens the remittance advice
  (its PDF too);
- managed account: the same, with the invoice addressed to the organisation holding
  the account (the council's finance team pays managed accounts in its runs);
- direct payment: the invoice is addressed to the person, who pays it by card on the
  local Stripe-compatible server's checkout page, from the invoice's "Pay by card";
- Individual Service Fund: the provider holds the money, so its run makes no invoice
  but a statement and draws the money from the fund at once: there is nothing for
  anyone to pay, and it is paid.

Each journey ends with the person opening their Budget Minder and seeing the
invoice (or statement) as paid, and the money as spent.

The delivered order is made in the site's database (a recurring order with four
visits recorded last week, by a new provider invoicing weekly): the site itself
refuses orders that start in the past. Everything after that is done in the browser.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from marketplace.budgets.enums import HoldingMethod
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import follow, sign_in, sign_out, visit

FINANCE = "finance@ashdown.example"
AMOUNT = "£160.00"  # four visits of 2 hours at £20.00 an hour
DOCUMENT_LINK = re.compile(r"^(Invoice INV|Individual Service Fund statement ISF)-\d+$")


@dataclass(frozen=True)
class Delivered:
    method: HoldingMethod
    holder_email: str
    holder_name: str
    owner_email: str
    provider_name: str
    budget_name: str
    council_name: str


def _delivered(live_server, tmp_path_factory, method: HoldingMethod) -> Delivered:
    """A new provider (with bank details, invoicing weekly) and a person in the demo
    council whose budget is held by ``method``, with a recurring order of which four
    visits were delivered last week (a billing period that has ended)."""
    from sqlalchemy import select

    from marketplace import create_app
    from marketplace.accounts.models import Council
    from marketplace.accounts.roles import Role
    from marketplace.db import db
    from marketplace.demo import COUNCIL_SLUG
    from marketplace.invoicing.enums import BillingPeriod
    from marketplace.invoicing.periods import period_of
    from marketplace.invoicing.terms import ProviderBillingTerms
    from tests.invoicing_helpers import make_order, make_user
    from tests.paid_helpers import budget_held_by
    from tests.payments_helpers import provider_with_owner

    tmp = tmp_path_factory.mktemp(f"paid-{method.value}")
    app = create_app({"MARKETPLACE_ENV": "testing", "DATABASE_URL": live_server.database_url,
                      "SEARCH_INDEX_DIR": str(tmp / "index"), "MAIL_DIR": str(tmp / "mail")})
    label = method.value.replace("_", " ").title()
    start, _end = period_of(date.today() - timedelta(days=7), BillingPeriod.WEEKLY)
    with app.app_context():
        session = db.session
        council = session.scalar(select(Council).where(Council.slug == COUNCIL_SLUG))
        owner, provider, service = provider_with_owner(session)
        session.add(ProviderBillingTerms(provider_id=provider.id, period=BillingPeriod.WEEKLY,
                                         payment_terms_days=14))
        holder = make_user(session, Role.BUDGET_HOLDER, council=council,
                           name=f"{label} Holder")
        budget = budget_held_by(session, holder, council, method, provider,
                                name=f"{label} budget")
        make_order(session, holder, provider, service, budget,
                   visits=[start + timedelta(days=d) for d in range(4)])
        session.commit()
        found = Delivered(method, holder.email, holder.full_name, owner.email, provider.name,
                          budget.name, council.name)
        db.session.remove()
    app.extensions["db_engine"].dispose()
    return found


# --- the steps -----------------------------------------------------------------------


def _provider_invoices(page, world: Delivered) -> int:
    """The provider presses its invoice run button and opens what it made: the id."""
    sign_in(page, world.owner_email, TEST_PASSWORD)
    visit(page, "/invoices/provider/")
    follow(page, page.get_by_role("button", name="Invoice delivered support now").click)
    expect(page.locator("main")).to_contain_text("Invoices and statements created: 1.")
    follow(page, page.get_by_role("link", name=DOCUMENT_LINK).click)
    main = page.locator("main")
    expect(main).to_contain_text(AMOUNT)
    expect(main).to_contain_text(world.holder_name)
    if world.method is HoldingMethod.INDIVIDUAL_SERVICE_FUND:
        expect(main).to_contain_text(f"No invoice: {world.provider_name} holds this "
                                     "Individual Service Fund and drew this money from it.")
        expect(main).to_contain_text("Drawn from the fund")
    else:
        payer = {HoldingMethod.COUNCIL_MANAGED: world.council_name,
                 HoldingMethod.MANAGED_ACCOUNT: "Brightside Brokerage",
                 HoldingMethod.DIRECT_PAYMENT: world.holder_name}[world.method]
        to_row = main.locator(".govuk-summary-list__row").filter(
            has=page.locator("dt").get_by_text("To", exact=True))
        expect(to_row).to_contain_text(payer)
        expect(main).to_contain_text("Issued")
    invoice_id = int(re.search(r"/invoices/provider/(\d+)", page.url).group(1))
    sign_out(page)
    return invoice_id


def _finance_pays_in_a_run(page, world: Delivered, invoice_id: int) -> None:
    """A finance officer approves the invoice, then pays it in a payment run."""
    sign_in(page, FINANCE)
    visit(page, f"/invoices/council/{invoice_id}")
    follow(page, page.get_by_role("button", name="Approve for payment").click)
    expect(page.locator("main")).to_contain_text("approved for payment")
    reference = page.locator("h1").inner_text().split()[-1]

    follow(page, page.get_by_role("link", name="Payment runs").click)
    follow(page, page.get_by_role("button", name="Start a payment run").click)
    page.get_by_label("Invoices due on or before").fill(
        (date.today() + timedelta(days=30)).isoformat())
    follow(page, page.get_by_role("button", name="Show invoices").click)
    ours = page.get_by_label(re.compile(rf"^\s*{re.escape(world.provider_name)}, "
                                        rf"{reference}: {re.escape(AMOUNT)}"))
    expect(ours).to_be_checked()
    ours_value = ours.get_attribute("value")
    for box in page.locator("input[name=invoice_ids]").all():  # pay only this invoice
        if box.get_attribute("value") != ours_value:
            box.uncheck()
    follow(page, page.get_by_role("button", name="Create payment run").click)
    main = page.locator("main")
    expect(main).to_contain_text("Check the totals")
    expect(main).to_contain_text(world.provider_name)
    follow(page, page.get_by_role("button", name="Confirm and mark these invoices paid").click)
    expect(main).to_contain_text("is confirmed: 1 invoice is marked paid")

    follow(page, page.get_by_role("link", name=f"Remittance advice for {world.provider_name}")
           .click)
    expect(main).to_contain_text(reference)
    pdf_link = page.get_by_role("link", name="Download this remittance advice (PDF)")
    answer = page.request.get(pdf_link.get_attribute("href"))
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.body())).pages)
    assert world.provider_name in text and reference in text and AMOUNT in text
    sign_out(page)


def _person_pays_by_card(page, world: Delivered) -> None:
    """The person opens the invoice addressed to them and pays it by card."""
    sign_in(page, world.holder_email, TEST_PASSWORD)
    _open_minder(page, world)
    expect(_minder_row(page, world)).to_contain_text("Not paid yet")
    visit(page, "/invoices/mine/")
    follow(page, page.get_by_role("link", name=DOCUMENT_LINK).click)
    # "Pay by card" on the invoice (a link that looks like a button), then the card
    # payment page's own button.
    follow(page, page.get_by_role("button", name=f"Pay {AMOUNT} by card").click)
    expect(page.locator("h1")).to_contain_text("Invoice INV-")
    follow(page, page.get_by_role("button", name=f"Pay {AMOUNT} by card").click)
    assert "/checkout/cs_test_" in page.url  # the local Stripe server's hosted page
    page.get_by_label("4242 4242 4242 4242: Payment succeeds").check()
    follow(page, page.get_by_role("button", name=f"Pay {AMOUNT}").click)
    main = page.locator("main")
    expect(main).to_contain_text(f"your payment of {AMOUNT} has been received")
    expect(main).to_contain_text("This invoice is paid")
    sign_out(page)


def _open_minder(page, world: Delivered) -> None:
    visit(page, "/my/")
    follow(page, page.get_by_role("link", name="Budget Minder: my money").click)
    expect(page.locator("h1")).to_have_text(world.budget_name)


def _minder_row(page, world: Delivered):
    return page.locator("#budget-invoices tbody tr", has_text=world.provider_name)


# --- the journeys ----------------------------------------------------------------------

PAID_HOW = {
    HoldingMethod.COUNCIL_MANAGED: "Paid by {council} by bank transfer on",
    HoldingMethod.MANAGED_ACCOUNT: "Paid by Brightside Brokerage by bank transfer on",
    HoldingMethod.DIRECT_PAYMENT: "Paid by card on",
    HoldingMethod.INDIVIDUAL_SERVICE_FUND: "Drawn from the Individual Service Fund by "
                                           "{provider} on",
}


@pytest.mark.parametrize("method", list(HoldingMethod), ids=lambda m: m.value)
def test_a_delivered_order_is_invoiced_paid_and_shown_paid_on_the_budget_minder(
        page, live_server, tmp_path_factory, method):
    world = _delivered(live_server, tmp_path_factory, method)
    invoice_id = _provider_invoices(page, world)
    if method in (HoldingMethod.COUNCIL_MANAGED, HoldingMethod.MANAGED_ACCOUNT):
        _finance_pays_in_a_run(page, world, invoice_id)
    elif method is HoldingMethod.DIRECT_PAYMENT:
        _person_pays_by_card(page, world)
    # An ISF: the provider drew the money from the fund it holds; nobody pays.

    sign_in(page, world.holder_email, TEST_PASSWORD)
    _open_minder(page, world)
    row = _minder_row(page, world)
    expect(row).to_have_count(1)
    expect(row.locator(".govuk-tag")).to_have_text("Paid")
    expect(row).to_contain_text(AMOUNT)
    expect(row).to_contain_text(PAID_HOW[method].format(council=world.council_name,
                                                        provider=world.provider_name))
    expect(page.locator('#money-summary [data-figure="spent"]')).to_have_text(AMOUNT)
    expect(page.locator('#money-summary [data-figure="committed"]')).to_have_text("£0.00")
