"""The report's tables about supply: services and providers by category (and the
areas no provider covers), prices by category and unit against the council's
rates, and ratings by category."""

from __future__ import annotations

from collections import defaultdict
from statistics import median

from flask_babel import lazy_gettext as _l

from catalogue.models import Unit
from marketplace.reports.gaps.common import Grouping
from marketplace.reports.gaps.demand import Rated
from marketplace.reports.gaps.supply import Listed, Supply
from marketplace.reports.tables import Column, Kind, Row, Table


def _grouped(supply: Supply, grouping: Grouping, *, supplying: bool = False
             ) -> dict[str, list[Listed]]:
    """Services by row: their own category's, or (``supplying``) every row whose
    need they can meet (``Grouping.supplying``)."""
    by: dict[str, list[Listed]] = defaultdict(list)
    for service in supply.services:
        groups = (grouping.supplying(service.category) if supplying
                  else grouping.groups([service.category]))
        for group in groups:
            by[group].append(service)
    return by


def supply_by_category(supply: Supply, grouping: Grouping, asked: set[str]) -> Table:
    """``asked``: the categories anyone searched, planned or ordered in (shown even
    when nothing is on offer)."""
    by = _grouped(supply, grouping, supplying=True)
    rows = []
    for group in sorted(set(by) | asked, key=grouping.name):
        services = by.get(group, [])
        providers = {s.provider_id for s in services}
        room = {s.provider_id for s in services if s.has_room}
        covered = {d for p in room for d in supply.covers.get(p, ())}
        rows.append(Row([grouping.name(group), len(services), len(providers), len(room),
                         sum(1 for s in services if s.capacity == 0),
                         len(set(supply.districts) - covered)]))
    return Table(
        "supply", str(_l("Services and providers, as listed today")),
        [Column("category", str(_l("Category")), Kind.TEXT),
         Column("services", str(_l("Published services"))),
         Column("providers", str(_l("Providers"))),
         Column("room", str(_l("Providers with room"))),
         Column("full", str(_l("Services stating no room"))),
         Column("uncovered", str(_l("Areas no provider with room covers")))],
        rows, chart="bar", chart_column="room",
        description=str(_l("Public services from providers covering the area (or any of the "
                           "council's areas). A provider has room unless every one of its "
                           "services here states a capacity of none.")))


def prices(supply: Supply, grouping: Grouping) -> Table:
    by: dict[tuple[str, str], list[Listed]] = defaultdict(list)
    for group, services in _grouped(supply, grouping).items():
        for service in services:
            by[(group, service.unit)].append(service)
    rows = []
    for group, unit in sorted(by, key=lambda k: (grouping.name(k[0]), k[1])):
        services = by[(group, unit)]
        rated = [s for s in services if s.rate_pence is not None]
        rows.append(Row([
            grouping.name(group), str(Unit(unit).label) if unit in Unit._value2member_map_
            else unit, len(services), int(median(s.price_pence for s in services)),
            len(rated), int(median(s.rate_pence for s in rated)) if rated else None,
            sum(1 for s in rated if s.price_pence > s.rate_pence),
            sum(s.capacity or 0 for s in services)]))
    return Table(
        "prices", str(_l("Prices against the council’s rates")),
        [Column("category", str(_l("Category")), Kind.TEXT),
         Column("unit", str(_l("Unit")), Kind.TEXT),
         Column("services", str(_l("Services"))),
         Column("price", str(_l("Median price")), Kind.PENCE),
         Column("rated", str(_l("With a council rate"))),
         Column("rate", str(_l("Median council rate")), Kind.PENCE),
         Column("above", str(_l("Priced above their council rate"))),
         Column("capacity", str(_l("Stated capacity a week (units)")))],
        rows, description=str(_l("Public prices and the council’s rates in force today. "
                                 "People the council funds pay its rate.")))


def ratings(rated: list[Rated], grouping: Grouping) -> Table:
    by: dict[str, list[Rated]] = defaultdict(list)
    for rating in rated:
        group = grouping.of(rating.category)
        if group is not None:
            by[group].append(rating)

    def row(label, found):
        people = len({r.key for r in found})
        average = sum(r.stars for r in found) / len(found) if found else None
        return Row([label, len(found), people, average], people=people)

    return Table(
        "ratings", str(_l("Ratings by category")),
        [Column("category", str(_l("Category")), Kind.TEXT),
         Column("ratings", str(_l("Ratings"))),
         Column("people", str(_l("People"))),
         Column("stars", str(_l("Average stars (1 to 5)")), Kind.NUMBER)],
        [row(grouping.name(g), by[g]) for g in sorted(by, key=grouping.name)],
        total=row(str(_l("All categories")), rated),
        description=str(_l("Ratings given in the period by people the council funds.")))
