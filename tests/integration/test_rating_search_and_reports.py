"""Search sorts by rating through the rating source, on each back end that can run;
and the commissioners' figures hide small numbers."""

from __future__ import annotations

import pytest

from catalogue.search import SearchQuery, Sort, get_search_backend
from marketplace.accounts.roles import Role
from marketplace.ratings.reports import ratings_by
from marketplace.ratings.services import search_ratings
from tests.functional.ratings_helpers import bought, rated
from tests.search_helpers import available_backends, build_catalogue


def pytest_generate_tests(metafunc):
    if "backend_name" in metafunc.fixturenames:
        metafunc.parametrize("backend_name", available_backends())


@pytest.fixture()
def world(db_session, council, make_user):
    world = build_catalogue(db_session, council)

    def rate(service, *stars):
        for value in stars:
            buyer = make_user(Role.BUDGET_HOLDER)
            buyer.postcode = "HA1 2AB"
            bought(db_session, buyer, service.provider, service, council)
            rated(db_session, buyer, service, stars=value)

    rate(world.personal, 3, 3, 4)     # 3 ratings: a figure
    rate(world.gardening, 5, 5, 5)    # 3 ratings, all top marks
    rate(world.cleaning, 5, 5)        # 2 ratings: too few to count as rated
    return world


def test_the_rating_source_gives_fair_averages_only_with_enough_ratings(app, world,
                                                                        db_session):
    found = search_ratings(db_session, [world.personal.id, world.gardening.id,
                                        world.cleaning.id])
    assert set(found) == {world.personal.id, world.gardening.id}
    assert found[world.gardening.id] > found[world.personal.id]


def test_search_sorts_by_rating_highest_first_and_unrated_last(app, world, db_session,
                                                               backend_name, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_BACKEND", backend_name)
    with app.app_context():
        backend = get_search_backend(app)
        results = backend.search(db_session, SearchQuery(sort=Sort.RATING, per_page=50))
    assert [hit.service_id for hit in results.hits] == [
        world.gardening.id, world.personal.id, world.cleaning.id]


def test_commissioners_see_ratings_by_category_provider_and_area_with_small_numbers_hidden(
        world, db_session, council, make_user):
    for _n in range(3):  # personal care reaches 6 ratings: shown
        buyer = make_user(Role.BUDGET_HOLDER)
        buyer.postcode = "HA2 0AA"
        bought(db_session, buyer, world.meadow, world.personal, council)
        rated(db_session, buyer, world.personal, stars=5)
    figures = ratings_by(db_session, council.id)
    category = {str(row.label): row for row in figures["category"]}
    assert category["Getting up, washing and dressing"].count == 6
    assert category["Getting up, washing and dressing"].average == pytest.approx(25 / 6, abs=0.01)
    # Gardening (3) and cleaning (2) are fewer than 5: neither count nor average shows.
    hidden = [row for label, row in category.items() if label != "Getting up, washing and dressing"]
    assert hidden and all(row.count is None and row.average is None for row in hidden)
    provider = {str(row.label): row for row in figures["provider"]}
    assert provider["Meadow Home Care"].count == 6
    area = {str(row.label): row for row in figures["area"]}
    assert area["HA2"].count is None  # 3 people: hidden
    # ... and so is the only other area, or HA2 could be worked out from the total.
    assert area["HA1"].count is None and area["HA1"].average is None
    assert ratings_by(db_session, council.id + 1000) == {"category": [], "provider": [],
                                                         "area": []}
