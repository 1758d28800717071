"""The site in Welsh: one click on "Cymraeg" and the page speaks (and says it speaks)
Welsh."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, follow, visit

WELSH_PO = ROOT / "marketplace" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"


def welsh_for(english: str, po_path: Path = WELSH_PO) -> str:
    """The Welsh translation of ``english`` as the catalogue has it now."""
    with po_path.open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    message = catalogue.get(english)
    assert message is not None, f"{english!r} is not in {po_path}"
    assert message.string and not message.fuzzy, (
        f"{english!r} has no Welsh translation yet in {po_path}")
    return message.string


def test_switching_to_welsh_translates_the_sign_in_page(page):
    sign_in_cy = welsh_for("Sign in")
    assert sign_in_cy != "Sign in"

    visit(page, "/sign-in")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Sign in")

    cymraeg = page.get_by_role("link", name="Cymraeg")
    expect(cymraeg).to_have_attribute("lang", "cy")
    expect(cymraeg).to_have_attribute("hreflang", "cy")
    follow(page, cymraeg.click)

    assert urlparse(page.url).path == "/sign-in"
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("h1")).to_have_text(sign_in_cy)
    expect(page.locator("main").get_by_role("button", name=sign_in_cy, exact=True)).to_be_visible()
    # The way back to English is marked as English, and Welsh is the current language.
    english = page.get_by_role("link", name="English")
    expect(english).to_have_attribute("lang", "en")
    expect(page.locator("[aria-current]", has_text="Cymraeg")).to_be_visible()

    # The choice is remembered from page to page.
    visit(page, "/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
