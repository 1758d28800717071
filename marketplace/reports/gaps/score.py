"""Gaps: unmet need against supply, per category, area and language asked for (pure).

People with unmet need in a category and area are the different people who, in
the period: searched in it and found little or nothing (fewer than
``POOR_RESULTS`` results) without ordering from that search; have an agreed plan
with money for it and no order that went ahead; or had an order for it declined,
not answered, or cancelled for a reason that says the market did not provide
(``ordering.reasons.MARKET_REASONS``). With a language asked for (the search's
language filter), only those searches count.

Supply is the number of providers with room there: providers with a public
service in the category that cover the area (and, for a language, speak it),
leaving out those whose every such service states no capacity at all.

    gap score = people with unmet need / (providers with room + 1)

so that no provider at all counts as more of a gap than one."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from marketplace.ordering.reasons import MARKET_REASONS
from marketplace.reports.gaps.common import NO_CATEGORY, NOT_KNOWN, Grouping
from marketplace.reports.gaps.demand import Ended, PlannedSpend, Searches
from marketplace.reports.gaps.supply import Listed, Supply

LISTED = 5  # a gap is listed only when it is about at least this many people
SHADE_STEPS = (1.0, 2.0, 4.0)  # scores from which the shading is 2, 3 and 4
OTHER = NOT_KNOWN  # the area of people whose area is not known (or not the council's)


@dataclass
class Cell:
    group: str
    district: str | None     # None: all areas
    language: str | None     # None: whatever language
    searchers: set[str] = field(default_factory=set)
    planners: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)   # ended orders, market reasons
    providers: set[int] = field(default_factory=set)  # with room
    listed: set[int] = field(default_factory=set)     # any stated capacity
    services: int = 0
    capacity: dict[str, int] = field(default_factory=dict)  # unit -> units a week

    @property
    def people(self) -> set[str]:
        return self.searchers | self.planners | self.refused

    @property
    def score(self) -> float:
        return len(self.people) / (len(self.providers) + 1)

    @property
    def shade(self) -> int:
        if not self.people:
            return 0
        return 1 + sum(self.score >= step for step in SHADE_STEPS)


@dataclass
class Gaps:
    grouping: Grouping
    districts: list[str]
    cells: dict[tuple, Cell]

    def cell(self, group: str, district: str | None, language: str | None = None) -> Cell:
        key = (group, district, language)
        if key not in self.cells:
            self.cells[key] = Cell(group, district, language)
        return self.cells[key]

    def get(self, group: str, district: str | None, language: str | None = None) -> Cell:
        """The cell, or an empty one (not kept) when there is none."""
        return self.cells.get((group, district, language)) or Cell(group, district, language)

    def everyone(self) -> int:
        """Different people with unmet need in any category."""
        return len(set().union(*(c.people for (_g, d, lang), c in self.cells.items()
                                  if d is None and lang is None)))

    def ranked(self, all_areas: bool) -> list[Cell]:
        """Cells about at least LISTED people, largest gap first (all areas too, or
        only single areas)."""
        found = [c for c in self.cells.values() if len(c.people) >= LISTED
                 and c.district != OTHER and (all_areas or c.district is not None)]
        found.sort(key=lambda c: (-c.score, -len(c.people), c.group, c.district or "",
                                  c.language or ""))
        return found


SOURCES = ("searchers", "planners", "refused")


def _unmet(grouping: Grouping, searches, planned, ended):
    """(group, person key, district, source, weight) for each piece of unmet need."""
    for row in searches:
        group = grouping.of(row.category)
        if group is not None and group != NO_CATEGORY and row.unmet:
            yield group, row.key, row.district or OTHER, "searchers", row.count
    for line in planned:
        group = grouping.of(line.category)
        if group is not None:
            yield group, line.key, line.district, "planners", 1
    for order in ended:
        if order.reason in MARKET_REASONS:
            for group in grouping.groups(order.categories):
                yield group, order.key, order.district, "refused", 1


def gaps(grouping: Grouping, districts: list[str], searches: list[Searches],
         planned: Iterable[PlannedSpend], ended: Iterable[Ended], supply: Supply) -> Gaps:
    """Each person counts once in a category: in the area where most of their unmet
    need in it was (a known area before an unknown one), and in all areas."""
    wanted = set(districts)
    found = Gaps(grouping, districts, {})
    seen: dict[tuple[str, str], tuple[Counter, set[str]]] = {}
    for group, key, district, source, weight in _unmet(grouping, searches, planned, ended):
        places, sources = seen.setdefault((group, key), (Counter(), set()))
        places[district if district in wanted else OTHER] += weight
        sources.add(source)
    for (group, key), (places, sources) in seen.items():
        known = sorted((-n, d) for d, n in places.items() if d != OTHER)
        for place in (known[0][1] if known else OTHER, None):
            cell = found.cell(group, place)
            for source in sources:
                getattr(cell, source).add(key)
    for row in searches:  # a language asked for: those searches only
        group = grouping.of(row.category)
        if row.language and row.unmet and group not in (None, NO_CATEGORY):
            places = [row.district, None] if row.district in wanted else [None]
            for place in places:
                found.cell(group, place, row.language).searchers.add(row.key)
    _add_supply(found, supply)
    return found


def _add_supply(found: Gaps, supply: Supply) -> None:
    asked = defaultdict(set)  # group -> languages someone asked for in it
    for group, _district, language in list(found.cells):
        if language:
            asked[group].add(language)
    for service in supply.services:
        for group in sorted(found.grouping.supplying(service.category)):
            _supplies(found, service, group, asked[group], supply)


def _supplies(found: Gaps, service: Listed, group: str, asked: set[str],
              supply: Supply) -> None:
    """Count ``service`` as supply for ``group`` in each area its provider covers
    (and in all areas), and for each language asked for that its provider speaks."""
    areas = supply.covers.get(service.provider_id, frozenset())
    speaks = supply.languages.get(service.provider_id, frozenset())
    for place in [*sorted(areas), None] if areas else []:
        for language in [None, *sorted(asked & speaks)]:
            cell = found.cell(group, place, language)
            cell.listed.add(service.provider_id)
            if service.has_room:
                cell.providers.add(service.provider_id)
            if language is None:
                cell.services += 1
                if service.capacity:
                    cell.capacity[service.unit] = (cell.capacity.get(service.unit, 0)
                                                   + service.capacity)
