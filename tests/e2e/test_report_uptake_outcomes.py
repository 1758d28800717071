"""The take-up and outcomes reports in the browser, with axe on every page: the demo
commissioner opens each from the reports page, filters it by period and downloads
a table as CSV; and an officer sees the new budget fields."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import follow, sign_in, sign_in_directly, visit

COMMISSIONER = "commissioner@ashdown.example"


def _filter_by_period(page, start: date, end: date) -> None:
    for prefix, day in (("start", start), ("end", end)):
        page.locator(f"#{prefix}-day").fill(str(day.day))
        page.locator(f"#{prefix}-month").fill(str(day.month))
        page.locator(f"#{prefix}-year").fill(str(day.year))
    follow(page, page.get_by_role("button", name="Show the report").click)


def _download(page, table_key: str) -> tuple[list[list[str]], str]:
    with page.expect_download() as download:
        page.locator(f"#table-{table_key}-heading").locator("..").get_by_role(
            "link", name=re.compile(r"^Download this table \(CSV\)")).click()
    text = Path(download.value.path()).read_text()
    return list(csv.reader(io.StringIO(text))), download.value.suggested_filename


def test_a_commissioner_reads_take_up_filters_it_and_downloads_a_table(page):
    sign_in(page, COMMISSIONER)
    visit(page, "/council/reports/")
    follow(page, page.get_by_role("link", name="Take-up", exact=True).click)
    expect(page.get_by_role("heading", level=1, name="Take-up")).to_be_visible()
    expect(page.get_by_role("heading", name="People with a budget, by how the money is held")
           ).to_be_visible()
    expect(page.get_by_text("Direct payment share")).to_be_visible()
    year = date.today().year
    _filter_by_period(page, date(year - 1, 1, 1), date(year, 12, 31))
    assert f"start={year - 1}" in page.url
    expect(page.get_by_text(f"1 January {year - 1} to 31 December {year}").first).to_be_visible()
    for key in ("holding", "groups", "ages", "new", "community", "community_months"):
        expect(page.locator(f"#table-{key}")).to_be_visible()
    table, name = _download(page, "holding")
    assert table[0] == ["How the money is held", "People", "Share of people with a budget"]
    assert [row[0] for row in table[1:5]] == [
        "Direct payment", "Council-managed budget", "Managed account held by an organisation",
        "Individual Service Fund held by a provider"]
    assert table[-1][0] == "Everyone with a budget (each person once)"
    assert name.startswith(f"take-up-holding-{year - 1}-01-01-{year}-12-31")
    ages, _name = _download(page, "ages")
    assert [row[0] for row in ages[1:]][:2] == ["Under 18", "18 to 24"]


def test_a_commissioner_reads_outcomes_filters_them_and_downloads_a_table(page):
    sign_in_directly(page, COMMISSIONER)
    visit(page, "/council/reports/")
    follow(page, page.get_by_role("link", name="Outcomes", exact=True).click)
    expect(page.get_by_role("heading", level=1, name="Outcomes")).to_be_visible()
    expect(page.get_by_text("latest review in the period").first).to_be_visible()
    year = date.today().year
    _filter_by_period(page, date(year, 1, 1), date(year, 3, 31))  # short: by month
    expect(page.get_by_text(f"1 January {year} to 31 March {year}").first).to_be_visible()
    expect(page.locator("#table-over_time th", has_text="Month")).to_be_visible()
    table, name = _download(page, "domains")
    assert table[0] == ["Outcome", "Got better", "Stayed the same", "Got worse",
                        "People reviewed"]
    assert "Choice and control" in [row[0] for row in table[1:]]
    assert name.startswith("outcomes-domains-")
    shares, _name = _download(page, "shares")
    assert shares[0][1] == "Got better"
    chart = page.locator("#table-shares-heading").locator("..").locator("figure.report-chart")
    expect(chart).to_have_count(1)


def test_an_officer_sees_the_support_reason_and_year_of_birth_fields(page):
    sign_in_directly(page, "officer@ashdown.example")
    visit(page, "/council/?q=Margaret")
    follow(page, page.get_by_role("link", name="Margaret Okafor").click)
    follow(page, page.get_by_role("link", name="Budgets of Margaret Okafor").click)
    follow(page, page.get_by_role("button", name="Create a budget").click)
    page.get_by_label("Year of birth (optional)").fill("1850")
    follow(page, page.get_by_role("button", name="Create the budget").click, status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The year of birth must be 1900 or later")
    expect(page.get_by_label("Primary support reason (optional)")).to_be_visible()
