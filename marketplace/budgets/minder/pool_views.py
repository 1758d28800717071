"""Pooled budgets: a family's or household's budgets side by side (see budgets.pools)."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from marketplace.accounts.roles import Role
from marketplace.budgets.minder import pools_bp
from marketplace.budgets.pools import BudgetPool, pool_view, pools_for
from marketplace.db import db
from marketplace.security import roles, today

POOL_ROLES = (Role.BUDGET_HOLDER, Role.REPRESENTATIVE, Role.COUNCIL_OFFICER,
              Role.ADMINISTRATOR)


@pools_bp.get("/")
@roles(*POOL_ROLES)
def index():
    return render_template("minder/pools.html",
                           pools=pools_for(db.session, current_user, today()))


@pools_bp.get("/<int:pool_id>")
@roles(*POOL_ROLES)
def show(pool_id: int):
    pool = db.session.get(BudgetPool, pool_id)
    if pool is None:
        abort(404)
    view = pool_view(db.session, pool, current_user, today())
    if not view.rows:
        abort(403)
    return render_template("minder/pool.html", view=view, pool=pool)
