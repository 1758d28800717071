"""A small catalogue for search tests, committed (each request closes the session),
and the back ends the current test database can run."""

from __future__ import annotations

import os
from datetime import date, time, timedelta
from types import SimpleNamespace

from catalogue.models import (
    CouncilRate,
    ProviderArea,
    ProviderKind,
    ProviderLanguage,
    ProviderOrganisation,
    Service,
    ServiceAvailability,
    ServiceFundingStream,
    ServiceStatus,
    Unit,
    VettingStatus,
)
from catalogue.taxonomy import FundingStream
from marketplace.db import utcnow


def available_backends() -> list[str]:
    """whoosh runs anywhere; the PostgreSQL back end only on PostgreSQL."""
    on_postgres = os.environ.get("TEST_DATABASE_URL", "sqlite") != "sqlite"
    return ["whoosh", "postgres"] if on_postgres else ["whoosh"]


def add_provider(session, name, *, status=VettingStatus.APPROVED, kind=ProviderKind.AGENCY,
                 postcode="HA1 2AB", areas=(), languages=("en",), radius=None, cqc=False):
    provider = ProviderOrganisation(
        name=name, kind=kind, status=status, postcode=postcode, coverage_radius_km=radius,
        cqc_location_id="1-123456789" if cqc else None, cqc_status="Registered" if cqc else None)
    provider.areas = [ProviderArea(district=d) for d in areas]
    provider.languages = [ProviderLanguage(language=code) for code in languages]
    session.add(provider)
    session.commit()
    return provider


def add_service(session, provider, name, *, category, price_pence, unit=Unit.HOUR,
                status=ServiceStatus.PUBLISHED, summary="", description="", weekdays=(),
                streams=(FundingStream.ADULT_SOCIAL_CARE,), confirmed_days_ago=1):
    service = Service(provider_id=provider.id, name=name, category=category,
                      price_pence=price_pence, unit=unit, status=status, summary=summary,
                      description=description,
                      last_confirmed_at=utcnow() - timedelta(days=confirmed_days_ago))
    service.availability = [ServiceAvailability(weekday=d, starts_at=time(9), ends_at=time(17))
                            for d in weekdays]
    service.funding_streams = [ServiceFundingStream(stream=s) for s in streams]
    session.add(service)
    session.commit()
    return service


def add_rate(session, service, council, rate_pence, starts_on, ends_on=None):
    rate = CouncilRate(service_id=service.id, council_id=council.id, rate_pence=rate_pence,
                       starts_on=starts_on, ends_on=ends_on)
    session.add(rate)
    session.commit()
    return rate


def build_catalogue(session, council) -> SimpleNamespace:
    """Listed: personal care (Harrow, with council rates), gardening (Kenton, radius
    10 km), cleaning (Manchester). Never listed: a pending provider's gardening, a
    paused, a draft and a stale service."""
    today = date.today()
    meadow = add_provider(session, "Meadow Home Care", postcode="HA1 2AB",
                          areas=("HA1", "HA2"), languages=("en", "gu"), cqc=True)
    personal = add_service(
        session, meadow, "Personal care at home", category="getting-up-and-dressed",
        price_pence=2450, summary="Help to get up, wash and dress every morning.",
        weekdays=(0, 1, 2, 3, 4),
        streams=(FundingStream.ADULT_SOCIAL_CARE, FundingStream.NHS_PERSONAL_HEALTH_BUDGET))
    add_rate(session, personal, council, 1500, today - timedelta(days=400),
             today - timedelta(days=30))  # expired
    add_rate(session, personal, council, 1990, today - timedelta(days=29))
    paused = add_service(session, meadow, "Night sitting", category="night-care",
                         price_pence=15000, status=ServiceStatus.PAUSED)
    draft = add_service(session, meadow, "Shopping trips", category="shopping",
                        price_pence=1500, status=ServiceStatus.DRAFT)
    stale = add_service(session, meadow, "Laundry service", category="cleaning-and-laundry",
                        price_pence=1600, confirmed_days_ago=130)
    fingers = add_provider(session, "Green Fingers CIC", kind=ProviderKind.SOCIAL_ENTERPRISE,
                           postcode="HA3 9AA", radius=10, languages=("en", "pl"))
    gardening = add_service(
        session, fingers, "Gardening", category="gardening", price_pence=1800,
        summary="Garden tidying, lawn mowing and hedge cutting.", weekdays=(5, 6))
    faraway = add_provider(session, "Northern Cleaners", kind=ProviderKind.MICRO_PROVIDER,
                           postcode="M1 1AA", radius=5)
    cleaning = add_service(session, faraway, "Cleaning and laundry",
                           category="cleaning-and-laundry", price_pence=1500, unit=Unit.VISIT,
                           summary="A weekly clean of your home.", weekdays=(2,))
    pending = add_provider(session, "Pending Gardens Ltd", status=VettingStatus.PENDING)
    hidden_gardening = add_service(session, pending, "Gardening help", category="gardening",
                                   price_pence=1700)
    return SimpleNamespace(
        meadow=meadow, personal=personal, paused=paused, draft=draft, stale=stale,
        fingers=fingers, gardening=gardening, faraway=faraway, cleaning=cleaning,
        pending=pending, hidden_gardening=hidden_gardening, today=today)
