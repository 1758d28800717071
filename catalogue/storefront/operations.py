"""What provider staff do to their storefront. Each function takes the session (or
the objects it loaded), changes state and flushes at most; the view commits once."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    MemberRole,
    ProviderArea,
    ProviderLanguage,
    ProviderMember,
    ProviderOrganisation,
    Service,
    ServiceAvailability,
    ServiceFundingStream,
    ServicePhoto,
    ServiceStatus,
)
from catalogue.taxonomy import FundingStream, WorkerGender
from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.accounts.roles import Role
from marketplace.audit import record

INVITE_LINK_SECONDS = 7 * 24 * 3600
MAX_PHOTOS = 6


class StorefrontRefused(Exception):
    """A storefront rule was broken; ``message`` is for the person (a lazy string)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


# --- profile ------------------------------------------------------------------

def update_profile(provider: ProviderOrganisation, *, description: str, email: str | None,
                   phone: str | None, website: str | None, address: str | None,
                   town: str | None, postcode: str, districts: list[str],
                   radius_km: int | None, languages: list[str], genders: list[str],
                   specialisms: str | None, premises_accessibility: str | None) -> None:
    provider.description = description.strip()
    provider.email = _clean(email)
    provider.phone = _clean(phone)
    provider.website = _clean(website)
    provider.address = _clean(address)
    provider.town = _clean(town)
    provider.postcode = postcode
    provider.coverage_radius_km = radius_km
    provider.female_workers = WorkerGender.FEMALE.value in genders
    provider.male_workers = WorkerGender.MALE.value in genders
    provider.specialisms = _clean(specialisms)
    provider.premises_accessibility = _clean(premises_accessibility)
    keep = set(districts)
    provider.areas[:] = [a for a in provider.areas if a.district in keep]
    have = {a.district for a in provider.areas}
    provider.areas.extend(ProviderArea(district=d) for d in districts if d not in have)
    wanted = set(dict.fromkeys(languages))
    provider.languages[:] = [row for row in provider.languages if row.language in wanted]
    have = {row.language for row in provider.languages}
    provider.languages.extend(ProviderLanguage(language=code)
                              for code in dict.fromkeys(languages) if code not in have)


def update_organisation(provider: ProviderOrganisation, **values) -> list[str]:
    """Change the facts the council checks. Any change to one clears the council's
    check of it (the council sees it to check again); returns the checks cleared."""
    groups = {
        "check_identity": ("name", "kind"),
        "check_insurance": ("insurance_declared", "insurance_expires_on"),
        "check_dbs": ("dbs_declared", "dbs_expires_on"),
        "check_cqc": ("cqc_location_id", "cqc_status", "cqc_rating", "cqc_rating_date"),
    }
    cleared = []
    for check, names in groups.items():
        if any(getattr(provider, n) != values[n] for n in names):
            for n in names:
                setattr(provider, n, values[n])
            if getattr(provider, check):
                setattr(provider, check, False)
                cleared.append(check)
    return cleared


# --- team ---------------------------------------------------------------------

def invite_member(session: Session, provider: ProviderOrganisation, *, full_name: str,
                  email: str, member_role: MemberRole) -> tuple[User, str | None]:
    """Add a person to the team, making an account if they have none. Returns the user
    and, for a new account, a set-password token to e-mail them."""
    user = accounts.find_user_by_email(session, email)
    token = None
    if user is None:
        user = accounts.create_user(session, email=email, full_name=full_name,
                                    password=secrets.token_urlsafe(24))
        token = accounts.start_password_reset(session, user, INVITE_LINK_SECONDS)
    elif any(m.user_id == user.id for m in provider.members):
        raise StorefrontRefused(_l("This person is already in your team"))
    accounts.grant_role(user, Role.PROVIDER_STAFF)
    provider.members.append(ProviderMember(user_id=user.id, member_role=member_role))
    session.flush()
    return user, token


def remove_member(session: Session, member: ProviderMember) -> User:
    """Take a person off the team (never the last owner). If they belong to no other
    provider, they lose the provider staff role too."""
    provider = member.provider
    owners = [m for m in provider.members if m.member_role is MemberRole.OWNER]
    if member.member_role is MemberRole.OWNER and len(owners) <= 1:
        raise StorefrontRefused(_l("You cannot remove the only owner. Add another owner "
                                   "first."))
    user = session.get(User, member.user_id)
    provider.members.remove(member)
    session.flush()
    others = session.scalar(select(func.count(ProviderMember.id)).where(
        ProviderMember.user_id == member.user_id))
    if not others and user is not None:
        accounts.revoke_role(user, Role.PROVIDER_STAFF)
    record(session, "provider_member_removed", "provider_organisations", provider.id,
           {"user_id": member.user_id})
    return user


# --- services -----------------------------------------------------------------

def save_service(service: Service, now: datetime, *, name: str, summary: str,
                 description: str | None, category: str, outcomes: list[str], unit,
                 price_pence: int, min_booking_units: int, lead_time_days: int,
                 capacity_per_week: int | None, min_age: int | None, max_age: int | None,
                 availability: list[tuple], funding_streams: list[str],
                 regulated: bool) -> None:
    """Create or change a service. Saving it counts as confirming it is accurate."""
    service.name = name.strip()
    service.summary = summary.strip()
    service.description = (description or "").strip()
    service.category = category
    service.outcomes = list(dict.fromkeys(outcomes))
    service.unit = unit
    service.price_pence = price_pence
    service.min_booking_units = min_booking_units
    service.lead_time_days = lead_time_days
    service.capacity_per_week = capacity_per_week
    service.min_age = min_age
    service.max_age = max_age
    service.regulated = regulated
    service.last_confirmed_at = now
    old = {(a.weekday, a.starts_at, a.ends_at): a for a in service.availability}
    service.availability[:] = [
        old.get((day, start, end)) or ServiceAvailability(weekday=day, starts_at=start,
                                                          ends_at=end)
        for day, start, end in availability]
    wanted = [FundingStream(code) for code in dict.fromkeys(funding_streams)]
    service.funding_streams[:] = [row for row in service.funding_streams if row.stream in wanted]
    have = {row.stream for row in service.funding_streams}
    service.funding_streams.extend(ServiceFundingStream(stream=s) for s in wanted
                                   if s not in have)


def set_status(service: Service, status: ServiceStatus, now: datetime) -> None:
    """Publish or pause. Publishing also confirms the listing is accurate."""
    service.status = status
    if status is ServiceStatus.PUBLISHED:
        service.last_confirmed_at = now


def confirm_accurate(service: Service, now: datetime) -> None:
    service.last_confirmed_at = now


def check_photo_room(service: Service) -> None:
    if len(service.photos) >= MAX_PHOTOS:
        raise StorefrontRefused(_l("A service can have up to %(n)d photos. Remove one "
                                   "first.", n=MAX_PHOTOS))


def add_photo(service: Service, filename: str, alt_text: str) -> ServicePhoto:
    check_photo_room(service)
    position = max((p.position for p in service.photos), default=-1) + 1
    photo = ServicePhoto(filename=filename, alt_text=alt_text.strip(), position=position)
    service.photos.append(photo)
    return photo
