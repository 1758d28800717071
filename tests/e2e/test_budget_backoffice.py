"""The council's budget back office in a real browser, with axe on every page: an
officer goes from a person to their budgets, a budget, its forms (and their error
pages) and its ledger; a finance officer sees the balances and the correction form.
Then the same journey's key steps without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import follow, sign_in_directly, visit


def _open_margarets_budgets(page):
    visit(page, "/council/?q=Margaret")
    follow(page, page.get_by_role("link", name="Margaret Okafor").click)
    follow(page, page.get_by_role("link", name="Budgets of Margaret Okafor").click)
    expect(page.locator("h1")).to_have_text("Budgets")


def test_an_officer_works_through_a_budget_and_every_page_passes_axe(page):
    sign_in_directly(page, "officer@ashdown.example")
    _open_margarets_budgets(page)
    follow(page, page.get_by_role("link", name=re.compile(r"^Personal budget")).first.click)
    assert re.search(r"/council/budgets/\d+$", page.url), page.url
    expect(page.get_by_role("table", name="Money")).to_be_visible()
    budget_url = page.url
    for button, heading, submit in (
        ("Change details", "Change the budget's details", "Save"),
        ("Amounts, streams and holding", "Amounts, streams and how the money is held",
         "Save the amounts"),
        ("Record money received", "Record money received", "Record the money received"),
    ):
        visit(page, budget_url)
        follow(page, page.get_by_role("button", name=button).click)
        expect(page.locator("h1")).to_have_text(heading)
        if submit == "Record the money received":
            page.get_by_label("Amount, in pounds").fill("-12")
        else:
            page.get_by_label(re.compile("Amount for the period|Name of the budget")) \
                .fill("")
        follow(page, page.get_by_role("button", name=submit, exact=True).click, status=400)
        expect(page.locator(".govuk-error-summary")).to_be_visible()
    visit(page, budget_url)
    follow(page, page.get_by_role("link", name="See the whole ledger").click)
    expect(page.locator("h1")).to_have_text("Ledger")
    _open_margarets_budgets(page)
    follow(page, page.get_by_role("button", name="Create a budget").click)
    follow(page, page.get_by_role("button", name="Create the budget").click, status=400)
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def test_a_challenge_page_and_its_decision_form_pass_axe(page):
    sign_in_directly(page, "officer@ashdown.example")
    visit(page, "/council/?q=Ravi")  # a demo holder whose indicative amount is challenged
    follow(page, page.get_by_role("link").filter(has_text="Ravi").first.click)
    follow(page, page.get_by_role("link", name=re.compile("^Budgets of")).click)
    follow(page, page.get_by_role("link", name=re.compile(r"^Personal budget")).first.click)
    follow(page, page.get_by_role("link", name=re.compile("^Record the decision")).click)
    expect(page.locator("h1")).to_have_text("Decide a challenge")
    follow(page, page.get_by_role("button", name="Record the decision").click, status=400)


def test_finance_sees_balances_and_the_correction_form(page):
    sign_in_directly(page, "finance@ashdown.example")
    visit(page, "/council/budgets/finance")
    expect(page.locator("h1")).to_have_text("Budget balances")
    follow(page, page.locator("table.govuk-table tbody a.govuk-link").first.click)
    expect(page.locator("h1")).to_have_text("Ledger")
    follow(page, page.get_by_role("link", name=re.compile("^Correct")).first.click)
    expect(page.locator("h1")).to_have_text("Correct an entry")
    follow(page, page.get_by_role("button", name="Reverse this entry").click, status=400)
    expect(page.locator(".govuk-error-summary")).to_be_visible()


def test_money_received_works_without_javascript(page_without_javascript):
    page = page_without_javascript
    sign_in_directly(page, "officer@ashdown.example")
    _open_margarets_budgets(page)
    follow(page, page.get_by_role("link", name=re.compile(r"^Personal budget")).first.click)
    follow(page, page.get_by_role("button", name="Record money received").click)
    page.get_by_label("The person (their own contribution)").check()
    page.get_by_label("Amount, in pounds").fill("73.60")
    page.get_by_label("Note (optional)").fill("Paid by standing order")
    follow(page, page.get_by_role("button", name="Record the money received").click)
    expect(page.get_by_text("The money received has been recorded.")).to_be_visible()
    expect(page.get_by_text("Paid by standing order").first).to_be_visible()
