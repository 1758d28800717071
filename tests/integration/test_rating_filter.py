"""Search filters by a minimum rating on each back end that can run: by the fair
average the pages show (rounded as shown), never matching a service with fewer than
3 ratings, with facet counts that apply the filter; and the search page offers it."""

from __future__ import annotations

import pytest

from catalogue.search import (
    SearchQuery,
    Sort,
    get_search_backend,
    parse_search_args,
    rating_filter,
    register_rating_filter,
)
from marketplace.accounts.roles import Role
from marketplace.ratings.models import Rating
from marketplace.ratings.rules import one_decimal
from marketplace.ratings.search_filter import rated_at_least
from marketplace.ratings.services import service_summaries
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
            bought(db_session, buyer, service.provider, service, council)
            rated(db_session, buyer, service, stars=value)

    rate(world.personal, 3, 3, 4)     # 3.3: a figure
    rate(world.gardening, 5, 5, 5)    # 5.0
    rate(world.cleaning, 5, 5)        # 2 ratings: "fewer than 3 ratings", never a figure
    return world


@pytest.fixture()
def search(app, db_session, backend_name, monkeypatch):
    monkeypatch.setitem(app.config, "SEARCH_BACKEND", backend_name)
    with app.app_context():
        yield lambda **fields: get_search_backend(app).search(
            db_session, SearchQuery(per_page=50, **fields))


def ids(results):
    return sorted(hit.service_id for hit in results.hits)


def test_a_minimum_rating_keeps_only_services_shown_at_least_that(world, search):
    assert ids(search(min_rating=4)) == [world.gardening.id]
    both = sorted([world.gardening.id, world.personal.id])
    assert ids(search(min_rating=3)) == both
    assert ids(search(min_rating=2)) == both
    # Cleaning has two 5-star ratings: too few to show a figure, so it never matches.
    assert world.cleaning.id not in ids(search(min_rating=2))
    assert world.cleaning.id in ids(search())


def test_the_filter_agrees_with_the_figures_on_the_pages(world, search, db_session):
    services = [world.personal, world.gardening, world.cleaning]
    summaries = service_summaries(db_session, services)
    for minimum in (2, 3, 4):
        shown = sorted(s.id for s in services if summaries[s.id].enough
                       and float(one_decimal(summaries[s.id].fair_average)) >= minimum)
        assert ids(search(min_rating=minimum)) == shown, minimum


def test_facet_counts_and_the_total_apply_the_rating_filter(world, search):
    found = search(min_rating=4)
    assert found.total == 1
    assert found.facets["category"] == {"gardening": 1}
    assert found.facets["provider_kind"] == {"social_enterprise": 1}
    # With words, other filters and the rating sort as well.
    assert ids(search(words="garden", min_rating=3)) == [world.gardening.id]
    assert ids(search(words="wash", min_rating=4)) == []
    ordered = search(min_rating=3, sort=Sort.RATING)
    assert [hit.service_id for hit in ordered.hits] == [world.gardening.id, world.personal.id]


def test_a_service_shown_as_4_0_counts_as_4_stars_and_up(world, search, db_session,
                                                        make_user, council):
    """19 ratings of 4 and one of 3 (with gardening's own category mean as the prior,
    the fair average is the plain one): 3.95, shown as "4.0"."""
    order = bought(db_session, make_user(Role.BUDGET_HOLDER), world.fingers, world.gardening,
                   council)
    db_session.execute(Rating.__table__.delete().where(
        Rating.service_id == world.gardening.id))
    for number in range(20):
        buyer = make_user(Role.BUDGET_HOLDER)
        db_session.add(Rating(service_id=world.gardening.id, provider_id=world.fingers.id,
                              buyer_id=buyer.id, order_id=order.id, rated_by_id=buyer.id,
                              category="gardening", stars=3 if number == 0 else 4))
    db_session.commit()
    summary = service_summaries(db_session, [world.gardening])[world.gardening.id]
    assert summary.fair_average == pytest.approx(3.95)
    assert one_decimal(summary.fair_average) == "4.0"
    assert world.gardening.id in rated_at_least(db_session, 4)
    assert ids(search(min_rating=4)) == [world.gardening.id]


def test_without_ratings_no_service_matches_a_rating_filter(world, search):
    chosen = rating_filter()
    register_rating_filter(None)
    try:
        found = search(min_rating=2)
        assert found.total == 0 and found.hits == []
    finally:
        register_rating_filter(chosen)


def test_the_rating_filter_is_read_from_the_query_string_with_clear_messages():
    query, errors = parse_search_args({"rating": "4"})
    assert query.min_rating == 4 and errors == []
    for junk in ("5", "0", "abc", "<script>", "4.5"):
        query, errors = parse_search_args({"rating": junk})
        assert query.min_rating is None
        assert [str(e) for e in errors] == ["Choose a rating from the list"], junk


def test_the_search_page_offers_and_applies_the_rating_filter(app, world, client):
    page = client.get("/search").get_data(as_text=True)
    assert "Rating by people who bought" in page and "4 stars and up" in page
    assert "fewer than 3 ratings are left out" in page
    found = client.get("/search?rating=4").get_data(as_text=True)
    assert "Gardening" in found and "Personal care at home" not in found
    assert 'value="4" checked' in found
    odd = client.get("/search?rating=99")
    assert odd.status_code == 200
    assert "Choose a rating from the list" in odd.get_data(as_text=True)
