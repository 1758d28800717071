"""Membership checks for storefront views, and the clock they use."""

from __future__ import annotations

from datetime import datetime

from flask import abort, g
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from catalogue.models import MemberRole, ProviderMember, ProviderOrganisation, Service
from marketplace.db import db, utcnow


def now() -> datetime:
    return utcnow()


def membership_of(provider: ProviderOrganisation, *, owner: bool = False) -> ProviderMember:
    """The current person's membership of ``provider``; 403 if they have none (or, when
    ``owner`` is asked for, are not an owner)."""
    member = db.session.scalar(select(ProviderMember).where(
        ProviderMember.provider_id == provider.id, ProviderMember.user_id == current_user.id))
    if member is None:
        abort(403)
    if owner and member.member_role is not MemberRole.OWNER:
        g.forbidden_reason = _("Only the owners of %(name)s can do this.", name=provider.name)
        abort(403)
    return member


def provider_for_member(provider_id: int, *, owner: bool = False
                        ) -> tuple[ProviderOrganisation, ProviderMember]:
    provider = db.session.get(ProviderOrganisation, provider_id)
    if provider is None:
        abort(404)
    return provider, membership_of(provider, owner=owner)


def service_for_member(service_id: int) -> tuple[Service, ProviderMember]:
    service = db.session.get(Service, service_id)
    if service is None:
        abort(404)
    return service, membership_of(service.provider)
