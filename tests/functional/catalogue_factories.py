"""Providers, services and council rates for catalogue tests, committed (every
request closes the session, so set-up data must be committed)."""

from __future__ import annotations

from datetime import date, timedelta

from catalogue.models import (
    CouncilRate,
    CqcRating,
    ProviderArea,
    ProviderKind,
    ProviderLanguage,
    ProviderOrganisation,
    Service,
    ServiceAvailability,
    ServiceStatus,
    Unit,
    VettingStatus,
)
from marketplace.db import utcnow


def add_provider(session, name="Meadow Home Care", status=VettingStatus.APPROVED,
                 **fields) -> ProviderOrganisation:
    values = dict(kind=ProviderKind.AGENCY, description="Home care in Harrow.",
                  email="hello@meadow.example", phone="020 7946 0123", postcode="HA1 2AB",
                  female_workers=True, male_workers=True)
    values.update(fields)
    provider = ProviderOrganisation(name=name, status=status, **values)
    provider.areas = [ProviderArea(district="HA1"), ProviderArea(district="HA2")]
    provider.languages = [ProviderLanguage(language="en"), ProviderLanguage(language="gu")]
    session.add(provider)
    session.commit()
    return provider


def add_service(session, provider, name="Morning visits", price_pence=2450,
                status=ServiceStatus.PUBLISHED, category="getting-up-and-dressed",
                unit=Unit.HOUR, confirmed_days_ago=1, **fields) -> Service:
    values = dict(summary="Help to get up, wash and dress.",
                  description="Visits from 7am.\n\nThe same small team each week.",
                  outcomes=["daily_living"], min_booking_units=2, lead_time_days=3,
                  capacity_per_week=40, min_age=18, regulated=False)
    values.update(fields)
    service = Service(provider_id=provider.id, name=name, price_pence=price_pence,
                      status=status, category=category, unit=unit,
                      last_confirmed_at=utcnow() - timedelta(days=confirmed_days_ago),
                      **values)
    session.add(service)
    session.commit()
    return service


def add_rate(session, service, council, rate_pence, starts_on: date,
             ends_on: date | None = None) -> CouncilRate:
    rate = CouncilRate(service_id=service.id, council_id=council.id, rate_pence=rate_pence,
                       starts_on=starts_on, ends_on=ends_on)
    session.add(rate)
    session.commit()
    return rate


def add_availability(session, service, weekday, starts_at, ends_at) -> None:
    session.add(ServiceAvailability(service_id=service.id, weekday=weekday,
                                    starts_at=starts_at, ends_at=ends_at))
    session.commit()


REGISTERED = dict(cqc_location_id="1-101664021", cqc_status="Registered",
                  cqc_rating=CqcRating.GOOD, cqc_rating_date=date(2025, 3, 12))
