"""Open Referral UK test helpers: validating answers against the profile's JSON
schemas (copied into tests/data/oruk/), and committed community listings."""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

from catalogue.models import (
    CommunityKind,
    CommunityListing,
    CommunityListingLocation,
    CommunityListingStatus,
    CommunityLocation,
    CommunityOrganisation,
    CommunitySchedule,
    ScheduleFreq,
    VettingStatus,
)
from catalogue.oruk.paid import service_uuid
from marketplace.db import utcnow

DATA = Path(__file__).resolve().parent.parent / "data" / "oruk"


def load(relative: str):
    return json.loads((DATA / relative).read_text(encoding="utf-8"))


@cache
def _validator(kind: str) -> Draft202012Validator:
    if kind in ("taxonomy", "taxonomy_term"):
        definitions = load("schema/compiled_service_with_definitions.json")["definitions"]
        schema = {"$ref": f"#/definitions/{kind}", "definitions": definitions}
    elif kind == "page":
        schema = load("openapi.json")["components"]["schemas"]["Page"]
        schema = dict(schema, required=list(schema["properties"]) + ["contents"])
        schema["properties"] = dict(schema["properties"], contents={"type": "array"})
    else:
        schema = load(f"schema/compiled_{kind}.json")
    return Draft202012Validator(schema, format_checker=FormatChecker())


def assert_valid(kind: str, data) -> None:
    """``data`` meets the profile's schema ``kind`` (service, service_list,
    service_at_location, service_at_location_list, taxonomy, taxonomy_term, page)."""
    errors = sorted(_validator(kind).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:10]]


def assert_valid_page(data, item_kind: str) -> None:
    assert_valid("page", data)
    for item in data["contents"]:
        assert_valid(item_kind, item)


def assert_no_empty_values(data, path="") -> None:
    """No null, empty string, empty list or empty object anywhere (except the
    descriptions the schema requires)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in ("description", "contents"):
                assert value not in (None, "", [], {}), f"{path}.{key} is empty"
            assert_no_empty_values(value, f"{path}.{key}")
    elif isinstance(data, list):
        for n, value in enumerate(data):
            assert_no_empty_values(value, f"{path}[{n}]")


def add_organisation(session, name="Harrow Walking Friends", status=VettingStatus.APPROVED,
                     **fields) -> CommunityOrganisation:
    values = dict(description="Friendly walks for everyone.", email="walks@friends.example",
                  phone="020 7946 0999", website="https://walks.example", postcode="HA1 2AB")
    values.update(fields)
    organisation = CommunityOrganisation(name=name, status=status, **values)
    session.add(organisation)
    session.commit()
    return organisation


def add_listing(session, organisation, name="Tuesday walking group",
                status=CommunityListingStatus.PUBLISHED, confirmed_days_ago=1,
                postcode="HA1 2AB", byday="TU", opens_at=time(10, 0), closes_at=time(11, 30),
                **fields) -> CommunityListing:
    values = dict(summary="A gentle walk round the park.",
                  description="We meet by the café.\n\nTea afterwards.",
                  kind=CommunityKind.CLUB_OR_GROUP, category="walking-and-outdoors",
                  cost_pence=None, cost_description="", min_age=50, max_age=None,
                  needs=["dementia"], circumstances=["older-people", "lonely-or-isolated"],
                  accessibility=["step-free", "hearing-loop"],
                  accessibility_notes="Benches every 200 metres.", languages=["en", "gu"],
                  email="tuesday@friends.example", phone="020 7946 0998",
                  website="https://walks.example/tuesday")
    values.update(fields)
    listing = CommunityListing(organisation=organisation, name=name, status=status,
                               last_confirmed_at=utcnow() - timedelta(days=confirmed_days_ago),
                               **values)
    place = CommunityLocation(organisation=organisation, name="Harrow Recreation Ground",
                              address_1="Roxborough Road", address_2="By the bandstand",
                              city="Harrow", postcode=postcode, latitude=51.5795,
                              longitude=-0.3358, description="The park gates.")
    link = CommunityListingLocation(location=place)
    listing.locations.append(link)
    listing.schedules.append(CommunitySchedule(
        freq=ScheduleFreq.WEEKLY, interval=1, byday=byday, dtstart=date(2026, 1, 6),
        until=date(2027, 12, 31), opens_at=opens_at, closes_at=closes_at,
        description="Every Tuesday morning", notes="Not on bank holidays",
        listing_location=link))
    session.add(listing)
    session.commit()
    return listing


def oruk_args(service) -> dict:
    """URL arguments for the access matrix: the API id of another council's service."""
    return {"item_id": service_uuid(service.id)}
