"""Support plan rules as pure functions: review dates, what may happen next, the steps.

No Flask, no session: fast unit tests (tests/unit/test_plan_rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from marketplace.budgets.plans.models import PlanStatus

FIRST_REVIEW_EARLIEST = timedelta(weeks=6)
FIRST_REVIEW_LATEST = timedelta(weeks=8)


def first_review_window(agreed_on: date) -> tuple[date, date]:
    """The first review is 6 to 8 weeks after the plan is agreed."""
    return agreed_on + FIRST_REVIEW_EARLIEST, agreed_on + FIRST_REVIEW_LATEST


def default_first_review(agreed_on: date) -> date:
    return agreed_on + FIRST_REVIEW_EARLIEST


def first_review_ok(agreed_on: date, review_on: date) -> bool:
    earliest, latest = first_review_window(agreed_on)
    return earliest <= review_on <= latest


def next_yearly_review(reviewed_on: date) -> date:
    """A year after a review (29 February becomes 28 February)."""
    try:
        return reviewed_on.replace(year=reviewed_on.year + 1)
    except ValueError:
        return reviewed_on.replace(year=reviewed_on.year + 1, day=28)


# What a person (or their representative) may do with the newest version.
EDITABLE = frozenset({PlanStatus.DRAFT})
SUBMITTABLE = frozenset({PlanStatus.DRAFT})
REVISABLE = frozenset({PlanStatus.AGREED, PlanStatus.CHANGES_REQUESTED, PlanStatus.REFUSED})
DECIDABLE = frozenset({PlanStatus.SUBMITTED})


def submission_problems(outcome_count: int, risk_count: int,
                        outcomes_without_actions: int) -> list[str]:
    """Machine keys for what stops a draft from being sent for agreement."""
    problems = []
    if outcome_count == 0:
        problems.append("no_outcomes")
    if outcomes_without_actions:
        problems.append("outcome_without_action")
    if risk_count == 0:
        problems.append("no_risks")
    return problems


class StepState(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    TO_DO = "to_do"
    CANNOT_START = "cannot_start"


@dataclass(frozen=True)
class StepStates:
    my_money: StepState
    making_my_plan: StepState
    getting_agreed: StepState
    organising_money: StepState
    organising_support: StepState


def plan_steps(*, has_budget: bool, outcome_count: int, risk_count: int,
               status: PlanStatus, ever_agreed: bool, money_held_known: bool,
               has_purchases: bool) -> StepStates:
    """The five steps in plain words, each done, in progress, to do or not yet possible."""
    my_money = StepState.DONE if has_budget else StepState.TO_DO
    if status is PlanStatus.DRAFT or status is PlanStatus.CHANGES_REQUESTED:
        making = (StepState.IN_PROGRESS if outcome_count or risk_count
                  else StepState.TO_DO)
    else:
        making = StepState.DONE
    if status is PlanStatus.AGREED or ever_agreed:
        agreed = StepState.DONE
    elif status in (PlanStatus.SUBMITTED, PlanStatus.CHANGES_REQUESTED, PlanStatus.REFUSED):
        agreed = StepState.IN_PROGRESS
    else:
        agreed = StepState.CANNOT_START if making is not StepState.DONE else StepState.TO_DO
    if not ever_agreed:
        money = support = StepState.CANNOT_START
    else:
        money = StepState.DONE if money_held_known else StepState.TO_DO
        support = StepState.IN_PROGRESS if has_purchases else StepState.TO_DO
    return StepStates(my_money, making, agreed, money, support)
