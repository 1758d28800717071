"""Schedule costs count the actual dated visits."""

from __future__ import annotations

from datetime import date, time

from marketplace.ordering.schedule import (
    Schedule,
    ScheduleKind,
    commitment_pence,
    cost_between,
    hours_between,
    units_text,
    visit_cost_pence,
    weekly_cost_pence,
)

TUE, THU = 1, 3


def _weekly(starts_on=date(2026, 12, 1), ends_on=None, hours=300):
    return Schedule(ScheduleKind.RECURRING, starts_on, hours, ends_on=ends_on,
                    weekdays=frozenset({TUE, THU}), start_time=time(9), end_time=time(12))


def test_a_visit_costs_the_unit_price_times_the_quantity_rounded_once():
    assert visit_cost_pence(1265, 150) == 1898  # 18.975 -> 18.98
    assert visit_cost_pence(2000, 300) == 6000


def test_weekly_cost_is_the_visits_in_a_full_week():
    assert weekly_cost_pence(_weekly(), 2000) == 2 * 6000
    one_off = Schedule(ScheduleKind.ONE_OFF, date(2026, 12, 5), 100)
    assert weekly_cost_pence(one_off, 2000) is None


def test_a_period_ending_on_a_tuesday_does_not_pay_for_that_weeks_thursday():
    # 1 Dec 2026 is a Tuesday; up to Tuesday 8 Dec: Tue 1, Thu 3, Tue 8.
    assert cost_between(_weekly(), 2000, date(2026, 12, 1), date(2026, 12, 8)) == 3 * 6000


def test_commitment_runs_to_the_budget_period_end_or_the_order_end_whichever_is_first():
    schedule = _weekly(ends_on=date(2026, 12, 10))  # Tue 1, Thu 3, Tue 8, Thu 10
    assert commitment_pence(schedule, 2000, date(2027, 3, 31)) == 4 * 6000
    assert commitment_pence(schedule, 2000, date(2026, 12, 4)) == 2 * 6000
    open_ended = _weekly()
    # December 2026 from Tue 1: Tuesdays 1, 8, 15, 22, 29 and Thursdays 3, 10, 17, 24, 31.
    assert commitment_pence(open_ended, 2000, date(2026, 12, 31)) == 10 * 6000


def test_commitment_from_a_later_day_counts_only_what_remains():
    assert commitment_pence(_weekly(), 2000, date(2026, 12, 31),
                            from_day=date(2026, 12, 16)) == 5 * 6000  # 17, 22, 24, 29, 31


def test_a_one_off_costs_its_one_visit_if_it_falls_in_the_period():
    one_off = Schedule(ScheduleKind.ONE_OFF, date(2026, 12, 5), 250)
    assert commitment_pence(one_off, 1000, date(2026, 12, 31)) == 2500
    assert commitment_pence(one_off, 1000, date(2026, 12, 4)) == 0


def test_no_visits_when_the_window_is_empty():
    assert cost_between(_weekly(), 2000, date(2026, 11, 1), date(2026, 11, 30)) == 0


def test_hours_and_quantities_read_plainly():
    assert hours_between(time(9), time(12, 30)) == 3.5
    assert hours_between(time(12), time(9)) == 0
    assert units_text(150) == "1.5"
    assert units_text(200) == "2"
