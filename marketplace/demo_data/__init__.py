"""The demo catalogue: providers with full storefront profiles and several hundred
services in every category, with council rates, for `flask demo seed`.

Deterministic (its own seeded random generator) and called once, inside the
seed's single transaction, by ``marketplace.demo._seed_base``. What it makes
on purpose, so every page has something to show:

- the 40 original demo providers (three still waiting for council checks) and
  36 more from Harrow and its neighbours, one of them suspended;
- CQC registrations and ratings for everyone offering personal care;
- insurance and DBS declarations, four expiring within a month and one expired;
- a few draft and paused services, about one in twelve not confirmed for over
  90 days (flagged) and three for over 120 days (hidden);
- Ashdown's council rates for about a third of the services where councils agree
  rates, plus one that has expired and one that starts next month.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from catalogue.geo import distance_km, districts
from catalogue.models import (
    CouncilRate,
    CqcRating,
    ProviderArea,
    ProviderKind,
    ProviderLanguage,
    ProviderOrganisation,
    Service,
    ServiceAvailability,
    ServiceFundingStream,
    ServiceStatus,
    VettingStatus,
)
from catalogue.taxonomy import top_level_of
from marketplace.demo_data.offers import BY_CATEGORY, Offer
from marketplace.demo_data.providers import EXTRA, PROFILES, STREETS, TOWNS

AREA_POOL = ["HA0", "HA1", "HA2", "HA3", "HA4", "HA5", "HA6", "HA7", "HA8", "HA9", "NW9",
             "NW7", "NW4", "NW10", "UB5", "UB6", "UB4", "UB10", "WD6", "WD23", "WD19"]
COUNCIL_AREA = AREA_POOL[:10]
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Categories where councils agree rates with providers (the private catalogue).
RATED = {"personal-care", "personal-assistant", "housing-support", "day-opportunities",
         "short-breaks", "domestic-help", "sitting-and-befriending", "transport"}
# The flagship example: Harrow Home Care's first service, £24.50 public, £18.00 council.
FLAGSHIP_RATE = 1800

PATTERNS = {
    "weekdays": [(d, (9, 0), (17, 0)) for d in range(5)],
    "daytime": [(d, (9, 0), (17, 0)) for d in range(6)],
    "mornings_evenings": [(d, s, e) for d in range(7)
                          for s, e in (((7, 0), (10, 30)), ((17, 0), (22, 0)))],
    "flexible": [(d, (8, 0), (20, 0)) for d in range(6)],
    "weekday_day": [(d, (9, 30), (15, 30)) for d in range(5)],
    "all_week": [(d, (0, 0), (23, 59)) for d in range(7)],
    "nights": [(d, s, e) for d in range(7) for s, e in (((0, 0), (7, 0)), ((22, 0), (23, 59)))],
    "evenings_weekends": [(d, (17, 0), (21, 0)) for d in range(5)]
                         + [(d, (9, 0), (18, 0)) for d in (5, 6)],
    "lunchtimes": [(d, (11, 30), (13, 30)) for d in range(5)],
    "weekends": [(d, (9, 0), (18, 0)) for d in (5, 6)],
}
WEEKLY_TIMES = [((10, 0), (12, 0)), ((14, 0), (16, 0)), ((18, 30), (20, 30))]


def _slug(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())[:24]


def _postcode(rng: random.Random, district: str) -> str:
    return f"{district} {rng.randint(1, 9)}{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}"


def _nearest(base: str, count: int) -> list[str]:
    places = districts()
    origin = places[base]
    ranked = sorted(AREA_POOL, key=lambda d: (distance_km(origin, places[d]), d))
    return sorted(ranked[:count])


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _price(rng: random.Random, low: int, high: int) -> int:
    return max(100, round(rng.randint(low, high) / 5) * 5)


def _provider(rng, name, kind, description, profile, index, council, officer, today):
    base = profile["base"]
    areas = COUNCIL_AREA if profile.get("council_wide") else _nearest(
        base, {ProviderKind.AGENCY: 8, ProviderKind.CHARITY: 7, ProviderKind.USER_LED: 6,
               ProviderKind.SOCIAL_ENTERPRISE: 6, ProviderKind.MICRO_PROVIDER: 3,
               ProviderKind.PERSONAL_ASSISTANT: 2}.get(kind, 10))
    sole_trader = kind is ProviderKind.PERSONAL_ASSISTANT
    cqc = profile.get("cqc")
    suspended = profile.get("suspended")
    status = (VettingStatus.SUSPENDED if suspended else
              VettingStatus.PENDING if index % 13 == 12 and index < 40 else
              VettingStatus.APPROVED)
    approved = status is not VettingStatus.PENDING
    provider = ProviderOrganisation(
        name=name, kind=kind, description=description,
        email=f"hello@{_slug(name)}.example",
        phone=(f"07700 900{rng.randint(0, 999):03d}" if sole_trader
               else f"020 7946 0{rng.randint(0, 999):03d}"),
        website=None if sole_trader else f"https://www.{_slug(name)}.example",
        address=None if sole_trader else f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
        town=TOWNS.get(base, "Harrow"), postcode=_postcode(rng, base),
        coverage_radius_km=profile.get("radius"),
        female_workers="f" in profile["genders"], male_workers="m" in profile["genders"],
        specialisms=profile.get("spec"),
        premises_accessibility=(
            "I support you at home and out and about; I have no premises." if sole_trader
            else "Step-free entrance, an accessible toilet and a hearing loop at our office."
            if kind in (ProviderKind.CHARITY, ProviderKind.USER_LED,
                        ProviderKind.COUNCIL_IN_HOUSE)
            else "Our office has step-free access; support is given in your home or "
                 "in the community."),
        insurance_declared=True,
        insurance_expires_on=today + timedelta(days=rng.randint(45, 400)),
        dbs_declared=True, dbs_expires_on=today + timedelta(days=rng.randint(60, 900)),
        cqc_location_id=cqc[0] if cqc else None, cqc_status="Registered" if cqc else None,
        cqc_rating=CqcRating(cqc[1]) if cqc else None,
        cqc_rating_date=date.fromisoformat(cqc[2]) if cqc and cqc[2] else None,
        status=status, status_reason=suspended,
        check_identity=True, check_insurance=approved, check_dbs=approved,
        check_references=approved, check_cqc=bool(cqc) and approved,
        vetted_by_id=officer.id if approved else None,
        vetted_at=_at(today - timedelta(days=rng.randint(30, 500))) if approved else None,
        council_id=council.id if kind is ProviderKind.COUNCIL_IN_HOUSE else None,
    )
    provider.areas = [ProviderArea(district=d) for d in areas]
    provider.languages = [ProviderLanguage(language=code)
                          for code in dict.fromkeys(["en", *profile["langs"]])]
    if profile.get("dbs_expired"):
        provider.dbs_expires_on = today - timedelta(days=9)
    return provider


def _service(rng, offer: Offer, profile, today, *, name=None, summary=None, unit=None,
             price=None) -> Service:
    low_age, high_age = profile.get("ages") or offer.ages
    streams = profile.get("streams") or offer.streams
    capacity = rng.randint(*offer.capacity)
    roll = rng.random()
    if roll < 0.08:
        capacity = None
    elif roll < 0.12:
        capacity = 0
    description = "\n\n".join(p for p in (offer.detail, profile.get("spec"),
                                          profile.get("note")) if p)
    service = Service(
        name=name or offer.name, summary=summary or offer.summary, description=description,
        category=offer.category, outcomes=[o.value for o in offer.outcomes],
        unit=unit or offer.unit, price_pence=price or _price(rng, offer.low, offer.high),
        min_booking_units=rng.randint(*offer.min_units),
        lead_time_days=rng.randint(*offer.lead_days),
        capacity_per_week=capacity, min_age=low_age, max_age=high_age,
        regulated=offer.regulated, status=ServiceStatus.PUBLISHED,
        last_confirmed_at=_at(today - timedelta(days=rng.randint(0, 80)), rng.randint(8, 18)),
    )
    service.funding_streams = [ServiceFundingStream(stream=s) for s in streams]
    slots = PATTERNS.get(offer.pattern)
    if offer.pattern == "weekly":
        starts, ends = rng.choice(WEEKLY_TIMES)
        slots = [(d, starts, ends) for d in sorted(rng.sample(range(6), rng.randint(1, 2)))]
    elif offer.pattern in ("flexible", "weekday_day") and rng.random() < 0.4:
        slots = [s for s in slots if s[0] != rng.randint(0, 5)]
    service.availability = [ServiceAvailability(weekday=d, starts_at=time(*s), ends_at=time(*e))
                            for d, s, e in slots]
    return service


def _services_for(rng, provider, profile, today, primary_tuple=None) -> list[Service]:
    made, used = [], set()
    for position, category in enumerate([profile["primary"], *profile["more"]]):
        choices = [o for o in BY_CATEGORY[category] if o.name not in used]
        if not choices:
            continue
        if position == 0 and primary_tuple:
            _name, _kind, _cat, unit, price, summary = primary_tuple
            offer = next((o for o in choices if o.unit == unit), choices[0])
            made.append(_service(rng, offer, profile, today, summary=summary, unit=unit,
                                 price=price))
            used.add(offer.name)
            continue
        for offer in rng.sample(choices, min(len(choices), rng.choice((1, 2, 2, 3)))):
            made.append(_service(rng, offer, profile, today))
            used.add(offer.name)
    return made


def seed_catalogue(session, council, today: date, *, officer, commissioner,
                   originals) -> list[ProviderOrganisation]:
    """Create the demo providers and their services. ``originals`` is
    ``marketplace.demo.PROVIDERS`` (name, kind, category, unit, price, summary)."""
    rng = random.Random(20261122)  # noqa: S311 - deterministic demo data
    providers = []
    everyone = [(t[0], t[1], t[5], PROFILES[i], t) for i, t in enumerate(originals)]
    everyone += [(name, kind, text, profile, None) for name, kind, text, profile in EXTRA]
    for index, (name, kind, description, profile, original) in enumerate(everyone):
        provider = _provider(rng, name, kind, description, profile, index, council, officer,
                             today)
        provider.services = _services_for(rng, provider, profile, today, original)
        session.add(provider)
        providers.append(provider)
    for provider in rng.sample([p for p in providers if p.status is VettingStatus.APPROVED
                                and not p.insurance_expires_on <= today + timedelta(days=40)
                                and p.dbs_expires_on >= today], 4):
        provider.insurance_expires_on = today + timedelta(days=rng.randint(5, 28))
    _vary_statuses(rng, providers, today)
    session.flush()
    _council_rates(rng, providers, council, commissioner, today)
    session.flush()
    return providers


def _vary_statuses(rng, providers, today) -> None:
    """Drafts, paused services and stale ones, on approved providers' later services
    (each provider's first service stays published and fresh)."""
    pool = [s for p in providers if p.status is VettingStatus.APPROVED for s in p.services[1:]]
    picked = rng.sample(pool, 6 + 5 + 3 + len(pool) // 12)
    for service in picked[:6]:
        service.status = ServiceStatus.DRAFT
    for service in picked[6:11]:
        service.status = ServiceStatus.PAUSED
    for service in picked[11:14]:
        service.last_confirmed_at = _at(today - timedelta(days=rng.randint(125, 200)))
    for service in picked[14:]:
        service.last_confirmed_at = _at(today - timedelta(days=rng.randint(91, 118)))


def _council_rates(rng, providers, council, commissioner, today) -> None:
    def rate(service, pence, starts, ends=None):
        service.council_rates.append(CouncilRate(
            council_id=council.id, rate_pence=pence, starts_on=starts, ends_on=ends,
            agreed_by_id=commissioner.id))

    by_name = {p.name: p for p in providers}
    flagship = by_name["Harrow Home Care Ltd"].services[0]
    rate(flagship, FLAGSHIP_RATE, today - timedelta(days=230), today + timedelta(days=135))
    expired = by_name["Kenton Domiciliary Care"].services[0]
    rate(expired, expired.price_pence - 250, today - timedelta(days=400),
         today - timedelta(days=14))
    future = by_name["Caremark Pinner"].services[0]
    rate(future, 1750, today + timedelta(days=30), today + timedelta(days=395))
    # A rate that was renegotiated: the old one ended, the new one is in force.
    renewed = by_name["Bridges Housing Support"].services[0]
    rate(renewed, renewed.price_pence - 150, today - timedelta(days=500),
         today - timedelta(days=135))
    rate(renewed, renewed.price_pence - 100, today - timedelta(days=134))
    special = {flagship.id, expired.id, future.id, renewed.id}
    for provider in providers:
        for service in provider.services:
            if (service.id in special or top_level_of(service.category) not in RATED
                    or rng.random() > 0.35):
                continue
            if top_level_of(service.category) == "personal-care" and service.unit.value == "hour":
                pence = min(rng.randint(1600, 1900), service.price_pence - 150)
            else:
                pence = service.price_pence * rng.randint(78, 92) // 100
            pence = max(100, round(pence / 5) * 5)
            ends = None if rng.random() < 0.5 else today + timedelta(days=rng.randint(60, 400))
            rate(service, pence, today - timedelta(days=rng.randint(20, 400)), ends)
