"""A new provider, end to end in the browser with axe on every page: signs up, fills
in the storefront, adds and publishes a service; the council checks and approves
the organisation; then a member of the public finds the service by keyword, by
category and by distance from a postcode."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import follow, sign_in, sign_out, visit

NAME = "Zennor hedge and lawn care"


def _sign_up(page):
    visit(page, "/register")
    page.locator("input[name=account_kind][value=provider_staff]").check()
    page.locator("#full_name").fill("Tamsin Zennor")
    page.locator("#organisation_name").fill("Zennor Garden Helpers")
    page.locator("#email").fill("tamsin@zennor-gardens.example.org")
    page.locator("#password").fill("a long enough password")
    page.locator("#confirm").fill("a long enough password")
    follow(page, page.get_by_role("button", name="Create account").click)
    assert page.url.endswith("/provider"), page.url


def _fill_storefront(page):
    follow(page, page.get_by_role("link", name="Edit your profile").click)
    page.locator("#description").fill("Gardening and small repairs for older people in "
                                      "Harrow, by a local family team.")
    page.locator("#postcode").fill("HA3 5AA")
    page.locator("#areas").fill("HA1, HA2, HA3")
    follow(page, page.get_by_role("button", name="Save profile").click)


def _add_and_publish_service(page):
    visit(page, "/provider")
    # A GOV.UK button made of a link has the role of a button.
    follow(page, page.get_by_role("button", name="Add a service").click)
    page.locator("#name").fill(NAME)
    page.locator("#summary").fill("Hedges cut, lawns mown and leaves cleared, every fortnight.")
    page.locator("#category").select_option("gardening")
    page.locator("input[name=unit][value=hour]").check()
    page.locator("#price").fill("19.50")
    page.locator("#min_booking_units").fill("2")
    page.locator("#lead_time_days").fill("3")
    follow(page, page.get_by_role("button", name="Save service").click)
    follow(page, page.get_by_role("button", name="Publish").click)


def _council_approves(page):
    sign_in(page, "officer@ashdown.example")
    visit(page, "/council/providers")
    follow(page, page.get_by_role("link", name="Zennor Garden Helpers").click)
    for check in ("identity", "insurance", "dbs", "references", "cqc"):
        page.locator(f"input[name=check_{check}][value=yes]").check()
    follow(page, page.get_by_role("button", name="Save the checks").click)
    follow(page, page.get_by_role("button", name="Approve provider").click)
    expect(page.locator("main")).to_contain_text("Approved")
    sign_out(page)


def _found_on_a_category_page(page) -> bool:
    visit(page, "/categories/gardening")
    for _page_number in range(20):
        if page.get_by_role("link", name=NAME).count():
            return True
        next_link = page.get_by_role("link", name=re.compile("^Next"))
        if not next_link.count():
            return False
        follow(page, next_link.first.click)
    return False


def test_a_new_provider_is_approved_and_the_public_finds_their_service(page):
    _sign_up(page)
    _fill_storefront(page)
    _add_and_publish_service(page)
    sign_out(page)

    # Not public until the council approves the organisation.
    visit(page, "/search?q=Zennor")
    expect(page.get_by_role("link", name=NAME)).to_have_count(0)

    _council_approves(page)

    visit(page, "/search?q=Zennor+hedge")
    expect(page.get_by_role("link", name=NAME)).to_be_visible()
    assert _found_on_a_category_page(page)
    visit(page, "/search?q=hedge&postcode=HA3+6BB&covers=y&sort=distance")
    result = page.locator("#results li, #results .council-results__item").filter(has_text=NAME)
    expect(result.first).to_contain_text("miles away")
    follow(page, page.get_by_role("link", name=NAME).first.click)
    expect(page.locator("h1")).to_have_text(NAME)
    expect(page.locator("main")).to_contain_text("£19.50")
