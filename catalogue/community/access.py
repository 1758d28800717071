"""Who may manage or moderate what, the clock, and which listings are public.

Organisers manage the organisations they belong to (404 for no such thing, 403
for another organisation's). Moderators are council officers and administrators:
an organisation with a council is moderated by that council's officers, one with
none yet (just registered) by the officers of any council; administrators
moderate everything."""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app
from flask_login import current_user
from sqlalchemy import or_, select

from catalogue.community.freshness import ListingState, confirmed_since, listing_state
from catalogue.models import (
    CommunityListing,
    CommunityListingStatus,
    CommunityLocation,
    CommunityOrganisation,
    CommunityOrganiser,
    CommunitySchedule,
    VettingStatus,
)
from marketplace.accounts.roles import Role
from marketplace.db import db, utcnow


def now() -> datetime:
    return utcnow()


def state_of(listing: CommunityListing, at: datetime | None = None) -> ListingState:
    config = current_app.config
    return listing_state(listing.status, listing.organisation.status, listing.last_confirmed_at,
                         at or now(), config["COMMUNITY_FLAG_DAYS"],
                         config["COMMUNITY_HIDE_DAYS"])


def public_listings():
    """A select of public listings (the same rule as ``state_of(...).public``)."""
    cutoff = confirmed_since(now(), current_app.config["COMMUNITY_HIDE_DAYS"])
    return (select(CommunityListing).join(CommunityListing.organisation)
            .where(CommunityListing.status == CommunityListingStatus.PUBLISHED,
                   CommunityOrganisation.status == VettingStatus.APPROVED,
                   CommunityListing.last_confirmed_at >= cutoff))


# --- organisers ----------------------------------------------------------------------

def is_organiser_of(organisation: CommunityOrganisation) -> bool:
    return db.session.scalar(select(CommunityOrganiser.id).where(
        CommunityOrganiser.organisation_id == organisation.id,
        CommunityOrganiser.user_id == current_user.id)) is not None


def _mine(obj, organisation):
    if obj is None:
        abort(404)
    if not is_organiser_of(organisation):
        abort(403)
    return obj


def organisation_for_organiser(organisation_id: int) -> CommunityOrganisation:
    organisation = db.session.get(CommunityOrganisation, organisation_id)
    return _mine(organisation, organisation)


def listing_for_organiser(listing_id: int) -> CommunityListing:
    listing = db.session.get(CommunityListing, listing_id)
    return _mine(listing, listing.organisation if listing else None)


def schedule_for_organiser(schedule_id: int) -> CommunitySchedule:
    schedule = db.session.get(CommunitySchedule, schedule_id)
    return _mine(schedule, schedule.listing.organisation if schedule else None)


def place_for_organiser(place_id: int) -> CommunityLocation:
    place = db.session.get(CommunityLocation, place_id)
    return _mine(place, place.organisation if place else None)


# --- moderators ----------------------------------------------------------------------

def moderator_councils() -> set[int] | None:
    """Council ids the current person moderates for; None means every council."""
    if current_user.has_role(Role.ADMINISTRATOR):
        return None
    return current_user.council_ids_for(Role.COUNCIL_OFFICER)


def may_moderate(organisation: CommunityOrganisation) -> bool:
    councils = moderator_councils()
    return (councils is None or organisation.council_id is None
            or organisation.council_id in councils)


def moderated_clause():
    councils = moderator_councils()
    if councils is None:
        return None
    return or_(CommunityOrganisation.council_id.is_(None),
               CommunityOrganisation.council_id.in_(councils))


def home_council() -> int | None:
    """The one council the current officer works for (None if several or none)."""
    councils = current_user.council_ids_for(Role.COUNCIL_OFFICER)
    return next(iter(councils)) if len(councils) == 1 else None
