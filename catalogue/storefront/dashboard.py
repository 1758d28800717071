"""The provider's home: each organisation's vetting status, evidence, completeness,
services with their freshness, and open reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from catalogue.completeness import Completeness, profile_completeness, service_completeness
from catalogue.listing import ListingState, listing_state
from catalogue.models import (
    ListingReport,
    ProviderMember,
    ProviderOrganisation,
    ReportReason,
    ReportStatus,
    Service,
)
from catalogue.storefront import bp
from catalogue.storefront.access import now
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.security import roles, today

EXPIRY_WARNING_DAYS = 30


@dataclass
class ServiceRow:
    service: Service
    state: ListingState
    completeness: Completeness


@dataclass
class Evidence:
    name: str  # "insurance" or "dbs"
    expires_on: date
    expired: bool


def service_state(service: Service) -> ListingState:
    config = current_app.config
    return listing_state(service.status, service.provider.status, service.last_confirmed_at,
                         now(), config["LISTING_FLAG_DAYS"], config["LISTING_HIDE_DAYS"])


def evidence_warnings(provider: ProviderOrganisation, on: date) -> list[Evidence]:
    """Declarations that have expired, or expire within 30 days."""
    soon = on + timedelta(days=EXPIRY_WARNING_DAYS)
    found = []
    for name, declared, expires in (
            ("insurance", provider.insurance_declared, provider.insurance_expires_on),
            ("dbs", provider.dbs_declared, provider.dbs_expires_on)):
        if declared and expires is not None and expires <= soon:
            found.append(Evidence(name, expires, expires < on))
    return found


def open_reports_count(provider_id: int) -> int:
    return db.session.scalar(
        select(func.count(ListingReport.id)).join(Service, ListingReport.service_id == Service.id)
        .where(Service.provider_id == provider_id, ListingReport.status == ReportStatus.OPEN,
               ListingReport.reason != ReportReason.CONCERN)) or 0


@bp.get("")
@roles(Role.PROVIDER_STAFF)
def dashboard():
    memberships = db.session.scalars(
        select(ProviderMember).join(ProviderMember.provider)
        .where(ProviderMember.user_id == current_user.id)
        .options(selectinload(ProviderMember.provider).selectinload(
            ProviderOrganisation.services))
        .order_by(ProviderOrganisation.name)
    ).all()
    on = today()
    organisations = []
    for member in memberships:
        provider = member.provider
        organisations.append({
            "provider": provider,
            "member": member,
            "evidence": evidence_warnings(provider, on),
            "completeness": profile_completeness(provider, on),
            "services": [ServiceRow(s, service_state(s), service_completeness(s))
                         for s in provider.services],
            "open_reports": open_reports_count(provider.id),
        })
    return render_template("storefront/dashboard.html", organisations=organisations)
