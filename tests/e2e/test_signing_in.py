"""Signing in as every kind of person, with the mouse and with the keyboard alone."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, axe, sign_in, sign_out, visit

# Who signs in, the path they land on and its heading (marketplace/home.py LANDING).
ROLE_HOMES = [
    ("admin", "/admin/", "Users"),
    ("officer", "/council/", "People with a personal budget"),
    ("finance", "/council/finance", "Finance"),
    ("commissioner", "/council/commissioning", "Commissioning overview"),
    ("holder", "/my/", "My support"),
    ("rep", "/acting/", "People I act for"),
    ("selffunder", "/my/", "My support"),
    ("provider", "/provider", "My organisation"),
    ("carer", "/provider", "My organisation"),
    ("organiser", "/community", "My community groups"),
]


def _focused(page) -> dict:
    return page.evaluate("""() => {
      const el = document.activeElement;
      return {tag: el ? el.tagName.toLowerCase() : null, id: el ? el.id : null,
              text: el ? (el.innerText || '').trim() : null};
    }""")


@pytest.mark.parametrize(("who", "path", "heading"), ROLE_HOMES, ids=[r[0] for r in ROLE_HOMES])
def test_each_demo_role_lands_on_their_own_home_page_and_can_sign_out(page, who, path, heading):
    sign_in(page, f"{who}@ashdown.example")

    assert urlparse(page.url).path == path
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_have_count(0)

    sign_out(page)
    assert urlparse(page.url).path == "/"
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out.")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    # Signed out means signed out: their home page now sends them to sign in.
    response = page.request.get(path, max_redirects=0)
    assert response.status == 302, response.status
    assert urlparse(response.headers["location"]).path == "/sign-in"


def test_signing_in_works_with_the_keyboard_alone(page):
    visit(page, "/sign-in")
    assert _focused(page)["tag"] == "body", "focus should start on the page itself"

    page.keyboard.press("Tab")
    assert _focused(page)["text"] == "Skip to main content"
    expect(page.get_by_role("link", name="Skip to main content")).to_be_visible()
    page.keyboard.press("Enter")
    assert _focused(page)["id"] == "main-content", "the skip link should move focus to <main>"

    for _ in range(10):
        page.keyboard.press("Tab")
        if _focused(page)["id"] == "email":
            break
    else:
        pytest.fail(f"Tab never reached the email field (focus is on {_focused(page)})")
    expect(page.get_by_label("Email address")).to_be_focused()
    page.keyboard.type("holder@ashdown.example")

    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)

    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert urlparse(page.url).path == "/my/"
    expect(page.locator("h1")).to_have_text("My support")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    axe(page)
