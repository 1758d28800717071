"""Messages between the person and a provider, and what's new (issue 6, point 7).

Three blueprints: ``messages`` (the person, or a representative acting for them;
``/messages``), ``provider_messages`` (provider staff; ``/provider/messages``) and
``council_messages`` (council officers of a council that funds the person, read
only; ``/council/messages``). Notifications of order state changes come from a
``before_flush`` listener on new ``OrderEvent`` rows (``notifications``).
"""

from flask import Blueprint

bp = Blueprint("messages", __name__, url_prefix="/messages")
provider_bp = Blueprint("provider_messages", __name__, url_prefix="/provider/messages")
council_bp = Blueprint("council_messages", __name__, url_prefix="/council/messages")


def init_app(app) -> None:
    from marketplace.ordering.messages import (  # noqa: F401 - the modules add routes
        views_buyer,
        views_council,
        views_provider,
    )
    from marketplace.ordering.messages.whats_new import whats_new_for_person, whats_new_for_provider

    for blueprint in (bp, provider_bp, council_bp):
        app.register_blueprint(blueprint)
    app.add_template_global(whats_new_for_person, "whats_new_for_person")
    app.add_template_global(whats_new_for_provider, "whats_new_for_provider")
