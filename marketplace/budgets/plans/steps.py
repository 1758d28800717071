"""The plan's five steps in plain words, as items for a GOV.UK task list."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.budgets.models import Budget
from marketplace.budgets.plans.models import SupportPlan
from marketplace.budgets.plans.rules import StepState, plan_steps
from marketplace.db import db
from marketplace.ledger.models import LedgerTransfer, TransferKind

STATE_TAGS = {
    StepState.DONE: (_l("Completed"), None),
    StepState.IN_PROGRESS: (_l("In progress"), "govuk-tag--light-blue"),
    StepState.TO_DO: (_l("Not yet started"), "govuk-tag--blue"),
    StepState.CANNOT_START: (_l("Cannot start yet"), "govuk-tag--grey"),
}


def _status(state: StepState) -> dict:
    text, classes = STATE_TAGS[state]
    if classes is None:
        return {"text": text}
    return {"tag": {"text": text, "classes": classes}}


def steps_for(plan: SupportPlan) -> list[dict]:
    budget = db.session.get(Budget, plan.budget_id) if plan.budget_id else None
    has_purchases = bool(budget) and bool(db.session.scalar(
        select(func.count(LedgerTransfer.id)).where(
            LedgerTransfer.budget_id == budget.id,
            LedgerTransfer.kind.in_([TransferKind.COMMITMENT, TransferKind.SETTLEMENT]))))
    version = plan.latest
    states = plan_steps(
        has_budget=budget is not None, outcome_count=len(version.outcomes),
        risk_count=len(version.risks), status=plan.status,
        ever_agreed=plan.agreed_version is not None,
        money_held_known=bool(budget and budget.holdings), has_purchases=has_purchases)
    money_href = url_for("minder.budget", budget_id=budget.id) if budget else None
    return [
        {"title": {"text": _l("My money")}, "href": money_href,
         "hint": {"text": _l("Find out how much there is to spend")},
         "status": _status(states.my_money)},
        {"title": {"text": _l("Making my plan")}, "href": "#plan-content",
         "hint": {"text": _l("What I want to achieve, how I will use the money, and the "
                             "risks")},
         "status": _status(states.making_my_plan)},
        {"title": {"text": _l("Getting my plan agreed")}, "href": "#plan-history",
         "hint": {"text": _l("The council checks the plan is safe and agrees it")},
         "status": _status(states.getting_agreed)},
        {"title": {"text": _l("Organising my money")},
         "href": money_href if states.organising_money is not StepState.CANNOT_START
         else None,
         "hint": {"text": _l("How the money is held and paid")},
         "status": _status(states.organising_money)},
        {"title": {"text": _l("Organising my support")},
         "href": url_for("search.results")
         if states.organising_support is not StepState.CANNOT_START else None,
         "hint": {"text": _l("Find and buy the support in the plan")},
         "status": _status(states.organising_support)},
    ]
