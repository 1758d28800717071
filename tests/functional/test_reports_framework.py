"""The reports' shared pages: who may see them, the filters and their messages,
CSV downloads and the PDF pack carrying only suppressed figures. A small report
registered just for these tests counts budgets by holding way, so every figure can
be checked against the rows the test made."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from catalogue.models import SearchEvent
from marketplace.accounts.roles import Role
from marketplace.reports import registry
from marketplace.reports.tables import Column, Kind, Report, Row, Table
from tests.conftest import sign_in

TODAY = date(2026, 11, 23)


def _count_build(session, filters):
    """Search events per district in the period (people: the rows given below)."""
    found = dict(session.execute(
        select(SearchEvent.district, func.count())
        .where(SearchEvent.council_id == filters.council_id,
               SearchEvent.at >= filters.start_at, SearchEvent.at < filters.end_at)
        .group_by(SearchEvent.district)).all())
    rows = [Row([district, count, count * 150], people=count)
            for district, count in sorted(found.items())]
    total = sum(found.values())
    columns = [Column("district", "District", Kind.TEXT), Column("searches", "Searches"),
               Column("spend", "Spend", Kind.PENCE)]
    return Report("test-searches", "Searches by district", "For the tests.", [
        Table("by-district", "Searches by district", columns, rows,
              total=Row(["Total", total, total * 150], people=total), chart="bar")])


@pytest.fixture()
def toy_report():
    registry.register("test-searches", "Searches by district", "For the tests.",
                      order=999)(_count_build)
    yield
    registry.REPORTS.pop("test-searches", None)


@pytest.fixture()
def searches(db_session, council, freeze_today):
    freeze_today(TODAY)
    counts = {"HA1": 12, "HA2": 3, "HA3": 7}
    for district, n in counts.items():
        for i in range(n):
            db_session.add(SearchEvent(council_id=council.id, district=district,
                                       words=f"w{i}", at=_at(date(2026, 6, 1 + i))))
    db_session.add(SearchEvent(council_id=council.id, district="HA1", words="old",
                               at=_at(date(2020, 1, 1))))
    db_session.flush()
    return counts


def _at(day: date):
    from datetime import UTC, datetime, time
    return datetime.combine(day, time(12), tzinfo=UTC)


def _period(start: date, end: date) -> dict:
    return {"start": [str(start.day), str(start.month), str(start.year)],
            "end": [str(end.day), str(end.month), str(end.year)]}


def test_a_commissioner_sees_the_report_with_small_figures_hidden(
        client, make_user, toy_report, searches):
    sign_in(client, make_user(Role.COMMISSIONER))
    page = client.get("/council/reports/test-searches").get_data(as_text=True)
    assert "Searches by district" in page
    # HA1 12 and HA3 7 are shown; HA2 3 is hidden, and so is HA3 (the smallest
    # other), as the total 22 is shown and would give HA2 away.
    assert ">12<" in page and ">22<" in page
    assert ">3<" not in page and ">7<" not in page
    assert "fewer than 5" in page
    assert "<svg" in page and "Chart: Searches by district" in page


def test_the_csv_has_the_page_figures_and_no_hidden_one(
        client, make_user, toy_report, searches):
    sign_in(client, make_user(Role.COMMISSIONER))
    response = client.get("/council/reports/test-searches?download=by-district")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "District,Searches,Spend (£)"
    assert lines[1:] == ["HA1,12,18.00", "HA2,fewer than 5,fewer than 5",
                         "HA3,fewer than 5,fewer than 5", "Total,22,33.00"]
    assert client.get("/council/reports/test-searches?download=nope").status_code == 404


def test_the_pdf_pack_opens_and_hides_the_same_figures(
        client, make_user, toy_report, searches):
    sign_in(client, make_user(Role.COMMISSIONER))
    response = client.get("/council/reports/pack.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Market position" in text and "Searches by district" in text
    assert "£18.00" in text and "fewer than 5" in text
    assert "£4.50" not in text and "£10.50" not in text


def test_the_period_filter_counts_only_its_searches(client, make_user, toy_report, searches):
    sign_in(client, make_user(Role.COMMISSIONER))
    page = client.get("/council/reports/test-searches",
                      query_string=_period(date(2019, 12, 1), date(2020, 2, 1))).get_data(
        as_text=True)
    assert "fewer than 5" in page  # the one 2020 search
    assert ">12<" not in page


@pytest.mark.parametrize(("args", "message"), [
    (_period(date(2026, 5, 1), date(2026, 4, 1)), "must be the same as or after its start"),
    (_period(date(1926, 1, 1), date(2026, 1, 1)), "cannot start before 1 January 2000"),
    (_period(date(2010, 1, 1), date(2026, 1, 1)), "Choose a period of 5 years or less"),
    ({"start": ["31", "2", "2026"], "end": ["1", "3", "2026"]}, "Enter a real date"),
    ({"start": ["1", "1", "2026"]}, "Enter the last day of the period"),
    ({"area": "ZZ99"}, "is not one of this council"),
    ({"area": "<script>"}, "is not one of this council"),
    ({"category": "not-a-category"}, "Choose a category from the list"),
    ({"council": "999999"}, "Choose a council from the list"),
    ({"council": "abc"}, "Choose a council from the list"),
])
def test_bad_filters_get_a_clear_message_and_no_figures(
        client, make_user, toy_report, searches, args, message):
    sign_in(client, make_user(Role.COMMISSIONER))
    response = client.get("/council/reports/test-searches", query_string=args)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page.replace("&#39;", "'")
    assert "There is a problem" in page
    assert ">12<" not in page
    assert "<script>" not in page.split("<main")[1].split("</main>")[0].replace(
        '<script nonce', '')
    pack = client.get("/council/reports/pack.pdf", query_string=args)
    assert pack.status_code == 400 and message in pack.get_data(as_text=True).replace(
        "&#39;", "'")


def test_a_known_area_and_category_filter_are_accepted(client, make_user, toy_report,
                                                        searches):
    sign_in(client, make_user(Role.COMMISSIONER))
    response = client.get("/council/reports/test-searches",
                          query_string={"area": "ha1", "category": "personal-care"})
    assert response.status_code == 200
    assert "area HA1" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.BUDGET_HOLDER, Role.PROVIDER_STAFF, Role.SELF_FUNDER,
                                  Role.REPRESENTATIVE])
def test_people_without_a_council_role_cannot_see_reports(client, make_user, toy_report,
                                                          role):
    sign_in(client, make_user(role))
    for path in ("/council/reports/", "/council/reports/test-searches",
                 "/council/reports/pack.pdf"):
        assert client.get(path).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client, toy_report):
    response = client.get("/council/reports/test-searches")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_commissioner_only_sees_their_own_councils(client, make_user, council,
                                                     other_council, toy_report, searches):
    sign_in(client, make_user(Role.COMMISSIONER, council_for=other_council))
    page = client.get("/council/reports/test-searches").get_data(as_text=True)
    assert ">12<" not in page and "Nothing in this period." in page
    response = client.get("/council/reports/test-searches",
                          query_string={"council": str(council.id)})
    assert response.status_code == 400


def test_unknown_reports_are_not_found(client, make_user):
    sign_in(client, make_user(Role.COMMISSIONER))
    assert client.get("/council/reports/no-such-report").status_code == 404


def test_the_index_lists_every_report(client, make_user, toy_report):
    sign_in(client, make_user(Role.COMMISSIONER))
    page = client.get("/council/reports/").get_data(as_text=True)
    for spec in registry.ordered():
        assert str(spec.title) in page


def test_a_table_wider_than_a_page_is_printed_in_slices(app):
    from pypdf import PdfReader as Reader

    from marketplace.reports.filters import ReportFilters
    from marketplace.reports.pack import market_position_pdf

    columns = [Column("category", "Category", Kind.TEXT)] + [
        Column(f"d{i}", f"AB{i}") for i in range(70)]
    rows = [Row([f"Category {r}"] + [10 + r + i for i in range(70)], people=100)
            for r in range(3)]
    report = Report("wide", "Wide", "", [Table("grid", "Wide grid", columns, rows)])
    with app.test_request_context():
        pdf = market_position_pdf(ReportFilters(1, "Ashdown", date(2026, 1, 1),
                                                date(2026, 6, 30)), [report])
    text = "\n".join(p.extract_text() for p in Reader(io.BytesIO(pdf)).pages)
    assert "AB0" in text and "AB69" in text and text.count("Category 2") >= 9
