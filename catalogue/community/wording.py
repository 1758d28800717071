"""Schedules and costs in words, for pages and e-mails (translated)."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from catalogue.community.schedules import ScheduleError, parse_byday, parse_bymonthday
from catalogue.models import ScheduleFreq
from catalogue.taxonomy import WEEKDAYS
from marketplace.money import format_pence


def _ordinal(n: int) -> str:
    return {1: _("first"), 2: _("second"), 3: _("third"), 4: _("fourth"), 5: _("fifth"),
            -1: _("last"), -2: _("second to last")}.get(n, str(n))


def times(opens_at, closes_at) -> str:
    if opens_at and closes_at:
        return _("%(start)s to %(end)s", start=opens_at.strftime("%H:%M"),
                 end=closes_at.strftime("%H:%M"))
    if opens_at:
        return _("from %(start)s", start=opens_at.strftime("%H:%M"))
    return ""


def _days(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("%(days)s and %(last)s", days=", ".join(names[:-1]), last=names[-1])


def when(schedule) -> str:
    """'Every Tuesday and Thursday', 'Every 2 weeks on Friday', 'On the second
    Tuesday of every month', 'Saturday 14 March 2026'."""
    try:
        days = parse_byday(schedule.byday)
        monthdays = parse_bymonthday(schedule.bymonthday)
    except ScheduleError:
        return schedule.description or _("Ask the organiser for dates and times")
    if schedule.freq is ScheduleFreq.ONCE:
        return format_date(schedule.dtstart, "EEEE d MMMM yyyy")
    if schedule.freq is ScheduleFreq.WEEKLY:
        weekdays = [d for _n, d in days] or ([schedule.dtstart.weekday()]
                                             if schedule.dtstart else [])
        names = _days([str(WEEKDAYS[d]) for d in sorted(set(weekdays))])
        if schedule.interval == 1:
            return _("Every %(days)s", days=names)
        return _("Every %(n)d weeks on %(days)s", n=schedule.interval, days=names)
    if days:
        parts = [(_("the %(nth)s %(day)s", nth=_ordinal(n), day=WEEKDAYS[d]) if n is not None
                  else _("every %(day)s", day=WEEKDAYS[d])) for n, d in days]
    elif monthdays:
        parts = [_("day %(n)d", n=n) if n > 0 else _("the last day") for n in monthdays]
    else:
        parts = [_("day %(n)d", n=schedule.dtstart.day)] if schedule.dtstart else []
    if schedule.interval == 1:
        return _("On %(days)s of every month", days=_days(parts))
    return _("On %(days)s of every %(n)d months", days=_days(parts), n=schedule.interval)


def describe(schedule) -> str:
    """``when`` with the times and the end date, in one line."""
    text = when(schedule)
    span = times(schedule.opens_at, schedule.closes_at)
    if span:
        text = _("%(when)s, %(times)s", when=text, times=span)
    if schedule.freq is not ScheduleFreq.ONCE and schedule.until:
        text = _("%(text)s, until %(date)s", text=text,
                 date=format_date(schedule.until, "d MMMM yyyy"))
    return text


def day(on) -> str:
    """'Tuesday 3 March'."""
    return format_date(on, "EEEE d MMMM")


def cost(listing) -> str:
    if listing.is_free:
        return _("Free")
    return format_pence(listing.cost_pence)
