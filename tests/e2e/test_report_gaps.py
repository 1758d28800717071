"""The market-gaps report in the browser, with axe on every page: the demo
commissioner opens it from the reports page, finds the demo's two real gaps at
the top of the ranked list (no Urdu-speaking personal assistants; too few short
breaks), filters it by area and category, downloads a table as CSV and the
printable market position pack as PDF."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import follow, sign_in, visit

COMMISSIONER = "commissioner@ashdown.example"


def _ranked(page) -> list[list[str]]:
    rows = page.locator("#table-ranked tbody tr")
    return [[cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()]
            for i in range(rows.count())]


def test_a_commissioner_finds_the_gaps_filters_and_downloads(page, live_server):
    sign_in(page, COMMISSIONER)
    visit(page, "/council/reports/")
    follow(page, page.get_by_role("link", name="Market gaps").click)
    expect(page.get_by_role("heading", level=1, name="Market gaps")).to_be_visible()
    expect(page.get_by_text("The gap score is the number of those people")).to_be_visible()

    top = _ranked(page)[:3]
    assert any(row[1] == "Personal assistants" and row[3] == "Urdu" for row in top), top
    assert any(row[1] == "Short breaks and respite" for row in top), top
    assert page.locator("#table-grid td[class*='report-shade-4']").count() > 0

    urdu = next(row for row in _ranked(page) if row[3] == "Urdu" and row[2] != "All areas")
    page.get_by_label("Area (postcode district)").select_option(urdu[2])
    page.get_by_label("Category", exact=True).select_option("personal-assistant")
    follow(page, page.get_by_role("button", name="Show the report").click)
    assert f"area={urdu[2]}" in page.url and "category=personal-assistant" in page.url
    expect(page.get_by_text(f"area {urdu[2]}", exact=False).first).to_be_visible()
    filtered = _ranked(page)
    assert filtered and filtered[0][2] == urdu[2] and filtered[0][3] == "Urdu", filtered
    assert all(row[2] == urdu[2] for row in filtered)

    with page.expect_download() as download:
        page.locator("#table-ranked-heading").locator("..").get_by_role(
            "link", name=re.compile(r"^Download this table \(CSV\)")).click()
    table = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert table[0][:4] == ["Rank", "Category", "Area", "Language asked for"]
    assert table[1][2:4] == [urdu[2], "Urdu"]
    assert download.value.suggested_filename.startswith("market-gaps-ranked-")

    with page.expect_download() as pack:
        page.get_by_role("link", name="Download the market position pack (PDF) for these "
                                      "filters").click()
    assert Path(pack.value.path()).read_bytes().startswith(b"%PDF")
    assert pack.value.suggested_filename.startswith("market-position-")
