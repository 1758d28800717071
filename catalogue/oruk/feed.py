"""Reading an Open Referral UK 3.0 feed (pure: no database): every item is checked
before anything is written, and every problem is reported with the item, the field
and what is wrong.

A feed is a JSON list of full service objects, or a paged list (an object with
``contents``), or one service object. Items that are not ``active``, and paid
services of this site's own catalogue (their ids are ours), are skipped with the
reason. Fields we do not model are ignored; terms, languages and coordinates we
cannot use are left out with a note. Where each of our fields is read from is
where ``catalogue.oruk.community`` writes it, so our own feed round-trips.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, time

from catalogue.community.schedules import Rule, ScheduleError, check
from catalogue.models import LocationType, ScheduleFreq
from catalogue.oruk import ids

MAX_BYTES = 50 * 1024 * 1024
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?) ?([0-9][A-Z]{2})$")


class FeedError(ValueError):
    """The file cannot be imported; ``problems`` lists (item, field, message)."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class Place:
    uuid: str
    link_uuid: str
    location_type: LocationType
    name: str
    description: str = ""
    address_1: str = ""
    address_2: str = ""
    city: str = ""
    postcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class Schedule:
    uuid: str
    rule: Rule
    description: str = ""
    notes: str = ""
    link_uuid: str | None = None


@dataclass
class Organisation:
    uuid: str
    name: str
    description: str = ""
    email: str | None = None
    website: str | None = None
    phone: str | None = None


@dataclass
class Listing:
    item: str
    uuid: str
    organisation: Organisation
    values: dict
    places: list[Place] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Feed:
    listings: list[Listing]
    skipped: list[tuple[str, str]]  # (item, why)


class _Item:
    """Reads one item's fields, collecting problems instead of stopping at the first."""

    def __init__(self, label: str, problems: list):
        self.label, self.problems, self.notes = label, problems, []

    def bad(self, path: str, message: str) -> None:
        self.problems.append((self.label, path, message))

    def text(self, obj: dict, key: str, path: str, limit: int, required: bool = False) -> str:
        value = obj.get(key)
        if value is None or (isinstance(value, str) and not value.strip() and not required):
            if required:
                self.bad(path, "is required")
            return ""
        if not isinstance(value, str):
            self.bad(path, f"must be text, not {type(value).__name__}")
            return ""
        value = value.strip()
        if required and not value:
            self.bad(path, "must not be empty")
        if "\x00" in value:
            self.bad(path, "contains a NUL character")
        if len(value) > limit:
            self.bad(path, f"is {len(value)} characters long; at most {limit} fit")
        return value

    def uuid(self, obj: dict, key: str, path: str) -> str:
        value = obj.get(key)
        parsed = ids.parse_uuid(value) if isinstance(value, str) else None
        if parsed is None:
            self.bad(path, "is required" if value is None else f"must be a UUID, not {value!r:.60}")
            return ""
        return str(parsed)

    def whole(self, obj: dict, key: str, path: str, low: int, high: int) -> int | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not (
                math.isfinite(value) and value == int(value) and low <= value <= high):
            self.bad(path, f"must be a whole number from {low} to {high}, not {value!r:.40}")
            return None
        return int(value)

    def day(self, obj: dict, key: str, path: str) -> date | None:
        value = obj.get(key)
        if value is None or value == "":
            return None
        try:
            if isinstance(value, str) and _DATE.match(value):
                return date.fromisoformat(value)
        except ValueError:
            pass
        self.bad(path, f"must be a date like 2026-03-31, not {value!r:.40}")
        return None

    def clock(self, obj: dict, key: str, path: str) -> time | None:
        value = obj.get(key)
        if value is None or value == "":
            return None
        match = _TIME.match(value) if isinstance(value, str) else None
        if not match:
            self.bad(path, f"must be a time like 09:30 or 09:30:00, not {value!r:.40}")
            return None
        return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))

    def objects(self, obj: dict, key: str, path: str) -> list[tuple[str, dict]]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(path, "must be a list")
            return []
        found = []
        for n, entry in enumerate(value):
            if isinstance(entry, dict):
                found.append((f"{path}[{n}]", entry))
            else:
                self.bad(f"{path}[{n}]", "must be an object")
        return found


def items_of(raw: bytes) -> list:
    """The list of items in a feed file, or FeedError for a file that is not one."""
    if len(raw) > MAX_BYTES:
        raise FeedError([("file", "", f"is larger than {MAX_BYTES // (1024 * 1024)} MB")])
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FeedError([("file", "", f"is not JSON: {exc}")]) from None
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return data["contents"]
    if isinstance(data, dict) and "id" in data:
        return [data]
    if isinstance(data, list):
        return data
    raise FeedError([("file", "", "must hold a list of services, a paged list with "
                                  "'contents', or one service")])


def postcode_of(text: str) -> str:
    cleaned = re.sub(r"\s+", " ", text.strip().upper())
    match = _POSTCODE.match(cleaned)
    return f"{match.group(1)} {match.group(2)}" if match else cleaned


def schedule_rule(reader: _Item, obj: dict, path: str) -> Rule | None:
    freq_text = obj.get("freq")
    freq = {"WEEKLY": ScheduleFreq.WEEKLY, "MONTHLY": ScheduleFreq.MONTHLY,
            None: ScheduleFreq.ONCE, "": ScheduleFreq.ONCE}.get(
        freq_text.upper() if isinstance(freq_text, str) else freq_text)
    if freq is None:
        reader.bad(f"{path}.freq", f"must be WEEKLY or MONTHLY (or left out for a one-off "
                                   f"event), not {freq_text!r:.40}")
        return None
    interval = reader.whole(obj, "interval", f"{path}.interval", 1, 52)
    rule = Rule(freq=freq, interval=interval or 1,
                byday=reader.text(obj, "byday", f"{path}.byday", 60).upper(),
                bymonthday=reader.text(obj, "bymonthday", f"{path}.bymonthday", 60),
                dtstart=reader.day(obj, "dtstart", f"{path}.dtstart"),
                until=reader.day(obj, "until", f"{path}.until"),
                valid_from=reader.day(obj, "valid_from", f"{path}.valid_from"),
                valid_to=reader.day(obj, "valid_to", f"{path}.valid_to"),
                opens_at=reader.clock(obj, "opens_at", f"{path}.opens_at"),
                closes_at=reader.clock(obj, "closes_at", f"{path}.closes_at"))
    try:
        check(rule)
    except ScheduleError as exc:
        reader.bad(path, str(exc))
        return None
    if rule.valid_from and rule.valid_to and rule.valid_to < rule.valid_from:
        reader.bad(f"{path}.valid_to", "is before valid_from")
    return rule
