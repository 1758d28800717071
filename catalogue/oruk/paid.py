"""Paid services as Open Referral UK services: which are published and how.

Published: exactly the services the public catalogue shows (``catalogue.browse``:
an approved provider, a published service, confirmed recently enough), nothing of
a pending or suspended provider, no drafts, paused or stale services. Each has its
public price (``catalogue.pricing.price_for`` for a viewer funded by no council) as
its cost option; council rates are not published. A provider's public contact
details are those its storefront page shows; no person's are ever published.

Ids: services, providers and their base location have no uuid column; their ids
are made with ``catalogue.oruk.ids.embedded`` and read back the same way.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import url_for
from sqlalchemy import exists, false, func, literal, select, true
from sqlalchemy.orm import Session, selectinload

from catalogue.browse import public_conditions
from catalogue.models import ProviderArea, ProviderOrganisation, Service, ServiceAvailability
from catalogue.oruk import ids, taxonomies, where
from catalogue.oruk.params import DAY_CODES, Filters
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
from catalogue.pricing import price_for
from catalogue.taxonomy import LANGUAGES
from marketplace.money import format_pence

SOURCE = "paid"


def service_uuid(service_id: int) -> str:
    return ids.embedded(ids.PAID_SERVICE, service_id)


def sal_uuid(service_id: int) -> str:
    return ids.embedded(ids.PAID_SERVICE_AT_LOCATION, service_id)


# --- which services ------------------------------------------------------------------


def conditions(filters: Filters, now: datetime, located: bool = False) -> list:
    """WHERE clauses, on services joined to their provider, for ``filters``."""
    where_ = list(public_conditions(now))
    if located:
        where_.append(ProviderOrganisation.postcode.is_not(None))
    if filters.words:
        where_.append(where.words_match(filters.words, Service.name, Service.summary,
                                        Service.description, ProviderOrganisation.name))
    if filters.taxonomy_term_id:
        term = taxonomies.term_by_id(filters.taxonomy_term_id)
        if term is None or term.taxonomy_key != taxonomies.CATALOGUE:
            return [false()]
        where_.append(Service.category.in_(taxonomies.category_slugs_under(term)))
    if (filters.taxonomy_id
            and taxonomies.taxonomy_key_of(filters.taxonomy_id) != taxonomies.CATALOGUE):
        return [false()]
    if filters.minimum_age is not None:
        where_.append(func.coalesce(Service.min_age, 0) >= filters.minimum_age)
    if filters.maximum_age is not None:
        where_.append(Service.max_age.is_not(None))
        where_.append(Service.max_age <= filters.maximum_age)
    if filters.schedule_filter:
        slot = [ServiceAvailability.service_id == Service.id]
        if filters.day is not None:
            slot.append(ServiceAvailability.weekday == filters.day)
        if filters.start_time is not None:
            slot.append(ServiceAvailability.starts_at >= filters.start_time)
        if filters.end_time is not None:
            slot.append(ServiceAvailability.ends_at <= filters.end_time)
        where_.append(exists().where(*slot))
    if filters.district:
        if filters.proximity_m is not None:
            where_.append(where.near(ProviderOrganisation.postcode, filters.district,
                                     filters.proximity_m))
        else:
            listed = exists().where(ProviderArea.provider_id == ProviderOrganisation.id,
                                    ProviderArea.district == filters.district)
            reach = where.radius_reaches(ProviderOrganisation.postcode,
                                         ProviderOrganisation.coverage_radius_km,
                                         filters.district)
            where_.append(listed | (ProviderOrganisation.coverage_radius_km.is_not(None)
                                    & reach))
    return where_ or [true()]


def keys(filters: Filters, now: datetime, located: bool = False):
    """(source, id, name) of matching services, for the shared paging query."""

    return (select(literal(SOURCE).label("source"), Service.id.label("id"),
                   Service.name.label("name"), Service.id.label("tie"))
            .join(Service.provider).where(*conditions(filters, now, located)))


def load(session: Session, service_ids: list[int], full: bool) -> dict[int, Service]:
    if not service_ids:
        return {}
    options = [selectinload(Service.provider)]
    if full:
        options += [selectinload(Service.availability),
                    selectinload(Service.provider).selectinload(ProviderOrganisation.areas),
                    selectinload(Service.provider).selectinload(ProviderOrganisation.languages)]
    rows = session.scalars(select(Service).where(Service.id.in_(service_ids)).options(*options))
    return {row.id: row for row in rows}


def find(session: Session, text: str, now: datetime) -> Service | None:
    """The public service whose uuid is ``text``, or None."""
    service_id = ids.embedded_id(ids.PAID_SERVICE, text)
    return _public(session, service_id, now)


def find_sal(session: Session, text: str, now: datetime) -> Service | None:
    service_id = ids.embedded_id(ids.PAID_SERVICE_AT_LOCATION, text)
    service = _public(session, service_id, now)
    return service if service is not None and service.provider.postcode else None


def _public(session: Session, service_id: int | None, now: datetime) -> Service | None:
    if service_id is None or service_id >= 2**63:
        return None
    query = (select(Service.id).join(Service.provider)
             .where(Service.id == service_id, *public_conditions(now)))
    if session.scalar(query) is None:
        return None
    return load(session, [service_id], full=True)[service_id]


# --- how they look ---------------------------------------------------------------------


def organization(provider: ProviderOrganisation, full: bool = False) -> dict:
    data = {
        "id": ids.embedded(ids.PROVIDER, provider.id),
        "name": provider.name,
        "description": provider.description or "",
        "email": provider.email,
        "website": provider.website,
        "uri": url_for("catalogue.provider", provider_id=provider.id, _external=True),
    }
    if provider.logo_filename:
        data["logo"] = url_for("uploads.serve", filename=provider.logo_filename,
                               _external=True)
    if full and provider.phone:
        data["phones"] = [{"id": ids.stable("provider-phone", provider.id),
                           "number": provider.phone}]
    return compact(data) | {"description": provider.description or ""}


def _fees(service: Service, quote) -> str:
    text = f"{format_pence(quote.pence)} {service.unit.label}"
    if service.min_booking_units > 1:
        text += f", at least {service.min_booking_units} at a time"
    return text


def _accreditations(provider: ProviderOrganisation) -> str | None:
    if not provider.cqc_location_id or provider.cqc_status != "Registered":
        return None
    text = f"Registered with the Care Quality Commission (location {provider.cqc_location_id})"
    if provider.cqc_rating:
        text += f", rated {provider.cqc_rating.value}"
        if provider.cqc_rating_date:
            text += f" on {provider.cqc_rating_date.isoformat()}"
    return text


def brief(service: Service, today: date) -> dict:
    """The one-to-one fields (the list endpoints' items)."""
    provider = service.provider
    quote = price_for(service.price_pence, [], frozenset(), today)
    return compact({
        "id": service_uuid(service.id),
        "organization_id": ids.embedded(ids.PROVIDER, provider.id),
        "name": service.name,
        "description": text_join(service.summary, service.description),
        "url": url_for("catalogue.service", service_id=service.id, _external=True),
        "email": provider.email,
        "status": "active",
        "fees": _fees(service, quote),
        "accreditations": _accreditations(provider),
        "minimum_age": service.min_age,
        "maximum_age": service.max_age,
        "assured_date": iso_date(service.last_confirmed_at),
        "last_modified": iso_datetime(max(service.updated_at, provider.updated_at)),
    }) | {"organization": organization(provider)}


def location(provider: ProviderOrganisation) -> dict:
    place = place_of(provider.postcode)
    address = None
    if provider.postcode:
        address = {"id": ids.stable("provider-address", provider.id),
                   "address_1": provider.address or provider.name,
                   "city": provider.town or (place.town if place else "") or "-",
                   "state_province": (place.town if place else "") or "-",
                   "postal_code": provider.postcode, "country": COUNTRY,
                   "address_type": "physical"}
    return compact({
        "id": ids.stable("provider-location", provider.id),
        "location_type": "physical",
        "name": provider.name,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "addresses": [address] if address else [],
        "accessibility": ([{"id": ids.stable("provider-accessibility", provider.id),
                            "description": provider.premises_accessibility}]
                          if provider.premises_accessibility else []),
    })


def _schedules(service: Service) -> list[dict]:
    return [{"id": ids.stable("availability", slot.id), "freq": "WEEKLY", "interval": 1,
             "byday": DAY_CODES[slot.weekday], "opens_at": iso_time(slot.starts_at),
             "closes_at": iso_time(slot.ends_at)} for slot in service.availability]


def _service_areas(provider: ProviderOrganisation) -> list[dict]:
    areas = [{"id": ids.stable("provider-area", area.id), "name": area.district,
              "extent_type": "text", "extent": area.district,
              "service_area": f"Postcode district {area.district}"} for area in provider.areas]
    if provider.coverage_radius_km and provider.postcode:
        text = f"Within {provider.coverage_radius_km} km of {provider.postcode}"
        areas.append({"id": ids.stable("provider-radius", provider.id), "name": text,
                      "service_area": text})
    return areas


def _attributes(service: Service) -> list[dict]:
    term = taxonomies.term_for(taxonomies.CATALOGUE, service.category)
    if term is None:
        return []
    return [{"id": ids.stable("paid-category", service.id), "link_type": "category",
             "link_id": service_uuid(service.id), "taxonomy_term_id": term.id,
             "taxonomy_term": term.as_oruk()}]


def sal_brief(service: Service, today: date) -> dict:
    return {"id": sal_uuid(service.id), "service_id": service_uuid(service.id),
            "location_id": ids.stable("provider-location", service.provider.id),
            "location": location(service.provider), "service": brief(service, today)}


def full(service: Service, today: date) -> dict:
    provider = service.provider
    quote = price_for(service.price_pence, [], frozenset(), today)
    data = brief(service, today)
    data["organization"] = organization(provider, full=True)
    extra = {
        "schedules": _schedules(service),
        "service_areas": _service_areas(provider),
        "service_at_locations": ([{"id": sal_uuid(service.id),
                                   "location": location(provider)}]
                                 if provider.postcode else []),
        "languages": [{"id": ids.stable("provider-language", row.id), "code": row.language,
                       "name": str(LANGUAGES.get(row.language, row.language))}
                      for row in provider.languages],
        "cost_options": [{"id": ids.stable("paid-price", service.id),
                          "option": "Public price", "amount": pounds(quote.pence),
                          "amount_description": str(service.unit.label)}],
        "attributes": _attributes(service),
    }
    return data | compact(extra)
