"""Schedules as Open Referral UK 3.0 describes them, checked and expanded into dates.

Pure functions: no Flask, no session. A schedule is anything with the attributes of
``catalogue.models.CommunitySchedule`` (``freq``, ``interval``, ``byday``,
``bymonthday``, ``dtstart``, ``until``, ``valid_from``, ``valid_to``, ``opens_at``,
``closes_at``); ``Rule`` is a plain one for tests and imports.

The iCal meanings are kept: WEEKLY with no ``byday`` repeats on ``dtstart``'s
weekday; MONTHLY ``byday`` "MO" (no ordinal) is every Monday of the month, "2TU"
the second Tuesday, "-1FR" the last Friday; ``bymonthday`` "15" or "-1" (the last
day); with both, a day must match both (iCal's intersection); with neither, the
day of the month of ``dtstart``. ``interval`` counts weeks or months from
``dtstart``. A fifth Monday or a 31st that a month lacks is skipped.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from catalogue.models.community_enums import ScheduleFreq

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_BYDAY_PART = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
MAX_SPAN_DAYS = 800  # longest window anyone may expand (a little over two years)


class ScheduleError(ValueError):
    """The schedule cannot be understood; the message says why (English, for logs
    and import reports; forms show their own translated messages)."""


@dataclass(frozen=True)
class Rule:
    freq: ScheduleFreq
    interval: int = 1
    byday: str = ""
    bymonthday: str = ""
    dtstart: date | None = None
    until: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    opens_at: time | None = None
    closes_at: time | None = None


@dataclass(frozen=True, order=True)
class Occurrence:
    on: date
    opens_at: time | None = None
    closes_at: time | None = None


def parse_byday(text: str) -> list[tuple[int | None, int]]:
    """'MO,3TU,-1FR' -> [(None, 0), (3, 1), (-1, 4)] (ordinal, weekday 0 = Monday)."""
    parts = [part.strip().upper() for part in (text or "").split(",") if part.strip()]
    found = []
    for part in parts:
        match = _BYDAY_PART.match(part)
        if not match:
            raise ScheduleError(f"byday: {part!r} is not a day like MO, 2TU or -1FR")
        ordinal = int(match.group(1)) if match.group(1) else None
        found.append((ordinal, DAY_CODES.index(match.group(2))))
    return found


def format_byday(days: list[tuple[int | None, int]]) -> str:
    return ",".join(f"{'' if n is None else n}{DAY_CODES[day]}" for n, day in days)


def parse_bymonthday(text: str) -> list[int]:
    """'1,15,-1' -> [1, 15, -1]."""
    found = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            number = int(part)
        except ValueError:
            raise ScheduleError(f"bymonthday: {part!r} is not a day of the month") from None
        if number == 0 or not -31 <= number <= 31:
            raise ScheduleError(f"bymonthday: {number} is not between 1 and 31 (or -31 and -1)")
        found.append(number)
    return found


def check(rule) -> None:
    """Raise ScheduleError if the schedule cannot be expanded."""
    if rule.interval is None or rule.interval < 1:
        raise ScheduleError("interval must be 1 or more")
    days = parse_byday(rule.byday)
    parse_bymonthday(rule.bymonthday)
    if rule.freq is ScheduleFreq.ONCE and rule.dtstart is None:
        raise ScheduleError("a one-off event needs its date (dtstart)")
    if rule.freq is ScheduleFreq.WEEKLY and any(n is not None for n, _ in days):
        raise ScheduleError("a weekly schedule's days cannot have a number before them")
    if rule.freq is ScheduleFreq.WEEKLY and not days and rule.dtstart is None:
        raise ScheduleError("a weekly schedule needs its days (byday) or a start date")
    if (rule.freq is ScheduleFreq.MONTHLY and not days and not rule.bymonthday
            and rule.dtstart is None):
        raise ScheduleError("a monthly schedule needs byday, bymonthday or a start date")
    if rule.dtstart and rule.until and rule.until < rule.dtstart:
        raise ScheduleError("until is before dtstart")
    if rule.opens_at and rule.closes_at and rule.closes_at <= rule.opens_at:
        raise ScheduleError("closes_at must be after opens_at")


def _bounds(rule, start: date, end: date) -> tuple[date, date]:
    first = max(d for d in (start, rule.dtstart, rule.valid_from) if d is not None)
    last = min(d for d in (end, rule.until, rule.valid_to) if d is not None)
    return first, last


def _month_days(year: int, month: int, days, monthdays, anchor: date | None) -> list[date]:
    length = calendar.monthrange(year, month)[1]
    by_weekday: set[int] = set()
    for ordinal, weekday in days:
        matching = [d for d in range(1, length + 1)
                    if calendar.weekday(year, month, d) == weekday]
        if ordinal is None:
            by_weekday.update(matching)
        elif 1 <= abs(ordinal) <= len(matching):
            by_weekday.add(matching[ordinal - 1] if ordinal > 0 else matching[ordinal])
    by_monthday = {n if n > 0 else length + 1 + n for n in monthdays if abs(n) <= length}
    if days and monthdays:
        chosen = by_weekday & by_monthday
    elif days:
        chosen = by_weekday
    elif monthdays:
        chosen = by_monthday
    else:
        chosen = {anchor.day} if anchor and anchor.day <= length else set()
    return [date(year, month, d) for d in sorted(chosen)]


def occurrences(rule, start: date, end: date) -> list[Occurrence]:
    """The dates (with times) ``rule`` happens on, from ``start`` to ``end`` inclusive,
    in order. Raises ScheduleError for a schedule that cannot be understood and
    ValueError for a window longer than MAX_SPAN_DAYS."""
    if end < start:
        return []
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValueError("window too long")
    check(rule)
    first, last = _bounds(rule, start, end)
    if last < first:
        return []
    anchor = rule.dtstart or rule.valid_from
    interval = rule.interval or 1
    days = parse_byday(rule.byday)
    found: list[date] = []
    if rule.freq is ScheduleFreq.ONCE:
        found = [rule.dtstart] if first <= rule.dtstart <= last else []
    elif rule.freq is ScheduleFreq.WEEKLY:
        weekdays = {day for _, day in days} or {rule.dtstart.weekday()}
        anchor_week = anchor - timedelta(days=anchor.weekday()) if anchor else None
        day = first
        while day <= last:
            if day.weekday() in weekdays:
                week = day - timedelta(days=day.weekday())
                if anchor_week is None or ((week - anchor_week).days // 7) % interval == 0:
                    found.append(day)
            day += timedelta(days=1)
    else:
        monthdays = parse_bymonthday(rule.bymonthday)
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            step = (year - anchor.year) * 12 + month - anchor.month if anchor else 0
            if step % interval == 0:
                found.extend(d for d in _month_days(year, month, days, monthdays, anchor)
                             if first <= d <= last)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [Occurrence(d, rule.opens_at, rule.closes_at) for d in found]


def safe_occurrences(rule, start: date, end: date) -> list[Occurrence]:
    """``occurrences``, but a schedule that cannot be understood (an odd import)
    gives no dates instead of an error."""
    try:
        return occurrences(rule, start, end)
    except ScheduleError:
        return []


def listing_occurrences(schedules, start: date, end: date) -> list[Occurrence]:
    """Every occurrence of several schedules (one listing's), in date and time order,
    without duplicates."""
    found = {o for rule in schedules for o in safe_occurrences(rule, start, end)}
    return sorted(found, key=lambda o: (o.on, o.opens_at or time.min, o.closes_at or time.min))


def next_occurrences(schedules, today: date, limit: int = 5,
                     horizon_days: int = 366) -> list[Occurrence]:
    """The next ``limit`` occurrences from ``today`` (inclusive), looking a year ahead."""
    return listing_occurrences(schedules, today, today + timedelta(days=horizon_days))[:limit]
