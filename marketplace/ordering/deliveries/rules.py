"""Delivery records as pure rules: which visits were scheduled, and whether a visit
the provider records (or marks as missed) may be recorded. No Flask, no session.

Scheduled occurrences come from the order line's own schedule
(``ordering.schedule.Schedule.visits_between``): one per scheduled day of a line, so
an occurrence is identified by (order line, date), which the database also keeps
unique.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum

from marketplace.ordering.schedule import Schedule

# How far back the provider's "visits to record" list looks.
LOOKBACK_DAYS = 28


@dataclass(frozen=True)
class Occurrence:
    """One scheduled visit of an order line."""

    line_id: int
    on: date
    starts_at: time | None
    ends_at: time | None


def occurrences(line_id: int, schedule: Schedule, first: date, last: date) -> list[Occurrence]:
    """The scheduled visits of one line from ``first`` to ``last`` (both included)."""
    return [Occurrence(line_id, day, schedule.start_time, schedule.end_time)
            for day in schedule.visits_between(first, last)]


def due(line_id: int, schedule: Schedule, today: date, recorded: set[date],
        lookback_days: int = LOOKBACK_DAYS) -> list[Occurrence]:
    """Scheduled visits up to today that have no record yet (newest first)."""
    found = occurrences(line_id, schedule, today - timedelta(days=lookback_days), today)
    return sorted((o for o in found if o.on not in recorded), key=lambda o: o.on, reverse=True)


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


class Problem(StrEnum):
    DATE_IN_FUTURE = "date_in_future"
    END_IN_FUTURE = "end_in_future"
    BEFORE_START = "before_start"
    AFTER_END = "after_end"
    TIMES_NEEDED = "times_needed"
    END_NOT_AFTER_START = "end_not_after_start"
    LONGER_THAN_ORDERED = "longer_than_ordered"
    ALREADY_RECORDED = "already_recorded"
    NOT_SCHEDULED = "not_scheduled"


def minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def check_dates(schedule: Schedule, on: date, today: date, recorded: set[date]) -> list[Problem]:
    problems = []
    if on > today:
        problems.append(Problem.DATE_IN_FUTURE)
    if on < schedule.starts_on:
        problems.append(Problem.BEFORE_START)
    elif schedule.last_day is not None and on > schedule.last_day:
        problems.append(Problem.AFTER_END)
    if on in recorded:
        problems.append(Problem.ALREADY_RECORDED)
    return problems


def check_visit(schedule: Schedule, *, on: date, starts_at: time | None, ends_at: time | None,
                today: date, recorded: set[date], now: time | None = None,
                hourly: bool = True) -> list[Problem]:
    """What is wrong with recording a delivered visit (empty: it may be recorded).

    ``recorded``: the dates this line already has a record for. ``now``: the time of
    day, when ``today`` is really today (a visit today cannot end later than now).
    ``hourly``: the line is priced by the hour, so a visit may not be longer than the
    hours ordered for each visit (a longer one needs the order changed first).
    """
    problems = check_dates(schedule, on, today, recorded)
    if starts_at is None or ends_at is None:
        problems.append(Problem.TIMES_NEEDED)
        return problems
    minutes = minutes_between(starts_at, ends_at)
    if minutes <= 0:
        problems.append(Problem.END_NOT_AFTER_START)
    elif hourly and minutes * 100 > schedule.quantity_hundredths * 60:
        problems.append(Problem.LONGER_THAN_ORDERED)
    if on == today and now is not None and ends_at > now and Problem.DATE_IN_FUTURE not in problems:
        problems.append(Problem.END_IN_FUTURE)
    return problems


def check_missed(schedule: Schedule, *, on: date, today: date,
                 recorded: set[date]) -> list[Problem]:
    """What is wrong with marking the visit on ``on`` as missed."""
    problems = check_dates(schedule, on, today, recorded)
    if not problems and on not in schedule.visits_between(on, on):
        problems.append(Problem.NOT_SCHEDULED)
    return problems


def units_delivered(starts_at: time, ends_at: time, *, hourly: bool,
                    ordered_hundredths: int) -> int:
    """Hundredths of a unit delivered: the hours between the times for hourly
    services (rounded down to a hundredth), the ordered quantity otherwise."""
    if not hourly:
        return ordered_hundredths
    return minutes_between(starts_at, ends_at) * 100 // 60
