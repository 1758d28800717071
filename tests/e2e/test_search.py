"""Searching in a real browser, with axe on every page: keywords and a postcode from
the home page, sorting by distance, a misspelling, and a facet without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import follow, visit


def _total(page) -> int:
    heading = page.locator("#results-heading").inner_text()
    match = re.search(r"(\d[\d,]*)", heading)
    assert match, heading
    return int(match.group(1).replace(",", ""))


def _miles(page) -> list[float]:
    paid = page.locator("#results-heading ~ .council-results").inner_text()
    return [float(m) for m in re.findall(r"About (\d+(?:\.\d+)?) miles away", paid)]


def test_a_visitor_searches_near_a_postcode_and_sorts_by_distance(page):
    visit(page, "/")
    page.get_by_label("What are you looking for?").fill("personal care")
    page.get_by_label("Your postcode (optional)").fill("HA1 2AB")
    follow(page, page.get_by_role("search").get_by_role("button", name="Search").click)
    assert "/search?" in page.url
    found = _total(page)
    assert found > 0
    page.get_by_label("Sort by").select_option("distance")
    follow(page, page.get_by_role("button", name="Apply filters").click)
    assert "sort=distance" in page.url
    assert _total(page) == found
    miles = _miles(page)
    assert miles and miles == sorted(miles)


def test_a_misspelt_search_still_finds_gardening(page):
    visit(page, "/search?q=gardning")
    assert _total(page) > 0
    expect(page.locator("#results").get_by_text(re.compile("garden", re.I)).first).to_be_visible()


def test_filtering_by_language_works_without_javascript(page_without_javascript):
    page = page_without_javascript
    visit(page, "/search?q=personal+assistant")
    everyone = _total(page)
    assert everyone > 0
    page.get_by_label("Language spoken").select_option("ur")
    follow(page, page.get_by_role("button", name="Apply filters").click)
    assert "language=ur" in page.url
    assert 0 < _total(page) < everyone
