"""Expanding Open Referral UK schedules into dates: one-off, weekly, fortnightly,
monthly on the nth weekday or day of the month, with start, end and validity."""

from __future__ import annotations

from datetime import date, time

import pytest

from catalogue.community.schedules import (
    MAX_SPAN_DAYS,
    Occurrence,
    Rule,
    ScheduleError,
    check,
    format_byday,
    listing_occurrences,
    next_occurrences,
    occurrences,
    parse_byday,
    parse_bymonthday,
    safe_occurrences,
)
from catalogue.models import ScheduleFreq

WEEKLY, MONTHLY, ONCE = ScheduleFreq.WEEKLY, ScheduleFreq.MONTHLY, ScheduleFreq.ONCE


def dates(rule, start, end):
    return [o.on for o in occurrences(rule, start, end)]


def test_a_one_off_event_happens_on_its_date_only():
    rule = Rule(ONCE, dtstart=date(2026, 3, 14), opens_at=time(14), closes_at=time(16))
    assert occurrences(rule, date(2026, 3, 1), date(2026, 3, 31)) == [
        Occurrence(date(2026, 3, 14), time(14), time(16))]
    assert dates(rule, date(2026, 3, 15), date(2026, 4, 30)) == []


def test_weekly_on_given_days_within_the_window():
    rule = Rule(WEEKLY, byday="TU,TH", dtstart=date(2026, 1, 6))
    assert dates(rule, date(2026, 3, 2), date(2026, 3, 15)) == [
        date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 10), date(2026, 3, 12)]


def test_weekly_does_not_start_before_its_start_date_nor_go_past_its_end():
    rule = Rule(WEEKLY, byday="MO", dtstart=date(2026, 3, 9), until=date(2026, 3, 23))
    assert dates(rule, date(2026, 3, 1), date(2026, 4, 30)) == [
        date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 23)]


def test_weekly_without_days_repeats_on_the_start_dates_weekday():
    rule = Rule(WEEKLY, dtstart=date(2026, 3, 4))  # a Wednesday
    assert dates(rule, date(2026, 3, 1), date(2026, 3, 20)) == [
        date(2026, 3, 4), date(2026, 3, 11), date(2026, 3, 18)]


def test_fortnightly_counts_weeks_from_the_start_date():
    rule = Rule(WEEKLY, interval=2, byday="FR", dtstart=date(2026, 3, 6))
    assert dates(rule, date(2026, 3, 1), date(2026, 4, 10)) == [
        date(2026, 3, 6), date(2026, 3, 20), date(2026, 4, 3)]
    # a window that starts in an "off" week still keeps the rhythm
    assert dates(rule, date(2026, 3, 9), date(2026, 3, 22)) == [date(2026, 3, 20)]


def test_monthly_on_the_second_tuesday():
    rule = Rule(MONTHLY, byday="2TU", dtstart=date(2026, 1, 1))
    assert dates(rule, date(2026, 1, 1), date(2026, 4, 30)) == [
        date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]


def test_monthly_on_the_last_friday_and_first_and_third_monday():
    assert dates(Rule(MONTHLY, byday="-1FR", dtstart=date(2026, 1, 1)),
                 date(2026, 1, 1), date(2026, 3, 31)) == [
        date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27)]
    assert dates(Rule(MONTHLY, byday="1MO,3MO", dtstart=date(2026, 3, 1)),
                 date(2026, 3, 1), date(2026, 3, 31)) == [date(2026, 3, 2), date(2026, 3, 16)]


def test_a_fifth_weekday_is_skipped_in_months_without_one():
    rule = Rule(MONTHLY, byday="5MO", dtstart=date(2026, 1, 1))
    assert dates(rule, date(2026, 1, 1), date(2026, 4, 30)) == [
        date(2026, 3, 30)]


def test_monthly_by_day_of_the_month_including_the_last_day():
    rule = Rule(MONTHLY, bymonthday="15,-1", dtstart=date(2026, 1, 1))
    assert dates(rule, date(2026, 2, 1), date(2026, 3, 31)) == [
        date(2026, 2, 15), date(2026, 2, 28), date(2026, 3, 15), date(2026, 3, 31)]
    assert dates(Rule(MONTHLY, bymonthday="31", dtstart=date(2026, 1, 1)),
                 date(2026, 2, 1), date(2026, 3, 31)) == [date(2026, 3, 31)]


def test_monthly_with_both_byday_and_bymonthday_needs_both_to_match():
    rule = Rule(MONTHLY, byday="FR", bymonthday="13", dtstart=date(2026, 1, 1))
    assert dates(rule, date(2026, 1, 1), date(2026, 12, 31)) == [
        date(2026, 2, 13), date(2026, 3, 13), date(2026, 11, 13)]


def test_every_other_month_and_the_default_day_of_the_month():
    rule = Rule(MONTHLY, interval=2, dtstart=date(2026, 1, 20))
    assert dates(rule, date(2026, 1, 1), date(2026, 6, 30)) == [
        date(2026, 1, 20), date(2026, 3, 20), date(2026, 5, 20)]


def test_validity_dates_bound_the_occurrences_too():
    rule = Rule(WEEKLY, byday="SA", valid_from=date(2026, 3, 10), valid_to=date(2026, 3, 25))
    assert dates(rule, date(2026, 3, 1), date(2026, 3, 31)) == [
        date(2026, 3, 14), date(2026, 3, 21)]


def test_an_empty_or_reversed_window_gives_nothing_and_a_huge_one_is_refused():
    rule = Rule(WEEKLY, byday="MO", dtstart=date(2026, 1, 5))
    assert dates(rule, date(2026, 3, 10), date(2026, 3, 1)) == []
    with pytest.raises(ValueError):
        occurrences(rule, date(2026, 1, 1), date(2026, 1, 1).replace(year=2030))
    assert MAX_SPAN_DAYS >= 366


@pytest.mark.parametrize(("text", "parsed"), [
    ("MO", [(None, 0)]), ("mo, 2tu ,-1FR", [(None, 0), (2, 1), (-1, 4)]), ("", []),
    ("+3SU", [(3, 6)]),
])
def test_byday_is_parsed_and_formatted(text, parsed):
    assert parse_byday(text) == parsed
    assert parse_byday(format_byday(parsed)) == parsed


@pytest.mark.parametrize("text", ["MON", "Funday", "6MO", "0TU", "2", "MO;TU"])
def test_bad_byday_is_refused_with_a_reason(text):
    with pytest.raises(ScheduleError, match="byday"):
        parse_byday(text)


@pytest.mark.parametrize("text", ["0", "32", "-32", "x", "1.5"])
def test_bad_bymonthday_is_refused(text):
    with pytest.raises(ScheduleError, match="bymonthday"):
        parse_bymonthday(text)


@pytest.mark.parametrize("rule", [
    Rule(ONCE),
    Rule(WEEKLY, byday="2MO", dtstart=date(2026, 1, 1)),
    Rule(WEEKLY),
    Rule(MONTHLY),
    Rule(WEEKLY, byday="MO", interval=0),
    Rule(WEEKLY, byday="MO", dtstart=date(2026, 2, 1), until=date(2026, 1, 1)),
    Rule(WEEKLY, byday="MO", opens_at=time(12), closes_at=time(11)),
])
def test_schedules_that_cannot_be_expanded_are_refused(rule):
    with pytest.raises(ScheduleError):
        check(rule)
    assert safe_occurrences(rule, date(2026, 1, 1), date(2026, 2, 1)) == []


def test_a_listings_schedules_merge_in_date_and_time_order_and_the_next_dates_are_limited():
    morning = Rule(WEEKLY, byday="TU", dtstart=date(2026, 1, 6), opens_at=time(10),
                   closes_at=time(12))
    evening = Rule(WEEKLY, byday="TU", dtstart=date(2026, 1, 6), opens_at=time(18),
                   closes_at=time(20))
    special = Rule(ONCE, dtstart=date(2026, 3, 4), opens_at=time(9))
    merged = listing_occurrences([evening, morning, special, morning],
                                 date(2026, 3, 3), date(2026, 3, 10))
    assert [(o.on.day, o.opens_at.hour) for o in merged] == [(3, 10), (3, 18), (4, 9),
                                                              (10, 10), (10, 18)]
    assert len(next_occurrences([morning], date(2026, 3, 3), limit=3)) == 3
    assert next_occurrences([morning], date(2026, 3, 3))[0].on == date(2026, 3, 3)
