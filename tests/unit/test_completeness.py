"""The storefront completeness score: what is missing, in plain words."""

from __future__ import annotations

from datetime import date, time

from catalogue.completeness import profile_completeness, service_completeness
from catalogue.models import (
    ProviderArea,
    ProviderKind,
    ProviderLanguage,
    ProviderOrganisation,
    Service,
    ServiceAvailability,
    ServiceFundingStream,
    ServicePhoto,
    Unit,
)
from catalogue.taxonomy import FundingStream

TODAY = date(2026, 11, 22)


def _complete_provider(**changes) -> ProviderOrganisation:
    provider = ProviderOrganisation(
        name="Willow Care", kind=ProviderKind.AGENCY, description="x" * 80,
        email="a@b.example", postcode="HA1 2AB", female_workers=True,
        premises_accessibility="We visit people at home.", logo_filename="a" * 32 + ".png",
        insurance_declared=True, insurance_expires_on=date(2027, 1, 1), dbs_declared=True,
        dbs_expires_on=date(2027, 6, 1))
    provider.areas.append(ProviderArea(district="HA1"))
    provider.languages.append(ProviderLanguage(language="en"))
    for key, value in changes.items():
        setattr(provider, key, value)
    return provider


def _messages(result) -> list[str]:
    return [str(m) for m in result.missing]


def test_a_complete_profile_scores_100_with_nothing_missing():
    result = profile_completeness(_complete_provider(), TODAY)
    assert (result.score, result.missing, result.complete) == (100, (), True)


def test_a_new_provider_is_told_everything_it_is_missing():
    result = profile_completeness(ProviderOrganisation(name="New", kind=ProviderKind.CHARITY),
                                  TODAY)
    assert result.score == 0
    assert _messages(result) == [
        "Describe your organisation in a few sentences (at least 80 characters)",
        "Add a contact email address or telephone number",
        "Add your address and postcode",
        "Say which areas you cover",
        "Say which languages your workers speak",
        "Say whether you have female workers, male workers or both",
        "Describe how accessible your premises are, or say that you visit people at home",
        "Add a logo or a photo of your organisation",
        "Declare your insurance and when it expires",
        "Declare your workers' DBS checks and when they are due again",
    ]


def test_expired_evidence_is_named_as_expired_and_lowers_the_score():
    result = profile_completeness(_complete_provider(insurance_expires_on=date(2026, 11, 21)),
                                  TODAY)
    assert _messages(result) == ["Your insurance has expired: add the date your new cover ends"]
    assert result.score == 90
    on_the_day = profile_completeness(_complete_provider(insurance_expires_on=TODAY), TODAY)
    assert on_the_day.complete


def test_cqc_registration_counts_only_for_providers_of_regulated_activities():
    provider = _complete_provider()
    provider.areas.clear()
    provider.coverage_radius_km = 10  # a radius alone covers an area
    assert profile_completeness(provider, TODAY, offers_regulated=False).complete
    result = profile_completeness(provider, TODAY, offers_regulated=True)
    assert _messages(result) == ["Add your CQC registration, because you offer a regulated "
                                 "activity"]
    assert result.score == 91  # 10 of 11
    provider.cqc_location_id = "1-000210669"
    assert profile_completeness(provider, TODAY, offers_regulated=True).score == 100


def test_regulated_services_are_read_from_the_provider_by_default():
    provider = _complete_provider()
    provider.services.append(Service(name="Care", category="live-in-care", unit=Unit.WEEK,
                                     price_pence=100, regulated=True))
    assert not profile_completeness(provider, TODAY).complete


def test_a_service_is_scored_on_what_buyers_look_for():
    service = Service(name="Care", summary="", description="", category="live-in-care",
                      unit=Unit.HOUR, price_pence=2000, outcomes=[])
    assert service_completeness(service).score == 0
    assert len(service_completeness(service).missing) == 8
    service.summary = "Help at home"
    service.description = "y" * 100
    service.outcomes = ["daily_living"]
    service.availability.append(ServiceAvailability(weekday=0, starts_at=time(9),
                                                    ends_at=time(17)))
    service.capacity_per_week = 0
    service.min_age = 18
    service.funding_streams.append(ServiceFundingStream(stream=FundingStream.OTHER))
    assert _messages(service_completeness(service)) == [
        "Add a photo, with a description for people who cannot see it"]
    assert service_completeness(service).score == 88
    service.photos.append(ServicePhoto(filename="b" * 32 + ".jpg", alt_text="A carer"))
    assert service_completeness(service).complete
