"""The Budget Minder: a person's money at a glance (what they have, set aside, spent
and left, also a week), by funding stream on request, against their plan, over the
year with a projection, alerts, and statements for any period (page, CSV, PDF).

For the budget holder and anyone acting for them with at least ``Scope.VIEW``:
reading money moves none, and a family carer who may only view must still be able
to see how much is left. Pooled budgets (``/pools``) are in ``pool_views``.
"""

from flask import Blueprint

bp = Blueprint("minder", __name__, url_prefix="/my/money")
pools_bp = Blueprint("pools", __name__, url_prefix="/pools")

from marketplace.budgets.minder import pool_views, views  # noqa: E402,F401 - routes
