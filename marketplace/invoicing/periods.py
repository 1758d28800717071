"""Billing periods: pure functions.

Weekly periods run Monday to Sunday; 4-weekly periods run from Monday 1 January 2024
in blocks of 28 days; monthly periods are calendar months. A period is invoiced once
it has ended (its last day is before the run's ``until``, or on it).
"""

from __future__ import annotations

from datetime import date, timedelta

from marketplace.invoicing.enums import BillingPeriod

FOUR_WEEK_ANCHOR = date(2024, 1, 1)  # a Monday


def period_of(day: date, period: BillingPeriod) -> tuple[date, date]:
    """The first and last day of the billing period that contains ``day``."""
    if period is BillingPeriod.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period is BillingPeriod.FOUR_WEEKLY:
        offset = (day - FOUR_WEEK_ANCHOR).days % 28
        start = day - timedelta(days=offset)
        return start, start + timedelta(days=27)
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def last_closed_day(until: date, period: BillingPeriod) -> date:
    """The last day of the last period that has ended by ``until`` (included)."""
    start, end = period_of(until, period)
    return until if end == until else start - timedelta(days=1)
