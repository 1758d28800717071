"""The report's tables about searches: by category, by area, the words of searches
that found little or nothing (only words searched by at least 5 different
people), and the languages asked for against the providers that speak them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from catalogue.search.text import tokens
from catalogue.taxonomy import LANGUAGES
from marketplace.reports.gaps.common import (
    MAX_WORDS,
    NOT_KNOWN,
    POOR_RESULTS,
    WORD_PEOPLE,
    Grouping,
    area_name,
)
from marketplace.reports.gaps.demand import Searches
from marketplace.reports.gaps.supply import Supply
from marketplace.reports.tables import Column, Kind, Row, Table


@dataclass
class Tally:
    """Searches and the different people behind them, for one row."""

    searches: int = 0
    nothing: int = 0
    no_order: int = 0
    people: set[str] = field(default_factory=set)
    nothing_people: set[str] = field(default_factory=set)
    no_order_people: set[str] = field(default_factory=set)
    unmet_people: set[str] = field(default_factory=set)

    def add(self, row: Searches) -> None:
        self.searches += row.count
        self.people.add(row.key)
        if row.nothing:
            self.nothing += row.count
            self.nothing_people.add(row.key)
        if not row.ordered:
            self.no_order += row.count
            self.no_order_people.add(row.key)
        if row.unmet:
            self.unmet_people.add(row.key)

    def row(self, label: str) -> Row:
        people, unmet = len(self.people), len(self.unmet_people)
        return Row([label, self.searches, self.nothing, self.no_order, people, unmet],
                   cell_people=[None, people, len(self.nothing_people),
                                len(self.no_order_people), people, unmet])


def _columns(first: str) -> list[Column]:
    return [Column("label", first, Kind.TEXT),
            Column("searches", str(_l("Searches"))),
            Column("nothing", str(_l("Found nothing"))),
            Column("no_order", str(_l("Led to no order"))),
            Column("people", str(_l("People searching"))),
            Column("unmet", str(_l("People who found little or nothing")))]


def _tallied(rows: Iterable[Searches], key: Callable[[Searches], str | None]):
    by: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    for row in rows:
        label = key(row)
        if label is None:
            continue
        by[label].add(row)
        total.add(row)
    return by, total


def by_category(rows: list[Searches], grouping: Grouping) -> Table:
    by, total = _tallied(rows, lambda r: grouping.of(r.category))
    ordered = sorted(by, key=lambda g: (g == "", grouping.name(g)))
    return Table(
        "searches", str(_l("Searches by category")), _columns(str(_l("Category"))),
        [by[g].row(grouping.name(g)) for g in ordered],
        total=total.row(str(_l("All searches"))), chart="bar", chart_column="nothing",
        description=str(_l("Searches made by people the council funds. “Found little or "
                           "nothing”: fewer than %(poor)d results, and no order from the "
                           "search.", poor=POOR_RESULTS)))


def by_area(rows: list[Searches], districts: list[str]) -> Table:
    by, total = _tallied(rows, lambda r: r.district or NOT_KNOWN)
    order = {d: i for i, d in enumerate(districts)}
    ordered = sorted(by, key=lambda d: (d == NOT_KNOWN, order.get(d, len(order)), d))
    return Table(
        "search_areas", str(_l("Searches by area")), _columns(str(_l("Area"))),
        [by[d].row(area_name(d)) for d in ordered], total=total.row(str(_l("All areas"))),
        description=str(_l("The area is the postcode district searched from, or else "
                           "where the person lives.")))


def words(found: list[tuple[str, str]]) -> Table:
    searches: dict[str, int] = defaultdict(int)
    people: dict[str, set[str]] = defaultdict(set)
    for text, key in found:
        for word in tokens(text):
            searches[word] += 1
            people[word].add(key)
    shown = sorted((w for w in people if len(people[w]) >= WORD_PEOPLE),
                   key=lambda w: (-len(people[w]), -searches[w], w))[:MAX_WORDS]
    return Table(
        "words", str(_l("Most frequent words of searches that found little or nothing")),
        [Column("word", str(_l("Word")), Kind.TEXT),
         Column("searches", str(_l("Searches"))),
         Column("people", str(_l("Different people")))],
        [Row([w, searches[w], len(people[w])], people=len(people[w])) for w in shown],
        description=str(_l("Only words that at least %(n)d different people searched for "
                           "are shown.", n=WORD_PEOPLE)))


def speakers(supply: Supply, grouping: Grouping) -> dict[str, set[int]]:
    """language -> providers with room, in the categories asked about, that speak it."""
    found: dict[str, set[int]] = defaultdict(set)
    for service in supply.services:
        if service.has_room and grouping.of(service.category) is not None:
            for language in supply.languages.get(service.provider_id, ()):
                found[language].add(service.provider_id)
    return found


def languages(rows: list[Searches], supply: Supply, grouping: Grouping) -> Table:
    by, _total = _tallied(rows, lambda r: r.language)
    speaking = speakers(supply, grouping)
    lines = []
    for code in sorted(by, key=lambda c: str(LANGUAGES.get(c, c))):
        tally = by[code]
        people, unmet = len(tally.people), len(tally.unmet_people)
        lines.append(Row([str(LANGUAGES.get(code, code)), tally.searches, people, unmet,
                          len(speaking.get(code, ()))],
                         cell_people=[None, people, people, unmet, None]))
    return Table(
        "languages", str(_l("Languages asked for in searches")),
        [Column("language", str(_l("Language")), Kind.TEXT),
         Column("searches", str(_l("Searches"))),
         Column("people", str(_l("People searching"))),
         Column("unmet", str(_l("People who found little or nothing"))),
         Column("providers", str(_l("Providers with room that speak it")))],
        lines, description=str(_l("Searches that asked for a language, against providers "
                                  "with room that cover the area and speak it.")))
