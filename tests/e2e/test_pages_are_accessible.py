"""Every public page, and the main pages of each role, pass axe (WCAG 2.2 AA and best
practice) in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import follow, sign_in_directly, visit

PUBLIC_PAGES = [
    ("/", "Find care and support that works for you"),
    ("/accessibility", "Accessibility statement"),
    ("/privacy", "Privacy notice"),
    ("/cookies", "Cookies"),
    ("/contact", "Contact us"),
    ("/sign-in", "Sign in"),
    ("/register", "Create an account"),
    ("/password/forgotten", "Reset your password"),
    ("/community-groups", "Community groups and activities"),
    ("/whats-on", "What's on"),
]


@pytest.mark.parametrize(("path", "heading"), PUBLIC_PAGES, ids=[p for p, _ in PUBLIC_PAGES])
def test_public_page_is_accessible(page, path, heading):
    visit(page, path)
    h1 = page.locator("h1")
    expect(h1).to_have_count(1)
    expect(h1).to_have_text(heading)
    expect(page.get_by_role("link", name="Skip to main content")).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_missing_page_says_page_not_found_and_is_accessible(page):
    visit(page, "/no-such-page-here", status=404)
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Go to the home page")).to_be_visible()


def test_council_officer_pages_are_accessible_including_a_form_with_errors(page):
    sign_in_directly(page, "officer@ashdown.example")
    visit(page, "/council/")
    expect(page.locator("h1")).to_have_text("People with a personal budget")

    first_person = page.locator("table.govuk-table tbody a.govuk-link").first
    name = first_person.inner_text().strip()
    follow(page, first_person.click)
    assert re.search(r"/council/people/\d+$", page.url), page.url
    expect(page.locator("h1")).to_have_text(name)
    expect(page.get_by_role("table").filter(has_text="Representatives").or_(
        page.get_by_text("No one has been recorded as acting for this person."))).to_be_visible()

    follow(page, page.get_by_role("button", name="Record a new representative").click)
    assert re.search(r"/council/people/\d+/authorities/new$", page.url), page.url
    expect(page.locator("h1")).to_have_text("Record a representative")

    # Sent empty, the form comes back with an error summary that passes axe too.
    follow(page, page.get_by_role("button", name="Record authority").click, status=400)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter an email address")).to_be_visible()
    expect(summary.get_by_role("link", name="Select the type of authority")).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    assert page.title().startswith("Error: ")


def test_administrator_pages_are_accessible(page):
    sign_in_directly(page, "admin@ashdown.example")
    visit(page, "/admin/audit")
    expect(page.locator("h1")).to_have_text("Audit log")
    expect(page.get_by_role("table", name="Latest entries")).to_be_visible()

    visit(page, "/admin/")
    expect(page.locator("h1")).to_have_text("Users")
    visit(page, "/admin/?q=Daniel+Okoro")  # the demo has hundreds of people: search
    user_link = page.get_by_role("table").get_by_role("link", name="Daniel Okoro")
    follow(page, user_link.click)
    assert re.search(r"/admin/users/\d+$", page.url), page.url
    expect(page.locator("h1")).to_have_text("Daniel Okoro")
    expect(page.get_by_role("table").filter(has_text="Roles")).to_contain_text("Council officer")


@pytest.mark.parametrize(
    ("email", "path", "heading"),
    [
        ("finance@ashdown.example", "/council/finance", "Finance"),
        ("commissioner@ashdown.example", "/council/commissioning", "Commissioning overview"),
        ("provider@ashdown.example", "/provider", "My organisation"),
        ("organiser@ashdown.example", "/community", "My community groups"),
    ],
    ids=["finance", "commissioner", "provider", "organiser"],
)
def test_main_page_of_each_other_role_is_accessible(page, email, path, heading):
    sign_in_directly(page, email)
    visit(page, path)
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("main table.govuk-table").first).to_be_visible()
