"""Scheduled occurrences and the rules for recording a visit or a missed one."""

from __future__ import annotations

from datetime import date, time

from marketplace.ordering.deliveries.rules import (
    Problem,
    check_missed,
    check_visit,
    due,
    occurrences,
    units_delivered,
    week_of,
)
from marketplace.ordering.schedule import Schedule, ScheduleKind

TUE, THU = 1, 3
# Tuesdays and Thursdays, 09:00 to 12:00 (3 hours), from Tuesday 3 March to Thursday
# 26 March 2026.
WEEKLY = Schedule(ScheduleKind.RECURRING, date(2026, 3, 3), 300, ends_on=date(2026, 3, 26),
                  weekdays=frozenset({TUE, THU}), start_time=time(9), end_time=time(12))
ONCE = Schedule(ScheduleKind.ONE_OFF, date(2026, 3, 10), 100, start_time=time(10),
                end_time=time(16))
OPEN_ENDED = Schedule(ScheduleKind.RECURRING, date(2026, 3, 2), 100,
                      weekdays=frozenset({0}), start_time=time(8), end_time=time(9))


def visit(schedule=WEEKLY, on=date(2026, 3, 5), start=time(9), end=time(12),
          today=date(2026, 3, 20), recorded=frozenset(), now=None, hourly=True):
    return check_visit(schedule, on=on, starts_at=start, ends_at=end, today=today,
                       recorded=set(recorded), now=now, hourly=hourly)


def test_occurrences_are_the_scheduled_days_with_their_times():
    found = occurrences(7, WEEKLY, date(2026, 3, 1), date(2026, 3, 12))
    assert [o.on for o in found] == [date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 10),
                                     date(2026, 3, 12)]
    assert all(o.line_id == 7 and o.starts_at == time(9) and o.ends_at == time(12)
               for o in found)


def test_occurrences_stop_at_the_end_of_the_order_and_start_at_its_start():
    assert occurrences(1, WEEKLY, date(2026, 2, 1), date(2026, 3, 3))[0].on == date(2026, 3, 3)
    assert occurrences(1, WEEKLY, date(2026, 3, 25), date(2026, 4, 30))[-1].on == date(2026, 3, 26)


def test_a_one_off_order_has_one_occurrence_and_an_open_ended_one_goes_on():
    assert [o.on for o in occurrences(1, ONCE, date(2026, 1, 1), date(2026, 12, 31))] == [
        date(2026, 3, 10)]
    assert len(occurrences(1, OPEN_ENDED, date(2026, 3, 1), date(2027, 3, 1))) == 53


def test_visits_due_are_past_scheduled_ones_without_a_record_newest_first():
    found = due(1, WEEKLY, date(2026, 3, 11), {date(2026, 3, 5)})
    assert [o.on for o in found] == [date(2026, 3, 10), date(2026, 3, 3)]


def test_the_week_starts_on_monday():
    assert week_of(date(2026, 3, 8)) == date(2026, 3, 2)
    assert week_of(date(2026, 3, 2)) == date(2026, 3, 2)


def test_a_visit_on_a_scheduled_day_within_the_order_may_be_recorded():
    assert visit() == []


def test_a_visit_cannot_be_recorded_in_the_future():
    assert Problem.DATE_IN_FUTURE in visit(on=date(2026, 3, 24), today=date(2026, 3, 20))


def test_a_visit_today_cannot_end_later_than_now():
    assert visit(on=date(2026, 3, 19), today=date(2026, 3, 19), now=time(11)) == [
        Problem.END_IN_FUTURE]
    assert visit(on=date(2026, 3, 19), today=date(2026, 3, 19), now=time(12, 30)) == []


def test_a_visit_cannot_be_before_the_order_starts_or_after_it_ends():
    assert visit(on=date(2026, 3, 2)) == [Problem.BEFORE_START]
    assert visit(on=date(2026, 3, 27), today=date(2026, 4, 1)) == [Problem.AFTER_END]
    assert visit(schedule=ONCE, on=date(2026, 3, 11), start=time(10), end=time(11)) == [
        Problem.AFTER_END]


def test_the_end_must_be_after_the_start():
    assert visit(start=time(12), end=time(12)) == [Problem.END_NOT_AFTER_START]
    assert visit(start=time(12), end=time(9)) == [Problem.END_NOT_AFTER_START]


def test_times_are_needed():
    assert visit(start=None) == [Problem.TIMES_NEEDED]


def test_an_hourly_visit_cannot_be_longer_than_the_hours_ordered():
    assert visit(start=time(9), end=time(12, 1)) == [Problem.LONGER_THAN_ORDERED]
    assert visit(start=time(9), end=time(12, 1), hourly=False) == []
    assert visit(start=time(9, 30), end=time(11)) == []


def test_the_same_occurrence_cannot_be_recorded_twice():
    assert visit(recorded={date(2026, 3, 5)}) == [Problem.ALREADY_RECORDED]


def test_a_visit_on_an_unscheduled_day_within_the_order_may_be_recorded():
    # A visit moved to a Wednesday is still a visit delivered.
    assert visit(on=date(2026, 3, 4)) == []


def test_only_a_scheduled_visit_can_be_marked_as_missed():
    kwargs = {"today": date(2026, 3, 20), "recorded": set()}
    assert check_missed(WEEKLY, on=date(2026, 3, 5), **kwargs) == []
    assert check_missed(WEEKLY, on=date(2026, 3, 4), **kwargs) == [Problem.NOT_SCHEDULED]
    assert check_missed(WEEKLY, on=date(2026, 3, 24), **kwargs) == [Problem.DATE_IN_FUTURE]
    assert check_missed(WEEKLY, on=date(2026, 3, 5), today=date(2026, 3, 20),
                        recorded={date(2026, 3, 5)}) == [Problem.ALREADY_RECORDED]


def test_units_delivered_are_the_hours_for_hourly_services_and_the_order_otherwise():
    assert units_delivered(time(9), time(10, 30), hourly=True, ordered_hundredths=300) == 150
    assert units_delivered(time(9), time(9, 20), hourly=True, ordered_hundredths=300) == 33
    assert units_delivered(time(9), time(10), hourly=False, ordered_hundredths=100) == 100
