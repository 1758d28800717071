"""Funding-stream rules: one pure function decides which streams may buy a category."""

from __future__ import annotations

import pytest

from catalogue.taxonomy import CATEGORIES, TOP_LEVEL, FundingStream, children_of
from marketplace.budgets.rules import (
    STREAM_RULES,
    categories_for,
    may_buy,
    streams_that_may_buy,
)

FS = FundingStream


def test_every_stream_has_a_rule_and_every_rule_names_real_categories():
    assert set(STREAM_RULES) == set(FundingStream)
    for allowed in STREAM_RULES.values():
        assert allowed <= set(CATEGORIES)


@pytest.mark.parametrize("slug", sorted(CATEGORIES))
def test_adult_social_care_and_other_funding_may_buy_anything(slug):
    assert may_buy(FS.ADULT_SOCIAL_CARE, slug)
    assert may_buy(FS.OTHER, slug)


def test_supporting_people_buys_only_housing_related_support():
    allowed = set(categories_for(FS.SUPPORTING_PEOPLE))
    assert allowed == {"housing-support", "tenancy-support", "floating-support",
                       "independent-living-skills"}
    # Help getting to the shops is not housing-related support (seed 004:370).
    assert not may_buy(FS.SUPPORTING_PEOPLE, "shopping")
    assert not may_buy(FS.SUPPORTING_PEOPLE, "door-to-door")


def test_a_top_level_category_allows_each_of_its_sub_categories():
    for top in TOP_LEVEL:
        for stream in FundingStream:
            if may_buy(stream, top.slug):
                assert all(may_buy(stream, child.slug) for child in children_of(top.slug)), (
                    stream, top.slug)


def test_disabled_facilities_grant_buys_equipment_and_adaptations_only():
    assert may_buy(FS.DISABLED_FACILITIES_GRANT, "equipment-and-technology")
    assert may_buy(FS.DISABLED_FACILITIES_GRANT, "daily-living-equipment")
    assert may_buy(FS.DISABLED_FACILITIES_GRANT, "small-repairs")
    # Its sibling sub-category is not an adaptation.
    assert not may_buy(FS.DISABLED_FACILITIES_GRANT, "gardening")
    assert not may_buy(FS.DISABLED_FACILITIES_GRANT, "gardening-and-handyperson")
    assert not may_buy(FS.DISABLED_FACILITIES_GRANT, "getting-up-and-dressed")


def test_access_to_work_buys_work_related_support_transport_and_equipment():
    assert may_buy(FS.ACCESS_TO_WORK, "job-coaching")
    assert may_buy(FS.ACCESS_TO_WORK, "pa-work-and-study")
    assert may_buy(FS.ACCESS_TO_WORK, "door-to-door")
    assert may_buy(FS.ACCESS_TO_WORK, "assistive-technology")
    assert not may_buy(FS.ACCESS_TO_WORK, "courses")
    assert not may_buy(FS.ACCESS_TO_WORK, "volunteering")
    assert not may_buy(FS.ACCESS_TO_WORK, "pa-everyday-support")
    # Only part of the top-level category is allowed, so the whole of it is not.
    assert not may_buy(FS.ACCESS_TO_WORK, "equipment-and-technology")
    assert not may_buy(FS.ACCESS_TO_WORK, "learning-and-employment")


def test_a_personal_health_budget_buys_health_related_support():
    for slug in ("personal-care", "medication-support", "pa-everyday-support",
                 "overnight-breaks", "telecare", "dementia-support", "sport-and-fitness"):
        assert may_buy(FS.NHS_PERSONAL_HEALTH_BUDGET, slug), slug
    for slug in ("cleaning-and-laundry", "tenancy-support", "courses", "arts-and-culture",
                 "leisure-and-social"):
        assert not may_buy(FS.NHS_PERSONAL_HEALTH_BUDGET, slug), slug


def test_childrens_services_and_the_independent_living_fund():
    assert may_buy(FS.CHILDRENS_SERVICES, "overnight-breaks")
    assert not may_buy(FS.CHILDRENS_SERVICES, "tenancy-support")
    assert may_buy(FS.INDEPENDENT_LIVING_FUND, "pa-going-out")
    assert not may_buy(FS.INDEPENDENT_LIVING_FUND, "daily-living-equipment")


def test_unknown_categories_and_streams_buy_nothing():
    assert not may_buy(FS.ADULT_SOCIAL_CARE, "no-such-category")
    assert not may_buy("not-a-stream", "personal-care")
    assert may_buy("supporting_people", "tenancy-support")  # stored values work too


def test_streams_that_may_buy_keeps_the_order_given():
    streams = [FS.SUPPORTING_PEOPLE, FS.NHS_PERSONAL_HEALTH_BUDGET, FS.ADULT_SOCIAL_CARE]
    assert streams_that_may_buy("tenancy-support", streams) == [
        FS.SUPPORTING_PEOPLE, FS.ADULT_SOCIAL_CARE]
    assert streams_that_may_buy("getting-up-and-dressed", streams) == [
        FS.NHS_PERSONAL_HEALTH_BUDGET, FS.ADULT_SOCIAL_CARE]
    assert streams_that_may_buy("shopping", [FS.SUPPORTING_PEOPLE]) == []
    assert streams_that_may_buy("shopping", ["adult_social_care"]) == [FS.ADULT_SOCIAL_CARE]
