"""The Budget Minder in a real browser: the holder and their representative see the
right figures; every budget and plan page passes axe; the chart has its table."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from marketplace import create_app
from marketplace.accounts import services as accounts
from marketplace.accounts.models import Council
from marketplace.budgets.minder.projections import weekly_amount
from marketplace.budgets.pools import create_pool
from marketplace.db import db
from marketplace.money import format_pence
from marketplace.security import today
from tests.budget_helpers import make_budget
from tests.e2e.conftest import follow, sign_in, visit
from tests.functional.minder_helpers import agreed_plan, with_history

HOLDER = "holder@ashdown.example"
REP = "rep@ashdown.example"
NAME = "E2E minder budget"


@pytest.fixture(scope="module")
def minder_data(live_server, tmp_path_factory):
    """A budget with history, an agreed plan and a pool, added to the demo data."""
    app = create_app({"MARKETPLACE_ENV": "testing", "DATABASE_URL": live_server.database_url,
                      "INSTANCE_PATH": str(tmp_path_factory.mktemp("minder-e2e"))})
    with app.app_context():
        session = db.session
        council = session.scalar(select(Council).where(Council.slug == "ashdown"))
        holder = accounts.find_user_by_email(session, HOLDER)
        officer = accounts.find_user_by_email(session, "officer@ashdown.example")
        budget = with_history(session, make_budget(session, holder, council, name=NAME),
                              tag="e2e")
        plan = agreed_plan(session, holder, budget, officer, today=today())
        rep = accounts.find_user_by_email(session, REP)
        second_holder = next(a.holder for a in accounts.current_authorities_of(
            session, rep, today()) if a.holder_id != holder.id)
        second = make_budget(session, second_holder, council, name="E2E second budget",
                             amount=500_000, paid_in=50_000)
        pool = create_pool(session, council_id=council.id, name="E2E household",
                           budgets=[budget, second])
        session.commit()
        ids = {"holder": holder.full_name, "budget": budget.id, "plan": plan.id, "pool": pool.id,
               "weekly": format_pence(weekly_amount(1_137_000, today(),
                                                    budget.period_ends_on))}
        db.session.remove()
    app.extensions["db_engine"].dispose()
    return ids


def _check_figures(page, minder_data) -> None:
    summary = page.locator("#money-summary")
    expect(summary.locator('[data-figure="spent"]')).to_have_text("£430.00")
    expect(summary.locator('[data-figure="committed"]')).to_have_text("£200.00")
    expect(summary.locator('[data-figure="left"]')).to_have_text("£11,370.00")
    expect(summary.locator('[data-figure="weekly"]')).to_contain_text(minder_data["weekly"])
    table = page.locator("#chart-table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(12)
    expect(page.locator("svg[role=img] title")).to_have_text("Spending over the year")


def test_the_holder_sees_their_money_plan_and_statement(page, minder_data):
    sign_in(page, HOLDER)
    visit(page, "/my/")
    follow(page, page.get_by_role("link", name="Budget Minder: my money").click)
    if page.get_by_role("link", name=NAME).count():  # several budgets: choose this one
        follow(page, page.get_by_role("link", name=NAME).click)
    expect(page.locator("h1")).to_have_text(NAME)
    _check_figures(page, minder_data)
    follow(page, page.get_by_role("link", name="Show money by funding stream").click)
    expect(page.locator("#streams")).to_contain_text("Adult social care")
    follow(page, page.get_by_role("link", name="Statements").click)
    expect(page.locator('[data-figure="spent"]')).to_have_text("£430.00")
    visit(page, f"/my/money/{minder_data['budget']}/statement?start=1&start=6&start=2026"
                "&end=1&end=5&end=2026", status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The last day must be the same as or after the first day")
    visit(page, f"/my/plans/{minder_data['plan']}")
    expect(page.locator(".govuk-task-list")).to_contain_text("Getting my plan agreed")
    visit(page, "/my/plans/")
    visit(page, f"/my/plans/{minder_data['plan']}/versions/1")
    visit(page, "/my/plans/new")
    visit(page, f"/pools/{minder_data['pool']}")
    expect(page.locator("#pool-budgets tbody tr")).to_have_count(1)


def test_the_representative_sees_the_same_figures_and_the_whole_pool(page, minder_data):
    sign_in(page, REP)
    follow(page, page.get_by_role("button", name=f"Act for {minder_data['holder']}").click)
    visit(page, f"/my/money/{minder_data['budget']}")
    _check_figures(page, minder_data)
    visit(page, f"/pools/{minder_data['pool']}")
    expect(page.locator("#pool-budgets tbody tr")).to_have_count(2)
    expect(page.locator('[data-total="allocation"]')).to_have_text("£17,000.00")


def test_council_plan_pages_pass_axe(page, minder_data):
    sign_in(page, "officer@ashdown.example")
    visit(page, "/council/plans/")
    visit(page, f"/council/plans/{minder_data['plan']}")
    visit(page, f"/council/plans/{minder_data['plan']}/review")
