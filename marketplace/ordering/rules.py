"""Pure checkout rules: which orders need a council officer's approval, and the limits
on what a basket line may ask for. No Flask, no session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from catalogue.models import Unit

# Quantities are hundredths of a unit (see ordering.schedule).
MAX_HOURS_PER_VISIT = 24
MAX_UNITS_PER_VISIT = 50
# How far ahead an order may start or a recurring order may be planned.
MAX_DAYS_AHEAD = 366
MAX_ORDER_DAYS = 3 * 366


class ApprovalReason(StrEnum):
    OUTSIDE_PLAN = "outside_plan"
    OVER_THRESHOLD = "over_threshold"
    RESTRICTED_CATEGORY = "restricted_category"

    @property
    def label(self):
        return APPROVAL_REASON_LABELS[self]


APPROVAL_REASON_LABELS = {
    ApprovalReason.OUTSIDE_PLAN: _l("It is not part of the agreed support plan"),
    ApprovalReason.OVER_THRESHOLD: _l("It costs more than the council approves without a check"),
    ApprovalReason.RESTRICTED_CATEGORY: _l("The council checks every purchase of this kind"),
}


def approval_reasons(*, budget_pence: int, threshold_pence: int | None,
                     categories: Iterable[str], restricted: Iterable[str],
                     outside_plan: bool) -> list[ApprovalReason]:
    """Why an order paid (partly) from a budget must wait for a council officer.
    Nothing stops it: these purchases are allowed once someone has looked."""
    reasons = []
    if outside_plan:
        reasons.append(ApprovalReason.OUTSIDE_PLAN)
    if threshold_pence is not None and budget_pence > threshold_pence:
        reasons.append(ApprovalReason.OVER_THRESHOLD)
    if set(categories) & set(restricted):
        reasons.append(ApprovalReason.RESTRICTED_CATEGORY)
    return reasons


class LineProblem(StrEnum):
    QUANTITY_ZERO = "quantity_zero"
    QUANTITY_TOO_LARGE = "quantity_too_large"
    START_IN_PAST = "start_in_past"
    START_TOO_FAR = "start_too_far"
    END_BEFORE_START = "end_before_start"
    TOO_LONG = "too_long"
    NO_DAYS = "no_days"
    TIMES_NEEDED = "times_needed"
    TIMES_IN_ORDER = "times_in_order"
    HOURS_OVER_TIMES = "hours_over_times"
    BELOW_MINIMUM = "below_minimum"


def max_units_per_visit(unit: Unit) -> int:
    return MAX_HOURS_PER_VISIT if Unit(unit) is Unit.HOUR else MAX_UNITS_PER_VISIT


def line_problems(*, unit: Unit, recurring: bool, quantity_hundredths: int | None,
                  starts_on: date | None, ends_on: date | None, weekdays: Iterable[int],
                  start_time: time | None, end_time: time | None, today: date,
                  min_booking_units: int = 1) -> dict[str, LineProblem]:
    """Field name -> the first problem with it. Empty when the line can be ordered."""
    problems: dict[str, LineProblem] = {}
    if quantity_hundredths is not None:
        if quantity_hundredths <= 0:
            problems["quantity"] = LineProblem.QUANTITY_ZERO
        elif quantity_hundredths > max_units_per_visit(unit) * 100:
            problems["quantity"] = LineProblem.QUANTITY_TOO_LARGE
        else:
            visits_a_week = len(set(weekdays)) if recurring else 1
            if quantity_hundredths * max(1, visits_a_week) < min_booking_units * 100:
                problems["quantity"] = LineProblem.BELOW_MINIMUM
    if starts_on is not None:
        if starts_on < today:
            problems["starts_on"] = LineProblem.START_IN_PAST
        elif (starts_on - today).days > MAX_DAYS_AHEAD:
            problems["starts_on"] = LineProblem.START_TOO_FAR
    if recurring:
        if not set(weekdays):
            problems["weekdays"] = LineProblem.NO_DAYS
        if starts_on is not None and ends_on is not None:
            if ends_on < starts_on:
                problems["ends_on"] = LineProblem.END_BEFORE_START
            elif (ends_on - starts_on).days > MAX_ORDER_DAYS:
                problems["ends_on"] = LineProblem.TOO_LONG
        if start_time is None or end_time is None:
            problems.setdefault("start_time", LineProblem.TIMES_NEEDED)
    if start_time is not None and end_time is not None:
        if end_time <= start_time:
            problems["end_time"] = LineProblem.TIMES_IN_ORDER
        elif (Unit(unit) is Unit.HOUR and quantity_hundredths
              and "quantity" not in problems):
            span = (end_time.hour * 60 + end_time.minute) - (
                start_time.hour * 60 + start_time.minute)
            if quantity_hundredths * 60 > span * 100:
                problems["quantity"] = LineProblem.HOURS_OVER_TIMES
    return problems
