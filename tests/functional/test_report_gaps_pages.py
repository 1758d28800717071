"""The market-gaps report's page, downloads and filters: words searched by fewer
than 5 different people never appear, hidden figures cannot be worked out from
the totals, filters by area and category, bad filters answer 400 with a message,
and only council reporting roles see it."""

from __future__ import annotations

import csv
import io

import pytest

from marketplace.accounts.roles import Role
from marketplace.reports.tables import HIDDEN_TEXT
from tests.conftest import sign_in
from tests.functional import reports_gaps_helpers as helpers
from tests.functional.test_report_gaps import build, shown

URL = "/council/reports/market-gaps"


@pytest.fixture()
def data(app, db_session, council, other_council):
    return helpers.build(app, db_session, council, other_council)


def _query(data, **extra) -> str:
    start, end = data.start, data.end
    args = (f"council={data.council.id}&start={start.day}&start={start.month}"
            f"&start={start.year}&end={end.day}&end={end.month}&end={end.year}")
    return args + "".join(f"&{k}={v}" for k, v in extra.items())


@pytest.fixture()
def commissioner(client, make_user):
    sign_in(client, make_user(Role.COMMISSIONER, name="Cora Commissioner"))
    return client


def _csv(client, data, key, **extra) -> list[list[str]]:
    response = client.get(f"{URL}?{_query(data, **extra)}&download={key}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_words_of_fewer_than_five_people_never_appear(data, commissioner):
    page = commissioner.get(f"{URL}?{_query(data)}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    everything = text + "".join(
        "".join(",".join(r) for r in _csv(commissioner, data, key))
        for key in ("words", "ranked", "searches", "languages"))
    for word in ("hoist", "xylophone"):  # searched by 4 and 2 people
        assert word not in everything.lower()
    words = _csv(commissioner, data, "words")
    assert words[0] == ["Word", "Searches", "Different people"]
    assert {row[0] for row in words[1:]} == {"urdu", "assistant", "speaking", "befriending",
                                             "welsh"}
    assert all(int(row[2]) >= 5 for row in words[1:])


def test_hidden_figures_cannot_be_worked_out_from_the_totals(app, db_session, data,
                                                              commissioner):
    report, _filters = build(app, db_session, data)
    for table in report.tables:
        numeric = [i for i, c in enumerate(table.columns) if c.numeric]
        lines = [[table.hidden[r][c] for r in range(len(table.rows))] for c in numeric] if (
            table.total is not None) else []
        totals = [table.total_hidden[c] for c in numeric] if table.total is not None else []
        for gone, total_gone in zip(lines, totals, strict=True):
            assert total_gone or sum(gone) != 1, table.key
        if table.row_total_column:
            for r in range(len(table.rows)):
                parts = [table.hidden[r][c] for c in numeric[:-1]]
                assert table.hidden[r][numeric[-1]] or sum(parts) != 1, table.key
    # The grid's rows add up: try to recover each hidden cell by subtraction.
    grid = report.table("grid")
    for row, cells in grid.shown():
        figures = [(v, gone, true) for (c, v, gone), true in zip(cells, row.values,
                                                                  strict=True) if c.numeric]
        *parts, (total, total_gone, _true) = figures
        unknown = [true for _v, gone, true in parts if gone]
        if not total_gone and unknown:
            left = total - sum(v for v, gone, _t in parts if not gone)
            assert len(unknown) > 1 or left != unknown[0]
            assert len(unknown) != 1
    # One person in HA3 wanted a personal assistant: "fewer than 5", never the figure.
    rows = {r[0]: r for r in _csv(commissioner, data, "grid")}
    assert rows["Personal assistants"][3] == HIDDEN_TEXT
    assert rows["Personal assistants"][2] == HIDDEN_TEXT  # hidden with it
    assert rows["Personal assistants"][5] == "12"
    ratings = {r[0]: r for r in _csv(commissioner, data, "ratings")}
    assert ratings["Personal care at home"][1:] == [HIDDEN_TEXT] * 3
    assert ratings["Personal assistants"][1] == HIDDEN_TEXT  # or 6 - 5 would give it away
    assert ratings["All categories"][1] == "6"


def test_filtered_by_area_and_category(app, db_session, data, commissioner):
    page = commissioner.get(f"{URL}?{_query(data, area='ha1', category='personal-assistant')}")
    assert page.status_code == 200
    assert "area HA1" in page.get_data(as_text=True)
    report, _filters = build(app, db_session, data, "HA1", "personal-assistant")
    grid = report.table("grid")
    assert [c.label for c in grid.columns] == ["Category", "HA1", "All areas"]
    assert shown(grid) == {"Everyday support from a PA": [(6, False), (6, False)],
                           "Personal assistants (any kind)": [(0, False), (0, False)]}
    ranked = [r.values[1:5] for r in report.table("ranked").rows]
    assert ranked == [["Everyday support from a PA", "HA1", "Urdu", 6],
                      ["Everyday support from a PA", "HA1", None, 6]]
    searches = shown(report.table("searches"))
    # In HA1: six people's Urdu searches and four people's "hoist" searches.
    assert searches["Everyday support from a PA"][:2] == [(10, False), (6, False)]
    assert searches["TOTAL"][3] == (6, False)
    assert set(searches) == {"Everyday support from a PA", "TOTAL"}
    # Alder's PA service meets a need for "any kind" of personal assistant too.
    assert [r.values[:3] for r in report.table("supply").rows] == [
        ["Everyday support from a PA", 1, 1], ["Personal assistants (any kind)", 1, 1]]
    assert shown(report.table("plans")) == {"TOTAL": [(0, False)] * 3}
    rows = {r[0]: r for r in _csv(commissioner, data, "ranked", area="HA1",
                                  category="personal-assistant")}
    assert rows["1"][1:5] == ["Everyday support from a PA", "HA1", "Urdu", "6"]


BAD = [
    ("start=1&start=4&start=2026&end=1&end=3&end=2026",
     "The end of the period must be the same as or after its start"),
    ("start=1&start=1&start=2000&end=1&end=1&end=2100", "Choose a period of 5 years or less"),
    ("start=1&start=4&start=2026&end=30&end=11&end=2026&area=ZZ9",
     "is not one of this council"),
    ("start=1&start=4&start=2026&end=30&end=11&end=2026&category=astrology",
     "Choose a category from the list"),
    ("start=31&start=2&start=2026&end=1&end=3&end=2026", "Enter a real date"),
]


@pytest.mark.parametrize(("query", "message"), BAD)
def test_bad_filters_answer_400_with_a_message(data, commissioner, query, message):
    for url in (URL, f"{URL}?download=grid&x=1", "/council/reports/pack.pdf"):
        joined = f"{url}{'&' if '?' in url else '?'}{query}"
        response = commissioner.get(joined)
        assert response.status_code == 400, joined
        assert message in response.get_data(as_text=True), joined


def test_a_commissioner_sees_it_and_a_budget_holder_gets_403(app, data, client, make_user,
                                                              other_council):
    response = client.get(URL)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    holder = app.test_client()
    sign_in(holder, make_user(Role.BUDGET_HOLDER, name="Bea Holder"))
    assert holder.get(f"{URL}?{_query(data)}").status_code == 403
    assert holder.get(f"{URL}?{_query(data)}&download=grid").status_code == 403
    sign_in(client, make_user(Role.COMMISSIONER, name="Cora Commissioner"))
    page = client.get(f"{URL}?{_query(data)}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "The largest gaps" in text and "report-shade-" in text
    assert "gap score" in text.lower()
    for person in data.holders:
        assert person.full_name not in text and person.postcode not in text
    pack = client.get(f"/council/reports/pack.pdf?{_query(data)}")
    assert pack.status_code == 200 and pack.data.startswith(b"%PDF")
    # Another council's commissioner cannot ask for this council's report.
    elsewhere = app.test_client()
    sign_in(elsewhere, make_user(Role.COMMISSIONER, council_for=other_council,
                                 name="Oz Other"))
    refused = elsewhere.get(f"{URL}?{_query(data)}")
    assert refused.status_code in (200, 400)
    assert data.council.name not in refused.get_data(as_text=True)
