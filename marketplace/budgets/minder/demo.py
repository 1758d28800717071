"""Demo support plans and the family pool, on top of the demo budgets.

Runs after the budgets and ledger demo data. Deterministic (a seeded random), and
does nothing if there are no demo budgets yet or plans already exist. Plans for
several holders: agreed (one with a review already recorded), draft, waiting to be
agreed, and sent back with changes asked for. The pool: the budgets of the family
that the demo representative (rep@ashdown.example) acts for, seen together.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from catalogue.taxonomy import Outcome
from marketplace.accounts import services as accounts
from marketplace.budgets.enums import BudgetKind
from marketplace.budgets.models import Budget
from marketplace.budgets.plans import services as plans
from marketplace.budgets.plans.models import Decision, ReviewResult, SupportPlan
from marketplace.budgets.pools import create_pool

COUNCIL_SLUG = "ashdown"

IDEAS = [
    (Outcome.DAILY_LIVING, "personal-care", "Get up, washed and dressed without rushing",
     "Morning calls from a home care agency on weekdays, my daughter at weekends"),
    (Outcome.PART_OF_COMMUNITY, "leisure-and-social", "Get back to my art group",
     "A personal assistant takes me on Thursdays; I pay the class fee"),
    (Outcome.HEALTH_AND_WELLBEING, "sitting-and-befriending", "Feel less lonely",
     "A befriender visits twice a week"),
    (Outcome.STAYING_SAFE, "equipment-and-technology", "Get help quickly if I fall",
     "A pendant alarm and a key safe"),
    (Outcome.RELATIONSHIPS, "short-breaks", "Give my husband a proper break",
     "A sitter one afternoon a week and two short breaks a year"),
    (Outcome.WORK_AND_LEARNING, "learning-and-employment", "Start a college course",
     "A PA for study days, and travel training"),
    (Outcome.CHOICE_AND_CONTROL, "budget-management", "Have someone pay my PA's wages",
     "A payroll service from a managed account provider"),
]
RISKS = [
    ("My PA is ill or on holiday", "A back-up agency is agreed, and my son can cover a day"),
    ("I fall when nobody is here", "Pendant alarm; calls check I am up by 9"),
    ("The money runs out before March", "I check the Budget Minder each month with my broker"),
]
# (status, with a review) for the demo holders that have budgets, in order.
PATTERN = ["agreed_reviewed", "agreed", "draft", "submitted", "changes", "agreed",
           "submitted", "draft", "agreed"]


def seed_plans_and_pools(session, today: date) -> None:
    from marketplace.accounts.models import Council

    council = session.scalar(select(Council).where(Council.slug == COUNCIL_SLUG))
    if council is None or session.scalar(select(func.count(SupportPlan.id))):
        return
    budgets = session.scalars(select(Budget).where(Budget.council_id == council.id)
                              .order_by(Budget.holder_id, Budget.id)).all()
    if not budgets:
        return
    rng = random.Random(20260501)  # noqa: S311 - deterministic demo data
    officer = accounts.find_user_by_email(session, "officer@ashdown.example")
    first_per_holder: dict[int, Budget] = {}
    for budget in budgets:
        first_per_holder.setdefault(budget.holder_id, budget)
    for budget, kind in zip(first_per_holder.values(), PATTERN, strict=False):
        _plan(session, budget, kind, officer, today, rng)
    _family_pool(session, council, today, officer)
    session.flush()


def _plan(session, budget: Budget, kind: str, officer, today: date, rng) -> None:
    holder = budget.holder
    plan = plans.create_plan(session, holder, title=f"My support plan {budget.name}",
                             created_by=holder, budget_id=budget.id,
                             council_id=budget.council_id)
    ideas = rng.sample(IDEAS, 3)
    shares = (55, 30, 15)
    for (domain, category, want, do), share in zip(ideas, shares, strict=True):
        amount = budget.allocation_pence * share // 100 // 100 * 100
        plans.add_outcome(session, plan, domain=domain, what_i_want=want,
                          what_i_will_do=do, spend=[(category, amount)] if amount else [])
    for risk, managed in rng.sample(RISKS, 2):
        plans.add_risk(session, plan, risk=risk, how_managed=managed)
    if kind == "draft":
        return
    plans.submit(session, plan, holder)
    if kind == "submitted":
        return
    if kind == "changes":
        plans.decide(session, plan, officer, decision=Decision.CHANGES_REQUESTED,
                     reason="Please say who will cover if your PA is away for more than "
                            "a week.", today=today - timedelta(days=5))
        return
    agreed_on = today - timedelta(days=70 if kind == "agreed_reviewed" else 30)
    plans.decide(session, plan, officer, decision=Decision.AGREED, reason="",
                 today=agreed_on, first_review_on=agreed_on + timedelta(weeks=6))
    if kind == "agreed_reviewed":
        results = {o.domain: rng.choice([ReviewResult.BETTER, ReviewResult.BETTER,
                                         ReviewResult.SAME, ReviewResult.WORSE])
                   for o in plan.latest.outcomes}
        plans.record_review(session, plan, officer, reviewed_on=agreed_on + timedelta(weeks=7),
                            results=results, notes="Going well; the art group has helped.",
                            today=today)


def _family_pool(session, council, today: date, officer) -> None:
    rep = accounts.find_user_by_email(session, "rep@ashdown.example")
    if rep is None:
        return
    holder_ids = {a.holder_id for a in accounts.current_authorities_of(session, rep, today)}
    family = session.scalars(select(Budget).where(Budget.holder_id.in_(holder_ids),
                                                  Budget.council_id == council.id)
                             .order_by(Budget.id)).all()
    children = [b for b in family if b.kind is BudgetKind.CHILDRENS_BUDGET]
    if not children:
        return
    parents = {c.holder_id for c in children}
    members = children + [b for b in family if b.kind is not BudgetKind.CHILDRENS_BUDGET
                          and b.holder_id not in parents][:1]
    if len(members) >= 2:
        surname = rep.full_name.split()[-1]
        create_pool(session, council_id=council.id, name=f"The {surname} family",
                    budgets=members, created_by=officer)
