"""The Budget Minder's arithmetic, as pure functions (no Flask, no session).

- ``weekly_amount``: what is left, as an amount a week for the rest of the period
  (people think of their budget as a weekly amount);
- ``project_year_end``: where spending will be at the end of the period if it goes
  on at the rate so far;
- ``monthly_series``: spending month by month over the period, with the projection
  for the months to come (the chart and its table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from marketplace.money import round_pence


def weeks_left(today: date, period_end: date) -> Decimal:
    """Weeks from today (counted) to the last day of the period; 0 once it is over."""
    days = (period_end - today).days + 1
    return Decimal(max(days, 0)) / 7


def weekly_amount(left_pence: int, today: date, period_end: date) -> int | None:
    """Left ÷ weeks remaining (at least one week); None when the period is over."""
    weeks = weeks_left(today, period_end)
    if weeks <= 0:
        return None
    return round_pence(Decimal(left_pence) / max(weeks, Decimal(1)))


@dataclass(frozen=True)
class Projection:
    spent_pence: int
    committed_pence: int
    allocation_pence: int
    projected_pence: int  # total spending at the end of the period
    days_elapsed: int
    days_total: int

    @property
    def difference_pence(self) -> int:
        """Positive: projected overspend; negative: projected money left over."""
        return self.projected_pence - self.allocation_pence

    @property
    def share_elapsed(self) -> Decimal:
        return Decimal(self.days_elapsed) / Decimal(self.days_total)


def project_year_end(*, spent_pence: int, committed_pence: int, allocation_pence: int,
                     period_start: date, period_end: date, today: date) -> Projection:
    """Spending so far, carried on at the same daily rate to the end of the period;
    never less than what is already spent or set aside for orders."""
    days_total = (period_end - period_start).days + 1
    elapsed = 0 if today < period_start else (min(today, period_end) - period_start).days + 1
    remaining = days_total - elapsed
    projected = spent_pence
    if elapsed:
        projected += round_pence(Decimal(spent_pence) * remaining / elapsed)
    projected = max(projected, spent_pence + committed_pence)
    return Projection(spent_pence, committed_pence, allocation_pence, projected, elapsed,
                      days_total)


@dataclass(frozen=True)
class Month:
    starts_on: date
    ends_on: date
    spent_pence: int | None  # None for months still to come
    cumulative_pence: int | None
    projected_cumulative_pence: int | None  # for the current and later months

    @property
    def is_future(self) -> bool:
        return self.spent_pence is None


def month_starts(period_start: date, period_end: date) -> list[date]:
    months = []
    day = period_start.replace(day=1)
    while day <= period_end:
        months.append(day)
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def monthly_series(spending: list[tuple[date, int]], *, period_start: date,
                   period_end: date, today: date, projection: Projection) -> list[Month]:
    """Spending by month (``spending``: (date, signed pence) pairs, refunds negative),
    the running total, and from the current month on the projected running total
    (a straight line from today's total to the projected year-end)."""
    spent_to_date = sum(p for d, p in spending if period_start <= d <= min(today, period_end))
    rows = []
    cumulative = 0
    projected_days = max((period_end - today).days, 0)
    for start in month_starts(period_start, period_end):
        end = min((start.replace(day=28) + timedelta(days=4)).replace(day=1)
                  - timedelta(days=1), period_end)
        start = max(start, period_start)
        projected = None
        if end >= today:
            ahead = (end - today).days
            share = Decimal(ahead) / projected_days if projected_days else Decimal(1)
            projected = spent_to_date + round_pence(
                (projection.projected_pence - spent_to_date) * share)
        if start > today:
            rows.append(Month(start, end, None, None, projected))
            continue
        in_month = sum(p for d, p in spending if start <= d <= min(end, today))
        cumulative += in_month
        rows.append(Month(start, end, in_month, cumulative, projected))
    return rows
