"""Helpers shared by the serialisers: empty values are left out, never sent as null."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from catalogue.geo import UnknownPostcode, district_of, districts

COUNTRY = "GB"


def compact(value):
    """Drop None, empty strings, empty lists and empty objects, at every depth.
    Zero and False are values, and stay."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = compact(item)
            if item is None or item == "" or item == [] or item == {}:
                continue
            out[key] = item
        return out
    if isinstance(value, list | tuple):
        items = [compact(item) for item in value]
        return [item for item in items if item is not None and item != "" and item != {}]
    return value


def iso_datetime(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def iso_date(day: date | datetime | None) -> str | None:
    if day is None:
        return None
    return (day.date() if isinstance(day, datetime) else day).isoformat()


def iso_time(moment: time | None) -> str | None:
    return None if moment is None else moment.strftime("%H:%M:%S")


def pounds(pence: int) -> float | int:
    """Pence as an ORUK amount (pounds, a JSON number): 2450 -> 24.5, 300 -> 3."""
    return pence // 100 if pence % 100 == 0 else pence / 100


def text_join(*parts: str | None) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def place_of(postcode: str | None):
    """The district centre of a postcode (catalogue.geo), or None."""
    if not postcode:
        return None
    try:
        return districts()[district_of(postcode)]
    except UnknownPostcode:
        return None
