"""Community listings in search: both back ends pass these same tests (whoosh
everywhere, PostgreSQL too when the suite runs on it)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from catalogue.community.access import now
from catalogue.geo import districts
from catalogue.models import CommunityListing, CommunityListingStatus, ScheduleFreq
from catalogue.search.community import CommunityQuery, community_search
from tests.functional.community_helpers import FAR, make_group, make_listing
from tests.search_helpers import available_backends


def pytest_generate_tests(metafunc):
    if "backend_name" in metafunc.fixturenames:
        metafunc.parametrize("backend_name", available_backends())


@pytest.fixture()
def world(db_session, council):
    group = make_group(db_session, council=council, name="Pinner Friends")
    return {
        "knit": make_listing(db_session, group, name="Knit and Natter",
                             summary="Knitting and crochet with tea.", category="arts-and-culture",
                             byday="TU"),
        "lunch": make_listing(db_session, group, name="Lunch Club", summary="A hot lunch.",
                              category="lunch-clubs", cost_pence=400, byday="WE"),
        "walk": make_listing(db_session, group, name="Gardens Walk", postcode=FAR,
                             summary="A walk round the gardens.", byday="SA",
                             category="walking-and-outdoors"),
        "fair": make_listing(db_session, group, name="Carers Fair", freq=ScheduleFreq.ONCE,
                             dtstart=date.today() + timedelta(days=3),
                             summary="Stalls for carers.", category="carers-support"),
        "pending": make_listing(db_session, group, name="Knitting circle (waiting)",
                                status=CommunityListingStatus.PENDING),
        "stale": make_listing(db_session, group, name="Old knitting group",
                              confirmed_days_ago=400),
    }


@pytest.fixture()
def search(app, db_session, backend_name, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_BACKEND", backend_name)
    with app.app_context():
        yield lambda **fields: community_search(app).search(
            db_session, CommunityQuery(today=date.today(), **fields))


def names(results, world):
    by_id = {listing.id: key for key, listing in world.items()}
    return [by_id[hit.listing_id] for hit in results.hits]


def test_words_find_listings_by_name_summary_and_category(world, search):
    assert names(search(words="knitting"), world) == ["knit"]
    assert names(search(words="lunch"), world) == ["lunch"]
    assert names(search(words="outdoors"), world) == ["walk"]  # the category's name


def test_stemming_lets_garden_find_gardens(world, search):
    assert names(search(words="garden"), world) == ["walk"]


def test_only_public_listings_are_found(world, search):
    assert set(names(search(per_page=50), world)) == {"knit", "lunch", "walk", "fair"}
    assert "pending" not in names(search(words="knitting circle"), world)


def test_the_free_filter_leaves_out_small_charges(world, search):
    assert set(names(search(free_only=True, per_page=50), world)) == {"knit", "walk", "fair"}
    assert names(search(words="lunch", free_only=True), world) == []


def test_category_weekday_and_distance_filters(world, search):
    assert names(search(category="lunch-clubs"), world) == ["lunch"]
    assert names(search(categories=frozenset({"lunch-clubs", "arts-and-culture"}),
                        per_page=50), world) in (["knit", "lunch"], ["lunch", "knit"])
    assert names(search(weekday=5), world) == ["walk"]  # Saturday
    near = search(origin=districts()["HA1"], within_km=10, per_page=50)
    assert "walk" not in names(near, world)
    assert all(hit.distance_km is not None and hit.distance_km <= 10 for hit in near.hits)


def test_words_matching_nothing_together_find_listings_matching_any(world, search):
    results = search(words="knitting lunch")
    assert results.any_word
    assert set(names(results, world)) == {"knit", "lunch"}


def test_paging_and_a_stable_order(world, search):
    first = search(per_page=2)
    second = search(per_page=2, page=2)
    assert first.total == second.total == 4
    assert not set(names(first, world)) & set(names(second, world))


def test_changes_are_found_after_the_commit(world, search, db_session):
    knit = db_session.get(CommunityListing, world["knit"].id)
    knit.summary = "Embroidery and tea."
    knit.last_confirmed_at = now()
    db_session.commit()
    assert names(search(words="embroidery"), world) == ["knit"]
    assert names(search(words="crochet"), world) == []
