"""The evidence for each gap in the ranked list, in words, from aggregates only.

It never shows a figure the report's tables do not already show: for one area it
names the kinds of unmet need (no counts beyond the gap's own), and for all areas
it quotes figures from the searches, plans and orders tables as they are shown
there (after small numbers are hidden). Supply figures are about services, not
people, and are always given."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from catalogue.models import Unit
from catalogue.taxonomy import LANGUAGES
from catalogue.wording import quantity
from marketplace.money import format_pence
from marketplace.reports.gaps.score import LISTED, Cell, Gaps
from marketplace.reports.tables import Table


def shown_value(table: Table, label: str, column: str):
    """The value shown in ``table`` for the row labelled ``label``, or None when the
    row is missing or the figure is hidden."""
    index = [c.key for c in table.columns].index(column)
    for row, cells in table.shown():
        if row.values[0] == label:
            _column, value, gone = cells[index]
            return None if gone else value
    return None


def language_name(code: str | None) -> str:
    return str(LANGUAGES.get(code, code)) if code else ""


def _sources(cell: Cell) -> str:
    found = []
    if cell.searchers:
        found.append(_("searches asking for %(language)s found little or nothing",
                       language=language_name(cell.language)) if cell.language
                     else _("searches found little or nothing"))
    if cell.planners:
        found.append(_("agreed plans have money for it and no order"))
    if cell.refused:
        found.append(_("orders were declined, not answered or cancelled by the provider"))
    return _("Unmet need: %(sources)s.", sources="; ".join(found))


def _figures(cell: Cell, found: Gaps, tables: dict[str, Table]) -> list[str]:
    """All areas, any language: figures quoted from the other tables."""
    label = found.grouping.name(cell.group)
    out = []
    unmet = shown_value(tables["searches"], label, "unmet")
    if unmet:
        out.append(_("%(n)s people found little or nothing when searching.",
                     n=f"{unmet:,}"))
    people = shown_value(tables["plans"], label, "people")
    planned = shown_value(tables["plans"], label, "planned")
    if people and planned:
        out.append(_("%(n)s people have %(amount)s planned for it and no order.",
                     n=f"{people:,}", amount=format_pence(planned)))
    declined = shown_value(tables["ended"], label, "declined")
    expired = shown_value(tables["ended"], label, "expired")
    if declined or expired:
        out.append(_("Orders declined: %(declined)s; not answered: %(expired)s.",
                     declined=_("not shown") if declined is None else f"{declined:,}",
                     expired=_("not shown") if expired is None else f"{expired:,}"))
    return out


def _where(cell: Cell, found: Gaps, shown_in_grid) -> str | None:
    """All areas: the areas where most of this gap is (each about 5 or more people)."""
    places = [c for c in (found.get(cell.group, d, cell.language) for d in found.districts)
              if len(c.people) >= LISTED and (cell.language or shown_in_grid(c))]
    places.sort(key=lambda c: (-len(c.people), c.district))
    if not places:
        return None
    return _("Most in %(areas)s.", areas=", ".join(
        _("%(area)s (%(n)d people)", area=c.district, n=len(c.people)) for c in places[:3]))


def _capacity(cell: Cell) -> str:
    return ", ".join(quantity(units, Unit(unit)) for unit, units in sorted(cell.capacity.items())
                     if unit in Unit._value2member_map_)


def _supply(cell: Cell) -> str:
    area = cell.district or _("the council's areas")
    speaking = language_name(cell.language)
    if not cell.listed:
        if cell.language:
            return _("No provider offering this that speaks %(language)s covers %(area)s.",
                     language=speaking, area=area)
        return _("No provider offering this covers %(area)s.", area=area)
    if not cell.providers:
        return ngettext("%(num)d provider offering this covers %(area)s but states no room.",
                        "%(num)d providers offering this cover %(area)s but state no room.",
                        len(cell.listed), area=area)
    if cell.language:
        return ngettext(
            "%(num)d provider with room that speaks %(language)s covers %(area)s.",
            "%(num)d providers with room that speak %(language)s cover %(area)s.",
            len(cell.providers), language=speaking, area=area)
    text = ngettext("%(num)d provider with room covers %(area)s.",
                    "%(num)d providers with room cover %(area)s.", len(cell.providers),
                    area=area)
    if cell.capacity:
        text += " " + _("Stated capacity: %(amounts)s a week.", amounts=_capacity(cell))
    return text


def evidence(cell: Cell, found: Gaps, tables: dict[str, Table], shown_in_grid) -> str:
    parts = [_sources(cell)]
    if cell.district is None:
        if cell.language is None:
            parts += _figures(cell, found, tables)
        where = _where(cell, found, shown_in_grid)
        if where:
            parts.append(where)
    parts.append(_supply(cell))
    return " ".join(parts)
