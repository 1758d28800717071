"""Market gaps (issue 9, item 1): demand against supply by category and postcode
district, the largest gaps ranked with their evidence, and a category × area grid
shaded by gap size. The parts are in ``marketplace.reports.gaps``."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from marketplace.reports.aggregates import small
from marketplace.reports.filters import ReportFilters, council_districts
from marketplace.reports.gaps import demand, gap_tables, need_tables, search_tables, supply_tables
from marketplace.reports.gaps import supply as offer
from marketplace.reports.gaps.common import POOR_RESULTS, Grouping
from marketplace.reports.gaps.score import LISTED, gaps
from marketplace.reports.registry import register
from marketplace.reports.tables import Headline, Kind, Report, Table
from marketplace.security import today


def intro() -> str:
    return _(
        "Where people the council funds looked for support, planned it or ordered it and "
        "did not get it, against what providers offer. People with unmet need in a category "
        "and area are the different people who, in the period: searched in it and found "
        "little or nothing (fewer than %(poor)d results) without ordering from the search; "
        "have an agreed plan with money for it and no order that went ahead; or had an "
        "order for it declined, not answered, or cancelled because it could not be "
        "provided. The gap score is the number of those people divided by one more than "
        "the number of providers with room there: providers with a published service in "
        "the category that cover the area (and speak the language, when searches asked "
        "for one); a provider whose services all state a capacity of none has no room. "
        "So 10 people and no provider score 10, and 10 people and 4 providers score 2. "
        "Only gaps about %(listed)d or more people are listed. Services, capacity and "
        "prices are as listed today.", poor=POOR_RESULTS, listed=LISTED)


def _total(table: Table, column: str):
    """A shown figure of the table's total row (None when hidden)."""
    total = table.shown_total()
    index = [c.key for c in table.columns].index(column)
    _column, value, gone = total[index]
    return None if gone else value


def _headlines(tables: dict[str, Table], everyone: int) -> list[Headline]:
    ranked = tables["ranked"].rows
    largest = None
    if ranked:
        _rank, category, area, language, *_rest = ranked[0].values
        largest = _("%(category)s, %(area)s", category=category, area=area)
        if language:
            largest = _("%(gap)s (%(language)s)", gap=largest, language=language)
    return [
        Headline(_("People with unmet need"), None if small(everyone) else everyone,
                 hint=_("Different people, in every category and area")),
        Headline(_("Largest gap"), largest or _("None about 5 or more people"), Kind.TEXT),
        Headline(_("Searches"), _total(tables["searches"], "searches")),
        Headline(_("Searches that found nothing"), _total(tables["searches"], "nothing")),
        Headline(_("Median days from order to first visit"),
                 _total(tables["waits"], "median"), Kind.NUMBER),
    ]


@register("market-gaps", _l("Market gaps"),
          _l("What people look for, plan and order but do not get, against what providers "
             "offer, by category and area, with the largest gaps ranked."), order=10)
def build(session: Session, filters: ReportFilters) -> Report:
    grouping = Grouping(filters.category)
    districts = ([filters.district] if filters.district
                 else council_districts(session, filters.council_id))
    searched = demand.searches(session, filters)
    planned = demand.planned_spend(session, filters)
    ended = demand.ended_orders(session, filters)
    supply = offer.supply(session, filters, districts, min(filters.ends_on, today()))
    found = gaps(grouping, districts, searched, planned, ended, supply)
    asked = {cell.group for cell in found.cells.values() if cell.people}
    tables = {t.key: t for t in (
        search_tables.by_category(searched, grouping),
        search_tables.by_area(searched, districts),
        search_tables.words(demand.unmet_words(session, filters)),
        search_tables.languages(searched, supply, grouping),
        need_tables.plans_by_category(planned, grouping),
        need_tables.plans_by_outcome(planned),
        need_tables.ended_by_category(ended, grouping),
        need_tables.ended_by_reason(ended),
        need_tables.waits_by_category(demand.waits(session, filters), grouping),
        supply_tables.supply_by_category(supply, grouping, asked),
        supply_tables.prices(supply, grouping),
        supply_tables.ratings(demand.ratings(session, filters), grouping),
        gap_tables.grid(found, other_column=not filters.district),
    )}
    for table in tables.values():
        table.apply_suppression()
    tables["ranked"] = gap_tables.ranked(found, not filters.district, tables["grid"], tables)
    tables["ranked"].apply_suppression()
    order = ["ranked", "grid", "searches", "search_areas", "words", "languages", "plans",
             "plan_outcomes", "ended", "reasons", "waits", "supply", "prices", "ratings"]
    return Report(slug="market-gaps", title=str(_l("Market gaps")), intro=intro(),
                  tables=[tables[key] for key in order],
                  headlines=_headlines(tables, found.everyone()),
                  notes=[_("Searches count for the council when the person searching is "
                           "one it funds. A search without a postcode counts in the area "
                           "where the person lives, when they are signed in.")])
