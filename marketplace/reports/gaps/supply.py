"""What is on offer, as listed today: public services (``catalogue.browse``'s rule)
in the categories asked about, from providers that cover the districts asked
about (a district they list, or their base within their radius, as search's
"covers my area"), with their stated weekly capacity, the languages their
providers speak, and the council's current rate for each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from catalogue.browse import public_conditions
from catalogue.geo import distance_km, districts
from catalogue.models import (
    CouncilRate,
    ProviderArea,
    ProviderLanguage,
    ProviderOrganisation,
    Service,
    VettingStatus,
)
from marketplace.reports.filters import ReportFilters
from marketplace.reports.gaps.common import chunks, district_of


@dataclass(frozen=True)
class Listed:
    service_id: int
    provider_id: int
    category: str
    unit: str
    price_pence: int
    capacity: int | None     # units a week the provider says it can take on
    rate_pence: int | None   # the council's rate today, if it has one

    @property
    def has_room(self) -> bool:
        """Counts as supply: no capacity stated, or some."""
        return self.capacity is None or self.capacity > 0


@dataclass
class Supply:
    districts: list[str]
    services: list[Listed] = field(default_factory=list)
    covers: dict[int, frozenset[str]] = field(default_factory=dict)
    languages: dict[int, frozenset[str]] = field(default_factory=dict)


@cache
def _within(base: str, district: str, radius_km: int) -> bool:
    places = districts()
    if base not in places or district not in places:
        return False
    return distance_km(places[base], places[district]) <= radius_km


def coverage(session: Session, wanted: list[str]) -> dict[int, frozenset[str]]:
    """provider id -> the districts of ``wanted`` it covers (approved providers)."""
    covers: dict[int, set[str]] = {}
    for provider_id, district in session.execute(
            select(ProviderArea.provider_id, ProviderArea.district)
            .join(ProviderOrganisation, ProviderOrganisation.id == ProviderArea.provider_id)
            .where(ProviderArea.district.in_(wanted),
                   ProviderOrganisation.status == VettingStatus.APPROVED)):
        covers.setdefault(provider_id, set()).add(district)
    for provider_id, postcode, radius in session.execute(
            select(ProviderOrganisation.id, ProviderOrganisation.postcode,
                   ProviderOrganisation.coverage_radius_km)
            .where(ProviderOrganisation.status == VettingStatus.APPROVED,
                   ProviderOrganisation.coverage_radius_km > 0)):
        base = district_of(postcode)
        near = {d for d in wanted if base and _within(base, d, radius)}
        if near:
            covers.setdefault(provider_id, set()).update(near)
    return {provider_id: frozenset(found) for provider_id, found in covers.items()}


def supply(session: Session, filters: ReportFilters, wanted: list[str], on: date) -> Supply:
    """Public services in scope from providers covering ``wanted`` districts."""
    found = Supply(districts=wanted, covers=coverage(session, wanted))
    rows = []
    for ids in chunks(found.covers):
        query = (select(Service.id, Service.provider_id, Service.category, Service.unit,
                        Service.price_pence, Service.capacity_per_week)
                 .join(ProviderOrganisation, ProviderOrganisation.id == Service.provider_id)
                 .where(*public_conditions(), Service.provider_id.in_(ids)))
        if filters.category_slugs:
            query = query.where(Service.category.in_(sorted(filters.category_slugs)))
        rows += session.execute(query).all()
    rates: dict[int, tuple[date, int]] = {}
    for ids in chunks({row[0] for row in rows}):
        for service_id, starts_on, pence in session.execute(
                select(CouncilRate.service_id, CouncilRate.starts_on, CouncilRate.rate_pence)
                .where(CouncilRate.council_id == filters.council_id,
                       CouncilRate.service_id.in_(ids), CouncilRate.starts_on <= on,
                       or_(CouncilRate.ends_on.is_(None), CouncilRate.ends_on >= on))):
            if service_id not in rates or starts_on > rates[service_id][0]:
                rates[service_id] = (starts_on, pence)
    found.services = [
        Listed(service_id, provider_id, category, str(unit), price, capacity,
               rates[service_id][1] if service_id in rates else None)
        for service_id, provider_id, category, unit, price, capacity in rows]
    offering = {s.provider_id for s in found.services}
    found.covers = {p: d for p, d in found.covers.items() if p in offering}
    languages: dict[int, set[str]] = {}
    for ids in chunks(offering):
        for provider_id, language in session.execute(
                select(ProviderLanguage.provider_id, ProviderLanguage.language)
                .where(ProviderLanguage.provider_id.in_(ids))):
            languages.setdefault(provider_id, set()).add(language)
    found.languages = {p: frozenset(langs) for p, langs in languages.items()}
    return found
