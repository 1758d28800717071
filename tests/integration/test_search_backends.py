"""Both search back ends pass these same tests: on SQLite the whoosh back end runs,
on PostgreSQL both do (``backend_name`` is parametrized with what can run)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from catalogue.models import ServiceStatus, VettingStatus
from catalogue.search import SearchQuery, Sort, get_search_backend
from tests.search_helpers import add_service, available_backends, build_catalogue


def pytest_generate_tests(metafunc):
    if "backend_name" in metafunc.fixturenames:
        metafunc.parametrize("backend_name", available_backends())


@pytest.fixture()
def world(db_session, council):
    return build_catalogue(db_session, council)


@pytest.fixture()
def search(app, db_session, backend_name, monkeypatch):
    """Search with the back end under test. The app context stays open for the test,
    as in a request: commits then update the index at once (see indexing)."""
    monkeypatch.setitem(app.config, "SEARCH_BACKEND", backend_name)
    with app.app_context():
        yield lambda **fields: get_search_backend(app).search(db_session, SearchQuery(**fields))


def ids(results):
    return [hit.service_id for hit in results.hits]


def test_a_keyword_finds_the_services_that_mention_it(world, search):
    assert ids(search(words="lawn")) == [world.gardening.id]
    assert ids(search(words="wash dress")) == [world.personal.id]


def test_the_provider_and_category_names_are_searched_too(world, search):
    assert ids(search(words="meadow")) == [world.personal.id]
    assert ids(search(words="handyperson")) == [world.gardening.id]


def test_stemming_lets_gardens_find_gardening(world, search):
    assert ids(search(words="gardens")) == [world.gardening.id]


@pytest.mark.parametrize(("typed", "meant"), [("persnal care", "personal care"),
                                              ("gardning", "gardening")])
def test_misspelt_words_still_find_the_right_service_and_say_what_was_meant(
        world, search, typed, meant):
    results = search(words=typed)
    expected = world.personal.id if "care" in meant else world.gardening.id
    assert expected in ids(results)
    assert results.suggestion == meant
    assert results.corrected and results.searched_words == meant


def test_words_that_match_nothing_together_find_services_matching_some(world, search):
    results = search(words="gardening laundry")
    assert results.any_word
    assert set(ids(results)) == {world.gardening.id, world.cleaning.id}


def test_only_public_listings_are_ever_returned(world, search):
    found = set(ids(search(per_page=50)))
    assert found == {world.personal.id, world.gardening.id, world.cleaning.id}
    for words in ("night sitting", "shopping trips", "laundry service", "gardening help"):
        assert not {world.paused.id, world.draft.id, world.stale.id,
                    world.hidden_gardening.id} & set(ids(search(words=words)))


def test_facets_count_every_value_of_what_is_found(world, search):
    facets = search().facets
    assert facets["category"] == {"getting-up-and-dressed": 1, "gardening": 1,
                                  "cleaning-and-laundry": 1}
    assert facets["provider_kind"] == {"agency": 1, "social_enterprise": 1, "micro_provider": 1}
    assert facets["language"] == {"en": 3, "gu": 1, "pl": 1}
    assert facets["weekday"] == {0: 1, 1: 1, 2: 2, 3: 1, 4: 1, 5: 1, 6: 1}
    assert facets["cqc_registered"] == {True: 1, False: 2}
    assert facets["funding_stream"] == {"adult_social_care": 3, "nhs_phb": 1}
    assert facets["price"] == {"1000-1999": 2, "2000-2999": 1}


@pytest.mark.parametrize(("fields", "expected"), [
    ({"category": "personal-care"}, ["personal"]),  # a top-level category includes its own
    ({"category": "gardening"}, ["gardening"]),
    ({"weekday": 2}, ["personal", "cleaning"]),
    ({"language": "pl"}, ["gardening"]),
    ({"cqc_registered": True}, ["personal"]),
    ({"funding_stream": "nhs_phb"}, ["personal"]),
    ({"provider_kind": "micro_provider"}, ["cleaning"]),
    ({"price_min_pence": 1600, "price_max_pence": 2000}, ["gardening"]),
])
def test_each_filter_keeps_only_what_it_asks_for(world, search, fields, expected):
    assert set(ids(search(per_page=50, **fields))) == {getattr(world, n).id for n in expected}


def test_facet_counts_leave_out_their_own_filter_but_apply_the_others(world, search):
    results = search(provider_kind="agency", weekday=2)
    assert results.total == 1
    assert results.facets["provider_kind"] == {"agency": 1, "micro_provider": 1}
    assert results.facets["weekday"] == {0: 1, 1: 1, 2: 1, 3: 1, 4: 1}
    assert results.facets["language"] == {"en": 1, "gu": 1}


def test_distance_sort_puts_the_nearest_first(world, search):
    results = search(district="HA1", postcode="HA1 2AB", sort=Sort.DISTANCE)
    assert ids(results) == [world.personal.id, world.gardening.id, world.cleaning.id]
    distances = [hit.distance_km for hit in results.hits]
    assert distances[0] == pytest.approx(0.0)
    assert 1 < distances[1] < 6 and distances[2] > 200


def test_covers_my_area_means_a_listed_district_or_a_radius_that_reaches_it(world, search):
    assert set(ids(search(district="HA1", covers_my_area=True))) == {
        world.personal.id, world.gardening.id}  # HA1 listed; HA3 base within 10 km
    assert ids(search(district="HA2", covers_my_area=True, words="personal")) == [
        world.personal.id]
    assert ids(search(district="M1", covers_my_area=True)) == [world.cleaning.id]
    assert ids(search(district="EH1", covers_my_area=True)) == []


def test_a_funded_viewer_filters_and_sorts_by_the_council_rate_in_force(
        world, search, council):
    funded = {"funded_by": frozenset({council.id}), "today": world.today}
    results = search(sort=Sort.PRICE, **funded)
    assert [(hit.service_id, hit.price_pence) for hit in results.hits] == [
        (world.cleaning.id, 1500), (world.gardening.id, 1800), (world.personal.id, 1990)]
    assert ids(search(price_max_pence=1999, **funded)) != []
    assert world.personal.id in ids(search(price_max_pence=1999, **funded))
    assert search(**funded).facets["price"] == {"1000-1999": 3}


def test_a_self_funder_filters_and_sorts_by_the_public_price(world, search, council):
    results = search(sort=Sort.PRICE, today=world.today)
    assert [(hit.service_id, hit.price_pence) for hit in results.hits][-1] == (
        world.personal.id, 2450)
    assert world.personal.id not in ids(search(price_max_pence=1999, today=world.today))


def test_people_funded_by_another_council_see_the_public_price(
        world, search, other_council):
    results = search(words="personal", funded_by=frozenset({other_council.id}),
                     today=world.today)
    assert results.hits[0].price_pence == 2450


def test_an_expired_rate_no_longer_applies_and_an_older_one_never_comes_back(
        world, search, council):
    day_after_the_new_rate_began = world.today - timedelta(days=28)
    during_the_old_rate = world.today - timedelta(days=100)
    for day, price in ((day_after_the_new_rate_began, 1990), (during_the_old_rate, 1500)):
        results = search(words="personal", funded_by=frozenset({council.id}), today=day)
        assert results.hits[0].price_pence == price


def test_results_come_in_pages(world, search):
    first = search(per_page=2, sort=Sort.PRICE)
    second = search(per_page=2, page=2, sort=Sort.PRICE)
    assert first.total == second.total == 3 and first.pages == 2
    assert len(first.hits) == 2 and len(second.hits) == 1
    assert not set(ids(first)) & set(ids(second))
    assert search(per_page=2, page=3).hits == []


def test_sorting_by_rating_falls_back_to_relevance_until_there_are_ratings(world, search):
    assert ids(search(words="care", sort=Sort.RATING)) == ids(search(words="care"))


def test_words_that_cannot_be_searched_for_give_an_empty_answer(world, search):
    results = search(words="a:b* OR (")
    assert results.no_usable_words and results.total == 0 and results.hits == []


def test_search_follows_publishing_editing_and_pausing_after_each_commit(
        world, search, db_session):
    new = add_service(db_session, world.fingers, "Topiary", category="gardening",
                      price_pence=2000, status=ServiceStatus.DRAFT)
    assert search(words="topiary").total == 0
    new.status = ServiceStatus.PUBLISHED
    db_session.commit()
    assert ids(search(words="topiary")) == [new.id]
    new.name = "Tree surgery"
    db_session.commit()
    assert search(words="topiary").total == 0 and ids(search(words="surgery")) == [new.id]
    new.status = ServiceStatus.PAUSED
    db_session.commit()
    assert search(words="surgery").total == 0


def test_suspending_a_provider_hides_all_its_services_and_confirming_brings_one_back(
        world, search, db_session):
    world.fingers.status = VettingStatus.SUSPENDED
    db_session.commit()
    assert search(words="gardening").total == 0
    world.fingers.status = VettingStatus.APPROVED
    world.stale.last_confirmed_at = world.gardening.last_confirmed_at
    db_session.commit()
    assert ids(search(words="gardening")) == [world.gardening.id]
    assert ids(search(words="laundry service")) == [world.stale.id]


def test_a_rebuilt_index_finds_the_same_as_the_one_kept_up_to_date(
        app, world, search, db_session, backend_name):
    before = search(per_page=50, sort=Sort.PRICE)
    get_search_backend(app).rebuild(db_session)
    after = search(per_page=50, sort=Sort.PRICE)
    assert ids(after) == ids(before) and after.facets == before.facets


def test_an_empty_catalogue_finds_nothing_and_suggests_nothing(search):
    for words in ("", "gardning", "personal care"):
        results = search(words=words, district="HA1", covers_my_area=True, sort=Sort.DISTANCE)
        assert results.total == 0 and results.hits == [] and results.suggestion is None
