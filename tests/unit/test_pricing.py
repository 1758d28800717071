from datetime import date

import pytest

from catalogue.pricing import PriceBasis, RateTerm, price_for

TODAY = date(2026, 11, 22)
OURS, THEIRS = 1, 2


def rate(council=OURS, pence=1800, starts=date(2026, 4, 1), ends=None):
    return RateTerm(council, pence, starts, ends)


def test_a_self_funder_sees_the_public_price():
    quote = price_for(2450, [rate()], funded_by=[], on=TODAY)
    assert (quote.pence, quote.basis) == (2450, PriceBasis.PUBLIC)


def test_a_person_the_council_funds_sees_the_council_rate():
    quote = price_for(2450, [rate()], funded_by=[OURS], on=TODAY)
    assert (quote.pence, quote.basis, quote.council_id) == (1800, PriceBasis.COUNCIL_RATE, OURS)
    assert quote.public_pence == 2450


def test_people_funded_by_another_council_see_the_public_price():
    quote = price_for(2450, [rate(council=THEIRS)], funded_by=[OURS], on=TODAY)
    assert quote.basis is PriceBasis.PUBLIC and quote.pence == 2450


@pytest.mark.parametrize(("starts", "ends", "applies"), [
    (date(2026, 4, 1), date(2026, 11, 21), False),   # ended yesterday
    (date(2026, 4, 1), date(2026, 11, 22), True),    # ends today: still in force
    (date(2026, 11, 22), None, True),                # starts today
    (date(2026, 11, 23), None, False),               # starts tomorrow
])
def test_only_a_rate_in_force_on_the_day_applies(starts, ends, applies):
    quote = price_for(2450, [rate(starts=starts, ends=ends)], funded_by=[OURS], on=TODAY)
    assert quote.is_council_rate is applies
    assert quote.pence == (1800 if applies else 2450)


def test_the_latest_agreed_rate_of_a_council_wins():
    rates = [rate(pence=1700, starts=date(2025, 4, 1)), rate(pence=1900, starts=date(2026, 4, 1))]
    assert price_for(2450, rates, funded_by=[OURS], on=TODAY).pence == 1900


def test_a_council_rate_can_be_higher_than_the_public_price_and_still_applies():
    quote = price_for(1500, [rate(pence=1600)], funded_by=[OURS], on=TODAY)
    assert quote.pence == 1600 and quote.is_council_rate


def test_funded_by_two_councils_the_lower_rate_applies():
    rates = [rate(pence=1900), rate(council=THEIRS, pence=1750)]
    quote = price_for(2450, rates, funded_by=[OURS, THEIRS], on=TODAY)
    assert (quote.pence, quote.council_id) == (1750, THEIRS)


def test_a_negative_public_price_is_refused():
    with pytest.raises(ValueError, match="negative"):
        price_for(-1, [], funded_by=[], on=TODAY)
