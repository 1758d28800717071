"""Ordering: the basket, checkout against a personal budget (or by card), orders with
their lifecycle, the provider's inbox and the council's approvals.

Three blueprints: ``ordering`` (the person, or a representative acting for them;
``/orders``), ``provider_orders`` (provider staff; ``/provider/orders``) and
``council_orders`` (council officers; ``/council/orders``). Rules live in pure
modules (``lifecycle``, ``schedule``, ``rules``); operations in ``basket``,
``checkout``, ``services`` and ``changes`` (changing, pausing, cancelling with notice
and moving an order once placed); ``signals`` gives the commissioners' market-gap
figures; ``funding`` is the one place that asks the budgets,
plans and ledger packages.
"""

from flask import Blueprint

bp = Blueprint("ordering", __name__, url_prefix="/orders")
provider_bp = Blueprint("provider_orders", __name__, url_prefix="/provider/orders")
council_bp = Blueprint("council_orders", __name__, url_prefix="/council/orders")


def init_app(app) -> None:
    """Register the blueprints, the service page's "Add to basket" hook and the CLI."""
    from catalogue.taxonomy import WEEKDAYS
    from marketplace.ordering import (  # noqa: F401 - the modules add routes
        cli,
        views_buyer,
        views_changes,
        views_checkout,
        views_council,
        views_orders,
        views_provider,
    )
    from marketplace.ordering.schedule import units_text

    for blueprint in (bp, provider_bp, council_bp):
        app.register_blueprint(blueprint)
    cli.init_cli(app)
    app.add_template_global(units_text, "units_text")
    app.add_template_global(
        lambda days: ", ".join(str(WEEKDAYS[d]) for d in sorted(days)), "weekday_names")
