"""The take-up report on a known data set: every figure against a direct
computation from the rows in the database, small numbers hidden (also through the
totals, which an attacker then fails to get round), age band boundaries, the
Community Catalogue's view counter and free searches, bad filters and access."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from catalogue.models import CommunityListing, CommunityListingViews, SearchEvent
from marketplace.accounts.roles import Role
from marketplace.budgets.enums import AGE_BANDS, ClientGroup, HoldingMethod
from marketplace.budgets.models import Budget, BudgetHolding
from marketplace.reports.builders.uptake_people import age_band
from tests.functional.community_helpers import make_group, make_listing
from tests.functional.reports_uptake_helpers import (
    YEAR,
    budget,
    build,
    csv_table,
    filters_for,
    holder,
    query,
    recoverable,
)

DP, CM = HoldingMethod.DIRECT_PAYMENT, HoldingMethod.COUNCIL_MANAGED
MA, ISF = HoldingMethod.MANAGED_ACCOUNT, HoldingMethod.INDIVIDUAL_SERVICE_FUND
PHYSICAL, MENTAL = ClientGroup.PHYSICAL_SUPPORT, ClientGroup.MENTAL_HEALTH
LEARNING = ClientGroup.LEARNING_DISABILITY
# Years of birth either side of every age band boundary, for a period ending in 2027.
BIRTHS = [2010, 2009, 2003, 2002, 1963, 1962, 1953, 1952, 1943, 1942, 1980, 1990, 1950,
          1940, 1930, 1975, None]


@pytest.fixture()
def data(db_session, council, other_council, make_user):
    """17 people with budgets in 2026/27: 8 direct payment, 6 council-managed, 2 part
    direct payment and part managed account, 1 managed account; and budgets that
    must not count (another council, not agreed, another year)."""
    s = db_session
    people = []
    plan = ([(DP, PHYSICAL)] * 6 + [(DP, MENTAL)] * 2 + [(CM, LEARNING)] * 6
            + [("mixed", PHYSICAL)] * 2 + [(MA, None)])
    for index, (method, group) in enumerate(plan):
        postcode = "HA3 5QX" if index in (14, 15, 16, 2) else "HA1 2AB"
        person = holder(s, council, postcode)
        holdings = ([(DP, 500_000), (MA, 500_000)] if method == "mixed"
                    else [(method, 1_000_000)])
        budget(s, person, council, holdings=holdings, group=group, born=BIRTHS[index])
        people.append(person)
    # Person 1 had a budget the year before (so 2026 is not their first), and person 2
    # also has a personal health budget from July (two budgets, one person).
    budget(s, people[0], council, (date(2025, 4, 1), date(2026, 3, 31)), group=MENTAL)
    budget(s, people[1], council, (date(2026, 7, 1), date(2027, 3, 31)),
           holdings=[(CM, 300_000)])
    budget(s, holder(s, council), council, agreed=False)                 # not agreed
    budget(s, holder(s, council), council, (date(2024, 4, 1), date(2025, 3, 31)))
    budget(s, holder(s, other_council), other_council, group=PHYSICAL)   # elsewhere
    s.commit()
    return {"people": people}


def _rows(table):
    return {row.values[0]: row.values[1:] for row in table.rows}


def _direct_people(session, council, start, end, district=None):
    """From the raw rows: {holder id: (group, born)} of the latest budget recording each."""
    budgets = session.scalars(select(Budget).where(Budget.council_id == council.id)
                              .order_by(Budget.period_starts_on, Budget.id)).all()
    out = {}
    for b in budgets:
        if b.agreed_pence is None or b.period_starts_on > end or b.period_ends_on < start:
            continue
        if district and not (b.holder.postcode or "").upper().startswith(district + " "):
            continue
        group, born = out.get(b.holder_id, (None, None))
        out[b.holder_id] = (b.client_group or group, b.birth_year or born)
    return out


def test_every_take_up_figure_matches_the_raw_rows(app, db_session, council, data):
    report = build(app, db_session, "take-up", filters_for(council, *YEAR))
    people = _direct_people(db_session, council, *YEAR)
    assert len(people) == 17
    holdings = db_session.execute(select(BudgetHolding.method, Budget.holder_id).join(Budget)
                                  .where(Budget.holder_id.in_(people),
                                         Budget.period_starts_on <= YEAR[1],
                                         Budget.period_ends_on >= YEAR[0])).all()
    by_method = {m: len({h for method, h in holdings if method is m}) for m in HoldingMethod}
    assert by_method == {DP: 10, CM: 7, MA: 3, ISF: 0}  # person 2's July budget
    holding = _rows(report.table("holding"))
    for method in HoldingMethod:
        count, percent = holding[str(method.label)]
        assert count == by_method[method]
        assert percent == pytest.approx(100 * by_method[method] / 17)
    assert report.table("holding").total.values[1] == 17

    groups = _rows(report.table("groups"))
    expected = Counter(group for group, _born in people.values())
    for group in ClientGroup:
        assert groups[str(group.label)][0] == expected.get(group, 0)
    assert groups["Not recorded"][0] == expected[None] == 1

    ages = _rows(report.table("ages"))
    by_band = Counter()
    for _group, born in people.values():
        age = None if born is None else 2027 - born
        band = None if age is None else next(str(label) for low, high, label in AGE_BANDS
                                             if low <= age <= high)
        by_band[band or "Not recorded"] += 1
    assert {label: values[0] for label, values in ages.items()} == {
        str(label): by_band.get(str(label), 0) for _l, _h, label in AGE_BANDS} | {
        "Not recorded": by_band["Not recorded"]}

    new = {row.values[0]: row.values[1:] for row in report.table("new").rows}
    starting = db_session.scalars(select(Budget).where(
        Budget.council_id == council.id, Budget.agreed_pence.is_not(None),
        Budget.period_starts_on.between(*YEAR))).all()
    months = Counter(b.period_starts_on.replace(day=1) for b in starting)
    assert new["April 2026"] == [months[date(2026, 4, 1)], 16]
    assert new["July 2026"] == [months[date(2026, 7, 1)], 0] == [1, 0]
    assert new["May 2026"] == [0, 0]
    assert report.table("new").total.values[1:] == [len(starting), 16]


def test_small_numbers_are_hidden_and_cannot_be_worked_out(app, db_session, council, data,
                                                           signed_in, make_user):
    client = signed_in(make_user(Role.COMMISSIONER))
    base = f"/council/reports/take-up?{query(council, *YEAR)}"
    page = client.get(base)
    assert page.status_code == 200
    assert "fewer than 5" in page.get_data(as_text=True)
    holding = {row[0]: row[1:] for row in csv_table(client, base + "&download=holding")}
    assert holding["Managed account held by an organisation"][0] == "fewer than 5"
    # The next smallest way is hidden too, so the 3 cannot be had by subtraction.
    assert holding["Council-managed budget"][0] == "fewer than 5"
    assert holding["Direct payment"][0] == "10"
    assert holding["Everyone with a budget (each person once)"][0] == "17"
    for key, column in (("groups", 1), ("ages", 1), ("new", 1), ("new", 2), ("holding", 1)):
        lines = csv_table(client, f"{base}&download={key}")[1:]
        cells = {i: line[column] for i, line in enumerate(lines[:-1])}
        truth = _true_column(app, db_session, council, key, column)
        hidden = {i for i, v in cells.items() if v == "fewer than 5"}
        assert all(not 0 < truth[i] < 5 for i in cells if i not in hidden), key
        values = {i: truth[i] for i in cells} | {"total": truth["total"]}
        equation = [(i, 1) for i in cells] + [("total", -1)]
        if lines[-1][column] == "fewer than 5":
            hidden.add("total")
        if key == "holding":
            continue  # the ways overlap, so they do not add up to the total
        assert recoverable(values, hidden, [equation], upper=20) is None, key


def _true_column(app, session, council, key, column):
    table = build(app, session, "take-up", filters_for(council, *YEAR)).table(key)
    out = {i: row.values[column] for i, row in enumerate(table.rows)}
    out["total"] = table.total.values[column]
    return out


def test_the_subtraction_attack_would_work_without_secondary_suppression():
    """The attacker is real: with only the 2 hidden, it finds it."""
    values = {0: 8, 1: 2, 2: 7, "total": 17}
    equation = [(0, 1), (1, 1), (2, 1), ("total", -1)]
    assert recoverable(values, {1}, [equation], upper=20) == (1, 2)
    assert recoverable(values, {1, 2}, [equation], upper=20) is None


def test_age_bands_at_their_boundaries():
    end = date(2027, 3, 31)
    labels = [str(label) for _low, _high, label in AGE_BANDS]
    for born, band in ((2010, "Under 18"), (2009, "18 to 24"), (2003, "18 to 24"),
                       (2002, "25 to 64"), (1963, "25 to 64"), (1962, "65 to 74"),
                       (1953, "65 to 74"), (1952, "75 to 84"), (1943, "75 to 84"),
                       (1942, "85 and over"), (1900, "85 and over"), (2027, "Under 18")):
        assert labels[age_band(born, end)] == band, born
    assert age_band(None, end) is None


def test_the_area_filter_counts_people_living_there(app, db_session, council, data):
    report = build(app, db_session, "take-up", filters_for(council, *YEAR, district="HA3"))
    people = _direct_people(db_session, council, *YEAR, district="HA3")
    assert report.table("groups").total.values[1] == len(people) == 4
    holding = _rows(report.table("holding"))
    assert holding["Direct payment"][0] == 3 and holding["Managed account held by an "
                                                         "organisation"][0] == 3


def test_community_views_and_free_searches(app, client, db_session, council, other_council,
                                           data, freeze_today, signed_in, make_user):
    group = make_group(db_session, council=council)
    free = make_listing(db_session, group, name="Free walk")
    charged = make_listing(db_session, group, name="Paid walk", cost_pence=300)
    lunch = make_listing(db_session, group, name="Lunch", category="lunch-clubs")
    elsewhere = make_listing(db_session, make_group(db_session, council=other_council,
                                                    name="Far"), name="Far walk")
    for listing, day, views in ((free, date(2026, 5, 3), 7), (free, date(2026, 6, 1), 2),
                                (charged, date(2026, 5, 9), 4), (lunch, date(2026, 5, 9), 5),
                                (elsewhere, date(2026, 5, 3), 50),
                                (free, date(2025, 5, 3), 90)):
        db_session.add(CommunityListingViews(listing_id=listing.id, day=day, views=views))
    at = datetime(2026, 5, 20, 12, tzinfo=UTC)
    for council_id, district, filters, when in (
            (council.id, "HA1", {"free": True}, at), (council.id, None, {"free": True}, at),
            (None, "HA1", {"free": True, "category": "lunch-clubs"}, at),
            (None, "M1", {"free": True}, at), (other_council.id, "HA1", {"free": True}, at),
            (council.id, "HA1", {}, at), (council.id, "HA1", {"free": True},
                                          datetime(2025, 5, 20, tzinfo=UTC))):
        db_session.add(SearchEvent(council_id=council_id, district=district, filters=filters,
                                   at=when))
    db_session.commit()
    # A visit to the listing's page counts, on the day, with no one's id kept.
    freeze_today(date(2026, 6, 1))
    assert client.get(f"/community-groups/{free.id}").status_code == 200
    assert client.get(f"/community-groups/{free.id}").status_code == 200
    counted = db_session.scalar(select(CommunityListingViews.views).where(
        CommunityListingViews.listing_id == free.id,
        CommunityListingViews.day == date(2026, 6, 1)))
    assert counted == 4
    report = build(app, db_session, "take-up", filters_for(council, *YEAR))
    rows = db_session.execute(select(CommunityListingViews, CommunityListing).join(
        CommunityListing)).all()
    mine = [(v, listing) for v, listing in rows if listing.organisation.council_id == council.id
            and YEAR[0] <= v.day <= YEAR[1]]
    free_views = sum(v.views for v, listing in mine if listing.cost_pence is None)
    charged_views = sum(v.views for v, listing in mine if listing.cost_pence is not None)
    community = report.table("community")
    assert community.total.values[1:] == [2, free_views, charged_views] == [2, 16, 4]
    by_category = _rows(community)
    assert by_category["Walking and the outdoors"] == [1, 11, 4]
    months = _rows(report.table("community_months"))
    assert months["May 2026"] == [12, 4, 3] and months["June 2026"] == [4, 0, 0]
    lunch_only = build(app, db_session, "take-up",
                       filters_for(council, *YEAR, category="lunch-clubs"))
    assert lunch_only.table("community_months").total.values[1:] == [5, 0, 1]


def test_the_organiser_looking_at_their_own_listing_is_not_counted(client, db_session, council,
                                                                   make_user, signed_in):
    organiser = make_user(Role.COMMUNITY_ORGANISER, council_for=None)
    group = make_group(db_session, organiser, council=council)
    listing = make_listing(db_session, group)
    signed_in(organiser)
    assert client.get(f"/community-groups/{listing.id}").status_code == 200
    assert db_session.scalar(select(CommunityListingViews.views)) is None


def test_a_search_for_free_things_is_logged_as_one(client, db_session):
    assert client.get("/search?q=walking&free=yes").status_code == 200
    event = db_session.scalar(select(SearchEvent).order_by(SearchEvent.id.desc()))
    assert event.filters.get("free") is True and event.words == "walking"
    assert client.get("/search?q=walking").status_code == 200
    plain = db_session.scalar(select(SearchEvent).order_by(SearchEvent.id.desc()))
    assert "free" not in plain.filters


@pytest.mark.parametrize("args, message", [
    ("start=1&start=4&start=2027&end=1&end=4&end=2026", "must be the same as or after"),
    ("start=1&start=1&start=2020&end=1&end=1&end=2026", "5 years or less"),
    ("start=1&start=4&start=2026&end=31&end=3&end=2027&area=ZZ9", "is not one of this"),
    ("start=1&start=4&start=2026&end=31&end=3&end=2027&category=nonsense", "from the list"),
    ("start=x&start=4&start=2026&end=31&end=3&end=2027", "Enter a real date"),
])
def test_bad_filters_give_400_with_a_message(signed_in, make_user, council, args, message):
    client = signed_in(make_user(Role.COMMISSIONER))
    for slug in ("take-up", "outcomes"):
        response = client.get(f"/council/reports/{slug}?{args}")
        assert response.status_code == 400, (slug, args)
        assert message in response.get_data(as_text=True), (slug, args)


@pytest.mark.parametrize("role, status", [
    (Role.COMMISSIONER, 200), (Role.COUNCIL_OFFICER, 200), (Role.BUDGET_HOLDER, 403),
    (Role.PROVIDER_STAFF, 403)])
def test_who_sees_the_reports(signed_in, make_user, council, role, status):
    client = signed_in(make_user(role))
    for slug in ("take-up", "outcomes"):
        assert client.get(f"/council/reports/{slug}").status_code == status, (slug, role)
        download = client.get(f"/council/reports/{slug}?download=domains")
        assert download.status_code in ((200, 404) if status == 200 else (403,))


def _budget_form(**extra) -> dict:
    data = {"name": "Personal budget 2026 to 2027", "kind": "personal_budget", "nhs_body": "",
            "period_starts_on": ["1", "4", "2026"], "period_ends_on": ["31", "3", "2027"],
            "payment_frequency": "four_weekly", "instalment": "", "first_payment_on": "",
            "contribution_basis": "none", "contribution_weekly": "",
            "contribution_percent": "", "amount": "9000", "stream": "adult_social_care",
            "method": "direct_payment", "held_by": ""}
    data.update(extra)
    return data


def test_officers_record_the_support_reason_and_year_of_birth(signed_in, make_user, council,
                                                              db_session, freeze_today):
    from tests.conftest import csrf_token

    freeze_today(date(2026, 6, 15))
    person = make_user(Role.BUDGET_HOLDER)
    client = signed_in(make_user(Role.COUNCIL_OFFICER))
    url = f"/council/budgets/people/{person.id}/new"
    form = client.get(url).get_data(as_text=True)
    assert "Primary support reason (optional)" in form and "Year of birth (optional)" in form
    response = client.post(url, data=_budget_form(client_group="learning_disability",
                                                  birth_year=" 1961 ",
                                                  csrf_token=csrf_token(client, url)))
    assert response.status_code == 302
    made = db_session.scalar(select(Budget).where(Budget.holder_id == person.id))
    assert (made.client_group, made.birth_year) == (LEARNING, 1961)
    page = client.get(f"/council/budgets/{made.id}").get_data(as_text=True)
    assert "Learning disability support" in page and "1961" in page
    change = f"/council/budgets/{made.id}/change"
    form = client.get(change).get_data(as_text=True)
    assert 'value="learning_disability" selected' in form and 'value="1961"' in form
    data = _budget_form(client_group="", birth_year="", csrf_token=csrf_token(client, change))
    assert client.post(change, data=data).status_code == 302
    changed = db_session.get(Budget, made.id)
    assert (changed.client_group, changed.birth_year) == (None, None)


@pytest.mark.parametrize("changes, message", [
    ({"birth_year": "1850"}, "The year of birth must be 1900 or later"),
    ({"birth_year": "abc"}, "Enter the year of birth as a whole number, like 1948"),
    ({"birth_year": "2027"}, "The year of birth cannot be in the future"),
    ({"birth_year": "19.5"}, "Enter the year of birth as a whole number, like 1948"),
    ({"client_group": "wizardry"}, "Choose a primary support reason from the list"),
])
def test_bad_support_reason_or_year_of_birth_is_refused_clearly(
        signed_in, make_user, db_session, freeze_today, changes, message):
    from tests.conftest import csrf_token

    freeze_today(date(2026, 6, 15))
    person = make_user(Role.BUDGET_HOLDER)
    client = signed_in(make_user(Role.COUNCIL_OFFICER))
    url = f"/council/budgets/people/{person.id}/new"
    response = client.post(url, data=_budget_form(csrf_token=csrf_token(client, url),
                                                  **changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db_session.scalar(select(Budget).where(Budget.holder_id == person.id)) is None


def test_demo_view_history_is_made_once(db_session, council):
    from catalogue.community.usage_demo import seed_views

    group = make_group(db_session, council=council)
    make_listing(db_session, group, name="Free walk")
    make_listing(db_session, group, name="Paid walk", cost_pence=300)
    made = seed_views(db_session, date(2026, 6, 1), days=60)
    rows = db_session.scalars(select(CommunityListingViews)).all()
    assert made == len(rows) > 20
    assert all(r.views > 0 and date(2026, 4, 2) <= r.day < date(2026, 6, 1) for r in rows)
    assert seed_views(db_session, date(2026, 6, 1), days=60) == 0
