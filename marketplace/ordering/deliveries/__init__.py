"""Delivery records (issue 6, point 6) and the provider's weekly schedule (point 8).

Three blueprints, beside the ordering package's own: ``provider_deliveries``
(provider staff: record visits, mark missed ones, the dispute queue, the week's
schedule; ``/provider/orders/...``), ``deliveries`` (the person or a representative:
see, confirm or dispute visits; ``/orders/...``) and ``council_deliveries`` (council
officers of the budget's council: the dispute queue; ``/council/orders/...``).
"""

from flask import Blueprint

provider_bp = Blueprint("provider_deliveries", __name__, url_prefix="/provider/orders")
buyer_bp = Blueprint("deliveries", __name__, url_prefix="/orders")
council_bp = Blueprint("council_deliveries", __name__, url_prefix="/council/orders")


def init_app(app) -> None:
    from marketplace.ordering.deliveries import (  # noqa: F401 - the modules add routes
        views_buyer,
        views_council,
        views_provider,
        views_schedule,
    )

    for blueprint in (provider_bp, buyer_bp, council_bp):
        app.register_blueprint(blueprint)
