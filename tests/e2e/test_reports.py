"""Every commissioner report in the browser, with axe on each page: opened from the
reports page, filtered by keyboard alone and without JavaScript, with a clear
error for a bad period; and a commissioner cannot open anyone's own page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import follow, sign_in_directly, visit

COMMISSIONER = "commissioner@ashdown.example"


def _report_links(page) -> list[tuple[str, str]]:
    links = page.locator("main ul.govuk-list a.govuk-link")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href"))
            for i in range(links.count())]


def test_every_report_opens_with_charts_that_have_tables(page):
    sign_in_directly(page, COMMISSIONER)
    visit(page, "/council/reports/")
    expect(page.locator("h1")).to_have_text("Reports for commissioners")
    reports = _report_links(page)
    assert len(reports) >= 4, reports
    for title, href in reports:
        visit(page, href)
        expect(page.locator("h1")).to_have_text(title)
        for chart in page.locator("figure.report-chart").all():
            # every chart is followed by the table with its figures
            section = chart.locator("xpath=ancestor::section[1]")
            expect(section.locator("table.report-table")).to_have_count(1)
        expect(page.get_by_text("Download this table (CSV)").first).to_be_visible()


def test_a_report_is_filtered_with_the_keyboard_alone(page):
    sign_in_directly(page, COMMISSIONER)
    visit(page, "/council/reports/")
    first_title, href = _report_links(page)[0]
    visit(page, href)
    page.locator("#start-day").focus()  # the period starts: day, month, year
    for value in ("1", "1", "2026"):  # day, month, year, each replacing what is there
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.get_by_role("button", name="Show the report").focus()
    follow(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator("h1")).to_have_text(first_title)
    expect(page.get_by_text("1 January 2026 to").first).to_be_visible()


def test_a_bad_period_gets_an_error_summary_without_javascript(page_without_javascript):
    page = page_without_javascript
    sign_in_directly(page, COMMISSIONER)
    visit(page, "/council/reports/")
    title, href = _report_links(page)[0]
    visit(page, href + "?start=1&start=6&start=2026&end=1&end=1&end=2026", status=400)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("The end of the period must be the same as or after its "
                                    "start")
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("table.report-table")).to_have_count(0)


def test_a_commissioner_cannot_open_a_persons_page(page):
    sign_in_directly(page, COMMISSIONER)
    for path in ("/council/", "/council/people/1", "/my/"):
        response = page.goto(path)
        assert response is not None and response.status == 403, (path, response and
                                                                  response.status)
