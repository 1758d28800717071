"""Council screens for the catalogue: the provider vetting queue and review (with the
evidence checklist, approve, suspend, reinstate), council rate cards, the listing
reports queue, and the ``flask catalogue import-cqc`` command.

Every view is for council officers and administrators; which providers an officer
may review is in ``access``.
"""

from flask import Blueprint

bp = Blueprint("vetting", __name__, url_prefix="/council/providers")

from catalogue.vetting import rates, reports, views  # noqa: E402,F401 - routes on bp
from catalogue.vetting.cqc_command import register_cli  # noqa: E402

bp.record_once(lambda state: register_cli(state.app))
