"""When support happens and what it costs: pure functions on a schedule.

A schedule is one-off (a single date) or recurring (some days of the week, from a
start date to an end date or open-ended). Costs count the actual dated visits, so a
period that ends on a Tuesday does not pay for that week's Thursday.

Quantities are whole hundredths of a unit (150 = 1.5 hours), so a price times a
quantity is exact before the one rounding rule (``money.round_pence``) per visit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from marketplace.money import round_pence


class ScheduleKind(StrEnum):
    ONE_OFF = "one_off"
    RECURRING = "recurring"


@dataclass(frozen=True)
class Schedule:
    kind: ScheduleKind
    starts_on: date
    quantity_hundredths: int  # units per visit (hours per visit for hourly services)
    ends_on: date | None = None  # recurring only; None = open-ended
    weekdays: frozenset[int] = frozenset()  # recurring only; 0 = Monday
    start_time: time | None = None
    end_time: time | None = None

    @property
    def recurring(self) -> bool:
        return self.kind is ScheduleKind.RECURRING

    @property
    def last_day(self) -> date | None:
        return self.starts_on if not self.recurring else self.ends_on

    def visits_between(self, first: date, last: date) -> list[date]:
        """The dated visits from ``first`` to ``last``, both included."""
        first = max(first, self.starts_on)
        if self.last_day is not None:
            last = min(last, self.last_day)
        if last < first:
            return []
        if not self.recurring:
            return [self.starts_on]
        days = []
        day = first
        while day <= last:
            if day.weekday() in self.weekdays:
                days.append(day)
            day += timedelta(days=1)
        return days


def visit_cost_pence(unit_price_pence: int, quantity_hundredths: int) -> int:
    return round_pence(Decimal(unit_price_pence) * quantity_hundredths / 100)


def weekly_cost_pence(schedule: Schedule, unit_price_pence: int) -> int | None:
    """The cost of a full week of a recurring schedule (None for a one-off)."""
    if not schedule.recurring:
        return None
    return visit_cost_pence(unit_price_pence, schedule.quantity_hundredths) * len(
        schedule.weekdays)


def cost_between(schedule: Schedule, unit_price_pence: int, first: date, last: date) -> int:
    """What the visits from ``first`` to ``last`` (included) cost."""
    visits = schedule.visits_between(first, last)
    return visit_cost_pence(unit_price_pence, schedule.quantity_hundredths) * len(visits)


def commitment_pence(schedule: Schedule, unit_price_pence: int, period_ends_on: date,
                     *, from_day: date | None = None) -> int:
    """The money to hold for a schedule on a budget: the cost of its visits from
    ``from_day`` (default: its start) to the end of the budget period or of the
    schedule, whichever comes first."""
    return cost_between(schedule, unit_price_pence, from_day or schedule.starts_on,
                        period_ends_on)


Period = tuple[date, date | None]  # first and last day, both included (None: open-ended)


def in_any(day: date, periods: Iterable[Period]) -> bool:
    return any(first <= day and (last is None or day <= last) for first, last in periods)


def cost_of_lines(lines: Iterable[tuple[Schedule, int]], first: date, last: date, *,
                  excluded: Iterable[Period] = ()) -> int:
    """What the visits of several (schedule, unit price) lines cost from ``first`` to
    ``last`` (both included), leaving out the days of ``excluded`` periods (pauses).
    The one cost rule for an order as it has been changed (``ordering.changes``)."""
    excluded = list(excluded)
    total = 0
    for schedule, unit_price_pence in lines:
        visits = [day for day in schedule.visits_between(first, last)
                  if not in_any(day, excluded)]
        total += visit_cost_pence(unit_price_pence, schedule.quantity_hundredths) * len(visits)
    return total


def hours_between(start: time, end: time) -> Decimal:
    """Hours from ``start`` to ``end`` on one day (0 if end is not after start)."""
    today = date(2000, 1, 1)
    seconds = (datetime.combine(today, end) - datetime.combine(today, start)).total_seconds()
    return max(Decimal(0), Decimal(int(seconds)) / 3600)


def units_text(quantity_hundredths: int) -> str:
    """1.5, 2, 0.25: a quantity without trailing zeros."""
    value = Decimal(quantity_hundredths) / 100
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text
