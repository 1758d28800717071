"""Community Catalogue test helpers: committed organisations, listings with a place
and a schedule, and the objects the access matrix and the bad-input test need."""

from __future__ import annotations

from datetime import date, time, timedelta

from catalogue.models import (
    CommunityKind,
    CommunityListing,
    CommunityListingLocation,
    CommunityListingStatus,
    CommunityLocation,
    CommunityOrganisation,
    CommunityOrganiser,
    CommunityReport,
    CommunityReportReason,
    CommunityReview,
    CommunitySchedule,
    ReportStatus,
    ReviewKind,
    ScheduleFreq,
    VettingStatus,
)
from marketplace.db import utcnow

# Harrow (HA1) and somewhere well away from it (Manchester, M1).
NEAR, FAR = "HA1 2AB", "M1 1AE"


def make_group(session, organiser=None, *, council=None, name="Harrow Walking Friends",
               status=VettingStatus.APPROVED) -> CommunityOrganisation:
    group = CommunityOrganisation(name=name, status=status, email="group@example.org",
                                  council_id=council.id if council else None,
                                  postcode="HA1 1AA")
    if organiser is not None:
        group.organisers.append(CommunityOrganiser(user_id=organiser.id))
    session.add(group)
    session.commit()
    return group


def make_listing(session, group, *, name="Tuesday walking group",
                 status=CommunityListingStatus.PUBLISHED, freq=ScheduleFreq.WEEKLY,
                 byday="TU", dtstart=date(2026, 1, 6), until=None, cost_pence=None,
                 postcode=NEAR, confirmed_days_ago=1, category="walking-and-outdoors",
                 summary="A gentle walk round the park.", **fields) -> CommunityListing:
    listing = CommunityListing(
        organisation=group, name=name, summary=summary, description="Tea afterwards.",
        kind=fields.pop("kind", CommunityKind.CLUB_OR_GROUP), category=category,
        cost_pence=cost_pence, cost_description="" if cost_pence is None else "Tea",
        needs=[], circumstances=["older-people"], accessibility=["step-free"],
        languages=["en"], status=status,
        last_confirmed_at=utcnow() - timedelta(days=confirmed_days_ago), **fields)
    place = CommunityLocation(organisation=group, name=f"{name} hall", address_1="1 High St",
                              city="Harrow", postcode=postcode)
    from catalogue.community.operations import place_coordinates

    place.latitude, place.longitude = place_coordinates(postcode)
    listing.locations.append(CommunityListingLocation(location=place))
    listing.schedules.append(CommunitySchedule(
        freq=freq, byday=byday if freq is not ScheduleFreq.ONCE else "", dtstart=dtstart,
        until=until, opens_at=time(10), closes_at=time(11, 30)))
    session.add(listing)
    session.commit()
    return listing


def community_args(session, stranger, other_council) -> dict:
    """URL arguments for the access matrix: another council's group (the stranger
    organises it) with a listing, its schedule, place, a queue item and a report."""
    group = make_group(session, stranger, council=other_council, name="Elsewhere Knitters")
    listing = make_listing(session, group, name="Elsewhere knitting circle")
    review = CommunityReview(kind=ReviewKind.NEW_LISTING, organisation=group, listing=listing,
                             council_id=other_council.id)
    report = CommunityReport(listing=listing, reason=CommunityReportReason.CONCERN,
                             details="Zebedee Confidential", contact_email="x@example.org",
                             status=ReportStatus.OPEN)
    session.add_all([review, report])
    session.commit()
    return {"organisation_id": group.id, "listing_id": listing.id,
            "schedule_id": listing.schedules[0].id,
            "place_id": listing.locations[0].location_id, "review_id": review.id,
            "community_report_id": report.id}


def community_forms(session, make_user, council) -> list:
    """(who signs in, form URL) for every Community Catalogue form."""
    from marketplace.accounts.roles import Role

    organiser = make_user(Role.COMMUNITY_ORGANISER, name="Forms Organiser")
    officer = make_user(Role.COUNCIL_OFFICER)
    group = make_group(session, organiser, council=council, name="Forms Group")
    listing = make_listing(session, group, name="Forms listing")
    review = CommunityReview(kind=ReviewKind.NEW_LISTING, organisation=group, listing=listing,
                             council_id=council.id)
    report = CommunityReport(listing=listing, reason=CommunityReportReason.OTHER,
                             details="Wrong")
    session.add_all([review, report])
    session.commit()
    return [
        (organiser, f"/community/organisations/{group.id}/listings/new"),
        (organiser, f"/community/listings/{listing.id}/edit"),
        (organiser, f"/community/listings/{listing.id}/schedules/new"),
        (organiser, f"/community/schedules/{listing.schedules[0].id}/edit"),
        (organiser, f"/community/places/{listing.locations[0].location_id}/edit"),
        (organiser, f"/community/organisations/{group.id}"),
        (None, f"/community-groups/{listing.id}/report"),
        (officer, f"/council/community/reviews/{review.id}"),
        (officer, f"/council/community/reports/{report.id}"),
    ]
