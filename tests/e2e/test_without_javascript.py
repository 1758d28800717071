"""Everything a budget holder needs works with JavaScript turned off."""

from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.e2e.conftest import follow, sign_in, visit

NEW_PHONE = "07700 900 614"
NEEDS = "Large print, please"


def test_a_budget_holder_can_see_and_change_their_details_without_javascript(
        page_without_javascript):
    page = page_without_javascript
    visit(page, "/")
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')") \
        is False, "JavaScript should be off in this browser"

    sign_in(page, "holder@ashdown.example")
    assert urlparse(page.url).path == "/my/"
    expect(page.locator("h1")).to_have_text("My support")

    follow(page, page.get_by_role("link", name="Contact details and communication needs").click)
    assert urlparse(page.url).path == "/my/details"
    expect(page.locator("h1")).to_have_text("Contact details")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Margaret Okafor")

    follow(page, page.get_by_role("button", name="Change details").click)
    assert urlparse(page.url).path == "/my/details/change"
    expect(page.locator("h1")).to_have_text("Change contact details")
    page.get_by_label("Telephone number").fill(NEW_PHONE)
    page.get_by_label("How should people contact you?").select_option(label="Telephone")
    page.get_by_label("Anything that helps us communicate with you (optional)").fill(NEEDS)
    follow(page, page.get_by_role("button", name="Save details").click)

    assert urlparse(page.url).path == "/my/details"
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The details have been saved.")
    summary = page.locator(".govuk-summary-list")

    def value(key: str):
        row = summary.locator(".govuk-summary-list__row").filter(
            has=page.locator(".govuk-summary-list__key", has_text=key))
        return row.locator(".govuk-summary-list__value")

    expect(value("Telephone number")).to_have_text(NEW_PHONE)
    expect(value("How to contact")).to_have_text("Telephone")
    expect(value("Communication needs")).to_have_text(NEEDS)

    follow(page, page.get_by_role("link", name="Back").click)
    assert urlparse(page.url).path == "/my/"
