"""The spend report and the auditors' pages in the browser, with axe on every page:
the demo commissioner opens the spend report from the reports page, filters it by
category and downloads a table as CSV (and never reaches a person's page); the
demo finance officer opens the exceptions list and, from it, a person's statement."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import follow, sign_in, visit

COMMISSIONER = "commissioner@ashdown.example"
FINANCE = "finance@ashdown.example"


def _labels(page, key: str) -> list[str]:
    """The first cell of each row of a report table."""
    return [text.strip() for text in page.locator(f"#table-{key} tbody th").all_inner_texts()]


def test_a_commissioner_filters_the_spend_report_and_downloads_a_table(page, live_server):
    sign_in(page, COMMISSIONER)
    visit(page, "/council/reports/")
    follow(page, page.get_by_role("link", name="Spend and commitments").click)
    expect(page.get_by_role("heading", level=1, name="Spend and commitments")).to_be_visible()
    expect(page.get_by_role("heading", name="Spent and set aside by category")).to_be_visible()
    assert len(_labels(page, "categories")) > 1
    expect(page.get_by_role("img", name=re.compile(r"^Chart: Spent and set aside by category "
                                                   r"Bars for “Spent”"))).to_be_visible()

    page.get_by_label("Category", exact=True).select_option("personal-care")
    follow(page, page.get_by_role("button", name="Show the report").click)
    assert "category=personal-care" in page.url
    categories = _labels(page, "categories")
    personal_care = {"Personal care at home", "Getting up, washing and dressing",
                     "Help with medicines", "Live-in care", "Night care",
                     "Reablement after hospital"}
    assert categories and set(categories) <= personal_care, categories

    with page.expect_download() as download:
        page.locator("#table-categories-heading").locator("..").get_by_role(
            "link", name=re.compile(r"^Download this table \(CSV\)")).click()
    table = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert table[0] == ["Category", "People", "Spent (£)", "Set aside at the end of the "
                                                            "period (£)"]
    assert [row[0] for row in table[1:-1]] == categories
    assert table[-1][0] == "Total"
    assert download.value.suggested_filename.startswith("spend-categories-")

    visit(page, "/council/reports/audit/exceptions", status=403)


def test_a_finance_officer_opens_the_exceptions_and_a_statement(page, live_server):
    sign_in(page, FINANCE)
    visit(page, "/council/reports/audit/exceptions")
    expect(page.get_by_role("heading", level=1, name="Exceptions for auditors")).to_be_visible()
    for heading in ("Orders that needed the council's approval", "Disputed visits",
                    "Credit notes"):
        expect(page.get_by_role("heading", name=re.compile(re.escape(heading)))).to_be_visible()
    person = page.locator("table.govuk-table tbody a.govuk-link").first
    name = person.inner_text().split(":")[0].strip()
    follow(page, person.click)
    expect(page.get_by_role("heading", level=1, name="Statement")).to_be_visible()
    expect(page.locator(".govuk-caption-l")).to_contain_text(name)
    expect(page.locator('[data-figure="closing"]')).to_have_text(re.compile(r"^-?£[\d,]+\.\d\d$"))
    expect(page.locator("#statement-lines tbody tr").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a spreadsheet (CSV)").click()
    assert name in Path(download.value.path()).read_text()
