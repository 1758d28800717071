"""A representative acts for someone: the banner says so on every page, what they
change is recorded as done by them for that person, and they can stop."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.e2e.conftest import follow, sign_in, sign_in_directly, sign_out, visit

REP = "Sarah Okafor"
HOLDER = "Margaret Okafor"
NEW_PHONE = "01632 960 417"


def _expect_acting_banner(page, name: str = HOLDER) -> None:
    banner = page.get_by_role("region", name="Acting for someone")
    expect(banner).to_be_visible()
    red, green, blue = (int(n) for n in re.findall(r"\d+", banner.evaluate(
        "el => getComputedStyle(el).backgroundColor"))[:3])
    assert red > 200 and green > 180 and blue < 80, f"the banner is not yellow: {red, green, blue}"
    expect(banner).to_contain_text(f"You are acting for {name}")
    expect(banner.get_by_role("button", name=f"Stop acting for {name.split()[0]}")).to_be_visible()


def test_a_representative_acts_for_someone_changes_their_details_and_it_is_audited(page):
    sign_in(page, "rep@ashdown.example")
    assert urlparse(page.url).path == "/acting/"
    expect(page.locator("h1")).to_have_text("People I act for")
    expect(page.get_by_role("region", name="Acting for someone")).to_have_count(0)

    row = page.get_by_role("table").locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=HOLDER, exact=True))
    expect(row).to_have_count(1)
    follow(page, row.get_by_role("button", name=f"Act for {HOLDER}").click)
    assert urlparse(page.url).path == "/my/"
    expect(page.locator("h1")).to_have_text(f"Support for {HOLDER}")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"You are now acting for {HOLDER}.")
    _expect_acting_banner(page)

    # The banner stays on every page while acting, public pages included.
    for path in ("/", "/accessibility", "/my/"):
        visit(page, path)
        _expect_acting_banner(page)
    follow(page, page.get_by_role("link", name="Contact details and communication needs").click)
    assert urlparse(page.url).path == "/my/details"
    _expect_acting_banner(page)
    expect(page.locator(".govuk-summary-list")).to_contain_text(HOLDER)

    follow(page, page.get_by_role("button", name="Change details").click)
    assert urlparse(page.url).path == "/my/details/change"
    _expect_acting_banner(page)
    page.get_by_label("Telephone number").fill(NEW_PHONE)
    follow(page, page.get_by_role("button", name="Save details").click)
    assert urlparse(page.url).path == "/my/details"
    _expect_acting_banner(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The details have been saved.")
    phone_row = page.locator(".govuk-summary-list__row").filter(has_text="Telephone number")
    expect(phone_row.locator(".govuk-summary-list__value")).to_have_text(NEW_PHONE)

    follow(page, page.get_by_role("button", name="Stop acting for Margaret").click)
    assert urlparse(page.url).path == "/acting/"
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You are no longer acting for anyone.")
    expect(page.get_by_role("region", name="Acting for someone")).to_have_count(0)
    expect(page.locator(".council-acting-banner")).to_have_count(0)
    visit(page, "/accessibility")
    expect(page.get_by_role("region", name="Acting for someone")).to_have_count(0)
    sign_out(page)
    expect(page.get_by_role("region", name="Acting for someone")).to_have_count(0)

    # The administrator sees the change in the audit log: made by the
    # representative, for the person they were acting for.
    sign_in_directly(page, "admin@ashdown.example")
    visit(page, "/admin/audit")
    table = page.get_by_role("table", name="Latest entries")
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert headers[:4] == ["When (UTC)", "Who", "Acting for", "Action"], headers
    change = table.locator("tbody tr").filter(has_text=REP).filter(has_text=HOLDER).filter(
        has_text="phone")
    expect(change).not_to_have_count(0)
    cells = [c.strip() for c in change.first.locator("td, th").all_inner_texts()]
    assert cells[1] == REP, cells
    assert cells[2] == HOLDER, cells
    assert cells[3] == "Changed", cells
    assert cells[4].startswith("users "), cells
    assert "phone" in cells[5].split(", "), cells
