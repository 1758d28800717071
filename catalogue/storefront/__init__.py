"""Storefront management for provider staff: the dashboard, the profile and the
organisation's evidence, the logo, the team, services (with preview, publish, pause
and "still accurate"), photos, and reports about their listings.

Every view is for provider staff (``roles(Role.PROVIDER_STAFF)``) and then checks
membership of the provider concerned (``access``): 404 if the object does not exist,
403 if it belongs to a provider the person is not a member of, or (for team and
organisation details) if they are not one of its owners.
"""

from flask import Blueprint

bp = Blueprint("storefront", __name__, url_prefix="/provider")

from catalogue.storefront import (  # noqa: E402,F401 - the modules add routes to bp
    dashboard,
    listings,
    photos,
    profile,
    reports,
    team,
)
