"""SQL conditions shared by the paid and community queries, written once so both
databases (SQLite and PostgreSQL) run the same filters in the database.

Postcodes are stored normalised ("HA1 2AB", see ``catalogue.storefront.forms``), so
the district is everything before the three-character inward code.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import lru_cache

from sqlalchemy import Integer, String, and_, case, cast, false, func, or_

from catalogue.geo import distance_km, districts

MAX_RADIUS_KM = 200  # provider_organisations.coverage_radius_km is 1..200


def district_expr(column):
    """The postcode district of a stored postcode column, in SQL."""
    return case((column.like("% %"), func.substr(column, 1, func.length(column) - 4)),
                else_=column)


@lru_cache(maxsize=256)
def _away(origin: str) -> tuple[tuple[str, float], ...]:
    places = districts()
    start = places[origin]
    return tuple((name, distance_km(start, place)) for name, place in places.items())


def districts_within(origin: str, km: float) -> list[str]:
    return [name for name, away in _away(origin) if away <= km]


def near(column, origin: str, metres: float):
    """The stored postcode lies in a district whose centre is within ``metres``."""
    return district_expr(column).in_(districts_within(origin, metres / 1000))


def radius_reaches(postcode_column, radius_column, origin: str):
    """A base postcode and radius (whole km) reach ``origin``: grouped by the distance
    rounded up, so the database compares integers."""
    groups: dict[int, list[str]] = defaultdict(list)
    for name, away in _away(origin):
        if away <= MAX_RADIUS_KM:
            groups[max(1, math.ceil(away))].append(name)
    if not groups:
        return false()
    base = district_expr(postcode_column)
    return or_(*(and_(radius_column >= km, base.in_(names))
                 for km, names in sorted(groups.items())))


def words_match(words, *columns):
    """Every word appears in at least one of the columns (case-insensitively). Words
    are letters and digits only (``params.search_words``), so need no escaping."""
    return and_(*(or_(*(func.lower(col).like(f"%{word}%") for col in columns))
                  for word in words))


def json_list_has(column, slug: str):
    """A JSON list column holds this slug (slugs are [a-z0-9-], no escaping needed)."""
    return cast(column, String).like(f'%"{slug}"%')


def json_list_not_empty(column):
    return cast(column, String).like('%"%')


def weekday_of(column, dialect: str):
    """The weekday of a date column, 0 = Monday, on either database."""
    if dialect == "postgresql":
        sunday_first = cast(func.extract("dow", column), Integer)
    else:
        sunday_first = cast(func.strftime("%w", column), Integer)
    return (sunday_first + 6) % 7
