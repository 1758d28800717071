"""Plain words for the facts on a listing: amounts of a unit, lead times, age ranges,
capacity, opening times, languages. Shared by every catalogue page (and e-mails)."""

from __future__ import annotations

from datetime import time

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from catalogue.models import Unit
from catalogue.taxonomy import LANGUAGES, WEEKDAYS


def quantity(n: int, unit: Unit) -> str:
    """'1 hour', '3 visits', '2 nights'."""
    forms = {
        Unit.HOUR: lambda: ngettext("%(num)d hour", "%(num)d hours", n),
        Unit.SESSION: lambda: ngettext("%(num)d session", "%(num)d sessions", n),
        Unit.VISIT: lambda: ngettext("%(num)d visit", "%(num)d visits", n),
        Unit.DAY: lambda: ngettext("%(num)d day", "%(num)d days", n),
        Unit.NIGHT: lambda: ngettext("%(num)d night", "%(num)d nights", n),
        Unit.WEEK: lambda: ngettext("%(num)d week", "%(num)d weeks", n),
        Unit.ITEM: lambda: ngettext("%(num)d item", "%(num)d items", n),
    }
    return forms[Unit(unit)]()


def lead_time(days: int) -> str:
    if days <= 0:
        return _("Can usually start straight away")
    return ngettext("Can usually start within %(num)d day of booking",
                    "Can usually start within %(num)d days of booking", days)


def age_range(min_age: int | None, max_age: int | None) -> str:
    if min_age is None and max_age is None:
        return _("All ages")
    if max_age is None:
        return _("%(min)d and over", min=min_age)
    if min_age is None or min_age == 0:
        return _("Up to %(max)d", max=max_age)
    return _("%(min)d to %(max)d", min=min_age, max=max_age)


def capacity(units_per_week: int | None, unit: Unit) -> str:
    if units_per_week is None:
        return _("Ask the provider whether they can take you on")
    if units_per_week == 0:
        return _("Not taking on anyone new at the moment")
    return _("Can take on about %(amount)s a week more",
             amount=quantity(units_per_week, unit))


def clock(value: time) -> str:
    return value.strftime("%H:%M")


def time_range(starts: time, ends: time) -> str:
    return _("%(start)s to %(end)s", start=clock(starts), end=clock(ends))


def weekly_times(slots) -> list[tuple[str, list[str]]]:
    """[(weekday name, ['09:00 to 12:00', ...]), ...] for Monday to Sunday."""
    by_day: dict[int, list[str]] = {day: [] for day in WEEKDAYS}
    for slot in slots:
        by_day[slot.weekday].append(time_range(slot.starts_at, slot.ends_at))
    return [(str(WEEKDAYS[day]), times) for day, times in by_day.items()]


def language_name(code: str) -> str:
    name = LANGUAGES.get(code)
    return str(name) if name is not None else code


def listed(items) -> str:
    """'A, B and C' in the page's language."""
    items = [str(item) for item in items]
    if not items:
        return ""
    locale = str(get_locale() or "en")
    if locale == "cy" and len(items) > 1:
        # CLDR's Welsh pattern gives "a(c)"; Welsh uses "ac" before a vowel, else "a".
        last = items[-1]
        joiner = "ac" if last[:1].lower() in "aeiouwyâêîôûŵŷ" else "a"
        return f"{', '.join(items[:-1])} {joiner} {last}"
    return format_list(items, locale="en_GB" if locale == "en" else locale)


CQC_STATUSES = {"Registered": _l("Registered"), "Deregistered": _l("Deregistered")}


def cqc_status(value: str | None) -> str:
    """The CQC's registration status in the page's language."""
    if not value:
        return _("Registered")
    label = CQC_STATUSES.get(value)
    return str(label) if label is not None else value


def areas(provider) -> str:
    districts = listed(provider.districts)
    radius = provider.coverage_radius_km
    base = (provider.postcode or "").split(" ")[0]
    if districts and radius and base:
        return _("Postcode areas %(districts)s, and anywhere within %(km)d km of %(place)s",
                 districts=districts, km=radius, place=base)
    if districts:
        return _("Postcode areas %(districts)s", districts=districts)
    if radius and base:
        return _("Anywhere within %(km)d km of %(place)s", km=radius, place=base)
    return _("Not stated: ask the provider")


def languages(provider) -> str:
    codes = provider.language_codes
    if not codes:
        return _("English")
    names = sorted(language_name(code) for code in codes)
    return listed(names)


def workers(provider) -> str:
    if provider.female_workers and provider.male_workers:
        return _("Female and male workers: you can ask for either")
    if provider.female_workers:
        return _("Female workers only")
    if provider.male_workers:
        return _("Male workers only")
    return _("Not stated: ask the provider")


def outcome_name(code: str) -> str:
    from catalogue.taxonomy import OUTCOME_LABELS, Outcome

    try:
        return str(OUTCOME_LABELS[Outcome(code)])
    except ValueError:
        return code
