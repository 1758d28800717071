"""The query parameters of the Open Referral UK API, checked before any query runs.

Pure: ``parse_filters(args)`` returns ``Filters`` or raises ``BadFilters`` listing
every bad parameter with what is wrong, which the API answers with a 400.

Meaning of each filter (the profile's OpenAPI descriptions, made precise):

- ``search``: every word must appear (case-insensitively) in the name, summary,
  description or organisation name. At most 10 words of letters and digits.
- ``page`` (from 1) and ``per_page`` (1 to ``MAX_PER_PAGE``, default ``PER_PAGE``).
- ``taxonomy_term_id``: services with that term (a category term includes its
  sub-categories); ``taxonomy_id``: services with any term of that taxonomy.
- ``minimum_age=N``: services whose minimum age is at least N (no minimum counts as 0);
  ``maximum_age=N``: services whose maximum age is at most N (no maximum never is).
- ``day`` (MO..SU or Monday..Sunday), ``start_time`` and ``end_time`` (HH:MM or
  HH:MM:SS): services with a schedule on that day that opens at or after
  ``start_time`` and closes at or before ``end_time``, all on the same schedule.
- ``postcode`` (full postcode or district): paid services whose area covers it
  (their listed districts or their radius); community listings at a place in that
  district. With ``proximity`` (metres, up to ``MAX_PROXIMITY_M``): services at a
  place (or paid providers based) within that distance, measured between
  postcode-district centres (the precision of the postcode data we ship).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

from catalogue.geo import UnknownPostcode, district_of
from catalogue.oruk.ids import parse_uuid

PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 100_000
MAX_SEARCH_LENGTH = 200
MAX_WORDS = 10
MAX_AGE = 150
MAX_PROXIMITY_M = 1_000_000

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?$")
_WORD = re.compile(r"[^\W_]+")


class BadFilters(ValueError):
    """Some parameters cannot be used; ``problems`` maps each to what is wrong."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{name}: {text}" for name, text in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Filters:
    page: int = 1
    per_page: int = PER_PAGE
    words: tuple[str, ...] = ()
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    day: int | None = None  # 0 = Monday
    start_time: time | None = None
    end_time: time | None = None
    district: str | None = None
    proximity_m: float | None = None
    given: frozenset[str] = field(default_factory=frozenset)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def day_code(self) -> str | None:
        return None if self.day is None else DAY_CODES[self.day]

    @property
    def schedule_filter(self) -> bool:
        return self.day is not None or self.start_time is not None or self.end_time is not None


def _whole(raw: str, name: str, low: int, high: int, problems: dict) -> int | None:
    text = raw.strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,9}", text):
        problems[name] = f"must be a whole number from {low} to {high}, not {raw[:40]!r}"
        return None
    value = int(text)
    if not low <= value <= high:
        problems[name] = f"must be from {low} to {high}, not {value}"
        return None
    return value


def _number(raw: str, name: str, low: float, high: float, problems: dict) -> float | None:
    try:
        value = float(raw.strip()) if len(raw) <= 20 else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problems[name] = f"must be a number, not {raw[:40]!r}"
        return None
    if not low <= value <= high:
        problems[name] = f"must be from {low:g} to {high:g}, not {value:g}"
        return None
    return value


def _time(raw: str, name: str, problems: dict) -> time | None:
    match = _TIME.match(raw.strip())
    if not match:
        problems[name] = f"must be a time like 09:30 or 09:30:00, not {raw[:40]!r}"
        return None
    return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


def _day(raw: str, problems: dict) -> int | None:
    text = raw.strip().lower()
    for index, (code, name) in enumerate(zip(DAY_CODES, DAY_NAMES, strict=True)):
        if text in (code.lower(), name):
            return index
    problems["day"] = (f"must be a day of the week (MO, TU, WE, TH, FR, SA, SU or "
                       f"Monday to Sunday), not {raw[:40]!r}")
    return None


def _id(raw: str, name: str, problems: dict) -> str | None:
    value = parse_uuid(raw.strip())
    if value is None:
        problems[name] = f"must be a UUID, not {raw[:40]!r}"
        return None
    return str(value)


def search_words(raw: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(raw.lower()))[:MAX_WORDS]


def parse_paging(args: Mapping[str, str]) -> Filters:
    return parse_filters({k: args[k] for k in ("page", "per_page") if k in args})


def parse_filters(args: Mapping[str, str]) -> Filters:
    """Check every parameter we know (others are ignored); raise ``BadFilters``."""
    problems: dict[str, str] = {}
    values: dict = {}
    given = frozenset(k for k in args if str(args[k]).strip())

    def raw(name: str) -> str | None:
        value = args.get(name)
        return value if value is not None and value.strip() else None

    if (text := raw("page")) is not None:
        values["page"] = _whole(text, "page", 1, MAX_PAGE, problems)
    if (text := raw("per_page")) is not None:
        values["per_page"] = _whole(text, "per_page", 1, MAX_PER_PAGE, problems)
    if (text := raw("search")) is not None:
        if len(text) > MAX_SEARCH_LENGTH:
            problems["search"] = f"must be at most {MAX_SEARCH_LENGTH} characters"
        else:
            values["words"] = search_words(text)
    for name in ("taxonomy_term_id", "taxonomy_id"):
        if (text := raw(name)) is not None:
            values[name] = _id(text, name, problems)
    for name in ("minimum_age", "maximum_age"):
        if (text := raw(name)) is not None:
            values[name] = _number(text, name, 0, MAX_AGE, problems)
    if (text := raw("day")) is not None:
        values["day"] = _day(text, problems)
    for name in ("start_time", "end_time"):
        if (text := raw(name)) is not None:
            values[name] = _time(text, name, problems)
    if (text := raw("postcode")) is not None:
        try:
            values["district"] = district_of(text)
        except UnknownPostcode:
            problems["postcode"] = (f"must be a UK postcode or postcode district, like "
                                    f"HA1 2AB or HA1, not {text[:40]!r}")
    if (text := raw("proximity")) is not None:
        values["proximity_m"] = _number(text, "proximity", 1, MAX_PROXIMITY_M, problems)
        if raw("postcode") is None:
            problems.setdefault("proximity", "needs a postcode to measure from")
    start, end = values.get("start_time"), values.get("end_time")
    if start and end and start > end:
        problems["end_time"] = "must not be before start_time"
    low, high = values.get("minimum_age"), values.get("maximum_age")
    if low is not None and high is not None and low > high:
        problems["maximum_age"] = "must not be less than minimum_age"
    if problems:
        raise BadFilters(problems)
    return Filters(given=given, **{k: v for k, v in values.items() if v is not None})
