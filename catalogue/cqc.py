"""Reading CQC registration data in the shape of the CQC public API
(``GET /public/v1/locations/{locationId}``), and applying it to providers.

A file holds one location object, or ``{"locations": [...]}`` of them, or a plain
list. From each location we read ``locationId``, ``name``, ``registrationStatus``,
``currentRatings.overall.rating`` and ``.reportDate``, and ``postalCode``. The whole
file is checked before anything changes: one malformed location and nothing is
applied (``CqcFileError`` says what and where).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import CqcRating, ProviderOrganisation
from marketplace.audit import record

LOCATION_ID = re.compile(r"^\d-\d{1,18}$")
NOT_RATED = {"not rated", "insufficient evidence to rate", "no published rating", ""}
RATINGS = {r.value.lower(): r for r in CqcRating}


class CqcFileError(ValueError):
    """The file cannot be read as CQC location data."""


@dataclass(frozen=True)
class CqcLocation:
    location_id: str
    name: str
    status: str
    rating: CqcRating | None
    rating_date: date | None
    postcode: str | None


@dataclass
class CqcChange:
    provider_id: int
    provider_name: str
    location_id: str
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    check_cleared: bool = False


@dataclass
class CqcResult:
    changed: list[CqcChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # provider names
    unmatched: list[str] = field(default_factory=list)  # location ids


def _text(value, where: str, name: str, required: bool = False, limit: int = 200):
    if value is None or value == "":
        if required:
            raise CqcFileError(f"{where}: '{name}' is missing")
        return None
    if not isinstance(value, str):
        raise CqcFileError(f"{where}: '{name}' must be text, not {type(value).__name__}")
    if len(value) > limit:
        raise CqcFileError(f"{where}: '{name}' is longer than {limit} characters")
    return value.strip()


def _location(raw, where: str) -> CqcLocation:
    if not isinstance(raw, dict):
        raise CqcFileError(f"{where}: a location must be a JSON object")
    location_id = _text(raw.get("locationId"), where, "locationId", required=True, limit=20)
    if not LOCATION_ID.match(location_id):
        raise CqcFileError(f"{where}: locationId {location_id!r} is not a CQC location id "
                           "(like 1-000210669)")
    where = f"{where} ({location_id})"
    name = _text(raw.get("name") or raw.get("locationName"), where, "name") or ""
    status = _text(raw.get("registrationStatus"), where, "registrationStatus", required=True,
                   limit=40)
    ratings = raw.get("currentRatings") or {}
    if not isinstance(ratings, dict):
        raise CqcFileError(f"{where}: 'currentRatings' must be an object")
    overall = ratings.get("overall") or {}
    if not isinstance(overall, dict):
        raise CqcFileError(f"{where}: 'currentRatings.overall' must be an object")
    rating_text = _text(overall.get("rating"), where, "currentRatings.overall.rating",
                        limit=60) or ""
    if rating_text.lower() in NOT_RATED:
        # No published rating: 'not yet rated' while registered, nothing once it is not.
        rating = CqcRating.NOT_RATED if status.lower() == "registered" else None
    elif rating_text.lower() in RATINGS:
        rating = RATINGS[rating_text.lower()]
    else:
        raise CqcFileError(f"{where}: unknown rating {rating_text!r}")
    report_text = _text(overall.get("reportDate"), where, "currentRatings.overall.reportDate",
                        limit=40)
    rating_date = None
    if report_text:
        try:
            rating_date = date.fromisoformat(report_text[:10])
        except ValueError as exc:
            raise CqcFileError(f"{where}: reportDate {report_text!r} is not a date like "
                               "2024-05-31") from exc
    postcode = _text(raw.get("postalCode"), where, "postalCode", limit=10)
    return CqcLocation(location_id, name, status, rating, rating_date, postcode)


def parse_locations(text: str | bytes) -> list[CqcLocation]:
    """Every location in the file, or CqcFileError."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CqcFileError(f"the file is not valid JSON: {exc}") from exc
    if isinstance(data, dict) and "locations" in data:
        items = data["locations"]
        if not isinstance(items, list):
            raise CqcFileError("'locations' must be a list of locations")
    elif isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise CqcFileError("the file must hold a location object or {\"locations\": [...]}")
    if not items:
        raise CqcFileError("the file holds no locations")
    locations = [_location(item, f"location {n}") for n, item in enumerate(items, start=1)]
    seen = set()
    for location in locations:
        if location.location_id in seen:
            raise CqcFileError(f"location {location.location_id} appears more than once")
        seen.add(location.location_id)
    return locations


def apply_locations(session: Session, locations: list[CqcLocation]) -> CqcResult:
    """Update the CQC status, rating and report date of every provider whose
    ``cqc_location_id`` matches. A provider no longer registered has the council's
    CQC check cleared, so the council looks at it again. Flushes; never commits."""
    result = CqcResult()
    for location in locations:
        providers = session.scalars(select(ProviderOrganisation).where(
            ProviderOrganisation.cqc_location_id == location.location_id)
            .order_by(ProviderOrganisation.id)).all()
        if not providers:
            result.unmatched.append(location.location_id)
            continue
        for provider in providers:
            change = CqcChange(provider.id, provider.name, location.location_id)
            for attr, value in (("cqc_status", location.status),
                                ("cqc_rating", location.rating),
                                ("cqc_rating_date", location.rating_date)):
                if getattr(provider, attr) != value:
                    change.changes.append((attr, getattr(provider, attr), value))
                    setattr(provider, attr, value)
            if location.status.lower() != "registered" and provider.check_cqc:
                provider.check_cqc = False
                change.check_cleared = True
            if change.changes or change.check_cleared:
                record(session, "cqc_import", "provider_organisations", provider.id,
                       {"location_id": location.location_id,
                        "fields": [c[0] for c in change.changes]})
                result.changed.append(change)
            else:
                result.unchanged.append(provider.name)
    session.flush()
    return result
