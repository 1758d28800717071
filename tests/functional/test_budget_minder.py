"""The Budget Minder, statements and pooled budgets: the right figures for the holder
and their representative, nothing for anyone else, clear answers to bad dates."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from marketplace.accounts.roles import Role, Scope
from marketplace.budgets.pools import create_pool
from tests.budget_helpers import make_budget
from tests.conftest import sign_in
from tests.functional.minder_helpers import TODAY, act_for, agreed_plan, authority, with_history


@pytest.fixture()
def people(db_session, make_user, council, other_council, freeze_today):
    freeze_today(TODAY)
    officer = make_user(Role.COUNCIL_OFFICER, name="Olive Officer")
    holder = make_user(Role.BUDGET_HOLDER, name="Hattie Holder")
    other = make_user(Role.BUDGET_HOLDER, name="Otto Other")
    budget = with_history(db_session, make_budget(db_session, holder, council,
                                                  amount=1_200_000))
    other_budget = make_budget(db_session, other, council, amount=500_000,
                               name="Otto's budget")
    viewer = make_user(name="Vera Viewer")
    view_authority = authority(db_session, officer, viewer, holder, council, Scope.VIEW)
    other_rep = make_user(name="Rita Rep")
    other_authority = authority(db_session, officer, other_rep, other, council, Scope.MONEY)
    return {"officer": officer, "holder": holder, "other": other, "budget": budget,
            "other_budget": other_budget, "viewer": viewer, "view_authority": view_authority,
            "other_rep": other_rep, "other_authority": other_authority}


def _figure(page: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">(?:<strong>)?([^<]+)', page)
    assert match, name
    return match.group(1).strip()


def test_the_holder_sees_their_money_with_the_right_figures(client, people):
    sign_in(client, people["holder"])
    response = client.get(f"/my/money/{people['budget'].id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _figure(page, "allocation") == "£12,000.00"
    assert _figure(page, "received") == "£3,000.00"
    assert _figure(page, "spent") == "£430.00"  # 300 + 150 - 20
    assert _figure(page, "committed") == "£200.00"
    assert _figure(page, "left") == "£11,370.00"
    # Available to order: the allocation less what is set aside and spent (not the
    # cash paid in so far).
    assert _figure(page, "available") == "£11,370.00"
    # 15 July to 31 March is 260 days: 37 1/7 weeks; 11,370 / (260/7) = 306.12
    assert _figure(page, "weekly") == "£306.12"
    assert 'id="chart-table"' in page and "<svg" in page and 'role="img"' in page


def test_my_money_goes_straight_to_the_only_budget_and_home_links_to_it(client, people):
    sign_in(client, people["holder"])
    response = client.get("/my/money/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/my/money/{people['budget'].id}")
    assert "/my/money/" in client.get("/my/").get_data(as_text=True)


def test_a_representative_with_view_scope_sees_the_same_figures(client, people):
    sign_in(client, people["viewer"])
    act_for(client, people["view_authority"])
    page = client.get(f"/my/money/{people['budget'].id}").get_data(as_text=True)
    assert _figure(page, "spent") == "£430.00"
    assert "Budget Minder for Hattie Holder" in page
    assert client.get(f"/my/money/{people['budget'].id}/statement").status_code == 200


@pytest.mark.parametrize("who", ["other_rep", "other", "officer"])
def test_nobody_else_sees_the_budget(client, people, who, make_user, other_council):
    sign_in(client, people[who])
    if who == "other_rep":
        act_for(client, people["other_authority"])
    for path in ("", "/statement", "/statement.csv", "/statement.pdf"):
        response = client.get(f"/my/money/{people['budget'].id}{path}")
        assert response.status_code == 403, (who, path)
        assert "£430.00" not in response.get_data(as_text=True)


def test_a_stranger_and_another_councils_officer_get_403(app, people, family, make_user,
                                                         other_council):
    for user in (make_user(Role.BUDGET_HOLDER, council_for=other_council),
                 make_user(Role.COUNCIL_OFFICER, council_for=other_council)):
        client = app.test_client()
        sign_in(client, user)
        assert client.get(f"/my/money/{people['budget'].id}").status_code == 403
        assert client.get(f"/pools/{_pool(people).id}").status_code == 403


def test_the_streams_detail_is_shown_only_when_asked_for(client, people):
    sign_in(client, people["holder"])
    plain = client.get(f"/my/money/{people['budget'].id}").get_data(as_text=True)
    detail = client.get(f"/my/money/{people['budget'].id}?detail=streams").get_data(
        as_text=True)
    assert 'id="streams"' not in plain and 'id="streams"' in detail
    assert "Adult social care" in detail


def test_spending_is_shown_against_the_plan(client, db_session, people):
    agreed_plan(db_session, people["holder"], people["budget"], people["officer"])
    sign_in(client, people["holder"])
    page = client.get(f"/my/money/{people['budget'].id}").get_data(as_text=True)
    table = page[page.index('id="plan-categories"'):]
    assert "Personal care at home" in table and "£6,000.00" in table and "£300.00" in table
    outcomes = page[page.index('id="plan-outcomes"'):]
    assert "Daily living" in outcomes and "Being part of the community" in outcomes


# --- statements -------------------------------------------------------------------

def _args(start: date, end: date) -> str:
    return (f"start={start.day}&start={start.month}&start={start.year}"
            f"&end={end.day}&end={end.month}&end={end.year}")


def _money(text: str) -> int:
    negative = text.strip().startswith("-")
    digits = re.sub(r"[^\d]", "", text)
    return -int(digits) if negative else int(digits)


def _csv_figures(body: str) -> dict[str, int]:
    rows = list(csv.reader(io.StringIO(body)))[2:]
    return {row[0]: _money(row[3]) for row in rows if not row[1] or row[0] in (
        "Opening balance", "Closing balance")}


def _page_figures(page: str) -> dict[str, int]:
    return {name: _money(_figure(page, name)) for name in
            ("opening", "instalments", "contributions", "spent", "closing", "committed")}


def test_statement_page_csv_and_pdf_agree_to_the_penny(client, people):
    sign_in(client, people["holder"])
    base = f"/my/money/{people['budget'].id}/statement"
    query = _args(date(2026, 5, 1), date(2026, 6, 30))
    page = client.get(f"{base}?{query}").get_data(as_text=True)
    shown = _page_figures(page)
    assert shown == {"opening": 100_000, "instalments": 200_000, "contributions": 0,
                     "spent": 43_000, "closing": 257_000, "committed": 0}
    body = client.get(f"{base}.csv?{query}")
    assert body.mimetype == "text/csv"
    sheet = _csv_figures(body.get_data(as_text=True))
    assert sheet["Opening balance"] == shown["opening"]
    assert sheet["Total payments received"] == shown["instalments"]
    assert sheet["Total own contributions"] == shown["contributions"]
    assert sheet["Total spending"] == shown["spent"]
    assert sheet["Closing balance"] == shown["closing"]
    pdf = client.get(f"{base}.pdf?{query}")
    assert pdf.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    for label, key in (("Opening balance", "opening"), ("Total payments received",
                                                        "instalments"),
                       ("Total spending", "spent"), ("Closing balance", "closing")):
        line = next(x for x in text.splitlines() if x.startswith(label))
        assert _money(line.split("£", 1)[1]) == shown[key], label
    # every amount in the CSV is in the PDF, penny for penny
    amounts = {_money(r[3]) for r in list(csv.reader(io.StringIO(
        body.get_data(as_text=True))))[2:] if r[3]}
    pdf_amounts = {_money(m) for m in re.findall(r"-?£[\d,]+\.\d\d", text)}
    assert amounts == pdf_amounts


def test_one_periods_closing_balance_is_the_next_periods_opening(client, people):
    sign_in(client, people["holder"])
    base = f"/my/money/{people['budget'].id}/statement"
    first = _page_figures(client.get(
        f"{base}?{_args(date(2026, 4, 1), date(2026, 5, 31))}").get_data(as_text=True))
    second = _page_figures(client.get(
        f"{base}?{_args(date(2026, 6, 1), date(2026, 7, 15))}").get_data(as_text=True))
    assert first["closing"] == second["opening"] == 170_000
    assert second["committed"] == 20_000


@pytest.mark.parametrize("query, message", [
    (_args(date(2026, 6, 1), date(2026, 5, 1)), "same as or after the first day"),
    (_args(date(2020, 1, 1), date(2026, 5, 1)), "up to 3 years"),
    ("start=31&start=2&start=2026&end=1&end=1&end=2027", "Enter a real date"),
    ("start=abc&end=1", "Enter a real date"),
    ("start=1&start=1&start=2026", "Enter the last day"),
])
def test_bad_statement_dates_get_a_clear_message(client, people, query, message):
    sign_in(client, people["holder"])
    base = f"/my/money/{people['budget'].id}/statement"
    for suffix in ("", ".csv", ".pdf"):
        response = client.get(f"{base}{suffix}?{query}")
        assert response.status_code == 400, (suffix, query)
        assert message in response.get_data(as_text=True), (suffix, query)


# --- pools ------------------------------------------------------------------------

def _pool(people):
    return people["pool"]


@pytest.fixture()
def family(db_session, make_user, council, people):
    officer = people["officer"]
    mother = make_user(Role.BUDGET_HOLDER, name="Mary Mother")
    kids = [make_user(Role.BUDGET_HOLDER, name=n) for n in ("Kit Child", "Kim Child")]
    budgets = [make_budget(db_session, mother, council, amount=900_000, paid_in=300_000)]
    budgets += [make_budget(db_session, kid, council, amount=400_000, paid_in=100_000,
                            name="Child budget") for kid in kids]
    pool = create_pool(db_session, council_id=council.id, name="The Mother family",
                       budgets=budgets)
    db_session.commit()
    rep = make_user(name="Fran Family")
    for person in (mother, *kids):
        authority(db_session, officer, rep, person, council, Scope.MONEY)
    partial = make_user(name="Pat Partial")
    authority(db_session, officer, partial, kids[0], council, Scope.VIEW)
    people["pool"] = pool
    return {"pool": pool, "rep": rep, "partial": partial, "mother": mother}


def test_a_representative_for_every_member_sees_the_whole_pool_with_totals(client, family):
    sign_in(client, family["rep"])
    page = client.get(f"/pools/{family['pool'].id}").get_data(as_text=True)
    assert page.count("Child budget") == 2 and "Mary Mother" in page
    assert re.search(r'data-total="allocation"><strong>£17,000.00', page)
    assert re.search(r'data-total="received"><strong>£5,000.00', page)
    assert "cannot see" not in page
    assert "The Mother family" in client.get("/pools/").get_data(as_text=True)


def test_someone_acting_for_one_member_sees_only_that_member(client, family):
    sign_in(client, family["partial"])
    page = client.get(f"/pools/{family['pool'].id}").get_data(as_text=True)
    assert "Kit Child" in page and "Mary Mother" not in page and "Kim Child" not in page
    assert "2 other budgets that you cannot see" in page
    assert re.search(r'data-total="allocation"><strong>£4,000.00', page)


def test_a_member_sees_the_pool_from_their_money_page(client, family):
    sign_in(client, family["mother"])
    response = client.get("/my/money/", follow_redirects=True)
    assert f"/pools/{family['pool'].id}" in response.get_data(as_text=True)
    assert client.get(f"/pools/{family['pool'].id}").status_code == 200


def test_a_pool_nobody_here_may_see_is_refused(app, family, make_user, other_council):
    client = app.test_client()
    sign_in(client, make_user(Role.BUDGET_HOLDER, name="Nosy Neighbour"))
    assert client.get(f"/pools/{family['pool'].id}").status_code == 403
    assert client.get("/pools/999999").status_code == 404
