"""Open Referral UK 3.0: the read API under /api/oruk/ and the feed import.

- ``views``: the API (``/``, ``/openapi.json``, ``/services``, ``/services/{id}``,
  ``/service_at_locations``, ``/service_at_locations/{id}``, ``/taxonomies``,
  ``/taxonomies/{id}``, ``/taxonomy_terms``, ``/taxonomy_terms/{id}``);
- ``params``: the filters, checked before any query (400 for bad values);
- ``paid`` and ``community``: what each catalogue publishes, and how it looks;
- ``taxonomies``: our vocabularies as ORUK taxonomies, with stable uuid5 ids;
- ``ids``: uuids for rows without a uuid column;
- ``openapi``: the OpenAPI document the API serves;
- ``importer`` and ``command``: ``flask community import-oruk FILE``.
"""

from flask import Blueprint

bp = Blueprint("oruk", __name__, url_prefix="/api/oruk")

from catalogue.oruk import views  # noqa: E402, F401
from catalogue.oruk.command import register_cli  # noqa: E402

bp.record_once(lambda state: register_cli(state.app))
