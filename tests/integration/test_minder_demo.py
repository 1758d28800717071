"""The plans and pool demo data, on top of demo-like budgets: every kind of plan, a
review, and the family pool; deterministic and run once only."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import Council
from marketplace.accounts.roles import AuthorityType, Role, Scope
from marketplace.budgets.enums import BudgetKind
from marketplace.budgets.minder.demo import seed_plans_and_pools
from marketplace.budgets.plans.models import PlanReview, PlanStatus, SupportPlan
from marketplace.budgets.pools import BudgetPool
from tests.budget_helpers import make_budget

TODAY = date(2026, 9, 1)


def test_demo_plans_and_the_family_pool(db_session, make_user):
    council = Council(name="Ashdown Borough Council", short_name="Ashdown", slug="ashdown")
    db_session.add(council)
    db_session.commit()
    officer = make_user(Role.COUNCIL_OFFICER, council_for=council,
                        email="officer@ashdown.example")
    holders = [make_user(Role.BUDGET_HOLDER, council_for=council) for _ in range(6)]
    for holder in holders[:4]:
        make_budget(db_session, holder, council)
    mother, *kids = holders[3:]
    for kid in kids:
        make_budget(db_session, kid, council, kind=BudgetKind.CHILDRENS_BUDGET,
                    name="Children's budget", amount=400_000)
    rep = make_user(name="Sarah Okafor", email="rep@ashdown.example")
    for person in (mother, *kids):
        accounts.create_authority(
            db_session, created_by=officer, representative=rep, holder=person,
            council=council, authority_type=AuthorityType.FAMILY_CARER, scope=Scope.MONEY,
            starts_on=TODAY - timedelta(days=100), ends_on=None, evidence_reference="X")
    db_session.commit()

    seed_plans_and_pools(db_session, TODAY)
    statuses = [p.status for p in db_session.scalars(
        select(SupportPlan).order_by(SupportPlan.holder_id))]
    assert statuses[:5] == [PlanStatus.AGREED, PlanStatus.AGREED, PlanStatus.DRAFT,
                            PlanStatus.SUBMITTED, PlanStatus.CHANGES_REQUESTED]
    assert db_session.scalar(select(func.count(PlanReview.id))) == 1
    pool = db_session.scalar(select(BudgetPool))
    assert pool.name == "The Okafor family"
    assert {m.budget.holder_id for m in pool.members} == {mother.id, *(k.id for k in kids)}
    count = db_session.scalar(select(func.count(SupportPlan.id)))
    seed_plans_and_pools(db_session, TODAY)  # a second run adds nothing
    assert db_session.scalar(select(func.count(SupportPlan.id))) == count
