"""Community listings as Open Referral UK services.

Published: what the Community Catalogue's public pages show
(``catalogue.community.freshness``: an approved organisation, a published listing,
confirmed within ``COMMUNITY_HIDE_DAYS``). Their ids are their own ``uuid`` columns.
Organisers (user accounts) are never published: only the listing's and the
organisation's own public contact details are.

Where our fields go (the import reads them back from the same places):

- kind, category, needs, circumstances, accessibility: ``attributes`` with
  taxonomy terms (``catalogue.oruk.taxonomies``; the term's ``term`` is the slug);
- cost: ``cost_options`` (amount 0 = free) and ``fees`` as text;
- accessibility notes: each place's ``accessibility`` ``details``;
- languages: ``languages`` with the HSDS 3.0 ``code`` and ``name``;
- phone: ``contacts[].phones`` (HSDS 3.0), e-mail: ``email``, website: ``url``;
- schedules: ``schedules`` (``until`` and a place-specific schedule's
  ``service_at_location_id`` as in HSDS 3.0).
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import exists, false, func, literal, or_, select, true
from sqlalchemy.orm import Session, selectinload

from catalogue.community.freshness import confirmed_since
from catalogue.community.vocabulary import ACCESSIBILITY
from catalogue.models import (
    CommunityListing,
    CommunityListingLocation,
    CommunityListingStatus,
    CommunityLocation,
    CommunityOrganisation,
    CommunitySchedule,
    LocationType,
    ScheduleFreq,
    VettingStatus,
)
from catalogue.oruk import ids, taxonomies, where
from catalogue.oruk.params import Filters
from catalogue.oruk.serialise import (
    COUNTRY,
    compact,
    iso_date,
    iso_datetime,
    iso_time,
    place_of,
    pounds,
    text_join,
)
from catalogue.taxonomy import LANGUAGES
from marketplace.money import format_pence

SOURCE = "community"


def public_conditions(now: datetime) -> tuple:
    hide = current_app.config["COMMUNITY_HIDE_DAYS"]
    return (CommunityOrganisation.status == VettingStatus.APPROVED,
            CommunityListing.status == CommunityListingStatus.PUBLISHED,
            CommunityListing.last_confirmed_at >= confirmed_since(now, hide))


def _term_condition(term) -> object:
    key = term.taxonomy_key
    if key in (taxonomies.CATALOGUE, taxonomies.COMMUNITY_CATEGORIES):
        return CommunityListing.category.in_(taxonomies.category_slugs_under(term))
    if key == taxonomies.KINDS:
        return CommunityListing.kind == term.slug
    column = {taxonomies.NEEDS: CommunityListing.needs,
              taxonomies.CIRCUMSTANCES: CommunityListing.circumstances,
              taxonomies.ACCESSIBILITY: CommunityListing.accessibility}[key]
    return where.json_list_has(column, term.slug)


def _taxonomy_condition(key: str | None) -> object:
    if key in (taxonomies.CATALOGUE, taxonomies.COMMUNITY_CATEGORIES):
        slugs = [t.slug for t in taxonomies.all_terms() if t.taxonomy_key == key]
        return CommunityListing.category.in_(slugs)
    if key == taxonomies.KINDS:
        return true()
    column = {taxonomies.NEEDS: CommunityListing.needs,
              taxonomies.CIRCUMSTANCES: CommunityListing.circumstances,
              taxonomies.ACCESSIBILITY: CommunityListing.accessibility}.get(key)
    return false() if column is None else where.json_list_not_empty(column)


def _schedule_condition(filters: Filters, today: date, dialect: str):
    rule = [CommunitySchedule.listing_id == CommunityListing.id]
    if filters.day is not None:
        recurring = (CommunitySchedule.freq.in_([ScheduleFreq.WEEKLY, ScheduleFreq.MONTHLY])
                     & CommunitySchedule.byday.like(f"%{filters.day_code}%")
                     & (CommunitySchedule.until.is_(None) | (CommunitySchedule.until >= today)))
        once = ((CommunitySchedule.freq == ScheduleFreq.ONCE)
                & (CommunitySchedule.dtstart >= today)
                & (where.weekday_of(CommunitySchedule.dtstart, dialect) == filters.day))
        rule.append(or_(recurring, once))
    if filters.start_time is not None:
        rule.append(CommunitySchedule.opens_at >= filters.start_time)
    if filters.end_time is not None:
        rule.append(CommunitySchedule.closes_at <= filters.end_time)
    return exists().where(*rule)


def _place_condition(filters: Filters, location_column):
    if filters.proximity_m is not None:
        return where.near(location_column, filters.district, filters.proximity_m)
    return where.district_expr(location_column) == filters.district


def conditions(filters: Filters, now: datetime, today: date, dialect: str,
               at_location: bool = False) -> list:
    """WHERE clauses on listings joined to their organisation (and, with
    ``at_location``, to one of their places, for service_at_locations)."""
    where_ = list(public_conditions(now))
    if filters.words:
        where_.append(where.words_match(
            filters.words, CommunityListing.name, CommunityListing.summary,
            CommunityListing.description, CommunityOrganisation.name))
    if filters.taxonomy_term_id:
        term = taxonomies.term_by_id(filters.taxonomy_term_id)
        if term is None:
            return [false()]
        where_.append(_term_condition(term))
    if filters.taxonomy_id:
        where_.append(_taxonomy_condition(taxonomies.taxonomy_key_of(filters.taxonomy_id)))
    if filters.minimum_age is not None:
        where_.append(func.coalesce(CommunityListing.min_age, 0) >= filters.minimum_age)
    if filters.maximum_age is not None:
        where_.append(CommunityListing.max_age.is_not(None))
        where_.append(CommunityListing.max_age <= filters.maximum_age)
    if filters.schedule_filter:
        where_.append(_schedule_condition(filters, today, dialect))
    if filters.district:
        if at_location:
            where_.append(_place_condition(filters, CommunityLocation.postcode))
        else:
            where_.append(exists().where(
                CommunityListingLocation.listing_id == CommunityListing.id,
                CommunityLocation.id == CommunityListingLocation.location_id,
                _place_condition(filters, CommunityLocation.postcode)))
    return where_


def keys(filters: Filters, now: datetime, today: date, dialect: str):
    return (select(literal(SOURCE).label("source"), CommunityListing.id.label("id"),
                   CommunityListing.name.label("name"), CommunityListing.id.label("tie"))
            .join(CommunityListing.organisation)
            .where(*conditions(filters, now, today, dialect)))


def sal_keys(filters: Filters, now: datetime, today: date, dialect: str):
    """(source, link id, listing name) of the places of matching listings."""
    return (select(literal(SOURCE).label("source"), CommunityListingLocation.id.label("id"),
                   CommunityListing.name.label("name"), CommunityListingLocation.id.label("tie"))
            .join(CommunityListing, CommunityListing.id == CommunityListingLocation.listing_id)
            .join(CommunityLocation, CommunityLocation.id == CommunityListingLocation.location_id)
            .join(CommunityListing.organisation)
            .where(*conditions(filters, now, today, dialect, at_location=True)))


def load(session: Session, listing_ids: list[int]) -> dict[int, CommunityListing]:
    if not listing_ids:
        return {}
    rows = session.scalars(
        select(CommunityListing).where(CommunityListing.id.in_(listing_ids)).options(
            selectinload(CommunityListing.organisation),
            selectinload(CommunityListing.schedules).selectinload(
                CommunitySchedule.listing_location),
            selectinload(CommunityListing.locations).selectinload(
                CommunityListingLocation.location)))
    return {row.id: row for row in rows}


def load_links(session: Session, link_ids: list[int]) -> dict[int, CommunityListingLocation]:
    if not link_ids:
        return {}
    rows = session.scalars(
        select(CommunityListingLocation).where(CommunityListingLocation.id.in_(link_ids))
        .options(selectinload(CommunityListingLocation.location),
                 selectinload(CommunityListingLocation.listing).selectinload(
                     CommunityListing.organisation)))
    return {row.id: row for row in rows}


def find(session: Session, text: str, now: datetime) -> CommunityListing | None:
    value = ids.parse_uuid(text)
    if value is None:
        return None
    listing_id = session.scalar(
        select(CommunityListing.id).join(CommunityListing.organisation)
        .where(CommunityListing.uuid == str(value), *public_conditions(now)))
    return None if listing_id is None else load(session, [listing_id])[listing_id]


def find_link(session: Session, text: str, now: datetime) -> CommunityListingLocation | None:
    value = ids.parse_uuid(text)
    if value is None:
        return None
    link_id = session.scalar(
        select(CommunityListingLocation.id)
        .join(CommunityListing, CommunityListing.id == CommunityListingLocation.listing_id)
        .join(CommunityListing.organisation)
        .where(CommunityListingLocation.uuid == str(value), *public_conditions(now)))
    return None if link_id is None else load_links(session, [link_id])[link_id]


# --- how they look ---------------------------------------------------------------------


def organization(organisation: CommunityOrganisation, full: bool = False) -> dict:
    data = compact({
        "id": organisation.uuid,
        "name": organisation.name,
        "email": organisation.email,
        "website": organisation.website,
        "phones": ([{"id": ids.stable("community-organisation-phone", organisation.uuid),
                     "number": organisation.phone}] if full and organisation.phone else []),
    })
    return data | {"description": organisation.description or ""}


def fees(listing: CommunityListing) -> str:
    if listing.cost_pence is None:
        return "Free"
    return text_join(format_pence(listing.cost_pence), listing.cost_description).replace(
        "\n\n", ": ", 1)


def brief(listing: CommunityListing) -> dict:
    return compact({
        "id": listing.uuid,
        "organization_id": listing.organisation.uuid,
        "name": listing.name,
        "description": text_join(listing.summary, listing.description),
        "url": listing.website,
        "email": listing.email,
        "status": "active",
        "fees": fees(listing),
        "minimum_age": listing.min_age,
        "maximum_age": listing.max_age,
        "assured_date": iso_date(listing.last_confirmed_at),
        "last_modified": iso_datetime(listing.updated_at),
    }) | {"organization": organization(listing.organisation)}


def _accessibility(listing: CommunityListing, link_uuid: str) -> list[dict]:
    items = [{"id": ids.stable("community-accessibility", f"{link_uuid}:{slug}"),
              "description": str(ACCESSIBILITY[slug])}
             for slug in listing.accessibility if slug in ACCESSIBILITY]
    if listing.accessibility_notes:
        items.append({"id": ids.stable("community-accessibility-notes", link_uuid),
                      "details": listing.accessibility_notes})
    return items


def location(place: CommunityLocation, listing: CommunityListing | None = None,
             link_uuid: str = "") -> dict:
    address = None
    if place.location_type is LocationType.PHYSICAL and place.address_1 and place.postcode:
        district = place_of(place.postcode)
        town = district.town if district else ""
        address = {"id": ids.stable("community-address", place.uuid),
                   "address_1": place.address_1, "address_2": place.address_2,
                   "city": place.city or town or "-", "state_province": town or "-",
                   "postal_code": place.postcode, "country": COUNTRY,
                   "address_type": "physical"}
    return compact({
        "id": place.uuid,
        "location_type": place.location_type.value,
        "name": place.name,
        "description": place.description,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "addresses": [address] if address else [],
        "accessibility": _accessibility(listing, link_uuid) if listing is not None else [],
    })


def sal_brief(link: CommunityListingLocation) -> dict:
    return {"id": link.uuid, "service_id": link.listing.uuid,
            "location_id": link.location.uuid,
            "location": location(link.location), "service": brief(link.listing)}


def _schedule(schedule: CommunitySchedule) -> dict:
    return compact({
        "id": schedule.uuid,
        "service_id": schedule.listing.uuid,
        "service_at_location_id": (schedule.listing_location.uuid
                                   if schedule.listing_location else None),
        "freq": schedule.freq.oruk,
        "interval": schedule.interval if schedule.freq is not ScheduleFreq.ONCE else None,
        "byday": schedule.byday,
        "bymonthday": schedule.bymonthday,
        "dtstart": iso_date(schedule.dtstart),
        "until": iso_date(schedule.until),
        "valid_from": iso_date(schedule.valid_from),
        "valid_to": iso_date(schedule.valid_to),
        "opens_at": iso_time(schedule.opens_at),
        "closes_at": iso_time(schedule.closes_at),
        "description": schedule.description,
        "notes": schedule.notes,
    })


def _attributes(listing: CommunityListing) -> list[dict]:
    wanted = [(taxonomies.category_term(listing.category), "category"),
              (taxonomies.term_for(taxonomies.KINDS, listing.kind.value), "kind")]
    for key, slugs in ((taxonomies.NEEDS, listing.needs),
                       (taxonomies.CIRCUMSTANCES, listing.circumstances),
                       (taxonomies.ACCESSIBILITY, listing.accessibility)):
        wanted += [(taxonomies.term_for(key, slug), taxonomies.LINK_TYPES[key])
                   for slug in slugs]
    return [{"id": ids.stable("community-attribute", f"{listing.uuid}:{term.id}"),
             "link_id": listing.uuid, "link_type": link_type, "taxonomy_term_id": term.id,
             "taxonomy_term": term.as_oruk()}
            for term, link_type in wanted if term is not None]


def full(listing: CommunityListing) -> dict:
    data = brief(listing)
    data["organization"] = organization(listing.organisation, full=True)
    cost = {"id": ids.stable("community-cost", listing.uuid),
            "option": "Free" if listing.cost_pence is None else "Charge",
            "amount": 0 if listing.cost_pence is None else pounds(listing.cost_pence),
            "amount_description": listing.cost_description}
    extra = {
        "schedules": [_schedule(s) for s in listing.schedules],
        "service_at_locations": [{"id": link.uuid,
                                  "location": location(link.location, listing, link.uuid)}
                                 for link in listing.locations],
        "languages": [{"id": ids.stable("community-language", f"{listing.uuid}:{code}"),
                       "code": code, "name": str(LANGUAGES.get(code, code))}
                      for code in listing.languages],
        "cost_options": [cost],
        "contacts": ([{"id": ids.stable("community-contact", listing.uuid),
                       "name": listing.name,
                       "phones": [{"id": ids.stable("community-phone", listing.uuid),
                                   "number": listing.phone}]}] if listing.phone else []),
        "attributes": _attributes(listing),
    }
    return data | compact(extra)
