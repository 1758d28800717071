"""Which providers a council member of staff may review.

A provider run by a council (its in-house services, ``council_id`` set) is reviewed
by that council's officers only; independent providers (no council) by the officers
of any council on the site. Administrators see every provider.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import or_

from catalogue.models import ProviderOrganisation
from marketplace.accounts.roles import Role
from marketplace.db import db


def officer_councils() -> set[int] | None:
    """Council ids the current person is an officer of; None means every council."""
    if current_user.has_role(Role.ADMINISTRATOR):
        return None
    return current_user.council_ids_for(Role.COUNCIL_OFFICER)


def may_review(provider: ProviderOrganisation) -> bool:
    if not current_user.is_authenticated or not current_user.has_role(
            Role.COUNCIL_OFFICER, Role.ADMINISTRATOR):
        return False
    councils = officer_councils()
    return councils is None or provider.council_id is None or provider.council_id in councils


def reviewable_clause():
    """A WHERE clause for the providers the current person may review (or None)."""
    councils = officer_councils()
    if councils is None:
        return None
    return or_(ProviderOrganisation.council_id.is_(None),
               ProviderOrganisation.council_id.in_(councils))


def provider_for_review(provider_id: int) -> ProviderOrganisation:
    """404 if there is no such provider, 403 if it belongs to another council."""
    provider = db.session.get(ProviderOrganisation, provider_id)
    if provider is None:
        abort(404)
    if not may_review(provider):
        abort(403)
    return provider
