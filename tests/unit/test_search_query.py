"""Reading a search from the query string, and the text rules both back ends share."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel.speaklater import LazyString

from catalogue.search import PRICE_BANDS, SearchQuery, Sort, parse_search_args
from catalogue.search.text import (
    best_correction,
    edit_distance,
    is_cqc_registered,
    price_band,
    tokens,
)


def parse(**args):
    return parse_search_args(args)


def fields_with_errors(errors) -> list[str]:
    return [error.field for error in errors]


def test_an_empty_query_string_asks_for_everything_on_the_first_page():
    query, errors = parse()
    assert query == SearchQuery() and errors == []
    assert query.sort is Sort.RELEVANCE and query.page == 1 and query.offset == 0


def test_every_choice_is_read_from_the_query_string():
    query, errors = parse(q="  home   care ", postcode="ha1 2ab", category="gardening",
                          price="1000-1999", day="5", language="pl", cqc="yes",
                          funding="nhs_phb", kind="charity", covers="yes", sort="distance",
                          page="3")
    assert errors == []
    assert query.words == "home care"
    assert (query.postcode, query.district) == ("HA1 2AB", "HA1")
    assert (query.category, query.weekday, query.language) == ("gardening", 5, "pl")
    assert (query.price_min_pence, query.price_max_pence) == (1000, 1999)
    assert query.cqc_registered and query.covers_my_area
    assert (query.funding_stream, query.provider_kind) == ("nhs_phb", "charity")
    assert query.sort is Sort.DISTANCE and query.page == 3 and query.offset == 40


def test_the_viewers_councils_and_the_day_travel_with_the_query():
    query, _errors = parse_search_args({}, funded_by={3, 1}, today=date(2026, 5, 1))
    assert query.funded_by == frozenset({1, 3}) and query.today == date(2026, 5, 1)


def test_prices_are_typed_in_pounds_and_kept_in_pence():
    query, errors = parse(price_min="£10", price_max="12.5")
    assert errors == [] and (query.price_min_pence, query.price_max_pence) == (1000, 1250)


def test_an_own_price_range_wins_over_a_price_band():
    query, _errors = parse(price="5000-9999", price_max="20")
    assert (query.price_min_pence, query.price_max_pence) == (None, 2000)


@pytest.mark.parametrize(("args", "field"), [
    ({"price_min": "-5"}, "price_min"),
    ({"price_max": "abc"}, "price_max"),
    ({"price_min": "30", "price_max": "10"}, "price_min"),
    ({"price_max": "1e9"}, "price_max"),
    ({"price_max": "999999999"}, "price_max"),
    ({"price": "cheap"}, "price"),
])
def test_absurd_prices_get_a_message_and_no_price_filter(args, field):
    query, errors = parse(**args)
    assert field in fields_with_errors(errors)
    assert query.price_min_pence is None or query.price_max_pence is None
    if field == "price_min" and "price_max" in args:
        assert (query.price_min_pence, query.price_max_pence) == (None, None)


@pytest.mark.parametrize("postcode", ["ZZ99", "ZZ99 9ZZ", "not a postcode", "<script>"])
def test_an_unknown_postcode_gets_a_clear_message_and_is_left_out(postcode):
    query, errors = parse(postcode=postcode)
    assert fields_with_errors(errors) == ["postcode"]
    assert "We do not know the postcode" in str(errors[0])
    assert query.postcode is None and query.district is None


def test_a_district_on_its_own_is_enough():
    query, errors = parse(postcode="ha3")
    assert errors == [] and query.district == "HA3"


@pytest.mark.parametrize("args", [{"sort": "distance"}, {"covers": "yes"}])
def test_sorting_by_distance_or_covering_my_area_needs_a_postcode(args):
    query, errors = parse(**args)
    assert fields_with_errors(errors) == ["postcode"]
    assert query.sort is Sort.RELEVANCE and not query.covers_my_area


def test_an_unknown_postcode_is_reported_once_even_when_distance_was_asked_for():
    _query, errors = parse(postcode="ZZ99", sort="distance", covers="yes")
    assert fields_with_errors(errors) == ["postcode"]


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1.5", "999999", "9" * 40])
def test_page_numbers_out_of_range_get_a_message_and_the_first_page(page):
    query, errors = parse(page=page)
    assert fields_with_errors(errors) == ["page"] and query.page == 1


def test_a_very_long_search_is_cut_to_200_characters_with_a_message():
    query, errors = parse(q="x" * 10_000)
    assert len(query.words) == 200 and fields_with_errors(errors) == ["q"]


@pytest.mark.parametrize(("args", "field"), [
    ({"category": "no-such"}, "category"), ({"day": "7"}, "day"), ({"day": "mon"}, "day"),
    ({"language": "xx"}, "language"), ({"funding": "lottery"}, "funding"),
    ({"kind": "robot"}, "kind"),
])
def test_choices_that_are_not_on_the_list_are_left_out_with_a_message(args, field):
    query, errors = parse(**args)
    assert fields_with_errors(errors) == [field]
    assert query == SearchQuery()


def test_an_unknown_sort_means_best_match():
    assert parse(sort="chaos")[0].sort is Sort.RELEVANCE


def test_messages_are_translatable():
    _query, errors = parse(postcode="ZZ99", page="x", q="y" * 300)
    assert errors and all(isinstance(error.message, LazyString) for error in errors)


def test_search_syntax_is_plain_text_and_leaves_nothing_to_search_for():
    query, errors = parse(q="a:b* OR (")
    assert errors == [] and query.words == "a:b* OR ("
    assert tokens(query.words) == []


def test_the_search_log_gets_filters_but_never_a_postcode():
    query, _errors = parse(q="care", postcode="HA1 2AB", kind="agency", covers="yes")
    logged = query.filters()
    assert logged == {"provider_kind": "agency", "covers_my_area": True, "sort": "relevance"}
    assert "HA1 2AB" not in str(logged)


def test_searchable_words_are_lower_case_unique_and_skip_stop_words():
    assert tokens("The GARDEN, the garden and: hedges!") == ["garden", "hedges"]
    assert len(tokens(" ".join(f"word{n}" for n in range(30)))) == 12


def test_a_swap_of_two_letters_is_one_edit():
    assert edit_distance("gardning", "gardening") == 1
    assert edit_distance("persnoal", "personal") == 1
    assert edit_distance("care", "care") == 0


def test_the_correction_is_the_closest_then_the_commonest_known_word():
    assert best_correction("persnal", {"personal": 3, "persons": 9}) == "personal"
    assert best_correction("hom", {"home": 1, "hot": 5}) == "hot"
    assert best_correction("gardning", {"planting": 4}) is None
    assert best_correction("cat", {"cart": 2, "chat": 2}) == "cart"


def test_cqc_registration_needs_an_id_and_a_registered_status():
    assert is_cqc_registered("1-123", "Registered") and is_cqc_registered("1-123", None)
    assert not is_cqc_registered("1-123", "Deregistered") and not is_cqc_registered(None, None)


def test_every_price_falls_in_exactly_one_band():
    assert [price_band(p) for p in (0, 999, 1000, 4999, 5000, 10_000, 10**7)] == [
        "0-999", "0-999", "1000-1999", "3000-4999", "5000-9999", "10000-", "10000-"]
    assert [key for key, _low, _high in PRICE_BANDS] == [
        "0-999", "1000-1999", "2000-2999", "3000-4999", "5000-9999", "10000-"]


def test_the_postgres_migration_froze_the_taxonomy_the_code_uses():
    """The PostgreSQL search functions hold category names and the bits of languages
    and funding streams as constants; changing the taxonomy needs a migration."""
    import importlib.util
    from pathlib import Path

    from catalogue.search.postgres_sql import LANGUAGE_CODES, STREAM_CODES
    from catalogue.search.text import category_words
    from catalogue.taxonomy import CATEGORIES, LANGUAGES, FundingStream

    path = next((Path(__file__).parents[2] / "migrations" / "versions").glob(
        "*_search_documents_vocabulary_triggers.py"))
    spec = importlib.util.spec_from_file_location("search_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.LANGUAGE_CODES == LANGUAGE_CODES == list(LANGUAGES)
    assert migration.STREAM_CODES == STREAM_CODES == [stream.value for stream in FundingStream]
    assert dict(migration.CATEGORY_WORDS) == {slug: category_words(slug) for slug in CATEGORIES}
