"""The API's filters are checked before any query: good values are read, bad ones
are all reported with what is wrong."""

from __future__ import annotations

from datetime import time

import pytest

from catalogue.oruk.params import MAX_PER_PAGE, PER_PAGE, BadFilters, parse_filters, parse_paging


def test_no_parameters_mean_the_first_page_of_everything():
    filters = parse_filters({})
    assert (filters.page, filters.per_page, filters.words, filters.offset) == (1, PER_PAGE, (), 0)


def test_good_values_are_read():
    filters = parse_filters({
        "page": "3", "per_page": "10", "search": "Walking, GROUP!", "day": "tuesday",
        "start_time": "09:30", "end_time": "17:00:00", "minimum_age": "18",
        "maximum_age": "65.5", "postcode": "ha1 2ab", "proximity": "1500",
        "taxonomy_term_id": "3F7B145D-84AF-42D7-8FAE-EACA714B02B2"})
    assert filters.offset == 20
    assert filters.words == ("walking", "group")
    assert (filters.day, filters.day_code) == (1, "TU")
    assert (filters.start_time, filters.end_time) == (time(9, 30), time(17, 0))
    assert (filters.minimum_age, filters.maximum_age) == (18, 65.5)
    assert (filters.district, filters.proximity_m) == ("HA1", 1500)
    assert filters.taxonomy_term_id == "3f7b145d-84af-42d7-8fae-eaca714b02b2"


@pytest.mark.parametrize(("args", "bad"), [
    ({"page": "-1"}, "page"), ({"page": "1.5"}, "page"), ({"per_page": "100000"}, "per_page"),
    ({"per_page": str(MAX_PER_PAGE + 1)}, "per_page"), ({"day": "Funday"}, "day"),
    ({"postcode": "HA1", "proximity": "abc"}, "proximity"), ({"proximity": "10"}, "proximity"),
    ({"postcode": "QQ1 1QQ"}, "postcode"), ({"start_time": "24:00"}, "start_time"),
    ({"end_time": "noon"}, "end_time"), ({"minimum_age": "inf"}, "minimum_age"),
    ({"maximum_age": "200"}, "maximum_age"), ({"taxonomy_id": "x"}, "taxonomy_id"),
    ({"start_time": "10:00", "end_time": "09:00"}, "end_time"),
    ({"minimum_age": "30", "maximum_age": "20"}, "maximum_age"),
    ({"search": "a" * 201}, "search"),
])
def test_bad_values_are_refused_with_the_parameter_named(args, bad):
    with pytest.raises(BadFilters) as caught:
        parse_filters(args)
    assert bad in caught.value.problems
    assert bad in str(caught.value)


def test_every_bad_parameter_is_reported_at_once():
    with pytest.raises(BadFilters) as caught:
        parse_filters({"page": "-1", "per_page": "100000", "day": "Funday"})
    assert set(caught.value.problems) == {"page", "per_page", "day"}


def test_blank_values_count_as_not_given_and_unknown_parameters_are_ignored():
    assert parse_filters({"day": " ", "postcode": "", "colour": "blue"}).day is None


def test_paging_alone_ignores_the_other_filters():
    assert parse_paging({"page": "2", "day": "Funday"}).page == 2
