"""The demo catalogue as the demo history sees it: every public service, where its
provider works, what languages it speaks, who may buy it, and how many results a
search for it would give in a postcode district.

Read once from the database (``catalogue.browse.public_services``), so the history
buys only what really is listed, and the result counts it logs for searches are
those the same filters give on today's catalogue: a provider "covers" a district
when it lists it or its radius reaches it from its base (as search does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from functools import cached_property

from sqlalchemy.orm import selectinload

from catalogue.browse import public_services
from catalogue.geo import distance_km, districts
from catalogue.models import ProviderOrganisation, Service
from catalogue.search.text import base_district
from catalogue.taxonomy import CATEGORIES, FundingStream


@dataclass(frozen=True)
class Offer:
    """One public service, flattened."""

    service_id: int
    provider_id: int
    provider_name: str
    category: str
    unit: str
    price_pence: int
    languages: frozenset[str]
    base: str | None
    radius_km: int | None
    areas: frozenset[str]
    min_age: int | None
    max_age: int | None
    streams: frozenset[str]
    capacity: int | None
    lead_days: int
    min_units: int
    slots: tuple[tuple[int, time, time], ...]  # weekday, from, to
    text: str  # lower-case words people might search for

    @property
    def top(self) -> str:
        return CATEGORIES[self.category].parent or self.category

    def in_category(self, slug: str) -> bool:
        return slug in (self.category, self.top)

    def accepts(self, stream: FundingStream) -> bool:
        return not self.streams or stream.value in self.streams

    def suits_age(self, age: int) -> bool:
        return (self.min_age is None or age >= self.min_age) and (
            self.max_age is None or age <= self.max_age)


def _offer(service: Service) -> Offer:
    provider: ProviderOrganisation = service.provider
    words = " ".join([service.name, service.summary or "", service.description or "",
                      provider.name, provider.specialisms or "",
                      str(CATEGORIES[service.category].name)])
    return Offer(
        service_id=service.id, provider_id=provider.id, provider_name=provider.name,
        category=service.category, unit=service.unit.value, price_pence=service.price_pence,
        languages=frozenset(provider.language_codes), base=base_district(provider.postcode),
        radius_km=provider.coverage_radius_km, areas=frozenset(provider.districts),
        min_age=service.min_age, max_age=service.max_age,
        streams=frozenset(s.value for s in service.stream_codes),
        capacity=service.capacity_per_week, lead_days=service.lead_time_days,
        min_units=service.min_booking_units,
        slots=tuple(sorted((a.weekday, a.starts_at, a.ends_at) for a in service.availability)),
        text=words.lower())


class Catalogue:
    """The public services, with the filters the history searches and buys by."""

    def __init__(self, session):
        query = public_services().options(
            selectinload(Service.availability), selectinload(Service.funding_streams),
            selectinload(Service.provider).selectinload(ProviderOrganisation.areas),
            selectinload(Service.provider).selectinload(ProviderOrganisation.languages))
        self.offers = sorted((_offer(s) for s in session.scalars(query)),
                             key=lambda o: o.service_id)
        self._counts: dict[tuple, int] = {}

    @cached_property
    def _places(self):
        return districts()

    def covers(self, offer: Offer, district: str) -> bool:
        if district in offer.areas:
            return True
        if offer.radius_km is None or offer.base is None:
            return False
        places = self._places
        return distance_km(places[offer.base], places[district]) <= offer.radius_km

    def matching(self, *, category: str | None = None, district: str | None = None,
                 language: str | None = None, words: str = "") -> list[Offer]:
        """What a search with these filters finds ("covers my area" when a district is
        given); words must all appear (by their first five letters)."""
        stems = [w[:5] for w in words.lower().split() if len(w) > 2]
        return [o for o in self.offers
                if (category is None or o.in_category(category))
                and (language is None or language in o.languages)
                and (district is None or self.covers(o, district))
                and all(stem in o.text for stem in stems)]

    def count(self, **filters) -> int:
        key = tuple(sorted(filters.items()))
        if key not in self._counts:
            self._counts[key] = len(self.matching(**filters))
        return self._counts[key]

    def choices(self, category: str, district: str, *, stream: FundingStream | None,
                age: int, language: str | None = None) -> list[Offer]:
        """What this person could buy for ``category``: covering their district,
        accepting their budget's stream (any, paying themselves), for their age (and
        speaking their language)."""
        return [o for o in self.matching(category=category, district=district,
                                         language=language)
                if (stream is None or o.accepts(stream)) and o.suits_age(age)]

    def by_name(self, provider_name: str, category: str) -> list[Offer]:
        return [o for o in self.offers
                if o.provider_name == provider_name and o.in_category(category)]
