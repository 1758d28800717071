"""The outcomes report on a known data set: every figure against a direct computation
from the review rows, each person once per domain per period (their latest review),
small numbers hidden across the period table and the table over time together,
and an attacker that fails to work any hidden figure out of the CSV downloads."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import select

from catalogue.taxonomy import Outcome
from marketplace.accounts.roles import Role
from marketplace.budgets.plans.models import PlanReview, ReviewResult, SupportPlan
from marketplace.reports.aggregates import suppress_table
from marketplace.reports.builders.outcomes import PERIOD
from marketplace.reports.builders.outcomes_privacy import suppress_domain
from marketplace.reports.tables import Column, Kind, Row, Table
from tests.functional.reports_uptake_helpers import (
    build,
    csv_table,
    filters_for,
    holder,
    plan,
    query,
    recoverable,
    review,
)

START, END = date(2026, 4, 1), date(2026, 12, 31)
QUARTERS = [date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1)]
B, S, W = ReviewResult.BETTER, ReviewResult.SAME, ReviewResult.WORSE
CHOICE, DAILY, SAFE = Outcome.CHOICE_AND_CONTROL, Outcome.DAILY_LIVING, Outcome.STAYING_SAFE
LABELS = {"Got better": B, "Stayed the same": S, "Got worse": W}


@pytest.fixture()
def data(db_session, council, other_council, make_user):
    s = db_session
    officer = make_user(Role.COUNCIL_OFFICER)

    def person(domains, postcode="HA1 2AB", categories=("pa-everyday-support",), where=None):
        return plan(s, holder(s, where or council, postcode), where or council, officer,
                    domains, categories=categories)

    may, aug, nov = date(2026, 5, 10), date(2026, 8, 12), date(2026, 11, 3)
    for result in [B] * 5 + [S] * 3:                       # choice and control, Apr-Jun
        review(s, person([CHOICE]), officer, may, {CHOICE: result})
    twice = person([CHOICE])                               # worse in May, better in Nov
    review(s, twice, officer, may, {CHOICE: W})
    review(s, twice, officer, nov, {CHOICE: B})
    same_day = person([CHOICE], postcode="HA3 5QX")        # two on one day: the last counts
    review(s, same_day, officer, may, {CHOICE: S})
    review(s, same_day, officer, may, {CHOICE: B})
    for result in [B] * 2 + [S] * 5:                       # Jul-Sep
        review(s, person([CHOICE]), officer, aug, {CHOICE: result})
    for result in [B] * 3 + [W] * 3:                       # Oct-Dec
        review(s, person([CHOICE]), officer, nov, {CHOICE: result})
    for _n in range(12):                                   # daily living: all better
        review(s, person([DAILY], categories=("meals-delivered",)), officer, may,
                {DAILY: B})
    for result in (B, B, W):                               # staying safe: 3 people
        review(s, person([SAFE, CHOICE]), officer, aug, {SAFE: result, CHOICE: S})
    review(s, person([CHOICE]), officer, date(2026, 3, 15), {CHOICE: W})   # before
    review(s, person([CHOICE], where=other_council), officer, may, {CHOICE: W})
    s.commit()
    return officer


def _direct(session, council, start, end, key, district=None, category=None):
    """{(period, domain): {result: people}} straight from the review rows: each
    person's latest review of each domain in [start, end], counted in the period
    ``key(date of that review)``."""
    latest = {}
    for found in session.scalars(select(PlanReview).join(SupportPlan).where(
            SupportPlan.council_id == council.id)):
        if not start <= found.reviewed_on <= end:
            continue
        holder_row = found.plan.holder
        if district and not holder_row.postcode.startswith(district + " "):
            continue
        if category and not any(line.category == category for o in found.plan.versions[-1]
                                .outcomes for line in o.spend_lines):
            continue
        for result in found.results:
            slot = (result.domain, holder_row.id)
            if slot not in latest or (found.reviewed_on, found.id) > latest[slot][0]:
                latest[slot] = ((found.reviewed_on, found.id), result.result)
    out = defaultdict(lambda: dict.fromkeys((B, S, W), 0))
    for (domain, _holder), ((on, _id), result) in latest.items():
        out[(key(on), domain)][result] += 1
    return out


def _quarter(day):
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def test_every_outcome_figure_matches_the_review_rows(app, db_session, council, data):
    report = build(app, db_session, "outcomes", filters_for(council, START, END))
    whole = _direct(db_session, council, START, END, lambda _d: PERIOD)
    assert whole[(PERIOD, CHOICE)] == {B: 12, S: 11, W: 3}
    for row in report.table("domains").rows:
        domain = next(d for d in Outcome if str(d.label) == row.values[0])
        cell = whole.get((PERIOD, domain), dict.fromkeys((B, S, W), 0))
        assert row.values[1:] == [cell[B], cell[S], cell[W], sum(cell.values())]
    for row in report.table("shares").rows:
        domain = next(d for d in Outcome if str(d.label) == row.values[0])
        cell = whole.get((PERIOD, domain), dict.fromkeys((B, S, W), 0))
        people = sum(cell.values())
        assert row.values[1:4] == pytest.approx(
            [100 * cell[r] / people if people else 0 for r in (B, S, W)])
        assert row.values[4] == people
    quarterly = _direct(db_session, council, START, END, _quarter)
    timeline = report.table("over_time").rows
    expected = {(str(d.label), q) for (q, d), c in quarterly.items() if sum(c.values())}
    assert len(timeline) == len(expected) == 5
    labels = {"Apr 2026 to Jun 2026": QUARTERS[0], "Jul 2026 to Sep 2026": QUARTERS[1],
              "Oct 2026 to Dec 2026": QUARTERS[2]}
    for row in timeline:
        domain = next(d for d in Outcome if str(d.label) == row.values[0])
        cell = quarterly[(labels[row.values[1]], domain)]
        people = sum(cell.values())
        assert row.values[5] == people
        assert row.values[2:5] == pytest.approx([100 * cell[r] / people for r in (B, S, W)])
    # The same-day rule (the second review counts), and the person reviewed in May
    # and November counts once, in November.
    assert quarterly[(QUARTERS[0], CHOICE)] == {B: 6, S: 3, W: 0}
    assert quarterly[(QUARTERS[2], CHOICE)] == {B: 4, S: 0, W: 3}


def test_filters_by_area_and_category(app, db_session, council, data):
    area = build(app, db_session, "outcomes", filters_for(council, START, END, district="HA3"))
    assert [r.values[1:] for r in area.table("domains").rows if r.values[0] ==
            str(CHOICE.label)] == [[1, 0, 0, 1]]
    meals = build(app, db_session, "outcomes",
                  filters_for(council, START, END, category="meals-delivered"))
    direct = _direct(db_session, council, START, END, lambda _d: PERIOD,
                     category="meals-delivered")
    shown = {r.values[0]: r.values[1:] for r in meals.table("domains").rows}
    assert shown[str(DAILY.label)] == [direct[(PERIOD, DAILY)][B], 0, 0, 12]
    assert shown[str(CHOICE.label)] == [0, 0, 0, 0]


def _shown_block(client, base, domain):
    """The attacker's view of one domain, from the two CSV downloads: (values of
    shown cells, hidden cells). Shares become counts where the people are shown."""
    domains = {r[0]: r[1:] for r in csv_table(client, base + "&download=domains")[1:]}
    over_time = csv_table(client, base + "&download=over_time")[1:]
    known, hidden, maybe_zero = {}, set(), set()
    for c, text in enumerate(domains[str(domain.label)]):
        if text == "fewer than 5":
            hidden.add((PERIOD, c))
        else:
            known[(PERIOD, c)] = int(text)
    labels = {"Apr 2026 to Jun 2026": QUARTERS[0], "Jul 2026 to Sep 2026": QUARTERS[1],
              "Oct 2026 to Dec 2026": QUARTERS[2]}
    for line in over_time:
        if line[0] != str(domain.label):
            continue
        key, people = labels[line[1]], line[5]
        for c, text in enumerate(line[2:5]):
            if text == "fewer than 5" or people == "fewer than 5":
                hidden.add((key, c))
                if people == "fewer than 5":  # hidden with its row: may be a zero
                    maybe_zero.add((key, c))
            else:
                known[(key, c)] = round(float(text) * int(people) / 100)
        if people == "fewer than 5":
            hidden.add((key, 3))
        else:
            known[(key, 3)] = int(people)
    for key in QUARTERS:  # a quarter with nobody reviewed has no line: all zeros
        if not any(k == key for k, _c in known) and not any(k == key for k, _c in hidden):
            known.update({(key, c): 0 for c in range(4)})
    return known, hidden, maybe_zero


def test_no_hidden_outcome_figure_can_be_worked_out(app, db_session, council, data, signed_in,
                                                     make_user):
    client = signed_in(make_user(Role.COMMISSIONER))
    base = f"/council/reports/outcomes?{query(council, START, END)}"
    page = client.get(base)
    assert page.status_code == 200
    assert "latest review" in page.get_data(as_text=True)
    whole = _direct(db_session, council, START, END, lambda _d: PERIOD)
    quarterly = _direct(db_session, council, START, END, _quarter)
    any_hidden = False
    for domain in (CHOICE, DAILY, SAFE):
        known, hidden, maybe_zero = _shown_block(client, base, domain)
        truth = {}
        for key in [PERIOD, *QUARTERS]:
            cell = (whole if key == PERIOD else quarterly).get(
                (key, domain), dict.fromkeys((B, S, W), 0))
            figures = [cell[B], cell[S], cell[W], sum(cell.values())]
            truth.update({(key, c): v for c, v in enumerate(figures)})
        for cell, value in known.items():
            assert value == truth[cell] and not 0 < value < 5, (domain, cell)
        assert all(truth[cell] > 0 for cell in hidden - maybe_zero)
        any_hidden |= bool(hidden)
        equations = [[((k, 0), 1), ((k, 1), 1), ((k, 2), 1), ((k, 3), -1)]
                     for k in [PERIOD, *QUARTERS]]
        for c in range(4):  # each person is in one quarter: the quarters add up
            assert sum(truth[(q, c)] for q in QUARTERS) == truth[(PERIOD, c)]
            equations.append([((q, c), 1) for q in QUARTERS] + [((PERIOD, c), -1)])
        assert recoverable(truth, hidden, equations, upper=30, may_be_zero=maybe_zero) \
            is None, (domain, hidden)
    assert any_hidden
    safe = {r[0]: r[1:] for r in csv_table(client, base + "&download=shares")[1:]}
    assert safe[str(SAFE.label)] == ["fewer than 5"] * 4


def _leaky_block():
    """Period: 10 better, 6 the same, 5 worse. April-June: 7, 3, 5; July: 3, 3, 0."""
    return {PERIOD: [10, 6, 5, 21], "q1": [7, 3, 5, 15], "q2": [3, 3, 0, 6]}


def _equations(keys):
    rows = [[((k, 0), 1), ((k, 1), 1), ((k, 2), 1), ((k, 3), -1)] for k in keys]
    return rows + [[(("q1", c), 1), (("q2", c), 1), ((PERIOD, c), -1)] for c in range(4)]


def test_tables_suppressed_one_at_a_time_would_give_a_figure_away():
    """Why the period grid and the table over time are suppressed together: each
    on its own hides enough, but a hidden 3 can then be had from the period's
    figures less the other quarter's. Suppressed as one grid, nothing can."""
    figures = _leaky_block()
    values = {(k, c): v for k, row in figures.items() for c, v in enumerate(row)}
    columns = [Column("x", "X", Kind.TEXT), *(Column(f"c{i}", f"C{i}") for i in range(4))]

    def alone(keys):
        rows = [Row([k, *figures[k]], cell_people=[None, *figures[k]]) for k in keys]
        hidden, _total = suppress_table(Table("t", "T", columns, rows, row_total_column=True))
        return {(k, c) for r, k in enumerate(keys) for c in range(4) if hidden[r][c + 1]}

    separately = alone([PERIOD]) | alone(["q1", "q2"])
    cell, value = recoverable(values, separately, _equations(figures), upper=30)
    assert value == values[cell] and 0 < value < 5
    period, quarters = suppress_domain(figures[PERIOD], [figures["q1"], figures["q2"]])
    together = {(PERIOD, c) for c in range(4) if period[c]}
    together |= {(k, c) for k, flags in zip(("q1", "q2"), quarters, strict=True)
                 for c in range(4) if flags[c]}
    assert together and recoverable(values, together, _equations(figures), upper=30) is None


def test_a_domain_with_fewer_than_5_people_is_hidden_everywhere():
    period, quarters = suppress_domain([2, 0, 1, 3], [[2, 0, 0, 2], [0, 0, 1, 1]])
    assert period == [True, False, True, True]
    assert quarters == [[True, False, False, True], [False, False, True, True]]


def test_both_reports_are_in_the_printable_pack(db_session, council, data, signed_in,
                                                 make_user):
    import io

    from pypdf import PdfReader

    client = signed_in(make_user(Role.COMMISSIONER))
    response = client.get(f"/council/reports/pack.pdf?{query(council, START, END)}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    for heading in ("Take-up", "People with a budget, by how the money is held",
                    "Outcomes by domain: number of people", "Outcomes over time"):
        assert heading in text, heading
