"""Support plan operations. They take the session, change state and flush; never commit.

Rules they keep: only a draft version's content changes; submitting freezes it;
a decision is a new row; a new version is a copy of the newest one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.taxonomy import CATEGORIES, Outcome
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.budgets.plans import rules
from marketplace.budgets.plans.models import (
    Decision,
    PlanDecision,
    PlanOutcome,
    PlanReview,
    PlanReviewResult,
    PlanRisk,
    PlanSpendLine,
    PlanStatus,
    ReviewResult,
    SupportPlan,
    SupportPlanVersion,
)
from marketplace.db import utcnow


class PlanError(Exception):
    """A plan rule was broken; the message is safe to show."""


PROBLEM_MESSAGES = {
    "no_outcomes": _l("Add at least one thing you want to achieve"),
    "outcome_without_action": _l("Say what you will do for every outcome"),
    "no_risks": _l("Add at least one risk and how it will be managed"),
}


def holder_council_id(holder: User) -> int | None:
    ids = holder.council_ids_for(Role.BUDGET_HOLDER)
    return min(ids) if ids else None


def create_plan(session: Session, holder: User, *, title: str, created_by: User,
                budget_id: int | None = None, council_id: int | None = None) -> SupportPlan:
    plan = SupportPlan(holder_id=holder.id, title=title.strip(), budget_id=budget_id,
                       council_id=council_id or holder_council_id(holder),
                       status=PlanStatus.DRAFT)
    plan.versions.append(SupportPlanVersion(number=1, status=PlanStatus.DRAFT,
                                            created_by_id=created_by.id))
    session.add(plan)
    session.flush()
    return plan


def plans_of(session: Session, holder: User) -> list[SupportPlan]:
    return list(session.scalars(select(SupportPlan).where(SupportPlan.holder_id == holder.id)
                                .order_by(SupportPlan.created_at.desc(),
                                          SupportPlan.id.desc())))


def draft_of(plan: SupportPlan) -> SupportPlanVersion:
    """The newest version, if it may still be changed; PlanError otherwise."""
    version = plan.latest
    if version.status not in rules.EDITABLE:
        raise PlanError(_l("This version of the plan can no longer be changed. Start a "
                           "new version to change it."))
    return version


def add_outcome(session: Session, plan: SupportPlan, *, domain: Outcome, what_i_want: str,
                what_i_will_do: str, spend: Iterable[tuple[str, int]]) -> PlanOutcome:
    version = draft_of(plan)
    lines = []
    for category, amount in spend:
        if category not in CATEGORIES:
            raise PlanError(_l("Choose a kind of support from the list"))
        if amount <= 0:
            raise PlanError(_l("Planned spending must be more than £0"))
        lines.append(PlanSpendLine(category=category, amount_pence=amount))
    outcome = PlanOutcome(domain=domain, what_i_want=what_i_want.strip(),
                          what_i_will_do=what_i_will_do.strip(), spend_lines=lines)
    version.outcomes.append(outcome)
    session.flush()
    return outcome


def remove_outcome(session: Session, plan: SupportPlan, outcome_id: int) -> None:
    version = draft_of(plan)
    outcome = next((o for o in version.outcomes if o.id == outcome_id), None)
    if outcome is None:
        raise PlanError(_l("That outcome is not in this draft"))
    version.outcomes.remove(outcome)
    session.flush()


def add_risk(session: Session, plan: SupportPlan, *, risk: str, how_managed: str) -> PlanRisk:
    version = draft_of(plan)
    row = PlanRisk(risk=risk.strip(), how_managed=how_managed.strip())
    version.risks.append(row)
    session.flush()
    return row


def remove_risk(session: Session, plan: SupportPlan, risk_id: int) -> None:
    version = draft_of(plan)
    row = next((r for r in version.risks if r.id == risk_id), None)
    if row is None:
        raise PlanError(_l("That risk is not in this draft"))
    version.risks.remove(row)
    session.flush()


def problems(version: SupportPlanVersion) -> list:
    keys = rules.submission_problems(
        len(version.outcomes), len(version.risks),
        sum(1 for o in version.outcomes if not o.what_i_will_do.strip()))
    return [PROBLEM_MESSAGES[k] for k in keys]


def submit(session: Session, plan: SupportPlan, by: User) -> SupportPlanVersion:
    version = plan.latest
    if version.status not in rules.SUBMITTABLE:
        raise PlanError(_l("This plan has already been sent to the council"))
    found = problems(version)
    if found:
        raise PlanError(found[0])
    version.status = PlanStatus.SUBMITTED
    version.submitted_at = utcnow()
    version.submitted_by_id = by.id
    plan.status = PlanStatus.SUBMITTED
    session.flush()
    return version


def start_new_version(session: Session, plan: SupportPlan, by: User) -> SupportPlanVersion:
    """A new draft copied from the newest version (agreed, refused or sent back)."""
    source = plan.latest
    if source.status not in rules.REVISABLE:
        raise PlanError(_l("There is already a version of this plan that is a draft or "
                           "waiting to be agreed"))
    draft = SupportPlanVersion(number=source.number + 1, status=PlanStatus.DRAFT,
                               created_by_id=by.id)
    for outcome in source.outcomes:
        draft.outcomes.append(PlanOutcome(
            domain=outcome.domain, what_i_want=outcome.what_i_want,
            what_i_will_do=outcome.what_i_will_do,
            spend_lines=[PlanSpendLine(category=line.category, amount_pence=line.amount_pence)
                         for line in outcome.spend_lines]))
    for risk in source.risks:
        draft.risks.append(PlanRisk(risk=risk.risk, how_managed=risk.how_managed))
    plan.versions.append(draft)
    plan.status = PlanStatus.DRAFT
    session.flush()
    return draft


def decide(session: Session, plan: SupportPlan, officer: User, *, decision: Decision,
           reason: str, today: date, first_review_on: date | None = None) -> PlanDecision:
    version = plan.latest
    if version.status not in rules.DECIDABLE:
        raise PlanError(_l("This plan is not waiting to be agreed"))
    reason = (reason or "").strip()
    if decision is not Decision.AGREED and not reason:
        raise PlanError(_l("Give the reason, so the person knows what to do next"))
    if decision is Decision.AGREED:
        first_review_on = first_review_on or rules.default_first_review(today)
        if not rules.first_review_ok(today, first_review_on):
            raise PlanError(_l("The first review must be 6 to 8 weeks after the plan is "
                               "agreed"))
    else:
        first_review_on = None
    row = PlanDecision(decision=decision, reason=reason, decided_by_id=officer.id,
                       decided_on=today, first_review_on=first_review_on)
    version.decisions.append(row)
    version.status = PlanStatus(decision.value)
    plan.status = version.status
    if decision is Decision.AGREED:
        plan.agreed_on = today
        plan.next_review_on = first_review_on
    session.flush()
    return row


def record_review(session: Session, plan: SupportPlan, officer: User, *, reviewed_on: date,
                  results: dict[Outcome, ReviewResult], notes: str,
                  today: date) -> PlanReview:
    version = plan.agreed_version
    if version is None:
        raise PlanError(_l("Only an agreed plan can be reviewed"))
    if reviewed_on > today:
        raise PlanError(_l("The review date must be today or in the past"))
    if plan.agreed_on and reviewed_on < plan.agreed_on:
        raise PlanError(_l("The review date must be on or after the day the plan was agreed"))
    domains = {o.domain for o in version.outcomes}
    if set(results) != domains:
        raise PlanError(_l("Say for every outcome whether things got better, stayed the "
                           "same or got worse"))
    review = PlanReview(plan=plan, version_id=version.id, reviewed_on=reviewed_on,
                        reviewed_by_id=officer.id, notes=(notes or "").strip(),
                        next_review_on=rules.next_yearly_review(reviewed_on),
                        results=[PlanReviewResult(domain=d, result=r)
                                 for d, r in sorted(results.items())])
    session.add(review)
    plan.next_review_on = review.next_review_on
    session.flush()
    return review


def planned_by_category(version: SupportPlanVersion | None) -> dict[str, int]:
    totals: dict[str, int] = {}
    if version is None:
        return totals
    for outcome in version.outcomes:
        for line in outcome.spend_lines:
            totals[line.category] = totals.get(line.category, 0) + line.amount_pence
    return totals
