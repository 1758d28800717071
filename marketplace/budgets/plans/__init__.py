"""Support plans: the person's outcomes, what they will do and the planned spending,
the risks and how they are managed, council agreement and reviews.

Two blueprints: ``plans`` (the person's own pages, ``/my/plans``, for the budget
holder or someone acting for them) and ``council_plans`` (``/council/plans``, for
council officers of the person's council only).
"""

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/my/plans")
council_bp = Blueprint("council_plans", __name__, url_prefix="/council/plans")

from marketplace.budgets.plans import council_views, views  # noqa: E402,F401 - routes
