"""The market-gaps report (issue 9, item 1) on a known data set: every figure against
a direct computation from the raw rows, words of fewer than 5 people never shown,
small numbers hidden (through totals too), the filters, bad filters and access."""

from __future__ import annotations

from collections import defaultdict

import pytest

from catalogue.taxonomy import Outcome
from marketplace.reports.aggregates import small
from marketplace.reports.filters import ReportFilters
from marketplace.reports.registry import REPORTS
from marketplace.reports.tables import table_csv
from tests.functional import reports_gaps_expected as raw
from tests.functional import reports_gaps_helpers as helpers

URL = "/council/reports/market-gaps"


@pytest.fixture()
def data(app, db_session, council, other_council):
    return helpers.build(app, db_session, council, other_council)


def build(app, session, data, district=None, category=None):
    filters = ReportFilters(data.council.id, data.council.name, data.start, data.end,
                            district, category)
    with app.test_request_context("/"):
        return REPORTS["market-gaps"].build(session, filters), filters


def shown(table) -> dict:
    """label -> [(value, hidden)] of the numeric cells, and "TOTAL" for the total row."""
    out = {row.values[0]: [(v, gone) for c, v, gone in cells if c.numeric]
           for row, cells in table.shown()}
    if table.total is not None:
        out["TOTAL"] = [(v, gone) for c, v, gone in table.shown_total() if c.numeric]
    return out


def agree(table, expected: dict) -> None:
    """Every figure shown equals the direct computation; every figure about 1 to 4
    people is hidden. ``expected``: label -> [(value, people)], "TOTAL" included."""
    got = shown(table)
    assert set(got) == set(expected), table.key
    for label, figures in expected.items():
        assert len(got[label]) == len(figures), (table.key, label)
        for (value, gone), (want, people) in zip(got[label], figures, strict=True):
            if small(people):
                assert gone, (table.key, label, want, people)
            elif not gone:
                assert value == pytest.approx(want), (table.key, label)


def _period(data):
    filters = ReportFilters(data.council.id, "", data.start, data.end)
    return filters.start_at, filters.end_at


def test_search_figures_match_the_raw_rows(app, db_session, data):
    report, _filters = build(app, db_session, data)
    found = raw.searches(db_session, data.council.id, *_period(data))
    by_category = raw.search_table(
        found, lambda r: raw.name(raw.TOP[r.category]) if r.category else "No category chosen")
    by_category["TOTAL"] = raw.search_table(found, lambda r: "TOTAL")["TOTAL"]
    agree(report.table("searches"), by_category)
    by_area = raw.search_table(found, lambda r: r.district or "Area not known")
    by_area["TOTAL"] = by_category["TOTAL"]
    agree(report.table("search_areas"), by_area)
    # Another council's searches and searches before the period are not counted.
    assert by_category["TOTAL"][0][0] == 34
    words = raw.words(found)
    expected = {w: [(n, p), (p, p)] for w, (n, p) in words.items() if p >= 5}
    assert set(expected) == {"urdu", "assistant", "speaking", "befriending", "welsh"}
    agree(report.table("words"), expected)
    languages = {k: [(n, p), (p, p), (u, u), (1, None)]
                 for k, (n, p, u) in raw.language_rows(found).items()}
    agree(report.table("languages"), languages)
    # Cedar speaks Urdu and has room, but offers personal care, not personal assistants.
    assert shown(report.table("languages"))["Urdu"][3] == (1, False)


def test_plan_and_order_figures_match_the_raw_rows(app, db_session, data):
    report, filters = build(app, db_session, data)
    plans = raw.unmet_plans(db_session, data.council.id, data.end)

    def plan_rows(key, outcomes=True):
        by = defaultdict(list)
        for line in plans:
            by[key(line)].append(line)
        by["TOTAL"] = plans
        out = {}
        for label, lines in by.items():
            people = len({line[0] for line in lines})
            figures = [(people, people)]
            if outcomes:
                figures.append((len({line[4] for line in lines}), people))
            figures.append((sum(line[5] for line in lines), people))
            out[label] = figures
        return out

    agree(report.table("plans"), plan_rows(lambda line: raw.name(raw.TOP[line[2]])))
    agree(report.table("plan_outcomes"),
          plan_rows(lambda line: str(Outcome(line[3]).label), outcomes=False))
    assert shown(report.table("plans"))["Short breaks and respite"] == [
        (8, False), (8, False), (750_000, False)]

    ended = raw.ended_orders(db_session, data.council.id, filters.start_at, filters.end_at)
    by = defaultdict(lambda: defaultdict(set))
    for order_id, buyer, _postcode, status, category, _actor, _code in ended:
        for label in (raw.name(raw.TOP[category]), "TOTAL"):
            by[label][status].add((order_id, buyer))
            by[label]["all"].add((order_id, buyer))
    agree(report.table("ended"), {
        label: [(len(cell), len({b for _o, b in cell}))
                for cell in (statuses["declined"], statuses["expired"],
                             statuses["cancelled"], statuses["all"])]
        for label, statuses in by.items()})
    assert shown(report.table("ended"))["TOTAL"][3] == (9, False)
    reasons = defaultdict(set)
    for order_id, buyer, _postcode, status, _category, actor, code in ended:
        reasons[code or f"{status}:{actor}"].add((order_id, buyer))
    assert {k: len(v) for k, v in reasons.items()} == {
        "no_capacity": 4, "declined:provider": 1, "expired:system": 1,
        "found_other_support": 2, "price_too_low": 1}
    total = {(o, b) for cell in reasons.values() for o, b in cell}
    agree(report.table("reasons"), {
        "No one free to provide it": [(4, 4), (4, 4)],
        "Declined, no reason chosen": [(1, 1), (1, 1)],
        "The provider did not answer in time": [(1, 1), (1, 1)],
        "Found other support": [(2, 2), (2, 2)],
        "The price or rate does not cover the cost": [(1, 1), (1, 1)],
        "TOTAL": [(len(total), len({b for _o, b in total}))] * 2})


def test_waits_ratings_supply_and_prices_match_the_raw_rows(app, db_session, data):
    report, filters = build(app, db_session, data)
    waits = raw.waits(db_session, data.council.id, filters.start_at, filters.end_at)
    assert sorted(days for _b, _c, days in waits) == [1, 2, 3, 5, 8, 13]
    middle, p90 = raw.median_p90([days for _b, _c, days in waits])
    people = len({b for b, _c, _d in waits})
    expected = [(len(waits), people), (middle, people), (p90, people)]
    agree(report.table("waits"), {"Personal care at home": expected, "TOTAL": expected})
    assert shown(report.table("waits"))["TOTAL"] == [(6, False), (4.0, False), (13.0, False)]

    ratings = raw.ratings(db_session, data.council.id, filters.start_at, filters.end_at)
    by = defaultdict(list)
    for buyer, category, stars in ratings:
        by[raw.name(raw.TOP[category])].append((buyer, stars))
    by["TOTAL"] = [(b, s) for b, _c, s in ratings]
    agree(report.table("ratings"), {
        label: [(len(found), len({b for b, _s in found})),
                (len({b for b, _s in found}),) * 2,
                (sum(s for _b, s in found) / len(found), len({b for b, _s in found}))]
        for label, found in by.items()})
    # One person rated personal care: hidden, and so is the other row (the total shows).
    assert shown(report.table("ratings"))["Personal care at home"][0][1]
    assert shown(report.table("ratings"))["Personal assistants"][0][1]

    supply = {row.values[0]: row.values[1:] for row in report.table("supply").rows}
    # Alder (HA1, HA2) and Cedar (base HA3, 3 km) offer care; Birch (HA3) is full;
    # Damson is not approved and Elder's service is a draft.
    assert supply["Personal assistants"] == [1, 1, 1, 0, 1]
    assert supply["Personal care at home"] == [2, 2, 2, 0, 0]
    assert supply["Short breaks and respite"] == [1, 1, 0, 1, 3]
    prices = {tuple(row.values[:2]): row.values[2:] for row in report.table("prices").rows}
    # Cedar's rate has ended; Alder's (£22) is in force and below its price (£24).
    assert prices[("Personal care at home", "per hour")] == [2, 2500, 1, 2200, 1, 40]
    assert prices[("Short breaks and respite", "per night")] == [1, 15000, 0, None, 0, 0]


def test_the_grid_and_the_ranked_gaps(app, db_session, data):
    report, _filters = build(app, db_session, data)
    grid = shown(report.table("grid"))
    # People with unmet need, each counted once per category (hand-counted from the
    # data set: searches finding fewer than 3 results and no order, plans with no
    # order, orders declined, not answered or refused for a market reason).
    assert grid["Personal assistants"][0] == (6, False)          # HA1: h0-h5
    assert grid["Personal assistants"][2][1]                     # HA3: 1 person
    assert grid["Personal assistants"][1][1]                     # HA2: hidden with it
    assert grid["Personal assistants"][4] == (12, False)         # all areas
    assert grid["Personal care at home"][2] == (5, False)        # declined in HA3
    assert grid["Short breaks and respite"][0][1]                # HA1: 1 person
    assert grid["Short breaks and respite"][4] == (9, False)
    assert grid["Gardening and handyperson"][0][1]
    shade = {row.values[0]: row.shade for row in report.table("grid").rows}
    assert shade["Personal assistants"][1] == 3                  # 6 people / 2 = 3.0
    assert shade["Personal care at home"][3] == 3                # 5 / (Cedar + 1) = 2.5
    ranked = [(r.values[1], r.values[2], r.values[3], r.values[4], r.values[5], r.values[6])
              for r in report.table("ranked").rows]
    assert ranked[:5] == [
        ("Personal assistants", "All areas", "Urdu", 11, 0, 11.0),
        ("Short breaks and respite", "All areas", None, 9, 0, 9.0),
        ("Personal assistants", "All areas", None, 12, 1, 6.0),
        ("Personal assistants", "HA1", "Urdu", 6, 0, 6.0),
        ("Personal assistants", "HA2", "Urdu", 5, 0, 5.0)]
    for category, area, language, people, providers, score in ranked:
        assert people >= 5 and score == round(people / (providers + 1), 1)
        if language is None and area != "All areas":
            assert not grid[category][["HA1", "HA2", "HA3"].index(area)][1]
    assert ("Personal assistants", "HA2", None) not in {r[:3] for r in ranked}
    evidence = report.table("ranked").rows[0].values[7]
    assert "No provider offering this that speaks Urdu" in evidence
    assert "HA1 (6 people), HA2 (5 people)" in evidence
    assert "Mrs Example" not in "".join(table_csv(t) for t in report.tables)
    heads = {h.label: h.value for h in report.headlines}
    assert heads["Largest gap"] == "Personal assistants, All areas (Urdu)"
    assert heads["People with unmet need"] == 22
    assert heads["Median days from order to first visit"] == 4.0
