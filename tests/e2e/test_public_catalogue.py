"""The public catalogue in a real browser, with axe on every page: from the home page
to a category, a service, the provider's storefront and 'report a problem'; and the
council rate for a person the council funds."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import follow, sign_in, visit


def test_a_visitor_browses_from_the_home_page_to_a_service_and_its_provider(page):
    visit(page, "/")
    expect(page.get_by_role("search")).to_be_visible()
    follow(page, page.get_by_role("link", name="Personal care at home").click)
    expect(page.locator("h1")).to_have_text("Personal care at home")
    follow(page, page.get_by_role("navigation", name="Pages").get_by_role(
        "link", name="Page 2").click)
    assert page.url.endswith("/categories/personal-care?page=2"), page.url
    follow(page, page.get_by_role("link", name="Night care").click)
    expect(page.locator("h1")).to_have_text("Night care")
    follow(page, page.locator(".council-results__item h3 a").first.click)
    assert re.search(r"/services/\d+$", page.url), page.url
    expect(page.get_by_text("the public price").first).to_be_visible()
    expect(page.get_by_role("heading", name="Ratings by people who bought this service")) \
        .to_be_visible()
    expect(page.get_by_role("table", name="Times you can book, by day of the week")) \
        .to_be_visible()
    follow(page, page.locator("aside").get_by_role("link").last.click)
    assert re.search(r"/providers/\d+$", page.url), page.url
    expect(page.get_by_role("heading", name="Care Quality Commission (CQC)")).to_be_visible()


def test_a_report_with_a_mistake_is_explained_then_sent(page):
    visit(page, "/")
    follow(page, page.get_by_role("link", name="Housing-related support").click)
    follow(page, page.locator(".council-results__item h3 a").first.click)
    follow(page, page.get_by_role("link", name="Report a problem with this listing").click)
    follow(page, page.get_by_role("button", name="Send report").click, status=400)
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Select what the problem is")).to_be_visible()
    page.get_by_label("Something else").check()
    page.get_by_label("Tell us more").fill("The phone number on this listing is wrong.")
    follow(page, page.get_by_role("button", name="Send report").click)
    expect(page.locator("h1")).to_have_text("Your report has been sent")


def test_a_person_the_council_funds_sees_the_council_rate(page):
    sign_in(page, "holder@ashdown.example")
    visit(page, "/categories/getting-up-and-dressed")
    item = page.locator(".council-results__item").filter(has_text="Harrow Home Care Ltd")
    expect(item.first).to_contain_text(
        "£18.00 per hour — the rate Ashdown Borough Council agreed for people it funds; "
        "the public price is £24.50")


def test_the_catalogue_works_without_javascript(page_without_javascript):
    page = page_without_javascript
    visit(page, "/categories/personal-care")
    follow(page, page.locator(".council-results__item h3 a").first.click)
    follow(page, page.get_by_role("link", name="Report a problem with this listing").click)
    page.get_by_label("The price is wrong").check()
    follow(page, page.get_by_role("button", name="Send report").click)
    expect(page.locator("h1")).to_have_text("Your report has been sent")
