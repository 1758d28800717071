"""Which plans and budgets a viewer may reach.

The person's pages: the plan must be the person's own (``g.person``): 404 if there
is no such plan, 403 if it is someone else's. Council pages: the plan's council
must be one the officer works for (administrators see every council).
"""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select

from marketplace.accounts.roles import Role
from marketplace.budgets.models import Budget
from marketplace.budgets.plans.models import SupportPlan
from marketplace.db import db


def own_plan(plan_id: int) -> SupportPlan:
    plan = db.session.get(SupportPlan, plan_id)
    if plan is None:
        abort(404)
    if plan.holder_id != g.person.id:
        abort(403)
    return plan


def officer_councils() -> set[int] | None:
    """Council ids the current officer works for; None means every council (admin)."""
    if current_user.has_role(Role.ADMINISTRATOR):
        return None
    return current_user.council_ids_for(Role.COUNCIL_OFFICER)


def council_plan(plan_id: int) -> SupportPlan:
    plan = db.session.get(SupportPlan, plan_id)
    if plan is None:
        abort(404)
    councils = officer_councils()
    if councils is not None and plan.council_id not in councils:
        abort(403)
    return plan


def budgets_of(holder_id: int) -> list[Budget]:
    return list(db.session.scalars(
        select(Budget).where(Budget.holder_id == holder_id)
        .order_by(Budget.period_starts_on.desc(), Budget.id)))
