"""The storefront (provider staff) and council vetting pages pass axe, with the demo
data, including a form showing its errors. Nothing here changes the demo data."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import follow, sign_in_directly, visit


def _href(page, selector: str) -> str:
    return page.locator(selector).first.get_attribute("href")


def test_every_storefront_page_is_accessible(page):
    sign_in_directly(page, "provider@ashdown.example")
    visit(page, "/provider")
    expect(page.locator("h1")).to_have_text("My organisation")
    links = [_href(page, f"main a[href$='/{end}']")
             for end in ("profile", "organisation", "logo", "team", "new", "reports")]
    service_edit = _href(page, "main a[href$='/edit']")
    service = service_edit.rsplit("/", 1)[0]
    for path in [*links, service_edit, f"{service}/preview", f"{service}/photos"]:
        visit(page, path)
    visit(page, links[4])  # a new service: send it empty, and see the errors
    follow(page, page.get_by_role("button", name="Save service").click, status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the service")


def test_every_council_vetting_page_is_accessible(page):
    sign_in_directly(page, "officer@ashdown.example")
    visit(page, "/council/providers")
    review = _href(page, "main table a[href*='/council/providers/']")
    visit(page, review)
    expect(page.get_by_role("heading", name="Evidence checklist")).to_be_visible()
    rates = _href(page, "main a[href$='/rates']")
    for path in (rates, f"{review}/suspend", "/council/providers/reports",
                 "/council/providers/reports?status=closed", "/council/providers?status=pending"):
        visit(page, path)
    visit(page, f"{review}/suspend")
    follow(page, page.get_by_role("button", name="Suspend provider").click, status=400)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason")
