"""Writing a checked feed (``catalogue.oruk.reading.parse_feed``) into the Community
Catalogue, in the caller's transaction: it flushes, the command commits once, and
any problem found against the database (an id that belongs to another
organisation's row) refuses the whole import, so nothing is imported half-way.

Matching is on the uuids: an organisation, listing, place, service_at_location or
schedule already here is updated, never duplicated. A listing's places and
schedules become exactly those of the feed.

New organisations and listings: with ``approve`` (the council vouches for the
feed) organisations are created approved and listings published; without it they
are created pending and queued for a moderator, as if an organiser had added them.
Existing rows keep their status (approval is the council's decision). Every import
counts as a confirmation that the listing is still accurate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.community.operations import place_coordinates
from catalogue.models import (
    CommunityListing,
    CommunityListingLocation,
    CommunityListingStatus,
    CommunityLocation,
    CommunityOrganisation,
    CommunityReview,
    CommunitySchedule,
    ReviewKind,
    VettingStatus,
)
from catalogue.oruk.feed import Feed, Listing, Place


class ImportRefused(Exception):
    def __init__(self, problems: list[tuple[str, str, str]]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    organisations_created: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


class _Run:
    def __init__(self, session: Session, approve: bool, council_id: int | None, now: datetime):
        self.session, self.approve, self.council_id, self.now = session, approve, council_id, now
        self.problems: list[tuple[str, str, str]] = []
        self.cache: dict[tuple[type, str], object] = {}
        self.result = ImportResult()

    def find(self, model, uuid: str):
        key = (model, uuid)
        if key not in self.cache:
            with self.session.no_autoflush:
                self.cache[key] = self.session.scalar(select(model).where(model.uuid == uuid))
        return self.cache[key]

    def keep(self, obj) -> None:
        self.cache[(type(obj), obj.uuid)] = obj

    def organisation(self, listing: Listing) -> CommunityOrganisation:
        data = listing.organisation
        org = self.find(CommunityOrganisation, data.uuid)
        if org is None:
            org = CommunityOrganisation(
                uuid=data.uuid, council_id=self.council_id,
                status=VettingStatus.APPROVED if self.approve else VettingStatus.PENDING)
            self.result.organisations_created.append(data.name)
        org.name, org.description = data.name, data.description
        org.email, org.website, org.phone = data.email, data.website, data.phone
        self.keep(org)
        self.session.add(org)
        return org

    def place(self, listing: Listing, org, data: Place) -> CommunityLocation | None:
        location = self.find(CommunityLocation, data.uuid)
        if location is not None and location.organisation is not org:
            self.problems.append((listing.item, "service_at_locations.location.id",
                                  f"{data.uuid} is a place of another organisation"))
            return None
        if location is None:
            location = CommunityLocation(uuid=data.uuid, organisation=org)
        for name in ("location_type", "name", "description", "address_1", "address_2", "city",
                     "postcode"):
            setattr(location, name, getattr(data, name))
        if data.latitude is not None:
            location.latitude, location.longitude = data.latitude, data.longitude
        else:
            location.latitude, location.longitude = place_coordinates(data.postcode)
        self.keep(location)
        return location

    def links(self, listing: Listing, row: CommunityListing, org) -> dict[str, object]:
        wanted = {}
        for data in listing.places:
            location = self.place(listing, org, data)
            link = self.find(CommunityListingLocation, data.link_uuid)
            if link is not None and link.listing is not row:
                self.problems.append((listing.item, "service_at_locations.id",
                                      f"{data.link_uuid} belongs to another listing"))
                continue
            if location is None:
                continue
            if link is None:
                link = CommunityListingLocation(uuid=data.link_uuid)
            link.location = location
            self.keep(link)
            wanted[data.link_uuid] = link
        row.locations = list(wanted.values())
        return wanted

    def schedules(self, listing: Listing, row: CommunityListing, links: dict) -> None:
        kept = []
        for data in listing.schedules:
            schedule = self.find(CommunitySchedule, data.uuid)
            if schedule is not None and schedule.listing is not row:
                self.problems.append((listing.item, "schedules.id",
                                      f"{data.uuid} belongs to another listing's schedule"))
                continue
            schedule = schedule or CommunitySchedule(uuid=data.uuid)
            for name in ("freq", "interval", "byday", "bymonthday", "dtstart", "until",
                         "valid_from", "valid_to", "opens_at", "closes_at"):
                setattr(schedule, name, getattr(data.rule, name))
            schedule.description, schedule.notes = data.description, data.notes
            schedule.listing_location = links.get(data.link_uuid) if data.link_uuid else None
            self.keep(schedule)
            kept.append(schedule)
        row.schedules = kept

    def listing(self, listing: Listing) -> None:
        org = self.organisation(listing)
        row = self.find(CommunityListing, listing.uuid)
        if row is not None and row.organisation is not org:
            self.problems.append((listing.item, "id", "belongs to a listing of another "
                                                      "organisation"))
            return
        new = row is None
        if new:
            row = CommunityListing(
                uuid=listing.uuid, organisation=org,
                status=(CommunityListingStatus.PUBLISHED if self.approve
                        else CommunityListingStatus.PENDING),
                approved_at=self.now if self.approve else None)
        for name, value in listing.values.items():
            setattr(row, name, value)
        row.last_confirmed_at = self.now
        links = self.links(listing, row, org)
        self.schedules(listing, row, links)
        self.keep(row)
        self.session.add(row)
        if new and not self.approve:
            self.session.add(CommunityReview(kind=ReviewKind.NEW_LISTING, organisation=org,
                                             listing=row, council_id=org.council_id))
        (self.result.created if new else self.result.updated).append(
            f"{row.name} ({row.uuid})")
        self.result.notes += [(listing.item, note) for note in listing.notes]


def import_feed(session: Session, feed: Feed, *, approve: bool, council_id: int | None,
                now: datetime) -> ImportResult:
    """Write the feed and flush; ImportRefused (after which the caller rolls back) if
    any row clashes with one that is not the feed's to change."""
    run = _Run(session, approve, council_id, now)
    for listing in feed.listings:
        run.listing(listing)
    if run.problems:
        raise ImportRefused(run.problems)
    session.flush()
    run.result.skipped = list(feed.skipped)
    return run.result
