"""Postcodes to places, and distances, from the shipped postcode-district data."""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "uk_postcode_districts.csv"
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


@dataclass(frozen=True)
class Place:
    district: str
    latitude: float
    longitude: float
    town: str


class UnknownPostcode(ValueError):
    """The text is not a UK postcode or district we know."""


@cache
def districts() -> dict[str, Place]:
    places = {}
    with DATA.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            places[row["postcode"].upper()] = Place(
                row["postcode"].upper(), float(row["latitude"]), float(row["longitude"]),
                row["city"] or row["county"])
    return places


def district_of(text: str) -> str:
    """'ha1 2ab' -> 'HA1'; 'HA1' -> 'HA1'. Raises UnknownPostcode."""
    cleaned = re.sub(r"\s+", " ", (text or "").strip().upper())[:10]
    match = _FULL.match(cleaned)
    district = match.group(1) if match else cleaned.replace(" ", "")
    if not _DISTRICT.match(district) or district not in districts():
        raise UnknownPostcode(text)
    return district



def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two district centroids."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))
